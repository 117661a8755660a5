#include "app/app_options.h"

#include <QCommandLineParser>
#include <QCoreApplication>

#include "capture/recorder.h"
#include "services/host_lab.h"

namespace tcplab::gui {

AppOptions parseAppOptions(const QCoreApplication &app)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QCoreApplication::translate("main", "TCP Lab: a desktop lab for bending TCP."));
    parser.addHelpOption();
    parser.addVersionOption();
    QCommandLineOption screenshot(QStringLiteral("screenshot"),
                                  QCoreApplication::translate("main", "Render the window to a PNG file after start-up and exit."),
                                  QStringLiteral("file"));
    QCommandLineOption scenario(QStringLiteral("scenario"),
                                QCoreApplication::translate("main", "Load a built-in scenario by name, or a scenario file."),
                                QStringLiteral("name"));
    QCommandLineOption lang(QStringLiteral("lang"), QCoreApplication::translate("main", "User interface language (ja or en)."),
                            QStringLiteral("code"));
    QCommandLineOption tap(QStringLiteral("tap"), QCoreApplication::translate("main", "Attach the lab to this tap device."),
                           QStringLiteral("name"));
    QCommandLineOption runFor(QStringLiteral("run-for"),
                              QCoreApplication::translate("main", "Virtual seconds the demo runs before --screenshot (default 4)."),
                              QStringLiteral("seconds"), QStringLiteral("4"));
    QCommandLineOption size(QStringLiteral("size"), QCoreApplication::translate("main", "Window size for --screenshot (default 1440x900)."),
                            QStringLiteral("WxH"), QStringLiteral("1440x900"));
    QCommandLineOption panel(QStringLiteral("panel"),
                             QCoreApplication::translate("main", "Dock to show in front for --screenshot (rules, explanation, classroom, presentation)."),
                             QStringLiteral("name"));
    QCommandLineOption ip4(QStringLiteral("ip4"),
                           QCoreApplication::translate("main", "With --tap: the lab's IPv4 address and prefix (198.18.0.2/24)."),
                           QStringLiteral("addr/len"));
    QCommandLineOption ip6(QStringLiteral("ip6"),
                           QCoreApplication::translate("main", "With --tap: the lab's IPv6 address and prefix (2001:db8::2/64)."),
                           QStringLiteral("addr/len"));
    QCommandLineOption mac(QStringLiteral("mac"), QCoreApplication::translate("main", "With --tap: the lab's MAC address."),
                           QStringLiteral("mac"));
    QCommandLineOption gateway(QStringLiteral("gateway"), QCoreApplication::translate("main", "With --tap: the IPv4 gateway."),
                               QStringLiteral("addr"));
    QCommandLineOption listen(QStringLiteral("listen"),
                              QCoreApplication::translate("main", "With --tap: a TCP service to run (80:http, 9000:sink); repeatable."),
                              QStringLiteral("port:service"));
    QCommandLineOption snapLength(
        QStringLiteral("snaplen"),
        QCoreApplication::translate("main", "With --tap: keep at most this many bytes of each recorded frame "
                                            "(64 to 262144; default: whole frames)."),
        QStringLiteral("bytes"));
    QCommandLineOption captureMemory(
        QStringLiteral("capture-memory"),
        QCoreApplication::translate("main", "With --tap: RAM for the capture (like 512M or 8G; default 2G)."),
        QStringLiteral("size"));
    QCommandLineOption captureReserve(
        QStringLiteral("capture-reserve"),
        QCoreApplication::translate("main",
                                    "With --tap: of that memory, this much is mapped before the tap is "
                                    "attached (like 4G; default none)."),
        QStringLiteral("size"));
    QCommandLineOption captureSpillDirectory(
        QStringLiteral("capture-spill-dir"),
        QCoreApplication::translate("main",
                                    "With --tap: where frames past the capture memory go (a directory "
                                    "on disk; default $TMPDIR, else /tmp)."),
        QStringLiteral("dir"));
    QCommandLineOption captureWhenFull(
        QStringLiteral("capture-when-full"),
        QCoreApplication::translate("main",
                                    "With --tap: past the capture memory, keep frames in a spill file "
                                    "(spill, the default) or stop recording (stop)."),
        QStringLiteral("spill|stop"));
    parser.addOptions({screenshot, scenario, lang, tap, ip4, ip6, mac, gateway, listen, snapLength,
                       captureMemory, captureReserve, captureSpillDirectory, captureWhenFull, runFor, size,
                       panel});
    parser.addPositionalArgument(QStringLiteral("files"), QCoreApplication::translate("main", "Captures or scenarios to open."),
                                 QStringLiteral("[files...]"));
    parser.process(app);

    AppOptions o;
    o.screenshot = parser.value(screenshot);
    o.scenario = parser.value(scenario);
    o.language = parser.value(lang);
    o.tap = parser.value(tap);
    o.ip4 = parser.value(ip4);
    o.ip6 = parser.value(ip6);
    o.mac = parser.value(mac);
    o.gateway4 = parser.value(gateway);
    o.listens = parser.values(listen);
    o.snapLength = parser.value(snapLength);
    o.captureMemory = parser.value(captureMemory);
    o.captureReserve = parser.value(captureReserve);
    o.captureSpillDirectory = parser.value(captureSpillDirectory);
    o.captureWhenFull = parser.value(captureWhenFull);
    if (!o.tap.isEmpty() && o.ip4.isEmpty()) {
        qCritical("tcplab: --tap %s needs --ip4 ADDRESS/PREFIX, the lab's own address", qPrintable(o.tap));
        ::exit(2);
    }
    if (o.tap.isEmpty() &&
        (!o.ip4.isEmpty() || !o.ip6.isEmpty() || !o.mac.isEmpty() || !o.gateway4.isEmpty() ||
         !o.listens.isEmpty() || !o.snapLength.isEmpty() || !o.captureMemory.isEmpty() ||
         !o.captureReserve.isEmpty() || !o.captureSpillDirectory.isEmpty() || !o.captureWhenFull.isEmpty())) {
        qCritical("tcplab: --ip4, --ip6, --mac, --gateway, --listen, --snaplen and the --capture-* options "
                  "go with --tap NAME");
        ::exit(2);
    }
    if (!o.tap.isEmpty()) { // checked like the tap dialog's fields (the spill directory is looked at)
        TapSettings capture;
        capture.captureMemory = o.captureMemory.toStdString();
        capture.captureReserve = o.captureReserve.toStdString();
        capture.captureSpillDirectory = o.captureSpillDirectory.toStdString();
        capture.captureWhenFull = o.captureWhenFull.toStdString();
        if (auto store = parseCaptureMemory(capture); !store) {
            qCritical(
                "tcplab: --capture-memory/--capture-reserve/--capture-spill-dir/--capture-when-full: %s",
                store.error().message.c_str());
            ::exit(2);
        }
    }
    if (!o.snapLength.isEmpty() && !RecorderConfig::parseSnapLength(o.snapLength.toStdString())) {
        qCritical("tcplab: --snaplen wants a number of bytes from %u to %u, not \"%s\"",
                  RecorderConfig::kMinSnapLength, RecorderConfig::kMaxSnapLength, qPrintable(o.snapLength));
        ::exit(2);
    }
    o.panel = parser.value(panel);
    bool ok = false;
    o.runForSeconds = parser.value(runFor).toDouble(&ok);
    if (!ok || o.runForSeconds < 0) {
        qCritical("tcplab: --run-for wants a number of seconds, not \"%s\"", qPrintable(parser.value(runFor)));
        ::exit(2);
    }
    const auto wh = parser.value(size).split(QLatin1Char('x'));
    if (wh.size() != 2 || wh[0].toInt() < 200 || wh[1].toInt() < 200) {
        qCritical("tcplab: --size wants WIDTHxHEIGHT (at least 200x200), not \"%s\"", qPrintable(parser.value(size)));
        ::exit(2);
    }
    o.size = QSize(wh[0].toInt(), wh[1].toInt());
    if (!o.language.isEmpty() && o.language != QLatin1String("ja") && o.language != QLatin1String("en")) {
        qCritical("tcplab: --lang wants ja or en, not \"%s\"", qPrintable(o.language));
        ::exit(2);
    }
    o.files = parser.positionalArguments();
    return o;
}

}  // namespace tcplab::gui

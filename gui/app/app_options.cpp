#include "app/app_options.h"

#include <QCommandLineParser>
#include <QCoreApplication>

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
                             QCoreApplication::translate("main", "Dock to show in front for --screenshot (rules, explanation)."),
                             QStringLiteral("name"));
    parser.addOptions({screenshot, scenario, lang, tap, runFor, size, panel});
    parser.addPositionalArgument(QStringLiteral("files"), QCoreApplication::translate("main", "Captures or scenarios to open."),
                                 QStringLiteral("[files...]"));
    parser.process(app);

    AppOptions o;
    o.screenshot = parser.value(screenshot);
    o.scenario = parser.value(scenario);
    o.language = parser.value(lang);
    o.tap = parser.value(tap);
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

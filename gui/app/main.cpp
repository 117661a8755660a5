// tcplab: the TCP Lab window, on the demo network by default.
#include <QApplication>
#include <QTimer>
#include <spdlog/spdlog.h>

#include "app/app_options.h"
#include "app/main_window.h"
#include "app/screenshot.h"
#include "app/translations.h"
#include "services/engine_bridge.h"
#include "services/lab_switch.h"

int main(int argc, char **argv)
{
    Q_INIT_RESOURCE(tcplab);
    QApplication app(argc, argv);
    QApplication::setOrganizationName(QStringLiteral("TCP Lab"));
    QApplication::setApplicationName(QStringLiteral("tcplab"));
    QApplication::setApplicationVersion(QStringLiteral(TCPLAB_VERSION));
    QApplication::setDesktopFileName(QStringLiteral("tcplab"));
    using namespace tcplab::gui;
    const AppOptions options = parseAppOptions(app);
    const QString language = chooseLanguage(options.language);
    if (!installTranslations(app, language))
        std::fprintf(stderr, "tcplab: no translation for \"%s\", using English\n", qPrintable(language));

    // One window, two labs behind a switch: the demo network and the tap lab (Lab > Lab mode).
    MainWindow window(std::make_unique<LabSwitch>(makeDefaultLab(LabMode::Demo)));
    // Every spdlog logger (engine modules and ours) also writes to the log dock.
    spdlog::default_logger()->sinks().push_back(window.bridge().logSink());
    spdlog::info("TCP Lab {} started ({})", TCPLAB_VERSION, language.toStdString());
    const bool tapMode = !options.tap.isEmpty();
    if (!tapMode && !options.scenario.isEmpty() && !window.loadScenario(options.scenario)) {
        std::fprintf(stderr, "tcplab: unknown scenario \"%s\"\n", qPrintable(options.scenario));
        if (!options.screenshot.isEmpty()) return 2;
    }
    if (!options.screenshot.isEmpty()) {
        window.resize(options.size);
        window.show();
        return takeScreenshot(window, options.screenshot, options.runForSeconds, options.panel);
    }
    window.resize(1440, 900);
    window.restoreSettings();
    window.show();
    if (tapMode) {
        TapSettings tap;
        tap.tap = options.tap.toStdString();
        tap.ip4 = options.ip4.toStdString();
        tap.ip6 = options.ip6.toStdString();
        tap.mac = options.mac.toStdString();
        tap.gateway4 = options.gateway4.toStdString();
        for (const auto &l : options.listens) tap.listens.push_back(l.toStdString());
        tap.snapLength = options.snapLength.toStdString();
        tap.captureMemory = options.captureMemory.toStdString();
        tap.captureReserve = options.captureReserve.toStdString();
        tap.captureSpillDirectory = options.captureSpillDirectory.toStdString();
        tap.captureWhenFull = options.captureWhenFull.toStdString();
        tap.scenario = options.scenario.toStdString();
        // On failure the window says why (and offers the Setup panel); the demo stays available.
        if (!window.attachTap(tap))
            std::fprintf(stderr, "tcplab: cannot attach to tap \"%s\"; see the window\n", qPrintable(options.tap));
    } else {
        window.bridge().lab().start();
    }
    window.openFiles(options.files);
    return app.exec();
}

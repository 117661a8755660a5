// tcplab: the TCP Lab window, on the demo network by default.
#include <QApplication>
#include <QTimer>
#include <spdlog/spdlog.h>

#include "app/app_options.h"
#include "app/main_window.h"
#include "app/screenshot.h"
#include "app/translations.h"
#include "services/engine_bridge.h"

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

    MainWindow window(makeDefaultLab(options.tap.isEmpty() ? LabMode::Demo : LabMode::Tap));
    // Every spdlog logger (engine modules and ours) also writes to the log dock.
    spdlog::default_logger()->sinks().push_back(window.bridge().logSink());
    spdlog::info("TCP Lab {} started ({})", TCPLAB_VERSION, language.toStdString());
    if (!options.scenario.isEmpty() && !window.loadScenario(options.scenario)) {
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
    window.bridge().lab().start();
    window.openFiles(options.files);
    return app.exec();
}

#include "app/screenshot.h"

#include <QApplication>
#include <QDockWidget>
#include <QImage>
#include <QPixmap>
#include <cstdio>

#include "app/main_window.h"
#include "services/engine_bridge.h"
#include "views/rule_editor.h"
#include "views/sequence_view.h"

namespace tcplab::gui {

int takeScreenshot(MainWindow &window, const QString &file, double runForSeconds, const QString &panel)
{
    if (!panel.isEmpty() && panel != QLatin1String("rules") && panel != QLatin1String("explanation")) {
        std::fprintf(stderr, "tcplab: unknown panel \"%s\" (known: rules, explanation)\n", qPrintable(panel));
        return 2;
    }
    window.bridge().lab().start();
    window.bridge().runFor(Duration(std::int64_t(runForSeconds * 1e9)));
    QApplication::processEvents();
    if (panel == QLatin1String("rules")) {
        if (auto *dock = window.findChild<QDockWidget *>(QStringLiteral("RulesDock"))) {
            dock->show();
            dock->raise();
        }
        if (auto *editor = window.findChild<RuleEditor *>()) {
            editor->refresh();
            editor->showPage(1);  // the selected rule's actions, each with its fields
        }
    }
    if (panel == QLatin1String("explanation")) {
        if (auto *dock = window.findChild<QDockWidget *>(QStringLiteral("ExplanationDock"))) {
            dock->show();
            dock->raise();
        }
    }
    window.showFirstSession();
    // Select the arrow with the most to show (a rule hit, else the first) so the inspector is filled.
    auto *view = window.sequenceView();
    view->setFollow(false);
    if (!view->jumpToNext(SequenceView::Jump::RuleHit)) view->selectArrow(0);
    view->scrollToContentY(0);
    for (int i = 0; i < 5; ++i) QApplication::processEvents();
    const QPixmap shot = window.grab();
    if (shot.isNull() || !shot.save(file, "PNG")) {
        std::fprintf(stderr, "tcplab: cannot write screenshot \"%s\"\n", qPrintable(file));
        return 1;
    }
    return 0;
}

}  // namespace tcplab::gui

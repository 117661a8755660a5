#include "app/screenshot.h"

#include <cstdio>

#include <QApplication>
#include <QDockWidget>
#include <QElapsedTimer>
#include <QImage>
#include <QPixmap>
#include <QScrollArea>

#include "app/main_window.h"
#include "services/engine_bridge.h"
#include "views/rule_editor.h"
#include "views/sequence_view.h"
#include "views/state_machine_view.h"

namespace tcplab::gui {

namespace {

int save(MainWindow &window, const QString &file)
{
    for (int i = 0; i < 5; ++i)
        QApplication::processEvents();
    const QPixmap shot = window.grab();
    if (shot.isNull() || !shot.save(file, "PNG")) {
        std::fprintf(stderr, "tcplab: cannot write screenshot \"%s\"\n", qPrintable(file));
        return 1;
    }
    return 0;
}

// Classroom: the lab paused and stepped to the server's SYN-ACK (the middle of a handshake, a
// lesson note current), the state machine and the explanation side by side; or presentation mode.
int classroomScreenshot(MainWindow &window, const QString &file, bool presentation)
{
    // Classroom: to the server's SYN-ACK (mid-handshake); presentation: through the handshake and
    // the request, so the diagram has something to present.
    for (int i = 0, steps = presentation ? 10 : 3; i < steps; ++i)
        window.classroomStep();
    window.showFirstSession();
    // Selecting the session cleared the inspector: show the stepped-to packet again.
    if (auto *view = window.sequenceView(); view->selectedArrow() != SequenceView::kNoArrow)
        view->selectArrow(view->selectedArrow());
    if (presentation) {
        // Presentation goes full screen; a screenshot keeps the size asked for.
        const QSize size = window.size();
        window.setPresentation(true);
        window.showNormal();
        window.resize(size);
    } else {
        auto *state = window.findChild<QDockWidget *>(QStringLiteral("StateMachineDock"));
        auto *explain = window.findChild<QDockWidget *>(QStringLiteral("ExplanationDock"));
        if (state && explain) {
            const QSize size = window.size();
            // Out of their tabs, one above the other.
            window.removeDockWidget(state);
            window.removeDockWidget(explain);
            window.addDockWidget(Qt::RightDockWidgetArea, state);
            window.splitDockWidget(state, explain, Qt::Vertical);
            state->show();
            explain->show();
            // A window under 900 px: the right column's other docks go behind the explanation's
            // tab, so the state machine and the explanation fit without the window growing past
            // the size asked for. Stacking them grew it for a moment: once the layout has its new
            // minimum, back to that size.
            if (size.height() < 900) {
                for (auto *d : window.findChildren<QDockWidget *>())
                    if (d != state && d != explain && !d->isFloating() &&
                        window.dockWidgetArea(d) == Qt::RightDockWidgetArea)
                        window.tabifyDockWidget(explain, d);
                explain->raise();
                QApplication::processEvents();
                window.resize(size);
                QApplication::processEvents();
            }
            window.resizeDocks({state, explain}, {560, 260}, Qt::Vertical);
            window.resizeDocks({state}, {560}, Qt::Horizontal);
        }
    }
    window.sequenceView()->scrollToContentY(0);
    // Let the state machine's transition animation finish: the still shows where it ended.
    QElapsedTimer waited;
    waited.start();
    while (window.stateView()->animating() && waited.elapsed() < 2000)
        QApplication::processEvents(QEventLoop::AllEvents, 50);
    return save(window, file);
}

} // namespace

int takeScreenshot(MainWindow &window, const QString &file, double runForSeconds, const QString &panel)
{
    const bool classroom = panel == QLatin1String("classroom") || panel == QLatin1String("presentation");
    if (!panel.isEmpty() && panel != QLatin1String("rules") && panel != QLatin1String("explanation") &&
        !classroom) {
        std::fprintf(stderr,
                     "tcplab: unknown panel \"%s\" (known: rules, explanation, classroom, presentation)\n",
                     qPrintable(panel));
        return 2;
    }
    if (classroom) return classroomScreenshot(window, file, panel == QLatin1String("presentation"));
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
            editor->showPage(1); // the selected rule's actions, each with its fields
            QApplication::processEvents();
            auto *scroll = qobject_cast<QScrollArea *>(
                editor->parentWidget() ? editor->parentWidget()->parentWidget() : nullptr);
            if (auto *field = editor->findChild<QWidget *>(QStringLiteral("replyWindow")); scroll && field)
                scroll->ensureWidgetVisible(field);
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
    for (int i = 0; i < 5; ++i)
        QApplication::processEvents();
    const QPixmap shot = window.grab();
    if (shot.isNull() || !shot.save(file, "PNG")) {
        std::fprintf(stderr, "tcplab: cannot write screenshot \"%s\"\n", qPrintable(file));
        return 1;
    }
    return 0;
}

} // namespace tcplab::gui

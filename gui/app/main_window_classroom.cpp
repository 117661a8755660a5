// Classroom mode: Step and Back through what the lab did (ClassroomTimeline), the state-machine
// dock following the selected session and the step controls, the lesson note in the explanation
// dock, packets drawn in flight in slow motion, and presentation mode.
#include <QAction>
#include <QDockWidget>
#include <QPixmap>
#include <QStatusBar>
#include <QTransform>

#include "app/main_window.h"
#include "app/main_window_actions.h"
#include "models/session_index.h"
#include "services/classroom_timeline.h"
#include "services/engine_bridge.h"
#include "views/explanation_panel.h"
#include "views/sequence_view.h"
#include "views/state_machine_view.h"

namespace tcplab::gui {

void MainWindow::buildClassroom()
{
    timeline_ = new ClassroomTimeline(this);
    // One engine poll per advance, in virtual time; the bridge's batch feeds the timeline.
    timeline_->setAdvance([this] {
        LabDriver &lab = bridge_->lab();
        const Instant before = lab.status().now;
        const auto frames = lab.packets().size();
        lab.step();
        bridge_->drain();
        return lab.status().running && (lab.status().now != before || lab.packets().size() != frames);
    });
    auto loadLesson = [this] {
        std::vector<std::string> hosts;
        for (const auto &h : bridge_->lab().scenarioHosts())
            hosts.push_back(h.name);
        timeline_->setLesson(bridge_->lab().lesson(), hosts);
    };
    loadLesson();
    connect(bridge_, &EngineBridge::batchIngested, this, [this] {
        timeline_->ingest(bridge_->packets(), bridge_->batchEvents());
        if (timeline_->live()) updateClassroom();
    });
    connect(bridge_, &EngineBridge::cleared, this, [this, loadLesson] {
        timeline_->clear();
        loadLesson();
        view_->clearMoment();
    });
    connect(bridge_, &EngineBridge::statusChanged, this,
            [this](const LabStatus &status) { view_->setNow(status.now); });
    connect(timeline_, &ClassroomTimeline::moved, this, &MainWindow::showMoment);

    stateView_ = new StateMachineView(this);
    auto *stateDock =
        dock(stateView_, tr("State machine"), QStringLiteral("StateMachineDock"), Qt::RightDockWidgetArea);
    if (auto *plots = findChild<QDockWidget *>(QStringLiteral("PlotsDock"))) {
        tabifyDockWidget(plots, stateDock);
        plots->raise();
    }

    auto &a = *actions_;
    // Step's icon, mirrored.
    const QPixmap stepIcon = QIcon(QStringLiteral(":/icons/step.svg")).pixmap(64, 64);
    backAction_ = new QAction(QIcon(stepIcon.transformed(QTransform().scale(-1, 1))), tr("Step &back"), this);
    backAction_->setShortcut(QKeySequence(Qt::SHIFT | Qt::Key_F10));
    backAction_->setToolTip(tr("Show the previous recorded moment (Shift+F10)"));
    connect(backAction_, &QAction::triggered, this, &MainWindow::classroomBack);
    stepByStateAction_ = new QAction(tr("Step by state &change"), this);
    stepByStateAction_->setCheckable(true);
    stepByStateAction_->setToolTip(
        tr("Step and Back move to the next or previous state change instead of the next packet event"));
    presentationAction_ = new QAction(tr("&Presentation mode"), this);
    presentationAction_->setCheckable(true);
    presentationAction_->setShortcuts({QKeySequence(Qt::Key_F11), QKeySequence(tr("Ctrl+Shift+P"))});
    connect(presentationAction_, &QAction::toggled, this, &MainWindow::setPresentation);
    presentationAction_->setObjectName(QStringLiteral("presentationAction"));
    // Esc also leaves presentation mode; off otherwise, so Esc keeps its usual meaning in the docks.
    leavePresentationAction_ = new QAction(tr("Leave presentation mode"), this);
    leavePresentationAction_->setObjectName(QStringLiteral("leavePresentationAction"));
    leavePresentationAction_->setShortcut(QKeySequence(Qt::Key_Escape));
    leavePresentationAction_->setShortcutContext(Qt::WindowShortcut);
    leavePresentationAction_->setEnabled(false);
    connect(leavePresentationAction_, &QAction::triggered, this, [this] { setPresentation(false); });
    addAction(leavePresentationAction_);
    // Running again leaves the recorded past: the views follow the lab.
    connect(a.pause, &QAction::toggled, this, [this](bool paused) {
        if (!paused) timeline_->goLive();
    });
}

void MainWindow::classroomStep()
{
    if (!actions_->pause->isChecked()) actions_->pause->trigger();
    const auto unit = stepByStateAction_->isChecked() ? ClassroomTimeline::Unit::StateChange
                                                      : ClassroomTimeline::Unit::Packet;
    if (!timeline_->stepForward(unit))
        statusBar()->showMessage(tr("Nothing further happens in this lab"), 4000);
}

void MainWindow::classroomBack()
{
    if (!actions_->pause->isChecked()) actions_->pause->trigger();
    const auto unit = stepByStateAction_->isChecked() ? ClassroomTimeline::Unit::StateChange
                                                      : ClassroomTimeline::Unit::Packet;
    if (!timeline_->stepBack(unit)) statusBar()->showMessage(tr("This is the first recorded moment"), 4000);
}

void MainWindow::showMoment()
{
    const TimelineItem *item = timeline_->current();
    if (!item) {
        view_->clearMoment();
        updateClassroom();
        return;
    }
    if (item->session != kNoSession && item->session != view_->session() &&
        bridge_->sessions().find(item->session))
        view_->setSession(item->session);
    // The diagram as it was: the last frame recorded at or before this item.
    std::uint64_t limit = 0;
    for (std::size_t i = *timeline_->cursor() + 1; i-- > 0;) {
        const TimelineItem &it = timeline_->items()[i];
        if (it.kind == TimelineItem::Kind::Packet) {
            limit = it.storeIndex;
            break;
        }
    }
    view_->setMoment(limit, item->time);
    if (item->kind == TimelineItem::Kind::Packet) view_->selectStoreIndex(item->storeIndex);
    updateClassroom();
}

void MainWindow::updateClassroom()
{
    const SessionData *s = bridge_->sessions().find(view_->session());
    const auto cursor = timeline_->cursor();
    QString client, server;
    if (s && !cursor) {
        if (s->leftState != "?") client = QString::fromStdString(s->leftState);
        if (s->rightState != "?") server = QString::fromStdString(s->rightState);
    } else if (s) {
        // The other end's host: whoever else sent or received a frame of this session.
        HostId right = kNoHost;
        for (const auto &it : timeline_->items())
            if (it.session == s->id && it.host != s->leftHost) {
                right = it.host;
                break;
            }
        client = QString::fromStdString(timeline_->stateAt(s->id, s->leftHost, cursor).first);
        if (right != kNoHost) server = QString::fromStdString(timeline_->stateAt(s->id, right, cursor).first);
    }
    stateView_->setState(StateMachineView::End::Client, client);
    stateView_->setState(StateMachineView::End::Server, server);
    if (s)
        stateView_->setEndNames(tr("Client %1").arg(QString::fromStdString(s->left.toString())),
                                tr("Server %1").arg(QString::fromStdString(s->right.toString())));
    const int note = timeline_->currentNote();
    const auto &lesson = timeline_->lesson();
    if (note < 0 || std::size_t(note) >= lesson.size()) {
        explanation_->setLessonNote({}, 0, 0);
        return;
    }
    // The UI language: "ja" in the Japanese translation.
    const bool japanese = tr("en", "the UI language code") == QLatin1String("ja");
    const LocalizedText &text = lesson[std::size_t(note)].text;
    const std::string &words = japanese && !text.ja.empty() ? text.ja : text.en;
    explanation_->setLessonNote(QString::fromStdString(words), note + 1, int(lesson.size()));
}

void MainWindow::setPresentation(bool on)
{
    if (on == presentation_) return;
    presentation_ = on;
    if (presentationAction_->isChecked() != on) presentationAction_->setChecked(on);
    leavePresentationAction_->setEnabled(on);
    if (on) {
        // Everything presentation changes, to put back exactly on leaving.
        presentationWindowState_ = windowState();
        presentationGeometry_ = saveGeometry();
        presentationState_ = saveState();
        presentationRowHeight_ = view_->rowHeight();
        // Only the diagram and the state machine, in large type and high contrast.
        for (auto *d : findChildren<QDockWidget *>())
            d->setVisible(d->objectName() == QLatin1String("StateMachineDock"));
        if (auto *d = findChild<QDockWidget *>(QStringLiteral("StateMachineDock"))) {
            d->setFloating(false);
            d->raise();
            resizeDocks({d}, {int(width() * 0.42)}, Qt::Horizontal);
        }
        QFont big = font();
        big.setPointSizeF(font().pointSizeF() * 1.6);
        big.setBold(true);
        const bool dark = palette().color(QPalette::Window).lightness() < 128;
        QPalette contrast = palette();
        const QColor bg = dark ? Qt::black : Qt::white, fg = dark ? Qt::white : Qt::black;
        for (auto role : {QPalette::Base, QPalette::Window, QPalette::AlternateBase})
            contrast.setColor(role, bg);
        for (auto role : {QPalette::Text, QPalette::WindowText, QPalette::Mid})
            contrast.setColor(role, fg);
        for (QWidget *w : {static_cast<QWidget *>(view_), static_cast<QWidget *>(stateView_)}) {
            w->setFont(big);
            w->setPalette(contrast);
        }
        view_->setPresentation(true);
        stateView_->setPresentation(true);
        view_->setRowHeight(presentationRowHeight_ * 1.6);
        showFullScreen();
        statusBar()->showMessage(
            tr("Presentation mode: F11, Ctrl+Shift+P or Esc returns to the normal layout"), 6000);
    } else {
        for (QWidget *w : {static_cast<QWidget *>(view_), static_cast<QWidget *>(stateView_)}) {
            w->setFont(QFont());
            w->setPalette(QPalette());
        }
        view_->setPresentation(false);
        stateView_->setPresentation(false);
        view_->setRowHeight(presentationRowHeight_);
        // Out of full screen first (to the state it had: normal, maximized), then its geometry, then
        // the docks, whose sizes restoreState() fits to the window as it is now.
        setWindowState(presentationWindowState_ & ~Qt::WindowFullScreen);
        restoreGeometry(presentationGeometry_);
        if (presentationWindowState_ & Qt::WindowFullScreen) showFullScreen();
        restoreState(presentationState_);
    }
}

} // namespace tcplab::gui

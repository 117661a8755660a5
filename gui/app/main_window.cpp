#include "app/main_window.h"

#include <QCloseEvent>
#include <QComboBox>
#include <QDockWidget>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QMimeData>
#include <QPushButton>
#include <QScrollArea>
#include <QSettings>
#include <QSpinBox>
#include <QStatusBar>
#include <QTableView>
#include <QVBoxLayout>

#include "app/main_window_actions.h"
#include "capture/packet_store.h"
#include "models/log_model.h"
#include "models/session_list_model.h"
#include "plots/tcp_plots.h"
#include "services/engine_bridge.h"
#include "services/rule_from_packet.h"
#include "views/explanation_panel.h"
#include "views/packet_inspector.h"
#include "views/rule_editor.h"
#include "views/sequence_view.h"
#include "views/setup_panel.h"

namespace tcplab::gui {

MainWindow::MainWindow(std::unique_ptr<LabDriver> lab, QWidget *parent)
    : QMainWindow(parent), bridge_(new EngineBridge(std::move(lab), this)), view_(new SequenceView(this)),
      sessionModel_(new SessionListModel(bridge_->sessions(), this)), sessionFilter_(new SessionFilterModel(this)),
      logModel_(new LogModel(10000, this)), inspector_(new PacketInspector(this)), plots_(new TcpPlots(this)),
      actions_(std::make_unique<MainWindowActions>())
{
    setObjectName(QStringLiteral("MainWindow"));
    setWindowTitle(tr("TCP Lab"));
    setWindowIcon(QIcon(QStringLiteral(":/icons/tcplab.svg")));
    setAcceptDrops(true);
    setDockOptions(AnimatedDocks | AllowTabbedDocks | AllowNestedDocks);
    setCentralWidget(view_);
    view_->setSource(&bridge_->packets(), &bridge_->sessions());
    inspector_->setStore(&bridge_->packets());
    plots_->setSource(&bridge_->packets(), &bridge_->sessions());
    buildActions();
    buildDocks();
    buildClassroom();
    buildMenus();
    buildToolBar();
    buildStatusBar();
    wire();
    updateModeUi();
}

MainWindow::~MainWindow() = default;

QDockWidget *MainWindow::dock(QWidget *w, const QString &title, const QString &objectName, Qt::DockWidgetArea area)
{
    auto *d = new QDockWidget(title, this);
    d->setObjectName(objectName);  // saveState() keys on it
    d->setWidget(w);
    addDockWidget(area, d);
    return d;
}

QDockWidget *MainWindow::addPanel(QWidget *panel, const QString &title, const QString &objectName, Qt::DockWidgetArea area)
{
    auto *d = dock(panel, title, objectName, area);
    if (panelsMenu_) panelsMenu_->addAction(d->toggleViewAction());
    return d;
}

void MainWindow::buildDocks()
{
    auto *sessions = new QWidget(this);
    auto *sl = new QVBoxLayout(sessions);
    sl->setContentsMargins(2, 2, 2, 2);
    sessionFilterEdit_ = new QLineEdit(sessions);
    sessionFilterEdit_->setPlaceholderText(tr("Filter sessions (address, port, state)"));
    sessionFilterEdit_->setClearButtonEnabled(true);
    sessionFilter_->setSourceModel(sessionModel_);
    sessionTable_ = new QTableView(sessions);
    sessionTable_->setModel(sessionFilter_);
    sessionTable_->setSortingEnabled(true);
    sessionTable_->sortByColumn(SessionListModel::Id, Qt::AscendingOrder);
    sessionTable_->setSelectionBehavior(QAbstractItemView::SelectRows);
    sessionTable_->setSelectionMode(QAbstractItemView::SingleSelection);
    sessionTable_->verticalHeader()->hide();
    sessionTable_->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    sessionTable_->horizontalHeader()->setStretchLastSection(true);
    sl->addWidget(sessionFilterEdit_);
    sl->addWidget(sessionTable_);
    auto *sessionsDock = dock(sessions, tr("Sessions"), QStringLiteral("SessionsDock"), Qt::LeftDockWidgetArea);
    auto *wireDock = dock(buildWirePanel(), tr("Demo network"), QStringLiteral("DemoNetworkDock"), Qt::LeftDockWidgetArea);
    auto *inspectorDock = dock(inspector_, tr("Packet inspector"), QStringLiteral("InspectorDock"), Qt::RightDockWidgetArea);
    auto *plotsDock = dock(plots_, tr("Plots"), QStringLiteral("PlotsDock"), Qt::RightDockWidgetArea);
    auto *logView = new QTableView(this);
    logView->setModel(logModel_);
    logView->verticalHeader()->hide();
    logView->horizontalHeader()->setStretchLastSection(true);
    logView->setSelectionBehavior(QAbstractItemView::SelectRows);
    logView->setWordWrap(false);
    connect(logModel_, &QAbstractItemModel::rowsInserted, logView, [logView] { logView->scrollToBottom(); });
    auto *logDock = dock(logView, tr("Log"), QStringLiteral("LogDock"), Qt::LeftDockWidgetArea);
    splitDockWidget(sessionsDock, wireDock, Qt::Vertical);
    splitDockWidget(wireDock, logDock, Qt::Vertical);
    splitDockWidget(inspectorDock, plotsDock, Qt::Vertical);
    resizeDocks({sessionsDock, inspectorDock}, {360, 440}, Qt::Horizontal);
    resizeDocks({inspectorDock, plotsDock}, {470, 330}, Qt::Vertical);
    resizeDocks({sessionsDock, wireDock, logDock}, {260, 170, 260}, Qt::Vertical);
    // The tap set-up (helper/) is tall and used rarely: a tab behind the plots.
    // In a scroll area, so the panel's height does not squeeze the docks it shares the column with.
    auto *setupScroll = new QScrollArea(this);
    auto *setupPanel = new SetupPanel(setupScroll);
    setupScroll->setWidget(setupPanel);
    connectSetupPanel(setupPanel);
    setupScroll->setWidgetResizable(true);
    setupScroll->setFrameShape(QFrame::NoFrame);
    auto *setupDock = dock(setupScroll, tr("Tap setup"), QStringLiteral("SetupDock"), Qt::RightDockWidgetArea);
    tabifyDockWidget(plotsDock, setupDock);
    // Scrolled too: the editor's form is wide, and the diagram in the centre needs the width more.
    auto *rulesScroll = new QScrollArea(this);
    ruleEditor_ = new RuleEditor(&bridge_->lab(), rulesScroll);
    rulesScroll->setWidget(ruleEditor_);
    rulesScroll->setWidgetResizable(true);
    rulesScroll->setFrameShape(QFrame::NoFrame);
    auto *rulesDock = dock(rulesScroll, tr("Rules"), QStringLiteral("RulesDock"), Qt::RightDockWidgetArea);
    tabifyDockWidget(plotsDock, rulesDock);
    explanation_ = new ExplanationPanel(this);
    explanation_->setStore(&bridge_->packets());
    auto *explainDock = dock(explanation_, tr("Explanation"), QStringLiteral("ExplanationDock"), Qt::RightDockWidgetArea);
    tabifyDockWidget(plotsDock, explainDock);
    plotsDock->raise();
    resizeDocks({sessionsDock, inspectorDock}, {360, 440}, Qt::Horizontal);
}

QWidget *MainWindow::buildWirePanel()
{
    auto *w = new QWidget(this);
    auto *form = new QFormLayout(w);
    scenarioCombo_ = new QComboBox(w);
    for (const auto &name : bridge_->lab().scenarioNames()) scenarioCombo_->addItem(QString::fromStdString(name));
    scenarioCombo_->setCurrentText(QString::fromStdString(bridge_->lab().scenarioName()));
    latencySpin_ = new QSpinBox(w);
    latencySpin_->setRange(0, 5000);
    latencySpin_->setSuffix(tr(" ms"));
    latencySpin_->setValue(10);
    lossSpin_ = new QDoubleSpinBox(w);
    lossSpin_->setRange(0, 100);
    lossSpin_->setSuffix(tr(" %"));
    bandwidthSpin_ = new QSpinBox(w);
    bandwidthSpin_->setRange(1, 100000);
    bandwidthSpin_->setSuffix(tr(" Mbit/s"));
    bandwidthSpin_->setValue(100);
    auto *run = new QPushButton(tr("Run"), w);
    form->addRow(tr("Scenario"), scenarioCombo_);
    form->addRow(tr("Latency"), latencySpin_);
    form->addRow(tr("Loss"), lossSpin_);
    form->addRow(tr("Bandwidth"), bandwidthSpin_);
    form->addRow(run);
    auto apply = [this] {
        WireSettings s;
        s.latencyNs = std::int64_t(latencySpin_->value()) * 1'000'000;
        s.lossPercent = lossSpin_->value();
        s.bandwidthBitsPerSecond = std::uint64_t(bandwidthSpin_->value()) * 1'000'000;
        bridge_->lab().setWire(s);
    };
    connect(latencySpin_, &QSpinBox::valueChanged, this, apply);
    connect(lossSpin_, &QDoubleSpinBox::valueChanged, this, apply);
    connect(bandwidthSpin_, &QSpinBox::valueChanged, this, apply);
    connect(run, &QPushButton::clicked, this, [this] {
        loadScenario(scenarioCombo_->currentText());
        bridge_->restart();
    });
    return w;
}

void MainWindow::buildStatusBar()
{
    linkLabel_ = new QLabel(this);
    countersLabel_ = new QLabel(this);
    timeLabel_ = new QLabel(this);
    captureLabel_ = new QLabel(this);
    captureLabel_->setObjectName(QStringLiteral("captureMemory"));
    captureLabel_->setToolTip(tr("Memory the lab's capture holds, of its bound (for a tap: Capture memory in "
                                 "Lab > Lab mode > Tap device…). Past the bound, frames go to a temporary "
                                 "file, with a warning in the log."));
    statusBar()->addWidget(linkLabel_);
    statusBar()->addPermanentWidget(captureLabel_);
    statusBar()->addPermanentWidget(countersLabel_);
    statusBar()->addPermanentWidget(timeLabel_);
}

void MainWindow::wire()
{
    connect(bridge_, &EngineBridge::batchIngested, this, [this](const IngestResult &r) {
        sessionModel_->onBatch(r);
        onBatch();
        explanation_->refresh(); // a label may have reached the packet it explains
    });
    connect(bridge_, &EngineBridge::cleared, this, [this] {
        sessionModel_->reset();
        view_->setSource(&bridge_->packets(), &bridge_->sessions());
        view_->setSession(kNoSession);
        inspector_->setStore(&bridge_->packets());
        explanation_->setStore(&bridge_->packets());
        plots_->setSource(&bridge_->packets(), &bridge_->sessions());
        plots_->setSession(kNoSession);
        logModel_->clear();
    });
    connect(bridge_, &EngineBridge::logLines, logModel_, &LogModel::appendLines);
    connect(bridge_, &EngineBridge::eventsArrived, logModel_, &LogModel::appendEvents);
    connect(bridge_, &EngineBridge::statusChanged, this, &MainWindow::onStatus);
    connect(sessionTable_->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            [this](const QModelIndex &current) { onSessionActivated(current); });
    connect(sessionFilterEdit_, &QLineEdit::textChanged, sessionFilter_,
            [this](const QString &text) { sessionFilter_->setFilterRegularExpression(QRegularExpression(QRegularExpression::escape(text), QRegularExpression::CaseInsensitiveOption)); });
    connect(view_, &SequenceView::arrowSelected, this, &MainWindow::onArrowSelected);
    connect(view_, &SequenceView::visibleTimeRangeChanged, plots_, &TcpPlots::showTimeRange);
    connect(view_, &SequenceView::makeRuleRequested, this, [this](quint64 index, bool bareAck) {
        auto rule = ruleFromPacket(bridge_->packets(), index, bareAck ? PacketRuleKind::BareAckReply : PacketRuleKind::Drop,
                                   bridge_->lab().scenarioHosts());
        if (!rule) return;
        ruleEditor_->addRule(std::move(*rule));
        if (auto *d = findChild<QDockWidget *>(QStringLiteral("RulesDock"))) {
            d->show();
            d->raise();
        }
    });
    connect(plots_, &TcpPlots::timeClicked, view_, &SequenceView::selectTime);
}

void MainWindow::onBatch()
{
    // The first session shows up by itself; later ones wait for the user's choice.
    if (view_->session() == kNoSession && !bridge_->sessions().sessions().empty()) showFirstSession();
    view_->onBatch();
    plots_->onBatch();
}

void MainWindow::showFirstSession()
{
    if (bridge_->sessions().sessions().empty()) return;
    const QModelIndex first = sessionFilter_->index(0, 0);
    if (first.isValid() && !sessionTable_->selectionModel()->hasSelection())
        sessionTable_->selectionModel()->setCurrentIndex(first, QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
    else
        onSessionActivated(first);
}

void MainWindow::onSessionActivated(const QModelIndex &index)
{
    if (!index.isValid()) return;
    const auto id = SessionId(index.data(SessionListModel::SessionIdRole).toULongLong());
    view_->setSession(id);
    plots_->setSession(id);
    inspector_->clear();
}

void MainWindow::onArrowSelected(SessionId session, std::size_t, quint64 storeIndex)
{
    inspector_->showPacket(storeIndex);
    explanation_->showPacket(storeIndex);
    const auto *s = bridge_->sessions().find(session);
    if (!s) return;
    const double t = double(nanosOf(bridge_->packets().packet(storeIndex).time - s->start)) / 1e9;
    plots_->markTime(t);
}

void MainWindow::onStatus(const LabStatus &status)
{
    linkLabel_->setText(status.running ? (status.paused ? tr("%1 · paused").arg(QString::fromStdString(status.linkState))
                                                        : QString::fromStdString(status.linkState))
                                       : tr("Lab stopped"));
    countersLabel_->setText(tr("sent %1 · received %2 · dropped %3 · sessions %4")
                                .arg(status.framesSent)
                                .arg(status.framesReceived)
                                .arg(status.framesDropped)
                                .arg(bridge_->sessions().sessions().size()));
    const PacketStore &store = bridge_->packets();
    const auto mib = [](std::uint64_t bytes) { return QString::number(bytes >> 20); };
    captureLabel_->setText(
        store.spilledBytes()
            ? tr("capture %1 MiB + %2 MiB in %3")
                  .arg(mib(store.memoryBytes()), mib(store.spilledBytes()),
                       QString::fromStdString(store.config().spillDirectory))
            : tr("capture %1 of %2 MiB").arg(mib(store.memoryBytes()), mib(store.config().memoryLimit)));
    timeLabel_->setText(tr("lab time %1 s · speed %2×").arg(double(nanosOf(status.now)) / 1e9, 0, 'f', 3).arg(status.speed));
}

bool MainWindow::loadScenario(const QString &nameOrPath)
{
    // Through the rule editor: it asks before unsaved rule changes are lost and keeps the document.
    if (!ruleEditor_->openScenario(nameOrPath)) {
        statusBar()->showMessage(ruleEditor_->lastError(), 8000);
        return false;
    }
    const int i = scenarioCombo_->findText(nameOrPath);
    if (i >= 0) scenarioCombo_->setCurrentIndex(i);
    return true;
}

void MainWindow::openFiles(const QStringList &paths)
{
    for (const auto &path : paths) {
        if (path.endsWith(QLatin1String(".pcap")) || path.endsWith(QLatin1String(".pcapng"))) {
            std::string error;
            if (bridge_->lab().openCapture(path.toStdString(), &error)) {
                bridge_->drain();
                statusBar()->showMessage(tr("Opened %1").arg(path), 6000);
            } else {
                statusBar()->showMessage(tr("Cannot open %1: %2").arg(path, QString::fromStdString(error)), 10000);
            }
        } else if (loadScenario(path)) {
            bridge_->restart();
        }
    }
}

void MainWindow::dragEnterEvent(QDragEnterEvent *event)
{
    if (event->mimeData()->hasUrls()) event->acceptProposedAction();
}

void MainWindow::dropEvent(QDropEvent *event)
{
    QStringList paths;
    for (const auto &url : event->mimeData()->urls())
        if (url.isLocalFile()) paths << url.toLocalFile();
    openFiles(paths);
    event->acceptProposedAction();
}

void MainWindow::restoreSettings()
{
    QSettings s;
    restoreGeometry(s.value(QStringLiteral("window/geometry")).toByteArray());
    restoreState(s.value(QStringLiteral("window/state")).toByteArray());
    view_->setRowHeight(s.value(QStringLiteral("diagram/rowHeight"), 30.0).toDouble());
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    if (!ruleEditor_->maybeSave()) {
        event->ignore();
        return;
    }
    QSettings s;
    s.setValue(QStringLiteral("window/geometry"), saveGeometry());
    s.setValue(QStringLiteral("window/state"), saveState());
    s.setValue(QStringLiteral("diagram/rowHeight"), view_->rowHeight());
    QMainWindow::closeEvent(event);
}

}  // namespace tcplab::gui

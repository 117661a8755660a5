// Menus, toolbar, shortcuts and what their actions do.
#include <QActionGroup>
#include <QApplication>
#include <QComboBox>
#include <QDockWidget>
#include <QDir>
#include <QFileDialog>
#include <QMenuBar>
#include <QMessageBox>
#include <QPainter>
#include <QProcess>
#include <QScrollBar>
#include <QSettings>
#include <QStandardPaths>
#include <QStatusBar>
#include <QSvgGenerator>
#include <QToolBar>

#include "app/main_window.h"
#include "app/main_window_actions.h"
#include "app/scenario_actions.h"
#include "app/translations.h"
#include "capture/capture_export.h"
#include "services/engine_bridge.h"
#include "services/lab_switch.h"
#include "views/sequence_view.h"

namespace tcplab::gui {

void MainWindow::buildActions()
{
    auto &a = *actions_;
    auto make = [this](const QString &text, const QString &icon, const QKeySequence &key, auto slot) {
        auto *act = new QAction(QIcon(icon), text, this);
        if (!key.isEmpty()) act->setShortcut(key);
        connect(act, &QAction::triggered, this, slot);
        return act;
    };
    a.openCapture = make(tr("Open &capture…"), QStringLiteral(":/icons/open.svg"), QKeySequence::Open, [this] { openCaptureDialog(); });
    a.openScenario = make(tr("Open &scenario…"), QStringLiteral(":/icons/scenario.svg"), QKeySequence(tr("Ctrl+Shift+O")), [this] { openScenarioDialog(); });
    a.exportAll = make(tr("Export all sessions as pcapng…"), QStringLiteral(":/icons/export.svg"), QKeySequence(tr("Ctrl+E")), [this] { exportPcapng(false); });
    a.exportSelected = make(tr("Export selected session as pcapng…"), {}, QKeySequence(tr("Ctrl+Shift+E")), [this] { exportPcapng(true); });
    a.exportPng = make(tr("Export diagram as PNG…"), {}, {}, [this] { exportDiagram(false); });
    a.exportSvg = make(tr("Export diagram as SVG…"), {}, {}, [this] { exportDiagram(true); });
    a.wireshark = make(tr("Open in &Wireshark"), QStringLiteral(":/icons/wireshark.svg"), QKeySequence(tr("Ctrl+W")), [this] { openInWireshark(); });
    a.wireshark->setEnabled(!QStandardPaths::findExecutable(QStringLiteral("wireshark")).isEmpty());
    if (!a.wireshark->isEnabled()) a.wireshark->setToolTip(tr("Wireshark is not installed"));
    a.quit = make(tr("&Quit"), {}, QKeySequence::Quit, [this] { close(); });

    a.modeGroup = new QActionGroup(this);
    a.modeDemo = make(tr("&Demo network"), {}, {}, [this] { useDemo(); });
    a.modeTap = make(tr("&Tap device…"), {}, {}, [this] { chooseTap(); });
    for (auto *m : {a.modeDemo, a.modeTap}) {
        m->setCheckable(true);
        a.modeGroup->addAction(m);
    }
    a.modeDemo->setChecked(true);
    a.startStop = make(tr("&Start"), QStringLiteral(":/icons/start.svg"), QKeySequence(Qt::Key_F5), [this] { startStop(); });
    a.pause = make(tr("&Pause"), QStringLiteral(":/icons/pause.svg"), QKeySequence(tr("Ctrl+Space")), [this](bool on) { bridge_->lab().setPaused(on); });
    a.pause->setCheckable(true);
    a.step = make(tr("S&tep"), QStringLiteral(":/icons/step.svg"), QKeySequence(Qt::Key_F10), [this] { classroomStep(); });
    a.restart = make(tr("&Restart"), QStringLiteral(":/icons/restart.svg"), QKeySequence(tr("Ctrl+R")), [this] { bridge_->restart(); });

    a.zoomIn = make(tr("Zoom &in"), {}, QKeySequence::ZoomIn, [this] { view_->zoomIn(); });
    a.zoomOut = make(tr("Zoom &out"), {}, QKeySequence::ZoomOut, [this] { view_->zoomOut(); });
    a.relativeTime = make(tr("Relative &time"), {}, QKeySequence(tr("Ctrl+T")), [this](bool on) { view_->setRelativeTime(on); });
    a.relativeSeq = make(tr("Relative se&quence numbers"), {}, QKeySequence(tr("Ctrl+Shift+Q")), [this](bool on) { view_->setRelativeSeq(on); });
    a.follow = make(tr("&Follow live traffic"), {}, QKeySequence(tr("Ctrl+L")), [this](bool on) { view_->setFollow(on); });
    for (auto *t : {a.relativeTime, a.relativeSeq, a.follow}) {
        t->setCheckable(true);
        t->setChecked(true);
    }
    auto jump = [this](SequenceView::Jump what, const QString &none) {
        if (!view_->jumpToNext(what)) statusBar()->showMessage(none, 4000);
    };
    a.nextRetrans = make(tr("Next &retransmission"), {}, QKeySequence(Qt::Key_F7),
                         [this, jump] { jump(SequenceView::Jump::Retransmission, tr("No further retransmission")); });
    a.nextReset = make(tr("Next R&ST"), {}, QKeySequence(Qt::Key_F8), [this, jump] { jump(SequenceView::Jump::Reset, tr("No further RST")); });
    a.nextRule = make(tr("Next rule &hit"), {}, QKeySequence(Qt::Key_F9), [this, jump] { jump(SequenceView::Jump::RuleHit, tr("No further rule hit")); });

    a.langGroup = new QActionGroup(this);
    a.langSystem = make(tr("System language"), {}, {}, [this] { setLanguage(QStringLiteral("system")); });
    a.langEn = make(QStringLiteral("English"), {}, {}, [this] { setLanguage(QStringLiteral("en")); });
    a.langJa = make(QStringLiteral("日本語"), {}, {}, [this] { setLanguage(QStringLiteral("ja")); });
    const QString saved = savedLanguageSetting();
    for (auto *l : {a.langSystem, a.langEn, a.langJa}) {
        l->setCheckable(true);
        a.langGroup->addAction(l);
    }
    (saved == QLatin1String("ja") ? a.langJa : saved == QLatin1String("en") ? a.langEn : a.langSystem)->setChecked(true);
    a.resetLayout = make(tr("Reset &layout"), {}, {}, [this] {
        QSettings().remove(QStringLiteral("window"));
        statusBar()->showMessage(tr("The default layout returns at the next start"), 6000);
    });
    a.about = make(tr("&About TCP Lab"), {}, {}, [this] { about(); });
}

void MainWindow::buildMenus()
{
    auto &a = *actions_;
    QMenu *file = menuBar()->addMenu(tr("&File"));
    file->addActions({a.openCapture, a.openScenario});
    installScenarioActions(*this, file);
    file->addSeparator();
    file->addActions({a.exportAll, a.exportSelected, a.exportPng, a.exportSvg});
    file->addSeparator();
    file->addActions({a.wireshark});
    file->addSeparator();
    file->addAction(a.quit);
    QMenu *lab = menuBar()->addMenu(tr("&Lab"));
    QMenu *mode = lab->addMenu(tr("Lab &mode"));
    mode->addActions({a.modeDemo, a.modeTap});
    lab->addActions({a.startStop, a.pause, backAction_, a.step, a.restart});
    lab->addAction(stepByStateAction_);
    QMenu *speed = lab->addMenu(tr("S&peed"));
    for (double f : {1.0, 0.5, 0.25, 0.1, 0.01}) {
        auto *act = speed->addAction(tr("%1×").arg(f), this, [this, f] { setSpeed(f); });
        Q_UNUSED(act);
    }
    QMenu *view = menuBar()->addMenu(tr("&View"));
    view->addActions({a.zoomIn, a.zoomOut});
    view->addAction(presentationAction_);
    view->addSeparator();
    view->addActions({a.relativeTime, a.relativeSeq, a.follow});
    view->addSeparator();
    view->addActions({a.nextRetrans, a.nextReset, a.nextRule});
    view->addSeparator();
    panelsMenu_ = view->addMenu(tr("&Panels"));
    for (auto *d : findChildren<QDockWidget *>()) panelsMenu_->addAction(d->toggleViewAction());
    QMenu *language = view->addMenu(tr("&Language"));
    language->addActions({a.langSystem, a.langEn, a.langJa});
    view->addAction(a.resetLayout);
    QMenu *help = menuBar()->addMenu(tr("&Help"));
    help->addAction(a.about);
}

void MainWindow::buildToolBar()
{
    auto &a = *actions_;
    QToolBar *bar = addToolBar(tr("Lab"));
    bar->setObjectName(QStringLiteral("LabToolBar"));
    bar->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    modeCombo_ = new QComboBox(bar);
    modeCombo_->addItem(tr("Demo network"));
    modeCombo_->addItem(tr("Tap device"));
    connect(modeCombo_, &QComboBox::activated, this, [this](int i) {
        (i == 0 ? actions_->modeDemo : actions_->modeTap)->trigger();
        updateModeUi();
    });
    bar->addWidget(modeCombo_);
    bar->addActions({a.startStop, a.pause, backAction_, a.step, a.restart});
    speedCombo_ = new QComboBox(bar);
    for (double f : {1.0, 0.5, 0.25, 0.1, 0.01}) speedCombo_->addItem(tr("%1×").arg(f), f);
    speedCombo_->setToolTip(tr("Speed of the demo network (virtual time)"));
    connect(speedCombo_, &QComboBox::activated, this, [this](int i) { setSpeed(speedCombo_->itemData(i).toDouble()); });
    bar->addWidget(speedCombo_);
    bar->addSeparator();
    bar->addActions({a.openCapture, a.openScenario, a.exportAll, a.wireshark});
}

void MainWindow::startStop()
{
    const bool running = bridge_->lab().status().running;
    if (running) bridge_->lab().stop();
    else bridge_->restart();
    if (LabSwitch *labs = labSwitch(); !running && labs && labs->mode() == LabMode::Tap && !labs->tapLab().lastError().empty())
        showTapError(QString::fromStdString(labs->tapLab().settings().tap), QString::fromStdString(labs->tapLab().lastError()));
    actions_->startStop->setText(running ? tr("&Start") : tr("S&top"));
}

void MainWindow::setSpeed(double factor)
{
    bridge_->lab().setSpeed(factor);
    const int i = speedCombo_->findData(factor);
    if (i >= 0) speedCombo_->setCurrentIndex(i);
}

void MainWindow::openCaptureDialog()
{
    const QString path = QFileDialog::getOpenFileName(this, tr("Open capture"), {}, tr("Captures (*.pcapng *.pcap)"));
    if (!path.isEmpty()) openFiles({path});
}

void MainWindow::openScenarioDialog()
{
    const QString path = QFileDialog::getOpenFileName(this, tr("Open scenario"), {}, tr("Scenarios (*.toml);;All files (*)"));
    if (!path.isEmpty()) openFiles({path});
}

bool MainWindow::writePcapng(const QString &path, bool selectedOnly)
{
    ExportOptions options;
    if (selectedOnly) {
        if (view_->session() == kNoSession) {
            statusBar()->showMessage(tr("Select a session first"), 6000);
            return false;
        }
        options.sessions.push_back(view_->session());
    }
    auto written = exportCapture(bridge_->packets(), path.toStdString(), options);
    if (!written) {
        statusBar()->showMessage(tr("Cannot export: %1").arg(QString::fromStdString(written.error().message)), 10000);
        return false;
    }
    statusBar()->showMessage(tr("%1 packets written to %2").arg(written.value().packets).arg(path), 6000);
    return true;
}

void MainWindow::exportPcapng(bool selectedOnly)
{
    const QString path = QFileDialog::getSaveFileName(this, tr("Export pcapng"), {}, tr("pcapng captures (*.pcapng)"));
    if (!path.isEmpty()) writePcapng(path, selectedOnly);
}

void MainWindow::exportDiagram(bool svg)
{
    const QString path = QFileDialog::getSaveFileName(this, svg ? tr("Export diagram as SVG") : tr("Export diagram as PNG"), {},
                                                      svg ? tr("SVG images (*.svg)") : tr("PNG images (*.png)"));
    if (path.isEmpty()) return;
    const QSize size = view_->viewport()->size();
    const double scrollY = view_->verticalScrollBar()->value();
    bool ok = true;
    if (svg) {
        QSvgGenerator gen;
        gen.setFileName(path);
        gen.setSize(size);
        gen.setViewBox(QRect(QPoint(0, 0), size));
        gen.setTitle(tr("TCP Lab sequence diagram"));
        QPainter p(&gen);
        view_->paintDiagram(p, QRectF(QPointF(0, 0), size), scrollY);
    } else {
        const qreal dpr = devicePixelRatioF();
        QImage image(size * dpr, QImage::Format_ARGB32_Premultiplied);
        image.setDevicePixelRatio(dpr);
        QPainter p(&image);
        view_->paintDiagram(p, QRectF(QPointF(0, 0), size), scrollY);
        p.end();
        ok = image.save(path, "PNG");
    }
    statusBar()->showMessage(ok ? tr("Diagram written to %1").arg(path) : tr("Cannot write %1").arg(path), 6000);
}

void MainWindow::openInWireshark()
{
    const QString wireshark = QStandardPaths::findExecutable(QStringLiteral("wireshark"));
    if (wireshark.isEmpty()) return;
    // The file must outlive this call: Wireshark reads it after we return.
    const QString path = QDir::temp().filePath(QStringLiteral("tcplab-%1.pcapng").arg(QCoreApplication::applicationPid()));
    if (writePcapng(path, view_->session() != kNoSession)) QProcess::startDetached(wireshark, {path});
}

void MainWindow::setLanguage(const QString &code)
{
    saveLanguageSetting(code);
    statusBar()->showMessage(tr("The language changes at the next start"), 6000);
}

void MainWindow::about()
{
    QMessageBox::about(this, tr("About TCP Lab"),
                       tr("<h3>TCP Lab %1</h3><p>A desktop lab for bending TCP: watch every segment, "
                          "change any of them with rules, and see what the other end does.</p>")
                           .arg(QStringLiteral(TCPLAB_VERSION)));
}

}  // namespace tcplab::gui

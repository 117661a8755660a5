// Tap mode in the window: the Lab > Lab mode actions, the tap dialog, attaching and detaching,
// errors in words with a way to the Setup panel, and the Setup panel's attach/detach requests.
#include <QComboBox>
#include <QDockWidget>
#include <QMessageBox>
#include <QProgressDialog>
#include <QPushButton>
#include <QStatusBar>
#include <QTimer>
#include <QToolBar>

#include "app/main_window.h"
#include "app/main_window_actions.h"
#include "services/engine_bridge.h"
#include "services/lab_switch.h"
#include "views/rule_editor.h"
#include "views/setup_panel.h"
#include "views/tap_settings_dialog.h"

namespace tcplab::gui {

LabSwitch *MainWindow::labSwitch() const
{
    return dynamic_cast<LabSwitch *>(&bridge_->lab());
}

bool MainWindow::attachTap(const TapSettings &settings)
{
    const QString tap = QString::fromStdString(settings.tap);
    LabSwitch *labs = labSwitch();
    if (!labs) {
        showTapError(tap, tr("this window was started without the engine's tap lab"));
        return false;
    }
    std::string error;
    if (!labs->tapLab().configure(settings, &error)) {
        showTapError(tap, QString::fromStdString(error));
        updateModeUi();
        return false;
    }
    if (!reserveCaptureMemory(labs->tapLab(), tap)) {
        statusBar()->showMessage(tr("Attaching to tap %1 cancelled").arg(tap), 6000);
        return false;
    }
    labs->setMode(LabMode::Tap);
    labs->tapLab().start();
    bridge_->drain();
    if (ruleEditor_) ruleEditor_->reload();
    updateModeUi();
    if (!labs->tapLab().lastError().empty()) {
        showTapError(tap, QString::fromStdString(labs->tapLab().lastError()));
        return false;
    }
    // A spill directory on tmpfs bounds nothing: past the capture memory, frames still take RAM.
    const StoreConfig &capture = bridge_->packets().config();
    const std::string &spill = capture.spillDirectory;
    if (const auto dir = checkSpillDirectory(spill);
        capture.onFull == StoreConfig::OnFull::Spill && dir && dir->inMemory)
        statusBar()->showMessage(
            tr("Attached to tap %1. Its capture spills to %2, which is in memory (%3): "
               "past the capture memory, frames still take RAM")
                .arg(tap, QString::fromStdString(spill), QString::fromLatin1(dir->inMemory)),
            10000);
    else
        statusBar()->showMessage(tr("Attached to tap %1").arg(tap), 6000);
    return true;
}

// The dialog's "Reserve before attaching": the capture's memory is mapped before the tap's traffic
// comes (on the store's helper thread), with its progress shown and a way to give up. False when
// the user cancelled; a reserve that stopped short (no more memory) is said and the lab attaches.
bool MainWindow::reserveCaptureMemory(HostLab &lab, const QString &tap)
{
    lab.reserveCapture();
    ChunkAllocator::ReserveState state = lab.captureReserve();
    if (state.done()) return true; // none asked, or there already
    const int askedMiB = int(state.asked >> 20);
    QProgressDialog progress(
        tr("Reserving %1 MiB of memory for the capture on tap %2…").arg(askedMiB).arg(tap), tr("Cancel"), 0,
        askedMiB, this);
    progress.setObjectName(QStringLiteral("CaptureReserveProgress"));
    progress.setWindowTitle(tr("Capture memory"));
    progress.setWindowModality(Qt::WindowModal);
    progress.setAutoReset(false);
    progress.setAutoClose(false);
    progress.setMinimumDuration(0);
    QTimer poll;
    connect(&poll, &QTimer::timeout, &progress, [&] {
        state = lab.captureReserve();
        progress.setValue(int(state.prepared >> 20));
        if (state.done()) progress.accept();
    });
    poll.start(50);
    const bool finished = progress.exec() == QDialog::Accepted && state.done();
    poll.stop();
    if (!finished) {
        lab.dropCaptureReserve();
        return false;
    }
    if (!state.error.empty())
        statusBar()->showMessage(tr("Capture memory: only %1 of %2 MiB reserved (%3); the rest comes as "
                                    "frames come")
                                     .arg(state.prepared >> 20)
                                     .arg(askedMiB)
                                     .arg(QString::fromStdString(state.error)),
                                 10000);
    return true;
}

void MainWindow::useDemo()
{
    if (LabSwitch *labs = labSwitch(); labs && labs->mode() == LabMode::Tap) {
        labs->setMode(LabMode::Demo); // stops the tap lab and releases the device first
        bridge_->restart();
        if (ruleEditor_) ruleEditor_->reload();
    }
    updateModeUi();
}

void MainWindow::chooseTap()
{
    TapSettingsDialog dialog(bridge_->lab().scenarioNames(), this);
    if (dialog.exec() == QDialog::Accepted) attachTap(dialog.settings());
    updateModeUi();
}

void MainWindow::showTapError(const QString &tap, const QString &message)
{
    statusBar()->showMessage(tr("Cannot attach to tap %1").arg(tap), 10000);
    // Not modal: the window (and a live lab, if any) keeps running behind it.
    auto *box =
        new QMessageBox(QMessageBox::Warning, tr("Cannot attach to the tap device"),
                        tr("The lab could not attach to tap \"%1\".").arg(tap), QMessageBox::Close, this);
    box->setObjectName(QStringLiteral("TapErrorBox"));
    box->setInformativeText(message);
    box->setAttribute(Qt::WA_DeleteOnClose);
    auto *setup = box->addButton(tr("Open the Setup panel"), QMessageBox::ActionRole);
    connect(setup, &QPushButton::clicked, this, &MainWindow::openSetupPanel);
    box->open();
}

void MainWindow::openSetupPanel()
{
    if (auto *d = findChild<QDockWidget *>(QStringLiteral("SetupDock"))) {
        d->show();
        d->raise();
    }
}

void MainWindow::connectSetupPanel(SetupPanel *panel)
{
    connect(panel, &SetupPanel::attachRequested, this, [this](const NetLayout &layout) {
        // The panel's tap and engine addresses; services, scenario and snap length as last chosen in the
        // dialog.
        TapSettings s = TapSettingsDialog::saved();
        s.tap = layout.tap.toStdString();
        if (!layout.engineIpv4.isEmpty()) s.ip4 = layout.engineIpv4.toStdString();
        s.ip6 = layout.engineIpv6.toStdString();
        s.mac = layout.engineMac.toStdString();
        if (attachTap(s)) TapSettingsDialog::save(s);
    });
    connect(panel, &SetupPanel::detachRequested, this, [this](const QString &tap) {
        LabSwitch *labs = labSwitch();
        if (labs && labs->mode() == LabMode::Tap &&
            QString::fromStdString(labs->tapLab().settings().tap) == tap)
            useDemo();
    });
}

void MainWindow::updateModeUi()
{
    auto &a = *actions_;
    const LabSwitch *labs = labSwitch();
    const bool tap = labs && labs->mode() == LabMode::Tap;
    (tap ? a.modeTap : a.modeDemo)->setChecked(true);
    if (modeCombo_) modeCombo_->setCurrentIndex(tap ? 1 : 0);
    // The kernel on the other side of a tap does not pause: the clock controls are demo-only.
    const QString why = tr("Only on the demo network: a tap lab runs in real time with the kernel");
    a.pause->setEnabled(!tap);
    a.step->setEnabled(!tap);
    a.pause->setToolTip(tap ? why : tr("Pause the demo network"));
    a.step->setToolTip(tap ? why : tr("Advance the demo network to its next event"));
    if (tap && a.pause->isChecked()) a.pause->setChecked(false);
    if (speedCombo_) {
        speedCombo_->setEnabled(!tap);
        speedCombo_->setToolTip(tap ? why : tr("Speed of the demo network (virtual time)"));
    }
    if (auto *d = findChild<QDockWidget *>(QStringLiteral("DemoNetworkDock"))) {
        d->widget()->setEnabled(!tap);
        d->widget()->setToolTip(tap ? tr("The demo network is not used while the lab is on a tap")
                                    : QString());
    }
}

} // namespace tcplab::gui

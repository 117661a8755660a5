#include "views/tap_settings_dialog.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSettings>
#include <QVBoxLayout>

namespace tcplab::gui {

TapSettingsDialog::TapSettingsDialog(const std::vector<std::string> &scenarios, QWidget *parent)
    : QDialog(parent)
{
    setObjectName(QStringLiteral("TapSettingsDialog"));
    setWindowTitle(tr("Attach to a tap device"));
    auto *layout = new QVBoxLayout(this);
    auto *form = new QFormLayout;
    tap_ = new QLineEdit(this);
    tap_->setObjectName(QStringLiteral("tap"));
    ip4_ = new QLineEdit(this);
    ip4_->setObjectName(QStringLiteral("ip4"));
    ip4_->setPlaceholderText(QStringLiteral("198.18.0.2/24"));
    ip6_ = new QLineEdit(this);
    ip6_->setObjectName(QStringLiteral("ip6"));
    ip6_->setPlaceholderText(tr("optional, e.g. 2001:db8::2/64"));
    mac_ = new QLineEdit(this);
    mac_->setObjectName(QStringLiteral("mac"));
    mac_->setPlaceholderText(tr("optional: derived from the IPv4 address"));
    gateway_ = new QLineEdit(this);
    gateway_->setObjectName(QStringLiteral("gateway"));
    gateway_->setPlaceholderText(tr("optional"));
    services_ = new QLineEdit(this);
    services_->setObjectName(QStringLiteral("services"));
    services_->setPlaceholderText(QStringLiteral("80:http, 9000:sink"));
    services_->setToolTip(
        tr("PORT:SERVICE pairs separated by commas: http, sink, discard, source, echo, chargen"));
    scenario_ = new QComboBox(this);
    scenario_->setObjectName(QStringLiteral("scenario"));
    scenario_->setEditable(true);
    scenario_->addItem(QString());
    for (const auto &s : scenarios)
        scenario_->addItem(QString::fromStdString(s));
    scenario_->setToolTip(
        tr("The rules and services of this scenario's server run on the tap (empty: none)"));
    snapLength_ = new QLineEdit(this);
    snapLength_->setObjectName(QStringLiteral("snapLength"));
    snapLength_->setPlaceholderText(tr("whole frames"));
    snapLength_->setToolTip(tr("Keep at most this many bytes of each recorded frame (64 to 262144), like "
                               "tcpdump -s: long bulk captures take less memory and slow the engine less. "
                               "Sessions, lengths and analysis labels stay those of the whole frames."));
    captureMemory_ = new QLineEdit(this);
    captureMemory_->setObjectName(QStringLiteral("captureMemory"));
    captureMemory_->setPlaceholderText(QStringLiteral("2G"));
    captureMemory_->setToolTip(tr("RAM the capture may take, like 512M or 8G (default 2G). Past it, frames "
                                  "go to a temporary file in the spill directory, with a warning."));
    captureReserve_ = new QLineEdit(this);
    captureReserve_->setObjectName(QStringLiteral("captureReserve"));
    captureReserve_->setPlaceholderText(tr("none"));
    captureReserve_->setToolTip(
        tr("Memory for the capture taken before the tap is attached, like 4G (at most the capture "
           "memory). A transfer of many gigabits per second then does not wait for the system to "
           "hand out fresh memory, which slows it most in virtual machines."));
    captureSpillDirectory_ = new QLineEdit(this);
    captureSpillDirectory_->setObjectName(QStringLiteral("captureSpillDirectory"));
    captureSpillDirectory_->setPlaceholderText(QString::fromStdString(defaultCaptureSpillDirectory()));
    captureSpillDirectory_->setToolTip(
        tr("Where frames past the capture memory go, in a temporary file deleted with the capture "
           "(default: $TMPDIR, else /tmp). Choose a directory on disk: on tmpfs they still take RAM."));
    captureWhenFull_ = new QComboBox(this);
    captureWhenFull_->setObjectName(QStringLiteral("captureWhenFull"));
    captureWhenFull_->addItem(tr("Spill to a file"), QStringLiteral("spill"));
    captureWhenFull_->addItem(tr("Stop recording"), QStringLiteral("stop"));
    captureWhenFull_->setToolTip(tr("What the capture does once it holds its memory: keep every frame in a "
                                    "temporary file in the spill directory, or stop recording (the frames "
                                    "after that are counted, not kept). A warning says when, either way."));
    connect(captureWhenFull_, &QComboBox::currentIndexChanged, this,
            [this] { captureSpillDirectory_->setEnabled(captureWhenFull_->currentIndex() == 0); });
    form->addRow(tr("Tap device"), tap_);
    form->addRow(tr("Engine IPv4 address/prefix"), ip4_);
    form->addRow(tr("Engine IPv6 address/prefix"), ip6_);
    form->addRow(tr("Engine MAC address"), mac_);
    form->addRow(tr("IPv4 gateway"), gateway_);
    form->addRow(tr("Services"), services_);
    form->addRow(tr("Scenario"), scenario_);
    form->addRow(tr("Snap length (bytes)"), snapLength_);
    form->addRow(tr("Capture memory"), captureMemory_);
    form->addRow(tr("Reserve before attaching"), captureReserve_);
    form->addRow(tr("When the memory is full"), captureWhenFull_);
    form->addRow(tr("Spill directory"), captureSpillDirectory_);
    layout->addLayout(form);
    error_ = new QLabel(this);
    error_->setObjectName(QStringLiteral("error"));
    error_->setWordWrap(true);
    error_->setStyleSheet(QStringLiteral("color: #c0392b"));
    error_->hide();
    layout->addWidget(error_);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    buttons->button(QDialogButtonBox::Ok)->setText(tr("Attach"));
    connect(buttons, &QDialogButtonBox::accepted, this, &TapSettingsDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &TapSettingsDialog::reject);
    layout->addWidget(buttons);
    setSettings(saved());
}

TapSettings TapSettingsDialog::settings() const
{
    TapSettings s;
    s.tap = tap_->text().trimmed().toStdString();
    s.ip4 = ip4_->text().trimmed().toStdString();
    s.ip6 = ip6_->text().trimmed().toStdString();
    s.mac = mac_->text().trimmed().toStdString();
    s.gateway4 = gateway_->text().trimmed().toStdString();
    s.listens = splitListens(services_->text().toStdString());
    s.scenario = scenario_->currentText().trimmed().toStdString();
    s.snapLength = snapLength_->text().trimmed().toStdString();
    s.captureMemory = captureMemory_->text().trimmed().toStdString();
    s.captureReserve = captureReserve_->text().trimmed().toStdString();
    s.captureSpillDirectory = captureSpillDirectory_->text().trimmed().toStdString();
    s.captureWhenFull = captureWhenFull_->currentData().toString().toStdString();
    return s;
}

void TapSettingsDialog::setSettings(const TapSettings &s)
{
    tap_->setText(QString::fromStdString(s.tap));
    ip4_->setText(QString::fromStdString(s.ip4));
    ip6_->setText(QString::fromStdString(s.ip6));
    mac_->setText(QString::fromStdString(s.mac));
    gateway_->setText(QString::fromStdString(s.gateway4));
    QStringList listens;
    for (const auto &l : s.listens)
        listens << QString::fromStdString(l);
    services_->setText(listens.join(QStringLiteral(", ")));
    scenario_->setCurrentText(QString::fromStdString(s.scenario));
    snapLength_->setText(QString::fromStdString(s.snapLength));
    captureMemory_->setText(QString::fromStdString(s.captureMemory));
    captureReserve_->setText(QString::fromStdString(s.captureReserve));
    captureSpillDirectory_->setText(QString::fromStdString(s.captureSpillDirectory));
    captureWhenFull_->setCurrentIndex(s.captureWhenFull == "stop" ? 1 : 0);
}

TapSettings TapSettingsDialog::saved()
{
    QSettings q;
    TapSettings s;
    s.tap = q.value(QStringLiteral("tap/device"), QStringLiteral("tap7")).toString().toStdString();
    s.ip4 = q.value(QStringLiteral("tap/ip4"), QStringLiteral("198.18.0.2/24")).toString().toStdString();
    s.ip6 = q.value(QStringLiteral("tap/ip6")).toString().toStdString();
    s.mac = q.value(QStringLiteral("tap/mac")).toString().toStdString();
    s.gateway4 = q.value(QStringLiteral("tap/gateway4")).toString().toStdString();
    s.listens = splitListens(q.value(QStringLiteral("tap/services"), QStringLiteral("80:http, 9000:sink"))
                                 .toString()
                                 .toStdString());
    s.scenario = q.value(QStringLiteral("tap/scenario")).toString().toStdString();
    s.snapLength = q.value(QStringLiteral("tap/snaplen")).toString().toStdString();
    s.captureMemory = q.value(QStringLiteral("tap/capture_memory")).toString().toStdString();
    s.captureReserve = q.value(QStringLiteral("tap/capture_reserve")).toString().toStdString();
    s.captureSpillDirectory = q.value(QStringLiteral("tap/capture_spill_dir")).toString().toStdString();
    s.captureWhenFull =
        q.value(QStringLiteral("tap/capture_when_full"), QStringLiteral("spill")).toString().toStdString();
    return s;
}

void TapSettingsDialog::save(const TapSettings &s)
{
    QSettings q;
    q.setValue(QStringLiteral("tap/device"), QString::fromStdString(s.tap));
    q.setValue(QStringLiteral("tap/ip4"), QString::fromStdString(s.ip4));
    q.setValue(QStringLiteral("tap/ip6"), QString::fromStdString(s.ip6));
    q.setValue(QStringLiteral("tap/mac"), QString::fromStdString(s.mac));
    q.setValue(QStringLiteral("tap/gateway4"), QString::fromStdString(s.gateway4));
    QStringList listens;
    for (const auto &l : s.listens)
        listens << QString::fromStdString(l);
    q.setValue(QStringLiteral("tap/services"), listens.join(QStringLiteral(", ")));
    q.setValue(QStringLiteral("tap/scenario"), QString::fromStdString(s.scenario));
    q.setValue(QStringLiteral("tap/snaplen"), QString::fromStdString(s.snapLength));
    q.setValue(QStringLiteral("tap/capture_memory"), QString::fromStdString(s.captureMemory));
    q.setValue(QStringLiteral("tap/capture_reserve"), QString::fromStdString(s.captureReserve));
    q.setValue(QStringLiteral("tap/capture_spill_dir"), QString::fromStdString(s.captureSpillDirectory));
    q.setValue(QStringLiteral("tap/capture_when_full"), QString::fromStdString(s.captureWhenFull));
}

void TapSettingsDialog::accept()
{
    auto parsed = parseTapSettings(settings());
    if (!parsed) {
        // The engine's words: they name the field and the expected form.
        error_->setText(QString::fromStdString(parsed.error().message));
        error_->show();
        return;
    }
    save(settings());
    QDialog::accept();
}

} // namespace tcplab::gui

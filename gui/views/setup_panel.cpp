#include "views/setup_panel.h"

#include <QComboBox>
#include <QFontDatabase>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPlainTextEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QSettings>
#include <QSpinBox>
#include <QTreeWidget>
#include <QVBoxLayout>

#include <pwd.h>
#include <unistd.h>

namespace tcplab::gui {
namespace {

enum Preset { kTapOnly, kTapAndBridge, kCustom };

QStringList splitList(const QString &text)
{
    QStringList out;
    for (const QString &part : text.split(QRegularExpression(QStringLiteral("[,\\s]+")), Qt::SkipEmptyParts))
        out << part;
    return out;
}

QString currentUserName()
{
    if (const passwd *pw = getpwuid(getuid())) return QString::fromLocal8Bit(pw->pw_name);
    return QStringLiteral("$USER");
}

} // namespace

SetupPanel::SetupPanel(QWidget *parent) : QWidget(parent), client_(new HelperClient(this))
{
    buildUi();
    connect(client_, &HelperClient::stepStarted, this, &SetupPanel::onStepStarted);
    connect(client_, &HelperClient::stepFinished, this, &SetupPanel::onStepFinished);
    connect(client_, &HelperClient::stepsFinished, this, &SetupPanel::onStepsFinished);
    connect(client_, &HelperClient::statusReady, this, &SetupPanel::onStatus);
    loadSettings();
    updateAvailability();
}

void SetupPanel::buildUi()
{
    auto *form = new QFormLayout;
    preset_ = new QComboBox;
    preset_->addItems({tr("Tap only"), tr("Tap + bridge (tap7 in br3)"), tr("Custom")});
    auto line = [](const QString &placeholder) {
        auto *e = new QLineEdit;
        e->setPlaceholderText(placeholder);
        return e;
    };
    tap_ = line(QStringLiteral("tap7"));
    bridge_ = line(tr("none"));
    hostAddresses_ = line(QStringLiteral("198.18.0.101/24, 2001:db8::101/64"));
    routes_ = line(tr("none"));
    engineV4_ = line(QStringLiteral("198.18.0.100/24"));
    engineV6_ = line(QStringLiteral("2001:db8::100/64"));
    engineMac_ = line(QStringLiteral("02:00:00:00:00:64"));
    mtu_ = new QSpinBox;
    mtu_->setRange(0, 65535);
    mtu_->setSpecialValueText(tr("default"));
    form->addRow(tr("Preset:"), preset_);
    form->addRow(tr("Tap:"), tap_);
    form->addRow(tr("Bridge:"), bridge_);
    form->addRow(tr("Host addresses:"), hostAddresses_);
    form->addRow(tr("Routes:"), routes_);
    form->addRow(tr("Lab IPv4:"), engineV4_);
    form->addRow(tr("Lab IPv6:"), engineV6_);
    form->addRow(tr("Lab MAC:"), engineMac_);
    form->addRow(tr("MTU:"), mtu_);

    applyButton_ = new QPushButton(tr("Apply"));
    teardownButton_ = new QPushButton(tr("Tear down"));
    refreshButton_ = new QPushButton(tr("Refresh"));
    auto *buttons = new QHBoxLayout;
    buttons->addWidget(applyButton_);
    buttons->addWidget(teardownButton_);
    buttons->addStretch();
    buttons->addWidget(refreshButton_);

    notice_ = new QLabel;
    notice_->setWordWrap(true);
    notice_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    progress_ = new QProgressBar;
    progress_->setTextVisible(true);
    steps_ = new QListWidget;
    steps_->setWordWrap(true);
    status_ = new QTreeWidget;
    status_->setHeaderLabels({tr("Interface"), tr("Kind"), tr("State"), tr("Addresses"), tr("Details")});
    status_->setRootIsDecorated(false);
    status_->header()->setSectionResizeMode(QHeaderView::ResizeToContents);
    manual_ = new QPlainTextEdit;
    manual_->setReadOnly(true);
    manual_->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));

    auto *top = new QVBoxLayout(this);
    top->addLayout(form);
    top->addLayout(buttons);
    top->addWidget(notice_);
    top->addWidget(progress_);
    top->addWidget(steps_, 1);
    top->addWidget(new QLabel(tr("Interfaces managed by TCP Lab:")));
    top->addWidget(status_, 1);
    top->addWidget(new QLabel(tr("Equivalent commands, to run by hand in a terminal:")));
    top->addWidget(manual_, 1);

    connect(preset_, &QComboBox::activated, this, &SetupPanel::choosePreset);
    for (QLineEdit *e : {tap_, bridge_, hostAddresses_, routes_, engineV4_, engineV6_, engineMac_})
        connect(e, &QLineEdit::textEdited, this, [this] {
            preset_->setCurrentIndex(kCustom);
            updateAvailability();
        });
    connect(mtu_, &QSpinBox::valueChanged, this, [this] {
        if (!filling_) preset_->setCurrentIndex(kCustom);
        updateAvailability();
    });
    connect(applyButton_, &QPushButton::clicked, this, &SetupPanel::apply);
    connect(teardownButton_, &QPushButton::clicked, this, &SetupPanel::tearDown);
    connect(refreshButton_, &QPushButton::clicked, this, &SetupPanel::refreshStatus);
}

NetLayout SetupPanel::layout() const
{
    NetLayout l;
    l.tap = tap_->text().trimmed();
    l.bridge = bridge_->text().trimmed();
    l.hostAddresses = splitList(hostAddresses_->text());
    l.routes = splitList(routes_->text());
    l.engineIpv4 = engineV4_->text().trimmed();
    l.engineIpv6 = engineV6_->text().trimmed();
    l.engineMac = engineMac_->text().trimmed();
    l.mtu = mtu_->value();
    return l;
}

void SetupPanel::setLayout(const NetLayout &l)
{
    filling_ = true;
    tap_->setText(l.tap);
    bridge_->setText(l.bridge);
    hostAddresses_->setText(l.hostAddresses.join(QStringLiteral(", ")));
    routes_->setText(l.routes.join(QStringLiteral(", ")));
    engineV4_->setText(l.engineIpv4);
    engineV6_->setText(l.engineIpv6);
    engineMac_->setText(l.engineMac);
    mtu_->setValue(l.mtu);
    preset_->setCurrentIndex(l == NetLayout::tapOnly() ? kTapOnly : l == NetLayout::tapAndBridge() ? kTapAndBridge : kCustom);
    filling_ = false;
    updateAvailability();
}

void SetupPanel::choosePreset(int index)
{
    if (index == kTapOnly) setLayout(NetLayout::tapOnly());
    if (index == kTapAndBridge) setLayout(NetLayout::tapAndBridge());
}

void SetupPanel::updateAvailability()
{
    const NetLayout l = layout();
    manual_->setPlainText(SetupPlan::manualCommands(l, currentUserName()) + QLatin1Char('\n') +
                          tr("# to undo:") + QLatin1Char('\n') + SetupPlan::manualTeardown(l));
    const bool busy = client_->busy();
    const QString reason = client_->unavailableReason();
    applyButton_->setEnabled(!busy && reason.isEmpty());
    teardownButton_->setEnabled(!busy && reason.isEmpty() && !created_.isEmpty());
    refreshButton_->setEnabled(!busy);
    if (!reason.isEmpty())
        notice_->setText(reason + QLatin1Char(' ') + tr("Run the commands below in a terminal instead."));
}

void SetupPanel::apply()
{
    const NetLayout l = layout();
    const QStringList problems = l.problems();
    if (!problems.isEmpty()) {
        notice_->setText(problems.join(QLatin1Char('\n')));
        return;
    }
    if (const QString reason = client_->unavailableReason(); !reason.isEmpty()) {
        notice_->setText(reason + QLatin1Char(' ') + tr("Run the commands below in a terminal instead."));
        return;
    }
    saveSettings();
    runPlan(SetupPlan::apply(l), false);
}

void SetupPanel::tearDown()
{
    const QList<HelperStep> plan = SetupPlan::teardown(created_);
    if (plan.isEmpty()) {
        notice_->setText(tr("Nothing to tear down: TCP Lab has not created any interface."));
        return;
    }
    for (const HelperStep &s : created_)
        if (s.args.value(0) == QLatin1String("create-tap")) emit detachRequested(s.args.value(1));
    runPlan(plan, true);
}

void SetupPanel::runPlan(const QList<HelperStep> &plan, bool teardown)
{
    plan_ = plan;
    tearingDown_ = teardown;
    steps_->clear();
    for (const HelperStep &s : plan) steps_->addItem(QStringLiteral("… ") + s.description);
    progress_->setRange(0, int(plan.size()));
    progress_->setValue(0);
    notice_->setText(teardown ? tr("Tearing down…") : tr("Applying… (you may be asked for an administrator password)"));
    emit busyChanged(true);
    client_->runSteps(plan);
    updateAvailability();
}

void SetupPanel::onStepStarted(int index)
{
    if (auto *item = steps_->item(index)) item->setText(QStringLiteral("▶ ") + plan_[index].description);
}

void SetupPanel::onStepFinished(int index, const HelperResult &result)
{
    const HelperStep &step = plan_[index];
    // A teardown step whose interface is already gone has nothing left to undo.
    const bool gone = tearingDown_ && result.error.contains(QLatin1String("does not exist"));
    if (auto *item = steps_->item(index))
        item->setText((result.ok ? QStringLiteral("✔ ") : QStringLiteral("✘ ")) + step.description +
                      (result.ok ? QString() : QStringLiteral(": ") + result.error));
    progress_->setValue(index + 1);
    if (result.ok && step.creates) created_.append(step);
    if ((result.ok || gone) && tearingDown_) {
        const QString createVerb = step.args[0] == QLatin1String("delete-tap") ? QStringLiteral("create-tap")
                                                                                : QStringLiteral("create-bridge");
        created_.erase(std::remove_if(created_.begin(), created_.end(), [&](const HelperStep &c) {
                           return c.args.value(0) == createVerb && c.args.value(1) == step.args.value(1);
                       }), created_.end());
    }
    saveSettings();
}

void SetupPanel::onStepsFinished(bool ok, int succeeded)
{
    emit busyChanged(false);
    if (ok && tearingDown_) {
        notice_->setText(tr("Torn down: everything TCP Lab created is gone."));
    } else if (ok) {
        notice_->setText(tr("Ready: the lab can attach to %1 without privileges.").arg(layout().tap));
        emit attachRequested(layout());
    } else {
        notice_->setText(tr("Step %1 of %2 failed: %3").arg(succeeded + 1).arg(plan_.size())
                             .arg(plan_.value(succeeded).description) +
                         (tearingDown_ ? QString() : QLatin1Char(' ') + tr("What was created stays until you tear it down.")));
    }
    updateAvailability();
    refreshStatus();
}

void SetupPanel::refreshStatus()
{
    if (!client_->busy()) client_->queryStatus();
}

void SetupPanel::onStatus(const QJsonArray &interfaces, const QString &error)
{
    status_->clear();
    if (!error.isEmpty()) {
        new QTreeWidgetItem(status_, {tr("(unknown)"), QString(), QString(), QString(), error});
        return;
    }
    for (const QJsonValue &v : interfaces) {
        const QJsonObject o = v.toObject();
        QStringList addresses;
        for (const QJsonValue &a : o.value(QLatin1String("addresses")).toArray()) addresses << a.toString();
        QStringList details{tr("MTU %1").arg(o.value(QLatin1String("mtu")).toInt())};
        if (o.contains(QLatin1String("master"))) details << tr("in %1").arg(o.value(QLatin1String("master")).toString());
        if (o.contains(QLatin1String("owner"))) details << tr("owner uid %1").arg(o.value(QLatin1String("owner")).toInt());
        for (const QJsonValue &r : o.value(QLatin1String("routes")).toArray()) details << tr("route %1").arg(r.toString());
        const bool up = o.value(QLatin1String("up")).toBool();
        new QTreeWidgetItem(status_, {o.value(QLatin1String("name")).toString(), o.value(QLatin1String("kind")).toString(),
                                      up ? tr("up (%1)").arg(o.value(QLatin1String("operstate")).toString()) : tr("down"),
                                      addresses.join(QStringLiteral(", ")), details.join(QStringLiteral(", "))});
    }
}

void SetupPanel::saveSettings() const
{
    QSettings s;
    s.beginGroup(QStringLiteral("setup"));
    const NetLayout l = layout();
    s.setValue(QStringLiteral("tap"), l.tap);
    s.setValue(QStringLiteral("bridge"), l.bridge);
    s.setValue(QStringLiteral("hostAddresses"), l.hostAddresses);
    s.setValue(QStringLiteral("routes"), l.routes);
    s.setValue(QStringLiteral("engineIpv4"), l.engineIpv4);
    s.setValue(QStringLiteral("engineIpv6"), l.engineIpv6);
    s.setValue(QStringLiteral("engineMac"), l.engineMac);
    s.setValue(QStringLiteral("mtu"), l.mtu);
    QStringList created;
    for (const HelperStep &c : created_) created << c.args.join(QLatin1Char(' '));
    s.setValue(QStringLiteral("created"), created);
}

void SetupPanel::loadSettings()
{
    QSettings s;
    s.beginGroup(QStringLiteral("setup"));
    if (!s.contains(QStringLiteral("tap"))) {
        setLayout(NetLayout::tapAndBridge());
        return;
    }
    NetLayout l;
    l.tap = s.value(QStringLiteral("tap")).toString();
    l.bridge = s.value(QStringLiteral("bridge")).toString();
    l.hostAddresses = s.value(QStringLiteral("hostAddresses")).toStringList();
    l.routes = s.value(QStringLiteral("routes")).toStringList();
    l.engineIpv4 = s.value(QStringLiteral("engineIpv4")).toString();
    l.engineIpv6 = s.value(QStringLiteral("engineIpv6")).toString();
    l.engineMac = s.value(QStringLiteral("engineMac")).toString();
    l.mtu = s.value(QStringLiteral("mtu")).toInt();
    created_.clear();
    for (const QString &c : s.value(QStringLiteral("created")).toStringList()) {
        const QStringList args = c.split(QLatin1Char(' '));
        if (args.size() == 2 && (args[0] == QLatin1String("create-tap") || args[0] == QLatin1String("create-bridge")))
            created_.append({args, QString(), true});
    }
    setLayout(l);
}

} // namespace tcplab::gui

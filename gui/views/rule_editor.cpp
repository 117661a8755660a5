#include "views/rule_editor.h"

#include <set>

#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFileDialog>
#include <QFileInfo>
#include <QFontDatabase>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QRegularExpression>
#include <QSaveFile>
#include <QSpinBox>
#include <QSplitter>
#include <QTabWidget>
#include <QTableView>
#include <QTimer>
#include <QUndoStack>
#include <QVBoxLayout>

#include "models/rule_list_model.h"
#include "services/lab_driver.h"
#include "views/action_list_editor.h"

namespace tcplab::gui {

// Every change is a whole before/after list: simple, and exactly what the engine's setRules takes.
class SetRulesCommand : public QUndoCommand {
public:
    SetRulesCommand(RuleEditor *editor, std::vector<ScenarioRule> before, std::vector<ScenarioRule> after,
                    const QString &text)
        : QUndoCommand(text), editor_(editor), before_(std::move(before)), after_(std::move(after))
    {
    }
    void undo() override { editor_->setRulesFromCommand(before_); }
    void redo() override
    {
        if (first_) {
            first_ = false; // already applied (and validated) by changeRules
            return;
        }
        editor_->setRulesFromCommand(after_);
    }

private:
    RuleEditor *editor_;
    std::vector<ScenarioRule> before_, after_;
    bool first_ = true;
};

namespace {

constexpr std::array<const char *, 8> kFlagNames{"FIN", "SYN", "RST", "PSH", "ACK", "URG", "ECE", "CWR"};

std::optional<PortRange> parsePorts(const QString &text, bool *ok)
{
    *ok = true;
    const QString t = text.trimmed();
    if (t.isEmpty()) return std::nullopt;
    const QStringList parts = t.split(QLatin1Char('-'));
    bool a = false, b = true;
    const uint lo = parts.value(0).toUInt(&a);
    const uint hi = parts.size() > 1 ? parts.value(1).toUInt(&b) : lo;
    if (!a || !b || parts.size() > 2 || lo > hi || hi > 65535) {
        *ok = false;
        return std::nullopt;
    }
    return PortRange{std::uint16_t(lo), std::uint16_t(hi)};
}

QString portsText(const std::optional<PortRange> &r)
{
    if (!r) return {};
    return r->lo == r->hi ? QString::number(r->lo) : QStringLiteral("%1-%2").arg(r->lo).arg(r->hi);
}

// The payload match as the form shows it: its text, or "0x" and its bytes in hex when the scenario
// spelled it in hex (payload_contains_hex).
QString payloadText(const Match &m)
{
    if (m.payloadContains.empty()) return {};
    const QByteArray bytes(reinterpret_cast<const char *>(m.payloadContains.data()),
                           qsizetype(m.payloadContains.size()));
    return m.payloadContainsText ? QString::fromUtf8(bytes)
                                 : QStringLiteral("0x") + QString::fromLatin1(bytes.toHex());
}

// Back: "0x" and pairs of hex digits are bytes, anything else is text (UTF-8). False on bad hex.
bool parsePayload(const QString &text, Match &m)
{
    m.payloadContains.clear();
    m.payloadContainsText = true;
    if (text.isEmpty()) return true;
    QByteArray bytes = text.toUtf8();
    if (text.startsWith(QLatin1String("0x"), Qt::CaseInsensitive)) {
        const QString hex = text.mid(2);
        static const QRegularExpression pairs(QStringLiteral("^([0-9A-Fa-f]{2})+$"));
        if (!pairs.match(hex).hasMatch()) return false;
        bytes = QByteArray::fromHex(hex.toLatin1());
        m.payloadContainsText = false;
    }
    m.payloadContains.assign(bytes.begin(), bytes.end());
    return true;
}

} // namespace

RuleEditor::RuleEditor(LabDriver *lab, QWidget *parent)
    : QWidget(parent), lab_(lab), model_(new RuleListModel(this)), undo_(new QUndoStack(this)),
      table_(new QTableView(this))
{
    setObjectName(QStringLiteral("RuleEditor"));
    model_->setHitSource([lab](const std::string &host, const std::string &name) {
        return lab ? lab->ruleHits(host, name) : 0;
    });
    model_->setMoveHandler([this](int from, int before) { return moveRule(from, before); });
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(2, 2, 2, 2);
    auto *fileButtons = new QHBoxLayout;
    auto *buttons = new QHBoxLayout;
    auto button = [&](const QString &text, auto slot, QHBoxLayout *row = nullptr) {
        auto *b = new QPushButton(text, this);
        connect(b, &QPushButton::clicked, this, slot);
        (row ? row : buttons)->addWidget(b);
        return b;
    };
    button(
        tr("Open…"), [this] { openDialog(); }, fileButtons);
    button(
        tr("Save"), [this] { save(); }, fileButtons);
    button(
        tr("Save as…"), [this] { saveAsDialog(); }, fileButtons);
    button(
        tr("Library…"), [this] { emit libraryRequested(); }, fileButtons);
    fileButtons->addStretch();
    layout->addLayout(fileButtons);
    button(tr("Add"), [this] {
        ScenarioRule r;
        r.host = model_->rules().empty() ? std::string("server") : model_->rules().back().host;
        r.rule.name = "rule-" + std::to_string(model_->rules().size() + 1);
        r.rule.actions.push_back(DropAction{});
        addRule(r);
    });
    button(tr("Duplicate"), [this] {
        const int row = selectedRow();
        if (row < 0) return;
        auto rules = model_->rules();
        ScenarioRule copy = rules[std::size_t(row)];
        copy.rule.name += "-copy";
        rules.insert(rules.begin() + row + 1, copy);
        if (changeRules(std::move(rules), tr("Duplicate rule"))) selectRow(row + 1);
    });
    button(tr("Delete"), [this] {
        const int row = selectedRow();
        if (row < 0) return;
        auto rules = model_->rules();
        rules.erase(rules.begin() + row);
        if (changeRules(std::move(rules), tr("Delete rule")))
            selectRow(std::min(row, int(model_->rules().size()) - 1));
    });
    button(tr("Up"), [this] { move(-1); });
    button(tr("Down"), [this] { move(+1); });
    auto *undoButton = button(tr("Undo"), [this] { undo_->undo(); });
    auto *redoButton = button(tr("Redo"), [this] { undo_->redo(); });
    connect(undo_, &QUndoStack::canUndoChanged, undoButton, &QWidget::setEnabled);
    connect(undo_, &QUndoStack::canRedoChanged, redoButton, &QWidget::setEnabled);
    undoButton->setEnabled(false);
    redoButton->setEnabled(false);
    buttons->addStretch();
    layout->addLayout(buttons);

    table_->setModel(model_);
    table_->setSelectionBehavior(QAbstractItemView::SelectRows);
    table_->setSelectionMode(QAbstractItemView::SingleSelection);
    table_->verticalHeader()->hide();
    // Drag a row to reorder (the model turns the drop into moveRule: one undoable step).
    table_->setDragEnabled(true);
    table_->setAcceptDrops(true);
    table_->setDropIndicatorShown(true);
    table_->setDragDropOverwriteMode(false);
    table_->setDragDropMode(QAbstractItemView::InternalMove);
    table_->setDefaultDropAction(Qt::MoveAction);
    table_->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    table_->horizontalHeader()->setStretchLastSection(true);
    connect(model_, &RuleListModel::enabledToggled, this, [this](int row, bool on) {
        auto rules = model_->rules();
        rules[std::size_t(row)].rule.enabled = on;
        changeRules(std::move(rules), on ? tr("Enable rule") : tr("Disable rule"));
    });
    connect(model_, &QAbstractItemModel::modelReset, this, [this] { fillForm(); });
    connect(table_->selectionModel(), &QItemSelectionModel::currentRowChanged, this, [this] { fillForm(); });

    auto *split = new QSplitter(Qt::Vertical, this);
    split->addWidget(table_);
    auto *form = new QWidget(split);
    buildForm(form);
    split->addWidget(form);
    layout->addWidget(split, 1);

    connect(undo_, &QUndoStack::cleanChanged, this, &RuleEditor::documentChanged);
    auto *timer = new QTimer(this);
    connect(timer, &QTimer::timeout, this, &RuleEditor::poll);
    timer->start(500);
    reload();
}

// The undo stack is our child, so QWidget's destructor deletes it after this one has run; a stack
// that is not clean emits cleanChanged as it goes, which would emit documentChanged from an editor
// that is no longer a RuleEditor (listeners would then read a half-destroyed editor).
RuleEditor::~RuleEditor()
{
    undo_->disconnect(this);
}

void RuleEditor::buildForm(QWidget *form)
{
    auto *outer = new QVBoxLayout(form);
    outer->setContentsMargins(0, 0, 0, 0);
    pages_ = new QTabWidget(form);
    pages_->setObjectName(QStringLiteral("ruleFormPages"));
    outer->addWidget(pages_);
    auto *matchPage = new QWidget(pages_);
    auto *fl = new QFormLayout(matchPage);
    name_ = new QLineEdit(form);
    name_->setObjectName(QStringLiteral("ruleName"));
    fl->addRow(tr("Name"), name_);
    hook_ = new QComboBox(form);
    hook_->addItem(tr("ingress (arriving)"));
    hook_->addItem(tr("egress (leaving)"));
    fl->addRow(tr("Hook"), hook_);
    auto *flagRow = new QHBoxLayout;
    for (std::size_t i = 0; i < flags_.size(); ++i) {
        flags_[i] = new QCheckBox(QString::fromLatin1(kFlagNames[i]), form);
        flags_[i]->setObjectName(QStringLiteral("matchFlag") + QString::fromLatin1(kFlagNames[i]));
        flags_[i]->setTristate(true);
        flags_[i]->setCheckState(Qt::PartiallyChecked);
        flags_[i]->setToolTip(tr("Checked: must be set; empty: must be clear; partly checked: don't care"));
        flagRow->addWidget(flags_[i]);
        connect(flags_[i], &QCheckBox::stateChanged, this, &RuleEditor::formEdited);
    }
    fl->addRow(tr("Flags"), flagRow);
    states_ = new QListWidget(form);
    states_->setSelectionMode(QAbstractItemView::MultiSelection);
    states_->setFlow(QListView::LeftToRight);
    states_->setWrapping(true);
    states_->setMaximumHeight(48);
    for (int i = 0; i < kTcpStateCount; ++i)
        states_->addItem(QString::fromUtf8(tcpStateName(TcpState(i)).data()));
    states_->setToolTip(tr("Nothing selected: any state"));
    fl->addRow(tr("States"), states_);
    localPort_ = new QLineEdit(form);
    remotePort_ = new QLineEdit(form);
    payloadLen_ = new QLineEdit(form);
    for (auto *e : {localPort_, remotePort_, payloadLen_})
        e->setPlaceholderText(tr("any (e.g. 8000 or 1-1023)"));
    localPort_->setObjectName(QStringLiteral("localPort"));
    remotePort_->setObjectName(QStringLiteral("remotePort"));
    payloadLen_->setObjectName(QStringLiteral("payloadLength"));
    fl->addRow(tr("Local port"), localPort_);
    fl->addRow(tr("Remote port"), remotePort_);
    fl->addRow(tr("Payload length"), payloadLen_);
    payloadContains_ = new QLineEdit(form);
    payloadContains_->setObjectName(QStringLiteral("payloadContains"));
    payloadContains_->setPlaceholderText(tr("any (text, or 0x and hex bytes)"));
    payloadContains_->setToolTip(tr("Matches a segment whose payload contains these bytes: text as typed, or "
                                    "0x followed by pairs of hex digits (0x474554)"));
    fl->addRow(tr("Payload contains"), payloadContains_);
    auto *occRow = new QHBoxLayout;
    occurrence_ = new QComboBox(form);
    occurrence_->addItems({tr("every packet"), tr("only the n-th"), tr("the first n"), tr("every k-th")});
    occurrenceCount_ = new QSpinBox(form);
    occurrenceCount_->setRange(0, 1000000);
    occRow->addWidget(occurrence_);
    occRow->addWidget(occurrenceCount_);
    fl->addRow(tr("Occurrence"), occRow);
    probability_ = new QDoubleSpinBox(form);
    probability_->setRange(0.0, 1.0);
    probability_->setSingleStep(0.05);
    probability_->setDecimals(3);
    fl->addRow(tr("Probability"), probability_);
    pages_->addTab(matchPage, tr("Match"));
    actions_ = new ActionListEditor(pages_);
    pages_->addTab(actions_, tr("Actions"));
    auto *textPage = new QWidget(pages_);
    auto *textLayout = new QVBoxLayout(textPage);
    text_ = new QPlainTextEdit(textPage);
    text_->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    text_->setToolTip(tr("The rule in the scenario file's syntax: edit it and apply, or use the form"));
    textLayout->addWidget(text_);
    auto *apply = new QPushButton(tr("Apply text"), textPage);
    connect(apply, &QPushButton::clicked, this, [this] { applyText(); });
    textLayout->addWidget(apply, 0, Qt::AlignRight);
    pages_->addTab(textPage, tr("Scenario text"));
    error_ = new QLabel(form);
    error_->setObjectName(QStringLiteral("ruleError"));
    error_->setWordWrap(true);
    error_->setStyleSheet(QStringLiteral("color: #b00020"));
    outer->addWidget(error_);
    connect(actions_, &ActionListEditor::actionsEdited, this, &RuleEditor::formEdited);
    connect(actions_, &ActionListEditor::errorChanged, this, [this](const QString &e) {
        lastError_ = e.isEmpty() ? QString() : tr("Not applied: %1").arg(e);
        error_->setText(lastError_);
    });
    connect(text_, &QPlainTextEdit::textChanged, this, &RuleEditor::validateText);
    for (auto *e : {name_, localPort_, remotePort_, payloadLen_, payloadContains_})
        connect(e, &QLineEdit::editingFinished, this, &RuleEditor::formEdited);
    connect(hook_, &QComboBox::currentIndexChanged, this, &RuleEditor::formEdited);
    connect(occurrence_, &QComboBox::currentIndexChanged, this, &RuleEditor::formEdited);
    connect(occurrenceCount_, &QSpinBox::valueChanged, this, &RuleEditor::formEdited);
    connect(probability_, &QDoubleSpinBox::valueChanged, this, &RuleEditor::formEdited);
    connect(states_, &QListWidget::itemSelectionChanged, this, &RuleEditor::formEdited);
}

void RuleEditor::reload()
{
    scenarioName_ = lab_ ? lab_->scenarioName() : std::string();
    adoptLabScenario();
    actionsRuleRow_ = -1;
    undo_->clear();
    model_->setRules(lab_ ? lab_->rules() : std::vector<ScenarioRule>{});
    if (!model_->rules().empty()) selectRow(0);
}

void RuleEditor::poll()
{
    if (lab_ && lab_->scenarioName() != scenarioName_) reload();
    model_->refreshHits();
}

bool RuleEditor::changeRules(std::vector<ScenarioRule> rules, const QString &what)
{
    std::string error;
    if (lab_ && !lab_->setRules(rules, &error)) {
        lastError_ = tr("Not applied: %1").arg(QString::fromStdString(error));
        error_->setText(lastError_);
        return false;
    }
    lastError_.clear();
    error_->clear();
    auto before = model_->rules();
    const int row = selectedRow();
    model_->setRules(rules);
    selectRow(std::min(row, int(rules.size()) - 1));
    undo_->push(new SetRulesCommand(this, std::move(before), std::move(rules), what));
    return true;
}

void RuleEditor::setRulesFromCommand(const std::vector<ScenarioRule> &rules)
{
    std::string error;
    if (lab_ && !lab_->setRules(rules, &error))
        error_->setText(tr("Not applied: %1").arg(QString::fromStdString(error)));
    const int row = selectedRow();
    model_->setRules(rules);
    selectRow(std::min(row < 0 ? 0 : row, int(rules.size()) - 1));
}

bool RuleEditor::addRule(ScenarioRule rule)
{
    auto rules = model_->rules();
    std::set<std::string> names;
    for (const auto &r : rules)
        names.insert(r.host + '/' + r.rule.name);
    const std::string base = rule.rule.name;
    for (int n = 2; names.count(rule.host + '/' + rule.rule.name); ++n)
        rule.rule.name = base + '-' + std::to_string(n);
    rules.push_back(std::move(rule));
    if (!changeRules(std::move(rules), tr("Add rule"))) return false;
    selectRow(int(model_->rules().size()) - 1);
    return true;
}

void RuleEditor::move(int delta)
{
    const int row = selectedRow();
    const int to = row + delta;
    if (row < 0 || to < 0 || to >= int(model_->rules().size())) return;
    auto rules = model_->rules();
    std::swap(rules[std::size_t(row)], rules[std::size_t(to)]);
    if (changeRules(std::move(rules), tr("Move rule"))) selectRow(to);
}

void RuleEditor::selectRow(int row)
{
    if (row < 0 || row >= model_->rowCount()) {
        fillForm();
        return;
    }
    table_->selectionModel()->setCurrentIndex(model_->index(row, RuleListModel::Name),
                                              QItemSelectionModel::ClearAndSelect |
                                                  QItemSelectionModel::Rows);
    fillForm();
}

int RuleEditor::selectedRow() const
{
    const QModelIndex current = table_->selectionModel()->currentIndex();
    return current.isValid() && current.row() < model_->rowCount() ? current.row() : -1;
}

void RuleEditor::fillForm()
{
    const int row = selectedRow();
    filling_ = true;
    const bool have = row >= 0;
    for (auto *w : std::initializer_list<QWidget *>{name_, hook_, states_, localPort_, remotePort_,
                                                    payloadLen_, payloadContains_, occurrence_,
                                                    occurrenceCount_, probability_, text_, actions_})
        w->setEnabled(have);
    for (auto *f : flags_)
        f->setEnabled(have);
    if (have) {
        const ScenarioRule &r = model_->rules()[std::size_t(row)];
        const Match &m = r.rule.match;
        name_->setText(QString::fromStdString(r.rule.name));
        hook_->setCurrentIndex(r.rule.hook == HookPoint::Ingress ? 0 : 1);
        for (std::size_t i = 0; i < flags_.size(); ++i) {
            const std::uint8_t bit = std::uint8_t(1u << i);
            flags_[i]->setCheckState((m.flagsSet & bit)     ? Qt::Checked
                                     : (m.flagsClear & bit) ? Qt::Unchecked
                                                            : Qt::PartiallyChecked);
        }
        for (int i = 0; i < kTcpStateCount; ++i)
            states_->item(i)->setSelected(m.states.contains(TcpState(i)));
        localPort_->setText(portsText(m.localPort));
        remotePort_->setText(portsText(m.remotePort));
        payloadLen_->setText(!m.payloadLength ? QString()
                             : m.payloadLength->lo == m.payloadLength->hi
                                 ? QString::number(m.payloadLength->lo)
                                 : QStringLiteral("%1-%2").arg(m.payloadLength->lo).arg(m.payloadLength->hi));
        payloadContains_->setText(payloadText(m));
        occurrence_->setCurrentIndex(int(m.occurrence));
        occurrenceCount_->setValue(int(m.occurrenceCount));
        probability_->setValue(m.probability);
        text_->setPlainText(QString::fromStdString(ruleToml(r)));
        actions_->setActions(r.rule.actions, row == actionsRuleRow_);
        actionsRuleRow_ = row;
    } else {
        // (Between a model reset and the re-selection: the action editor keeps its place.)
        text_->clear();
        actions_->setActions({});
    }
    filling_ = false;
    validateText();
}

void RuleEditor::formEdited()
{
    const int row = selectedRow();
    if (filling_ || row < 0) return;
    ScenarioRule r = model_->rules()[std::size_t(row)];
    Match &m = r.rule.match;
    r.rule.name = name_->text().trimmed().toStdString();
    r.rule.hook = hook_->currentIndex() == 0 ? HookPoint::Ingress : HookPoint::Egress;
    m.flagsSet = m.flagsClear = 0;
    for (std::size_t i = 0; i < flags_.size(); ++i) {
        if (flags_[i]->checkState() == Qt::Checked) m.flagsSet |= std::uint8_t(1u << i);
        if (flags_[i]->checkState() == Qt::Unchecked) m.flagsClear |= std::uint8_t(1u << i);
    }
    m.states = {};
    for (int i = 0; i < kTcpStateCount; ++i)
        if (states_->item(i)->isSelected()) m.states.insert(TcpState(i));
    bool okLocal = false, okRemote = false, okLen = false;
    m.localPort = parsePorts(localPort_->text(), &okLocal);
    m.remotePort = parsePorts(remotePort_->text(), &okRemote);
    const auto len = parsePorts(payloadLen_->text(), &okLen);
    m.payloadLength = len ? std::optional<CountRange>(CountRange{len->lo, len->hi}) : std::nullopt;
    const bool okPayload = parsePayload(payloadContains_->text(), m);
    m.occurrence = Occurrence(occurrence_->currentIndex());
    m.occurrenceCount = std::uint64_t(occurrenceCount_->value());
    m.probability = probability_->value();
    r.rule.actions = actions_->actions();
    if (r.rule.name.empty() || !okLocal || !okRemote || !okLen || !okPayload) {
        lastError_ =
            r.rule.name.empty() ? tr("Not applied: a rule needs a name")
            : !okPayload
                ? tr("Not applied: the payload match \"%1\" starts with 0x but is not pairs of hex digits")
                      .arg(payloadContains_->text())
                : tr("Not applied: a port or length is not a number or a range lo-hi");
        error_->setText(lastError_);
        return;
    }
    if (r == model_->rules()[std::size_t(row)]) return;
    auto rules = model_->rules();
    rules[std::size_t(row)] = std::move(r);
    changeRules(std::move(rules), tr("Edit rule"));
}

void RuleEditor::validateText()
{
    if (filling_ || selectedRow() < 0) return;
    auto parsed = ruleFromToml(text_->toPlainText().toStdString());
    if (!parsed) {
        lastError_ = QString::fromStdString(parsed.error().message);
        error_->setText(lastError_);
    } else {
        lastError_.clear();
        error_->clear();
    }
}

bool RuleEditor::applyText()
{
    const int row = selectedRow();
    if (row < 0) return false;
    auto parsed = ruleFromToml(text_->toPlainText().toStdString());
    if (!parsed) {
        lastError_ = tr("Not applied: %1").arg(QString::fromStdString(parsed.error().message));
        error_->setText(lastError_);
        return false;
    }
    auto rules = model_->rules();
    rules[std::size_t(row)] = parsed.value();
    return changeRules(std::move(rules), tr("Edit rule text"));
}

void RuleEditor::showPage(int page)
{
    pages_->setCurrentIndex(page);
}

bool RuleEditor::moveRule(int from, int before)
{
    const int n = int(model_->rules().size());
    if (from < 0 || from >= n || before < 0 || before > n || before == from || before == from + 1)
        return false;
    const int to = before > from ? before - 1 : before;
    auto rules = model_->rules();
    ScenarioRule rule = std::move(rules[std::size_t(from)]);
    rules.erase(rules.begin() + from);
    rules.insert(rules.begin() + to, std::move(rule));
    if (!changeRules(std::move(rules), tr("Move rule"))) return false;
    selectRow(to);
    return true;
}

// The lab loaded a scenario the editor did not open (the demo network's Run button, the command
// line): take the library's copy as the document when it is one, else the lab's rules alone.
void RuleEditor::adoptLabScenario()
{
    if (!lab_ || document_.name == scenarioName_) return;
    path_.clear();
    document_ = Scenario{};
    for (const auto &b : builtinScenarios()) {
        if (b.name != scenarioName_) continue;
        if (auto s = loadScenario(b.text, b.name)) document_ = std::move(s.value());
    }
    document_.name = scenarioName_;
    emit documentChanged();
}

bool RuleEditor::openScenario(const QString &nameOrPath)
{
    if (!maybeSave()) {
        lastError_ = tr("Not opened: the unsaved changes were kept");
        return false;
    }
    auto loaded = loadScenarioByNameOrFile(nameOrPath.toStdString());
    if (!loaded) {
        // "file:line:col: message" for every mistake found.
        lastError_ = tr("Cannot open scenario: %1").arg(QString::fromStdString(loaded.error().message));
        error_->setText(lastError_);
        return false;
    }
    std::string error;
    if (lab_ && !lab_->loadScenario(nameOrPath.toStdString(), &error)) {
        lastError_ = tr("Cannot open scenario: %1").arg(QString::fromStdString(error));
        error_->setText(lastError_);
        return false;
    }
    const bool isFile = nameOrPath.contains(QLatin1Char('/')) || nameOrPath.endsWith(QLatin1String(".toml"));
    document_ = std::move(loaded.value());
    path_ = isFile ? QFileInfo(nameOrPath).absoluteFilePath() : QString();
    if (!lab_) {
        scenarioName_ = document_.name;
        undo_->clear();
        model_->setRules(document_.rules);
    } else {
        reload();
    }
    lastError_.clear();
    error_->clear();
    emit documentChanged();
    return true;
}

bool RuleEditor::isModified() const
{
    return !undo_->isClean();
}

QString RuleEditor::documentTitle() const
{
    if (!path_.isEmpty()) return QFileInfo(path_).fileName();
    return tr("%1 (library)").arg(QString::fromStdString(document_.name));
}

bool RuleEditor::save()
{
    if (path_.isEmpty()) return saveAsDialog();
    return saveAs(path_);
}

bool RuleEditor::saveAs(const QString &path)
{
    Scenario doc = document_;
    doc.rules = model_->rules();
    const std::string text = saveScenario(doc);
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly) ||
        file.write(text.data(), qint64(text.size())) != qint64(text.size()) || !file.commit()) {
        lastError_ = tr("Cannot save \"%1\": %2").arg(path, file.errorString());
        error_->setText(lastError_);
        return false;
    }
    document_ = std::move(doc);
    path_ = QFileInfo(path).absoluteFilePath();
    undo_->setClean();
    lastError_.clear();
    error_->clear();
    emit documentChanged();
    return true;
}

bool RuleEditor::saveAsDialog()
{
    const QString start =
        path_.isEmpty() ? QString::fromStdString(document_.name) + QStringLiteral(".toml") : path_;
    const QString path =
        QFileDialog::getSaveFileName(this, tr("Save scenario"), start, tr("Scenarios (*.toml)"));
    return !path.isEmpty() && saveAs(path);
}

void RuleEditor::openDialog()
{
    const QString path = QFileDialog::getOpenFileName(
        this, tr("Open scenario"), QFileInfo(path_).absolutePath(), tr("Scenarios (*.toml);;All files (*)"));
    if (!path.isEmpty() && openScenario(path)) emit scenarioOpened();
}

bool RuleEditor::maybeSave()
{
    if (!isModified()) return true;
    int answer = QMessageBox::Cancel;
    if (prompt_) {
        answer = prompt_();
    } else {
        answer = QMessageBox::question(
            this, tr("Unsaved rules"),
            tr("The rules of %1 have changed. Save them first?").arg(documentTitle()),
            QMessageBox::Save | QMessageBox::Discard | QMessageBox::Cancel, QMessageBox::Save);
    }
    if (answer == QMessageBox::Save) return save();
    return answer == QMessageBox::Discard;
}

} // namespace tcplab::gui

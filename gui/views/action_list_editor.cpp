#include "views/action_list_editor.h"

#include <QCheckBox>
#include <QComboBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPushButton>
#include <QRegularExpression>
#include <QSpinBox>
#include <QStackedWidget>
#include <QVBoxLayout>

#include "models/rule_list_model.h"
#include "scenario/toml_reader.h"

namespace tcplab::gui {

namespace {

constexpr std::array<const char *, 8> kFlagNames{"FIN", "SYN", "RST", "PSH", "ACK", "URG", "ECE", "CWR"};
constexpr std::array<OptionKind, 5> kOptionKinds{OptionKind::Mss, OptionKind::WindowScale,
                                                 OptionKind::SackPermitted, OptionKind::Sack,
                                                 OptionKind::Timestamps};
constexpr std::size_t kKindCount = std::variant_size_v<Action>;

template <std::size_t... I> Action defaultActionOf(std::size_t kind, std::index_sequence<I...>)
{
    Action a;
    ((kind == I ? (void)(a = std::variant_alternative_t<I, Action>{}) : void()), ...);
    return a;
}

Action defaultAction(std::size_t kind)
{
    Action a = defaultActionOf(kind, std::make_index_sequence<kKindCount>{});
    // A reply starts as the bare ACK of the syn-answered-by-ack lesson: acceptable to nobody.
    if (auto *r = std::get_if<ReplyAction>(&a)) {
        r->seq = Expr::parse("seg.seq + 1").value();
        r->ack = Expr::parse("seg.seq + seg.win - 1").value();
    }
    return a;
}

QString qs(std::string_view s)
{
    return QString::fromUtf8(s.data(), qsizetype(s.size()));
}

// "field: column 9: expected a number" when the text is not an expression.
std::optional<Expr> readExpr(const QLineEdit *edit, const QString &what, QString *error)
{
    ExprParseError err;
    auto e = Expr::parse(edit->text().trimmed().toStdString(), &err);
    if (e) return e.value();
    *error = ActionListEditor::tr("%1: column %2: %3")
                 .arg(what)
                 .arg(err.column)
                 .arg(QString::fromStdString(err.message));
    return std::nullopt;
}

std::optional<Bytes> readBytes(const QString &text, bool hex, const QString &what, QString *error)
{
    if (!hex) {
        const QByteArray utf8 = text.toUtf8();
        return Bytes(utf8.begin(), utf8.end());
    }
    if (text.trimmed().isEmpty()) return Bytes{};
    auto b = parseHex(text.toStdString());
    if (!b)
        *error = ActionListEditor::tr("%1: \"%2\" is not hex bytes (like \"de ad be ef\")").arg(what, text);
    return b;
}

QString bytesText(const Bytes &b, bool text)
{
    return text ? QString::fromUtf8(reinterpret_cast<const char *>(b.data()), qsizetype(b.size()))
                : QString::fromStdString(formatHex(b));
}

std::optional<std::uint32_t> readNumber(const QString &text, std::uint64_t max, bool *ok)
{
    *ok = true;
    if (text.trimmed().isEmpty()) return std::nullopt;
    const qulonglong v = text.trimmed().toULongLong(ok);
    if (!*ok || v > max) {
        *ok = false;
        return std::nullopt;
    }
    return std::uint32_t(v);
}

} // namespace

OptionValuesForm::OptionValuesForm(const QString &prefix, QWidget *parent) : QWidget(parent)
{
    auto *fl = new QFormLayout(this);
    fl->setContentsMargins(0, 0, 0, 0);
    auto edit = [&](const QString &name, const QString &label, const QString &placeholder) {
        auto *e = new QLineEdit(this);
        e->setObjectName(prefix + name);
        e->setPlaceholderText(placeholder);
        connect(e, &QLineEdit::editingFinished, this, &OptionValuesForm::edited);
        fl->addRow(label, e);
        return e;
    };
    mss_ = edit(QStringLiteral("Mss"), tr("MSS"), tr("not set (e.g. 1460)"));
    wscale_ = edit(QStringLiteral("Wscale"), tr("Window scale"), tr("not set (e.g. 7)"));
    sackPermitted_ = new QComboBox(this);
    sackPermitted_->setObjectName(prefix + QStringLiteral("SackPermitted"));
    sackPermitted_->addItems({tr("not set"), tr("yes"), tr("no")});
    connect(sackPermitted_, &QComboBox::currentIndexChanged, this, &OptionValuesForm::edited);
    fl->addRow(tr("SACK permitted"), sackPermitted_);
    timestamps_ = edit(QStringLiteral("Timestamps"), tr("Timestamps"), tr("not set (TSval TSecr)"));
    sack_ = edit(QStringLiteral("Sack"), tr("SACK blocks"), tr("none (left-right, up to 4)"));
}

void OptionValuesForm::setValues(const OptionValues &v)
{
    const QSignalBlocker block(this);
    const QSignalBlocker blockCombo(sackPermitted_);
    mss_->setText(v.mss ? QString::number(*v.mss) : QString());
    wscale_->setText(v.windowScale ? QString::number(*v.windowScale) : QString());
    sackPermitted_->setCurrentIndex(!v.sackPermitted ? 0 : *v.sackPermitted ? 1 : 2);
    timestamps_->setText(v.timestamps
                             ? QStringLiteral("%1 %2").arg(v.timestamps->first).arg(v.timestamps->second)
                             : QString());
    QStringList blocks;
    for (const auto &[l, r] : v.sackBlocks)
        blocks << QStringLiteral("%1-%2").arg(l).arg(r);
    sack_->setText(blocks.join(QLatin1Char(' ')));
}

std::optional<OptionValues> OptionValuesForm::values(QString *error) const
{
    OptionValues v;
    bool ok = true;
    if (auto m = readNumber(mss_->text(), 65535, &ok)) v.mss = std::uint16_t(*m);
    if (!ok) return *error = tr("MSS must be a number from 0 to 65535"), std::nullopt;
    if (auto w = readNumber(wscale_->text(), 255, &ok)) v.windowScale = std::uint8_t(*w);
    if (!ok) return *error = tr("window scale must be a number from 0 to 255"), std::nullopt;
    if (sackPermitted_->currentIndex() > 0) v.sackPermitted = sackPermitted_->currentIndex() == 1;
    static const QRegularExpression separators(QStringLiteral("[\\s,]+"));
    const QStringList ts = timestamps_->text().trimmed().split(separators, Qt::SkipEmptyParts);
    if (!ts.isEmpty()) {
        bool a = false, b = false;
        const auto val = readNumber(ts.value(0), 0xffffffffu, &a),
                   ecr = readNumber(ts.value(1), 0xffffffffu, &b);
        if (ts.size() != 2 || !a || !b || !val || !ecr)
            return *error = tr("timestamps must be two numbers: TSval TSecr"), std::nullopt;
        v.timestamps = {{*val, *ecr}};
    }
    const QStringList blocks = sack_->text().trimmed().split(separators, Qt::SkipEmptyParts);
    for (const QString &block : blocks) {
        const QStringList lr = block.split(QLatin1Char('-'));
        bool a = false, b = false;
        const auto l = readNumber(lr.value(0), 0xffffffffu, &a), r = readNumber(lr.value(1), 0xffffffffu, &b);
        if (lr.size() != 2 || !a || !b || !l || !r || blocks.size() > 4)
            return *error = tr("SACK blocks must be up to 4 ranges left-right (\"%1\")").arg(block),
                   std::nullopt;
        v.sackBlocks.emplace_back(*l, *r);
    }
    return v;
}

std::vector<QString> ActionListEditor::kindNames()
{
    std::vector<QString> names;
    for (std::size_t i = 0; i < kKindCount; ++i)
        names.push_back(qs(actionName(defaultAction(i))));
    return names;
}

ActionListEditor::ActionListEditor(QWidget *parent)
    : QWidget(parent), list_(new QListWidget(this)), addKind_(new QComboBox(this)),
      pages_(new QStackedWidget(this)), errorLabel_(new QLabel(this))
{
    setObjectName(QStringLiteral("ActionListEditor"));
    list_->setObjectName(QStringLiteral("actionList"));
    addKind_->setObjectName(QStringLiteral("addKind"));
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    auto *row = new QHBoxLayout;
    const QStringList labels{tr("Drop"),
                             tr("Delay"),
                             tr("Duplicate"),
                             tr("Hold (reorder)"),
                             tr("Set a field"),
                             tr("Set/clear flags"),
                             tr("Rewrite options"),
                             tr("Rewrite payload"),
                             tr("Corrupt checksum"),
                             tr("Reply with a segment"),
                             tr("Inject RST or FIN")};
    for (std::size_t i = 0; i < kKindCount; ++i)
        addKind_->addItem(labels.value(int(i)), int(i));
    row->addWidget(addKind_, 1);
    auto button = [&](const QString &text, auto slot) {
        auto *b = new QPushButton(text, this);
        connect(b, &QPushButton::clicked, this, slot);
        row->addWidget(b);
    };
    button(tr("Add action"), [this] { addAction(std::size_t(addKind_->currentData().toInt())); });
    button(tr("Remove"), [this] { removeAction(); });
    button(tr("Up"), [this] { moveAction(-1); });
    button(tr("Down"), [this] { moveAction(+1); });
    layout->addLayout(row);
    list_->setMaximumHeight(60);
    layout->addWidget(list_);
    buildPages();
    layout->addWidget(pages_);
    errorLabel_->setObjectName(QStringLiteral("actionError"));
    errorLabel_->setWordWrap(true);
    errorLabel_->setStyleSheet(QStringLiteral("color: #b00020"));
    layout->addWidget(errorLabel_);
    connect(list_, &QListWidget::currentRowChanged, this, [this](int row) {
        if (!filling_ && row >= 0) preferredRow_ = row;
        fillPage();
    });
}

void ActionListEditor::buildPages()
{
    auto page = [this](const QString &help) {
        auto *w = new QWidget(pages_);
        auto *fl = new QFormLayout(w);
        fl->setContentsMargins(0, 0, 0, 0);
        if (!help.isEmpty()) {
            auto *l = new QLabel(help, w);
            l->setWordWrap(true);
            fl->addRow(l);
        }
        pages_->addWidget(w);
        return fl;
    };
    auto edit = [this](QFormLayout *fl, const QString &name, const QString &label,
                       const QString &placeholder = {}) {
        auto *e = new QLineEdit(fl->parentWidget());
        e->setObjectName(name);
        e->setPlaceholderText(placeholder);
        connect(e, &QLineEdit::editingFinished, this, &ActionListEditor::pageEdited);
        connect(e, &QLineEdit::textEdited, this, &ActionListEditor::validateLive);
        fl->addRow(label, e);
        return e;
    };
    auto spin = [this](QFormLayout *fl, const QString &name, const QString &label, int lo, int hi) {
        auto *s = new QSpinBox(fl->parentWidget());
        s->setObjectName(name);
        s->setRange(lo, hi);
        connect(s, &QSpinBox::valueChanged, this, &ActionListEditor::pageEdited);
        fl->addRow(label, s);
        return s;
    };
    auto combo = [this](QFormLayout *fl, const QString &name, const QString &label,
                        const QStringList &items) {
        auto *c = new QComboBox(fl->parentWidget());
        c->setObjectName(name);
        c->addItems(items);
        connect(c, &QComboBox::currentIndexChanged, this, &ActionListEditor::pageEdited);
        fl->addRow(label, c);
        return c;
    };
    const QString exprHelp = tr("an expression: seg.seq + 1, tcb.snd_nxt, rand(1, 9)");
    // Drop
    page(tr("The packet goes no further."));
    // Delay
    auto *fl = page(tr("The packet leaves later; later packets may overtake it."));
    delayBy_ = edit(fl, QStringLiteral("delayBy"), tr("By"), tr("e.g. 200ms, 1.5s"));
    // Duplicate
    fl = page(tr("Extra copies go out right after the packet."));
    duplicateCount_ = spin(fl, QStringLiteral("duplicateCount"), tr("Copies"), 1, 100);
    // Hold
    fl = page(tr("Reorder: the packet waits until the next packets through the same hook have passed."));
    holdSegments_ = spin(fl, QStringLiteral("holdSegments"), tr("Let pass first"), 1, 1000);
    holdTimeout_ = edit(fl, QStringLiteral("holdTimeout"), tr("Release after"), tr("e.g. 1s"));
    // Set a field
    fl = page({});
    setField_ = new QComboBox(fl->parentWidget());
    setField_->setObjectName(QStringLiteral("setField"));
    setField_->setEditable(true);
    setField_->setInsertPolicy(QComboBox::NoInsert);
    for (int f = 0; f <= int(PacketField::IpDf); ++f)
        setField_->addItem(qs(packetFieldInfo(PacketField(f)).name), f);
    connect(setField_, &QComboBox::currentIndexChanged, this, &ActionListEditor::pageEdited);
    connect(setField_->lineEdit(), &QLineEdit::editingFinished, this, &ActionListEditor::pageEdited);
    connect(setField_->lineEdit(), &QLineEdit::textEdited, this, &ActionListEditor::validateLive);
    fl->addRow(tr("Field"), setField_);
    setValue_ = edit(fl, QStringLiteral("setValue"), tr("Value"), exprHelp);
    // Flags
    fl = page(tr("Checked: set; empty: clear; partly checked: leave as it is."));
    auto *flagRow = new QHBoxLayout;
    for (std::size_t i = 0; i < flagBoxes_.size(); ++i) {
        flagBoxes_[i] = new QCheckBox(QString::fromLatin1(kFlagNames[i]), fl->parentWidget());
        flagBoxes_[i]->setObjectName(QStringLiteral("actionFlag") + QString::fromLatin1(kFlagNames[i]));
        flagBoxes_[i]->setTristate(true);
        connect(flagBoxes_[i], &QCheckBox::stateChanged, this, &ActionListEditor::pageEdited);
        flagRow->addWidget(flagBoxes_[i]);
    }
    fl->addRow(tr("Flags"), flagRow);
    // Options
    fl = page({});
    removeAll_ = new QCheckBox(tr("all options"), fl->parentWidget());
    removeAll_->setObjectName(QStringLiteral("removeAll"));
    connect(removeAll_, &QCheckBox::toggled, this, &ActionListEditor::pageEdited);
    auto *removeRow = new QHBoxLayout;
    removeRow->addWidget(removeAll_);
    for (std::size_t i = 0; i < kOptionKinds.size(); ++i) {
        removeOption_[i] = new QCheckBox(qs(optionKindName(kOptionKinds[i])), fl->parentWidget());
        removeOption_[i]->setObjectName(QStringLiteral("remove_") + qs(optionKindName(kOptionKinds[i])));
        connect(removeOption_[i], &QCheckBox::toggled, this, &ActionListEditor::pageEdited);
        removeRow->addWidget(removeOption_[i]);
    }
    fl->addRow(tr("Remove"), removeRow);
    options_ = new OptionValuesForm(QStringLiteral("options"), fl->parentWidget());
    connect(options_, &OptionValuesForm::edited, this, &ActionListEditor::pageEdited);
    fl->addRow(tr("Add or change"), options_);
    // Payload
    fl = page({});
    payloadMode_ =
        combo(fl, QStringLiteral("payloadMode"), tr("Do"), {tr("replace"), tr("truncate"), tr("append")});
    payloadData_ = edit(fl, QStringLiteral("payloadData"), tr("Data"));
    payloadHex_ = new QCheckBox(tr("hex bytes"), fl->parentWidget());
    payloadHex_->setObjectName(QStringLiteral("payloadHex"));
    connect(payloadHex_, &QCheckBox::toggled, this, &ActionListEditor::pageEdited);
    fl->addRow(QString(), payloadHex_);
    payloadLength_ = spin(fl, QStringLiteral("payloadKeep"), tr("Keep bytes"), 0, 65535);
    // Corrupt checksum
    page(tr("The TCP checksum is made wrong on purpose; the receiver should discard the segment."));
    // Reply
    fl = page(
        tr("The packet is answered with this segment (addresses and ports reversed) and goes no further."));
    replyFlags_ = edit(fl, QStringLiteral("replyFlags"), tr("Flags"), tr("e.g. ACK, SYN|ACK, none"));
    replySeq_ = edit(fl, QStringLiteral("replySeq"), tr("Sequence number"), exprHelp);
    replyAck_ = edit(fl, QStringLiteral("replyAck"), tr("Acknowledgment number"), exprHelp);
    replyWindow_ = edit(fl, QStringLiteral("replyWindow"), tr("Window"), exprHelp);
    replyOptions_ = new OptionValuesForm(QStringLiteral("reply"), fl->parentWidget());
    connect(replyOptions_, &OptionValuesForm::edited, this, &ActionListEditor::pageEdited);
    fl->addRow(tr("Options"), replyOptions_);
    replyPayload_ = edit(fl, QStringLiteral("replyPayload"), tr("Payload"), tr("none"));
    replyHex_ = new QCheckBox(tr("hex bytes"), fl->parentWidget());
    replyHex_->setObjectName(QStringLiteral("replyHex"));
    connect(replyHex_, &QCheckBox::toggled, this, &ActionListEditor::pageEdited);
    fl->addRow(QString(), replyHex_);
    // Inject
    fl = page(tr("An extra segment is sent; the packet itself goes on."));
    injectFlags_ =
        combo(fl, QStringLiteral("injectFlags"), tr("Send"), {QStringLiteral("RST"), QStringLiteral("FIN")});
    injectToward_ =
        combo(fl, QStringLiteral("injectToward"), tr("Toward"), {tr("the sender"), tr("the receiver")});
    injectSeq_ =
        edit(fl, QStringLiteral("injectSeq"), tr("Sequence number"), tr("default: acceptable to its target"));
    injectAck_ = edit(fl, QStringLiteral("injectAck"), tr("Acknowledgment number"),
                      tr("default: acceptable to its target"));
}

void ActionListEditor::setActions(const std::vector<Action> &actions, bool sameRule)
{
    if (!sameRule) preferredRow_ = 0;
    const int row = preferredRow_;
    actions_ = actions;
    refreshList();
    filling_ = true;
    list_->setCurrentRow(actions_.empty() ? -1 : std::min(row, int(actions_.size()) - 1));
    filling_ = false;
    fillPage();
}

void ActionListEditor::refreshList()
{
    const QSignalBlocker block(list_);
    const int row = list_->currentRow();
    list_->clear();
    for (std::size_t i = 0; i < actions_.size(); ++i)
        list_->addItem(QStringLiteral("%1. %2").arg(i + 1).arg(actionSummary(actions_[i])));
    list_->setCurrentRow(std::min(row, list_->count() - 1));
}

int ActionListEditor::currentAction() const
{
    const int row = list_->currentRow();
    return row >= 0 && row < int(actions_.size()) ? row : -1;
}

void ActionListEditor::selectAction(int index)
{
    list_->setCurrentRow(index);
}

void ActionListEditor::fillPage()
{
    const int row = currentAction();
    filling_ = true;
    pages_->setEnabled(row >= 0);
    setError({});
    if (row < 0) {
        filling_ = false;
        return;
    }
    const Action &a = actions_[std::size_t(row)];
    pages_->setCurrentIndex(int(a.index()));
    for (QObject *child : pages_->findChildren<QWidget *>())
        child->blockSignals(true);
    if (auto *d = std::get_if<DelayAction>(&a))
        delayBy_->setText(QString::fromStdString(formatDuration(d->by)));
    if (auto *d = std::get_if<DuplicateAction>(&a)) duplicateCount_->setValue(int(d->count));
    if (auto *h = std::get_if<HoldAction>(&a)) {
        holdSegments_->setValue(int(h->segments));
        holdTimeout_->setText(QString::fromStdString(formatDuration(h->timeout)));
    }
    if (auto *s = std::get_if<SetFieldAction>(&a)) {
        setField_->setCurrentIndex(setField_->findData(int(s->field)));
        setValue_->setText(QString::fromStdString(s->value.text()));
    }
    if (auto *f = std::get_if<FlagsAction>(&a))
        for (std::size_t i = 0; i < flagBoxes_.size(); ++i) {
            const std::uint8_t bit = std::uint8_t(1u << i);
            flagBoxes_[i]->setCheckState((f->set & bit)     ? Qt::Checked
                                         : (f->clear & bit) ? Qt::Unchecked
                                                            : Qt::PartiallyChecked);
        }
    if (auto *o = std::get_if<OptionsAction>(&a)) {
        removeAll_->setChecked(o->removeAll);
        for (std::size_t i = 0; i < kOptionKinds.size(); ++i)
            removeOption_[i]->setChecked(std::find(o->remove.begin(), o->remove.end(), kOptionKinds[i]) !=
                                         o->remove.end());
        options_->setValues(o->set);
    }
    if (auto *p = std::get_if<PayloadAction>(&a)) {
        payloadMode_->setCurrentIndex(int(p->mode));
        payloadData_->setText(bytesText(p->data, p->text));
        payloadHex_->setChecked(!p->text);
        payloadLength_->setValue(int(p->length));
    }
    if (auto *r = std::get_if<ReplyAction>(&a)) {
        replyFlags_->setText(QString::fromStdString(flagSetText(r->flags)));
        replySeq_->setText(QString::fromStdString(r->seq.text()));
        replyAck_->setText(QString::fromStdString(r->ack.text()));
        replyWindow_->setText(QString::fromStdString(r->window.text()));
        replyOptions_->setValues(r->options);
        replyPayload_->setText(bytesText(r->payload, r->payloadText));
        replyHex_->setChecked(!r->payloadText);
    }
    if (auto *i = std::get_if<InjectAction>(&a)) {
        injectFlags_->setCurrentIndex(i->flags == 0x01 ? 1 : 0);
        injectToward_->setCurrentIndex(i->toward == Toward::Sender ? 0 : 1);
        injectSeq_->setText(i->seq ? QString::fromStdString(i->seq->text()) : QString());
        injectAck_->setText(i->ack ? QString::fromStdString(i->ack->text()) : QString());
    }
    for (QObject *child : pages_->findChildren<QWidget *>())
        child->blockSignals(false);
    filling_ = false;
}

std::optional<Action> ActionListEditor::readPage(QString *error) const
{
    const int row = currentAction();
    if (row < 0) return std::nullopt;
    Action a = actions_[std::size_t(row)];
    if (auto *d = std::get_if<DelayAction>(&a)) {
        const QString text = delayBy_->text().trimmed();
        if (text.startsWith(QLatin1Char('-')))
            return *error = tr("delay: a delay cannot be negative (\"%1\")").arg(text), std::nullopt;
        auto by = parseDuration(text.toStdString());
        if (!by)
            return *error = tr("delay: \"%1\" is not a duration (like 200ms, 1.5s, 10us)").arg(text),
                   std::nullopt;
        d->by = *by;
    }
    if (auto *d = std::get_if<DuplicateAction>(&a)) d->count = std::uint32_t(duplicateCount_->value());
    if (auto *h = std::get_if<HoldAction>(&a)) {
        h->segments = std::uint32_t(holdSegments_->value());
        const QString text = holdTimeout_->text().trimmed();
        auto t = parseDuration(text.toStdString());
        if (!t || text.startsWith(QLatin1Char('-')))
            return *error = tr("hold: \"%1\" is not a duration (like 200ms, 1.5s, 10us)").arg(text),
                   std::nullopt;
        h->timeout = *t;
    }
    if (auto *s = std::get_if<SetFieldAction>(&a)) {
        const QString name = setField_->currentText().trimmed();
        auto field = packetFieldFromName(name.toStdString());
        if (!field)
            return *error = tr("set: unknown field '%1' (known: %2)").arg(name, qs(packetFieldNames())),
                   std::nullopt;
        auto value = readExpr(setValue_, tr("value"), error);
        if (!value) return std::nullopt;
        s->field = *field;
        s->value = *value;
    }
    if (auto *f = std::get_if<FlagsAction>(&a)) {
        f->set = f->clear = 0;
        for (std::size_t i = 0; i < flagBoxes_.size(); ++i) {
            if (flagBoxes_[i]->checkState() == Qt::Checked) f->set |= std::uint8_t(1u << i);
            if (flagBoxes_[i]->checkState() == Qt::Unchecked) f->clear |= std::uint8_t(1u << i);
        }
    }
    if (auto *o = std::get_if<OptionsAction>(&a)) {
        o->removeAll = removeAll_->isChecked();
        o->remove.clear();
        for (std::size_t i = 0; i < kOptionKinds.size(); ++i)
            if (removeOption_[i]->isChecked()) o->remove.push_back(kOptionKinds[i]);
        auto set = options_->values(error);
        if (!set) return *error = tr("options: %1").arg(*error), std::nullopt;
        o->set = *set;
    }
    if (auto *p = std::get_if<PayloadAction>(&a)) {
        p->mode = PayloadAction::Mode(payloadMode_->currentIndex());
        p->text = !payloadHex_->isChecked();
        p->data.clear();
        p->length = 0;
        if (p->mode == PayloadAction::Mode::Truncate) {
            p->text = true;
            p->length = std::uint32_t(payloadLength_->value());
        } else {
            auto data = readBytes(payloadData_->text(), !p->text, tr("payload"), error);
            if (!data) return std::nullopt;
            p->data = *data;
        }
    }
    if (auto *r = std::get_if<ReplyAction>(&a)) {
        std::size_t col = 0;
        auto flags = parseFlagSet(replyFlags_->text().trimmed().toStdString(), &col);
        if (!flags)
            return *error = tr("reply flags: column %1: %2")
                                .arg(col)
                                .arg(QString::fromStdString(flags.error().message)),
                   std::nullopt;
        r->flags = flags.value();
        auto seq = readExpr(replySeq_, tr("sequence number"), error);
        if (!seq) return std::nullopt;
        auto ack = readExpr(replyAck_, tr("acknowledgment number"), error);
        if (!ack) return std::nullopt;
        auto win = readExpr(replyWindow_, tr("window"), error);
        if (!win) return std::nullopt;
        r->seq = *seq, r->ack = *ack, r->window = *win;
        auto options = replyOptions_->values(error);
        if (!options) return *error = tr("reply options: %1").arg(*error), std::nullopt;
        r->options = *options;
        r->payloadText = !replyHex_->isChecked();
        auto payload = readBytes(replyPayload_->text(), !r->payloadText, tr("reply payload"), error);
        if (!payload) return std::nullopt;
        r->payload = *payload;
    }
    if (auto *i = std::get_if<InjectAction>(&a)) {
        i->flags = injectFlags_->currentIndex() == 1 ? std::uint8_t(0x01) : std::uint8_t(0x04);
        i->toward = injectToward_->currentIndex() == 0 ? Toward::Sender : Toward::Receiver;
        i->seq.reset();
        i->ack.reset();
        if (!injectSeq_->text().trimmed().isEmpty()) {
            i->seq = readExpr(injectSeq_, tr("sequence number"), error);
            if (!i->seq) return std::nullopt;
        }
        if (!injectAck_->text().trimmed().isEmpty()) {
            i->ack = readExpr(injectAck_, tr("acknowledgment number"), error);
            if (!i->ack) return std::nullopt;
        }
    }
    return a;
}

void ActionListEditor::setError(const QString &error)
{
    if (error == error_) return;
    error_ = error;
    errorLabel_->setText(error.isEmpty() ? QString() : tr("Not applied: %1").arg(error));
    emit errorChanged(error_);
}

void ActionListEditor::validateLive()
{
    if (filling_) return;
    QString error;
    readPage(&error);
    setError(error);
}

void ActionListEditor::pageEdited()
{
    const int row = currentAction();
    if (filling_ || row < 0) return;
    QString error;
    auto a = readPage(&error);
    setError(error);
    if (!a || *a == actions_[std::size_t(row)]) return;
    actions_[std::size_t(row)] = std::move(*a);
    report();
}

void ActionListEditor::report()
{
    refreshList();
    emit actionsEdited(actions_);
}

void ActionListEditor::addAction(std::size_t kind)
{
    if (kind >= kKindCount) return;
    actions_.push_back(defaultAction(kind));
    refreshList();
    list_->setCurrentRow(int(actions_.size()) - 1);
    emit actionsEdited(actions_);
}

void ActionListEditor::removeAction()
{
    const int row = currentAction();
    if (row < 0) return;
    if (actions_.size() == 1) {
        setError(tr("a rule needs at least one action (add another first, or delete the rule)"));
        return;
    }
    actions_.erase(actions_.begin() + row);
    refreshList();
    list_->setCurrentRow(std::min(row, int(actions_.size()) - 1));
    emit actionsEdited(actions_);
}

void ActionListEditor::moveAction(int delta)
{
    const int row = currentAction(), to = row + delta;
    if (row < 0 || to < 0 || to >= int(actions_.size())) return;
    std::swap(actions_[std::size_t(row)], actions_[std::size_t(to)]);
    refreshList();
    list_->setCurrentRow(to);
    emit actionsEdited(actions_);
}

} // namespace tcplab::gui

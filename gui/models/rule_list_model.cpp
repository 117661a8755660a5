#include "models/rule_list_model.h"

#include <sstream>

#include <QMimeData>

#include "services/scenario_model.h"

namespace tcplab::gui {

namespace {

QString portText(const std::optional<PortRange> &r)
{
    if (!r) return {};
    return r->lo == r->hi ? QString::number(r->lo) : QStringLiteral("%1-%2").arg(r->lo).arg(r->hi);
}

} // namespace

QString actionSummary(const Action &action)
{
    QString name = QString::fromUtf8(actionName(action).data(), int(actionName(action).size()));
    if (auto *d = std::get_if<DelayAction>(&action))
        return name + QLatin1Char(' ') +
               QString::number(std::chrono::duration<double, std::milli>(d->by).count()) +
               QStringLiteral(" ms");
    if (auto *r = std::get_if<ReplyAction>(&action))
        return name + QLatin1Char(' ') + QString::fromStdString(flagSetText(r->flags));
    if (auto *s = std::get_if<SetFieldAction>(&action))
        return name + QLatin1Char(' ') +
               QString::fromUtf8(packetFieldInfo(s->field).name.data(),
                                 int(packetFieldInfo(s->field).name.size())) +
               QStringLiteral(" = ") + QString::fromStdString(s->value.text());
    if (auto *d = std::get_if<DuplicateAction>(&action)) return name + QStringLiteral(" ×%1").arg(d->count);
    if (auto *h = std::get_if<HoldAction>(&action)) return name + QStringLiteral(" %1").arg(h->segments);
    if (auto *f = std::get_if<FlagsAction>(&action)) {
        QStringList parts;
        if (f->set) parts << QStringLiteral("+") + QString::fromStdString(flagSetText(f->set));
        if (f->clear) parts << QStringLiteral("-") + QString::fromStdString(flagSetText(f->clear));
        return name + QLatin1Char(' ') + parts.join(QLatin1Char(' '));
    }
    if (auto *i = std::get_if<InjectAction>(&action))
        return name + QLatin1Char(' ') + QString::fromStdString(flagSetText(i->flags)) +
               (i->toward == Toward::Sender ? QStringLiteral(" → sender") : QStringLiteral(" → receiver"));
    return name;
}

QString ruleSummary(const Rule &rule)
{
    QStringList match;
    const Match &m = rule.match;
    if (m.flagsSet || m.flagsClear) match << QString::fromStdString(flagMatchText(m.flagsSet, m.flagsClear));
    if (!m.states.empty()) {
        QStringList states;
        for (int i = 0; i < kTcpStateCount; ++i)
            if (m.states.contains(TcpState(i))) states << QString::fromUtf8(tcpStateName(TcpState(i)).data());
        match << states.join(QLatin1Char('|'));
    }
    if (m.localPort) match << QStringLiteral("lport ") + portText(m.localPort);
    if (m.remotePort) match << QStringLiteral("rport ") + portText(m.remotePort);
    if (m.payloadLength)
        match << QStringLiteral("len %1-%2").arg(m.payloadLength->lo).arg(m.payloadLength->hi);
    if (!m.payloadContains.empty()) {
        const QByteArray bytes(reinterpret_cast<const char *>(m.payloadContains.data()),
                               qsizetype(m.payloadContains.size()));
        match << (m.payloadContainsText ? QStringLiteral("payload \"%1\"").arg(QString::fromUtf8(bytes))
                                        : QStringLiteral("payload 0x") + QString::fromLatin1(bytes.toHex()));
    }
    if (m.probability < 1.0) match << QStringLiteral("p=%1").arg(m.probability);
    QStringList actions;
    for (const auto &a : rule.actions)
        actions << actionSummary(a);
    return (match.isEmpty() ? QStringLiteral("*") : match.join(QStringLiteral(", "))) +
           QStringLiteral(" → ") + actions.join(QStringLiteral(", "));
}

std::string ruleToml(const ScenarioRule &rule)
{
    // The saver's text of the rule alone, with its comments.
    std::string out = saveRule(rule);
    while (out.size() > 1 && out[out.size() - 1] == '\n' && out[out.size() - 2] == '\n')
        out.pop_back();
    return out;
}

Expected<ScenarioRule> ruleFromToml(const std::string &text)
{
    return loadRule(text, "rule");
}

RuleListModel::RuleListModel(QObject *parent) : QAbstractTableModel(parent) {}

void RuleListModel::setRules(std::vector<ScenarioRule> rules)
{
    beginResetModel();
    rules_ = std::move(rules);
    hits_.assign(rules_.size(), 0);
    for (std::size_t i = 0; i < rules_.size() && hitSource_; ++i)
        hits_[i] = hitSource_(rules_[i].host, rules_[i].rule.name);
    endResetModel();
}

void RuleListModel::refreshHits()
{
    if (!hitSource_) return;
    for (std::size_t i = 0; i < rules_.size(); ++i) {
        const std::uint64_t h = hitSource_(rules_[i].host, rules_[i].rule.name);
        if (h == hits_[i]) continue;
        hits_[i] = h;
        emit dataChanged(index(int(i), Hits), index(int(i), Hits), {Qt::DisplayRole});
    }
}

int RuleListModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(rules_.size());
}
int RuleListModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant RuleListModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid)) return {};
    const ScenarioRule &r = rules_[std::size_t(index.row())];
    if (role == Qt::CheckStateRole && index.column() == Enabled)
        return r.rule.enabled ? Qt::Checked : Qt::Unchecked;
    if (role == Qt::ToolTipRole && index.column() == Summary) return QString::fromStdString(ruleToml(r));
    if (role != Qt::DisplayRole) return {};
    switch (index.column()) {
    case Name: return QString::fromStdString(r.rule.name);
    case Host: return QString::fromStdString(r.host);
    case Hook:
        return r.rule.hook == HookPoint::Ingress ? QStringLiteral("ingress") : QStringLiteral("egress");
    case Summary: return ruleSummary(r.rule);
    case Hits: return QVariant::fromValue<qulonglong>(hits_[std::size_t(index.row())]);
    default: return {};
    }
}

bool RuleListModel::setData(const QModelIndex &index, const QVariant &value, int role)
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid) || index.column() != Enabled ||
        role != Qt::CheckStateRole)
        return false;
    emit enabledToggled(index.row(), value.toInt() == Qt::Checked);
    return true;
}

QVariant RuleListModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole) return {};
    switch (section) {
    case Enabled: return tr("On");
    case Name: return tr("Name");
    case Host: return tr("Host");
    case Hook: return tr("Hook");
    case Summary: return tr("Match → actions");
    case Hits: return tr("Hits");
    default: return {};
    }
}

Qt::ItemFlags RuleListModel::flags(const QModelIndex &index) const
{
    // The list itself takes drops: a view accepts a drag between two rows or below the last one
    // only when the rows' parent (the root) is drop-enabled.
    if (!index.isValid()) return Qt::ItemIsDropEnabled;
    Qt::ItemFlags f =
        Qt::ItemIsEnabled | Qt::ItemIsSelectable | Qt::ItemIsDragEnabled | Qt::ItemIsDropEnabled;
    if (index.column() == Enabled) f |= Qt::ItemIsUserCheckable;
    return f;
}

bool RuleListModel::moveRows(const QModelIndex &sourceParent, int sourceRow, int count,
                             const QModelIndex &destinationParent, int destinationChild)
{
    const int n = rowCount();
    if (sourceParent.isValid() || destinationParent.isValid() || count != 1 || sourceRow < 0 ||
        sourceRow >= n || destinationChild < 0 || destinationChild > n || destinationChild == sourceRow ||
        destinationChild == sourceRow + 1)
        return false;
    if (moveHandler_) return moveHandler_(sourceRow, destinationChild);
    beginMoveRows({}, sourceRow, sourceRow, {}, destinationChild);
    const int to = destinationChild > sourceRow ? destinationChild - 1 : destinationChild;
    ScenarioRule rule = std::move(rules_[std::size_t(sourceRow)]);
    const std::uint64_t hits = hits_[std::size_t(sourceRow)];
    rules_.erase(rules_.begin() + sourceRow);
    hits_.erase(hits_.begin() + sourceRow);
    rules_.insert(rules_.begin() + to, std::move(rule));
    hits_.insert(hits_.begin() + to, hits);
    endMoveRows();
    return true;
}

QStringList RuleListModel::mimeTypes() const
{
    return {QString::fromLatin1(kRowMimeType)};
}

QMimeData *RuleListModel::mimeData(const QModelIndexList &indexes) const
{
    // The view drags every cell of the selected row: one row it is, or nothing.
    int row = -1;
    for (const QModelIndex &i : indexes) {
        if (!i.isValid() || (row >= 0 && i.row() != row)) return nullptr;
        row = i.row();
    }
    if (row < 0) return nullptr;
    auto *data = new QMimeData;
    data->setData(QString::fromLatin1(kRowMimeType), QByteArray::number(row));
    return data;
}

namespace {

int draggedRow(const QMimeData *data, int rowCount)
{
    if (!data || !data->hasFormat(QString::fromLatin1(RuleListModel::kRowMimeType))) return -1;
    bool ok = false;
    const int row = data->data(QString::fromLatin1(RuleListModel::kRowMimeType)).toInt(&ok);
    return ok && row >= 0 && row < rowCount ? row : -1;
}

// Between rows: `row`; onto a row: before it; onto the empty space below: the end.
int dropTarget(int row, const QModelIndex &parent, int rowCount)
{
    if (row >= 0) return row;
    return parent.isValid() ? parent.row() : rowCount;
}

} // namespace

bool RuleListModel::canDropMimeData(const QMimeData *data, Qt::DropAction action, int, int,
                                    const QModelIndex &) const
{
    return action == Qt::MoveAction && draggedRow(data, rowCount()) >= 0;
}

bool RuleListModel::dropMimeData(const QMimeData *data, Qt::DropAction action, int row, int,
                                 const QModelIndex &parent)
{
    const int from = draggedRow(data, rowCount());
    if (action != Qt::MoveAction || from < 0) return false;
    return moveRows({}, from, 1, {}, dropTarget(row, parent, rowCount()));
}

} // namespace tcplab::gui

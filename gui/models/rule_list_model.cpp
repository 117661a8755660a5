#include "models/rule_list_model.h"

#include <sstream>

#include "services/scenario_model.h"

namespace tcplab::gui {

namespace {

QString portText(const std::optional<PortRange> &r)
{
    if (!r) return {};
    return r->lo == r->hi ? QString::number(r->lo) : QStringLiteral("%1-%2").arg(r->lo).arg(r->hi);
}

QString actionText(const Action &action)
{
    QString name = QString::fromUtf8(actionName(action).data(), int(actionName(action).size()));
    if (auto *d = std::get_if<DelayAction>(&action))
        return name + QLatin1Char(' ') + QString::number(std::chrono::duration<double, std::milli>(d->by).count()) +
               QStringLiteral(" ms");
    if (auto *r = std::get_if<ReplyAction>(&action)) return name + QLatin1Char(' ') + QString::fromStdString(flagSetText(r->flags));
    if (auto *s = std::get_if<SetFieldAction>(&action))
        return name + QLatin1Char(' ') + QString::fromUtf8(packetFieldInfo(s->field).name.data(), int(packetFieldInfo(s->field).name.size())) +
               QStringLiteral(" = ") + QString::fromStdString(s->value.text());
    return name;
}

}  // namespace

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
    if (m.payloadLength) match << QStringLiteral("len %1-%2").arg(m.payloadLength->lo).arg(m.payloadLength->hi);
    if (m.probability < 1.0) match << QStringLiteral("p=%1").arg(m.probability);
    QStringList actions;
    for (const auto &a : rule.actions) actions << actionText(a);
    return (match.isEmpty() ? QStringLiteral("*") : match.join(QStringLiteral(", "))) + QStringLiteral(" → ") +
           actions.join(QStringLiteral(", "));
}

std::string ruleToml(const ScenarioRule &rule)
{
    Scenario one;
    one.rules.push_back(rule);
    std::istringstream in(saveScenario(one));
    std::string line, out;
    bool inRule = false;
    while (std::getline(in, line)) {
        // The saver indents nested tables; the rule's body stands alone here.
        line.erase(0, line.find_first_not_of(" \t") == std::string::npos ? line.size() : line.find_first_not_of(" \t"));
        if (line == "[[rules]]") {
            inRule = true;
            continue;
        }
        if (inRule && !line.empty() && line[0] == '[') {
            const bool nested = line.rfind("[rules.", 0) == 0 || line.rfind("[[rules.", 0) == 0;
            if (!nested) break;
            const std::size_t at = line.find("rules.");
            line.erase(at, 6);
        }
        if (inRule) out += line + '\n';
    }
    while (out.size() > 1 && out[out.size() - 1] == '\n' && out[out.size() - 2] == '\n') out.pop_back();
    return out;
}

Expected<ScenarioRule> ruleFromToml(const std::string &text) { return loadRule(text, "rule"); }

RuleListModel::RuleListModel(QObject *parent) : QAbstractTableModel(parent) {}

void RuleListModel::setRules(std::vector<ScenarioRule> rules)
{
    beginResetModel();
    rules_ = std::move(rules);
    hits_.assign(rules_.size(), 0);
    for (std::size_t i = 0; i < rules_.size() && hitSource_; ++i) hits_[i] = hitSource_(rules_[i].host, rules_[i].rule.name);
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

int RuleListModel::rowCount(const QModelIndex &parent) const { return parent.isValid() ? 0 : int(rules_.size()); }
int RuleListModel::columnCount(const QModelIndex &parent) const { return parent.isValid() ? 0 : ColumnCount; }

QVariant RuleListModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid)) return {};
    const ScenarioRule &r = rules_[std::size_t(index.row())];
    if (role == Qt::CheckStateRole && index.column() == Enabled) return r.rule.enabled ? Qt::Checked : Qt::Unchecked;
    if (role == Qt::ToolTipRole && index.column() == Summary) return QString::fromStdString(ruleToml(r));
    if (role != Qt::DisplayRole) return {};
    switch (index.column()) {
    case Name: return QString::fromStdString(r.rule.name);
    case Host: return QString::fromStdString(r.host);
    case Hook: return r.rule.hook == HookPoint::Ingress ? QStringLiteral("ingress") : QStringLiteral("egress");
    case Summary: return ruleSummary(r.rule);
    case Hits: return QVariant::fromValue<qulonglong>(hits_[std::size_t(index.row())]);
    default: return {};
    }
}

bool RuleListModel::setData(const QModelIndex &index, const QVariant &value, int role)
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid) || index.column() != Enabled || role != Qt::CheckStateRole)
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
    if (!index.isValid()) return Qt::NoItemFlags;
    Qt::ItemFlags f = Qt::ItemIsEnabled | Qt::ItemIsSelectable;
    if (index.column() == Enabled) f |= Qt::ItemIsUserCheckable;
    return f;
}

}  // namespace tcplab::gui

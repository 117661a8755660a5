#include "models/session_list_model.h"

#include <QFont>

namespace tcplab::gui {

SessionListModel::SessionListModel(const SessionIndex &index, QObject *parent)
    : QAbstractTableModel(parent), index_(index)
{
}

int SessionListModel::rowCount(const QModelIndex &parent) const { return parent.isValid() ? 0 : rows_; }
int SessionListModel::columnCount(const QModelIndex &parent) const { return parent.isValid() ? 0 : ColumnCount; }

QVariant SessionListModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid)) return {};
    const SessionData &s = index_.sessions()[std::size_t(index.row())];
    if (role == SessionIdRole) return QVariant::fromValue<qulonglong>(s.id);
    if (role == Qt::TextAlignmentRole)
        return index.column() >= Packets ? QVariant(Qt::AlignRight | Qt::AlignVCenter) : QVariant();
    if (role == SortRole) {
        switch (index.column()) {
        case Id: return QVariant::fromValue<qulonglong>(s.id);
        case Packets: return QVariant::fromValue<qulonglong>(s.packets);
        case Bytes: return QVariant::fromValue<qulonglong>(s.bytes);
        case RuleHits: return QVariant::fromValue<qulonglong>(s.ruleHitCount);
        default: return data(index, Qt::DisplayRole);
        }
    }
    if (role == Qt::ToolTipRole && ((index.column() == ServerState && s.rightInferred) ||
                                    (index.column() == ClientState && s.leftInferred)))
        return tr("Inferred from the segments this end sent");
    if (role != Qt::DisplayRole) return {};
    switch (index.column()) {
    case Id: return QVariant::fromValue<qulonglong>(s.id);
    case Client: return QString::fromStdString(s.left.toString());
    case Server: return QString::fromStdString(s.right.toString());
    case ClientState:
        return s.leftInferred ? tr("%1 (inferred)").arg(QString::fromStdString(s.leftState))
                              : QString::fromStdString(s.leftState);
    case ServerState:
        return s.rightInferred ? tr("%1 (inferred)").arg(QString::fromStdString(s.rightState))
                               : QString::fromStdString(s.rightState);
    case Packets: return QVariant::fromValue<qulonglong>(s.packets);
    case Bytes: return QVariant::fromValue<qulonglong>(s.bytes);
    case RuleHits: return QVariant::fromValue<qulonglong>(s.ruleHitCount);
    default: return {};
    }
}

QVariant SessionListModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole) return {};
    switch (section) {
    case Id: return tr("#");
    case Client: return tr("Client");
    case Server: return tr("Server");
    case ClientState: return tr("Client state");
    case ServerState: return tr("Server state");
    case Packets: return tr("Packets");
    case Bytes: return tr("Bytes");
    case RuleHits: return tr("Rule hits");
    default: return {};
    }
}

void SessionListModel::onBatch(const IngestResult &result)
{
    const int total = int(index_.sessions().size());
    if (total > rows_) {
        beginInsertRows({}, rows_, total - 1);
        rows_ = total;
        endInsertRows();
    }
    for (auto pos : result.changedSessions) {
        if (int(pos) >= rows_) continue;
        emit dataChanged(index(int(pos), ClientState), index(int(pos), ColumnCount - 1));
    }
}

void SessionListModel::reset()
{
    beginResetModel();
    rows_ = int(index_.sessions().size());
    endResetModel();
}

SessionFilterModel::SessionFilterModel(QObject *parent) : QSortFilterProxyModel(parent)
{
    setSortRole(SessionListModel::SortRole);
    setFilterCaseSensitivity(Qt::CaseInsensitive);
}

bool SessionFilterModel::filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const
{
    const auto pattern = filterRegularExpression();
    if (pattern.pattern().isEmpty()) return true;
    for (int c = 0; c < SessionListModel::ColumnCount; ++c) {
        const auto text = sourceModel()->index(sourceRow, c, sourceParent).data().toString();
        if (text.contains(pattern)) return true;
    }
    return false;
}

}  // namespace tcplab::gui

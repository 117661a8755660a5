#include "models/field_tree_model.h"

#include <QBrush>
#include <QCoreApplication>

namespace tcplab::gui {

FieldTreeModel::FieldTreeModel(QObject *parent) : QAbstractItemModel(parent) { children_.resize(1); }

void FieldTreeModel::setFrame(ByteView frame, std::map<std::string, std::string> ruleChanges)
{
    beginResetModel();
    rows_ = decodeFrame(frame);
    changes_ = std::move(ruleChanges);
    children_.assign(rows_.size() + 1, {});
    positionInParent_.assign(rows_.size(), 0);
    for (std::size_t i = 0; i < rows_.size(); ++i) {
        const int parent = rows_[i].parent;
        auto &list = children_[std::size_t(parent + 1)];
        positionInParent_[i] = int(list.size());
        list.push_back(int(i));
    }
    endResetModel();
}

void FieldTreeModel::clear()
{
    beginResetModel();
    rows_.clear();
    children_.assign(1, {});
    positionInParent_.clear();
    changes_.clear();
    endResetModel();
}

QModelIndex FieldTreeModel::index(int row, int column, const QModelIndex &parent) const
{
    if (!hasIndex(row, column, parent)) return {};
    const std::size_t slot = parent.isValid() ? std::size_t(parent.internalId()) + 1 : 0;
    return createIndex(row, column, quintptr(children_[slot][std::size_t(row)]));
}

QModelIndex FieldTreeModel::parent(const QModelIndex &child) const
{
    if (!child.isValid()) return {};
    const int p = rows_[child.internalId()].parent;
    if (p < 0) return {};
    return createIndex(positionInParent_[std::size_t(p)], 0, quintptr(p));
}

int FieldTreeModel::rowCount(const QModelIndex &parent) const
{
    if (parent.column() > 0) return 0;
    const std::size_t slot = parent.isValid() ? std::size_t(parent.internalId()) + 1 : 0;
    return slot < children_.size() ? int(children_[slot].size()) : 0;
}

int FieldTreeModel::columnCount(const QModelIndex &) const { return ColumnCount; }

QString FieldTreeModel::displayText(const DecodedField &f) const
{
    const QString label = QString::fromUtf8(f.label.data(), qsizetype(f.label.size()));
    QString text = QString::fromStdString(f.text);
    // The registry's labels are English; show the translated label with the decoded rest.
    if (text.startsWith(label)) text = QCoreApplication::translate("FieldLabel", f.label.data()) + text.mid(label.size());
    auto it = changes_.find(std::string(f.name));
    if (it != changes_.end())
        text += QCoreApplication::translate("FieldTreeModel", "  [changed by rule: %1]").arg(QString::fromStdString(it->second));
    return text;
}

QVariant FieldTreeModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid)) return {};
    const DecodedField &f = rows_[index.internalId()];
    switch (role) {
    case Qt::DisplayRole:
        return index.column() == Field ? displayText(f) : QString::fromUtf8(f.name.data(), qsizetype(f.name.size()));
    case Qt::ToolTipRole: return QStringLiteral("%1 (%2 bytes at %3)").arg(QString::fromUtf8(f.name.data(), qsizetype(f.name.size()))).arg(f.length).arg(f.offset);
    case OffsetRole: return qulonglong(f.offset);
    case LengthRole: return qulonglong(f.length);
    case RuleChangeRole: {
        auto it = changes_.find(std::string(f.name));
        return it == changes_.end() ? QVariant() : QVariant(QString::fromStdString(it->second));
    }
    case Qt::BackgroundRole:
        return changes_.count(std::string(f.name)) ? QVariant(QBrush(QColor(0xff, 0xe0, 0x8a))) : QVariant();
    case Qt::ForegroundRole:
        return changes_.count(std::string(f.name)) ? QVariant(QBrush(QColor(0x30, 0x20, 0x00))) : QVariant();
    default: return {};
    }
}

QVariant FieldTreeModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole) return {};
    return section == Field ? tr("Field") : tr("Name");
}

QModelIndex FieldTreeModel::findField(const QString &name) const
{
    const auto key = name.toStdString();
    for (std::size_t i = 0; i < rows_.size(); ++i)
        if (rows_[i].name == key) return createIndex(positionInParent_[i], 0, quintptr(i));
    return {};
}

}  // namespace tcplab::gui

// The packet inspector's tree: one row per decoded layer and field, from the wire layer's field
// registry (decodeFrame), so the inspector and the rule editor say the same names. Fields a rule
// changed carry their old and new values.
#pragma once

#include <QAbstractItemModel>
#include <map>

#include "wire/fields.h"

namespace tcplab::gui {

class FieldTreeModel : public QAbstractItemModel {
    Q_OBJECT
public:
    enum Column { Field, Name, ColumnCount };
    enum Role { OffsetRole = Qt::UserRole + 1, LengthRole, RuleChangeRole };

    explicit FieldTreeModel(QObject *parent = nullptr);

    // `ruleChanges`: field name -> "before→after" (from the packet's rule-hit annotations).
    void setFrame(ByteView frame, std::map<std::string, std::string> ruleChanges = {});
    void clear();

    QModelIndex index(int row, int column, const QModelIndex &parent = {}) const override;
    QModelIndex parent(const QModelIndex &child) const override;
    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;

    // The index of the row for a field name ("tcp.window_size_value"), invalid if absent.
    QModelIndex findField(const QString &name) const;

private:
    QString displayText(const DecodedField &f) const;

    std::vector<DecodedField> rows_;
    std::vector<std::vector<int>> children_;  // children_[i + 1]: rows under row i; [0]: top level
    std::vector<int> positionInParent_;
    std::map<std::string, std::string> changes_;
};

}  // namespace tcplab::gui

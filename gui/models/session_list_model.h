// The sessions dock: one row per TCP session of the SessionIndex (endpoints, states, packets,
// bytes, rule hits). Rows are only ever appended, once per batch; sort and filter through
// SessionFilterModel.
#pragma once

#include <QAbstractTableModel>
#include <QSortFilterProxyModel>

#include "models/session_index.h"

namespace tcplab::gui {

class SessionListModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { Id, Client, Server, ClientState, ServerState, Packets, Bytes, RuleHits, ColumnCount };
    enum Role { SessionIdRole = Qt::UserRole + 1, SortRole };

    explicit SessionListModel(const SessionIndex &index, QObject *parent = nullptr);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;

    // Takes a batch from the index: inserts the new sessions in one go, signals changed rows.
    void onBatch(const IngestResult &result);
    void reset();

private:
    const SessionIndex &index_;
    int rows_ = 0;
};

// Case-insensitive filter over endpoints and states.
class SessionFilterModel : public QSortFilterProxyModel {
    Q_OBJECT
public:
    explicit SessionFilterModel(QObject *parent = nullptr);

protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const override;
};

}  // namespace tcplab::gui

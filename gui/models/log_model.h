// The log dock's rows: engine and GUI log lines and engine events, newest last, capped.
#pragma once

#include <QAbstractTableModel>
#include <deque>

#include "core/event.h"
#include "services/log_sink.h"

namespace tcplab::gui {

class LogModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { Time, Level, Source, Message, ColumnCount };
    explicit LogModel(std::size_t capacity = 10000, QObject *parent = nullptr);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;

    // One beginInsertRows per call (and one beginRemoveRows when past capacity).
    void appendLines(const std::vector<LogLine> &lines);
    void appendEvents(const std::vector<Event> &events);
    void clear();

private:
    struct Row {
        QString time, level, source, message;
        int severity;
    };
    void appendRows(std::vector<Row> rows);
    std::deque<Row> rows_;
    std::size_t capacity_;
};

}  // namespace tcplab::gui

#include "models/log_model.h"

#include <QBrush>
#include <QDateTime>
#include <QGuiApplication>
#include <QPalette>
#include <spdlog/common.h>

namespace tcplab::gui {

LogModel::LogModel(std::size_t capacity, QObject *parent) : QAbstractTableModel(parent), capacity_(capacity) {}

int LogModel::rowCount(const QModelIndex &parent) const { return parent.isValid() ? 0 : int(rows_.size()); }
int LogModel::columnCount(const QModelIndex &parent) const { return parent.isValid() ? 0 : ColumnCount; }

QVariant LogModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid)) return {};
    const Row &r = rows_[std::size_t(index.row())];
    if (role == Qt::DisplayRole || role == Qt::ToolTipRole) {
        switch (index.column()) {
        case Time: return r.time;
        case Level: return r.level;
        case Source: return r.source;
        case Message: return r.message;
        default: return {};
        }
    }
    if (role == Qt::ForegroundRole && r.severity >= spdlog::level::warn)
        return QBrush(r.severity >= spdlog::level::err ? QColor(0xd0, 0x30, 0x30) : QColor(0xc0, 0x80, 0x00));
    return {};
}

QVariant LogModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole) return {};
    switch (section) {
    case Time: return tr("Time");
    case Level: return tr("Level");
    case Source: return tr("Source");
    case Message: return tr("Message");
    default: return {};
    }
}

void LogModel::appendRows(std::vector<Row> rows)
{
    if (rows.empty()) return;
    if (rows.size() > capacity_) rows.erase(rows.begin(), rows.end() - std::ptrdiff_t(capacity_));
    const std::size_t overflow = rows_.size() + rows.size() > capacity_ ? rows_.size() + rows.size() - capacity_ : 0;
    if (overflow > 0) {
        beginRemoveRows({}, 0, int(overflow) - 1);
        rows_.erase(rows_.begin(), rows_.begin() + std::ptrdiff_t(overflow));
        endRemoveRows();
    }
    beginInsertRows({}, int(rows_.size()), int(rows_.size() + rows.size()) - 1);
    for (auto &r : rows) rows_.push_back(std::move(r));
    endInsertRows();
}

void LogModel::appendLines(const std::vector<LogLine> &lines)
{
    std::vector<Row> rows;
    rows.reserve(lines.size());
    for (const auto &l : lines) {
        const auto lv = spdlog::level::to_string_view(spdlog::level::level_enum(l.level));
        rows.push_back({QDateTime::fromMSecsSinceEpoch(l.wallMs).toString(QStringLiteral("HH:mm:ss.zzz")),
                        QString::fromUtf8(lv.data(), qsizetype(lv.size())), QString::fromStdString(l.logger),
                        QString::fromStdString(l.message), l.level});
    }
    appendRows(std::move(rows));
}

void LogModel::appendEvents(const std::vector<Event> &events)
{
    std::vector<Row> rows;
    for (const auto &e : events) {
        if (e.kind == EventKind::WindowChange || e.kind == EventKind::Counter ||
            e.kind == EventKind::RttSample)
            continue;  // plotted, not logged
        QString message = QString::fromStdString(e.detail.empty() ? e.name : e.detail);
        if (e.session != kNoSession) message = tr("session %1: %2").arg(e.session).arg(message);
        const int severity = e.kind == EventKind::Error ? spdlog::level::err
                             : e.kind == EventKind::StoreWarning ? spdlog::level::warn
                                                                 : spdlog::level::info;
        rows.push_back({QString::number(double(nanosOf(e.time)) / 1e9, 'f', 6), QStringLiteral("event"),
                        QString::fromUtf8(eventKindName(e.kind)), message, severity});
    }
    appendRows(std::move(rows));
}

void LogModel::clear()
{
    beginResetModel();
    rows_.clear();
    endResetModel();
}

}  // namespace tcplab::gui

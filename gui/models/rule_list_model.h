// The rules of the running lab as a table for the rule editor: enabled (checkable), name, host,
// hook, a one-line summary of match and actions, the live hit counter. Plus the text helpers the
// editor shares: a rule in the scenario file's syntax (through the scenario saver, so it is the
// same text a saved scenario holds) and back.
#pragma once

#include <functional>
#include <vector>

#include <QAbstractTableModel>

#include "core/expected.h"
#include "services/scenario_model.h"

namespace tcplab::gui {

// "SYN && !ACK, port 8000 → reply ACK" in a line.
QString ruleSummary(const Rule &rule);
// One action in a few words: "delay 200 ms", "set tcp.seq = seg.seq + 1".
QString actionSummary(const Action &action);
// The rule as the body of a [[rules]] table (what loadRule() reads).
std::string ruleToml(const ScenarioRule &rule);
// Parses that text; errors are "rule:line:col: message".
Expected<ScenarioRule> ruleFromToml(const std::string &text);

class RuleListModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { Enabled, Name, Host, Hook, Summary, Hits, ColumnCount };
    using HitSource = std::function<std::uint64_t(const std::string &host, const std::string &name)>;
    // Moves the rule at `from` to stand before the rule at `before` (rowCount(): last); true when
    // it moved. The rule editor sets one that makes the move an undoable, live-applied change.
    using MoveHandler = std::function<bool(int from, int before)>;
    static constexpr const char *kRowMimeType = "application/x-tcplab-rule-row";

    explicit RuleListModel(QObject *parent = nullptr);

    void setRules(std::vector<ScenarioRule> rules);
    const std::vector<ScenarioRule> &rules() const { return rules_; }
    void setHitSource(HitSource source) { hitSource_ = std::move(source); }
    void setMoveHandler(MoveHandler handler) { moveHandler_ = std::move(handler); }
    // Re-reads the hit counters; signals only the cells that changed.
    void refreshHits();

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    bool setData(const QModelIndex &index, const QVariant &value, int role = Qt::EditRole) override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;
    Qt::ItemFlags flags(const QModelIndex &index) const override;
    // Drag to reorder: one row at a time, within this model only.
    bool moveRows(const QModelIndex &sourceParent, int sourceRow, int count,
                  const QModelIndex &destinationParent, int destinationChild) override;
    Qt::DropActions supportedDragActions() const override { return Qt::MoveAction; }
    Qt::DropActions supportedDropActions() const override { return Qt::MoveAction; }
    QStringList mimeTypes() const override;
    QMimeData *mimeData(const QModelIndexList &indexes) const override;
    bool canDropMimeData(const QMimeData *data, Qt::DropAction action, int row, int column,
                         const QModelIndex &parent) const override;
    bool dropMimeData(const QMimeData *data, Qt::DropAction action, int row, int column,
                      const QModelIndex &parent) override;

signals:
    // The user toggled a checkbox: the editor turns it into an undoable change.
    void enabledToggled(int row, bool enabled);

private:
    std::vector<ScenarioRule> rules_;
    std::vector<std::uint64_t> hits_;
    HitSource hitSource_;
    MoveHandler moveHandler_;
};

} // namespace tcplab::gui

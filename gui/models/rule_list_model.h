// The rules of the running lab as a table for the rule editor: enabled (checkable), name, host,
// hook, a one-line summary of match and actions, the live hit counter. Plus the text helpers the
// editor shares: a rule in the scenario file's syntax (through the scenario saver, so it is the
// same text a saved scenario holds) and back.
#pragma once

#include <QAbstractTableModel>
#include <functional>
#include <vector>

#include "core/expected.h"
#include "services/scenario_model.h"

namespace tcplab::gui {

// "SYN && !ACK, port 8000 → reply ACK" in a line.
QString ruleSummary(const Rule &rule);
// The rule as the body of a [[rules]] table (what loadRule() reads).
std::string ruleToml(const ScenarioRule &rule);
// Parses that text; errors are "rule:line:col: message".
Expected<ScenarioRule> ruleFromToml(const std::string &text);

class RuleListModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { Enabled, Name, Host, Hook, Summary, Hits, ColumnCount };
    using HitSource = std::function<std::uint64_t(const std::string &host, const std::string &name)>;

    explicit RuleListModel(QObject *parent = nullptr);

    void setRules(std::vector<ScenarioRule> rules);
    const std::vector<ScenarioRule> &rules() const { return rules_; }
    void setHitSource(HitSource source) { hitSource_ = std::move(source); }
    // Re-reads the hit counters; signals only the cells that changed.
    void refreshHits();

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    bool setData(const QModelIndex &index, const QVariant &value, int role = Qt::EditRole) override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;
    Qt::ItemFlags flags(const QModelIndex &index) const override;

signals:
    // The user toggled a checkbox: the editor turns it into an undoable change.
    void enabledToggled(int row, bool enabled);

private:
    std::vector<ScenarioRule> rules_;
    std::vector<std::uint64_t> hits_;
    HitSource hitSource_;
};

}  // namespace tcplab::gui

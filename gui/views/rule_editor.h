// The rule editor dock: the lab's rules in order (RuleListModel) with add, duplicate, delete and
// reorder, every change undoable (QUndoStack); a form for the selected rule (flags as tri-state
// boxes: must be set / must be clear / don't care, states with their RFC names, ports, payload
// length, occurrence, probability); and the rule in the scenario file's syntax, editable, validated
// as you type (errors with line and column). Changes reach the running lab at once; a rule the
// engine refuses is never applied and the editor says why.
#pragma once

#include <QWidget>
#include <array>
#include <vector>

#include "services/scenario_model.h"

class QCheckBox;
class QComboBox;
class QDoubleSpinBox;
class QLabel;
class QLineEdit;
class QListWidget;
class QPlainTextEdit;
class QSpinBox;
class QTableView;
class QUndoStack;

namespace tcplab::gui {

class LabDriver;
class RuleListModel;

class RuleEditor : public QWidget {
    Q_OBJECT
public:
    explicit RuleEditor(LabDriver *lab, QWidget *parent = nullptr);

    RuleListModel *model() const { return model_; }
    QUndoStack *undoStack() const { return undo_; }
    // Replaces the whole list (one undoable step); false with the reason in lastError() when the
    // lab refuses it.
    bool changeRules(std::vector<ScenarioRule> rules, const QString &what);
    // Adds a rule after the others and selects it (make-a-rule-from-this-packet).
    bool addRule(ScenarioRule rule);
    void selectRow(int row);
    int selectedRow() const;
    // The rule text box's content applied to the selected rule; false with the reason.
    bool applyText();
    QString lastError() const { return lastError_; }
    QPlainTextEdit *textEdit() const { return text_; }
    QLabel *errorLabel() const { return error_; }
    // Re-reads the lab's rules (another scenario was loaded): forgets the undo history.
    void reload();
    // Re-reads the hit counters (and the rules when another scenario was loaded); a timer does it too.
    void refresh() { poll(); }

private:
    friend class SetRulesCommand;
    void setRulesFromCommand(const std::vector<ScenarioRule> &rules);
    void buildForm(QWidget *form);
    void fillForm();
    void formEdited();
    void validateText();
    void move(int delta);
    void poll();

    LabDriver *lab_;
    RuleListModel *model_;
    QUndoStack *undo_;
    QTableView *table_;
    QLineEdit *name_, *localPort_, *remotePort_, *payloadLen_;
    QComboBox *hook_, *occurrence_;
    QSpinBox *occurrenceCount_;
    QDoubleSpinBox *probability_;
    std::array<QCheckBox *, 8> flags_{};
    QListWidget *states_;
    QPlainTextEdit *text_;
    QLabel *error_;
    QString lastError_;
    std::string scenarioName_;
    bool filling_ = false;
};

}  // namespace tcplab::gui

// The rule editor dock: the lab's rules in order (RuleListModel) with add, duplicate, delete and
// reorder, every change undoable (QUndoStack); a form for the selected rule (flags as tri-state
// boxes: must be set / must be clear / don't care, states with their RFC names, ports, payload
// length, occurrence, probability); and the rule in the scenario file's syntax, editable, validated
// as you type (errors with line and column); the actions as a list, each with its own fields
// (ActionListEditor). Rules are reordered by dragging too. Changes reach the running lab at once; a
// rule the engine refuses is never applied and the editor says why.
//
// The editor also holds the scenario as a document: open, save and save as (the scenario file with
// the edited rules), a modified marker (the undo stack's clean state), and a prompt before changes
// are lost.
#pragma once

#include <array>
#include <functional>
#include <vector>

#include <QWidget>

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
class QTabWidget;
class QUndoStack;

namespace tcplab::gui {

class ActionListEditor;
class LabDriver;
class RuleListModel;

class RuleEditor : public QWidget {
    Q_OBJECT
public:
    explicit RuleEditor(LabDriver *lab, QWidget *parent = nullptr);
    ~RuleEditor() override;

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
    ActionListEditor *actionEditor() const { return actions_; }
    QTableView *table() const { return table_; }
    // Shows the form's page: 0 match, 1 actions, 2 scenario text.
    void showPage(int page);
    // Moves a rule to stand before `before` (rowCount(): last), one undoable step (drag and drop).
    bool moveRule(int from, int before);

    // The scenario document. openScenario() asks first when there are unsaved changes (false when
    // the user cancels or it cannot load: lastError() says why, with file:line:col); the lab loads it
    // but is not restarted (the caller does that).
    bool openScenario(const QString &nameOrPath);
    bool save(); // Save As when the scenario came from the library
    bool saveAs(const QString &path);
    bool saveAsDialog(); // asks for the file name
    bool isModified() const;
    QString filePath() const { return path_; }
    // "file.toml" or "handshake (library)".
    QString documentTitle() const;
    // True when there is nothing to lose or the user chose Save (and it worked) or Discard.
    bool maybeSave();
    // Replaces the question box (tests): returns QMessageBox::Save, Discard or Cancel.
    void setUnsavedChangesPrompt(std::function<int()> prompt) { prompt_ = std::move(prompt); }

signals:
    // The user opened a scenario from the editor's own Open button: the lab should restart.
    void scenarioOpened();
    void libraryRequested();
    // Modified state or file name changed.
    void documentChanged();

private:
    friend class SetRulesCommand;
    void setRulesFromCommand(const std::vector<ScenarioRule> &rules);
    void buildForm(QWidget *form);
    void fillForm();
    void formEdited();
    void validateText();
    void move(int delta);
    void poll();
    void openDialog();
    void adoptLabScenario();

    LabDriver *lab_;
    RuleListModel *model_;
    QUndoStack *undo_;
    QTableView *table_;
    QLineEdit *name_, *localPort_, *remotePort_, *payloadLen_, *payloadContains_;
    QComboBox *hook_, *occurrence_;
    QSpinBox *occurrenceCount_;
    QDoubleSpinBox *probability_;
    std::array<QCheckBox *, 8> flags_{};
    QListWidget *states_;
    QPlainTextEdit *text_;
    QTabWidget *pages_;
    ActionListEditor *actions_;
    Scenario document_;
    QString path_;
    std::function<int()> prompt_;
    QLabel *error_;
    QString lastError_;
    std::string scenarioName_;
    bool filling_ = false;
    int actionsRuleRow_ = -1; // the rule whose actions the action editor shows
};

} // namespace tcplab::gui

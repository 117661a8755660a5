// The actions of one rule as a list, each edited with its own fields instead of as text: drop, delay
// (a duration), duplicate (a count), hold (reorder: segments and timeout), set a field (the field
// from the engine's registry, the value an expression validated as you type with its column), set
// and clear flags, rewrite options, rewrite the payload, corrupt the checksum, reply with a crafted
// segment, inject a RST or FIN. Actions are added, removed and reordered here; every valid change
// is reported with actionsEdited() (the rule editor turns it into one undoable step), an invalid one
// is never reported and the reason is shown (and given by error()).
#pragma once

#include <array>
#include <vector>

#include <QWidget>

#include "services/scenario_model.h"

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QListWidget;
class QSpinBox;
class QStackedWidget;

namespace tcplab::gui {

// The option fields shared by the "options" action and the reply's segment.
class OptionValuesForm : public QWidget {
    Q_OBJECT
public:
    // `prefix` names the child widgets ("options" → "optionsMss", ...) for tests and screenshots.
    OptionValuesForm(const QString &prefix, QWidget *parent = nullptr);
    void setValues(const OptionValues &values);
    // The values, or nullopt with the reason in `error`.
    std::optional<OptionValues> values(QString *error) const;

signals:
    void edited();

private:
    QLineEdit *mss_, *wscale_, *timestamps_, *sack_;
    QComboBox *sackPermitted_;
};

class ActionListEditor : public QWidget {
    Q_OBJECT
public:
    explicit ActionListEditor(QWidget *parent = nullptr);

    // Shows these actions; reports nothing. `sameRule`: the same rule again after an edit, so the
    // action the user last selected stays selected (else the first one is).
    void setActions(const std::vector<Action> &actions, bool sameRule = true);
    const std::vector<Action> &actions() const { return actions_; }
    int currentAction() const;
    void selectAction(int index);
    // Appends a default action of the kind (an index of Action's alternatives) and selects it.
    void addAction(std::size_t kind);
    void removeAction();
    void moveAction(int delta);
    // Why the form's current content is not applied; empty when it is.
    QString error() const { return error_; }

    // The word of each kind, in Action's order ("drop", "delay", ...).
    static std::vector<QString> kindNames();

signals:
    void actionsEdited(const std::vector<Action> &actions);
    void errorChanged(const QString &error);

private:
    void buildPages();
    void fillPage();
    void pageEdited();
    // The current page read back into an action; nullopt with the reason.
    std::optional<Action> readPage(QString *error) const;
    void validateLive();
    void setError(const QString &error);
    void refreshList();
    void report();

    std::vector<Action> actions_;
    QListWidget *list_;
    QComboBox *addKind_;
    QStackedWidget *pages_;
    QLabel *errorLabel_;
    QString error_;
    bool filling_ = false;
    int preferredRow_ = 0;

    QLineEdit *delayBy_, *holdTimeout_, *setValue_, *payloadData_, *replyFlags_, *replySeq_, *replyAck_,
        *replyWindow_, *replyPayload_, *injectSeq_, *injectAck_;
    QSpinBox *duplicateCount_, *holdSegments_, *payloadLength_;
    QComboBox *setField_, *payloadMode_, *injectFlags_, *injectToward_;
    std::array<QCheckBox *, 8> flagBoxes_{};
    std::array<QCheckBox *, 5> removeOption_{};
    QCheckBox *removeAll_, *payloadHex_, *replyHex_;
    OptionValuesForm *options_, *replyOptions_;
};

} // namespace tcplab::gui

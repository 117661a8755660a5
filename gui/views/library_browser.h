// The built-in scenario library as a dialog: every scenario with its title and its description in
// the UI language, a preview of its rules (in the scenario file's syntax), and buttons that load it
// into the demo network or into the tap lab (the latter only while a tap lab can take it).
#pragma once

#include <QDialog>

#include "services/scenario_model.h"

class QLabel;
class QListWidget;
class QPlainTextEdit;
class QPushButton;

namespace tcplab::gui {

class LibraryBrowser : public QDialog {
    Q_OBJECT
public:
    enum class Target { Demo, Tap };

    // `language` "ja" or "en"; empty: the language of the installed translation.
    explicit LibraryBrowser(const QString &language = {}, QWidget *parent = nullptr);

    // Enables "Load into tap lab"; when not available, `reason` is its tooltip.
    void setTapAvailable(bool available, const QString &reason = {});
    // A line under the buttons about loading into the tap lab (what it does, or why it failed).
    void setTapNote(const QString &text);
    QString tapNote() const;
    int count() const;
    void select(int row);
    QString selectedName() const;
    // What the browser shows for the selected scenario.
    QString description() const;
    QString preview() const;
    QPushButton *tapButton() const { return tap_; }
    // The language the descriptions are shown in ("ja" or "en").
    QString language() const { return language_; }

signals:
    void loadRequested(const QString &name, tcplab::gui::LibraryBrowser::Target target);

private:
    void showSelected();

    QString language_;
    std::vector<Scenario> scenarios_;
    QListWidget *list_;
    QLabel *description_;
    QLabel *tapNote_;
    QPlainTextEdit *preview_;
    QPushButton *demo_, *tap_;
    QString tapReason_;
};

} // namespace tcplab::gui

#include "app/scenario_actions.h"

#include <QAction>
#include <QDockWidget>
#include <QMenu>
#include <QStatusBar>

#include "app/main_window.h"
#include "services/engine_bridge.h"
#include "services/lab_switch.h"
#include "views/library_browser.h"
#include "views/rule_editor.h"

namespace tcplab::gui {

namespace {

void showDocument(MainWindow &window)
{
    RuleEditor *editor = window.ruleEditor();
    const QString title = editor->documentTitle();
    window.setWindowTitle(MainWindow::tr("%1[*] — TCP Lab").arg(title));
    window.setWindowModified(editor->isModified());
    if (auto *dock = window.findChild<QDockWidget *>(QStringLiteral("RulesDock")))
        dock->setWindowTitle(MainWindow::tr("Rules — %1%2")
                                 .arg(title, editor->isModified() ? QStringLiteral("*") : QString()));
}

} // namespace

void installScenarioActions(MainWindow &window, QMenu *file)
{
    RuleEditor *editor = window.ruleEditor();
    auto *save = new QAction(MainWindow::tr("&Save scenario"), &window);
    save->setShortcut(QKeySequence::Save);
    QObject::connect(save, &QAction::triggered, editor, [editor] { editor->save(); });
    auto *saveAs = new QAction(MainWindow::tr("Save scenario &as…"), &window);
    saveAs->setShortcut(QKeySequence::SaveAs);
    QObject::connect(saveAs, &QAction::triggered, editor, [editor] { editor->saveAsDialog(); });
    auto *library = new QAction(MainWindow::tr("Scenario &library…"), &window);
    library->setShortcut(QKeySequence(MainWindow::tr("Ctrl+Shift+L")));
    QObject::connect(library, &QAction::triggered, &window, [&window] { openLibraryBrowser(window); });
    file->addActions({save, saveAs, library});

    QObject::connect(editor, &RuleEditor::scenarioOpened, &window, [&window] { window.bridge().restart(); });
    QObject::connect(editor, &RuleEditor::libraryRequested, &window,
                     [&window] { openLibraryBrowser(window); });
    QObject::connect(editor, &RuleEditor::documentChanged, &window, [&window] { showDocument(window); });
    showDocument(window);
}

namespace {

// Restarts the tap lab on its current tap settings with `name`: the rules and services of the host it
// plays. The rule editor asks about unsaved rules first (Cancel keeps everything as it was). Returns
// why it failed, empty when the lab runs the scenario.
QString loadIntoTap(MainWindow &window, LabSwitch &labs, const QString &name)
{
    const QString tap = QString::fromStdString(labs.tapLab().settings().tap);
    // Through the rule editor: it asks about unsaved rules, then HostLab::loadScenario reconfigures
    // the tap lab with the same tap settings and restarts it when it runs.
    if (!window.loadScenario(name)) return window.ruleEditor()->lastError();
    if (!labs.tapLab().status().running) labs.tapLab().start(); // a lab that had failed: try again
    window.bridge().drain();
    if (!labs.tapLab().lastError().empty()) {
        const QString why = MainWindow::tr("Cannot attach to tap %1: %2")
                                .arg(tap, QString::fromStdString(labs.tapLab().lastError()));
        window.statusBar()->showMessage(why, 10000);
        return why;
    }
    window.statusBar()->showMessage(
        MainWindow::tr("Loaded %1 into the tap lab on %2: its rules and services; its timeline is not "
                       "played on a tap (the kernel side is the peer)")
            .arg(name, tap),
        10000);
    return {};
}

} // namespace

LibraryBrowser *openLibraryBrowser(MainWindow &window)
{
    auto *browser = new LibraryBrowser({}, &window);
    browser->setAttribute(Qt::WA_DeleteOnClose);
    auto *labs = dynamic_cast<LabSwitch *>(&window.bridge().lab());
    if (labs && labs->mode() == LabMode::Tap) {
        browser->setTapAvailable(true);
        browser->setTapNote(
            LibraryBrowser::tr("The tap lab on %1 restarts with the scenario's rules and services for the "
                               "host it plays; a scenario's timeline is not played on a tap (the kernel "
                               "side is the peer).")
                .arg(QString::fromStdString(labs->tapLab().settings().tap)));
    } else {
        browser->setTapAvailable(false,
                                 LibraryBrowser::tr("The lab is on the demo network: attach to a tap first "
                                                    "(Lab > Lab mode > Tap device…, or Attach in the Setup "
                                                    "panel), then load from here"));
    }
    QObject::connect(browser, &LibraryBrowser::loadRequested, &window,
                     [&window, browser](const QString &name, LibraryBrowser::Target target) {
                         auto *labs = dynamic_cast<LabSwitch *>(&window.bridge().lab());
                         if (target == LibraryBrowser::Target::Tap) {
                             if (!labs || labs->mode() != LabMode::Tap) return;
                             const QString why = loadIntoTap(window, *labs, name);
                             if (why.isEmpty())
                                 browser->accept();
                             else
                                 browser->setTapNote(why);
                             return;
                         }
                         // Into the demo network while the lab is on a tap: back to the demo first
                         // (asking about unsaved rules before the switch forgets them).
                         if (labs && labs->mode() == LabMode::Tap) {
                             if (!window.ruleEditor()->maybeSave()) return;
                             window.useDemo();
                         }
                         if (!window.loadScenario(name)) return;
                         window.bridge().restart();
                         window.statusBar()->showMessage(MainWindow::tr("Loaded %1").arg(name), 6000);
                         browser->accept();
                     });
    browser->show();
    return browser;
}

} // namespace tcplab::gui

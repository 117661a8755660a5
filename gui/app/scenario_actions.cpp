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

LibraryBrowser *openLibraryBrowser(MainWindow &window)
{
    auto *browser = new LibraryBrowser({}, &window);
    browser->setAttribute(Qt::WA_DeleteOnClose);
    browser->setTapAvailable(false,
                             LibraryBrowser::tr("Not from here yet: choose the scenario when attaching "
                                                "(Lab > Lab mode > Tap device…)"));
    QObject::connect(browser, &LibraryBrowser::loadRequested, &window,
                     [&window, browser](const QString &name, LibraryBrowser::Target target) {
                         // Into the demo network while the lab is on a tap: back to the demo first
                         // (asking about unsaved rules before the switch forgets them).
                         auto *labs = dynamic_cast<LabSwitch *>(&window.bridge().lab());
                         if (target == LibraryBrowser::Target::Demo && labs && labs->mode() == LabMode::Tap) {
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

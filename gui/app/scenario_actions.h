// The scenario as a document in the main window: File > Save scenario, Save scenario as…, Scenario
// library…; the rule editor's title and the window's modified marker; the library browser, which
// loads a scenario into the demo network (or the tap lab when one runs). Opening goes through the
// rule editor everywhere (File > Open scenario, drag and drop, the demo network's Run), so unsaved
// rule changes are asked about before they are lost.
#pragma once

class QMenu;

namespace tcplab::gui {

class MainWindow;
class LibraryBrowser;

// Appends the actions to `file` and connects the rule editor's signals.
void installScenarioActions(MainWindow &window, QMenu *file);
// Opens the library browser (non-modal; deleted when closed) and returns it.
LibraryBrowser *openLibraryBrowser(MainWindow &window);

} // namespace tcplab::gui

// The main window's actions, shared by its menus, toolbar and shortcuts.
#pragma once

class QAction;
class QActionGroup;

namespace tcplab::gui {

struct MainWindowActions {
    QAction *openCapture, *openScenario, *exportAll, *exportSelected, *exportPng, *exportSvg, *wireshark, *quit;
    QAction *modeDemo, *modeTap, *startStop, *pause, *step, *restart;
    QAction *zoomIn, *zoomOut, *relativeTime, *relativeSeq, *nextRetrans, *nextReset, *nextRule, *follow;
    QAction *langSystem, *langEn, *langJa, *resetLayout, *about;
    QActionGroup *modeGroup, *langGroup;
};

}  // namespace tcplab::gui

// `tcplab --screenshot FILE`: run the demo for a while in virtual time, show the first session's
// diagram from its start with its first packet selected, and render the whole window to a PNG.
#pragma once

#include <QString>

namespace tcplab::gui {

class MainWindow;

// Returns the process exit code (0 when the PNG was written).
// `panel` ("rules", "explanation") names a dock to raise first; "classroom" steps the paused lab
// into its lesson with the state machine and the explanation shown, "presentation" likewise in
// presentation mode.
int takeScreenshot(MainWindow &window, const QString &file, double runForSeconds, const QString &panel = {});

}  // namespace tcplab::gui

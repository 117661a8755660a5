// Command-line options of the `tcplab` program.
#pragma once

#include <QSize>
#include <QString>
#include <QStringList>

class QCoreApplication;

namespace tcplab::gui {

struct AppOptions {
    QString screenshot;      // render the window to this PNG after start-up and exit
    QString scenario;        // built-in scenario name or file
    QString language;        // "ja", "en" or empty (settings, then system locale)
    QString tap;             // tap lab on this device instead of the demo network
    QString ip4, ip6, mac, gateway4;  // the tap lab's own addresses (--ip4 required with --tap)
    QStringList listens;     // "80:http": services the tap lab listens on
    QString snapLength;      // bytes the tap lab keeps of each recorded frame; empty: whole frames
    QString captureMemory;   // the tap lab's capture memory bound ("8G"); empty: 2G
    QString captureReserve;  // of it, mapped before attaching ("4G"); empty: none
    QString captureSpillDirectory; // where frames past that memory go; empty: $TMPDIR, else /tmp
    QString captureWhenFull;       // past that memory: "spill" (empty) or "stop" recording
    double runForSeconds = 4.0;  // virtual time the demo runs before the screenshot
    QSize size{1440, 900};
    QString panel;           // --screenshot: raise this dock first ("rules")
    QStringList files;       // captures or scenarios to open
};

// Parses argv; on --help/--version or a bad argument prints and exits like QCommandLineParser.
AppOptions parseAppOptions(const QCoreApplication &app);

}  // namespace tcplab::gui

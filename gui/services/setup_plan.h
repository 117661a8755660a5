// The network layout the Setup panel builds, and the pure logic around it: the helper steps that
// build a layout, the steps that undo exactly what was built, and the equivalent commands for people
// without pkexec or polkit. No processes and no widgets here, so all of it is tested as plain
// functions.
#pragma once

#include <QCoreApplication>
#include <QList>
#include <QMetaType>
#include <QString>
#include <QStringList>

namespace tcplab::gui {

struct NetLayout {
    QString tap = QStringLiteral("tap7");
    QString bridge;              // empty: the tap alone carries the host addresses
    QStringList hostAddresses;   // "198.18.0.101/24", "2001:db8::101/64": on the bridge, or on the tap
    QStringList routes;          // prefixes routed through the bridge (or the tap)
    QString engineIpv4;          // the lab's own addresses and MAC: given to the lab, not to the kernel
    QString engineIpv6;
    QString engineMac;
    int mtu = 0;                 // 0: leave the kernel's default

    // "Tap only": host address on the tap.
    static NetLayout tapOnly();
    // "Tap + bridge": the classic tap7 in br3, host address on the bridge and a route to the lab
    // network through it.
    static NetLayout tapAndBridge();

    // The device that carries the host addresses and routes.
    QString hostDevice() const { return bridge.isEmpty() ? tap : bridge; }
    // Problems in words, one per field; empty when the layout can be applied.
    QStringList problems() const;

    bool operator==(const NetLayout &) const = default;
};

// One run of tcplab-netsetup.
struct HelperStep {
    QStringList args;     // verb and arguments
    QString description;  // translated, for the progress list
    bool creates = false; // create-tap / create-bridge: what teardown undoes
};

class SetupPlan {
    Q_DECLARE_TR_FUNCTIONS(SetupPlan)
public:
    // Create, attach, MTU, addresses, up, routes: in the order the kernel accepts them (a route
    // through a device needs it up). A route the kernel already makes for a host address (same
    // prefix on the same device) is left out.
    static QList<HelperStep> apply(const NetLayout &layout);
    // Undoes the steps that succeeded, newest first: deleting the interfaces it created removes
    // their addresses and routes with them. Nothing that was not created is touched.
    static QList<HelperStep> teardown(const QList<HelperStep> &done);
    // Shell commands with the same effect, for a terminal (sudo; iproute2 only).
    static QString manualCommands(const NetLayout &layout, const QString &userName);
    static QString manualTeardown(const NetLayout &layout);
};

// The IPv4 or IPv6 network of "address/len" as "network/len", or an empty string when invalid.
QString networkOf(const QString &addressWithPrefix);

} // namespace tcplab::gui

Q_DECLARE_METATYPE(tcplab::gui::NetLayout)

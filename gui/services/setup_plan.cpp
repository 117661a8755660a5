#include "services/setup_plan.h"

#include <QRegularExpression>

#include "wire/addresses.h"

namespace tcplab::gui {
namespace {

const QString kManagedAlias = QStringLiteral("tcplab-managed"); // the helper's mark, see helper/

struct Parsed {
    bool v6 = false;
    std::array<std::uint8_t, 16> bytes{};
    int length = -1;
};

// "address/len" into bytes; length -1 when the text is not a valid IPv4 or IPv6 prefix.
Parsed parsePrefix(const QString &text)
{
    Parsed p;
    const auto parts = text.trimmed().split(QLatin1Char('/'));
    if (parts.size() != 2) return p;
    bool okLen = false;
    const int len = parts[1].toInt(&okLen);
    const std::string addr = parts[0].toStdString();
    if (auto v4 = Ip4Addr::parse(addr)) {
        for (int i = 0; i < 4; ++i) p.bytes[i] = std::uint8_t(v4->value >> (24 - 8 * i));
        if (okLen && len >= 0 && len <= 32) p.length = len;
    } else if (auto v6 = Ip6Addr::parse(addr)) {
        p.v6 = true;
        p.bytes = v6->b;
        if (okLen && len >= 0 && len <= 128) p.length = len;
    }
    return p;
}

bool validInterfaceName(const QString &name)
{
    static const QRegularExpression re(QStringLiteral("^[A-Za-z0-9][A-Za-z0-9._-]{0,14}$"));
    return re.match(name).hasMatch();
}

} // namespace

QString networkOf(const QString &addressWithPrefix)
{
    Parsed p = parsePrefix(addressWithPrefix);
    if (p.length < 0) return {};
    const int total = p.v6 ? 128 : 32;
    for (int bit = p.length; bit < total; ++bit) p.bytes[bit / 8] &= std::uint8_t(~(0x80u >> (bit % 8)));
    std::string text;
    if (p.v6) {
        Ip6Addr a;
        a.b = p.bytes;
        text = a.toString();
    } else {
        Ip4Addr a{std::uint32_t(p.bytes[0]) << 24 | std::uint32_t(p.bytes[1]) << 16 |
                  std::uint32_t(p.bytes[2]) << 8 | p.bytes[3]};
        text = a.toString();
    }
    return QString::fromStdString(text) + QLatin1Char('/') + QString::number(p.length);
}

NetLayout NetLayout::tapOnly()
{
    NetLayout l;
    l.tap = QStringLiteral("tap7");
    l.hostAddresses = {QStringLiteral("198.18.0.101/24"), QStringLiteral("2001:db8::101/64")};
    l.engineIpv4 = QStringLiteral("198.18.0.100/24");
    l.engineIpv6 = QStringLiteral("2001:db8::100/64");
    l.engineMac = QStringLiteral("02:00:00:00:00:64");
    return l;
}

NetLayout NetLayout::tapAndBridge()
{
    NetLayout l = tapOnly();
    l.bridge = QStringLiteral("br3");
    // As in the original recipe: the lab's /24 routed through br3 (the kernel already holds this
    // route for the address on br3, so applying it is a no-op; a different prefix gets a real route).
    l.routes = {QStringLiteral("198.18.0.0/24")};
    return l;
}

QStringList NetLayout::problems() const
{
    QStringList out;
    if (!validInterfaceName(tap))
        out << SetupPlan::tr("Tap name \"%1\" is not a valid interface name (1 to 15 letters, digits, '-', '_', '.').")
                   .arg(tap);
    if (!bridge.isEmpty() && !validInterfaceName(bridge))
        out << SetupPlan::tr("Bridge name \"%1\" is not a valid interface name.").arg(bridge);
    if (!bridge.isEmpty() && bridge == tap) out << SetupPlan::tr("The tap and the bridge need different names.");
    for (const QString &a : hostAddresses)
        if (parsePrefix(a).length < 0)
            out << SetupPlan::tr("Host address \"%1\" is not an address with a prefix length, like 198.18.0.101/24.").arg(a);
    for (const QString &r : routes)
        if (parsePrefix(r).length < 0) out << SetupPlan::tr("Route \"%1\" is not a prefix, like 198.18.1.0/24.").arg(r);
    if (!engineIpv4.isEmpty() && (parsePrefix(engineIpv4).length < 0 || parsePrefix(engineIpv4).v6))
        out << SetupPlan::tr("Lab IPv4 address \"%1\" is not an IPv4 address with a prefix length.").arg(engineIpv4);
    if (!engineIpv6.isEmpty() && (parsePrefix(engineIpv6).length < 0 || !parsePrefix(engineIpv6).v6))
        out << SetupPlan::tr("Lab IPv6 address \"%1\" is not an IPv6 address with a prefix length.").arg(engineIpv6);
    if (!engineMac.isEmpty()) {
        const auto mac = MacAddr::parse(engineMac.toStdString());
        if (!mac || mac->isMulticast())
            out << SetupPlan::tr("Lab MAC address \"%1\" is not a unicast MAC address like 02:00:00:00:00:64.").arg(engineMac);
    }
    if (mtu != 0 && (mtu < 68 || mtu > 65535)) out << SetupPlan::tr("MTU %1 is outside 68 to 65535.").arg(mtu);
    return out;
}

QList<HelperStep> SetupPlan::apply(const NetLayout &l)
{
    QList<HelperStep> steps;
    const QString dev = l.hostDevice();
    steps.append({{QStringLiteral("create-tap"), l.tap}, tr("Create tap %1 owned by you").arg(l.tap), true});
    if (!l.bridge.isEmpty()) {
        steps.append({{QStringLiteral("create-bridge"), l.bridge}, tr("Create bridge %1").arg(l.bridge), true});
        steps.append({{QStringLiteral("attach"), l.tap, l.bridge}, tr("Attach %1 to %2").arg(l.tap, l.bridge)});
    }
    if (l.mtu != 0) {
        steps.append({{QStringLiteral("mtu"), l.tap, QString::number(l.mtu)}, tr("Set MTU %1 on %2").arg(l.mtu).arg(l.tap)});
        if (!l.bridge.isEmpty())
            steps.append({{QStringLiteral("mtu"), l.bridge, QString::number(l.mtu)},
                          tr("Set MTU %1 on %2").arg(l.mtu).arg(l.bridge)});
    }
    QStringList connected;
    for (const QString &a : l.hostAddresses) {
        steps.append({{QStringLiteral("address"), QStringLiteral("add"), dev, a.trimmed()},
                      tr("Add address %1 to %2").arg(a.trimmed(), dev)});
        connected << networkOf(a);
    }
    steps.append({{QStringLiteral("up"), l.tap}, tr("Bring %1 up").arg(l.tap)});
    if (!l.bridge.isEmpty()) steps.append({{QStringLiteral("up"), l.bridge}, tr("Bring %1 up").arg(l.bridge)});
    for (const QString &r : l.routes) {
        if (connected.contains(networkOf(r))) continue; // the kernel's own route for the address
        steps.append({{QStringLiteral("route"), QStringLiteral("add"), r.trimmed(), QStringLiteral("dev"), dev},
                      tr("Route %1 through %2").arg(r.trimmed(), dev)});
    }
    return steps;
}

QList<HelperStep> SetupPlan::teardown(const QList<HelperStep> &done)
{
    QList<HelperStep> steps;
    for (auto it = done.crbegin(); it != done.crend(); ++it) {
        if (!it->creates || it->args.size() < 2) continue;
        const QString &name = it->args[1];
        if (it->args[0] == QLatin1String("create-bridge"))
            steps.append({{QStringLiteral("delete-bridge"), name}, tr("Delete bridge %1").arg(name)});
        else if (it->args[0] == QLatin1String("create-tap"))
            steps.append({{QStringLiteral("delete-tap"), name}, tr("Delete tap %1").arg(name)});
    }
    return steps;
}

QString SetupPlan::manualCommands(const NetLayout &l, const QString &userName)
{
    const QString dev = l.hostDevice();
    QStringList c;
    c << QStringLiteral("sudo ip tuntap add name %1 mode tap user %2").arg(l.tap, userName);
    c << QStringLiteral("sudo ip link set dev %1 alias %2").arg(l.tap, kManagedAlias);
    if (!l.bridge.isEmpty()) {
        c << QStringLiteral("sudo ip link add name %1 type bridge").arg(l.bridge);
        c << QStringLiteral("sudo ip link set dev %1 alias %2").arg(l.bridge, kManagedAlias);
        c << QStringLiteral("sudo ip link set dev %1 master %2").arg(l.tap, l.bridge);
    }
    if (l.mtu != 0) {
        c << QStringLiteral("sudo ip link set dev %1 mtu %2").arg(l.tap).arg(l.mtu);
        if (!l.bridge.isEmpty()) c << QStringLiteral("sudo ip link set dev %1 mtu %2").arg(l.bridge).arg(l.mtu);
    }
    QStringList connected;
    for (const QString &a : l.hostAddresses) {
        c << QStringLiteral("sudo ip address add %1 dev %2").arg(a.trimmed(), dev);
        connected << networkOf(a);
    }
    c << QStringLiteral("sudo ip link set dev %1 up").arg(l.tap);
    if (!l.bridge.isEmpty()) c << QStringLiteral("sudo ip link set dev %1 up").arg(l.bridge);
    for (const QString &r : l.routes)
        if (!connected.contains(networkOf(r))) c << QStringLiteral("sudo ip route add %1 dev %2").arg(r.trimmed(), dev);
    return c.join(QLatin1Char('\n')) + QLatin1Char('\n');
}

QString SetupPlan::manualTeardown(const NetLayout &l)
{
    QStringList c;
    if (!l.bridge.isEmpty()) c << QStringLiteral("sudo ip link delete %1").arg(l.bridge);
    c << QStringLiteral("sudo ip link delete %1").arg(l.tap);
    return c.join(QLatin1Char('\n')) + QLatin1Char('\n');
}

} // namespace tcplab::gui

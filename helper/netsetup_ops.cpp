#include "netsetup_ops.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <linux/if_tun.h>
#include <net/if.h>
#include <netlink/netlink.h>
#include <netlink/route/addr.h>
#include <netlink/route/link.h>
#include <netlink/route/route.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

namespace tcplab::netsetup {
namespace {

Error fail(std::string message) { return Error{std::move(message)}; }

std::string q(const std::string &name) { return "\"" + name + "\""; }

std::string sysError() { return std::strerror(errno); }

std::string nlError(int err) { return nl_geterror(err); }

// RAII owners for libnl objects and descriptors: one cleanup path whatever fails.
struct LinkPtr {
    rtnl_link *p = nullptr;
    ~LinkPtr() { if (p) rtnl_link_put(p); }
};
struct AddrPtr {
    nl_addr *p = nullptr;
    ~AddrPtr() { if (p) nl_addr_put(p); }
};
struct Fd {
    int fd = -1;
    ~Fd() { if (fd >= 0) ::close(fd); }
};

// Reads /sys/class/net/NAME/tun_flags (hex) to tell a tap from a tun. NAME was validated, so the
// path cannot leave /sys/class/net.
bool isTapDevice(const std::string &name)
{
    const std::string path = "/sys/class/net/" + name + "/tun_flags";
    FILE *f = std::fopen(path.c_str(), "re");
    if (!f) return false;
    unsigned flags = 0;
    const bool ok = std::fscanf(f, "%x", &flags) == 1;
    std::fclose(f);
    return ok && (flags & IFF_TAP);
}

// Opens /dev/net/tun bound to NAME as a tap. `exclusive` fails if the device already exists.
// On failure *errorNumber holds the errno of the call that failed.
Expected<int> openTap(const std::string &name, bool exclusive, int *errorNumber)
{
    Fd f;
    f.fd = ::open("/dev/net/tun", O_RDWR | O_CLOEXEC);
    *errorNumber = errno;
    if (f.fd < 0) return fail("cannot open /dev/net/tun: " + sysError());
    ifreq ifr{};
    ifr.ifr_flags = IFF_TAP | IFF_NO_PI | (exclusive ? IFF_TUN_EXCL : 0);
    std::memcpy(ifr.ifr_name, name.data(), name.size()); // name.size() <= 15 was checked
    if (::ioctl(f.fd, TUNSETIFF, &ifr) < 0) {
        *errorNumber = errno;
        return fail("cannot " + std::string(exclusive ? "create" : "open") + " tap " + q(name) + ": " +
                    sysError());
    }
    if (name != ifr.ifr_name) return fail("tap " + q(name) + " was created as " + q(ifr.ifr_name));
    const int fd = f.fd;
    f.fd = -1;
    return fd;
}

Expected<nl_addr *> buildAddress(const IpPrefix &p)
{
    nl_addr *a = nl_addr_build(p.family, p.bytes.data(), p.family == AF_INET ? 4 : 16);
    if (!a) return fail("out of memory building address " + p.text);
    nl_addr_set_prefixlen(a, p.length);
    return a;
}

} // namespace

std::string jsonString(const std::string &text)
{
    std::string out = "\"";
    for (char ch : text) {
        const auto c = static_cast<unsigned char>(ch);
        if (c == '"' || c == '\\') {
            out += '\\';
            out += ch;
        } else if (c < 0x20 || c >= 0x7f) {
            char buf[8];
            std::snprintf(buf, sizeof buf, "\\u%04x", c);
            out += buf;
        } else {
            out += ch;
        }
    }
    return out + "\"";
}

Expected<std::unique_ptr<NetSetup>> NetSetup::connect()
{
    nl_sock *sock = nl_socket_alloc();
    if (!sock) return fail("cannot allocate a netlink socket");
    if (int err = nl_connect(sock, NETLINK_ROUTE); err < 0) {
        nl_socket_free(sock);
        return fail("cannot connect to rtnetlink: " + nlError(err));
    }
    return std::unique_ptr<NetSetup>(new NetSetup(sock));
}

NetSetup::~NetSetup() { nl_socket_free(sock_); }

Expected<LinkFacts> NetSetup::lookup(const std::string &name)
{
    LinkPtr link;
    const int err = rtnl_link_get_kernel(sock_, 0, name.c_str(), &link.p);
    if (err == -NLE_OBJ_NOTFOUND || err == -NLE_NODEV) return LinkFacts{};
    if (err < 0) return fail("cannot look up interface " + q(name) + ": " + nlError(err));
    LinkFacts facts;
    facts.ifindex = rtnl_link_get_ifindex(link.p);
    const char *alias = rtnl_link_get_ifalias(link.p);
    facts.managed = alias && std::strcmp(alias, kManagedAlias) == 0;
    const char *type = rtnl_link_get_type(link.p);
    if (type && std::strcmp(type, "bridge") == 0) facts.kind = LinkKind::Bridge;
    else if (type && std::strcmp(type, "tun") == 0 && isTapDevice(name)) facts.kind = LinkKind::Tap;
    return facts;
}

Expected<LinkFacts> NetSetup::requireManaged(const std::string &name, const char *what, bool tapOnly,
                                             bool bridgeOnly)
{
    auto facts = lookup(name);
    if (!facts) return facts;
    if (facts->ifindex == 0) return fail(std::string(what) + " " + q(name) + " does not exist");
    if (!facts->managed)
        return fail("refusing to touch " + q(name) + ": it was not created by tcplab-netsetup");
    if (tapOnly && facts->kind != LinkKind::Tap) return fail(q(name) + " is not a tap");
    if (bridgeOnly && facts->kind != LinkKind::Bridge) return fail(q(name) + " is not a bridge");
    return facts;
}

Status NetSetup::requireAbsent(const std::string &name)
{
    auto facts = lookup(name);
    if (!facts) return facts.error();
    if (facts->ifindex == 0) return okStatus();
    if (facts->managed)
        return fail("interface " + q(name) + " already exists (created earlier by tcplab-netsetup)");
    return fail("interface " + q(name) + " already exists and was not created by tcplab-netsetup");
}

Status NetSetup::markManaged(const std::string &name)
{
    LinkPtr orig, change;
    if (int err = rtnl_link_get_kernel(sock_, 0, name.c_str(), &orig.p); err < 0)
        return fail("cannot find new interface " + q(name) + ": " + nlError(err));
    change.p = rtnl_link_alloc();
    if (!change.p) return fail("out of memory");
    rtnl_link_set_ifalias(change.p, kManagedAlias);
    if (int err = rtnl_link_change(sock_, orig.p, change.p, 0); err < 0)
        return fail("cannot mark " + q(name) + " as managed: " + nlError(err));
    return okStatus();
}

Expected<std::string> NetSetup::run(const Request &r)
{
    switch (r.verb) {
    case Verb::CreateTap: return createTap(r);
    case Verb::DeleteTap: return deleteTap(r);
    case Verb::CreateBridge: return createBridge(r);
    case Verb::DeleteBridge: return deleteBridge(r);
    case Verb::Attach: return attach(r);
    case Verb::Up:
    case Verb::Down:
    case Verb::Mtu: return changeLink(r);
    case Verb::AddressAdd:
    case Verb::AddressDel: return changeAddress(r);
    case Verb::RouteAdd:
    case Verb::RouteDel: return changeRoute(r);
    case Verb::Status: return status();
    }
    return fail("internal: unhandled verb");
}

// The tap only persists once TUNSETPERSIST succeeded: any earlier failure closes the descriptor and
// the kernel removes the half-made device, so nothing is left behind.
Expected<std::string> NetSetup::createTap(const Request &r)
{
    if (auto s = requireAbsent(r.device); !s) return s.error();
    int openErrno = 0;
    auto fd = openTap(r.device, true, &openErrno);
    if (!fd) return fd.error();
    Fd tap{*fd};
    if (::ioctl(tap.fd, TUNSETOWNER, static_cast<unsigned long>(*r.owner)) < 0)
        return fail("cannot give tap " + q(r.device) + " to uid " + std::to_string(*r.owner) + ": " + sysError());
    if (auto s = markManaged(r.device); !s) return s.error();
    if (::ioctl(tap.fd, TUNSETPERSIST, 1UL) < 0)
        return fail("cannot make tap " + q(r.device) + " persistent: " + sysError());
    return "\"owner\":" + std::to_string(*r.owner);
}

// Clearing TUNSETPERSIST and closing removes the tap. When a program still holds it (EBUSY), the
// device is deleted through rtnetlink instead, which detaches that program.
Expected<std::string> NetSetup::deleteTap(const Request &r)
{
    auto facts = requireManaged(r.device, "tap", true, false);
    if (!facts) return facts.error();
    int openErrno = 0;
    auto fd = openTap(r.device, false, &openErrno);
    if (fd) {
        Fd tap{*fd};
        if (::ioctl(tap.fd, TUNSETPERSIST, 0UL) < 0)
            return fail("cannot clear persistence of tap " + q(r.device) + ": " + sysError());
        return std::string();
    }
    if (openErrno != EBUSY) return fd.error();
    LinkPtr link;
    link.p = rtnl_link_alloc();
    if (!link.p) return fail("out of memory");
    rtnl_link_set_ifindex(link.p, facts->ifindex);
    if (int err = rtnl_link_delete(sock_, link.p); err < 0)
        return fail("cannot delete tap " + q(r.device) + " (in use): " + nlError(err));
    return std::string("\"was_in_use\":true");
}

Expected<std::string> NetSetup::createBridge(const Request &r)
{
    if (auto s = requireAbsent(r.device); !s) return s.error();
    LinkPtr link;
    link.p = rtnl_link_alloc();
    if (!link.p) return fail("out of memory");
    rtnl_link_set_name(link.p, r.device.c_str());
    if (int err = rtnl_link_set_type(link.p, "bridge"); err < 0)
        return fail("cannot prepare bridge " + q(r.device) + ": " + nlError(err));
    if (int err = rtnl_link_add(sock_, link.p, NLM_F_CREATE | NLM_F_EXCL); err < 0)
        return fail("cannot create bridge " + q(r.device) + ": " + nlError(err));
    if (auto s = markManaged(r.device); !s) {
        rtnl_link_delete(sock_, link.p); // undo: an unmarked bridge could never be removed by us
        return s.error();
    }
    return std::string();
}

Expected<std::string> NetSetup::deleteBridge(const Request &r)
{
    auto facts = requireManaged(r.device, "bridge", false, true);
    if (!facts) return facts.error();
    LinkPtr link;
    link.p = rtnl_link_alloc();
    if (!link.p) return fail("out of memory");
    rtnl_link_set_ifindex(link.p, facts->ifindex);
    if (int err = rtnl_link_delete(sock_, link.p); err < 0)
        return fail("cannot delete bridge " + q(r.device) + ": " + nlError(err));
    return std::string();
}

Expected<std::string> NetSetup::attach(const Request &r)
{
    auto tap = requireManaged(r.device, "tap", true, false);
    if (!tap) return tap.error();
    auto bridge = requireManaged(r.bridge, "bridge", false, true);
    if (!bridge) return bridge.error();
    if (int err = rtnl_link_enslave_ifindex(sock_, bridge->ifindex, tap->ifindex); err < 0)
        return fail("cannot attach " + q(r.device) + " to bridge " + q(r.bridge) + ": " + nlError(err));
    return "\"bridge\":" + jsonString(r.bridge);
}

Expected<std::string> NetSetup::changeLink(const Request &r)
{
    auto facts = requireManaged(r.device, "interface", false, false);
    if (!facts) return facts.error();
    LinkPtr orig, change;
    if (int err = rtnl_link_get_kernel(sock_, facts->ifindex, nullptr, &orig.p); err < 0)
        return fail("cannot look up " + q(r.device) + ": " + nlError(err));
    change.p = rtnl_link_alloc();
    if (!change.p) return fail("out of memory");
    if (r.verb == Verb::Up) rtnl_link_set_flags(change.p, IFF_UP);
    if (r.verb == Verb::Down) rtnl_link_unset_flags(change.p, IFF_UP);
    if (r.verb == Verb::Mtu) rtnl_link_set_mtu(change.p, r.mtu);
    if (int err = rtnl_link_change(sock_, orig.p, change.p, 0); err < 0)
        return fail("cannot " + (r.verb == Verb::Mtu ? "set mtu " + std::to_string(r.mtu) + " on" : r.verbName) +
                    " " + q(r.device) + ": " + nlError(err));
    return r.verb == Verb::Mtu ? "\"mtu\":" + std::to_string(r.mtu) : std::string();
}

Expected<std::string> NetSetup::changeAddress(const Request &r)
{
    auto facts = requireManaged(r.device, "interface", false, false);
    if (!facts) return facts.error();
    auto local = buildAddress(r.prefix);
    if (!local) return local.error();
    AddrPtr localOwner{*local};
    rtnl_addr *addr = rtnl_addr_alloc();
    if (!addr) return fail("out of memory");
    rtnl_addr_set_ifindex(addr, facts->ifindex);
    rtnl_addr_set_family(addr, r.prefix.family);
    int err = rtnl_addr_set_local(addr, localOwner.p);
    if (err >= 0) rtnl_addr_set_prefixlen(addr, r.prefix.length);
    const bool add = r.verb == Verb::AddressAdd;
    if (err >= 0) err = add ? rtnl_addr_add(sock_, addr, NLM_F_EXCL) : rtnl_addr_delete(sock_, addr, 0);
    rtnl_addr_put(addr);
    if (err == -NLE_EXIST) return fail("address " + r.prefix.text + " is already on " + q(r.device));
    if (err == -NLE_NOADDR || err == -NLE_OBJ_NOTFOUND)
        return fail("address " + r.prefix.text + " is not on " + q(r.device));
    if (err < 0)
        return fail(std::string("cannot ") + (add ? "add " : "delete ") + r.prefix.text + (add ? " to " : " from ") +
                    q(r.device) + ": " + nlError(err));
    return "\"address\":" + jsonString(r.prefix.text);
}

// Routes without a gateway, like `ip route add PREFIX dev DEV`: scope link for IPv4, in the main table,
// protocol static. Deleting matches the same attributes, so only routes of this shape on a managed
// device can be removed.
Expected<std::string> NetSetup::changeRoute(const Request &r)
{
    auto facts = requireManaged(r.device, "interface", false, false);
    if (!facts) return facts.error();
    auto dst = buildAddress(r.prefix);
    if (!dst) return dst.error();
    AddrPtr dstOwner{*dst};
    rtnl_route *route = rtnl_route_alloc();
    rtnl_nexthop *nh = rtnl_route_nh_alloc();
    if (!route || !nh) {
        if (route) rtnl_route_put(route);
        if (nh) rtnl_route_nh_free(nh);
        return fail("out of memory");
    }
    rtnl_route_set_family(route, r.prefix.family);
    rtnl_route_set_table(route, RT_TABLE_MAIN);
    rtnl_route_set_protocol(route, RTPROT_STATIC);
    rtnl_route_set_scope(route, r.prefix.family == AF_INET ? RT_SCOPE_LINK : RT_SCOPE_UNIVERSE);
    rtnl_route_set_type(route, RTN_UNICAST);
    int err = rtnl_route_set_dst(route, dstOwner.p);
    rtnl_route_nh_set_ifindex(nh, facts->ifindex);
    rtnl_route_add_nexthop(route, nh); // the route owns nh from here on
    const bool add = r.verb == Verb::RouteAdd;
    if (err >= 0) err = add ? rtnl_route_add(sock_, route, NLM_F_EXCL) : rtnl_route_delete(sock_, route, 0);
    rtnl_route_put(route);
    if (err == -NLE_EXIST) return fail("route " + r.prefix.text + " already exists");
    if (err == -NLE_OBJ_NOTFOUND)
        return fail("route " + r.prefix.text + " dev " + q(r.device) + " does not exist");
    if (err < 0)
        return fail(std::string("cannot ") + (add ? "add" : "delete") + " route " + r.prefix.text + " dev " +
                    q(r.device) + ": " + nlError(err));
    return "\"route\":" + jsonString(r.prefix.text);
}

namespace {

std::string prefixText(nl_addr *a)
{
    if (!a) return {};
    char buf[INET6_ADDRSTRLEN] = {};
    inet_ntop(nl_addr_get_family(a), nl_addr_get_binary_addr(a), buf, sizeof buf);
    return std::string(buf) + "/" + std::to_string(nl_addr_get_prefixlen(a));
}

// The uid owning a tap, from sysfs; -1 when it has none or it cannot be read.
long tapOwner(const std::string &name)
{
    const std::string path = "/sys/class/net/" + name + "/owner";
    FILE *f = std::fopen(path.c_str(), "re");
    if (!f) return -1;
    long owner = -1;
    if (std::fscanf(f, "%ld", &owner) != 1) owner = -1;
    std::fclose(f);
    return owner;
}

struct CachePtr {
    nl_cache *p = nullptr;
    ~CachePtr() { if (p) nl_cache_free(p); }
};

std::string addressesJson(nl_cache *addrs, int ifindex)
{
    std::string out;
    for (auto *o = nl_cache_get_first(addrs); o; o = nl_cache_get_next(o)) {
        auto *a = reinterpret_cast<rtnl_addr *>(o);
        if (rtnl_addr_get_ifindex(a) != ifindex) continue;
        out += (out.empty() ? "" : ",") + jsonString(prefixText(rtnl_addr_get_local(a)));
    }
    return "[" + out + "]";
}

// Static main-table routes through the device: the ones `route add` makes.
std::string routesJson(nl_cache *routes, int ifindex)
{
    std::string out;
    for (auto *o = nl_cache_get_first(routes); o; o = nl_cache_get_next(o)) {
        auto *r = reinterpret_cast<rtnl_route *>(o);
        if (rtnl_route_get_table(r) != RT_TABLE_MAIN || rtnl_route_get_protocol(r) != RTPROT_STATIC) continue;
        if (rtnl_route_get_nnexthops(r) != 1) continue;
        if (rtnl_route_nh_get_ifindex(rtnl_route_nexthop_n(r, 0)) != ifindex) continue;
        out += (out.empty() ? "" : ",") + jsonString(prefixText(rtnl_route_get_dst(r)));
    }
    return "[" + out + "]";
}

} // namespace

Expected<std::string> NetSetup::status()
{
    CachePtr links, addrs, routes;
    if (int err = rtnl_link_alloc_cache(sock_, AF_UNSPEC, &links.p); err < 0)
        return fail("cannot list interfaces: " + nlError(err));
    if (int err = rtnl_addr_alloc_cache(sock_, &addrs.p); err < 0)
        return fail("cannot list addresses: " + nlError(err));
    if (int err = rtnl_route_alloc_cache(sock_, AF_UNSPEC, 0, &routes.p); err < 0)
        return fail("cannot list routes: " + nlError(err));
    std::string items;
    for (auto *o = nl_cache_get_first(links.p); o; o = nl_cache_get_next(o)) {
        auto *link = reinterpret_cast<rtnl_link *>(o);
        const char *alias = rtnl_link_get_ifalias(link);
        if (!alias || std::strcmp(alias, kManagedAlias) != 0) continue;
        const std::string name = rtnl_link_get_name(link);
        const int ifindex = rtnl_link_get_ifindex(link);
        const char *type = rtnl_link_get_type(link);
        const bool bridge = type && std::strcmp(type, "bridge") == 0;
        const bool tap = !bridge && type && std::strcmp(type, "tun") == 0 && isTapDevice(name);
        char buf[64] = {};
        std::string item = "{\"name\":" + jsonString(name) + ",\"ifindex\":" + std::to_string(ifindex);
        item += ",\"kind\":\"" + std::string(bridge ? "bridge" : tap ? "tap" : "other") + "\"";
        item += std::string(",\"up\":") + ((rtnl_link_get_flags(link) & IFF_UP) ? "true" : "false");
        rtnl_link_operstate2str(rtnl_link_get_operstate(link), buf, sizeof buf);
        item += ",\"operstate\":" + jsonString(buf);
        item += ",\"mtu\":" + std::to_string(rtnl_link_get_mtu(link));
        if (nl_addr *mac = rtnl_link_get_addr(link)) item += ",\"mac\":" + jsonString(nl_addr2str(mac, buf, sizeof buf));
        if (int master = rtnl_link_get_master(link); master > 0)
            item += ",\"master\":" + jsonString(rtnl_link_i2name(links.p, master, buf, sizeof buf) ? buf : "");
        if (tap) item += ",\"owner\":" + std::to_string(tapOwner(name));
        item += ",\"addresses\":" + addressesJson(addrs.p, ifindex);
        item += ",\"routes\":" + routesJson(routes.p, ifindex) + "}";
        items += (items.empty() ? "" : ",") + item;
    }
    return "\"interfaces\":[" + items + "]";
}

} // namespace tcplab::netsetup

#include "netsetup_request.h"

#include <arpa/inet.h>

#include <cctype>
#include <cstdio>

namespace tcplab::netsetup {
namespace {

Error refuse(std::string message) { return Error{std::move(message)}; }

bool isDigits(std::string_view s)
{
    if (s.empty()) return false;
    for (char c : s)
        if (c < '0' || c > '9') return false;
    return true;
}

// Strict decimal: digits only, no sign, no leading zero, at most maxDigits digits.
std::optional<std::uint64_t> parseDecimal(std::string_view s, std::size_t maxDigits)
{
    if (!isDigits(s) || s.size() > maxDigits || (s.size() > 1 && s[0] == '0')) return std::nullopt;
    std::uint64_t v = 0;
    for (char c : s) v = v * 10 + static_cast<std::uint64_t>(c - '0');
    return v;
}

// Sets the bits past `length` to zero (or to one) and reports whether anything changed.
bool hostBitsAre(const IpPrefix &p, bool ones)
{
    const int total = p.family == AF_INET ? 32 : 128;
    for (int bit = p.length; bit < total; ++bit) {
        const bool set = (p.bytes[bit / 8] >> (7 - bit % 8)) & 1;
        if (set != ones) return false;
    }
    return true;
}

std::string addressText(int family, const std::array<std::uint8_t, 16> &bytes)
{
    char buf[INET6_ADDRSTRLEN] = {};
    inet_ntop(family, bytes.data(), buf, sizeof buf);
    return buf;
}

// "ADDR/LEN" into bytes and length; checks syntax and length range only.
Expected<IpPrefix> parsePrefixSyntax(std::string_view text, std::string_view what)
{
    const auto slash = text.find('/');
    if (slash == std::string_view::npos || text.find('/', slash + 1) != std::string_view::npos)
        return refuse(std::string(what) + " " + quoted(text) + " must be written ADDRESS/PREFIX-LENGTH");
    const std::string addr(text.substr(0, slash));
    const std::string_view lenText = text.substr(slash + 1);
    IpPrefix p;
    p.family = addr.find(':') != std::string::npos ? AF_INET6 : AF_INET;
    if (inet_pton(p.family, addr.c_str(), p.bytes.data()) != 1)
        return refuse(std::string(what) + " " + quoted(text) + ": " + quoted(addr) + " is not an " +
                      (p.family == AF_INET ? "IPv4" : "IPv6") + " address");
    // Shorter prefixes would pull a large part of the Internet (or all of it) into the lab.
    const int minLen = p.family == AF_INET ? 8 : 16;
    const int maxLen = p.family == AF_INET ? 32 : 128;
    const auto len = parseDecimal(lenText, 3);
    if (!len || *len < static_cast<unsigned>(minLen) || *len > static_cast<unsigned>(maxLen))
        return refuse(std::string(what) + " " + quoted(text) + ": prefix length " + quoted(lenText) +
                      " is not a number from " + std::to_string(minLen) + " to " + std::to_string(maxLen));
    p.length = static_cast<int>(*len);
    p.text = addressText(p.family, p.bytes) + "/" + std::to_string(p.length);
    return p;
}

// Address ranges that are never a unicast lab address, whatever the prefix.
std::optional<std::string> reservedRange(const IpPrefix &p)
{
    const auto &b = p.bytes;
    if (p.family == AF_INET) {
        if (b[0] == 0) return "in 0.0.0.0/8 (\"this network\", RFC 1122 section 3.2.1.3)";
        if (b[0] == 127) return "a loopback address (127.0.0.0/8)";
        if (b[0] >= 224 && b[0] <= 239) return "a multicast address (224.0.0.0/4)";
        if (b[0] >= 240) return "reserved or broadcast (240.0.0.0/4, 255.255.255.255)";
        return std::nullopt;
    }
    if (b[0] == 0) return "in ::/8 (unspecified, loopback, IPv4-mapped; RFC 4291 section 2.5)";
    if (b[0] == 0xff) return "a multicast address (ff00::/8)";
    return std::nullopt;
}

} // namespace

std::string quoted(std::string_view raw)
{
    constexpr std::size_t kShown = 40;
    std::string out = "\"";
    for (std::size_t i = 0; i < raw.size() && i < kShown; ++i) {
        const auto c = static_cast<unsigned char>(raw[i]);
        if (c == '"' || c == '\\') {
            out += '\\';
            out += static_cast<char>(c);
        } else if (c < 0x20 || c >= 0x7f) {
            char buf[8];
            std::snprintf(buf, sizeof buf, "\\x%02x", c);
            out += buf;
        } else {
            out += static_cast<char>(c);
        }
    }
    if (raw.size() > kShown) out += "...";
    return out + "\"";
}

Status checkInterfaceName(std::string_view name)
{
    if (name.empty()) return refuse("interface name is empty");
    if (name.size() > 15)
        return refuse("interface name " + quoted(name) + " is " + std::to_string(name.size()) +
                      " bytes long; the kernel allows at most 15");
    if (name == "." || name == "..") return refuse("interface name " + quoted(name) + " is reserved");
    for (char ch : name) {
        const auto c = static_cast<unsigned char>(ch);
        if (std::isalnum(c) || c == '-' || c == '_' || c == '.') continue;
        std::string why = "contains a character that is not allowed (only letters, digits, '-', '_', '.')";
        if (c == '/' || c == ':') why = std::string("contains '") + ch + "', which the kernel forbids";
        else if (std::isspace(c)) why = "contains whitespace, which the kernel forbids";
        return refuse("interface name " + quoted(name) + " " + why);
    }
    if (!std::isalnum(static_cast<unsigned char>(name[0])))
        return refuse("interface name " + quoted(name) + " must start with a letter or a digit");
    return okStatus();
}

Expected<IpPrefix> parseHostAddress(std::string_view text)
{
    auto parsed = parsePrefixSyntax(text, "address");
    if (!parsed) return parsed;
    const IpPrefix &p = *parsed;
    if (auto why = reservedRange(p)) return refuse("address " + p.text + " is not unicast: it is " + *why);
    if (p.family == AF_INET && p.length <= 30) {
        if (hostBitsAre(p, false))
            return refuse("address " + p.text + " is the network address of its subnet; choose a host address");
        if (hostBitsAre(p, true))
            return refuse("address " + p.text + " is the broadcast address of its subnet, not unicast");
    }
    // RFC 4291 section 2.6.1: the address with an all-zero interface identifier is the Subnet-Router
    // anycast address.
    if (p.family == AF_INET6 && p.length < 127 && hostBitsAre(p, false))
        return refuse("address " + p.text + " is the Subnet-Router anycast address of its prefix, not unicast");
    return parsed;
}

Expected<IpPrefix> parseRoutePrefix(std::string_view text)
{
    auto parsed = parsePrefixSyntax(text, "route prefix");
    if (!parsed) return parsed;
    const IpPrefix &p = *parsed;
    if (!hostBitsAre(p, false))
        return refuse("route prefix " + quoted(text) + " has bits set past /" + std::to_string(p.length) +
                      "; write the network address");
    if (auto why = reservedRange(p)) return refuse("route prefix " + p.text + " is refused: it is " + *why);
    if (p.family == AF_INET6 && p.bytes[0] == 0xfe && (p.bytes[1] & 0xc0) == 0x80)
        return refuse("route prefix " + p.text + " is link-local (fe80::/10); the kernel routes it already");
    return parsed;
}

Expected<std::uint32_t> parseUid(std::string_view text, std::string_view what)
{
    const auto v = parseDecimal(text, 10);
    if (!v)
        return refuse(std::string(what) + " " + quoted(text) +
                      " is not a user id (decimal digits, no sign, no leading zero)");
    if (*v >= 0xffffffffULL)
        return refuse(std::string(what) + " " + quoted(text) + " is out of range for a user id");
    return static_cast<std::uint32_t>(*v);
}

std::string usageText()
{
    return "usage: tcplab-netsetup VERB ARGS...\n"
           "  create-tap NAME [--owner UID]   persistent tap owned by the caller (PKEXEC_UID), or by UID\n"
           "                                  when root runs the helper directly\n"
           "  delete-tap NAME\n"
           "  create-bridge NAME\n"
           "  delete-bridge NAME\n"
           "  attach NAME BRIDGE              enslave a tap to a bridge\n"
           "  address add|del DEV ADDR/PREFIX IPv4 or IPv6\n"
           "  route add|del PREFIX dev DEV\n"
           "  up DEV | down DEV\n"
           "  mtu DEV N                       68..65535\n"
           "  status                          the interfaces this helper manages, as JSON\n"
           "Only interfaces created by tcplab-netsetup can be changed or deleted.\n";
}

namespace {

struct VerbSpec {
    std::string_view name;
    Verb verb;
};

constexpr VerbSpec kVerbs[] = {
    {"create-tap", Verb::CreateTap}, {"delete-tap", Verb::DeleteTap},   {"create-bridge", Verb::CreateBridge},
    {"delete-bridge", Verb::DeleteBridge}, {"attach", Verb::Attach},    {"address", Verb::AddressAdd},
    {"route", Verb::RouteAdd},       {"up", Verb::Up},                  {"down", Verb::Down},
    {"mtu", Verb::Mtu},              {"status", Verb::Status},
};

Status wantCount(const std::vector<std::string_view> &args, std::size_t n, std::string_view form)
{
    if (args.size() == n) return okStatus();
    return refuse(std::string(args.size() < n ? "missing" : "extra") + " arguments for " + quoted(args[0]) +
                  ": expected \"" + std::string(form) + "\", got " + std::to_string(args.size() - 1) +
                  " argument(s)");
}

Expected<Verb> addOrDel(std::string_view word, Verb add, Verb del, std::string_view verb)
{
    if (word == "add") return add;
    if (word == "del") return del;
    return refuse(std::string(verb) + ": " + quoted(word) + " is neither \"add\" nor \"del\"");
}

// create-tap: who will own the tap. Under pkexec it is always the user who asked.
Status resolveOwner(Request &r, const std::vector<std::string_view> &args, const Caller &caller,
                    const UidLookup &uidExists)
{
    std::optional<std::uint32_t> asked;
    if (args.size() == 4) {
        if (args[2] != "--owner")
            return refuse("create-tap: unexpected argument " + quoted(args[2]) + " (only --owner UID)");
        auto uid = parseUid(args[3], "--owner");
        if (!uid) return uid.error();
        asked = *uid;
    }
    std::uint32_t owner = caller.uid;
    if (caller.pkexecUid) {
        auto uid = parseUid(*caller.pkexecUid, "PKEXEC_UID");
        if (!uid) return uid.error();
        if (asked)
            return refuse("create-tap: --owner is refused when run through pkexec; the tap belongs to the "
                          "user who asked (uid " + std::to_string(*uid) + ")");
        owner = *uid;
    } else if (asked) {
        if (caller.uid != 0) return refuse("create-tap: --owner needs root");
        owner = *asked;
    }
    if (!uidExists(owner))
        return refuse("create-tap: uid " + std::to_string(owner) + " has no account on this machine");
    r.owner = owner;
    return okStatus();
}

Status checkNames(std::initializer_list<std::string_view> names)
{
    for (auto n : names)
        if (auto ok = checkInterfaceName(n); !ok) return ok;
    return okStatus();
}

Status fillRequest(Request &r, const std::vector<std::string_view> &args, const Caller &caller,
                   const UidLookup &uidExists)
{
    switch (r.verb) {
    case Verb::CreateTap:
        if (args.size() != 2 && args.size() != 4) {
            if (auto s = wantCount(args, args.size() < 2 ? 2 : 4, "create-tap NAME [--owner UID]"); !s) return s;
        }
        if (auto s = checkNames({args[1]}); !s) return s;
        r.device = args[1];
        return resolveOwner(r, args, caller, uidExists);
    case Verb::DeleteTap:
    case Verb::CreateBridge:
    case Verb::DeleteBridge:
    case Verb::Up:
    case Verb::Down:
        if (auto s = wantCount(args, 2, std::string(args[0]) + " NAME"); !s) return s;
        if (auto s = checkNames({args[1]}); !s) return s;
        r.device = args[1];
        return okStatus();
    case Verb::Attach:
        if (auto s = wantCount(args, 3, "attach NAME BRIDGE"); !s) return s;
        if (auto s = checkNames({args[1], args[2]}); !s) return s;
        if (args[1] == args[2]) return refuse("attach: an interface cannot be attached to itself");
        r.device = args[1];
        r.bridge = args[2];
        return okStatus();
    case Verb::AddressAdd: {
        if (auto s = wantCount(args, 4, "address add|del DEV ADDR/PREFIX"); !s) return s;
        auto v = addOrDel(args[1], Verb::AddressAdd, Verb::AddressDel, "address");
        if (!v) return v.error();
        if (auto s = checkNames({args[2]}); !s) return s;
        auto p = parseHostAddress(args[3]);
        if (!p) return p.error();
        r.verb = *v;
        r.device = args[2];
        r.prefix = *p;
        return okStatus();
    }
    case Verb::RouteAdd: {
        if (auto s = wantCount(args, 5, "route add|del PREFIX dev DEV"); !s) return s;
        auto v = addOrDel(args[1], Verb::RouteAdd, Verb::RouteDel, "route");
        if (!v) return v.error();
        if (args[3] != "dev") return refuse("route: expected \"dev\" before the device, got " + quoted(args[3]));
        auto p = parseRoutePrefix(args[2]);
        if (!p) return p.error();
        if (auto s = checkNames({args[4]}); !s) return s;
        r.verb = *v;
        r.device = args[4];
        r.prefix = *p;
        return okStatus();
    }
    case Verb::Mtu: {
        if (auto s = wantCount(args, 3, "mtu DEV N"); !s) return s;
        if (auto s = checkNames({args[1]}); !s) return s;
        const auto n = parseDecimal(args[2], 5);
        if (!n || *n < kMinMtu || *n > kMaxMtu)
            return refuse("mtu: " + quoted(args[2]) + " is not a number from " + std::to_string(kMinMtu) +
                          " to " + std::to_string(kMaxMtu));
        r.device = args[1];
        r.mtu = static_cast<unsigned>(*n);
        return okStatus();
    }
    case Verb::Status:
        return wantCount(args, 1, "status");
    default:
        return refuse("internal: unhandled verb");
    }
}

} // namespace

Expected<Request> parseRequest(const std::vector<std::string_view> &args, const Caller &caller,
                               const UidLookup &uidExists)
{
    if (args.empty()) return refuse("no verb given");
    if (args.size() > kMaxArguments)
        return refuse("too many arguments (" + std::to_string(args.size()) + "; no verb takes more than " +
                      std::to_string(kMaxArguments - 1) + ")");
    for (std::size_t i = 0; i < args.size(); ++i)
        if (args[i].size() > kMaxArgumentBytes)
            return refuse("argument " + std::to_string(i + 1) + " " + quoted(args[i]) + " is " +
                          std::to_string(args[i].size()) + " bytes long; at most " +
                          std::to_string(kMaxArgumentBytes));
    Request r;
    r.verbName = args[0];
    const VerbSpec *spec = nullptr;
    for (const auto &v : kVerbs)
        if (v.name == args[0]) spec = &v;
    if (!spec) return refuse("unknown verb " + quoted(args[0]) + " (see --help)");
    r.verb = spec->verb;
    if (r.verb != Verb::Status && caller.uid != 0)
        return refuse(r.verbName + " needs root: run it through pkexec or as root");
    if (auto s = fillRequest(r, args, caller, uidExists); !s) return s.error();
    return r;
}

} // namespace tcplab::netsetup

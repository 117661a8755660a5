// tcplab-netsetup: the strict reading of one command line into one request. Pure functions, no system
// calls except the passwd lookup behind UidLookup, so every refusal is testable without root.
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/expected.h"

namespace tcplab::netsetup {

enum class Verb {
    CreateTap,
    DeleteTap,
    CreateBridge,
    DeleteBridge,
    Attach,
    AddressAdd,
    AddressDel,
    RouteAdd,
    RouteDel,
    Up,
    Down,
    Mtu,
    Status,
};

// An IPv4 or IPv6 address with a prefix length, as written by the user ("198.18.0.101/24").
struct IpPrefix {
    int family = 0;                    // AF_INET or AF_INET6
    std::array<std::uint8_t, 16> bytes{}; // network byte order; IPv4 uses the first 4
    int length = 0;                    // prefix length in bits
    std::string text;                  // canonical "address/length"
};

struct Request {
    Verb verb = Verb::Status;
    std::string verbName;      // as typed, for messages and JSON
    std::string device;        // tap or bridge the verb acts on
    std::string bridge;        // attach only
    IpPrefix prefix;           // address and route verbs
    unsigned mtu = 0;          // mtu only
    std::optional<std::uint32_t> owner; // create-tap: the uid that will own the tap
};

// Who runs the helper: the real uid and, when started by pkexec, the PKEXEC_UID it passed.
struct Caller {
    std::uint32_t uid = 0;
    std::optional<std::string> pkexecUid; // raw text of PKEXEC_UID, checked like any argument
};

// Answers whether a uid names an account on this machine (getpwuid in the real program).
using UidLookup = std::function<bool(std::uint32_t)>;

constexpr std::size_t kMaxArgumentBytes = 64;
constexpr std::size_t kMaxArguments = 6; // not counting argv[0]
constexpr unsigned kMinMtu = 68;         // RFC 791 section 3.2: every IPv4 host must take 68 octets
constexpr unsigned kMaxMtu = 65535;      // ETH_MAX_MTU: what taps and bridges accept

// The usage text printed for --help and after a malformed command line.
std::string usageText();

// Reads argv (without argv[0]) into a request; the error names the argument and the reason.
Expected<Request> parseRequest(const std::vector<std::string_view> &args, const Caller &caller,
                               const UidLookup &uidExists);

// Kernel interface-name rules (dev_valid_name) narrowed to a safe set: 1..15 bytes of letters,
// digits, '-', '_', '.', starting with a letter or digit.
Status checkInterfaceName(std::string_view name);

// "ADDR/PREFIX" for an address assigned to an interface: unicast only, host part neither all zeros
// nor all ones for IPv4 prefixes up to /30.
Expected<IpPrefix> parseHostAddress(std::string_view text);

// "PREFIX/LEN" for a route: host bits zero, not the default route, not loopback or multicast space.
Expected<IpPrefix> parseRoutePrefix(std::string_view text);

// A decimal uid: digits only, no sign, no leading zeros, below 2^32 - 1 ((uid_t)-1 means "nobody").
Expected<std::uint32_t> parseUid(std::string_view text, std::string_view what);

// A printable, quoted rendering of untrusted bytes for messages: "tap\x0a7".
std::string quoted(std::string_view raw);

} // namespace tcplab::netsetup

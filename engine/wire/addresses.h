// Link and network addresses as small value types with parsing and formatting.
#pragma once

#include <array>
#include <compare>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

#include "core/expected.h"

namespace tcplab {

struct MacAddr {
    std::array<std::uint8_t, 6> b{};

    static std::optional<MacAddr> parse(std::string_view text);  // "02:00:5e:10:00:01"
    static constexpr MacAddr broadcast() { return {{0xff, 0xff, 0xff, 0xff, 0xff, 0xff}}; }
    bool isBroadcast() const { return *this == broadcast(); }
    bool isMulticast() const { return b[0] & 1; }
    std::string toString() const;
    auto operator<=>(const MacAddr &) const = default;
};

struct Ip4Addr {
    std::uint32_t value = 0;  // host byte order: 192.0.2.1 == 0xc0000201

    static std::optional<Ip4Addr> parse(std::string_view text);
    static constexpr Ip4Addr any() { return {0}; }
    static constexpr Ip4Addr broadcast() { return {0xffffffffu}; }
    bool isUnspecified() const { return value == 0; }
    bool isBroadcast() const { return value == 0xffffffffu; }
    bool isMulticast() const { return (value >> 28) == 0xe; }
    bool isLoopback() const { return (value >> 24) == 127; }
    std::string toString() const;
    auto operator<=>(const Ip4Addr &) const = default;
};

struct Ip6Addr {
    std::array<std::uint8_t, 16> b{};

    static std::optional<Ip6Addr> parse(std::string_view text);
    static constexpr Ip6Addr any() { return {}; }
    bool isUnspecified() const { return *this == Ip6Addr{}; }
    bool isMulticast() const { return b[0] == 0xff; }
    bool isLinkLocal() const { return b[0] == 0xfe && (b[1] & 0xc0) == 0x80; }
    bool isLoopback() const;
    // fe80::/64 with a modified EUI-64 interface identifier (RFC 4291 appendix A).
    static Ip6Addr linkLocalFromMac(const MacAddr &mac);
    // ff02::1:ffXX:XXXX (RFC 4291 section 2.7.1).
    Ip6Addr solicitedNodeMulticast() const;
    // 33:33:xx:xx:xx:xx (RFC 2464 section 7).
    MacAddr multicastMac() const;
    std::string toString() const;  // RFC 5952 canonical text
    auto operator<=>(const Ip6Addr &) const = default;
};

// Either family. Ordering puts every IPv4 address before every IPv6 address.
struct IpAddr {
    std::variant<Ip4Addr, Ip6Addr> v;

    IpAddr() : v(Ip4Addr{}) {}
    IpAddr(Ip4Addr a) : v(a) {}
    IpAddr(Ip6Addr a) : v(a) {}
    static std::optional<IpAddr> parse(std::string_view text);
    bool isV4() const { return v.index() == 0; }
    bool isV6() const { return v.index() == 1; }
    const Ip4Addr &v4() const { return std::get<0>(v); }
    const Ip6Addr &v6() const { return std::get<1>(v); }
    std::string toString() const;
    auto operator<=>(const IpAddr &) const = default;
    bool operator==(const IpAddr &) const = default;
};

// An address with a prefix length, as in "198.18.0.2/24" or "2001:db8::2/64".
struct IpPrefix {
    IpAddr addr;
    std::uint8_t length = 0;

    static std::optional<IpPrefix> parse(std::string_view text);
    bool contains(const IpAddr &a) const;
    IpPrefix network() const;  // host bits cleared
    std::string toString() const;
    auto operator<=>(const IpPrefix &) const = default;
    bool operator==(const IpPrefix &) const = default;
};

// An address and a port: one end of a TCP or UDP conversation.
struct Endpoint {
    IpAddr addr;
    std::uint16_t port = 0;
    std::string toString() const;  // "198.18.0.2:80", "[2001:db8::2]:80"
    // The inverse of toString: "ADDR:PORT" or "[ADDR6]:PORT" (an IPv6 address needs its brackets:
    // "2001:db8::1:80" is ambiguous), port 1..65535. The error names the text and what is wrong.
    static Expected<Endpoint> parse(std::string_view text);
    auto operator<=>(const Endpoint &) const = default;
    bool operator==(const Endpoint &) const = default;
};

std::size_t hashOf(const IpAddr &a);
std::size_t hashOf(const Endpoint &e);

}  // namespace tcplab

template <>
struct std::hash<tcplab::IpAddr> {
    std::size_t operator()(const tcplab::IpAddr &a) const noexcept { return tcplab::hashOf(a); }
};
template <>
struct std::hash<tcplab::Endpoint> {
    std::size_t operator()(const tcplab::Endpoint &e) const noexcept { return tcplab::hashOf(e); }
};

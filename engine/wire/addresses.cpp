#include "wire/addresses.h"

#include <arpa/inet.h>

#include <cstdio>
#include <cstring>

namespace tcplab {

namespace {

std::size_t mix(std::size_t h, std::uint64_t v)
{
    // boost::hash_combine's constant; good enough for hash tables keyed by addresses.
    return h ^ (std::hash<std::uint64_t>{}(v) + 0x9e3779b97f4a7c15ULL + (h << 6) + (h >> 2));
}

bool parseDecimal(std::string_view text, unsigned max, unsigned &out)
{
    if (text.empty() || text.size() > 10) return false;
    unsigned long v = 0;
    for (char c : text) {
        if (c < '0' || c > '9') return false;
        v = v * 10 + static_cast<unsigned>(c - '0');
        if (v > max) return false;
    }
    out = static_cast<unsigned>(v);
    return true;
}

}  // namespace

std::optional<MacAddr> MacAddr::parse(std::string_view text)
{
    if (text.size() != 17) return std::nullopt;
    MacAddr mac;
    for (int i = 0; i < 6; ++i) {
        if (i > 0 && text[static_cast<std::size_t>(i * 3 - 1)] != ':' &&
            text[static_cast<std::size_t>(i * 3 - 1)] != '-')
            return std::nullopt;
        unsigned v = 0;
        for (int j = 0; j < 2; ++j) {
            const char c = text[static_cast<std::size_t>(i * 3 + j)];
            unsigned d;
            if (c >= '0' && c <= '9') d = static_cast<unsigned>(c - '0');
            else if (c >= 'a' && c <= 'f') d = static_cast<unsigned>(c - 'a' + 10);
            else if (c >= 'A' && c <= 'F') d = static_cast<unsigned>(c - 'A' + 10);
            else return std::nullopt;
            v = v * 16 + d;
        }
        mac.b[static_cast<std::size_t>(i)] = static_cast<std::uint8_t>(v);
    }
    return mac;
}

std::string MacAddr::toString() const
{
    char buf[18];
    std::snprintf(buf, sizeof buf, "%02x:%02x:%02x:%02x:%02x:%02x", b[0], b[1], b[2], b[3], b[4], b[5]);
    return buf;
}

std::optional<Ip4Addr> Ip4Addr::parse(std::string_view text)
{
    // Strict dotted quad: four decimal parts, no leading '+', no shorthand forms inet_aton accepts.
    std::uint32_t value = 0;
    std::size_t start = 0;
    for (int part = 0; part < 4; ++part) {
        const std::size_t dot = part < 3 ? text.find('.', start) : text.size();
        if (dot == std::string_view::npos) return std::nullopt;
        unsigned v;
        if (!parseDecimal(text.substr(start, dot - start), 255, v)) return std::nullopt;
        value = value << 8 | v;
        start = dot + 1;
    }
    return Ip4Addr{value};
}

std::string Ip4Addr::toString() const
{
    char buf[16];
    std::snprintf(buf, sizeof buf, "%u.%u.%u.%u", value >> 24, (value >> 16) & 0xff, (value >> 8) & 0xff,
                  value & 0xff);
    return buf;
}

std::optional<Ip6Addr> Ip6Addr::parse(std::string_view text)
{
    if (text.size() >= INET6_ADDRSTRLEN) return std::nullopt;
    char buf[INET6_ADDRSTRLEN];
    std::memcpy(buf, text.data(), text.size());
    buf[text.size()] = '\0';
    Ip6Addr a;
    if (inet_pton(AF_INET6, buf, a.b.data()) != 1) return std::nullopt;
    return a;
}

bool Ip6Addr::isLoopback() const
{
    Ip6Addr one;
    one.b[15] = 1;
    return *this == one;
}

Ip6Addr Ip6Addr::linkLocalFromMac(const MacAddr &mac)
{
    Ip6Addr a;
    a.b[0] = 0xfe;
    a.b[1] = 0x80;
    a.b[8] = mac.b[0] ^ 0x02;  // flip the universal/local bit
    a.b[9] = mac.b[1];
    a.b[10] = mac.b[2];
    a.b[11] = 0xff;
    a.b[12] = 0xfe;
    a.b[13] = mac.b[3];
    a.b[14] = mac.b[4];
    a.b[15] = mac.b[5];
    return a;
}

Ip6Addr Ip6Addr::solicitedNodeMulticast() const
{
    Ip6Addr m;
    m.b[0] = 0xff;
    m.b[1] = 0x02;
    m.b[11] = 0x01;
    m.b[12] = 0xff;
    m.b[13] = b[13];
    m.b[14] = b[14];
    m.b[15] = b[15];
    return m;
}

MacAddr Ip6Addr::multicastMac() const { return {{0x33, 0x33, b[12], b[13], b[14], b[15]}}; }

std::string Ip6Addr::toString() const
{
    char buf[INET6_ADDRSTRLEN];
    inet_ntop(AF_INET6, b.data(), buf, sizeof buf);  // glibc follows RFC 5952
    return buf;
}

std::optional<IpAddr> IpAddr::parse(std::string_view text)
{
    if (text.find(':') != std::string_view::npos) {
        if (auto a = Ip6Addr::parse(text)) return IpAddr(*a);
        return std::nullopt;
    }
    if (auto a = Ip4Addr::parse(text)) return IpAddr(*a);
    return std::nullopt;
}

std::string IpAddr::toString() const { return isV4() ? v4().toString() : v6().toString(); }

std::optional<IpPrefix> IpPrefix::parse(std::string_view text)
{
    const std::size_t slash = text.find('/');
    if (slash == std::string_view::npos) return std::nullopt;
    auto addr = IpAddr::parse(text.substr(0, slash));
    if (!addr) return std::nullopt;
    unsigned len;
    if (!parseDecimal(text.substr(slash + 1), addr->isV4() ? 32 : 128, len)) return std::nullopt;
    return IpPrefix{*addr, static_cast<std::uint8_t>(len)};
}

bool IpPrefix::contains(const IpAddr &a) const
{
    if (a.isV4() != addr.isV4()) return false;
    if (a.isV4()) {
        if (length == 0) return true;
        const std::uint32_t mask = length >= 32 ? 0xffffffffu : ~(0xffffffffu >> length);
        return (a.v4().value & mask) == (addr.v4().value & mask);
    }
    const auto &x = a.v6().b;
    const auto &y = addr.v6().b;
    unsigned bits = length;
    for (std::size_t i = 0; i < 16 && bits > 0; ++i) {
        const unsigned take = bits >= 8 ? 8 : bits;
        const std::uint8_t mask = static_cast<std::uint8_t>(0xff00u >> take);
        if ((x[i] & mask) != (y[i] & mask)) return false;
        bits -= take;
    }
    return true;
}

IpPrefix IpPrefix::network() const
{
    IpPrefix p = *this;
    if (addr.isV4()) {
        const std::uint32_t mask = length == 0 ? 0 : length >= 32 ? 0xffffffffu : ~(0xffffffffu >> length);
        p.addr = Ip4Addr{addr.v4().value & mask};
        return p;
    }
    Ip6Addr a = addr.v6();
    unsigned bits = length;
    for (auto &byte : a.b) {
        const unsigned take = bits >= 8 ? 8 : bits;
        byte &= static_cast<std::uint8_t>(0xff00u >> take);
        bits -= take;
    }
    p.addr = a;
    return p;
}

std::string IpPrefix::toString() const { return addr.toString() + "/" + std::to_string(length); }

std::string Endpoint::toString() const
{
    if (addr.isV6()) return "[" + addr.toString() + "]:" + std::to_string(port);
    return addr.toString() + ":" + std::to_string(port);
}

Expected<Endpoint> Endpoint::parse(std::string_view text)
{
    const std::string quoted = "\"" + std::string(text) + "\"";
    std::string_view host, port;
    if (!text.empty() && text.front() == '[') {
        const auto close = text.find("]:");
        if (close == std::string_view::npos) return Error{quoted + " is not [ADDR6]:PORT (no \"]:\" after the address)"};
        host = text.substr(1, close - 1);
        port = text.substr(close + 2);
        if (auto a = IpAddr::parse(host); !a || !a->isV6())
            return Error{quoted + ": \"" + std::string(host) + "\" is not an IPv6 address"};
    } else {
        const auto colon = text.rfind(':');
        if (colon == std::string_view::npos) return Error{quoted + " is not ADDR:PORT (no port)"};
        if (text.find(':') != colon) return Error{quoted + ": write an IPv6 address in brackets, as [ADDR6]:PORT"};
        host = text.substr(0, colon);
        port = text.substr(colon + 1);
        if (auto a = IpAddr::parse(host); !a || !a->isV4())
            return Error{quoted + ": \"" + std::string(host) + "\" is not an IPv4 address"};
    }
    unsigned p = 0;
    if (!parseDecimal(port, 65535, p) || p == 0)
        return Error{quoted + ": the port \"" + std::string(port) + "\" is not a number from 1 to 65535"};
    return Endpoint{*IpAddr::parse(host), static_cast<std::uint16_t>(p)};
}

std::size_t hashOf(const IpAddr &a)
{
    if (a.isV4()) return mix(4, a.v4().value);
    std::uint64_t hi, lo;
    std::memcpy(&hi, a.v6().b.data(), 8);
    std::memcpy(&lo, a.v6().b.data() + 8, 8);
    return mix(mix(6, hi), lo);
}

std::size_t hashOf(const Endpoint &e) { return mix(hashOf(e.addr), e.port); }

}  // namespace tcplab

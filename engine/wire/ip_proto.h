// IP protocol numbers and EtherTypes the wire layer knows (IANA registries).
#pragma once

#include <cstdint>

namespace tcplab {

namespace ipproto {
inline constexpr std::uint8_t kHopByHop = 0;   // IPv6 Hop-by-Hop Options (RFC 8200 section 4.3)
inline constexpr std::uint8_t kIcmp = 1;
inline constexpr std::uint8_t kTcp = 6;
inline constexpr std::uint8_t kUdp = 17;
inline constexpr std::uint8_t kRouting = 43;   // IPv6 Routing header (RFC 8200 section 4.4)
inline constexpr std::uint8_t kFragment = 44;  // IPv6 Fragment header (RFC 8200 section 4.5)
inline constexpr std::uint8_t kEsp = 50;
inline constexpr std::uint8_t kAh = 51;
inline constexpr std::uint8_t kIcmpv6 = 58;
inline constexpr std::uint8_t kNoNext = 59;    // IPv6 No Next Header
inline constexpr std::uint8_t kDestOpts = 60;  // IPv6 Destination Options (RFC 8200 section 4.6)
}  // namespace ipproto

namespace ethertype {
inline constexpr std::uint16_t kIpv4 = 0x0800;
inline constexpr std::uint16_t kArp = 0x0806;
inline constexpr std::uint16_t kVlan = 0x8100;
inline constexpr std::uint16_t kIpv6 = 0x86dd;
}  // namespace ethertype

// "TCP", "UDP", "ICMP", "IPv6-ICMP", ... or "" when unknown.
const char *ipProtocolName(std::uint8_t protocol);

}  // namespace tcplab

// Why a frame was not accepted. Every parser in wire/ reports one of these (never allocating), so
// the host can keep one counter per reason and the CLI and GUI can show them by stable short name.
// The names are part of the CLI/GUI contract: add new reasons at the end, never rename one.
// parseFrame() reports every reason but TcpBadOptions, which is the TCP input's to report when
// parseTcpOptions() refuses a segment's options (the frame parser does not walk TCP options).
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "core/expected.h"

namespace tcplab {

// X(enumerator, "stable-short-name", "one human sentence")
#define TCPLAB_DROP_REASONS(X)                                                                         \
    X(None, "none", "accepted")                                                                        \
    X(EthTruncated, "eth-truncated", "frame shorter than an Ethernet II header")                      \
    X(EthUnsupportedType, "eth-unsupported-type", "EtherType is neither ARP, IPv4 nor IPv6")          \
    X(ArpTruncated, "arp-truncated", "ARP packet shorter than its fixed part")                        \
    X(ArpUnsupported, "arp-unsupported", "ARP is not Ethernet/IPv4 (hardware or protocol type/size)") \
    X(Ipv4Truncated, "ipv4-truncated", "shorter than an IPv4 header")                                 \
    X(Ipv4BadVersion, "ipv4-bad-version", "IPv4 version field is not 4")                              \
    X(Ipv4BadHeaderLength, "ipv4-bad-header-length", "IPv4 IHL below 5 or past the received bytes")   \
    X(Ipv4BadTotalLength, "ipv4-bad-total-length", "IPv4 total length below IHL or past the bytes")   \
    X(Ipv4BadChecksum, "ipv4-bad-checksum", "IPv4 header checksum does not verify")                   \
    X(Ipv4Fragment, "ipv4-fragment", "IPv4 fragment (reassembly is not supported)")                   \
    X(Ipv6Truncated, "ipv6-truncated", "shorter than an IPv6 header")                                 \
    X(Ipv6BadVersion, "ipv6-bad-version", "IPv6 version field is not 6")                              \
    X(Ipv6BadPayloadLength, "ipv6-bad-payload-length", "IPv6 payload length past the bytes received")   \
    X(Ipv6BadExtHeader, "ipv6-bad-ext-header", "IPv6 extension header truncated or misplaced")        \
    X(Ipv6TooManyExtHeaders, "ipv6-too-many-ext-headers", "IPv6 extension header chain too long")     \
    X(Ipv6Fragment, "ipv6-fragment", "IPv6 fragment (reassembly is not supported)")                   \
    X(IpUnsupportedProtocol, "ip-unsupported-protocol", "IP carries a protocol the stack lacks")      \
    X(TcpTruncated, "tcp-truncated", "shorter than a TCP header")                                     \
    X(TcpBadOffset, "tcp-bad-offset", "TCP data offset below 5 or past the segment")                  \
    X(TcpBadOptions, "tcp-bad-options", "TCP options malformed")                                      \
    X(TcpBadChecksum, "tcp-bad-checksum", "TCP checksum does not verify")                             \
    X(UdpTruncated, "udp-truncated", "shorter than a UDP header")                                     \
    X(UdpBadLength, "udp-bad-length", "UDP length below 8 or past the IP payload")                    \
    X(UdpBadChecksum, "udp-bad-checksum", "UDP checksum does not verify")                             \
    X(Icmpv4Truncated, "icmp-truncated", "shorter than an ICMP header")                               \
    X(Icmpv4BadChecksum, "icmp-bad-checksum", "ICMP checksum does not verify")                        \
    X(Icmpv6Truncated, "icmpv6-truncated", "shorter than an ICMPv6 header or its message body")       \
    X(Icmpv6BadChecksum, "icmpv6-bad-checksum", "ICMPv6 checksum does not verify")                    \
    X(Icmpv6BadNdOption, "icmpv6-bad-nd-option", "Neighbor Discovery option of length 0 or too long")

enum class DropReason : std::uint8_t {
#define TCPLAB_DROP_ENUM(id, name, text) id,
    TCPLAB_DROP_REASONS(TCPLAB_DROP_ENUM)
#undef TCPLAB_DROP_ENUM
};

// Number of reasons (None included), so `std::array<std::uint64_t, kDropReasonCount>` indexed by
// `static_cast<std::size_t>(reason)` holds one counter per reason.
inline constexpr std::size_t kDropReasonCount = 0
#define TCPLAB_DROP_COUNT(id, name, text) +1
    TCPLAB_DROP_REASONS(TCPLAB_DROP_COUNT)
#undef TCPLAB_DROP_COUNT
    ;

// "ipv4-bad-checksum"; "unknown" for a value outside the enum.
std::string_view dropReasonName(DropReason reason);
// A short English sentence for logs and tooltips.
std::string_view dropReasonText(DropReason reason);
// Looks a reason up by short name; false when no reason has that name.
bool dropReasonFromName(std::string_view name, DropReason &out);
// An Error for Expected<> results: "<what>: <short-name> (<sentence>)".
Error dropError(std::string_view what, DropReason reason);

}  // namespace tcplab

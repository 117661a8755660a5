// What a host counts: one counter per wire DropReason (the parser's verdicts), plus the stack's
// own reasons for not delivering a frame or packet. Names are stable: the CLI prints them and the
// GUI shows them; add new ones at the end.
#pragma once

#include <array>
#include <cstdint>
#include <string_view>
#include <utility>
#include <vector>

#include "wire/drop_reason.h"

namespace tcplab {

// X(enumerator, "stable-short-name", "one human sentence")
#define TCPLAB_STACK_DROPS(X)                                                                       \
    X(NotForUs, "not-for-us", "destination MAC or IP address is not this host's")                   \
    X(NoTransport, "no-transport", "no transport handles this protocol (TCP not attached)")         \
    X(UdpPortClosed, "udp-port-closed", "UDP datagram for a port nobody listens on")                \
    X(NoRoute, "no-route", "no on-link prefix or gateway for the destination")                      \
    X(NoSourceAddress, "no-source-address", "the host has no address of the destination's family") \
    X(NeighborUnresolved, "neighbor-unresolved", "ARP/ND gave up, or the pending queue overflowed") \
    X(LinkTxFailed, "link-tx-failed", "the link refused the frame (queue full or error)")           \
    X(NoLink, "no-link", "the host is not attached to a link")                                      \
    X(IgnoredIcmp, "ignored-icmp", "ICMP/ICMPv6 message the host does not act on")                  \
    X(IgnoredArp, "ignored-arp", "ARP packet not for this host's addresses")                        \
    X(NdInvalid, "nd-invalid", "Neighbor Discovery message failing RFC 4861 validation")

enum class StackDrop : std::uint8_t {
#define TCPLAB_STACK_ENUM(id, name, text) id,
    TCPLAB_STACK_DROPS(TCPLAB_STACK_ENUM)
#undef TCPLAB_STACK_ENUM
};

inline constexpr std::size_t kStackDropCount = 0
#define TCPLAB_STACK_COUNT(id, name, text) +1
    TCPLAB_STACK_DROPS(TCPLAB_STACK_COUNT)
#undef TCPLAB_STACK_COUNT
    ;

std::string_view stackDropName(StackDrop drop);
std::string_view stackDropText(StackDrop drop);

struct HostCounters {
    std::uint64_t framesIn = 0, framesOut = 0;
    std::uint64_t bytesIn = 0, bytesOut = 0;
    std::uint64_t arpIn = 0, arpOut = 0;
    std::uint64_t ipv4In = 0, ipv4Out = 0, ipv6In = 0, ipv6Out = 0;
    std::uint64_t icmpEchoAnswered = 0, icmpv6EchoAnswered = 0;
    std::uint64_t icmpUnreachableSent = 0;
    std::uint64_t icmpErrorsIn = 0, icmpErrorsDelivered = 0;  // errors quoting our packets; passed to a socket/TCB
    std::uint64_t udpIn = 0, udpOut = 0;
    std::uint64_t tcpIn = 0, tcpOut = 0;
    std::uint64_t hookDropped = 0, hookTaken = 0;
    std::array<std::uint64_t, kDropReasonCount> malformed{};  // index: DropReason (None unused)
    std::array<std::uint64_t, kStackDropCount> dropped{};     // index: StackDrop

    std::uint64_t &operator[](DropReason r) { return malformed[static_cast<std::size_t>(r)]; }
    std::uint64_t &operator[](StackDrop d) { return dropped[static_cast<std::size_t>(d)]; }
    std::uint64_t operator[](DropReason r) const { return malformed[static_cast<std::size_t>(r)]; }
    std::uint64_t operator[](StackDrop d) const { return dropped[static_cast<std::size_t>(d)]; }
    std::uint64_t malformedTotal() const;
    std::uint64_t droppedTotal() const;

    // Every non-zero drop counter by stable name (wire reasons first), for the CLI and the GUI.
    std::vector<std::pair<std::string_view, std::uint64_t>> nonZeroDrops() const;
    // Every counter by name (traffic counters and all drop reasons), zeros included.
    std::vector<std::pair<std::string_view, std::uint64_t>> all() const;
};

}  // namespace tcplab

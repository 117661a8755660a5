// One pass over a received frame (or a bare IP packet): every layer's position and checked view,
// or the first reason it cannot be accepted. No allocation on any path, so the host can run it on
// every frame; see bench/ for the figure.
#pragma once

#include <cstdint>
#include <optional>

#include "core/bytes.h"
#include "wire/addresses.h"
#include "wire/arp.h"
#include "wire/drop_reason.h"
#include "wire/ethernet.h"
#include "wire/icmpv4.h"
#include "wire/icmpv6.h"
#include "wire/ipv4.h"
#include "wire/ipv6.h"
#include "wire/tcp.h"
#include "wire/udp.h"

namespace tcplab {

enum class NetworkKind : std::uint8_t { None, Arp, Ipv4, Ipv6 };

struct FrameParseOptions {
    // Verify IPv4 header, TCP, UDP, ICMP and ICMPv6 checksums (a failed one is the drop reason).
    bool verifyChecksums = true;
};

// What parseFrame found. Offsets are from the start of the bytes given to the parser. Views are
// set for every layer that passed its integrity check, also when a later layer failed, so a
// caller can still log addresses of a packet it drops. `drop` is the first problem.
struct ParsedFrame {
    DropReason drop = DropReason::None;
    bool ok() const { return drop == DropReason::None; }

    NetworkKind network = NetworkKind::None;
    std::uint16_t etherType = 0;  // 0 for a bare IP packet
    std::uint8_t l4Protocol = 0;  // IP protocol number (after IPv6 extension headers); 0 for ARP

    std::uint32_t l3Offset = 0;       // 14 in a frame, 0 in a bare IP packet
    std::uint32_t l3Length = 0;       // IP total length (link padding excluded), 28 for ARP
    std::uint32_t l4Offset = 0;       // after the IPv4 header or the IPv6 extension headers
    std::uint32_t l4Length = 0;
    std::uint32_t payloadOffset = 0;  // after the TCP/UDP/ICMP header (ICMP: after its 8 bytes)
    std::uint32_t payloadLength = 0;

    std::optional<EthernetView> eth;
    std::optional<ArpView> arp;
    std::optional<Ipv4View> ipv4;
    std::optional<Ipv6View> ipv6;
    Ipv6Extensions ipv6Ext;  // meaningful when ipv6 is set
    std::optional<TcpView> tcp;
    std::optional<UdpView> udp;
    std::optional<Icmpv4View> icmpv4;
    std::optional<Icmpv6View> icmpv6;

    bool isFragment() const { return drop == DropReason::Ipv4Fragment || drop == DropReason::Ipv6Fragment; }
    // IP source/destination (unspecified IPv4 when there is no IP layer).
    IpAddr source() const;
    IpAddr destination() const;
    // The IP packet (from l3Offset, l3Length bytes); empty without an IP layer.
    ByteView ipPacket(ByteView frame) const;
};

// An Ethernet II frame (no FCS).
ParsedFrame parseFrame(ByteView frame, FrameParseOptions options = {});
// A bare IPv4 or IPv6 packet (version taken from the first nibble), as the rule engine holds them.
ParsedFrame parseIpPacket(ByteView packet, FrameParseOptions options = {});

}  // namespace tcplab

// The facts a diagram row needs from one frame (Ethernet, IPv4/IPv6, TCP), read straight from
// the bytes without copying. This is display decoding only: it never judges a segment (analysis
// labels come from the engine's annotations). Replace with wire/'s TCP view once it lands.
#pragma once

#include <array>
#include <cstdint>
#include <string>

#include "core/bytes.h"
#include "wire/addresses.h"

namespace tcplab::gui {

enum TcpFlag : std::uint8_t {
    kFin = 0x01, kSyn = 0x02, kRst = 0x04, kPsh = 0x08, kAck = 0x10, kUrg = 0x20, kEce = 0x40, kCwr = 0x80
};

struct SegmentSummary {
    bool isTcp = false;
    IpAddr src, dst;
    std::uint16_t srcPort = 0, dstPort = 0;
    std::uint32_t seq = 0, ack = 0;
    std::uint8_t flags = 0;
    std::uint16_t window = 0;  // as on the wire (not scaled)
    std::uint32_t payloadLength = 0;
    int mss = -1, windowScale = -1;
    bool sackPermitted = false, hasTimestamps = false;
    std::uint32_t tsVal = 0, tsEcr = 0;
    int sackCount = 0;
    std::array<std::array<std::uint32_t, 2>, 4> sack{};
    std::uint16_t ipOffset = 0, tcpOffset = 0, tcpHeaderLength = 0;

    // "SYN, ACK"
    std::string flagText() const;
    // "mss 1460, ws 7, sackOK, ts" (empty when no options worth showing)
    std::string optionText() const;
    // Sequence space the segment occupies (payload + SYN + FIN).
    std::uint32_t seqLength() const { return payloadLength + ((flags & kSyn) ? 1 : 0) + ((flags & kFin) ? 1 : 0); }
};

// Never reads out of bounds: a frame too short for a header gives isTcp == false. `wireLength` is
// the frame's length on the wire when the capture kept fewer bytes (an imported `tcpdump -s`
// capture): the headers must be whole, the payload length is what the IP header says.
SegmentSummary summarizeFrame(ByteView frame, std::size_t wireLength = 0);

// Test and stand-in helper: an Ethernet + IPv4 + TCP frame with correct checksums.
struct SegmentSpec {
    MacAddr srcMac, dstMac;
    Ip4Addr src, dst;
    std::uint16_t srcPort = 0, dstPort = 0;
    std::uint32_t seq = 0, ack = 0;
    std::uint8_t flags = 0;
    std::uint16_t window = 0;
    int mss = -1, windowScale = -1;
    bool sackPermitted = false, timestamps = false;
    std::uint32_t tsVal = 0, tsEcr = 0;
    std::uint32_t payloadLength = 0;  // filled with a repeating pattern
};
Bytes buildSegmentFrame(const SegmentSpec &spec);

}  // namespace tcplab::gui

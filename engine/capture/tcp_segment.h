// The facts about a TCP segment that flow tracking and analysis need, read from a captured frame of
// any link type a pcap file may hold. Never reads outside the frame; nullopt for anything that is
// not a complete, unfragmented TCP header over IPv4 or IPv6. A frame the capture cut short (tcpdump
// -s) is read like Wireshark reads it: the headers must be whole, the lengths come from them.
#pragma once

#include <cstdint>
#include <optional>

#include "core/bytes.h"
#include "wire/addresses.h"
#include "wire/seq.h"

namespace tcplab {

// pcap LINKTYPE_ values we read (https://www.tcpdump.org/linktypes.html).
namespace linktype {
inline constexpr std::uint16_t kNull = 0, kEthernet = 1, kRaw = 101, kLinuxSll = 113, kIpv4 = 228,
                               kIpv6 = 229, kLinuxSll2 = 276;
}

struct TcpSegmentFacts {
    Endpoint src, dst;
    SeqNum seq, ack;
    std::uint8_t flags = 0;
    std::uint16_t window = 0;          // raw, as in the header
    std::uint32_t payloadLength = 0;   // TCP payload bytes (not counting SYN/FIN)
    std::int8_t windowScale = -1;      // the SYN's window-scale option, -1 when absent
    std::uint32_t ipPayloadOffset = 0; // where the TCP header starts in the frame
};

// `wireLength`: the frame's length on the wire when the capture kept fewer bytes (pcap's orig_len);
// 0 or frame.size() for a whole frame.
std::optional<TcpSegmentFacts> tcpSegmentOf(ByteView frame, std::uint16_t linkType = linktype::kEthernet,
                                            std::size_t wireLength = 0);

// "SYN, ACK" style, like Wireshark's Info column ("FIN, PSH, ACK").
std::string tcpFlagsText(std::uint8_t flags);

} // namespace tcplab

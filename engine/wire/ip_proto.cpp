#include "wire/ip_proto.h"

namespace tcplab {

const char *ipProtocolName(std::uint8_t protocol)
{
    switch (protocol) {
    case ipproto::kHopByHop: return "IPv6-HopByHop";
    case ipproto::kIcmp: return "ICMP";
    case ipproto::kTcp: return "TCP";
    case ipproto::kUdp: return "UDP";
    case ipproto::kRouting: return "IPv6-Route";
    case ipproto::kFragment: return "IPv6-Frag";
    case ipproto::kEsp: return "ESP";
    case ipproto::kAh: return "AH";
    case ipproto::kIcmpv6: return "IPv6-ICMP";
    case ipproto::kNoNext: return "IPv6-NoNxt";
    case ipproto::kDestOpts: return "IPv6-Opts";
    default: return "";
    }
}

}  // namespace tcplab

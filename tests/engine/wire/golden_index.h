// The golden frames (golden_frames.h) by name, for data-driven tests.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "golden_frames.h"

namespace golden {

struct Named {
    const char *name;
    const std::vector<std::uint8_t> *bytes;
};

inline const std::vector<Named> &all()
{
    static const std::vector<Named> frames{
        {"arp_request", &arp_request},
        {"arp_reply", &arp_reply},
        {"ipv4_tcp_syn", &ipv4_tcp_syn},
        {"ipv4_tcp_synack", &ipv4_tcp_synack},
        {"ipv4_tcp_data", &ipv4_tcp_data},
        {"ipv4_tcp_ack_padded", &ipv4_tcp_ack_padded},
        {"ipv4_tcp_sack", &ipv4_tcp_sack},
        {"ipv6_tcp_syn", &ipv6_tcp_syn},
        {"ipv4_udp", &ipv4_udp},
        {"ipv6_udp", &ipv6_udp},
        {"ipv4_icmp_echo_request", &ipv4_icmp_echo_request},
        {"ipv4_icmp_echo_reply", &ipv4_icmp_echo_reply},
        {"ipv4_icmp_port_unreachable", &ipv4_icmp_port_unreachable},
        {"ipv6_icmp_echo_request", &ipv6_icmp_echo_request},
        {"ipv6_icmp_echo_reply", &ipv6_icmp_echo_reply},
        {"ipv6_ns", &ipv6_ns},
        {"ipv6_na", &ipv6_na},
        {"ipv6_dest_unreachable", &ipv6_dest_unreachable},
        {"ipv6_hbh_dstopts_udp", &ipv6_hbh_dstopts_udp},
        {"ipv6_routing_tcp", &ipv6_routing_tcp},
        {"ipv6_fragment_first", &ipv6_fragment_first},
        {"ipv6_atomic_fragment_echo", &ipv6_atomic_fragment_echo},
        {"ipv4_fragment", &ipv4_fragment},
        {"ipv4_options_udp", &ipv4_options_udp},
    };
    return frames;
}

}  // namespace golden

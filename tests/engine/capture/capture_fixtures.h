// Frames for capture tests: Ethernet + IPv4/IPv6 + TCP with correct checksums, built with the wire
// library's builders.
#pragma once

#include <string>

#include "core/bytes.h"
#include "wire/addresses.h"
#include "wire/ethernet.h"
#include "wire/ip_proto.h"
#include "wire/ipv4.h"
#include "wire/ipv6.h"
#include "wire/tcp.h"

namespace tcplab::test {

inline Endpoint ep(const char *addr, std::uint16_t port) { return {*IpAddr::parse(addr), port}; }

inline Bytes tcpFrame(const Endpoint &src, const Endpoint &dst, std::uint8_t flags, std::uint32_t seq,
                      std::uint32_t ack, std::size_t payloadLength = 0, std::uint16_t window = 64240)
{
    TcpHeader h;
    h.sourcePort = src.port;
    h.destinationPort = dst.port;
    h.seq = SeqNum(seq);
    h.ack = SeqNum(ack);
    h.flags = TcpFlags(flags);
    h.window = window;
    Bytes payload(payloadLength);
    for (std::size_t i = 0; i < payloadLength; ++i) payload[i] = static_cast<std::uint8_t>('a' + (seq + i) % 26);
    const Bytes tcp = serializeTcp(h, payload, src.addr, dst.addr);
    Bytes ip;
    EthernetHeader eth;
    eth.source = *MacAddr::parse(src.addr.isV4() && src.addr.v4().value & 1 ? "02:00:00:00:00:01" : "02:00:00:00:00:02");
    eth.destination = *MacAddr::parse(src.addr.isV4() && src.addr.v4().value & 1 ? "02:00:00:00:00:02" : "02:00:00:00:00:01");
    if (src.addr.isV4()) {
        Ipv4Header i4;
        i4.protocol = ipproto::kTcp;
        i4.source = src.addr.v4();
        i4.destination = dst.addr.v4();
        ip = buildIpv4(i4, tcp);
        eth.etherType = 0x0800;
    } else {
        Ipv6Header i6;
        i6.nextHeader = ipproto::kTcp;
        i6.source = src.addr.v6();
        i6.destination = dst.addr.v6();
        ip = buildIpv6(i6, tcp);
        eth.etherType = 0x86dd;
    }
    return buildEthernet(eth, ip, true);
}

}  // namespace tcplab::test

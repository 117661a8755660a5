// The field registry table and value formatting.
#include "wire/fields.h"

#include <array>
#include <cstdio>

#include "wire/addresses.h"
#include "wire/icmpv4.h"
#include "wire/icmpv6.h"
#include "wire/ip_proto.h"
#include "wire/tcp.h"

namespace tcplab {

namespace {

using L = FieldLayer;
using F = FieldFormat;
using W = FieldWhen;

constexpr FieldDescriptor field(std::string_view name, std::string_view label, FieldLayer layer,
                                std::uint16_t byte, std::uint8_t bit, std::uint8_t width, FieldFormat format,
                                std::uint8_t scale = 1, W when = W::Always, std::uint8_t kind = 0)
{
    return {name, label, layer, byte, bit, width, format, scale, kind, when};
}

constexpr std::array kFields{
    // Ethernet II
    field("eth.dst", "Destination", L::Ethernet, 0, 0, 48, F::Mac),
    field("eth.src", "Source", L::Ethernet, 6, 0, 48, F::Mac),
    field("eth.type", "Type", L::Ethernet, 12, 0, 16, F::EtherType),
    // ARP (RFC 826)
    field("arp.hw.type", "Hardware type", L::Arp, 0, 0, 16, F::Decimal),
    field("arp.proto.type", "Protocol type", L::Arp, 2, 0, 16, F::EtherType),
    field("arp.hw.size", "Hardware size", L::Arp, 4, 0, 8, F::Decimal),
    field("arp.proto.size", "Protocol size", L::Arp, 5, 0, 8, F::Decimal),
    field("arp.opcode", "Opcode", L::Arp, 6, 0, 16, F::ArpOpcode),
    field("arp.src.hw_mac", "Sender MAC address", L::Arp, 8, 0, 48, F::Mac),
    field("arp.src.proto_ipv4", "Sender IP address", L::Arp, 14, 0, 32, F::Ipv4),
    field("arp.dst.hw_mac", "Target MAC address", L::Arp, 18, 0, 48, F::Mac),
    field("arp.dst.proto_ipv4", "Target IP address", L::Arp, 24, 0, 32, F::Ipv4),
    // IPv4 (RFC 791 section 3.1)
    field("ip.version", "Version", L::Ipv4, 0, 0, 4, F::Decimal),
    field("ip.hdr_len", "Header Length", L::Ipv4, 0, 4, 4, F::Decimal, 4),
    field("ip.dsfield", "Differentiated Services Field", L::Ipv4, 1, 0, 8, F::Hex),
    field("ip.dsfield.dscp", "Differentiated Services Codepoint", L::Ipv4, 1, 0, 6, F::Decimal),
    field("ip.dsfield.ecn", "Explicit Congestion Notification", L::Ipv4, 1, 6, 2, F::Decimal),
    field("ip.len", "Total Length", L::Ipv4, 2, 0, 16, F::Decimal),
    field("ip.id", "Identification", L::Ipv4, 4, 0, 16, F::Hex),
    field("ip.flags", "Flags", L::Ipv4, 6, 0, 3, F::Hex),
    field("ip.flags.rb", "Reserved bit", L::Ipv4, 6, 0, 1, F::Flag),
    field("ip.flags.df", "Don't fragment", L::Ipv4, 6, 1, 1, F::Flag),
    field("ip.flags.mf", "More fragments", L::Ipv4, 6, 2, 1, F::Flag),
    field("ip.frag_offset", "Fragment Offset", L::Ipv4, 6, 3, 13, F::Decimal, 8),
    field("ip.ttl", "Time to Live", L::Ipv4, 8, 0, 8, F::Decimal),
    field("ip.proto", "Protocol", L::Ipv4, 9, 0, 8, F::IpProto),
    field("ip.checksum", "Header Checksum", L::Ipv4, 10, 0, 16, F::Hex),
    field("ip.src", "Source Address", L::Ipv4, 12, 0, 32, F::Ipv4),
    field("ip.dst", "Destination Address", L::Ipv4, 16, 0, 32, F::Ipv4),
    // IPv6 (RFC 8200 section 3)
    field("ipv6.version", "Version", L::Ipv6, 0, 0, 4, F::Decimal),
    field("ipv6.tclass", "Traffic Class", L::Ipv6, 0, 4, 8, F::Hex),
    field("ipv6.tclass.dscp", "Differentiated Services Codepoint", L::Ipv6, 0, 4, 6, F::Decimal),
    field("ipv6.tclass.ecn", "Explicit Congestion Notification", L::Ipv6, 1, 2, 2, F::Decimal),
    field("ipv6.flow", "Flow Label", L::Ipv6, 1, 4, 20, F::Hex),
    field("ipv6.plen", "Payload Length", L::Ipv6, 4, 0, 16, F::Decimal),
    field("ipv6.nxt", "Next Header", L::Ipv6, 6, 0, 8, F::IpProto),
    field("ipv6.hlim", "Hop Limit", L::Ipv6, 7, 0, 8, F::Decimal),
    field("ipv6.src", "Source Address", L::Ipv6, 8, 0, 128, F::Ipv6),
    field("ipv6.dst", "Destination Address", L::Ipv6, 24, 0, 128, F::Ipv6),
    // TCP (RFC 9293 section 3.1). tcp.seq and tcp.ack are the raw numbers (Wireshark's
    // tcp.seq_raw): the inspector shows relative ones itself, per session.
    field("tcp.srcport", "Source Port", L::Tcp, 0, 0, 16, F::Decimal),
    field("tcp.dstport", "Destination Port", L::Tcp, 2, 0, 16, F::Decimal),
    field("tcp.seq", "Sequence Number", L::Tcp, 4, 0, 32, F::Decimal),
    field("tcp.ack", "Acknowledgment Number", L::Tcp, 8, 0, 32, F::Decimal),
    field("tcp.hdr_len", "Header Length", L::Tcp, 12, 0, 4, F::Decimal, 4),
    field("tcp.flags", "Flags", L::Tcp, 12, 4, 12, F::TcpFlags),
    field("tcp.flags.res", "Reserved", L::Tcp, 12, 4, 3, F::Decimal),
    field("tcp.flags.ae", "Accurate ECN", L::Tcp, 12, 7, 1, F::Flag),
    field("tcp.flags.cwr", "Congestion Window Reduced", L::Tcp, 13, 0, 1, F::Flag),
    field("tcp.flags.ece", "ECN-Echo", L::Tcp, 13, 1, 1, F::Flag),
    field("tcp.flags.urg", "Urgent", L::Tcp, 13, 2, 1, F::Flag),
    field("tcp.flags.ack", "Acknowledgment", L::Tcp, 13, 3, 1, F::Flag),
    field("tcp.flags.push", "Push", L::Tcp, 13, 4, 1, F::Flag),
    field("tcp.flags.reset", "Reset", L::Tcp, 13, 5, 1, F::Flag),
    field("tcp.flags.syn", "Syn", L::Tcp, 13, 6, 1, F::Flag),
    field("tcp.flags.fin", "Fin", L::Tcp, 13, 7, 1, F::Flag),
    field("tcp.window_size_value", "Window", L::Tcp, 14, 0, 16, F::Decimal),
    field("tcp.checksum", "Checksum", L::Tcp, 16, 0, 16, F::Hex),
    field("tcp.urgent_pointer", "Urgent Pointer", L::Tcp, 18, 0, 16, F::Decimal),
    // TCP options, relative to the option's kind byte (RFC 9293 3.2, RFC 7323, RFC 2018).
    field("tcp.options.mss_val", "MSS Value", L::TcpOption, 2, 0, 16, F::Decimal, 1, W::Always, tcpopt::kMss),
    field("tcp.options.wscale.shift", "Shift count", L::TcpOption, 2, 0, 8, F::Decimal, 1, W::Always,
          tcpopt::kWindowScale),
    field("tcp.options.timestamp.tsval", "Timestamp value", L::TcpOption, 2, 0, 32, F::Decimal, 1, W::Always,
          tcpopt::kTimestamps),
    field("tcp.options.timestamp.tsecr", "Timestamp echo reply", L::TcpOption, 6, 0, 32, F::Decimal, 1,
          W::Always, tcpopt::kTimestamps),
    // UDP (RFC 768)
    field("udp.srcport", "Source Port", L::Udp, 0, 0, 16, F::Decimal),
    field("udp.dstport", "Destination Port", L::Udp, 2, 0, 16, F::Decimal),
    field("udp.length", "Length", L::Udp, 4, 0, 16, F::Decimal),
    field("udp.checksum", "Checksum", L::Udp, 6, 0, 16, F::Hex),
    // ICMP (RFC 792)
    field("icmp.type", "Type", L::Icmp, 0, 0, 8, F::IcmpType),
    field("icmp.code", "Code", L::Icmp, 1, 0, 8, F::Decimal),
    field("icmp.checksum", "Checksum", L::Icmp, 2, 0, 16, F::Hex),
    field("icmp.ident", "Identifier", L::Icmp, 4, 0, 16, F::Decimal, 1, W::IcmpEcho),
    field("icmp.seq", "Sequence Number", L::Icmp, 6, 0, 16, F::Decimal, 1, W::IcmpEcho),
    field("icmp.mtu", "MTU of next hop", L::Icmp, 6, 0, 16, F::Decimal, 1, W::IcmpFragNeeded),
    // ICMPv6 (RFC 4443, RFC 4861)
    field("icmpv6.type", "Type", L::Icmpv6, 0, 0, 8, F::Icmpv6Type),
    field("icmpv6.code", "Code", L::Icmpv6, 1, 0, 8, F::Decimal),
    field("icmpv6.checksum", "Checksum", L::Icmpv6, 2, 0, 16, F::Hex),
    field("icmpv6.echo.identifier", "Identifier", L::Icmpv6, 4, 0, 16, F::Decimal, 1, W::Icmpv6Echo),
    field("icmpv6.echo.sequence_number", "Sequence", L::Icmpv6, 6, 0, 16, F::Decimal, 1, W::Icmpv6Echo),
    field("icmpv6.nd.na.flag.r", "Router", L::Icmpv6, 4, 0, 1, F::Flag, 1, W::NdAdvert),
    field("icmpv6.nd.na.flag.s", "Solicited", L::Icmpv6, 4, 1, 1, F::Flag, 1, W::NdAdvert),
    field("icmpv6.nd.na.flag.o", "Override", L::Icmpv6, 4, 2, 1, F::Flag, 1, W::NdAdvert),
    field("icmpv6.nd.ns.target_address", "Target Address", L::Icmpv6, 8, 0, 128, F::Ipv6, 1, W::NdSolicit),
    field("icmpv6.nd.na.target_address", "Target Address", L::Icmpv6, 8, 0, 128, F::Ipv6, 1, W::NdAdvert),
};

std::string hex(std::uint64_t v, int digits)
{
    char buf[24];
    std::snprintf(buf, sizeof buf, "0x%0*llx", digits, static_cast<unsigned long long>(v));
    return buf;
}

std::string named(std::string_view name, std::string number)
{
    if (name.empty()) return number;
    std::string out(name);
    out += " (";
    out += number;
    out += ')';
    return out;
}

std::string_view etherTypeName(std::uint64_t v)
{
    switch (v) {
    case ethertype::kIpv4: return "IPv4";
    case ethertype::kArp: return "ARP";
    case ethertype::kIpv6: return "IPv6";
    case ethertype::kVlan: return "802.1Q Virtual LAN";
    default: return {};
    }
}

std::string_view icmpTypeName(std::uint64_t v)
{
    switch (v) {
    case icmpv4::kEchoReply: return "Echo (ping) reply";
    case icmpv4::kDestUnreachable: return "Destination unreachable";
    case icmpv4::kEchoRequest: return "Echo (ping) request";
    case icmpv4::kTimeExceeded: return "Time-to-live exceeded";
    case icmpv4::kParameterProblem: return "Parameter problem";
    default: return {};
    }
}

std::string_view icmpv6TypeName(std::uint64_t v)
{
    switch (v) {
    case icmpv6::kDestUnreachable: return "Destination Unreachable";
    case icmpv6::kPacketTooBig: return "Packet Too Big";
    case icmpv6::kTimeExceeded: return "Time Exceeded";
    case icmpv6::kParameterProblem: return "Parameter Problem";
    case icmpv6::kEchoRequest: return "Echo (ping) request";
    case icmpv6::kEchoReply: return "Echo (ping) reply";
    case icmpv6::kRouterSolicitation: return "Router Solicitation";
    case icmpv6::kRouterAdvertisement: return "Router Advertisement";
    case icmpv6::kNeighborSolicitation: return "Neighbor Solicitation";
    case icmpv6::kNeighborAdvertisement: return "Neighbor Advertisement";
    default: return {};
    }
}

}  // namespace

std::span<const FieldDescriptor> fieldRegistry() { return kFields; }

const FieldDescriptor *findField(std::string_view name)
{
    for (const FieldDescriptor &f : kFields)
        if (f.name == name) return &f;
    return nullptr;
}

std::string formatFieldValue(const FieldDescriptor &field, std::uint64_t value)
{
    switch (field.format) {
    case F::Decimal: return std::to_string(value);
    case F::Hex: return hex(value, (field.bitWidth + 3) / 4);
    case F::Flag: return value ? "Set" : "Not set";
    case F::Mac: {
        MacAddr m;
        for (int i = 0; i < 6; ++i) m.b[std::size_t(i)] = static_cast<std::uint8_t>(value >> (40 - 8 * i));
        return m.toString();
    }
    case F::Ipv4: return Ip4Addr{static_cast<std::uint32_t>(value)}.toString();
    case F::Ipv6: return {};  // 128 bits: formatted from the bytes by the decoder
    case F::EtherType: return named(etherTypeName(value), hex(value, 4));
    case F::IpProto: return named(ipProtocolName(static_cast<std::uint8_t>(value)), std::to_string(value));
    case F::ArpOpcode:
        return named(value == 1 ? "request" : value == 2 ? "reply" : "", std::to_string(value));
    case F::TcpFlags: {
        const std::string names = TcpFlags(static_cast<std::uint8_t>(value)).toString();
        return hex(value, 3) + " (" + names + (value & 0x100 ? ", AE" : "") + ')';
    }
    case F::IcmpType: return named(icmpTypeName(value), std::to_string(value));
    case F::Icmpv6Type: return named(icmpv6TypeName(value), std::to_string(value));
    }
    return std::to_string(value);
}

}  // namespace tcplab

#include "wire/frame.h"

#include "wire/ip_proto.h"

namespace tcplab {

IpAddr ParsedFrame::source() const
{
    if (ipv4) return ipv4->source();
    if (ipv6) return ipv6->source();
    return {};
}

IpAddr ParsedFrame::destination() const
{
    if (ipv4) return ipv4->destination();
    if (ipv6) return ipv6->destination();
    return {};
}

ByteView ParsedFrame::ipPacket(ByteView frame) const
{
    if (!ipv4 && !ipv6) return {};
    return frame.subspan(l3Offset, l3Length);
}

namespace {

// Parses the upper layer found at `base + out.l4Offset` (l4Length bytes). The IP layer is set.
void parseTransport(ByteView bytes, ParsedFrame &out, const FrameParseOptions &options)
{
    const ByteView l4 = bytes.subspan(out.l4Offset, out.l4Length);
    // Addresses only matter for the pseudo-header checksums.
    IpAddr src, dst;
    if (options.verifyChecksums) {
        src = out.source();
        dst = out.destination();
    }
    DropReason r = DropReason::None;
    std::size_t headerLength = 0;
    switch (out.l4Protocol) {
    case ipproto::kTcp: {
        if (l4.size() < TcpView::kMinHeaderLength) {
            r = DropReason::TcpTruncated;
            break;
        }
        headerLength = std::size_t(l4[12] >> 4) * 4;
        if (headerLength < TcpView::kMinHeaderLength || headerLength > l4.size()) {
            r = DropReason::TcpBadOffset;
            break;
        }
        out.tcp = TcpView::unchecked(l4);
        if (options.verifyChecksums && !verifyTcpChecksum(l4, src, dst)) r = DropReason::TcpBadChecksum;
        break;
    }
    case ipproto::kUdp:
        if ((r = UdpView::check(l4)) != DropReason::None) break;
        out.udp = UdpView::unchecked(l4);
        out.l4Length = out.udp->length();  // the UDP length field rules (RFC 768)
        headerLength = UdpView::kHeaderLength;
        if (options.verifyChecksums && !out.udp->checksumOk(src, dst)) r = DropReason::UdpBadChecksum;
        break;
    case ipproto::kIcmp:
        if (!out.ipv4) {
            r = DropReason::IpUnsupportedProtocol;  // ICMPv4 inside IPv6 is nobody's protocol
            break;
        }
        if ((r = Icmpv4View::check(l4)) != DropReason::None) break;
        out.icmpv4 = Icmpv4View::unchecked(l4);
        headerLength = Icmpv4View::kHeaderLength;
        if (options.verifyChecksums && !out.icmpv4->checksumOk()) r = DropReason::Icmpv4BadChecksum;
        break;
    case ipproto::kIcmpv6:
        if (!out.ipv6) {
            r = DropReason::IpUnsupportedProtocol;
            break;
        }
        if ((r = Icmpv6View::check(l4)) != DropReason::None) break;
        out.icmpv6 = Icmpv6View::unchecked(l4);
        headerLength = Icmpv6View::kHeaderLength;
        if (options.verifyChecksums && !out.icmpv6->checksumOk(src.v6(), dst.v6()))
            r = DropReason::Icmpv6BadChecksum;
        break;
    default:
        r = DropReason::IpUnsupportedProtocol;
        break;
    }
    if (out.tcp || out.udp || out.icmpv4 || out.icmpv6) {
        out.payloadOffset = out.l4Offset + static_cast<std::uint32_t>(headerLength);
        out.payloadLength = out.l4Length - static_cast<std::uint32_t>(headerLength);
    }
    out.drop = r;
}

void parseIpv4(ByteView bytes, ParsedFrame &out, const FrameParseOptions &options)
{
    const ByteView packet = bytes.subspan(out.l3Offset);
    if ((out.drop = Ipv4View::check(packet)) != DropReason::None) return;
    const Ipv4View ip = Ipv4View::unchecked(packet);
    out.ipv4 = ip;
    out.network = NetworkKind::Ipv4;
    out.l3Length = ip.totalLength();
    out.l4Protocol = ip.protocol();
    out.l4Offset = out.l3Offset + static_cast<std::uint32_t>(ip.headerLength());
    out.l4Length = out.l3Length - static_cast<std::uint32_t>(ip.headerLength());
    if (options.verifyChecksums && !ip.checksumOk()) {
        out.drop = DropReason::Ipv4BadChecksum;
        return;
    }
    if (ip.isFragment()) {
        out.drop = DropReason::Ipv4Fragment;
        return;
    }
    parseTransport(bytes, out, options);
}

void parseIpv6(ByteView bytes, ParsedFrame &out, const FrameParseOptions &options)
{
    const ByteView packet = bytes.subspan(out.l3Offset);
    if ((out.drop = Ipv6View::check(packet)) != DropReason::None) return;
    const Ipv6View ip = Ipv6View::unchecked(packet);
    out.ipv6 = ip;
    out.network = NetworkKind::Ipv6;
    out.l3Length = static_cast<std::uint32_t>(ip.bytes().size());
    out.ipv6Ext = walkIpv6Extensions(ip);
    out.l4Protocol = out.ipv6Ext.upperProtocol;
    out.l4Offset = out.l3Offset + out.ipv6Ext.upperOffset;
    out.l4Length = out.l3Length - out.ipv6Ext.upperOffset;
    if (out.ipv6Ext.drop != DropReason::None) {
        out.drop = out.ipv6Ext.drop;
        return;
    }
    if (out.ipv6Ext.isFragment()) {
        out.drop = DropReason::Ipv6Fragment;
        return;
    }
    parseTransport(bytes, out, options);
}

}  // namespace

ParsedFrame parseFrame(ByteView frame, FrameParseOptions options)
{
    ParsedFrame out;
    if ((out.drop = EthernetView::check(frame)) != DropReason::None) return out;
    out.eth = EthernetView::unchecked(frame);
    out.etherType = out.eth->etherType();
    out.l3Offset = EthernetView::kHeaderLength;
    switch (out.etherType) {
    case ethertype::kArp: {
        const ByteView packet = frame.subspan(EthernetView::kHeaderLength);
        if ((out.drop = ArpView::check(packet)) != DropReason::None) return out;
        out.arp = ArpView::unchecked(packet.first(ArpView::kLength));
        out.network = NetworkKind::Arp;
        out.l3Length = ArpView::kLength;
        return out;
    }
    case ethertype::kIpv4:
        parseIpv4(frame, out, options);
        return out;
    case ethertype::kIpv6:
        parseIpv6(frame, out, options);
        return out;
    default:
        out.drop = DropReason::EthUnsupportedType;
        return out;
    }
}

ParsedFrame parseIpPacket(ByteView packet, FrameParseOptions options)
{
    ParsedFrame out;
    if (packet.empty()) {
        out.drop = DropReason::Ipv4Truncated;
        return out;
    }
    if ((packet[0] >> 4) == 6)
        parseIpv6(packet, out, options);
    else
        parseIpv4(packet, out, options);
    return out;
}

}  // namespace tcplab

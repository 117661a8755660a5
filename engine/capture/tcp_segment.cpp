#include "capture/tcp_segment.h"

#include <string>

#include "wire/ip_proto.h"
#include "wire/ipv4.h"
#include "wire/ipv6.h"
#include "wire/tcp.h"

namespace tcplab {

namespace {

constexpr std::uint16_t kEtherIpv4 = 0x0800, kEtherIpv6 = 0x86dd, kEtherVlan = 0x8100, kEtherQinQ = 0x88a8;

std::optional<TcpSegmentFacts> fromTcp(ByteView tcp, const IpAddr &src, const IpAddr &dst, std::size_t offset)
{
    auto view = TcpView::parse(tcp);
    if (!view) return std::nullopt;
    TcpSegmentFacts f;
    f.src = {src, view->sourcePort()};
    f.dst = {dst, view->destinationPort()};
    f.seq = view->seq();
    f.ack = view->ack();
    f.flags = view->flags().bits;
    f.window = view->window();
    f.payloadLength = static_cast<std::uint32_t>(view->payload().size());
    f.ipPayloadOffset = static_cast<std::uint32_t>(offset);
    if (f.flags & TcpFlags::kSyn) {
        walkTcpOptions(view->optionBytes(), [&](std::uint8_t kind, ByteView value) {
            if (kind == tcpopt::kWindowScale && value.size() == 1)
                f.windowScale = static_cast<std::int8_t>(value[0]);
        });
    }
    return f;
}

std::optional<TcpSegmentFacts> fromIp(ByteView ip, std::size_t offset)
{
    if (ip.empty()) return std::nullopt;
    const int version = ip[0] >> 4;
    if (version == 4) {
        auto v4 = Ipv4View::parse(ip);
        if (!v4 || v4->isFragment() || v4->protocol() != ipproto::kTcp) return std::nullopt;
        return fromTcp(v4->payload(), v4->source(), v4->destination(), offset + v4->headerLength());
    }
    if (version == 6) {
        auto v6 = Ipv6View::parse(ip);
        if (!v6) return std::nullopt;
        const Ipv6Extensions ext = walkIpv6Extensions(*v6);
        if (ext.drop != DropReason::None || ext.isFragment() || ext.upperProtocol != ipproto::kTcp)
            return std::nullopt;
        return fromTcp(v6->bytes().subspan(ext.upperOffset), v6->source(), v6->destination(),
                       offset + ext.upperOffset);
    }
    return std::nullopt;
}

std::optional<TcpSegmentFacts> fromEtherType(std::uint16_t type, ByteView frame, std::size_t offset)
{
    // 802.1Q / 802.1ad tags: at most two, each 4 bytes, before the real EtherType.
    for (int tags = 0; (type == kEtherVlan || type == kEtherQinQ) && tags < 2; ++tags) {
        if (frame.size() < offset + 4) return std::nullopt;
        type = loadBe16(frame.data() + offset + 2);
        offset += 4;
    }
    if (type != kEtherIpv4 && type != kEtherIpv6) return std::nullopt;
    return fromIp(frame.subspan(offset), offset);
}

// The common case, untagged Ethernet + IPv4 + TCP, read in one pass with the same checks as
// Ipv4View::parse and TcpView::parse (the recorder decodes every frame it stores). `wireLength`
// (>= frame.size()) is the frame's length before a capture cut it: the IP packet may end there, the
// headers must be in `frame`.
std::optional<TcpSegmentFacts> fromEthernetIpv4(ByteView frame, std::size_t wireLength)
{
    constexpr std::size_t kEth = 14;
    const std::uint8_t *ip = frame.data() + kEth;
    const std::size_t avail = frame.size() - kEth, onWire = wireLength - kEth;
    if (avail < 20 || (ip[0] >> 4) != 4) return std::nullopt;
    const std::size_t ihl = std::size_t(ip[0] & 0x0f) * 4;
    const std::size_t total = loadBe16(ip + 2);
    if (ihl < 20 || ihl > avail || total < ihl || total > onWire) return std::nullopt;
    const std::uint16_t frag = loadBe16(ip + 6);
    if ((frag & 0x3fff) != 0 || ip[9] != ipproto::kTcp) return std::nullopt; // MF or an offset: a fragment
    const std::uint8_t *tcp = ip + ihl;
    const std::size_t tcpLen = total - ihl;
    if (tcpLen < TcpView::kMinHeaderLength || ihl + TcpView::kMinHeaderLength > avail) return std::nullopt;
    const std::size_t tcpHeader = std::size_t(tcp[12] >> 4) * 4;
    if (tcpHeader < TcpView::kMinHeaderLength || tcpHeader > tcpLen || ihl + tcpHeader > avail)
        return std::nullopt;
    TcpSegmentFacts f;
    f.src = {Ip4Addr{loadBe32(ip + 12)}, loadBe16(tcp)};
    f.dst = {Ip4Addr{loadBe32(ip + 16)}, loadBe16(tcp + 2)};
    f.seq = SeqNum(loadBe32(tcp + 4));
    f.ack = SeqNum(loadBe32(tcp + 8));
    f.flags = tcp[13];
    f.window = loadBe16(tcp + 14);
    f.payloadLength = static_cast<std::uint32_t>(tcpLen - tcpHeader);
    f.ipPayloadOffset = static_cast<std::uint32_t>(kEth + ihl);
    if (f.flags & TcpFlags::kSyn) {
        walkTcpOptions(ByteView(tcp + TcpView::kMinHeaderLength, tcpHeader - TcpView::kMinHeaderLength),
                       [&](std::uint8_t kind, ByteView value) {
                           if (kind == tcpopt::kWindowScale && value.size() == 1)
                               f.windowScale = static_cast<std::int8_t>(value[0]);
                       });
    }
    return f;
}

// The largest frame a cut capture is read as (pcap's usual snap length; larger claims are junk).
constexpr std::size_t kMaxWireLength = 262144;

// A frame the capture cut after its first bytes: decoded as if the missing bytes were there (zeros),
// which no header check can tell from the real ones, and kept only if everything up to the end of
// the TCP header, options included, was captured. `wireLength` is at most kMaxWireLength.
std::optional<TcpSegmentFacts> fromCutFrame(ByteView frame, std::uint16_t linkType, std::size_t wireLength)
{
    Bytes whole(frame.begin(), frame.end());
    whole.resize(wireLength, 0);
    auto f = tcpSegmentOf(whole, linkType);
    if (!f || f->ipPayloadOffset + TcpView::kMinHeaderLength > frame.size()) return std::nullopt;
    const std::size_t headerEnd = f->ipPayloadOffset + std::size_t(frame[f->ipPayloadOffset + 12] >> 4) * 4;
    if (headerEnd > frame.size()) return std::nullopt;
    return f;
}

} // namespace

std::optional<TcpSegmentFacts> tcpSegmentOf(ByteView frame, std::uint16_t linkType, std::size_t wireLength)
{
    const bool cut = wireLength > frame.size();
    if (cut && wireLength > kMaxWireLength) return std::nullopt;
    // Untagged Ethernet + IPv4, whole or cut, is read in place; anything else cut is read padded.
    if (linkType == linktype::kEthernet && frame.size() >= 14 && loadBe16(frame.data() + 12) == kEtherIpv4)
        return fromEthernetIpv4(frame, cut ? wireLength : frame.size());
    if (cut) return fromCutFrame(frame, linkType, wireLength);
    switch (linkType) {
    case linktype::kEthernet:
        if (frame.size() < 14) return std::nullopt;
        return fromEtherType(loadBe16(frame.data() + 12), frame, 14);
    case linktype::kRaw:
    case linktype::kIpv4:
    case linktype::kIpv6: return fromIp(frame, 0);
    case linktype::kLinuxSll: // 16-byte header, protocol at 14
        if (frame.size() < 16) return std::nullopt;
        return fromEtherType(loadBe16(frame.data() + 14), frame, 16);
    case linktype::kLinuxSll2: // 20-byte header, protocol at 0
        if (frame.size() < 20) return std::nullopt;
        return fromEtherType(loadBe16(frame.data()), frame, 20);
    case linktype::kNull: // 4-byte address family in the writer's byte order
        if (frame.size() < 4) return std::nullopt;
        return fromIp(frame.subspan(4), 4);
    default: return std::nullopt;
    }
}

std::string tcpFlagsText(std::uint8_t flags)
{
    static constexpr const char *kNames[] = {"FIN", "SYN", "RST", "PSH", "ACK", "URG", "ECE", "CWR"};
    // Wireshark's order in the Info column: FIN, SYN, RST, PSH, ACK, URG, ECE, CWR.
    std::string out;
    for (int bit = 0; bit < 8; ++bit) {
        if (!(flags & (1u << bit))) continue;
        if (!out.empty()) out += ", ";
        out += kNames[bit];
    }
    return out.empty() ? "<None>" : out;
}

} // namespace tcplab

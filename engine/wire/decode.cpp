// decodeFrame: the inspector's tree of layers and fields, with each field's byte range.
#include <algorithm>
#include <cstdio>
#include <string>

#include "core/checksum.h"
#include "wire/address_bytes.h"
#include "wire/fields.h"
#include "wire/frame.h"
#include "wire/ip_proto.h"
#include "wire/pseudo_header.h"

namespace tcplab {

namespace {

std::string hex16(std::uint16_t v)
{
    char buf[8];
    std::snprintf(buf, sizeof buf, "0x%04x", v);
    return buf;
}

class TreeBuilder {
public:
    explicit TreeBuilder(ByteView bytes) : bytes_(bytes) {}

    std::vector<DecodedField> take() { return std::move(rows_); }

    int row(int parent, std::string_view name, std::string_view label, std::size_t offset, std::size_t length,
            std::string text, std::optional<std::uint64_t> value = std::nullopt)
    {
        DecodedField f;
        f.name = name;
        f.label = label;
        f.offset = std::min(offset, bytes_.size());
        f.length = std::min(length, bytes_.size() - f.offset);
        f.bitWidth = static_cast<std::uint8_t>(std::min<std::size_t>(f.length * 8, 255));
        f.parent = parent;
        f.depth = parent < 0 ? 0 : static_cast<std::uint8_t>(rows_[std::size_t(parent)].depth + 1);
        f.value = value;
        f.text = std::move(text);
        rows_.push_back(std::move(f));
        return static_cast<int>(rows_.size() - 1);
    }

    // Every registry field of `layer` that fits in [start, start + limit) and applies to this
    // header; a field whose name extends the previous one ("ip.flags.df" after "ip.flags") becomes
    // its child.
    void fields(int parent, FieldLayer layer, std::size_t start, std::size_t limit)
    {
        limit = std::min(limit, bytes_.size() - std::min(start, bytes_.size()));
        int container = -1;
        std::string_view containerName;
        for (const FieldDescriptor &f : fieldRegistry()) {
            if (f.layer != layer) continue;
            if (f.byteOffset + f.byteLength() > limit) continue;
            if (f.when != FieldWhen::Always && !applies(f.when, start)) continue;
            const bool child = container >= 0 && f.name.size() > containerName.size() &&
                               f.name.substr(0, containerName.size()) == containerName &&
                               f.name[containerName.size()] == '.';
            const int index = field(child ? container : parent, f, start);
            if (!child) {
                container = index;
                containerName = f.name;
            }
        }
    }

    int field(int parent, const FieldDescriptor &f, std::size_t start)
    {
        const std::size_t offset = start + f.byteOffset;
        const std::size_t length = f.byteLength();
        std::string text(f.label);
        text += ": ";
        std::optional<std::uint64_t> value;
        if (f.isInteger()) {
            std::uint64_t raw = 0;
            for (std::size_t i = 0; i < length; ++i) raw = raw << 8 | bytes_[offset + i];
            raw >>= length * 8 - f.bitOffset - f.bitWidth;
            raw &= f.bitWidth >= 64 ? ~0ULL : (1ULL << f.bitWidth) - 1;
            value = raw * f.scale;
            text += formatFieldValue(f, *value);
            if (f.scale == 4) text += " bytes (" + std::to_string(raw) + ")";
        } else {
            text += loadIp6(bytes_.data() + offset).toString();
        }
        const int index = row(parent, f.name, f.label, offset, length, std::move(text), value);
        rows_[std::size_t(index)].bitOffset = f.bitOffset;
        rows_[std::size_t(index)].bitWidth = f.bitWidth;
        return index;
    }

    // Appends "[correct]" or "[incorrect, should be 0x....]" to the checksum row under `layerRow`.
    void checksumStatus(int layerRow, std::string_view name, std::uint16_t stored, std::uint16_t expected)
    {
        note(layerRow, name, stored == expected ? " [correct]" : " [incorrect, should be " + hex16(expected) + "]");
    }

    void note(int layerRow, std::string_view name, const std::string &suffix)
    {
        for (std::size_t i = std::size_t(layerRow); i < rows_.size(); ++i) {
            if (rows_[i].name != name) continue;
            rows_[i].text += suffix;
            return;
        }
    }

    void malformed(DropReason reason, std::size_t offset)
    {
        std::string text = "[Malformed Packet: ";
        text += dropReasonName(reason);
        text += ": ";
        text += dropReasonText(reason);
        text += ']';
        row(-1, "_ws.malformed", "Malformed Packet", offset, bytes_.size() - std::min(offset, bytes_.size()),
            std::move(text));
    }

    void data(std::size_t offset, std::size_t length, std::string_view what = "Data")
    {
        if (length == 0) return;
        row(-1, "data", "Data", offset, length, std::string(what) + " (" + std::to_string(length) + " bytes)");
    }

    ByteView bytes() const { return bytes_; }

private:
    bool applies(FieldWhen when, std::size_t start) const
    {
        const std::uint8_t type = bytes_[start];
        switch (when) {
        case FieldWhen::Always: return true;
        case FieldWhen::IcmpEcho: return type == 0 || type == 8;
        case FieldWhen::IcmpFragNeeded: return type == 3 && start + 1 < bytes_.size() && bytes_[start + 1] == 4;
        case FieldWhen::Icmpv6Echo: return type == 128 || type == 129;
        case FieldWhen::NdSolicit: return type == 135;
        case FieldWhen::NdAdvert: return type == 136;
        }
        return false;
    }

    ByteView bytes_;
    std::vector<DecodedField> rows_;
};

std::string srcDst(const std::string &src, const std::string &dst)
{
    return ", Src: " + src + ", Dst: " + dst;
}

void decodeTcpOptions(TreeBuilder &t, int parent, const TcpView &tcp, std::size_t start);
void decodeNdOptions(TreeBuilder &t, int parent, const Icmpv6View &icmp, std::size_t start);

void decodeTransport(TreeBuilder &t, const ParsedFrame &p)
{
    const ByteView b = t.bytes();
    const std::size_t at = p.l4Offset;
    const std::size_t len = p.l4Length;
    const IpAddr src = p.source(), dst = p.destination();
    int layer = -1;
    switch (p.l4Protocol) {
    case ipproto::kTcp: {
        std::string text = "Transmission Control Protocol";
        if (p.tcp) {
            text += ", Src Port: " + std::to_string(p.tcp->sourcePort()) + ", Dst Port: " +
                    std::to_string(p.tcp->destinationPort()) + ", Seq: " + std::to_string(p.tcp->seq().raw()) +
                    ", Ack: " + std::to_string(p.tcp->ack().raw()) + ", Len: " +
                    std::to_string(p.tcp->payload().size());
        }
        layer = t.row(-1, "tcp", "Transmission Control Protocol", at, p.tcp ? p.tcp->headerLength() : len, text);
        t.fields(layer, FieldLayer::Tcp, at, std::min<std::size_t>(len, TcpView::kMinHeaderLength));
        if (!p.tcp) break;
        decodeTcpOptions(t, layer, *p.tcp, at);
        Bytes copy(p.tcp->bytes().begin(), p.tcp->bytes().end());
        storeBe16(copy.data() + 16, 0);
        t.checksumStatus(layer, "tcp.checksum", p.tcp->checksum(), transportChecksum(src, dst, ipproto::kTcp, copy));
        t.data(p.payloadOffset, p.payloadLength);
        return;
    }
    case ipproto::kUdp: {
        std::string text = "User Datagram Protocol";
        if (p.udp)
            text += ", Src Port: " + std::to_string(p.udp->sourcePort()) +
                    ", Dst Port: " + std::to_string(p.udp->destinationPort());
        layer = t.row(-1, "udp", "User Datagram Protocol", at, std::min<std::size_t>(len, 8), text);
        t.fields(layer, FieldLayer::Udp, at, len);
        if (!p.udp) break;
        Bytes copy(p.udp->bytes().begin(), p.udp->bytes().end());
        storeBe16(copy.data() + 6, 0);
        std::uint16_t expected = transportChecksum(src, dst, ipproto::kUdp, copy);
        if (expected == 0) expected = 0xffff;
        if (p.udp->checksum() == 0 && src.isV4())
            t.note(layer, "udp.checksum", " [none: not computed by the sender]");  // RFC 768
        else
            t.checksumStatus(layer, "udp.checksum", p.udp->checksum(), expected);
        t.data(p.payloadOffset, p.payloadLength);
        return;
    }
    case ipproto::kIcmp:
    case ipproto::kIcmpv6: {
        const bool v6 = p.l4Protocol == ipproto::kIcmpv6;
        if (v6 != (p.network == NetworkKind::Ipv6)) {  // ICMPv4 in IPv6 or ICMPv6 in IPv4: nobody's
            t.data(at, len);
            return;
        }
        const std::string_view label = v6 ? "Internet Control Message Protocol v6" : "Internet Control Message Protocol";
        layer = t.row(-1, v6 ? "icmpv6" : "icmp", label, at, len, std::string(label));
        t.fields(layer, v6 ? FieldLayer::Icmpv6 : FieldLayer::Icmp, at, len);
        if (!p.icmpv4 && !p.icmpv6) break;
        const ByteView msg = b.subspan(at, len);
        Bytes copy(msg.begin(), msg.end());
        storeBe16(copy.data() + 2, 0);
        const std::uint16_t expected =
            v6 ? transportChecksum(src, dst, ipproto::kIcmpv6, copy) : internetChecksum(copy);
        t.checksumStatus(layer, v6 ? "icmpv6.checksum" : "icmp.checksum", loadBe16(msg.data() + 2), expected);
        if (p.icmpv6 && p.icmpv6->isNeighborDiscovery()) {
            decodeNdOptions(t, layer, *p.icmpv6, at);
            return;
        }
        t.data(p.payloadOffset, p.payloadLength, p.icmpv4 && !p.icmpv4->isEcho() ? "Original datagram" : "Data");
        return;
    }
    default:
        t.data(at, len);
        return;
    }
    t.malformed(p.drop, at);
}

void decodeIpv4(TreeBuilder &t, const ParsedFrame &p, std::size_t l3)
{
    const ByteView b = t.bytes();
    std::string text = "Internet Protocol Version 4";
    if (p.ipv4) text += srcDst(p.ipv4->source().toString(), p.ipv4->destination().toString());
    const int layer = t.row(-1, "ip", "Internet Protocol Version 4", l3,
                            p.ipv4 ? p.ipv4->headerLength() : b.size() - l3, text);
    t.fields(layer, FieldLayer::Ipv4, l3, b.size() - l3);
    if (!p.ipv4) {
        t.malformed(p.drop, l3);
        return;
    }
    const Ipv4View ip = *p.ipv4;
    if (!ip.options().empty()) {
        const int opts = t.row(layer, "ip.options", "Options", l3 + 20, ip.options().size(),
                               "Options: (" + std::to_string(ip.options().size()) + " bytes)");
        const std::string_view problem =
            walkIpv4Options(ip.options(), [&](std::uint8_t type, std::size_t offset, std::size_t length) {
                t.row(opts, "ip.opt.type", "Option", l3 + 20 + offset, length,
                      "Option type " + std::to_string(type) + " (" + std::to_string(length) + " bytes)", type);
            });
        if (!problem.empty()) t.row(opts, "_ws.expert", "Expert Info", l3 + 20, ip.options().size(), std::string(problem));
    }
    Bytes header(ip.header().begin(), ip.header().end());
    storeBe16(header.data() + 10, 0);
    t.checksumStatus(layer, "ip.checksum", ip.checksum(), internetChecksum(header));
    if (p.isFragment()) {
        t.data(p.l4Offset, p.l4Length, "Fragment data");
        return;
    }
    decodeTransport(t, p);
}

std::string_view extName(std::uint8_t type)
{
    switch (type) {
    case ipproto::kHopByHop: return "ipv6.hopopts";
    case ipproto::kRouting: return "ipv6.routing";
    case ipproto::kFragment: return "ipv6.fraghdr";
    case ipproto::kDestOpts: return "ipv6.dstopts";
    default: return "ah";
    }
}

std::string_view extLabel(std::uint8_t type)
{
    switch (type) {
    case ipproto::kHopByHop: return "IPv6 Hop-by-Hop Option";
    case ipproto::kRouting: return "Routing Header for IPv6";
    case ipproto::kFragment: return "Fragment Header for IPv6";
    case ipproto::kDestOpts: return "Destination Options for IPv6";
    default: return "Authentication Header";
    }
}

void decodeIpv6(TreeBuilder &t, const ParsedFrame &p, std::size_t l3)
{
    const ByteView b = t.bytes();
    std::string text = "Internet Protocol Version 6";
    if (p.ipv6) text += srcDst(p.ipv6->source().toString(), p.ipv6->destination().toString());
    const int layer = t.row(-1, "ipv6", "Internet Protocol Version 6", l3,
                            std::min<std::size_t>(b.size() - l3, Ipv6View::kHeaderLength), text);
    t.fields(layer, FieldLayer::Ipv6, l3, b.size() - l3);
    if (!p.ipv6) {
        t.malformed(p.drop, l3);
        return;
    }
    const Ipv6Extensions &ext = p.ipv6Ext;
    for (std::size_t i = 0; i < ext.count; ++i) {
        const Ipv6ExtHeader &h = ext.headers[i];
        const std::size_t at = l3 + h.offset;
        const std::uint8_t next = b[at];
        const int row = t.row(layer, extName(h.type), extLabel(h.type), at, h.length,
                              std::string(extLabel(h.type)) + " (" + std::to_string(h.length) +
                                  " bytes), Next Header: " + std::to_string(next));
        if (h.type == ipproto::kFragment) {
            const std::uint16_t word = loadBe16(b.data() + at + 2);
            t.row(row, "ipv6.fragment.offset", "Offset", at + 2, 2, "Offset: " + std::to_string(word >> 3), word >> 3);
            t.row(row, "ipv6.fragment.more", "More Fragments", at + 3, 1,
                  std::string("More Fragments: ") + (word & 1 ? "Yes" : "No"), word & 1);
            const std::uint32_t id = loadBe32(b.data() + at + 4);
            t.row(row, "ipv6.fragment.id", "Identification", at + 4, 4, "Identification: " + std::to_string(id), id);
        }
    }
    if (ext.drop != DropReason::None) {
        t.malformed(ext.drop, p.l4Offset);
        return;
    }
    if (p.isFragment()) {
        t.data(p.l4Offset, p.l4Length, "Fragment data");
        return;
    }
    decodeTransport(t, p);
}

void decodeArp(TreeBuilder &t, const ParsedFrame &p, std::size_t l3)
{
    const ByteView b = t.bytes();
    std::string text = "Address Resolution Protocol";
    if (p.arp) text += p.arp->operation() == 1 ? " (request)" : p.arp->operation() == 2 ? " (reply)" : "";
    const int layer = t.row(-1, "arp", "Address Resolution Protocol", l3,
                            std::min<std::size_t>(b.size() - l3, ArpView::kLength), text);
    t.fields(layer, FieldLayer::Arp, l3, b.size() - l3);
    if (!p.arp) t.malformed(p.drop, l3);
}

void decodeNetwork(TreeBuilder &t, const ParsedFrame &p, std::size_t l3)
{
    if (p.network == NetworkKind::Arp || p.drop == DropReason::ArpTruncated || p.drop == DropReason::ArpUnsupported)
        decodeArp(t, p, l3);
    else if (p.network == NetworkKind::Ipv6 || (p.drop >= DropReason::Ipv6Truncated && p.drop <= DropReason::Ipv6BadPayloadLength))
        decodeIpv6(t, p, l3);
    else
        decodeIpv4(t, p, l3);
}

std::string_view tcpOptionName(std::uint8_t kind)
{
    switch (kind) {
    case tcpopt::kEol: return "tcp.options.eol";
    case tcpopt::kNop: return "tcp.options.nop";
    case tcpopt::kMss: return "tcp.options.mss";
    case tcpopt::kWindowScale: return "tcp.options.wscale";
    case tcpopt::kSackPermitted: return "tcp.options.sack_perm";
    case tcpopt::kSack: return "tcp.options.sack";
    case tcpopt::kTimestamps: return "tcp.options.timestamp";
    default: return "tcp.options.unknown";
    }
}

std::string_view tcpOptionLabel(std::uint8_t kind)
{
    switch (kind) {
    case tcpopt::kEol: return "End of Option List (EOL)";
    case tcpopt::kNop: return "No-Operation (NOP)";
    case tcpopt::kMss: return "Maximum segment size";
    case tcpopt::kWindowScale: return "Window scale";
    case tcpopt::kSackPermitted: return "SACK permitted";
    case tcpopt::kSack: return "SACK";
    case tcpopt::kTimestamps: return "Timestamps";
    default: return "Unknown option";
    }
}

void decodeTcpOptions(TreeBuilder &t, int parent, const TcpView &tcp, std::size_t start)
{
    const ByteView options = tcp.optionBytes();
    if (options.empty()) return;
    const std::size_t base = start + TcpView::kMinHeaderLength;
    const int opts = t.row(parent, "tcp.options", "Options", base, options.size(),
                           "Options: (" + std::to_string(options.size()) + " bytes)");
    std::size_t i = 0;
    while (i < options.size()) {
        const std::uint8_t kind = options[i];
        std::size_t len = 1;
        if (kind == tcpopt::kEol) {
            t.row(opts, tcpOptionName(kind), tcpOptionLabel(kind), base + i, options.size() - i,
                  std::string(tcpOptionLabel(kind)), kind);
            return;
        }
        if (kind != tcpopt::kNop) {
            if (i + 1 >= options.size() || options[i + 1] < 2 || i + options[i + 1] > options.size()) {
                t.row(opts, "_ws.malformed", "Malformed Packet", base + i, options.size() - i,
                      "[Malformed option: " + std::string(tcpOptionLabel(kind)) + " has a bad length]");
                return;
            }
            len = options[i + 1];
        }
        std::string text(tcpOptionLabel(kind));
        if (kind > tcpopt::kNop && tcpOptionName(kind) == "tcp.options.unknown")
            text += " (kind " + std::to_string(kind) + ")";
        if (len > 1) text += ", " + std::to_string(len) + " bytes";
        const int row = t.row(opts, tcpOptionName(kind), tcpOptionLabel(kind), base + i, len, std::move(text), kind);
        for (const FieldDescriptor &f : fieldRegistry())
            if (f.layer == FieldLayer::TcpOption && f.optionKind == kind && f.byteOffset + f.byteLength() <= len)
                t.field(row, f, base + i);
        if (kind == tcpopt::kSack) {
            for (std::size_t e = 2; e + 8 <= len; e += 8) {
                const std::uint32_t le = loadBe32(options.data() + i + e);
                const std::uint32_t re = loadBe32(options.data() + i + e + 4);
                t.row(row, "tcp.options.sack_le", "left edge", base + i + e, 4, "left edge = " + std::to_string(le), le);
                t.row(row, "tcp.options.sack_re", "right edge", base + i + e + 4, 4, "right edge = " + std::to_string(re), re);
            }
        }
        i += len;
    }
}

void decodeNdOptions(TreeBuilder &t, int parent, const Icmpv6View &icmp, std::size_t start)
{
    const ByteView options = icmp.ndOptions();
    const std::size_t base = start + Icmpv6View::kNdFixedLength;
    walkNdOptions(options, [&](std::uint8_t type, std::size_t offset, std::size_t length) {
        const std::size_t at = base + offset;
        const bool lla = type == icmpv6::kOptSourceLinkLayer || type == icmpv6::kOptTargetLinkLayer;
        const std::string_view what = type == icmpv6::kOptSourceLinkLayer ? "Source link-layer address"
                                      : type == icmpv6::kOptTargetLinkLayer ? "Target link-layer address"
                                                                            : "Option";
        std::string text = "ICMPv6 Option (" + std::string(what);
        if (lla) text += " : " + loadMac(options.data() + offset + 2).toString();
        text += ')';
        const int row = t.row(parent, "icmpv6.opt", "ICMPv6 Option", at, length, std::move(text));
        t.row(row, "icmpv6.opt.type", "Type", at, 1, "Type: " + std::to_string(type), type);
        t.row(row, "icmpv6.opt.length", "Length", at + 1, 1,
              "Length: " + std::to_string(length / 8) + " (" + std::to_string(length) + " bytes)", length / 8);
        if (lla) {
            const MacAddr mac = loadMac(options.data() + offset + 2);
            std::uint64_t v = 0;
            for (std::uint8_t byte : mac.b) v = v << 8 | byte;
            t.row(row, "icmpv6.opt.linkaddr", "Link-layer address", at + 2, 6, "Link-layer address: " + mac.toString(), v);
        }
    });
}

}  // namespace

std::vector<DecodedField> decodeFrame(ByteView frame)
{
    TreeBuilder t(frame);
    const ParsedFrame p = parseFrame(frame, {.verifyChecksums = false});
    std::string text = "Ethernet II";
    if (p.eth) text += srcDst(p.eth->source().toString(), p.eth->destination().toString());
    const int layer = t.row(-1, "eth", "Ethernet II", 0, EthernetView::kHeaderLength, text);
    t.fields(layer, FieldLayer::Ethernet, 0, frame.size());
    if (!p.eth) {
        t.malformed(p.drop, 0);
        return t.take();
    }
    if (p.drop == DropReason::EthUnsupportedType) {
        t.data(EthernetView::kHeaderLength, frame.size() - EthernetView::kHeaderLength);
        return t.take();
    }
    decodeNetwork(t, p, EthernetView::kHeaderLength);
    const std::size_t end = p.l3Offset + p.l3Length;
    if (p.l3Length != 0 && end < frame.size())
        t.row(-1, "eth.padding", "Padding", end, frame.size() - end,
              "Padding: " + std::to_string(frame.size() - end) + " bytes");
    return t.take();
}

std::vector<DecodedField> decodeIpPacket(ByteView packet)
{
    TreeBuilder t(packet);
    const ParsedFrame p = parseIpPacket(packet, {.verifyChecksums = false});
    decodeNetwork(t, p, 0);
    return t.take();
}

}  // namespace tcplab

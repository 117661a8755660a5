// Locating, reading and writing registry fields in frames and bare IP packets, and the checksum
// fix-up the rule engine runs after an edit.
#include <string>

#include "core/checksum.h"
#include "wire/ethernet.h"
#include "wire/fields.h"
#include "wire/ip_proto.h"
#include "wire/ipv4.h"
#include "wire/ipv6.h"
#include "wire/pseudo_header.h"
#include "wire/tcp.h"

namespace tcplab {

namespace {

Error fieldError(std::string_view name, std::string_view why)
{
    return Error{"field \"" + std::string(name) + "\": " + std::string(why)};
}

// Where the network and transport layers start, found leniently: the rule engine must be able to
// touch a packet whose lengths are wrong (that is often the point of the rule).
struct Layers {
    std::size_t l3 = 0;
    int ipVersion = 0;  // 0: none, 4, 6; for frames also 1 for ARP
    std::size_t l4 = 0;
    std::size_t l4Length = 0;
    std::uint8_t l4Protocol = 0;
    bool l4Readable = false;  // not a non-first fragment, and the IP header chain could be walked
    bool fragment = false;    // any fragment: the transport header (if here) covers part of the data
};

Layers findLayers(ByteView bytes, Framing framing)
{
    Layers layers;
    if (framing == Framing::Ethernet) {
        if (bytes.size() < EthernetView::kHeaderLength) return layers;
        layers.l3 = EthernetView::kHeaderLength;
        const std::uint16_t type = loadBe16(bytes.data() + 12);
        if (type == ethertype::kArp) layers.ipVersion = 1;
        if (type != ethertype::kIpv4 && type != ethertype::kIpv6) return layers;
    }
    const ByteView ip = bytes.subspan(layers.l3);
    if (ip.empty()) return layers;
    const int version = ip[0] >> 4;
    if (version == 4 && ip.size() >= Ipv4View::kMinHeaderLength) {
        layers.ipVersion = 4;
        const std::size_t ihl = std::size_t(ip[0] & 0x0f) * 4;
        const std::size_t total = std::min<std::size_t>(loadBe16(ip.data() + 2), ip.size());
        const bool laterFragment = (loadBe16(ip.data() + 6) & 0x1fff) != 0;
        layers.fragment = laterFragment || (ip[6] & 0x20);
        if (ihl >= Ipv4View::kMinHeaderLength && ihl <= total && !laterFragment) {
            layers.l4 = layers.l3 + ihl;
            layers.l4Length = total - ihl;
            layers.l4Protocol = ip[9];
            layers.l4Readable = true;
        }
    } else if (version == 6 && ip.size() >= Ipv6View::kHeaderLength) {
        layers.ipVersion = 6;
        if (Ipv6View::check(ip) != DropReason::None) return layers;
        const Ipv6View view = Ipv6View::unchecked(ip);
        const Ipv6Extensions ext = walkIpv6Extensions(view);
        layers.fragment = ext.isFragment();
        if (ext.drop == DropReason::None && ext.fragmentOffset == 0) {
            layers.l4 = layers.l3 + ext.upperOffset;
            layers.l4Length = view.bytes().size() - ext.upperOffset;
            layers.l4Protocol = ext.upperProtocol;
            layers.l4Readable = true;
        }
    }
    return layers;
}

bool whenHolds(FieldWhen when, ByteView header)
{
    const std::uint8_t type = header[0];
    switch (when) {
    case FieldWhen::Always: return true;
    case FieldWhen::IcmpEcho: return type == 0 || type == 8;
    case FieldWhen::IcmpFragNeeded: return type == 3 && header[1] == 4;
    case FieldWhen::Icmpv6Echo: return type == 128 || type == 129;
    case FieldWhen::NdSolicit: return type == 135;
    case FieldWhen::NdAdvert: return type == 136;
    }
    return false;
}

// The transport header a field of `layer` lives in, or an empty view.
ByteView transportFor(FieldLayer layer, ByteView bytes, const Layers &layers)
{
    if (!layers.l4Readable) return {};
    std::uint8_t wanted = 0;
    switch (layer) {
    case FieldLayer::Tcp:
    case FieldLayer::TcpOption: wanted = ipproto::kTcp; break;
    case FieldLayer::Udp: wanted = ipproto::kUdp; break;
    case FieldLayer::Icmp: wanted = layers.ipVersion == 4 ? ipproto::kIcmp : 0; break;
    case FieldLayer::Icmpv6: wanted = layers.ipVersion == 6 ? ipproto::kIcmpv6 : 0; break;
    default: return {};
    }
    if (wanted == 0 || layers.l4Protocol != wanted) return {};
    return bytes.subspan(layers.l4, layers.l4Length);
}

// Offset of the first option of `kind` inside the TCP segment, or 0 when absent.
std::size_t findTcpOption(ByteView segment, std::uint8_t kind)
{
    if (segment.size() < TcpView::kMinHeaderLength) return 0;
    const std::size_t headerLength = std::size_t(segment[12] >> 4) * 4;
    if (headerLength < TcpView::kMinHeaderLength || headerLength > segment.size()) return 0;
    const ByteView options = segment.subspan(TcpView::kMinHeaderLength, headerLength - TcpView::kMinHeaderLength);
    std::size_t found = 0;
    walkTcpOptions(options, [&](std::uint8_t k, ByteView value) {
        if (found == 0 && k == kind) found = TcpView::kMinHeaderLength + std::size_t(value.data() - options.data()) - 2;
    });
    return found;
}

std::uint64_t loadBits(const std::uint8_t *p, const FieldLocation &loc)
{
    std::uint64_t raw = 0;
    for (std::size_t i = 0; i < loc.length; ++i) raw = raw << 8 | p[i];
    const unsigned shift = unsigned(loc.length * 8 - loc.bitOffset - loc.bitWidth);
    const std::uint64_t mask = loc.bitWidth >= 64 ? ~0ULL : (1ULL << loc.bitWidth) - 1;
    return (raw >> shift) & mask;
}

}  // namespace

Expected<FieldLocation> locateField(ByteView bytes, std::string_view name, Framing framing)
{
    const FieldDescriptor *f = findField(name);
    if (!f) return fieldError(name, "no such field");
    return locateField(bytes, *f, framing);
}

std::optional<std::uint64_t> readField(ByteView bytes, std::string_view name, Framing framing)
{
    const FieldDescriptor *f = findField(name);
    if (!f) return std::nullopt;
    return readField(bytes, *f, framing);
}

Status writeField(MutableByteView bytes, std::string_view name, std::uint64_t value, Framing framing)
{
    const FieldDescriptor *f = findField(name);
    if (!f) return fieldError(name, "no such field");
    return writeField(bytes, *f, value, framing);
}

namespace {

// The location of `field`, or nullopt with `why` set (a static string: no allocation, so reading
// absent fields on the fast path costs nothing but the search).
std::optional<FieldLocation> findLocation(ByteView bytes, const FieldDescriptor &field, Framing framing,
                                          std::string_view &why)
{
    const FieldDescriptor *f = &field;
    const auto fail = [&why](std::string_view reason) {
        why = reason;
        return std::nullopt;
    };
    const Layers layers = findLayers(bytes, framing);
    std::size_t start = 0;
    std::size_t available = 0;
    switch (f->layer) {
    case FieldLayer::Ethernet:
        if (framing != Framing::Ethernet) return fail("a bare IP packet has no Ethernet header");
        available = bytes.size();
        break;
    case FieldLayer::Arp:
        if (layers.ipVersion != 1) return fail("not an ARP packet");
        start = layers.l3;
        available = bytes.size() - start;
        break;
    case FieldLayer::Ipv4:
    case FieldLayer::Ipv6:
        if (layers.ipVersion != (f->layer == FieldLayer::Ipv4 ? 4 : 6))
            return fail(f->layer == FieldLayer::Ipv4 ? "not an IPv4 packet" : "not an IPv6 packet");
        start = layers.l3;
        available = f->layer == FieldLayer::Ipv4 ? Ipv4View::kMinHeaderLength : Ipv6View::kHeaderLength;
        break;
    default: {
        const ByteView l4 = transportFor(f->layer, bytes, layers);
        if (l4.empty()) return fail("the packet does not carry this protocol (or is a fragment)");
        start = layers.l4;
        available = l4.size();
        if (f->layer == FieldLayer::TcpOption) {
            const std::size_t at = findTcpOption(l4, f->optionKind);
            if (at == 0) return fail("the segment has no such option");
            start += at;
            available = l4.size() - at;
            // The option's own length bounds its fields (a short MSS option has no value).
            available = std::min<std::size_t>(available, l4[at + 1]);
        } else if (available == 0 || !whenHolds(f->when, l4)) {
            return fail("not present in this message type");
        }
    }
    }
    FieldLocation loc{f, start + f->byteOffset, f->byteLength(), f->bitOffset, f->bitWidth};
    if (f->byteOffset + loc.length > available) return fail("header too short to hold it");
    return loc;
}

}  // namespace

Expected<FieldLocation> locateField(ByteView bytes, const FieldDescriptor &field, Framing framing)
{
    std::string_view why;
    const std::optional<FieldLocation> loc = findLocation(bytes, field, framing, why);
    if (!loc) return fieldError(field.name, why);
    return *loc;
}

std::optional<std::uint64_t> readField(ByteView bytes, const FieldDescriptor &field, Framing framing)
{
    std::string_view why;
    const std::optional<FieldLocation> loc = findLocation(bytes, field, framing, why);
    if (!loc || !loc->field->isInteger()) return std::nullopt;
    return loadBits(bytes.data() + loc->offset, *loc) * loc->field->scale;
}

Status writeField(MutableByteView bytes, const FieldDescriptor &field, std::uint64_t value, Framing framing)
{
    const Expected<FieldLocation> loc = locateField(bytes, field, framing);
    if (!loc) return loc.error();
    const FieldDescriptor &f = field;
    const std::string_view name = field.name;
    if (!f.isInteger()) return fieldError(name, "not an integer field");
    if (value % f.scale != 0) return fieldError(name, "value is not a multiple of " + std::to_string(f.scale));
    const std::uint64_t raw = value / f.scale;
    const std::uint64_t mask = f.bitWidth >= 64 ? ~0ULL : (1ULL << f.bitWidth) - 1;
    if (raw > mask) return fieldError(name, "value " + std::to_string(value) + " does not fit its width");
    std::uint8_t *p = bytes.data() + loc->offset;
    std::uint64_t word = 0;
    for (std::size_t i = 0; i < loc->length; ++i) word = word << 8 | p[i];
    const unsigned shift = unsigned(loc->length * 8 - f.bitOffset - f.bitWidth);
    word = (word & ~(mask << shift)) | (raw << shift);
    for (std::size_t i = loc->length; i-- > 0;) {
        p[i] = static_cast<std::uint8_t>(word);
        word >>= 8;
    }
    return okStatus();
}

Status recomputeChecksums(Bytes &ipPacket) { return recomputeChecksums(MutableByteView(ipPacket)); }

Status recomputeChecksums(MutableByteView ip)
{
    IpAddr src, dst;
    if (ip.size() >= Ipv4View::kMinHeaderLength && (ip[0] >> 4) == 4) {
        const std::size_t ihl = std::size_t(ip[0] & 0x0f) * 4;
        if (ihl < Ipv4View::kMinHeaderLength || ihl > ip.size())
            return Error{"IPv4 packet: header length " + std::to_string(ihl) + " cannot be fixed up"};
        storeBe16(ip.data() + 2, static_cast<std::uint16_t>(std::min<std::size_t>(ip.size(), 0xffff)));
        fixIpv4HeaderChecksum(ip);
        src = Ip4Addr{loadBe32(ip.data() + 12)};
        dst = Ip4Addr{loadBe32(ip.data() + 16)};
    } else if (ip.size() >= Ipv6View::kHeaderLength && (ip[0] >> 4) == 6) {
        storeBe16(ip.data() + 4, static_cast<std::uint16_t>(std::min<std::size_t>(ip.size() - 40, 0xffff)));
        src = Ipv6View::unchecked(ip).source();
        dst = Ipv6View::unchecked(ip).destination();
    } else {
        return Error{"IP packet: neither a readable IPv4 nor IPv6 header"};
    }
    // The lengths may just have changed: look again.
    const Layers fixed = findLayers(ip, Framing::Ip);
    // A fragment holds part of a datagram: its transport checksum covers bytes we do not have.
    if (!fixed.l4Readable || fixed.fragment) return okStatus();
    const MutableByteView l4 = ip.subspan(fixed.l4, fixed.l4Length);
    switch (fixed.l4Protocol) {
    case ipproto::kTcp:
        if (l4.size() >= TcpView::kMinHeaderLength) fillTransportChecksum(src, dst, ipproto::kTcp, l4, 16);
        break;
    case ipproto::kUdp:
        if (l4.size() >= 8) {
            storeBe16(l4.data() + 4, static_cast<std::uint16_t>(std::min<std::size_t>(l4.size(), 0xffff)));
            fillTransportChecksum(src, dst, ipproto::kUdp, l4, 6, /*udp=*/true);
        }
        break;
    case ipproto::kIcmp:
        if (fixed.ipVersion == 4 && l4.size() >= 4) {
            storeBe16(l4.data() + 2, 0);
            storeBe16(l4.data() + 2, internetChecksum(l4));
        }
        break;
    case ipproto::kIcmpv6:
        if (fixed.ipVersion == 6 && l4.size() >= 4) fillTransportChecksum(src, dst, ipproto::kIcmpv6, l4, 2);
        break;
    default: break;
    }
    return okStatus();
}

}  // namespace tcplab

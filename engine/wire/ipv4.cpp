#include "wire/ipv4.h"

#include <algorithm>

#include "core/checksum.h"

namespace tcplab {

DropReason Ipv4View::check(ByteView packet)
{
    if (packet.size() < kMinHeaderLength) return DropReason::Ipv4Truncated;
    if ((packet[0] >> 4) != 4) return DropReason::Ipv4BadVersion;
    const std::size_t headerLength = std::size_t(packet[0] & 0x0f) * 4;
    if (headerLength < kMinHeaderLength || headerLength > packet.size())
        return DropReason::Ipv4BadHeaderLength;
    const std::size_t total = loadBe16(packet.data() + 2);
    if (total < headerLength || total > packet.size()) return DropReason::Ipv4BadTotalLength;
    return DropReason::None;
}

Expected<Ipv4View> Ipv4View::parse(ByteView packet)
{
    if (const DropReason r = check(packet); r != DropReason::None) return dropError("IPv4 packet", r);
    return unchecked(packet);
}

bool Ipv4View::checksumOk() const
{
    return internetChecksum(header()) == 0;
}

std::string_view Ipv4View::sanityIssue() const
{
    // RFC 791 section 3.1: "Bit 0: reserved, must be zero".
    if (reservedFlag()) return "IPv4 reserved flag is set";
    if (dontFragment() && fragmentOffset() != 0) return "IPv4 DF set on a non-first fragment";
    if (ttl() == 0) return "IPv4 TTL is 0";
    // RFC 1122 section 3.2.1.3: a source address must not be broadcast or multicast.
    if (source().isMulticast() || source().isBroadcast()) return "IPv4 source is multicast or broadcast";
    return walkIpv4Options(options(), [](std::uint8_t, std::size_t, std::size_t) {});
}

Ipv4Header Ipv4Header::from(const Ipv4View &view)
{
    Ipv4Header h;
    h.tos = view.tos();
    h.identification = view.identification();
    h.reservedFlag = view.reservedFlag();
    h.dontFragment = view.dontFragment();
    h.moreFragments = view.moreFragments();
    h.fragmentOffset = view.fragmentOffset();
    h.ttl = view.ttl();
    h.protocol = view.protocol();
    h.source = view.source();
    h.destination = view.destination();
    const ByteView options = view.options();
    h.options.assign(options.begin(), options.end());
    return h;
}

void fixIpv4HeaderChecksum(MutableByteView packet)
{
    const std::size_t headerLength = std::size_t(packet[0] & 0x0f) * 4;
    storeBe16(packet.data() + 10, 0);
    storeBe16(packet.data() + 10, internetChecksum(ByteView(packet).first(headerLength)));
}

std::size_t appendIpv4Header(Bytes &out, const Ipv4Header &header, std::size_t payloadLength)
{
    const std::size_t optionBytes = std::min<std::size_t>((header.options.size() + 3) & ~std::size_t(3), 40);
    const std::size_t headerLength = Ipv4View::kMinHeaderLength + optionBytes;
    payloadLength = std::min(payloadLength, 0xffff - headerLength);
    // Sized once and stored field by field: the stack builds one of these per packet it sends.
    const std::size_t start = out.size();
    out.resize(start + headerLength, 0);
    std::uint8_t *p = out.data() + start;
    p[0] = static_cast<std::uint8_t>(0x40 | headerLength / 4);
    p[1] = header.tos;
    storeBe16(p + 2, static_cast<std::uint16_t>(headerLength + payloadLength));
    storeBe16(p + 4, header.identification);
    storeBe16(p + 6, static_cast<std::uint16_t>(
                         (header.reservedFlag ? 0x8000 : 0) | (header.dontFragment ? 0x4000 : 0) |
                         (header.moreFragments ? 0x2000 : 0) | (header.fragmentOffset & 0x1fff)));
    p[8] = header.ttl;
    p[9] = header.protocol;
    storeBe32(p + 12, header.source.value);
    storeBe32(p + 16, header.destination.value);
    const std::size_t copied = std::min(header.options.size(), optionBytes);
    std::copy(header.options.begin(), header.options.begin() + static_cast<std::ptrdiff_t>(copied), p + 20);
    fixIpv4HeaderChecksum(MutableByteView(p, headerLength));
    return payloadLength;
}

void appendIpv4(Bytes &out, const Ipv4Header &header, ByteView payload)
{
    payload = payload.first(appendIpv4Header(out, header, payload.size()));
    out.insert(out.end(), payload.begin(), payload.end());
}

Bytes buildIpv4(const Ipv4Header &header, ByteView payload)
{
    Bytes out;
    out.reserve(60 + payload.size());
    appendIpv4(out, header, payload);
    return out;
}

} // namespace tcplab

#include "wire/ipv6.h"

#include <algorithm>

#include "wire/address_bytes.h"
#include "wire/ip_proto.h"

namespace tcplab {

DropReason Ipv6View::check(ByteView packet)
{
    if (packet.size() < kHeaderLength) return DropReason::Ipv6Truncated;
    if ((packet[0] >> 4) != 6) return DropReason::Ipv6BadVersion;
    if (kHeaderLength + loadBe16(packet.data() + 4) > packet.size()) return DropReason::Ipv6BadPayloadLength;
    return DropReason::None;
}

Expected<Ipv6View> Ipv6View::parse(ByteView packet)
{
    if (const DropReason r = check(packet); r != DropReason::None) return dropError("IPv6 packet", r);
    return unchecked(packet);
}

Ip6Addr Ipv6View::source() const
{
    return loadIp6(b_.data() + 8);
}
Ip6Addr Ipv6View::destination() const
{
    return loadIp6(b_.data() + 24);
}

std::string_view Ipv6View::sanityIssue() const
{
    // RFC 4291 section 2.7: "Multicast addresses must not be used as source addresses".
    if (b_[8] == 0xff) return "IPv6 source is multicast";
    if (hopLimit() == 0) return "IPv6 hop limit is 0";
    return {};
}

namespace {

bool isExtensionHeader(std::uint8_t type)
{
    return type == ipproto::kHopByHop || type == ipproto::kRouting || type == ipproto::kFragment ||
           type == ipproto::kDestOpts || type == ipproto::kAh;
}

// Length in bytes of the extension header at `p` (which has at least 2 bytes).
std::size_t extHeaderLength(std::uint8_t type, const std::uint8_t *p)
{
    if (type == ipproto::kFragment) return 8;
    // RFC 4302 section 2.2: AH's Payload Len is "in 32-bit words, minus 2".
    if (type == ipproto::kAh) return (std::size_t(p[1]) + 2) * 4;
    // RFC 8200 sections 4.3, 4.4, 4.6: Hdr Ext Len "in 8-octet units, not including the first 8".
    return (std::size_t(p[1]) + 1) * 8;
}

} // namespace

Ipv6Extensions walkIpv6Extensions(const Ipv6View &packet)
{
    Ipv6Extensions ext;
    const ByteView bytes = packet.bytes();
    std::uint8_t next = packet.nextHeader();
    std::size_t offset = Ipv6View::kHeaderLength;
    while (isExtensionHeader(next)) {
        // RFC 8200 section 4.1: "The Hop-by-Hop Options header ... is restricted to appear
        // immediately after an IPv6 header only."
        if (next == ipproto::kHopByHop && ext.count != 0) {
            ext.drop = DropReason::Ipv6BadExtHeader;
            break;
        }
        if (ext.count == Ipv6Extensions::kMaxExtHeaders) {
            ext.drop = DropReason::Ipv6TooManyExtHeaders;
            break;
        }
        if (bytes.size() - offset < 8) { // every extension header is at least 8 bytes
            ext.drop = DropReason::Ipv6BadExtHeader;
            break;
        }
        const std::uint8_t *p = bytes.data() + offset;
        const std::size_t length = extHeaderLength(next, p);
        if (length > bytes.size() - offset) {
            ext.drop = DropReason::Ipv6BadExtHeader;
            break;
        }
        if (next == ipproto::kHopByHop || next == ipproto::kDestOpts) {
            const auto noop = [](std::uint8_t, std::size_t, std::size_t) {};
            if (!walkIpv6Options(bytes.subspan(offset + 2, length - 2), noop).empty()) {
                ext.drop = DropReason::Ipv6BadExtHeader;
                break;
            }
        }
        if (next == ipproto::kRouting) ext.routingSegmentsLeft = p[3];
        ext.headers[ext.count++] = {next, static_cast<std::uint16_t>(offset),
                                    static_cast<std::uint16_t>(length)};
        const std::uint8_t announced = next;
        next = p[0];
        offset += length;
        if (announced == ipproto::kFragment) {
            ext.hasFragmentHeader = true;
            ext.fragmentOffset = loadBe16(p + 2) >> 3;
            ext.moreFragments = p[3] & 1;
            ext.fragmentId = loadBe32(p + 4);
            if (ext.fragmentOffset != 0) break; // not a header that follows: a payload piece
        }
    }
    ext.upperProtocol = next;
    ext.upperOffset = static_cast<std::uint16_t>(offset);
    return ext;
}

Ipv6Header Ipv6Header::from(const Ipv6View &view)
{
    return {view.trafficClass(), view.flowLabel(), view.nextHeader(),
            view.hopLimit(),     view.source(),    view.destination()};
}

std::size_t appendIpv6Header(Bytes &out, const Ipv6Header &header, std::size_t payloadLength)
{
    payloadLength = std::min<std::size_t>(payloadLength, 0xffff);
    appendBe32(out, 0x60000000u | std::uint32_t(header.trafficClass) << 20 | (header.flowLabel & 0xfffff));
    appendBe16(out, static_cast<std::uint16_t>(payloadLength));
    out.push_back(header.nextHeader);
    out.push_back(header.hopLimit);
    appendIp6(out, header.source);
    appendIp6(out, header.destination);
    return payloadLength;
}

void appendIpv6(Bytes &out, const Ipv6Header &header, ByteView payload)
{
    payload = payload.first(appendIpv6Header(out, header, payload.size()));
    out.insert(out.end(), payload.begin(), payload.end());
}

Bytes buildIpv6(const Ipv6Header &header, ByteView payload)
{
    Bytes out;
    out.reserve(Ipv6View::kHeaderLength + payload.size());
    appendIpv6(out, header, payload);
    return out;
}

} // namespace tcplab

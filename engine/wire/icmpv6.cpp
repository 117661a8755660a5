#include "wire/icmpv6.h"

#include <algorithm>

#include "wire/address_bytes.h"
#include "wire/ip_proto.h"
#include "wire/pseudo_header.h"

namespace tcplab {

DropReason Icmpv6View::check(ByteView message)
{
    if (message.size() < kHeaderLength) return DropReason::Icmpv6Truncated;
    const std::uint8_t type = message[0];
    if (type == icmpv6::kNeighborSolicitation || type == icmpv6::kNeighborAdvertisement) {
        if (message.size() < kNdFixedLength) return DropReason::Icmpv6Truncated;
        if (!walkNdOptions(message.subspan(kNdFixedLength), [](std::uint8_t, std::size_t, std::size_t) {}))
            return DropReason::Icmpv6BadNdOption;
    }
    return DropReason::None;
}

Expected<Icmpv6View> Icmpv6View::parse(ByteView message)
{
    if (const DropReason r = check(message); r != DropReason::None) return dropError("ICMPv6 message", r);
    return Icmpv6View(message);
}

Ip6Addr Icmpv6View::targetAddress() const { return loadIp6(b_.data() + 8); }

std::optional<MacAddr> Icmpv6View::linkLayerOption(std::uint8_t optionType) const
{
    std::optional<MacAddr> found;
    const ByteView options = ndOptions();
    walkNdOptions(options, [&](std::uint8_t type, std::size_t offset, std::size_t length) {
        // RFC 4861 section 4.6.1: for Ethernet the option is 8 bytes, the address 6.
        if (!found && type == optionType && length >= 8) found = loadMac(options.data() + offset + 2);
    });
    return found;
}

bool Icmpv6View::checksumOk(const Ip6Addr &source, const Ip6Addr &destination) const
{
    ChecksumAccumulator acc;
    addPseudoHeader(acc, source, destination, ipproto::kIcmpv6, static_cast<std::uint32_t>(b_.size()));
    acc.add(b_);
    return acc.finish() == 0;
}

std::string_view Icmpv6View::sanityIssue(std::uint8_t hopLimit) const
{
    if (isEcho() && code() != 0) return "ICMPv6 echo with a non-zero code";
    if (isNeighborDiscovery()) {
        // RFC 4861 sections 7.1.1 and 7.1.2 validity checks.
        if (hopLimit != 255) return "Neighbor Discovery hop limit is not 255";
        if (code() != 0) return "Neighbor Discovery code is not 0";
        if (targetAddress().isMulticast()) return "Neighbor Discovery target is multicast";
    }
    return {};
}

Icmpv6Message Icmpv6Message::from(const Icmpv6View &view)
{
    const ByteView body = view.body();
    return {view.type(), view.code(), view.restOfHeader(), Bytes(body.begin(), body.end())};
}

Icmpv6Message Icmpv6Message::echo(bool request, std::uint16_t identifier, std::uint16_t sequence, ByteView data)
{
    return {request ? icmpv6::kEchoRequest : icmpv6::kEchoReply, 0,
            std::uint32_t(identifier) << 16 | sequence, Bytes(data.begin(), data.end())};
}

Icmpv6Message Icmpv6Message::destUnreachable(std::uint8_t code, ByteView originalPacket)
{
    // 1280 - 40 (our IPv6 header) - 8 (ICMPv6 header)
    const ByteView quoted = originalPacket.first(std::min<std::size_t>(originalPacket.size(), 1232));
    return {icmpv6::kDestUnreachable, code, 0, Bytes(quoted.begin(), quoted.end())};
}

namespace {

void appendLinkLayerOption(Bytes &body, std::uint8_t type, const MacAddr &mac)
{
    body.push_back(type);
    body.push_back(1);  // 8 bytes
    appendMac(body, mac);
}

}  // namespace

NeighborSolicitation NeighborSolicitation::from(const Icmpv6View &view)
{
    return {view.targetAddress(), view.linkLayerOption(icmpv6::kOptSourceLinkLayer)};
}

Icmpv6Message NeighborSolicitation::toMessage() const
{
    Icmpv6Message m{icmpv6::kNeighborSolicitation, 0, 0, {}};
    appendIp6(m.body, target);
    if (sourceLinkLayer) appendLinkLayerOption(m.body, icmpv6::kOptSourceLinkLayer, *sourceLinkLayer);
    return m;
}

NeighborAdvertisement NeighborAdvertisement::from(const Icmpv6View &view)
{
    return {view.routerFlag(), view.solicitedFlag(), view.overrideFlag(), view.targetAddress(),
            view.linkLayerOption(icmpv6::kOptTargetLinkLayer)};
}

Icmpv6Message NeighborAdvertisement::toMessage() const
{
    const std::uint32_t flags = (router ? 0x80000000u : 0) | (solicited ? 0x40000000u : 0) |
                                (override ? 0x20000000u : 0);
    Icmpv6Message m{icmpv6::kNeighborAdvertisement, 0, flags, {}};
    appendIp6(m.body, target);
    if (targetLinkLayer) appendLinkLayerOption(m.body, icmpv6::kOptTargetLinkLayer, *targetLinkLayer);
    return m;
}

Bytes buildIcmpv6(const Icmpv6Message &message, const Ip6Addr &source, const Ip6Addr &destination)
{
    Bytes out;
    out.reserve(Icmpv6View::kHeaderLength + message.body.size());
    out.push_back(message.type);
    out.push_back(message.code);
    appendBe16(out, 0);
    appendBe32(out, message.restOfHeader);
    out.insert(out.end(), message.body.begin(), message.body.end());
    ChecksumAccumulator acc;
    addPseudoHeader(acc, source, destination, ipproto::kIcmpv6, static_cast<std::uint32_t>(out.size()));
    acc.add(out);
    storeBe16(out.data() + 2, acc.finish());
    return out;
}

}  // namespace tcplab

#include "wire/icmpv4.h"

#include <algorithm>

#include "core/checksum.h"

namespace tcplab {

DropReason Icmpv4View::check(ByteView message)
{
    return message.size() < kHeaderLength ? DropReason::Icmpv4Truncated : DropReason::None;
}

Expected<Icmpv4View> Icmpv4View::parse(ByteView message)
{
    if (const DropReason r = check(message); r != DropReason::None) return dropError("ICMP message", r);
    return Icmpv4View(message);
}

// RFC 792: "The checksum is the 16-bit ones's complement of the one's complement sum of the ICMP
// message starting with the ICMP Type."
bool Icmpv4View::checksumOk() const { return internetChecksum(b_) == 0; }

std::string_view Icmpv4View::sanityIssue() const
{
    if (isEcho() && code() != 0) return "ICMP echo with a non-zero code";
    if (type() == icmpv4::kDestUnreachable && code() > 15) return "ICMP destination unreachable code above 15";
    return {};
}

Icmpv4Message Icmpv4Message::from(const Icmpv4View &view)
{
    const ByteView body = view.body();
    return {view.type(), view.code(), view.restOfHeader(), Bytes(body.begin(), body.end())};
}

Icmpv4Message Icmpv4Message::echo(bool request, std::uint16_t identifier, std::uint16_t sequence, ByteView data)
{
    return {request ? icmpv4::kEchoRequest : icmpv4::kEchoReply, 0,
            std::uint32_t(identifier) << 16 | sequence, Bytes(data.begin(), data.end())};
}

Icmpv4Message Icmpv4Message::destUnreachable(std::uint8_t code, ByteView originalDatagram,
                                             std::uint16_t nextHopMtu)
{
    // 576 - 20 (our IP header) - 8 (ICMP header)
    const ByteView quoted = originalDatagram.first(std::min<std::size_t>(originalDatagram.size(), 548));
    return {icmpv4::kDestUnreachable, code, nextHopMtu, Bytes(quoted.begin(), quoted.end())};
}

Bytes buildIcmpv4(const Icmpv4Message &message)
{
    Bytes out;
    out.reserve(Icmpv4View::kHeaderLength + message.body.size());
    out.push_back(message.type);
    out.push_back(message.code);
    appendBe16(out, 0);
    appendBe32(out, message.restOfHeader);
    out.insert(out.end(), message.body.begin(), message.body.end());
    storeBe16(out.data() + 2, internetChecksum(out));
    return out;
}

}  // namespace tcplab

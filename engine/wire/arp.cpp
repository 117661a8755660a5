#include "wire/arp.h"

#include <algorithm>

#include "wire/address_bytes.h"

#include "wire/ip_proto.h"

namespace tcplab {

DropReason ArpView::check(ByteView packet)
{
    if (packet.size() < kLength) return DropReason::ArpTruncated;
    // RFC 826 "Packet format": ar$hrd 1 (Ethernet), ar$pro 0x0800, ar$hln 6, ar$pln 4. Anything
    // else we could not answer, and its addresses would not fit the fixed offsets we read.
    const std::uint8_t *p = packet.data();
    if (loadBe16(p) != 1 || loadBe16(p + 2) != ethertype::kIpv4 || p[4] != 6 || p[5] != 4)
        return DropReason::ArpUnsupported;
    return DropReason::None;
}

Expected<ArpView> ArpView::parse(ByteView packet)
{
    if (const DropReason r = check(packet); r != DropReason::None) return dropError("ARP packet", r);
    return ArpView(packet.first(kLength));
}

MacAddr ArpView::senderMac() const { return loadMac(b_.data() + 8); }
MacAddr ArpView::targetMac() const { return loadMac(b_.data() + 18); }

std::string_view ArpView::sanityIssue() const
{
    const std::uint16_t op = operation();
    if (op != 1 && op != 2) return "ARP opcode is neither request (1) nor reply (2)";
    if (senderMac().isMulticast()) return "ARP sender hardware address is multicast or broadcast";
    if (senderIp().isMulticast() || senderIp().isBroadcast()) return "ARP sender IP is multicast or broadcast";
    return {};
}

ArpPacket ArpPacket::from(const ArpView &view)
{
    return {static_cast<ArpOp>(view.operation()), view.senderMac(), view.senderIp(), view.targetMac(),
            view.targetIp()};
}

void appendArp(Bytes &out, const ArpPacket &packet)
{
    appendBe16(out, 1);
    appendBe16(out, ethertype::kIpv4);
    out.push_back(6);
    out.push_back(4);
    appendBe16(out, static_cast<std::uint16_t>(packet.op));
    appendMac(out, packet.senderMac);
    appendBe32(out, packet.senderIp.value);
    appendMac(out, packet.targetMac);
    appendBe32(out, packet.targetIp.value);
}

Bytes buildArp(const ArpPacket &packet)
{
    Bytes out;
    out.reserve(ArpView::kLength);
    appendArp(out, packet);
    return out;
}

}  // namespace tcplab

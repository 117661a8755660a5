#include "wire/udp.h"

#include <algorithm>

#include "wire/ip_proto.h"
#include "wire/pseudo_header.h"

namespace tcplab {

DropReason UdpView::check(ByteView datagram)
{
    if (datagram.size() < kHeaderLength) return DropReason::UdpTruncated;
    const std::size_t length = loadBe16(datagram.data() + 4);
    if (length < kHeaderLength || length > datagram.size()) return DropReason::UdpBadLength;
    return DropReason::None;
}

Expected<UdpView> UdpView::parse(ByteView datagram)
{
    if (const DropReason r = check(datagram); r != DropReason::None) return dropError("UDP datagram", r);
    return unchecked(datagram);
}

bool UdpView::checksumOk(const IpAddr &source, const IpAddr &destination) const
{
    if (checksum() == 0) return source.isV4();
    return transportChecksum(source, destination, ipproto::kUdp, b_) == 0;
}

std::string_view UdpView::sanityIssue() const
{
    if (sourcePort() == 0 && destinationPort() == 0) return "UDP ports are both 0";
    if (destinationPort() == 0) return "UDP destination port is 0";
    return {};
}

Bytes buildUdp(const UdpHeader &header, ByteView payload, const IpAddr &source, const IpAddr &destination)
{
    payload = payload.first(std::min<std::size_t>(payload.size(), 0xffff - UdpView::kHeaderLength));
    Bytes out;
    out.reserve(UdpView::kHeaderLength + payload.size());
    appendBe16(out, header.sourcePort);
    appendBe16(out, header.destinationPort);
    appendBe16(out, static_cast<std::uint16_t>(UdpView::kHeaderLength + payload.size()));
    appendBe16(out, 0);
    out.insert(out.end(), payload.begin(), payload.end());
    fillTransportChecksum(source, destination, ipproto::kUdp, out, 6, /*udp=*/true);
    return out;
}

}  // namespace tcplab

#include "wire/ethernet.h"

#include <algorithm>

#include "wire/address_bytes.h"

namespace tcplab {

DropReason EthernetView::check(ByteView frame)
{
    return frame.size() < kHeaderLength ? DropReason::EthTruncated : DropReason::None;
}

Expected<EthernetView> EthernetView::parse(ByteView frame)
{
    if (const DropReason r = check(frame); r != DropReason::None) return dropError("Ethernet frame", r);
    return EthernetView(frame);
}

MacAddr EthernetView::destination() const { return loadMac(b_.data()); }
MacAddr EthernetView::source() const { return loadMac(b_.data() + 6); }

EthernetHeader EthernetHeader::from(const EthernetView &view)
{
    return {view.destination(), view.source(), view.etherType()};
}

void appendEthernetHeader(Bytes &out, const EthernetHeader &header)
{
    appendMac(out, header.destination);
    appendMac(out, header.source);
    appendBe16(out, header.etherType);
}

Bytes buildEthernet(const EthernetHeader &header, ByteView payload, bool padToMinimum)
{
    Bytes out;
    out.reserve(std::max(EthernetView::kHeaderLength + payload.size(), EthernetView::kMinFrameLength));
    appendEthernetHeader(out, header);
    out.insert(out.end(), payload.begin(), payload.end());
    if (padToMinimum && out.size() < EthernetView::kMinFrameLength) out.resize(EthernetView::kMinFrameLength, 0);
    return out;
}

}  // namespace tcplab

#include "wire/pseudo_header.h"

namespace tcplab {

void addPseudoHeader(ChecksumAccumulator &acc, Ip4Addr source, Ip4Addr destination, std::uint8_t protocol,
                     std::uint16_t length)
{
    acc.addBe32(source.value);
    acc.addBe32(destination.value);
    acc.addBe16(protocol);
    acc.addBe16(length);
}

void addPseudoHeader(ChecksumAccumulator &acc, const Ip6Addr &source, const Ip6Addr &destination,
                     std::uint8_t nextHeader, std::uint32_t length)
{
    acc.add(source.b);
    acc.add(destination.b);
    acc.addBe32(length);
    acc.addBe16(nextHeader);
}

namespace {

Ip6Addr mapped(const IpAddr &a)
{
    if (a.isV6()) return a.v6();
    Ip6Addr m;
    m.b[10] = m.b[11] = 0xff;
    storeBe32(m.b.data() + 12, a.v4().value);
    return m;
}

}  // namespace

void addPseudoHeader(ChecksumAccumulator &acc, const IpAddr &source, const IpAddr &destination,
                     std::uint8_t protocol, std::uint32_t length)
{
    if (source.isV4() && destination.isV4())
        addPseudoHeader(acc, source.v4(), destination.v4(), protocol, static_cast<std::uint16_t>(length));
    else
        addPseudoHeader(acc, mapped(source), mapped(destination), protocol, length);
}

std::uint16_t transportChecksum(const IpAddr &source, const IpAddr &destination, std::uint8_t protocol,
                                ByteView segment)
{
    ChecksumAccumulator acc;
    addPseudoHeader(acc, source, destination, protocol, static_cast<std::uint32_t>(segment.size()));
    acc.add(segment);
    return acc.finish();
}

void fillTransportChecksum(const IpAddr &source, const IpAddr &destination, std::uint8_t protocol,
                           MutableByteView segment, std::size_t checksumOffset, bool udp)
{
    if (checksumOffset + 2 > segment.size()) return;
    storeBe16(segment.data() + checksumOffset, 0);
    std::uint16_t sum = transportChecksum(source, destination, protocol, segment);
    if (udp && sum == 0) sum = 0xffff;
    storeBe16(segment.data() + checksumOffset, sum);
}

}  // namespace tcplab

// Builders and value types: the bytes they produce equal scapy's for the same packets (golden
// frames), value types round-trip through views, and pseudo-header checksums match a byte-wise
// reference.
#include <QtTest>

#include "core/checksum.h"
#include "core/rng.h"
#include "engine/wire/golden_index.h"
#include "wire/frame.h"
#include "wire/ip_proto.h"
#include "wire/pseudo_header.h"

using namespace tcplab;

namespace {

const MacAddr kMac1{{2, 0, 0, 0, 0, 1}};
const MacAddr kMac2{{2, 0, 0, 0, 0, 2}};
const Ip4Addr kA1 = *Ip4Addr::parse("198.18.0.1");
const Ip4Addr kA2 = *Ip4Addr::parse("198.18.0.2");
const Ip6Addr kB1 = *Ip6Addr::parse("2001:db8::1");
const Ip6Addr kB2 = *Ip6Addr::parse("2001:db8::2");

Bytes text(const char *s) { return Bytes(s, s + std::strlen(s)); }

Bytes frame(const MacAddr &dst, const MacAddr &src, std::uint16_t type, const Bytes &payload)
{
    return buildEthernet({dst, src, type}, payload);
}

Ipv4Header v4(std::uint16_t id, bool df, std::uint8_t protocol, Ip4Addr src = kA1, Ip4Addr dst = kA2)
{
    Ipv4Header h;
    h.identification = id;
    h.dontFragment = df;
    h.protocol = protocol;
    h.source = src;
    h.destination = dst;
    return h;
}

Ipv6Header v6(std::uint8_t next, const Ip6Addr &src = kB1, const Ip6Addr &dst = kB2, std::uint8_t hops = 64)
{
    Ipv6Header h;
    h.nextHeader = next;
    h.source = src;
    h.destination = dst;
    h.hopLimit = hops;
    return h;
}

// RFC 1071 by the book, one 16-bit word at a time, over explicit pseudo-header bytes.
std::uint16_t referenceChecksum(const Bytes &pseudo, ByteView segment)
{
    Bytes all = pseudo;
    all.insert(all.end(), segment.begin(), segment.end());
    std::uint32_t sum = 0;
    for (std::size_t i = 0; i < all.size(); i += 2)
        sum += std::uint32_t(all[i]) << 8 | (i + 1 < all.size() ? all[i + 1] : 0);
    while (sum >> 16) sum = (sum & 0xffff) + (sum >> 16);
    return static_cast<std::uint16_t>(~sum);
}

}  // namespace

class TestWireBuild : public QObject {
    Q_OBJECT
private slots:
    void buildersReproduceScapyFrames()
    {
        QCOMPARE(frame(MacAddr::broadcast(), kMac1, ethertype::kArp, buildArp({ArpOp::Request, kMac1, kA1, {}, kA2})),
                 golden::arp_request);
        QCOMPARE(frame(kMac1, kMac2, ethertype::kArp, buildArp({ArpOp::Reply, kMac2, kA2, kMac1, kA1})),
                 golden::arp_reply);
        QCOMPARE(frame(kMac2, kMac1, ethertype::kIpv4,
                       buildIpv4(v4(5, false, ipproto::kUdp), buildUdp({5353, 7}, text("hello udp"), kA1, kA2))),
                 golden::ipv4_udp);
        QCOMPARE(frame(kMac2, kMac1, ethertype::kIpv6,
                       buildIpv6(v6(ipproto::kUdp), buildUdp({5353, 7}, text("hello udp6"), kB1, kB2))),
                 golden::ipv6_udp);
        Bytes data(32);
        for (std::size_t i = 0; i < data.size(); ++i) data[i] = std::uint8_t(i);
        QCOMPARE(frame(kMac2, kMac1, ethertype::kIpv4,
                       buildIpv4(v4(6, true, ipproto::kIcmp), buildIcmpv4(Icmpv4Message::echo(true, 0x1234, 1, data)))),
                 golden::ipv4_icmp_echo_request);
        QCOMPARE(frame(kMac2, kMac1, ethertype::kIpv6,
                       buildIpv6(v6(ipproto::kIcmpv6),
                                 buildIcmpv6(Icmpv6Message::echo(true, 0x4321, 2, text("ping6 data")), kB1, kB2))),
                 golden::ipv6_icmp_echo_request);
        const Ip6Addr solicited = kB2.solicitedNodeMulticast();
        QCOMPARE(frame(solicited.multicastMac(), kMac1, ethertype::kIpv6,
                       buildIpv6(v6(ipproto::kIcmpv6, kB1, solicited, 255),
                                 buildIcmpv6(NeighborSolicitation{kB2, kMac1}.toMessage(), kB1, solicited))),
                 golden::ipv6_ns);
        QCOMPARE(frame(kMac1, kMac2, ethertype::kIpv6,
                       buildIpv6(v6(ipproto::kIcmpv6, kB2, kB1, 255),
                                 buildIcmpv6(NeighborAdvertisement{false, true, true, kB2, kMac2}.toMessage(), kB2, kB1))),
                 golden::ipv6_na);
    }

    void valueTypesRoundTripThroughViews()
    {
        for (const auto &g : golden::all()) {
            const ParsedFrame p = parseFrame(*g.bytes, {.verifyChecksums = false});
            QCOMPARE(buildEthernet(EthernetHeader::from(*p.eth), p.eth->payload()), *g.bytes);
            if (p.arp) QCOMPARE(buildArp(ArpPacket::from(*p.arp)), Bytes(p.arp->bytes().begin(), p.arp->bytes().end()));
            if (p.ipv4)
                QCOMPARE(buildIpv4(Ipv4Header::from(*p.ipv4), p.ipv4->payload()),
                         Bytes(p.ipv4->bytes().begin(), p.ipv4->bytes().end()));
            if (p.ipv6)
                QCOMPARE(buildIpv6(Ipv6Header::from(*p.ipv6), p.ipv6->payload()),
                         Bytes(p.ipv6->bytes().begin(), p.ipv6->bytes().end()));
            if (p.icmpv4)
                QCOMPARE(buildIcmpv4(Icmpv4Message::from(*p.icmpv4)),
                         Bytes(p.icmpv4->bytes().begin(), p.icmpv4->bytes().end()));
            if (p.icmpv6)
                QCOMPARE(buildIcmpv6(Icmpv6Message::from(*p.icmpv6), p.ipv6->source(), p.ipv6->destination()),
                         Bytes(p.icmpv6->bytes().begin(), p.icmpv6->bytes().end()));
            if (p.udp && p.ok())
                QCOMPARE(buildUdp(UdpHeader::from(*p.udp), p.udp->payload(), p.source(), p.destination()),
                         Bytes(p.udp->bytes().begin(), p.udp->bytes().end()));
        }
        const ParsedFrame arp = parseFrame(golden::arp_request);
        QVERIFY(!ArpPacket::from(*arp.arp).isGratuitous());
    }

    void ipv4BuilderPadsOptionsAndFillsLengths()
    {
        Ipv4Header h = v4(1, true, ipproto::kUdp);
        h.options = {0x94, 0x04, 0x00};  // 3 bytes: padded with EOL to 4
        const Bytes ip = buildIpv4(h, text("abc"));
        const auto view = Ipv4View::parse(ip);
        QVERIFY(view.ok());
        QCOMPARE(view->headerLength(), std::size_t(24));
        QCOMPARE(view->totalLength(), std::uint16_t(27));
        QVERIFY(view->checksumOk());
        QCOMPARE(view->options()[3], std::uint8_t(0));
        // A payload too big for the length field is cut so the field never lies.
        const Bytes huge(70000, 0xab);
        const Bytes bigPacket = buildIpv4(h, huge);
        const auto big = Ipv4View::parse(bigPacket);
        QVERIFY(big.ok());
        QCOMPARE(big->totalLength(), std::uint16_t(0xffff));
        QCOMPARE(buildIpv6(v6(ipproto::kUdp), huge).size(), std::size_t(40 + 0xffff));
    }

    void ethernetPadsToTheMinimumOnRequest()
    {
        const Bytes arp = buildArp({ArpOp::Request, kMac1, kA1, {}, kA2});
        QCOMPARE(buildEthernet({MacAddr::broadcast(), kMac1, ethertype::kArp}, arp, true).size(), std::size_t(60));
        QCOMPARE(buildEthernet({MacAddr::broadcast(), kMac1, ethertype::kArp}, arp).size(), std::size_t(42));
        QVERIFY(parseFrame(buildEthernet({MacAddr::broadcast(), kMac1, ethertype::kArp}, arp, true)).ok());
    }

    void icmpErrorsQuoteTheOffendingPacket()
    {
        const ByteView original = ByteView(golden::ipv4_udp).subspan(14);
        const Icmpv4Message m = Icmpv4Message::destUnreachable(icmpv4::kPortUnreachable, original);
        QCOMPARE(m.body, Bytes(original.begin(), original.end()));
        const Bytes big(2000, 1);
        QCOMPARE(Icmpv4Message::destUnreachable(icmpv4::kFragmentationNeeded, big, 1400).body.size(), std::size_t(548));
        QCOMPARE(Icmpv4Message::destUnreachable(icmpv4::kFragmentationNeeded, big, 1400).restOfHeader, 1400u);
        QCOMPARE(Icmpv6Message::destUnreachable(icmpv6::kPortUnreachable, big).body.size(), std::size_t(1232));
        const Bytes built = buildIcmpv4(m);
        const auto view = Icmpv4View::parse(built);
        QVERIFY(view.ok() && view->checksumOk());
        QCOMPARE(view->sanityIssue(), std::string_view());
    }

    void pseudoHeaderChecksumsMatchReference()
    {
        Rng rng(11);
        for (int round = 0; round < 100; ++round) {
            Bytes segment(rng.uniform(8, 200));
            for (auto &b : segment) b = std::uint8_t(rng.next());
            const Ip4Addr s4{std::uint32_t(rng.next())}, d4{std::uint32_t(rng.next())};
            Bytes pseudo4;
            appendBe32(pseudo4, s4.value);
            appendBe32(pseudo4, d4.value);
            appendBe16(pseudo4, ipproto::kTcp);
            appendBe16(pseudo4, std::uint16_t(segment.size()));
            QCOMPARE(transportChecksum(s4, d4, ipproto::kTcp, segment), referenceChecksum(pseudo4, segment));

            Ip6Addr s6, d6;
            for (auto &b : s6.b) b = std::uint8_t(rng.next());
            for (auto &b : d6.b) b = std::uint8_t(rng.next());
            Bytes pseudo6(s6.b.begin(), s6.b.end());
            pseudo6.insert(pseudo6.end(), d6.b.begin(), d6.b.end());
            appendBe32(pseudo6, std::uint32_t(segment.size()));
            appendBe32(pseudo6, ipproto::kUdp);
            QCOMPARE(transportChecksum(s6, d6, ipproto::kUdp, segment), referenceChecksum(pseudo6, segment));
        }
    }

    void goldenTransportChecksumsVerify()
    {
        // scapy computed these; our sum over pseudo-header + segment must come to zero.
        for (const auto &g : golden::all()) {
            const ParsedFrame p = parseFrame(*g.bytes, {.verifyChecksums = false});
            if (p.isFragment() || (!p.tcp && !p.udp && !p.icmpv6)) continue;
            const ByteView l4 = ByteView(*g.bytes).subspan(p.l4Offset, p.l4Length);
            QCOMPARE(transportChecksum(p.source(), p.destination(), p.l4Protocol, l4), std::uint16_t(0));
        }
    }

    void udpComputedZeroIsSentAsAllOnes()
    {
        // Find a payload whose checksum computes to 0, then check the builder sends 0xffff.
        for (std::uint32_t v = 0; v < 0x10000; ++v) {
            Bytes payload;
            appendBe16(payload, std::uint16_t(v));
            Bytes d = buildUdp({1, 2}, payload, kA1, kA2);
            if (loadBe16(d.data() + 6) != 0xffff) continue;
            storeBe16(d.data() + 6, 0);
            QCOMPARE(transportChecksum(kA1, kA2, ipproto::kUdp, d), std::uint16_t(0));  // computed 0
            const Bytes again = buildUdp({1, 2}, payload, kA1, kA2);
            QVERIFY(UdpView::parse(again)->checksumOk(kA1, kA2));
            return;
        }
        QFAIL("no payload with a zero UDP checksum found");
    }

    void ipv6ExtensionHeaderWalkReportsPositions()
    {
        const ParsedFrame p = parseFrame(golden::ipv6_routing_tcp);
        QVERIFY(p.ok());
        QCOMPARE(int(p.ipv6Ext.count), 1);
        QCOMPARE(p.ipv6Ext.headers[0].type, ipproto::kRouting);
        QCOMPARE(p.ipv6Ext.headers[0].offset, std::uint16_t(40));
        QCOMPARE(p.ipv6Ext.headers[0].length, std::uint16_t(24));  // one address
        QCOMPARE(p.l4Offset, 14u + 40u + 24u);
        QCOMPARE(p.tcp->destinationPort(), std::uint16_t(80));
    }
};

QTEST_APPLESS_MAIN(TestWireBuild)
#include "test_wire_build.moc"

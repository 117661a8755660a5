// Frame parsing: golden frames from scapy, every truncation, inconsistent length fields, wrong
// checksums, IPv6 extension-header chains, and the drop-reason names.
#include <QtTest>

#include <set>
#include <string>

#include "core/checksum.h"
#include "engine/wire/golden_index.h"
#include "wire/fields.h"
#include "wire/frame.h"
#include "wire/ip_proto.h"

using namespace tcplab;

namespace {

Bytes frameNamed(const char *name)
{
    for (const auto &f : golden::all())
        if (std::string(f.name) == name) return *f.bytes;
    qFatal("no golden frame %s", name);
    return {};
}

// The golden frame with the bytes of its IP layer edited by `edit`, IPv4 header checksum refreshed
// so the edit is the only problem.
template <class Edit>
Bytes edited(const char *name, Edit edit)
{
    Bytes f = frameNamed(name);
    edit(f);
    return f;
}

void refreshIpv4Checksum(Bytes &f) { fixIpv4HeaderChecksum(MutableByteView(f).subspan(14)); }

// An IPv6 frame carrying `ext` (already chained: each header's first byte names the next) and then
// a UDP datagram; `first` is the IPv6 Next Header.
Bytes ipv6WithExtensions(std::uint8_t first, const Bytes &ext)
{
    Ipv6Header h;
    h.nextHeader = first;
    h.source = *Ip6Addr::parse("2001:db8::1");
    h.destination = *Ip6Addr::parse("2001:db8::2");
    Bytes payload = ext;
    const Bytes udp = buildUdp({1000, 7}, Bytes{'x'}, h.source, h.destination);
    payload.insert(payload.end(), udp.begin(), udp.end());
    const Bytes ip = buildIpv6(h, payload);
    return buildEthernet({MacAddr{{2, 0, 0, 0, 0, 2}}, MacAddr{{2, 0, 0, 0, 0, 1}}, ethertype::kIpv6}, ip);
}

// One 8-byte Destination Options header (PadN filling it) announcing `next`.
void appendDestOpts(Bytes &ext, std::uint8_t next)
{
    const Bytes h{next, 0, 1, 4, 0, 0, 0, 0};
    ext.insert(ext.end(), h.begin(), h.end());
}

}  // namespace

class TestWireParse : public QObject {
    Q_OBJECT
private slots:
    void goldenFramesParse_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<int>("drop");
        QTest::addColumn<int>("network");
        QTest::addColumn<int>("l4");
        QTest::addColumn<int>("payload");
        const int v4 = int(NetworkKind::Ipv4), v6 = int(NetworkKind::Ipv6), arp = int(NetworkKind::Arp);
        const int ok = int(DropReason::None);
        auto row = [](const char *n, int drop, int net, int l4, int payload) {
            QTest::newRow(n) << QString(n) << drop << net << l4 << payload;
        };
        row("arp_request", ok, arp, 0, 0);
        row("arp_reply", ok, arp, 0, 0);
        row("ipv4_tcp_syn", ok, v4, ipproto::kTcp, 0);
        row("ipv4_tcp_synack", ok, v4, ipproto::kTcp, 0);
        row("ipv4_tcp_data", ok, v4, ipproto::kTcp, 18);
        row("ipv4_tcp_ack_padded", ok, v4, ipproto::kTcp, 0);  // the 6 padding bytes are not payload
        row("ipv4_tcp_sack", ok, v4, ipproto::kTcp, 0);
        row("ipv6_tcp_syn", ok, v6, ipproto::kTcp, 0);
        row("ipv4_udp", ok, v4, ipproto::kUdp, 9);
        row("ipv6_udp", ok, v6, ipproto::kUdp, 10);
        row("ipv4_icmp_echo_request", ok, v4, ipproto::kIcmp, 32);
        row("ipv4_icmp_echo_reply", ok, v4, ipproto::kIcmp, 32);
        row("ipv4_icmp_port_unreachable", ok, v4, ipproto::kIcmp, 29);  // quoted IP + UDP + 1 byte
        row("ipv6_icmp_echo_request", ok, v6, ipproto::kIcmpv6, 10);
        row("ipv6_icmp_echo_reply", ok, v6, ipproto::kIcmpv6, 10);
        row("ipv6_ns", ok, v6, ipproto::kIcmpv6, 24);  // target + source link-layer option
        row("ipv6_na", ok, v6, ipproto::kIcmpv6, 24);
        row("ipv6_dest_unreachable", ok, v6, ipproto::kIcmpv6, 48);
        row("ipv6_hbh_dstopts_udp", ok, v6, ipproto::kUdp, 3);
        row("ipv6_routing_tcp", ok, v6, ipproto::kTcp, 0);
        row("ipv6_fragment_first", int(DropReason::Ipv6Fragment), v6, ipproto::kUdp, 0);
        row("ipv6_atomic_fragment_echo", ok, v6, ipproto::kIcmpv6, 0);  // RFC 6946: not a fragment
        row("ipv4_fragment", int(DropReason::Ipv4Fragment), v4, ipproto::kUdp, 0);
        row("ipv4_options_udp", ok, v4, ipproto::kUdp, 3);
    }

    void goldenFramesParse()
    {
        QFETCH(QString, name);
        QFETCH(int, drop);
        QFETCH(int, network);
        QFETCH(int, l4);
        QFETCH(int, payload);
        const Bytes f = frameNamed(name.toLatin1().constData());
        const ParsedFrame p = parseFrame(f);
        QCOMPARE(dropReasonName(p.drop), dropReasonName(DropReason(drop)));
        QCOMPARE(int(p.network), network);
        QCOMPARE(int(p.l4Protocol), l4);
        QCOMPARE(int(p.payloadLength), payload);
        QVERIFY(p.eth.has_value());
        QCOMPARE(p.l3Offset, 14u);
        QVERIFY(p.l3Offset + p.l3Length <= f.size());
        QVERIFY(p.payloadOffset + p.payloadLength <= f.size());
        if (p.ok() && network != arp()) QVERIFY(p.payloadOffset + p.payloadLength == p.l3Offset + p.l3Length);
        // The same bytes without Ethernet parse the same way as a bare IP packet.
        if (network != arp()) {
            const ParsedFrame q = parseIpPacket(ByteView(f).subspan(14));
            QCOMPARE(int(q.drop), drop);
            QCOMPARE(q.l4Offset + 14, p.l4Offset);
            QCOMPARE(q.payloadLength, p.payloadLength);
        }
    }

    void goldenFramesAreSane()
    {
        // Everything scapy made here is RFC-legal: the sanity checks must agree.
        for (const auto &g : golden::all()) {
            const ParsedFrame p = parseFrame(*g.bytes);
            if (p.arp) QCOMPARE(p.arp->sanityIssue(), std::string_view());
            if (p.ipv4) QCOMPARE(p.ipv4->sanityIssue(), std::string_view());
            if (p.ipv6) QCOMPARE(p.ipv6->sanityIssue(), std::string_view());
            if (p.udp) QCOMPARE(p.udp->sanityIssue(), std::string_view());
            if (p.icmpv4) QCOMPARE(p.icmpv4->sanityIssue(), std::string_view());
            if (p.icmpv6) QCOMPARE(p.icmpv6->sanityIssue(p.ipv6->hopLimit()), std::string_view());
            if (p.tcp) QCOMPARE(p.tcp->sanityIssue(), std::string_view());
        }
    }

    void goldenViewsReadTheValuesScapyWrote()
    {
        // Each frame is kept alive while its views are used: views never own bytes.
        const Bytes arpBytes = frameNamed("arp_request"), synBytes = frameNamed("ipv4_tcp_syn");
        const Bytes nsBytes = frameNamed("ipv6_ns"), naBytes = frameNamed("ipv6_na");
        const Bytes echoBytes = frameNamed("ipv4_icmp_echo_request"), fragBytes = frameNamed("ipv6_fragment_first");
        const Bytes extBytes = frameNamed("ipv6_hbh_dstopts_udp");
        const ParsedFrame arp = parseFrame(arpBytes);
        QCOMPARE(arp.arp->operation(), std::uint16_t(1));
        QCOMPARE(arp.arp->senderIp().toString(), std::string("198.18.0.1"));
        QCOMPARE(arp.arp->targetIp().toString(), std::string("198.18.0.2"));
        QCOMPARE(arp.arp->senderMac().toString(), std::string("02:00:00:00:00:01"));
        QVERIFY(arp.eth->destination().isBroadcast());

        const ParsedFrame syn = parseFrame(synBytes);
        QCOMPARE(syn.ipv4->ttl(), std::uint8_t(64));
        QVERIFY(syn.ipv4->dontFragment());
        QCOMPARE(syn.tcp->sourcePort(), std::uint16_t(40000));
        QCOMPARE(syn.tcp->seq().raw(), 1000u);
        QVERIFY(syn.tcp->flags().syn());
        const auto options = syn.tcp->options();
        QVERIFY(options.ok());
        QCOMPARE(*options->mss, std::uint16_t(1460));
        QCOMPARE(*options->windowScale, std::uint8_t(7));

        const ParsedFrame ns = parseFrame(nsBytes);
        QVERIFY(ns.icmpv6->isNeighborDiscovery());
        QCOMPARE(ns.icmpv6->targetAddress().toString(), std::string("2001:db8::2"));
        const NeighborSolicitation sol = NeighborSolicitation::from(*ns.icmpv6);
        QCOMPARE(sol.sourceLinkLayer->toString(), std::string("02:00:00:00:00:01"));

        const NeighborAdvertisement na = NeighborAdvertisement::from(*parseFrame(naBytes).icmpv6);
        QVERIFY(!na.router && na.solicited && na.override);
        QCOMPARE(na.targetLinkLayer->toString(), std::string("02:00:00:00:00:02"));

        const ParsedFrame echo = parseFrame(echoBytes);
        QCOMPARE(echo.icmpv4->identifier(), std::uint16_t(0x1234));
        QCOMPARE(echo.icmpv4->sequence(), std::uint16_t(1));

        const ParsedFrame frag = parseFrame(fragBytes);
        QVERIFY(frag.ipv6Ext.hasFragmentHeader && frag.ipv6Ext.moreFragments);
        QCOMPARE(frag.ipv6Ext.fragmentId, 0xabcdu);

        const ParsedFrame ext = parseFrame(extBytes);
        QCOMPARE(int(ext.ipv6Ext.count), 2);
        QCOMPARE(ext.ipv6Ext.headers[0].type, ipproto::kHopByHop);
        QCOMPARE(ext.ipv6Ext.headers[1].type, ipproto::kDestOpts);
        QCOMPARE(ext.udp->destinationPort(), std::uint16_t(7));
    }

    void everyTruncationIsRefusedWithoutReadingPastTheEnd()
    {
        // Run under the asan preset, this also proves no read goes past the cut.
        for (const auto &g : golden::all()) {
            const ParsedFrame whole = parseFrame(*g.bytes);
            const std::size_t needed = whole.l3Offset + whole.l3Length;
            for (std::size_t n = 0; n < g.bytes->size(); ++n) {
                const Bytes cut(g.bytes->begin(), g.bytes->begin() + std::ptrdiff_t(n));
                const ParsedFrame p = parseFrame(cut);
                if (n < needed) {
                    if (p.ok()) qWarning("%s cut at %zu parsed", g.name, n);
                    QVERIFY(!p.ok());
                } else {
                    QCOMPARE(int(p.drop), int(whole.drop));  // only link padding was cut
                }
                if (n < 14) QCOMPARE(int(p.drop), int(DropReason::EthTruncated));
                const auto rows = decodeFrame(cut);
                QVERIFY(!rows.empty());
                for (const DecodedField &r : rows) QVERIFY(r.offset + r.length <= n || (r.length == 0 && r.offset <= n));
                if (n < needed && !p.isFragment()) {
                    bool malformed = false;
                    for (const DecodedField &r : rows) malformed |= r.name == "_ws.malformed";
                    if (!malformed) qWarning("%s cut at %zu: no malformed row", g.name, n);
                    QVERIFY(malformed);
                }
                if (n >= 14) parseIpPacket(ByteView(cut).subspan(14));
            }
        }
    }

    void inconsistentLengths_data()
    {
        QTest::addColumn<QByteArray>("frame");
        QTest::addColumn<int>("drop");
        auto add = [](const char *tag, const Bytes &f, DropReason r) {
            QTest::newRow(tag) << QByteArray(reinterpret_cast<const char *>(f.data()), qsizetype(f.size())) << int(r);
        };
        using R = DropReason;
        add("ipv4 total length past the bytes", edited("ipv4_udp", [](Bytes &f) {
                storeBe16(&f[16], 200);
                refreshIpv4Checksum(f);
            }), R::Ipv4BadTotalLength);
        add("ipv4 total length below ihl", edited("ipv4_udp", [](Bytes &f) {
                storeBe16(&f[16], 19);
                refreshIpv4Checksum(f);
            }), R::Ipv4BadTotalLength);
        add("ipv4 ihl 4", edited("ipv4_udp", [](Bytes &f) { f[14] = 0x44; }), R::Ipv4BadHeaderLength);
        add("ipv4 ihl 15 past the bytes", edited("arp_request", [](Bytes &f) {
                f[12] = 0x08, f[13] = 0x00, f[14] = 0x4f;
            }), R::Ipv4BadHeaderLength);
        add("ipv4 version 5", edited("ipv4_udp", [](Bytes &f) { f[14] = 0x55; }), R::Ipv4BadVersion);
        add("ipv6 version 4 in an IPv6 frame", edited("ipv6_udp", [](Bytes &f) { f[14] = 0x40; }),
            R::Ipv6BadVersion);
        add("ipv6 payload length past the bytes", edited("ipv6_udp", [](Bytes &f) { storeBe16(&f[18], 500); }),
            R::Ipv6BadPayloadLength);
        add("udp length 7", edited("ipv4_udp", [](Bytes &f) { storeBe16(&f[38], 7); }), R::UdpBadLength);
        add("udp length past ip payload", edited("ipv4_udp", [](Bytes &f) { storeBe16(&f[38], 18); }),
            R::UdpBadLength);
        add("tcp data offset 4", edited("ipv4_tcp_syn", [](Bytes &f) { f[46] = 0x40 | (f[46] & 0x0f); }),
            R::TcpBadOffset);
        add("tcp data offset 15 past the segment", edited("ipv4_tcp_syn", [](Bytes &f) { f[46] = 0xf0; }),
            R::TcpBadOffset);
        add("ns option length 0", edited("ipv6_ns", [](Bytes &f) { f[f.size() - 7] = 0; }), R::Icmpv6BadNdOption);
        add("ns option longer than the message", edited("ipv6_ns", [](Bytes &f) { f[f.size() - 7] = 2; }),
            R::Icmpv6BadNdOption);
        add("arp for another protocol", edited("arp_request", [](Bytes &f) { f[16] = 0x86, f[17] = 0xdd; }),
            R::ArpUnsupported);
        add("unknown ethertype", edited("arp_request", [](Bytes &f) { f[12] = 0x88, f[13] = 0xcc; }),
            R::EthUnsupportedType);
        add("unknown ip protocol", edited("ipv4_udp", [](Bytes &f) {
                f[23] = 132;  // SCTP
                refreshIpv4Checksum(f);
            }), R::IpUnsupportedProtocol);
        add("icmpv6 inside ipv4", edited("ipv4_icmp_echo_request", [](Bytes &f) {
                f[23] = ipproto::kIcmpv6;
                refreshIpv4Checksum(f);
            }), R::IpUnsupportedProtocol);
    }

    void inconsistentLengths()
    {
        QFETCH(QByteArray, frame);
        QFETCH(int, drop);
        const ByteView f(reinterpret_cast<const std::uint8_t *>(frame.constData()), std::size_t(frame.size()));
        QCOMPARE(dropReasonName(parseFrame(f).drop), dropReasonName(DropReason(drop)));
        bool malformedOrData = false;
        for (const DecodedField &r : decodeFrame(f)) malformedOrData |= r.name == "_ws.malformed" || r.name == "data";
        QVERIFY(malformedOrData);
    }

    void wrongChecksums_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<int>("offset");  // byte to flip (negative: from the end)
        QTest::addColumn<int>("drop");
        QTest::newRow("ipv4 header") << "ipv4_udp" << 24 << int(DropReason::Ipv4BadChecksum);
        QTest::newRow("tcp payload") << "ipv4_tcp_data" << -1 << int(DropReason::TcpBadChecksum);
        QTest::newRow("tcp over ipv6") << "ipv6_tcp_syn" << -1 << int(DropReason::TcpBadChecksum);
        QTest::newRow("udp payload") << "ipv4_udp" << -1 << int(DropReason::UdpBadChecksum);
        QTest::newRow("udp over ipv6") << "ipv6_udp" << -1 << int(DropReason::UdpBadChecksum);
        QTest::newRow("icmp data") << "ipv4_icmp_echo_request" << -1 << int(DropReason::Icmpv4BadChecksum);
        QTest::newRow("icmpv6 data") << "ipv6_icmp_echo_request" << -1 << int(DropReason::Icmpv6BadChecksum);
        QTest::newRow("icmpv6 ns") << "ipv6_ns" << -1 << int(DropReason::Icmpv6BadChecksum);
        // A pseudo-header field: the source address is covered by the TCP checksum too.
        QTest::newRow("ipv6 source under tcp") << "ipv6_tcp_syn" << 23 << int(DropReason::TcpBadChecksum);
    }

    void wrongChecksums()
    {
        QFETCH(QString, name);
        QFETCH(int, offset);
        QFETCH(int, drop);
        Bytes f = frameNamed(name.toLatin1().constData());
        f[offset < 0 ? f.size() - std::size_t(-offset) : std::size_t(offset)] ^= 0x5a;
        QCOMPARE(dropReasonName(parseFrame(f).drop), dropReasonName(DropReason(drop)));
        QVERIFY(parseFrame(f, {.verifyChecksums = false}).ok());
        // The inspector marks it.
        bool incorrect = false;
        for (const DecodedField &r : decodeFrame(f)) incorrect |= r.text.find("[incorrect") != std::string::npos;
        QVERIFY(incorrect);
    }

    void udpZeroChecksumMeansNoneOnlyOverIpv4()
    {
        Bytes v4 = frameNamed("ipv4_udp");
        storeBe16(&v4[40], 0);
        QVERIFY(parseFrame(v4).ok());
        Bytes v6 = frameNamed("ipv6_udp");
        storeBe16(&v6[60], 0);
        QCOMPARE(int(parseFrame(v6).drop), int(DropReason::UdpBadChecksum));
        bool none = false, incorrect = false;
        for (const DecodedField &r : decodeFrame(v4)) none |= r.text.find("[none") != std::string::npos;
        for (const DecodedField &r : decodeFrame(v6)) incorrect |= r.text.find("[incorrect") != std::string::npos;
        QVERIFY(none && incorrect);
    }

    void ipv6ExtensionChains_data()
    {
        QTest::addColumn<int>("chainLength");
        QTest::addColumn<int>("drop");
        QTest::newRow("1") << 1 << int(DropReason::None);
        QTest::newRow("8, the most we walk") << 8 << int(DropReason::None);
        QTest::newRow("9") << 9 << int(DropReason::Ipv6TooManyExtHeaders);
        QTest::newRow("a loop of 500") << 500 << int(DropReason::Ipv6TooManyExtHeaders);
    }

    void ipv6ExtensionChains()
    {
        QFETCH(int, chainLength);
        QFETCH(int, drop);
        Bytes ext;
        for (int i = 0; i < chainLength; ++i)
            appendDestOpts(ext, i + 1 == chainLength ? ipproto::kUdp : ipproto::kDestOpts);
        const Bytes f = ipv6WithExtensions(ipproto::kDestOpts, ext);
        const ParsedFrame p = parseFrame(f);
        QCOMPARE(dropReasonName(p.drop), dropReasonName(DropReason(drop)));
        if (p.ok()) QCOMPARE(p.udp->payload().size(), std::size_t(1));
    }

    void ipv6BadExtensionHeaders()
    {
        using R = DropReason;
        Bytes ext;
        // Hop-by-Hop after another header (RFC 8200 section 4.1).
        appendDestOpts(ext, ipproto::kHopByHop);
        appendDestOpts(ext, ipproto::kUdp);
        QCOMPARE(int(parseFrame(ipv6WithExtensions(ipproto::kDestOpts, ext)).drop), int(R::Ipv6BadExtHeader));
        // A header claiming more bytes than the packet has.
        ext = Bytes{ipproto::kUdp, 200, 1, 4, 0, 0, 0, 0};
        QCOMPARE(int(parseFrame(ipv6WithExtensions(ipproto::kDestOpts, ext)).drop), int(R::Ipv6BadExtHeader));
        // An option TLV running past its header.
        ext = Bytes{ipproto::kUdp, 0, 1, 9, 0, 0, 0, 0};
        QCOMPARE(int(parseFrame(ipv6WithExtensions(ipproto::kDestOpts, ext)).drop), int(R::Ipv6BadExtHeader));
        // Pad1 options and a well-formed routing header are fine.
        ext = Bytes{ipproto::kRouting, 0, 0, 0, 0, 0, 0, 0, ipproto::kUdp, 0, 0, 0, 0, 0, 0, 0};
        QVERIFY(parseFrame(ipv6WithExtensions(ipproto::kHopByHop, ext)).ok());
        // A chain that ends where the bytes end: no room for even an 8-byte header.
        Bytes f = frameNamed("ipv6_udp");
        f[20] = ipproto::kDestOpts;
        f.resize(14 + 40 + 4);
        storeBe16(&f[18], 4);
        QCOMPARE(int(parseFrame(f).drop), int(R::Ipv6BadExtHeader));
        // A non-first fragment stops the walk: what follows is data.
        ext = Bytes{ipproto::kUdp, 0, 0x00, 0x08, 0, 0, 0, 1};
        const ParsedFrame later = parseFrame(ipv6WithExtensions(ipproto::kFragment, ext));
        QCOMPARE(int(later.drop), int(R::Ipv6Fragment));
        QCOMPARE(later.ipv6Ext.fragmentOffset, std::uint16_t(1));
        QVERIFY(!later.udp);
    }

    void dropReasonNamesAreStableAndUnique()
    {
        std::set<std::string_view> names;
        for (std::size_t i = 0; i < kDropReasonCount; ++i) {
            const auto r = DropReason(i);
            const std::string_view n = dropReasonName(r);
            QVERIFY(!n.empty());
            QVERIFY(n.find(' ') == std::string_view::npos);
            QVERIFY(names.insert(n).second);
            DropReason back;
            QVERIFY(dropReasonFromName(n, back));
            QCOMPARE(int(back), int(i));
            QVERIFY(!dropReasonText(r).empty());
        }
        QCOMPARE(dropReasonName(DropReason::Ipv4BadChecksum), std::string_view("ipv4-bad-checksum"));
        QCOMPARE(dropReasonName(DropReason::TcpBadOffset), std::string_view("tcp-bad-offset"));
        QCOMPARE(dropReasonName(DropReason(kDropReasonCount)), std::string_view("unknown"));
        DropReason unused;
        QVERIFY(!dropReasonFromName("no-such-reason", unused));
        const auto e = Ipv4View::parse(Bytes(5));
        QVERIFY(!e.ok());
        QVERIFY(e.error().message.find("ipv4-truncated") != std::string::npos);
    }

    void checkedViewsNameTheReason()
    {
        // Each view's parse() gives a value on good bytes and an error naming the reason on bad.
        const Bytes arpBytes = frameNamed("arp_request"), v6Bytes = frameNamed("ipv6_ns");
        const ByteView arpPacket = ByteView(arpBytes).subspan(14), v6Packet = ByteView(v6Bytes).subspan(14);
        QVERIFY(EthernetView::parse(arpBytes).ok());
        QVERIFY(EthernetView::parse(ByteView(arpBytes).first(13)).error().message.find("eth-truncated") !=
                std::string::npos);
        QCOMPARE(ArpView::parse(arpPacket)->bytes().size(), ArpView::kLength);
        QVERIFY(ArpView::parse(arpPacket.first(27)).error().message.find("arp-truncated") != std::string::npos);
        QVERIFY(Ipv6View::parse(v6Packet).ok());
        QVERIFY(Ipv6View::parse(v6Packet.first(39)).error().message.find("ipv6-truncated") != std::string::npos);
        const ByteView ns = v6Packet.subspan(40);
        QVERIFY(Icmpv6View::parse(ns).ok());
        QVERIFY(Icmpv6View::parse(ns.first(20)).error().message.find("icmpv6-truncated") != std::string::npos);
        QVERIFY(!Icmpv4View::parse(ns.first(7)).ok());
        QVERIFY(!UdpView::parse(ns.first(7)).ok());

        // A TCP segment shorter than 20 bytes, and ICMPv4 carried by IPv6.
        Bytes shortTcp = frameNamed("ipv4_udp");
        shortTcp[23] = ipproto::kTcp;
        refreshIpv4Checksum(shortTcp);
        QCOMPARE(int(parseFrame(shortTcp).drop), int(DropReason::TcpTruncated));
        Bytes icmpIn6 = frameNamed("ipv6_icmp_echo_request");
        icmpIn6[20] = ipproto::kIcmp;
        const ParsedFrame p = parseFrame(icmpIn6);
        QCOMPARE(int(p.drop), int(DropReason::IpUnsupportedProtocol));
        QCOMPARE(p.ipPacket(icmpIn6).size(), icmpIn6.size() - 14);
        const ParsedFrame arp = parseFrame(arpBytes);
        QVERIFY(arp.ipPacket(arpBytes).empty());
        QVERIFY(arp.source().isV4() && arp.source().v4().isUnspecified());
    }

    void sanityChecksSayWhy()
    {
        Bytes f = frameNamed("ipv4_tcp_syn");
        f[47] |= TcpFlags::kFin;
        QVERIFY(!parseFrame(f, {.verifyChecksums = false}).tcp->sanityIssue().empty());
        f = frameNamed("ipv4_udp");
        f[20] |= 0x80;  // reserved flag
        QCOMPARE(parseFrame(f, {.verifyChecksums = false}).ipv4->sanityIssue(),
                 std::string_view("IPv4 reserved flag is set"));
        f = frameNamed("ipv6_na");
        f[21] = 254;  // hop limit: came through a router
        const ParsedFrame p = parseFrame(f);
        QVERIFY(p.ok());  // integrity is fine...
        QCOMPARE(p.icmpv6->sanityIssue(p.ipv6->hopLimit()),
                 std::string_view("Neighbor Discovery hop limit is not 255"));  // ...legality is not
        f = frameNamed("arp_request");
        f[21] = 9;
        QVERIFY(!parseFrame(f).arp->sanityIssue().empty());
        f = frameNamed("ipv4_options_udp");
        f[35] = 9;  // Router Alert option length past the header
        QVERIFY(!parseFrame(f, {.verifyChecksums = false}).ipv4->sanityIssue().empty());
    }

private:
    static int arp() { return int(NetworkKind::Arp); }
};

QTEST_APPLESS_MAIN(TestWireParse)
#include "test_wire_parse.moc"

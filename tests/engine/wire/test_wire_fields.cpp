// The field registry: Wireshark names, reading and writing fields in frames and bare IP packets,
// the checksum fix-up, and the inspector's decoded tree.
#include <QtTest>

#include <set>
#include <string>

#include "engine/wire/golden_index.h"
#include "wire/fields.h"
#include "wire/frame.h"

using namespace tcplab;

namespace {

Bytes frameNamed(const QString &name)
{
    for (const auto &f : golden::all())
        if (name == f.name) return *f.bytes;
    qFatal("no golden frame %s", qPrintable(name));
    return {};
}

Bytes ipOf(const Bytes &frame) { return Bytes(frame.begin() + 14, frame.end()); }

const DecodedField *rowNamed(const std::vector<DecodedField> &rows, std::string_view name)
{
    for (const DecodedField &r : rows)
        if (r.name == name) return &r;
    return nullptr;
}

}  // namespace

class TestWireFields : public QObject {
    Q_OBJECT
private slots:
    void registryHasWiresharkNames()
    {
        std::set<std::string_view> names;
        for (const FieldDescriptor &f : fieldRegistry()) {
            QVERIFY2(names.insert(f.name).second, std::string(f.name).c_str());
            QVERIFY(!f.label.empty());
            QVERIFY(f.bitOffset < 8);
            QVERIFY(f.scale >= 1);
            if (f.isInteger()) QVERIFY(f.byteLength() <= 8);
            QCOMPARE(findField(f.name), &f);
        }
        for (const char *n : {"eth.src", "eth.dst", "ip.ttl", "ip.dsfield", "ip.flags.df", "ip.id", "ipv6.hlim",
                              "tcp.srcport", "tcp.seq", "tcp.ack", "tcp.flags.syn", "tcp.window_size_value",
                              "tcp.urgent_pointer", "tcp.hdr_len", "tcp.checksum", "tcp.options.mss_val",
                              "udp.length", "icmp.type", "icmpv6.type", "arp.opcode"})
            QVERIFY2(findField(n), n);
        QVERIFY(!findField("ip.nonsense"));
    }

    void formatsValuesAsWiresharkShowsThem()
    {
        const auto fmt = [](const char *name, std::uint64_t v) { return formatFieldValue(*findField(name), v); };
        QCOMPARE(fmt("eth.type", 0x86dd), std::string("IPv6 (0x86dd)"));
        QCOMPARE(fmt("eth.type", 0x8100), std::string("802.1Q Virtual LAN (0x8100)"));
        QCOMPARE(fmt("eth.type", 0x88cc), std::string("0x88cc"));
        QCOMPARE(fmt("eth.src", 0x020000000001), std::string("02:00:00:00:00:01"));
        QCOMPARE(fmt("ip.src", 0xc6120001), std::string("198.18.0.1"));
        QCOMPARE(fmt("ip.proto", 17), std::string("UDP (17)"));
        QCOMPARE(fmt("ip.proto", 200), std::string("200"));
        QCOMPARE(fmt("ip.checksum", 0xb861), std::string("0xb861"));
        QCOMPARE(fmt("arp.opcode", 2), std::string("reply (2)"));
        QCOMPARE(fmt("arp.opcode", 7), std::string("7"));
        QCOMPARE(fmt("tcp.flags", 0x012), std::string("0x012 (SYN, ACK)"));
        QCOMPARE(fmt("icmp.type", 11), std::string("Time-to-live exceeded (11)"));
        QCOMPARE(fmt("icmp.type", 12), std::string("Parameter problem (12)"));
        QCOMPARE(fmt("icmp.type", 42), std::string("42"));
        QCOMPARE(fmt("icmpv6.type", 2), std::string("Packet Too Big (2)"));
        QCOMPARE(fmt("icmpv6.type", 3), std::string("Time Exceeded (3)"));
        QCOMPARE(fmt("icmpv6.type", 4), std::string("Parameter Problem (4)"));
        QCOMPARE(fmt("icmpv6.type", 133), std::string("Router Solicitation (133)"));
        QCOMPARE(fmt("icmpv6.type", 134), std::string("Router Advertisement (134)"));
        QCOMPARE(fmt("icmpv6.type", 99), std::string("99"));
        QCOMPARE(fmt("ip.flags.df", 1), std::string("Set"));
    }

    void readFieldFromGoldenFrames_data()
    {
        QTest::addColumn<QString>("frame");
        QTest::addColumn<QString>("field");
        QTest::addColumn<qulonglong>("value");
        auto row = [](const char *frame, const char *field, qulonglong value) {
            QTest::addRow("%s %s", frame, field) << QString(frame) << QString(field) << value;
        };
        // Values are the ones given to scapy in make_golden_frames.py.
        row("ipv4_tcp_syn", "eth.type", 0x0800);
        row("ipv4_tcp_syn", "eth.src", 0x020000000001);
        row("ipv4_tcp_syn", "ip.version", 4);
        row("ipv4_tcp_syn", "ip.hdr_len", 20);
        row("ipv4_tcp_syn", "ip.dsfield", 0);
        row("ipv4_tcp_syn", "ip.len", 60);
        row("ipv4_tcp_syn", "ip.id", 1);
        row("ipv4_tcp_syn", "ip.flags.df", 1);
        row("ipv4_tcp_syn", "ip.flags.mf", 0);
        row("ipv4_tcp_syn", "ip.ttl", 64);
        row("ipv4_tcp_syn", "ip.proto", 6);
        row("ipv4_tcp_syn", "ip.src", 0xc6120001);
        row("ipv4_tcp_syn", "tcp.srcport", 40000);
        row("ipv4_tcp_syn", "tcp.dstport", 80);
        row("ipv4_tcp_syn", "tcp.seq", 1000);
        row("ipv4_tcp_syn", "tcp.ack", 0);
        row("ipv4_tcp_syn", "tcp.hdr_len", 40);
        row("ipv4_tcp_syn", "tcp.flags", 0x002);
        row("ipv4_tcp_syn", "tcp.flags.syn", 1);
        row("ipv4_tcp_syn", "tcp.flags.ack", 0);
        row("ipv4_tcp_syn", "tcp.window_size_value", 64240);
        row("ipv4_tcp_syn", "tcp.urgent_pointer", 0);
        row("ipv4_tcp_syn", "tcp.options.mss_val", 1460);
        row("ipv4_tcp_syn", "tcp.options.wscale.shift", 7);
        row("ipv4_tcp_syn", "tcp.options.timestamp.tsval", 123456);
        row("ipv4_tcp_syn", "tcp.options.timestamp.tsecr", 0);
        row("ipv4_tcp_synack", "tcp.flags", 0x012);
        row("ipv4_tcp_synack", "tcp.ack", 1001);
        row("ipv4_tcp_data", "tcp.flags.push", 1);
        row("ipv6_tcp_syn", "ipv6.version", 6);
        row("ipv6_tcp_syn", "ipv6.hlim", 64);
        row("ipv6_tcp_syn", "ipv6.nxt", 6);
        row("ipv6_tcp_syn", "ipv6.plen", 40);
        row("ipv6_tcp_syn", "tcp.dstport", 443);
        row("ipv6_routing_tcp", "tcp.seq", 3000);  // behind an extension header
        row("ipv4_udp", "udp.length", 17);
        row("ipv4_udp", "udp.dstport", 7);
        row("ipv4_options_udp", "ip.hdr_len", 24);
        row("ipv4_options_udp", "udp.srcport", 1000);  // behind IPv4 options
        row("ipv4_icmp_echo_request", "icmp.type", 8);
        row("ipv4_icmp_echo_request", "icmp.ident", 0x1234);
        row("ipv4_icmp_echo_request", "icmp.seq", 1);
        row("ipv4_icmp_port_unreachable", "icmp.code", 3);
        row("ipv6_icmp_echo_request", "icmpv6.type", 128);
        row("ipv6_icmp_echo_request", "icmpv6.echo.identifier", 0x4321);
        row("ipv6_na", "icmpv6.nd.na.flag.r", 0);
        row("ipv6_na", "icmpv6.nd.na.flag.s", 1);
        row("ipv6_na", "icmpv6.nd.na.flag.o", 1);
        row("arp_request", "arp.opcode", 1);
        row("arp_request", "arp.dst.proto_ipv4", 0xc6120002);
    }

    void readFieldFromGoldenFrames()
    {
        QFETCH(QString, frame);
        QFETCH(QString, field);
        QFETCH(qulonglong, value);
        const Bytes f = frameNamed(frame);
        const std::string name = field.toStdString();
        const auto got = readField(f, name);
        QVERIFY(got.has_value());
        QCOMPARE(qulonglong(*got), value);
        if (name.rfind("eth.", 0) != 0 && name.rfind("arp.", 0) != 0) {
            const auto bare = readField(ipOf(f), name, Framing::Ip);  // the same on a bare IP packet
            QVERIFY(bare.has_value());
            QCOMPARE(qulonglong(*bare), value);
        }
    }

    void absentFieldsReadAsNothing()
    {
        QVERIFY(!readField(golden::ipv4_udp, "tcp.seq"));
        QVERIFY(!readField(golden::ipv4_udp, "ipv6.hlim"));
        QVERIFY(!readField(golden::ipv6_udp, "ip.ttl"));
        QVERIFY(!readField(golden::ipv4_tcp_data, "tcp.options.mss_val"));
        QVERIFY(!readField(golden::ipv4_icmp_port_unreachable, "icmp.ident"));
        QVERIFY(!readField(golden::ipv6_ns, "icmpv6.nd.na.flag.s"));
        QVERIFY(!readField(golden::ipv6_tcp_syn, "ipv6.src"));  // 128 bits: not an integer
        QCOMPARE(*readField(golden::ipv4_fragment, "udp.srcport"), std::uint64_t(1000));  // first fragment
        QVERIFY(!readField(ipOf(golden::ipv4_udp), "eth.src", Framing::Ip));
        QVERIFY(!readField(golden::arp_request, "ip.ttl"));
        QVERIFY(!readField(Bytes{}, "ip.ttl", Framing::Ip));
        QVERIFY(!readField(Bytes{0x45}, "ip.ttl", Framing::Ip));
        const auto loc = locateField(golden::ipv4_udp, "tcp.seq");
        QVERIFY(!loc.ok());
        QVERIFY(loc.error().message.find("tcp.seq") != std::string::npos);
    }

    void writeThenRecomputeGivesAValidPacket()
    {
        Bytes ip = ipOf(golden::ipv4_tcp_syn);
        QVERIFY(writeField(ip, "ip.ttl", 1, Framing::Ip).ok());
        QVERIFY(writeField(ip, "tcp.flags.fin", 1, Framing::Ip).ok());
        QVERIFY(writeField(ip, "tcp.options.mss_val", 536, Framing::Ip).ok());
        QVERIFY(writeField(ip, "ip.flags.mf", 0, Framing::Ip).ok());
        QCOMPARE(int(parseIpPacket(ip).drop), int(DropReason::Ipv4BadChecksum));
        QVERIFY(recomputeChecksums(ip).ok());
        const ParsedFrame p = parseIpPacket(ip);
        QVERIFY(p.ok());
        QCOMPARE(p.ipv4->ttl(), std::uint8_t(1));
        QVERIFY(p.tcp->flags().fin() && p.tcp->flags().syn());
        QCOMPARE(*p.tcp->options()->mss, std::uint16_t(536));
        QVERIFY(p.ipv4->dontFragment());  // the neighbouring bit kept its value
        QCOMPARE(*readField(ip, "tcp.flags", Framing::Ip), std::uint64_t(0x003));

        Bytes f = golden::ipv6_tcp_syn;
        QVERIFY(writeField(f, "ipv6.hlim", 3).ok());
        QVERIFY(writeField(f, "tcp.hdr_len", 20).ok());  // a lying data offset, as a rule might want
        QCOMPARE(*readField(f, "ipv6.hlim"), std::uint64_t(3));
        QCOMPARE(*readField(f, "tcp.hdr_len"), std::uint64_t(20));
    }

    void writeFieldRefusesWithAReason()
    {
        Bytes f = golden::ipv4_tcp_syn;
        const Bytes before = f;
        QVERIFY(!writeField(f, "ip.nonsense", 1).ok());
        QVERIFY(!writeField(f, "ip.ttl", 256).ok());
        QVERIFY(!writeField(f, "tcp.hdr_len", 22).ok());
        QVERIFY(!writeField(f, "tcp.hdr_len", 64).ok());
        QVERIFY(!writeField(f, "ip.src", 1ULL << 32).ok());
        QVERIFY(!writeField(f, "udp.length", 8).ok());
        QVERIFY(!writeField(f, "ipv6.src", 0).ok());
        const Status s = writeField(f, "ip.ttl", 300);
        QVERIFY(s.error().message.find("ip.ttl") != std::string::npos);
        QCOMPARE(f, before);
    }

    void recomputeFixesLengthsAndChecksums_data()
    {
        QTest::addColumn<QString>("frame");
        QTest::addColumn<int>("delta");  // bytes removed (<0) or added (>0) at the end of the packet
        QTest::newRow("tcp shorter") << "ipv4_tcp_data" << -4;
        QTest::newRow("tcp longer") << "ipv4_tcp_data" << 7;
        QTest::newRow("tcp v6 longer") << "ipv6_tcp_syn" << 5;
        QTest::newRow("udp v4 longer") << "ipv4_udp" << 3;
        QTest::newRow("udp v6 shorter") << "ipv6_udp" << -2;
        QTest::newRow("udp behind ext headers") << "ipv6_hbh_dstopts_udp" << 9;
        QTest::newRow("icmp") << "ipv4_icmp_echo_request" << 1;
        QTest::newRow("icmpv6") << "ipv6_icmp_echo_reply" << -3;
        QTest::newRow("ipv4 options") << "ipv4_options_udp" << 2;
    }

    void recomputeFixesLengthsAndChecksums()
    {
        QFETCH(QString, frame);
        QFETCH(int, delta);
        Bytes ip = ipOf(frameNamed(frame));
        ip.resize(std::size_t(int(ip.size()) + delta), 0x61);
        // Shorter: the length fields lie. Longer: the extra bytes look like link padding.
        if (delta < 0) QVERIFY(!parseIpPacket(ip).ok());
        QVERIFY(recomputeChecksums(ip).ok());
        const ParsedFrame p = parseIpPacket(ip);
        QCOMPARE(dropReasonName(p.drop), std::string_view("none"));
        QCOMPARE(p.l3Length, std::uint32_t(ip.size()));
    }

    void recomputeLeavesFragmentsTransportAlone()
    {
        Bytes ip = ipOf(golden::ipv4_fragment);
        const std::uint16_t udpChecksum = loadBe16(ip.data() + 26);
        ip.push_back(1);
        QVERIFY(recomputeChecksums(ip).ok());
        QCOMPARE(loadBe16(ip.data() + 26), udpChecksum);
        QCOMPARE(int(parseIpPacket(ip).drop), int(DropReason::Ipv4Fragment));
        Bytes junk{0x12, 0x34};
        QVERIFY(!recomputeChecksums(junk).ok());
        Bytes badIhl = ipOf(golden::ipv4_udp);
        badIhl[0] = 0x4f;
        QVERIFY(!recomputeChecksums(badIhl).ok());
    }

    void decodedTreeHasRangesValuesAndText()
    {
        const Bytes &f = golden::ipv4_tcp_syn;
        const auto rows = decodeFrame(f);
        QCOMPARE(rows.front().name, std::string_view("eth"));
        QCOMPARE(rows.front().text, std::string("Ethernet II, Src: 02:00:00:00:00:01, Dst: 02:00:00:00:00:02"));
        for (std::size_t i = 0; i < rows.size(); ++i) {
            const DecodedField &r = rows[i];
            QVERIFY(r.offset + r.length <= f.size());
            QVERIFY(r.parent < int(i));
            QCOMPARE(int(r.depth), r.parent < 0 ? 0 : rows[std::size_t(r.parent)].depth + 1);
            QVERIFY(!r.text.empty());
        }
        const DecodedField *tcp = rowNamed(rows, "tcp");
        QVERIFY(tcp);
        QCOMPARE(tcp->text,
                 std::string("Transmission Control Protocol, Src Port: 40000, Dst Port: 80, Seq: 1000, Ack: 0, Len: 0"));
        QCOMPARE(tcp->offset, std::size_t(34));
        QCOMPARE(tcp->length, std::size_t(40));
        const DecodedField *mss = rowNamed(rows, "tcp.options.mss_val");
        QVERIFY(mss);
        QCOMPARE(*mss->value, std::uint64_t(1460));
        QCOMPARE(mss->offset, std::size_t(14 + 20 + 20 + 2));
        QCOMPARE(mss->length, std::size_t(2));
        QCOMPARE(mss->text, std::string("MSS Value: 1460"));
        const DecodedField *df = rowNamed(rows, "ip.flags.df");
        QCOMPARE(rows[std::size_t(df->parent)].name, std::string_view("ip.flags"));
        QCOMPARE(df->offset, std::size_t(20));
        QCOMPARE(int(df->bitOffset), 1);
        QCOMPARE(int(df->bitWidth), 1);
        QCOMPARE(df->text, std::string("Don't fragment: Set"));
        QVERIFY(rowNamed(rows, "ip.checksum")->text.find("[correct]") != std::string::npos);
        QVERIFY(rowNamed(rows, "tcp.checksum")->text.find("[correct]") != std::string::npos);
        QCOMPARE(rowNamed(rows, "ip.proto")->text, std::string("Protocol: TCP (6)"));
        QCOMPARE(rowNamed(rows, "ip.hdr_len")->text, std::string("Header Length: 20 bytes (5)"));
        QCOMPARE(rowNamed(rows, "tcp.flags")->text, std::string("Flags: 0x002 (SYN)"));
        QCOMPARE(rowNamed(rows, "eth.type")->text, std::string("Type: IPv4 (0x0800)"));
        QVERIFY(!rowNamed(rows, "_ws.malformed"));
        QVERIFY(!rowNamed(rows, "data"));
    }

    void decodedTreeCoversEveryGoldenFrame()
    {
        for (const auto &g : golden::all()) {
            const auto rows = decodeFrame(*g.bytes);
            QVERIFY2(!rowNamed(rows, "_ws.malformed"), g.name);
            for (const DecodedField &r : rows) {
                QVERIFY(r.offset + r.length <= g.bytes->size());
                QVERIFY2(r.text.find("[incorrect") == std::string::npos, g.name);
            }
        }
        const auto padded = decodeFrame(golden::ipv4_tcp_ack_padded);
        QCOMPARE(rowNamed(padded, "eth.padding")->length, std::size_t(6));
        const auto ns = decodeFrame(golden::ipv6_ns);
        QCOMPARE(*rowNamed(ns, "icmpv6.opt.linkaddr")->value, std::uint64_t(0x020000000001));
        QVERIFY(rowNamed(ns, "icmpv6.nd.ns.target_address")->text.find("2001:db8::2") != std::string::npos);
        const auto sack = decodeFrame(golden::ipv4_tcp_sack);
        QCOMPARE(*rowNamed(sack, "tcp.options.sack_le")->value, std::uint64_t(6001));
        const auto ext = decodeFrame(golden::ipv6_hbh_dstopts_udp);
        QVERIFY(rowNamed(ext, "ipv6.hopopts") && rowNamed(ext, "ipv6.dstopts") && rowNamed(ext, "udp"));
        const auto frag = decodeFrame(golden::ipv6_fragment_first);
        QVERIFY(rowNamed(frag, "ipv6.fragment.id"));
        QVERIFY(rowNamed(frag, "data")->text.find("Fragment data") != std::string::npos);
        const auto opts = decodeFrame(golden::ipv4_options_udp);
        QCOMPARE(*rowNamed(opts, "ip.opt.type")->value, std::uint64_t(0x94));
        const auto bare = decodeIpPacket(ipOf(golden::ipv6_udp));
        QCOMPARE(bare.front().name, std::string_view("ipv6"));
        QCOMPARE(bare.front().offset, std::size_t(0));
        QCOMPARE(rowNamed(bare, "data")->length, std::size_t(10));
    }

    void decodedTreeMarksMalformedTcpOptions()
    {
        Bytes f = golden::ipv4_tcp_syn;
        f[14 + 20 + 20 + 1] = 0;  // MSS option length 0
        const auto rows = decodeFrame(f);
        QVERIFY(rowNamed(rows, "_ws.malformed"));
        QVERIFY(rowNamed(rows, "tcp.flags.syn"));
    }
};

QTEST_APPLESS_MAIN(TestWireFields)
#include "test_wire_fields.moc"

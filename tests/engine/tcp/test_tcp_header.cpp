// The TCP header view, value type and builder: golden frames made by an independent tool (scapy),
// option edge cases, flag text, checksums over both pseudo-headers.
#include <QtTest>

#include "wire/tcp.h"

using namespace tcplab;

namespace {

// scapy: IP(src="198.18.0.1", dst="198.18.0.2")/TCP(sport=40000, dport=80, seq=0x11223344,
// flags="S", window=64240, options=[MSS 1460, SAckOK, Timestamp (12345,0), NOP, WScale 7])
const Bytes kSynV4{0x9c, 0x40, 0x00, 0x50, 0x11, 0x22, 0x33, 0x44, 0x00, 0x00, 0x00, 0x00, 0xa0, 0x02,
                   0xfa, 0xf0, 0xaf, 0xb7, 0x00, 0x00, 0x02, 0x04, 0x05, 0xb4, 0x04, 0x02, 0x08, 0x0a,
                   0x00, 0x00, 0x30, 0x39, 0x00, 0x00, 0x00, 0x00, 0x01, 0x03, 0x03, 0x07};
// scapy: IPv6(src="2001:db8::1", dst="2001:db8::2")/TCP(sport=80, dport=40000, seq=1,
// ack=0x11223345, flags="PA", window=501)/b"hello"
const Bytes kDataV6{0x00, 0x50, 0x9c, 0x40, 0x00, 0x00, 0x00, 0x01, 0x11, 0x22, 0x33, 0x45, 0x50,
                    0x18, 0x01, 0xf5, 0x2d, 0x93, 0x00, 0x00, 0x68, 0x65, 0x6c, 0x6c, 0x6f};

IpAddr ip(const char *text) { return *IpAddr::parse(text); }

}  // namespace

class TestTcpHeader : public QObject {
    Q_OBJECT
private slots:
    void parsesGoldenSyn()
    {
        auto view = TcpView::parse(kSynV4);
        QVERIFY(view.ok());
        QCOMPARE(view->sourcePort(), std::uint16_t(40000));
        QCOMPARE(view->destinationPort(), std::uint16_t(80));
        QCOMPARE(view->seq().raw(), 0x11223344u);
        QCOMPARE(view->headerLength(), std::size_t(40));
        QCOMPARE(view->flags().toString(), std::string("SYN"));
        QCOMPARE(view->window(), std::uint16_t(64240));
        QCOMPARE(view->segmentLength(), 1u);
        QVERIFY(view->sanityIssue().empty());
        auto o = view->options();
        QVERIFY(o.ok());
        QCOMPARE(*o->mss, std::uint16_t(1460));
        QCOMPARE(*o->windowScale, std::uint8_t(7));
        QVERIFY(o->sackPermitted);
        QCOMPARE(o->timestamps->value, 12345u);
        QCOMPARE(o->timestamps->echo, 0u);
        QCOMPARE(o->nopCount, std::uint8_t(1));
        QVERIFY(verifyTcpChecksum(kSynV4, ip("198.18.0.1"), ip("198.18.0.2")));
        QVERIFY(!verifyTcpChecksum(kSynV4, ip("198.18.0.1"), ip("198.18.0.3")));
    }

    void rebuildsGoldenSynByteForByte()
    {
        auto h = TcpHeader::from(TcpView::unchecked(kSynV4));
        QVERIFY(h.ok());
        QCOMPARE(serializeTcp(*h, {}, ip("198.18.0.1"), ip("198.18.0.2")), kSynV4);
    }

    void ipv6ChecksumAndPayload()
    {
        auto view = TcpView::parse(kDataV6);
        QVERIFY(view.ok());
        QCOMPARE(view->flags().toString(), std::string("PSH, ACK"));
        QCOMPARE(view->payload().size(), std::size_t(5));
        QVERIFY(verifyTcpChecksum(kDataV6, ip("2001:db8::1"), ip("2001:db8::2")));
        auto h = TcpHeader::from(*view);
        QCOMPARE(serializeTcp(*h, view->payload(), ip("2001:db8::1"), ip("2001:db8::2")), kDataV6);
        QCOMPARE(computeTcpChecksum(kDataV6, ip("2001:db8::1"), ip("2001:db8::2")), std::uint16_t(0x2d93));
    }

    void rejectsBadOffsets()
    {
        Bytes b = kSynV4;
        QVERIFY(!TcpView::parse(ByteView(b).first(19)).ok());
        b[12] = 0x40;  // offset 4
        QVERIFY(!TcpView::parse(b).ok());
        b[12] = 0xf0;  // 60 bytes > 40 received
        auto r = TcpView::parse(b);
        QVERIFY(!r.ok());
        QVERIFY(r.error().message.find("past") != std::string::npos);
    }

    void optionWalkNeverReadsPast()
    {
        const Bytes zeroLen{0x02, 0x00, 0x00, 0x00};
        QVERIFY(!parseTcpOptions(zeroLen).ok());
        const Bytes runsPast{0x01, 0x01, 0x08, 0x0a, 0, 0, 0, 0};
        QVERIFY(!parseTcpOptions(runsPast).ok());
        const Bytes noLength{0x01, 0x01, 0x01, 0x03};
        QVERIFY(!parseTcpOptions(noLength).ok());
        const Bytes wrongMss{0x02, 0x03, 0x05, 0x01};
        QVERIFY(!parseTcpOptions(wrongMss).ok());
        const Bytes sackBad{0x05, 0x06, 0, 0, 0, 0};
        QVERIFY(!parseTcpOptions(sackBad).ok());
        // EOL ends the list: whatever follows is padding, even garbage.
        const Bytes eol{0x00, 0x02, 0x00, 0x00};
        auto o = parseTcpOptions(eol);
        QVERIFY(o.ok());
        QVERIFY(o->sawEol);
        QVERIFY(o->empty());
    }

    void unknownOptionsKeptInOrder()
    {
        const Bytes raw{0xfd, 0x04, 0xaa, 0xbb, 0x1e, 0x02, 0x00, 0x00};
        auto o = parseTcpOptions(raw);
        QVERIFY(o.ok());
        QCOMPARE(o->unknown.size(), std::size_t(2));
        QCOMPARE(o->unknown[0].kind, std::uint8_t(0xfd));
        QCOMPARE(o->unknown[0].data, (Bytes{0xaa, 0xbb}));
        QCOMPARE(o->unknown[1].kind, std::uint8_t(0x1e));
        Bytes out;
        QCOMPARE(serializeOptions(out, *o), std::size_t(8));
        QCOMPARE(out, raw);
    }

    void sackBlocksTrimmedToFit()
    {
        TcpOptions o;
        o.timestamps = TcpTimestamps{1, 2};
        for (std::uint32_t i = 0; i < 4; ++i) o.addSack({SeqNum(i * 100), SeqNum(i * 100 + 50)});
        Bytes out;
        const std::size_t n = serializeOptions(out, o);
        QVERIFY(n <= tcpopt::kMaxSpace);
        QCOMPARE(n, o.encodedLength());
        auto back = parseTcpOptions(out);
        QVERIFY(back.ok());
        QCOMPARE(back->sackCount, std::uint8_t(3));  // 12 (TS) + 4 + 3*8 = 40
        QCOMPARE(back->sackBlocks[2].right.raw(), 250u);
        QCOMPARE(back->timestamps->echo, 2u);
    }

    void flagText()
    {
        QCOMPARE(TcpFlags(TcpFlags::kSyn | TcpFlags::kAck).toString(), std::string("SYN, ACK"));
        QCOMPARE(TcpFlags(TcpFlags::kFin | TcpFlags::kPsh | TcpFlags::kAck).toString(), std::string("FIN, PSH, ACK"));
        QCOMPARE(TcpFlags().toString(), std::string("<None>"));
        QCOMPARE(TcpFlags::parse("SYN, ACK")->bits, std::uint8_t(0x12));
        QCOMPARE(TcpFlags::parse("rst|ack")->bits, std::uint8_t(0x14));
        QCOMPARE(TcpFlags::parse("S.")->bits, std::uint8_t(0x12));
        QCOMPARE(TcpFlags::parse("FP.")->bits, std::uint8_t(0x19));
        QCOMPARE(TcpFlags::parse("ack")->bits, std::uint8_t(0x10));
        QCOMPARE(TcpFlags::parse("0x02")->bits, std::uint8_t(0x02));
        QVERIFY(!TcpFlags::parse("SYN, BOGUS"));
        QVERIFY(!TcpFlags::parse(""));
    }

    void sanityIssues()
    {
        Bytes b = kSynV4;
        b[13] = TcpFlags::kSyn | TcpFlags::kFin;
        QVERIFY(!TcpView::unchecked(b).sanityIssue().empty());
        b[13] = TcpFlags::kSyn;
        b[0] = b[1] = 0;
        QVERIFY(!TcpView::unchecked(b).sanityIssue().empty());
    }

    void dataOffsetOverrideLies()
    {
        TcpHeader h;
        h.sourcePort = 1;
        h.destinationPort = 2;
        h.dataOffsetOverride = 15;
        const Bytes out = serializeTcp(h, {}, ip("198.18.0.1"), ip("198.18.0.2"));
        QCOMPARE(out.size(), std::size_t(20));
        QVERIFY(!TcpView::parse(out).ok());
        QVERIFY(verifyTcpChecksum(out, ip("198.18.0.1"), ip("198.18.0.2")));
    }
};

QTEST_GUILESS_MAIN(TestTcpHeader)
#include "test_tcp_header.moc"

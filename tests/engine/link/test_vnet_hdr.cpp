// The virtio-net header of an IFF_VNET_HDR tap: field layout, completing a partial checksum the
// kernel left (NEEDS_CSUM), and planning a TCP segment for the kernel to cut (GSO_TCPV4/TCPV6).
#include <QtTest>

#include "core/checksum.h"
#include "link/vnet_hdr.h"
#include "wire/address_bytes.h"
#include "wire/ethernet.h"
#include "wire/ipv4.h"
#include "wire/ipv6.h"
#include "wire/pseudo_header.h"
#include "wire/tcp.h"

using namespace tcplab;

namespace {

const MacAddr kA{{0x02, 0, 0, 0, 0, 1}}, kB{{0x02, 0, 0, 0, 0, 2}};

// An Ethernet frame with one TCP segment of `payload` bytes (timestamps option: 32-byte header).
Bytes tcpFrame(bool v6, std::size_t payload)
{
    const IpAddr src = v6 ? IpAddr(*Ip6Addr::parse("2001:db8::1")) : IpAddr(*Ip4Addr::parse("198.18.0.1"));
    const IpAddr dst = v6 ? IpAddr(*Ip6Addr::parse("2001:db8::2")) : IpAddr(*Ip4Addr::parse("198.18.0.2"));
    TcpHeader h;
    h.sourcePort = 5001;
    h.destinationPort = 40000;
    h.seq = SeqNum(1000);
    h.ack = SeqNum(2000);
    h.flags = TcpFlags(TcpFlags::kAck | TcpFlags::kPsh);
    h.window = 1000;
    h.options.timestamps = TcpTimestamps{1, 2};
    Bytes data(payload);
    for (std::size_t i = 0; i < payload; ++i)
        data[i] = static_cast<std::uint8_t>(i * 13 + 5);
    const Bytes tcp = serializeTcp(h, data, src, dst);
    Bytes ip;
    if (v6) {
        Ipv6Header ih;
        ih.nextHeader = 6;
        ih.hopLimit = 64;
        ih.source = src.v6();
        ih.destination = dst.v6();
        ip = buildIpv6(ih, tcp);
    } else {
        Ipv4Header ih;
        ih.protocol = 6;
        ih.ttl = 64;
        ih.source = src.v4();
        ih.destination = dst.v4();
        ip = buildIpv4(ih, tcp);
    }
    return buildEthernet(EthernetHeader{kB, kA, v6 ? std::uint16_t(0x86dd) : std::uint16_t(0x0800)}, ip,
                         false);
}

bool tcpChecksumOk(const Bytes &frame, bool v6)
{
    const std::size_t ipLen = v6 ? 40 : 20;
    const IpAddr src = v6 ? IpAddr(loadIp6(&frame[14 + 8])) : IpAddr(Ip4Addr{loadBe32(&frame[14 + 12])});
    const IpAddr dst = v6 ? IpAddr(loadIp6(&frame[14 + 24])) : IpAddr(Ip4Addr{loadBe32(&frame[14 + 16])});
    return verifyTcpChecksum(ByteView(frame).subspan(14 + ipLen), src, dst);
}

}  // namespace

class TestVnetHdr : public QObject {
    Q_OBJECT
private slots:
    void headerRoundTripsLittleEndian()
    {
        vnet::Header h;
        h.flags = vnet::kNeedsCsum;
        h.gsoType = vnet::kGsoTcpV6;
        h.hdrLen = 0x0102;
        h.gsoSize = 1428;
        h.csumStart = 54;
        h.csumOffset = 16;
        std::uint8_t b[vnet::kHeaderV1];
        std::memset(b, 0xee, sizeof b);
        vnet::store(h, b, sizeof b);
        // struct virtio_net_hdr: flags, gso_type, then le16 hdr_len, gso_size, csum_start,
        // csum_offset; num_buffers (the 12-byte form) is zero from the driver's side.
        const std::uint8_t expected[12] = {1, 4, 0x02, 0x01, 0x94, 0x05, 54, 0, 16, 0, 0, 0};
        QCOMPARE(QByteArray(reinterpret_cast<char *>(b), 12),
                 QByteArray(reinterpret_cast<const char *>(expected), 12));
        const vnet::Header back = vnet::parse(ByteView(b, 12));
        QCOMPARE(back.gsoSize, std::uint16_t(1428));
        QCOMPARE(back.csumStart, std::uint16_t(54));
        QVERIFY(back.isGso());
        // The 10-byte form stops before num_buffers.
        std::uint8_t legacy[12];
        std::memset(legacy, 0xee, sizeof legacy);
        vnet::store(h, legacy, vnet::kHeaderLegacy);
        QCOMPARE(legacy[10], std::uint8_t(0xee));
        vnet::Header ecnOnly;
        ecnOnly.gsoType = vnet::kGsoEcn;
        QVERIFY(!ecnOnly.isGso());
    }

    // What the kernel hands over with checksum offload: the field holds the pseudo-header sum only.
    void partialChecksumIsCompleted_data()
    {
        QTest::addColumn<bool>("v6");
        QTest::addColumn<int>("payload");
        QTest::newRow("ipv4 small") << false << 100;
        QTest::newRow("ipv4 odd length") << false << 1447;
        QTest::newRow("ipv4 64 KB GSO") << false << 65000;
        QTest::newRow("ipv6 64 KB GSO") << true << 65000;
    }
    void partialChecksumIsCompleted()
    {
        QFETCH(bool, v6);
        QFETCH(int, payload);
        Bytes frame = tcpFrame(v6, std::size_t(payload));
        QVERIFY(tcpChecksumOk(frame, v6));
        const Bytes good = frame;
        // Make it what the kernel would send: the planned partial sum in the field.
        auto plan = vnet::planTcpGso(frame, 1);
        QVERIFY2(plan.ok(), plan.ok() ? "" : plan.error().message.c_str());
        const std::size_t field = std::size_t(plan->header.csumStart) + plan->header.csumOffset;
        storeBe16(&frame[field], plan->partialChecksum);
        QVERIFY(!tcpChecksumOk(frame, v6));
        vnet::Header h;
        h.flags = vnet::kNeedsCsum;
        h.csumStart = plan->header.csumStart;
        h.csumOffset = 16;
        QVERIFY(vnet::completeChecksum(h, MutableByteView(frame)).ok());
        QVERIFY(tcpChecksumOk(frame, v6));
        QCOMPARE(frame, good);
    }

    void checksumOutsideTheFrameIsRefusedAndNamed()
    {
        Bytes frame = tcpFrame(false, 10);
        const Bytes before = frame;
        vnet::Header h;
        h.flags = vnet::kNeedsCsum;
        h.csumStart = static_cast<std::uint16_t>(frame.size() - 1);
        h.csumOffset = 16;
        auto s = vnet::completeChecksum(h, MutableByteView(frame));
        QVERIFY(!s.ok());
        QVERIFY2(s.error().message.find("beyond the " + std::to_string(frame.size()) + "-byte frame") !=
                     std::string::npos,
                 s.error().message.c_str());
        QCOMPARE(frame, before);
    }

    void gsoPlanForATcpSuperSegment_data()
    {
        QTest::addColumn<bool>("v6");
        QTest::newRow("ipv4") << false;
        QTest::newRow("ipv6") << true;
    }
    void gsoPlanForATcpSuperSegment()
    {
        QFETCH(bool, v6);
        const std::uint16_t mss = 1448;
        const Bytes frame = tcpFrame(v6, 44 * mss);
        auto plan = vnet::planTcpGso(frame, mss);
        QVERIFY2(plan.ok(), plan.ok() ? "" : plan.error().message.c_str());
        const std::size_t ipLen = v6 ? 40 : 20;
        QCOMPARE(plan->header.gsoType, v6 ? vnet::kGsoTcpV6 : vnet::kGsoTcpV4);
        QCOMPARE(plan->header.flags, vnet::kNeedsCsum);
        QCOMPARE(plan->header.gsoSize, mss);
        QCOMPARE(plan->header.csumStart, std::uint16_t(14 + ipLen));
        QCOMPARE(plan->header.csumOffset, std::uint16_t(16));
        QCOMPARE(plan->header.hdrLen, std::uint16_t(14 + ipLen + 32));
        // The partial sum is the pseudo-header's (RFC 9293 section 3.1), folded, not complemented:
        // adding the segment to it and complementing gives the real checksum.
        ChecksumAccumulator pseudo;
        const IpAddr src =
            v6 ? IpAddr(*Ip6Addr::parse("2001:db8::1")) : IpAddr(*Ip4Addr::parse("198.18.0.1"));
        const IpAddr dst =
            v6 ? IpAddr(*Ip6Addr::parse("2001:db8::2")) : IpAddr(*Ip4Addr::parse("198.18.0.2"));
        addPseudoHeader(pseudo, src, dst, 6, static_cast<std::uint32_t>(frame.size() - 14 - ipLen));
        QCOMPARE(plan->partialChecksum, std::uint16_t(~pseudo.finish()));
    }

    void gsoPlanRefusesWhatTheKernelCouldNotCut()
    {
        QVERIFY(!vnet::planTcpGso(tcpFrame(false, 1448), 1448).ok()); // fits in one MSS
        QVERIFY(!vnet::planTcpGso(tcpFrame(false, 5000), 0).ok());    // no segment size
        Bytes arp(60, 0);
        arp[12] = 0x08;
        arp[13] = 0x06;
        QVERIFY(!vnet::planTcpGso(arp, 1448).ok());
        Bytes udp = tcpFrame(false, 5000);
        udp[14 + 9] = 17;
        QVERIFY(!vnet::planTcpGso(udp, 1448).ok());
        Bytes fragment = tcpFrame(false, 5000);
        fragment[14 + 6] = 0x20; // more fragments
        QVERIFY(!vnet::planTcpGso(fragment, 1448).ok());
        Bytes truncated = tcpFrame(false, 5000);
        truncated.resize(truncated.size() - 100); // the IP length says more than the frame holds
        QVERIFY(!vnet::planTcpGso(truncated, 1448).ok());
    }
};

QTEST_GUILESS_MAIN(TestVnetHdr)
#include "test_vnet_hdr.moc"

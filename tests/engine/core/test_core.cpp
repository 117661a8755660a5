// Core building blocks: checksum vectors, sequence-number wraparound, addresses, the seeded RNG.
#include <QtTest>

#include "core/checksum.h"
#include "core/rng.h"
#include "wire/addresses.h"
#include "wire/seq.h"

using namespace tcplab;

class TestCore : public QObject {
    Q_OBJECT
private slots:
    void checksumMatchesRfc1071Example()
    {
        // RFC 1071 section 3: the words 0001 f203 f4f5 f6f7 sum to ddf2 (checksum 220d).
        const Bytes data{0x00, 0x01, 0xf2, 0x03, 0xf4, 0xf5, 0xf6, 0xf7};
        QCOMPARE(internetChecksum(data), std::uint16_t(0x220d));
    }

    void checksumOfIpv4HeaderIsZeroWhenValid()
    {
        // A real IPv4 header (checksum field b861 included): summing it must give 0.
        const Bytes hdr{0x45, 0x00, 0x00, 0x73, 0x00, 0x00, 0x40, 0x00, 0x40, 0x11,
                        0xb8, 0x61, 0xc0, 0xa8, 0x00, 0x01, 0xc0, 0xa8, 0x00, 0xc7};
        QCOMPARE(internetChecksum(hdr), std::uint16_t(0));
    }

    void checksumPiecesOfOddLengthEqualWhole()
    {
        Rng rng(7);
        for (int round = 0; round < 200; ++round) {
            Bytes data(rng.uniform(0, 300));
            for (auto &b : data) b = static_cast<std::uint8_t>(rng.next());
            const std::size_t cut1 = rng.uniform(0, data.size());
            const std::size_t cut2 = rng.uniform(cut1, data.size());
            ChecksumAccumulator acc;
            acc.add(ByteView(data).subspan(0, cut1));
            acc.add(ByteView(data).subspan(cut1, cut2 - cut1));
            acc.add(ByteView(data).subspan(cut2));
            // Reference: byte-at-a-time RFC 1071.
            std::uint32_t sum = 0;
            for (std::size_t i = 0; i < data.size(); i += 2)
                sum += std::uint32_t(data[i]) << 8 | (i + 1 < data.size() ? data[i + 1] : 0);
            while (sum >> 16) sum = (sum & 0xffff) + (sum >> 16);
            QCOMPARE(acc.finish(), static_cast<std::uint16_t>(~sum));
        }
    }

    void seqNumComparesAcrossWraparound()
    {
        const SeqNum high(0xfffffff0u);
        const SeqNum low = high + 0x20;  // wrapped
        QCOMPARE(low.raw(), 0x10u);
        QVERIFY(high < low);
        QVERIFY(low > high);
        QCOMPARE(low - high, 0x20);
        QVERIFY(SeqNum(0xfffffffeu).inWindow(high, 0x20));
        QVERIFY(!low.inWindow(high, 0x20));
    }

    void addressesParseAndFormat()
    {
        QCOMPARE(Ip4Addr::parse("198.18.0.2")->toString(), std::string("198.18.0.2"));
        QVERIFY(!Ip4Addr::parse("198.18.0"));
        QVERIFY(!Ip4Addr::parse("198.18.0.256"));
        QVERIFY(!Ip4Addr::parse("1.2.3.4 "));
        QCOMPARE(Ip6Addr::parse("2001:DB8:0:0:0:0:0:2")->toString(), std::string("2001:db8::2"));
        QCOMPARE(MacAddr::parse("02:00:5E:10:00:01")->toString(), std::string("02:00:5e:10:00:01"));
        QVERIFY(!MacAddr::parse("02:00:5e:10:00"));
        auto p = IpPrefix::parse("198.18.0.2/24");
        QVERIFY(p);
        QVERIFY(p->contains(*IpAddr::parse("198.18.0.77")));
        QVERIFY(!p->contains(*IpAddr::parse("198.18.1.1")));
        QVERIFY(!IpPrefix::parse("198.18.0.2/33"));
        auto p6 = IpPrefix::parse("2001:db8::2/64");
        QVERIFY(p6 && p6->contains(*IpAddr::parse("2001:db8::99")));
        QCOMPARE(p6->network().toString(), std::string("2001:db8::/64"));
        const auto mac = *MacAddr::parse("52:54:00:12:34:56");
        QCOMPARE(Ip6Addr::linkLocalFromMac(mac).toString(), std::string("fe80::5054:ff:fe12:3456"));
        QCOMPARE(Ip6Addr::parse("2001:db8::1:2:3")->solicitedNodeMulticast().toString(),
                 std::string("ff02::1:ff02:3"));
    }

    void rngIsDeterministicPerSeed()
    {
        Rng a(42), b(42), c(43);
        bool differs = false;
        for (int i = 0; i < 100; ++i) {
            const auto x = a.next();
            QCOMPARE(x, b.next());
            differs |= x != c.next();
        }
        QVERIFY(differs);
        Rng r(1);
        for (int i = 0; i < 1000; ++i) {
            const auto v = r.uniform(10, 20);
            QVERIFY(v >= 10 && v <= 20);
        }
    }
};

QTEST_APPLESS_MAIN(TestCore)
#include "test_core.moc"

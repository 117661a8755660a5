// The host stack on the demo network in virtual time: ARP and ND (resolution, retry, NUD states,
// queued packets released, giving up), ICMP echo v4/v6, UDP echo, port unreachable, and the drop
// counters per reason.
#include <deque>

#include <QtTest>

#include "lab_fixture.h"
#include "services/udp_echo.h"
#include "wire/arp.h"
#include "wire/ethernet.h"
#include "wire/ip_proto.h"
#include "wire/ipv4.h"
#include "wire/pseudo_header.h"
#include "wire/tcp.h"
#include "wire/udp.h"

using namespace tcplab;
using namespace tcplab::testing;

namespace {

struct Demo {
    std::unique_ptr<Lab> lab = Lab::demo();
    EventLog events;
    FrameLog frames;
    Host &client = lab->host(0);
    Host &server = lab->host(1);
    Demo()
    {
        lab->events().add(&events);
        lab->setFrameSink(&frames);
        lab->start(Instant{});
    }
    std::size_t echoReplies() const { return events.count(EventKind::ServiceNote, "echo-reply"); }
};

Bytes frameTo(const Host &h, std::uint16_t type, ByteView payload)
{
    return buildEthernet(EthernetHeader{h.mac(), MacAddr{{0x02, 0, 0, 0, 0, 0x99}}, type}, payload);
}

Bytes udpPacket(const char *src, const char *dst, std::uint16_t dport, ByteView data)
{
    const IpAddr s = ip(src), d = ip(dst);
    Ipv4Header h;
    h.protocol = ipproto::kUdp;
    h.source = s.v4();
    h.destination = d.v4();
    return buildIpv4(h, buildUdp(UdpHeader{4000, dport}, data, s, d));
}

// A link handing over queued frames as one burst, each with whether the link itself computed its
// transport checksum (as a tap with checksum offload does).
class BurstLink final : public Link {
public:
    struct Queued {
        Bytes frame;
        bool checksumComputed;
    };
    std::deque<Queued> queue;
    const std::string &name() const override { return name_; }
    TxResult transmit(Instant, ByteView, std::uint64_t) override { return TxResult::Sent; }
    std::size_t drain(Instant, std::size_t maxFrames, const RxHandler &handler) override
    {
        std::size_t n = 0;
        for (; n < maxFrames && !queue.empty(); ++n) {
            const Queued q = std::move(queue.front());
            queue.pop_front();
            handler(ReceivedFrame{.bytes = q.frame, .checksumComputed = q.checksumComputed});
        }
        return n;
    }
    bool receivesInBursts() const override { return true; }
    LinkCounters counters() const override { return {}; }

private:
    std::string name_ = "burst";
};

} // namespace

class TestStack : public QObject {
    Q_OBJECT
private slots:
    void arpResolvesOnceAndReleasesQueuedPackets()
    {
        Demo d;
        for (std::uint16_t seq = 1; seq <= 3; ++seq)
            QVERIFY(d.client.ping(Instant{}, ip("198.18.0.2"), 7, seq, {}).ok());
        // One request for three queued packets.
        QCOMPARE(d.client.arpCache().counters().solicitsSent, 1u);
        runUntil(*d.lab, Instant(15ms));
        QCOMPARE(d.echoReplies(), 0u); // the request has reached the server, the reply has not
        runUntil(*d.lab, Instant(1s));
        QCOMPARE(d.client.arpCache().counters().resolved, 1u);
        QCOMPARE(d.server.counters().icmpEchoAnswered, 3u);
        QCOMPARE(d.echoReplies(), 3u);
        QCOMPARE(d.client.arpCache().lookup(*Ip4Addr::parse("198.18.0.2")), d.server.mac());
        // The server learned the client from the request addressed to it (RFC 826), so it did not ask.
        QCOMPARE(d.server.arpCache().counters().solicitsSent, 0u);
    }

    void arpRetriesThenGivesUpAndCounts()
    {
        Demo d;
        QVERIFY(d.client.ping(Instant{}, ip("198.18.0.9"), 1, 1, {}).ok());
        QVERIFY(d.client.ping(Instant{}, ip("198.18.0.9"), 1, 2, {}).ok());
        runUntil(*d.lab, Instant(1500ms));
        QCOMPARE(d.client.arpCache().counters().solicitsSent, 2u); // first + one retry after 1 s
        runUntil(*d.lab, Instant(10s));
        QCOMPARE(d.client.arpCache().counters().solicitsSent, 3u);
        QCOMPARE(d.client.arpCache().counters().gaveUp, 1u);
        QCOMPARE(d.client.counters()[StackDrop::NeighborUnresolved], 2u);
        QCOMPARE(d.events.count(EventKind::Log, "arp"), 1u);
        QVERIFY(d.client.arpCache().entries().empty());
    }

    void arpPendingQueueIsBounded()
    {
        Demo d;
        for (std::uint16_t seq = 0; seq < 20; ++seq)
            QVERIFY(d.client.ping(Instant{}, ip("198.18.0.9"), 1, seq, {}).ok());
        const auto max = d.client.arpCache().config().maxPending;
        QCOMPARE(d.client.counters()[StackDrop::NeighborUnresolved], 20u - max);
        runUntil(*d.lab, Instant(10s));
        QCOMPARE(d.client.counters()[StackDrop::NeighborUnresolved], 20u);
    }

    // RFC 4861 section 7.3.3 (ARP follows the same model): REACHABLE -> STALE after ReachableTime;
    // a packet to a STALE entry goes out at once and moves it to DELAY; DELAY_FIRST_PROBE_TIME
    // later PROBE sends a unicast request, and the reply makes the entry REACHABLE again. (This
    // test used to expect the entry to be removed at ReachableTime and resolved again by broadcast.)
    void arpNudReachableStaleDelayProbeReachable()
    {
        using S = NeighborState;
        Demo d;
        const Ip4Addr server = *Ip4Addr::parse("198.18.0.2");
        QVERIFY(d.client.ping(Instant{}, ip("198.18.0.2"), 1, 1, {}).ok());
        runUntil(*d.lab, Instant(1s));
        QCOMPARE(d.client.arpCache().state(server), S::Reachable);
        runUntil(*d.lab, Instant(40s));
        QCOMPARE(d.client.arpCache().state(server), S::Stale);
        QCOMPARE(d.client.arpCache().counters().stale, 1u);
        QCOMPARE(d.client.arpCache().lookup(server), d.server.mac()); // still usable
        QVERIFY(d.client.arpCache().pollAt() == kNever);              // a Stale entry runs no timer
        // A Stale entry is used without waiting: the echo request leaves at once, no new request.
        QVERIFY(d.client.ping(Instant(40s), ip("198.18.0.2"), 1, 2, {}).ok());
        QCOMPARE(d.client.arpCache().state(server), S::Delay);
        runUntil(*d.lab, Instant(41s));
        QCOMPARE(d.echoReplies(), 2u);
        QCOMPARE(d.client.arpCache().counters().solicitsSent, 1u);
        QCOMPARE(d.client.arpCache().state(server), S::Delay); // an echo reply is no confirmation
        runUntil(*d.lab, Instant(45s) - 1ms);
        QCOMPARE(d.client.arpCache().state(server), S::Delay);
        runUntil(*d.lab, Instant(45s));
        QCOMPARE(d.client.arpCache().state(server), S::Probe);
        QCOMPARE(d.client.arpCache().counters().probesSent, 1u);
        // The probe is an ARP request sent to the cached MAC, not broadcast.
        const auto probe = std::find_if(d.frames.frames.rbegin(), d.frames.frames.rend(), [&](const auto &r) {
            return r.info.host == d.client.id() && r.info.direction == Direction::Outbound &&
                   r.bytes.size() >= 14 && r.bytes[12] == 0x08 && r.bytes[13] == 0x06;
        });
        QVERIFY(probe != d.frames.frames.rend());
        QVERIFY(probe->info.time == Instant(45s));
        QVERIFY(std::equal(d.server.mac().b.begin(), d.server.mac().b.end(), probe->bytes.begin()));
        runUntil(*d.lab, Instant(46s));
        QCOMPARE(d.client.arpCache().state(server), S::Reachable); // the unicast probe was answered
        QCOMPARE(d.client.arpCache().counters().probesSent, 1u);
        QCOMPARE(d.client.arpCache().counters().solicitsSent, 1u); // never a broadcast again
        QCOMPARE(d.client.arpCache().counters().unreachable, 0u);
    }

    // RFC 4861 section 7.3.3: MAX_UNICAST_SOLICIT unanswered probes remove the entry; the next
    // packet resolves the neighbour afresh. The client is made to believe the server moved to a MAC
    // nobody has, so its probes go unanswered.
    void arpProbeExhaustionRemovesEntry()
    {
        using S = NeighborState;
        Demo d;
        const Ip4Addr server = *Ip4Addr::parse("198.18.0.2");
        QVERIFY(d.client.ping(Instant{}, ip("198.18.0.2"), 1, 1, {}).ok());
        runUntil(*d.lab, Instant(1s));
        const MacAddr nobody{{0x02, 0, 0, 0, 0, 0x42}};
        const ArpPacket announce{ArpOp::Request, nobody, server, MacAddr{}, server};
        d.client.receiveFrame(Instant(1s), buildEthernet(EthernetHeader{MacAddr::broadcast(), nobody, 0x0806},
                                                         buildArp(announce)));
        QCOMPARE(d.client.arpCache().lookup(server), nobody);
        runUntil(*d.lab, Instant(32s));
        QCOMPARE(d.client.arpCache().state(server), S::Stale);
        QVERIFY(d.client.ping(Instant(32s), ip("198.18.0.2"), 1, 2, {}).ok());
        QCOMPARE(d.client.arpCache().state(server), S::Delay);
        runUntil(*d.lab, Instant(39500ms)); // probes at 37, 38 and 39 s
        QCOMPARE(d.client.arpCache().state(server), S::Probe);
        QCOMPARE(d.client.arpCache().counters().probesSent, 3u);
        QCOMPARE(d.events.count(EventKind::Log, "arp"), 0u);
        runUntil(*d.lab, Instant(41s));
        QVERIFY(!d.client.arpCache().entries().contains(server));
        QCOMPARE(d.client.arpCache().counters().unreachable, 1u);
        QCOMPARE(d.client.arpCache().counters().probesSent, 3u);
        QCOMPARE(d.events.count(EventKind::Log, "arp"), 1u);
        QCOMPARE(d.echoReplies(), 1u); // the second ping went to the wrong MAC
        QVERIFY(d.client.ping(Instant(41s), ip("198.18.0.2"), 1, 3, {}).ok());
        runUntil(*d.lab, Instant(42s));
        QCOMPARE(d.client.arpCache().lookup(server), d.server.mac());
        QCOMPARE(d.client.arpCache().counters().solicitsSent, 2u);
        QCOMPARE(d.echoReplies(), 2u);
    }

    // The same cycle for IPv6: the PROBE is a unicast NS, answered by a solicited NA.
    void ndNudStaleEntryIsUsedAndProbed()
    {
        using S = NeighborState;
        Demo d;
        const Ip6Addr server = *Ip6Addr::parse("2001:db8::2");
        QVERIFY(d.client.ping(Instant{}, ip("2001:db8::2"), 1, 1, {}).ok());
        runUntil(*d.lab, Instant(40s));
        QCOMPARE(d.client.ndCache().state(server), S::Stale);
        QVERIFY(d.client.ping(Instant(40s), ip("2001:db8::2"), 1, 2, {}).ok());
        QCOMPARE(d.client.ndCache().state(server), S::Delay);
        runUntil(*d.lab, Instant(41s));
        QCOMPARE(d.echoReplies(), 2u);
        QCOMPARE(d.client.ndCache().counters().solicitsSent, 1u);
        runUntil(*d.lab, Instant(45s));
        QCOMPARE(d.client.ndCache().state(server), S::Probe);
        runUntil(*d.lab, Instant(46s));
        QCOMPARE(d.client.ndCache().state(server), S::Reachable);
        QCOMPARE(d.client.ndCache().counters().probesSent, 1u);
    }

    void gratuitousArpUpdatesExistingEntryOnly()
    {
        Demo d;
        QVERIFY(d.client.ping(Instant{}, ip("198.18.0.2"), 1, 1, {}).ok());
        runUntil(*d.lab, Instant(1s));
        const MacAddr moved{{0x02, 0, 0, 0, 0, 0x42}};
        const ArpPacket announce{ArpOp::Request, moved, *Ip4Addr::parse("198.18.0.2"), MacAddr{},
                                 *Ip4Addr::parse("198.18.0.2")};
        d.client.receiveFrame(Instant(1s), buildEthernet(EthernetHeader{MacAddr::broadcast(), moved, 0x0806},
                                                         buildArp(announce)));
        QCOMPARE(d.client.arpCache().lookup(*Ip4Addr::parse("198.18.0.2")), moved);
        const ArpPacket stranger{ArpOp::Request, moved, *Ip4Addr::parse("198.18.0.77"), MacAddr{},
                                 *Ip4Addr::parse("198.18.0.77")};
        d.client.receiveFrame(Instant(1s), buildEthernet(EthernetHeader{MacAddr::broadcast(), moved, 0x0806},
                                                         buildArp(stranger)));
        QVERIFY(!d.client.arpCache().entries().contains(*Ip4Addr::parse("198.18.0.77")));
    }

    void ndResolvesAndPingV6IsAnswered()
    {
        Demo d;
        QVERIFY(d.client.ping(Instant{}, ip("2001:db8::2"), 9, 1, Bytes{1, 2, 3}).ok());
        QCOMPARE(d.client.ndCache().counters().solicitsSent, 1u);
        runUntil(*d.lab, Instant(1s));
        QCOMPARE(d.client.ndCache().counters().resolved, 1u);
        QCOMPARE(d.server.counters().icmpv6EchoAnswered, 1u);
        QCOMPARE(d.echoReplies(), 1u);
        QCOMPARE(d.client.ndCache().lookup(*Ip6Addr::parse("2001:db8::2")), d.server.mac());
    }

    void ndRetriesThenGivesUp()
    {
        Demo d;
        QVERIFY(d.client.ping(Instant{}, ip("2001:db8::99"), 1, 1, {}).ok());
        runUntil(*d.lab, Instant(10s));
        QCOMPARE(d.client.ndCache().counters().solicitsSent, 3u);
        QCOMPARE(d.client.ndCache().counters().gaveUp, 1u);
        QCOMPARE(d.events.count(EventKind::Log, "nd"), 1u);
    }

    void udpEchoRoundTripV4AndV6()
    {
        Demo d;
        auto echo = UdpEchoService::start(d.server, 7);
        QVERIFY(echo.ok());
        std::vector<std::pair<Endpoint, Bytes>> got;
        QVERIFY(d.client
                    .udpBind(5000,
                             [&](Instant, const UdpDatagram &dg) {
                                 got.emplace_back(dg.remote, Bytes(dg.payload.begin(), dg.payload.end()));
                             })
                    .ok());
        const Bytes hello{'h', 'e', 'l', 'l', 'o'};
        QVERIFY(
            d.client.udpSend(Instant{}, Endpoint{IpAddr{}, 5000}, Endpoint{ip("198.18.0.2"), 7}, hello).ok());
        QVERIFY(d.client.udpSend(Instant{}, Endpoint{IpAddr{}, 5000}, Endpoint{ip("2001:db8::2"), 7}, hello)
                    .ok());
        runUntil(*d.lab, Instant(1s));
        QCOMPARE(got.size(), 2u);
        QCOMPARE(got[0].second, hello);
        QCOMPARE(got[1].second, hello);
        QCOMPARE((*echo)->datagramsEchoed(), 2u);
        QVERIFY(got[0].first == (Endpoint{ip("198.18.0.2"), 7}) ||
                got[1].first == (Endpoint{ip("198.18.0.2"), 7}));
    }

    void udpToClosedPortGetsPortUnreachable()
    {
        Demo d;
        QVERIFY(d.client.udpSend(Instant{}, Endpoint{IpAddr{}, 5000}, Endpoint{ip("198.18.0.2"), 9}, Bytes{1})
                    .ok());
        QVERIFY(
            d.client.udpSend(Instant{}, Endpoint{IpAddr{}, 5000}, Endpoint{ip("2001:db8::2"), 9}, Bytes{1})
                .ok());
        runUntil(*d.lab, Instant(1s));
        QCOMPARE(d.server.counters()[StackDrop::UdpPortClosed], 2u);
        QCOMPARE(d.server.counters().icmpUnreachableSent, 2u);
        // The client takes both as errors about its own datagrams (no socket on port 5000 here: not
        // delivered; test_icmp_errors covers delivery).
        QCOMPARE(d.client.counters().icmpErrorsIn, 2u);
        QCOMPARE(d.client.counters().icmpErrorsDelivered, 0u);
        QCOMPARE(d.client.counters()[StackDrop::IgnoredIcmp], 0u);
    }

    void tcpWithoutTransportIsCountedAsNoTransport()
    {
        Demo d;
        d.server.setTcp(nullptr);
        Bytes seg(20, 0);
        seg[12] = 0x50;
        seg[13] = 0x02; // SYN
        storeBe16(seg.data(), 40000);
        storeBe16(seg.data() + 2, 80);
        const IpAddr s = ip("198.18.0.1"), dst = ip("198.18.0.2");
        Bytes broken = seg;
        fillTransportChecksum(s, dst, ipproto::kTcp, seg, 16);
        d.client.sendIp(Instant{}, s, dst, ipproto::kTcp, seg);
        d.client.sendIp(Instant{}, s, dst, ipproto::kTcp, broken); // checksum 0: wrong
        runUntil(*d.lab, Instant(1s));
        QCOMPARE(d.server.counters()[StackDrop::NoTransport], 1u);
        QCOMPARE(d.server.counters()[DropReason::TcpBadChecksum], 1u);
        QCOMPARE(d.server.counters().tcpIn, 1u);
    }

    // A transport's payload behind kTxHeadroom bytes of room leaves as the very frame sendIp makes
    // of a copy of it (only the IPv4 identification, and with it the header checksum, has moved on
    // by one), padded to the minimum frame size, in the same session: IPv4 and IPv6, with the
    // neighbour known or still to be resolved.
    void payloadWithHeadroomLeavesAsSendIpSendsIt_data()
    {
        QTest::addColumn<bool>("v6");
        QTest::addColumn<bool>("resolved");
        QTest::newRow("v4 resolved") << false << true;
        QTest::newRow("v4 unresolved") << false << false;
        QTest::newRow("v6 resolved") << true << true;
        QTest::newRow("v6 unresolved") << true << false;
    }
    void payloadWithHeadroomLeavesAsSendIpSendsIt()
    {
        QFETCH(bool, v6);
        QFETCH(bool, resolved);
        Demo d;
        const IpAddr s = ip(v6 ? "2001:db8::1" : "198.18.0.1"), dst = ip(v6 ? "2001:db8::2" : "198.18.0.2");
        if (resolved) {
            QVERIFY(d.client.ping(Instant{}, dst, 7, 1, {}).ok());
            runUntil(*d.lab, Instant(1s));
            QCOMPARE(d.echoReplies(), 1u);
        }
        const Instant t = d.lab->now();
        for (std::size_t len : {std::size_t(0), std::size_t(1000)}) {
            TcpHeader h;
            h.sourcePort = 40000;
            h.destinationPort = 80;
            h.seq = SeqNum(1000);
            h.ack = SeqNum(7);
            h.flags = TcpFlags(TcpFlags::kAck);
            h.window = 1000;
            const Bytes seg = serializeTcp(h, Bytes(len, 0x5a), s, dst);
            const std::size_t first = d.frames.frames.size();
            d.client.sendIp(t, s, dst, ipproto::kTcp, seg);
            Bytes buffer(kTxHeadroom + seg.size(), 0xee);
            std::copy(seg.begin(), seg.end(), buffer.begin() + kTxHeadroom);
            d.client.sendIpWithHeadroom(t, s, dst, ipproto::kTcp, buffer, 0);
            runUntil(*d.lab, t + 2s);
            std::vector<const FrameLog::Record *> out;
            for (std::size_t i = first; i < d.frames.frames.size(); ++i) {
                const auto &r = d.frames.frames[i];
                const std::uint16_t type = loadBe16(r.bytes.data() + 12);
                if (r.info.host == d.client.id() && r.info.direction == Direction::Outbound &&
                    type == (v6 ? 0x86dd : 0x0800) && r.bytes[v6 ? 14 + 6 : 14 + 9] == ipproto::kTcp)
                    out.push_back(&r);
            }
            QCOMPARE(out.size(), std::size_t(2));
            Bytes viaSendIp = out[0]->bytes;
            const Bytes &viaHeadroom = out[1]->bytes;
            QCOMPARE(viaSendIp.size(), std::max<std::size_t>(14 + (v6 ? 40 : 20) + seg.size(), 60));
            if (!v6) {
                storeBe16(viaSendIp.data() + 14 + 4, std::uint16_t(loadBe16(viaSendIp.data() + 14 + 4) + 1));
                fixIpv4HeaderChecksum(MutableByteView(viaSendIp).subspan(14));
            }
            QVERIFY(viaSendIp == viaHeadroom);
            QCOMPARE(out[1]->info.session, out[0]->info.session);
            QVERIFY(out[0]->info.session != kNoSession);
            QCOMPARE(out[1]->info.fate, FrameFate::Delivered);
        }
        QCOMPARE(d.client.counters().tcpOut, 4u);
    }

    // Checksum offload: a transport checksum the link computed itself is right by construction and
    // not summed again (here a wrong one passes because the link vouches for it), while the IPv4
    // header checksum, which the link does not compute, is still checked.
    void aChecksumTheLinkComputedIsNotSummedAgain()
    {
        testing::EventLog events;
        HostConfig c;
        c.addresses.push_back(*IpPrefix::parse("198.18.0.2/24"));
        Host h(0, c, events);
        BurstLink link;
        h.attach(&link, 0);
        int received = 0;
        QVERIFY(h.udpBind(7, [&](Instant, const UdpDatagram &) { ++received; }).ok());
        const Bytes good = udpPacket("198.18.0.1", "198.18.0.2", 7, Bytes{1, 2, 3});
        Bytes badUdpSum = good;
        badUdpSum[20 + 6] ^= 0x55;
        Bytes badIpSum = good;
        badIpSum[10] ^= 0xff;
        link.queue.push_back({frameTo(h, 0x0800, badUdpSum), false});
        link.queue.push_back({frameTo(h, 0x0800, badUdpSum), true});
        link.queue.push_back({frameTo(h, 0x0800, badIpSum), true});
        link.queue.push_back({frameTo(h, 0x0800, good), false});
        QCOMPARE(h.poll(Instant{}), std::size_t(4));
        QCOMPARE(h.counters()[DropReason::UdpBadChecksum], 1u);
        QCOMPARE(h.counters()[DropReason::Ipv4BadChecksum], 1u);
        QCOMPARE(received, 2);
    }

    void malformedFramesAreCountedPerReasonAndRecorded()
    {
        Demo d;
        Host &h = d.server;
        const auto before = d.frames.count(h.id(), Direction::Inbound, FrameFate::Malformed);
        h.receiveFrame(Instant{}, Bytes{1, 2, 3, 4, 5}); // not even an Ethernet header
        const Bytes good = udpPacket("198.18.0.1", "198.18.0.2", 7, Bytes{1, 2, 3});
        Bytes badIpSum = good;
        badIpSum[10] ^= 0xff;
        h.receiveFrame(Instant{}, frameTo(h, 0x0800, badIpSum));
        Bytes badUdpSum = good;
        badUdpSum[20 + 6] ^= 0x55;
        h.receiveFrame(Instant{}, frameTo(h, 0x0800, badUdpSum));
        Bytes badLength = good;
        badLength[3] = 0xff; // total length past the bytes
        fixIpv4HeaderChecksum(badLength);
        h.receiveFrame(Instant{}, frameTo(h, 0x0800, badLength));
        h.receiveFrame(Instant{}, frameTo(h, 0x88cc, Bytes(46, 0))); // LLDP: not ours, not broken
        h.receiveFrame(Instant{}, frameTo(h, 0x0806, Bytes{0, 1}));
        QCOMPARE(h.counters()[DropReason::EthTruncated], 1u);
        QCOMPARE(h.counters()[DropReason::Ipv4BadChecksum], 1u);
        QCOMPARE(h.counters()[DropReason::UdpBadChecksum], 1u);
        QCOMPARE(h.counters()[DropReason::Ipv4BadTotalLength], 1u);
        QCOMPARE(h.counters()[DropReason::EthUnsupportedType], 1u);
        QCOMPARE(h.counters()[DropReason::ArpTruncated], 1u);
        QCOMPARE(d.frames.count(h.id(), Direction::Inbound, FrameFate::Malformed) - before, 5u);
        // Named for the CLI and the GUI.
        const auto drops = h.counters().nonZeroDrops();
        QVERIFY(std::find(drops.begin(), drops.end(),
                          std::pair<std::string_view, std::uint64_t>{"ipv4-bad-checksum", 1}) != drops.end());
        // And the host still answers.
        QVERIFY(d.client.ping(Instant{}, ip("198.18.0.2"), 1, 1, {}).ok());
        runUntil(*d.lab, Instant(1s));
        QCOMPARE(d.echoReplies(), 1u);
    }

    void framesNotForUsAreCounted()
    {
        Demo d;
        const Bytes good = udpPacket("198.18.0.1", "198.18.0.2", 7, Bytes{1});
        d.server.receiveFrame(
            Instant{},
            buildEthernet(EthernetHeader{MacAddr{{0x02, 0, 0, 0, 0, 0x55}}, d.client.mac(), 0x0800}, good));
        const Bytes other = udpPacket("198.18.0.1", "198.18.0.200", 7, Bytes{1});
        d.server.receiveFrame(Instant{}, frameTo(d.server, 0x0800, other));
        QCOMPARE(d.server.counters()[StackDrop::NotForUs], 2u);
    }

    void lossOnWireIsRecordedAsLost()
    {
        Demo d;
        WireConditions lossy;
        lossy.loss = 1.0;
        d.lab->wire()->setConditions(VirtualWire::A, lossy);
        runUntil(*d.lab, Instant(1s));
        const auto arpBefore = d.server.counters().arpIn; // the client's announcement at start
        QVERIFY(d.client.ping(Instant(1s), ip("198.18.0.2"), 1, 1, {}).ok());
        runUntil(*d.lab, Instant(2s));
        QCOMPARE(d.frames.count(d.client.id(), Direction::Outbound, FrameFate::LostOnWire),
                 2u); // request + retry
        QCOMPARE(d.server.counters().arpIn, arpBefore);
    }

    void startReportsEachAttachedLink()
    {
        Demo d;
        QCOMPARE(d.events.count(EventKind::LinkState, "wire.a"), 1u);
        QCOMPARE(d.events.count(EventKind::LinkState, "wire.b"), 1u);
    }

    void twoLabsSideBySideDoNotShareState()
    {
        Demo a, b;
        QVERIFY(a.client.ping(Instant{}, ip("198.18.0.2"), 1, 1, {}).ok());
        runUntil(*a.lab, Instant(1s));
        runUntil(*b.lab, Instant(1s));
        QCOMPARE(a.echoReplies(), 1u);
        QCOMPARE(b.echoReplies(), 0u);
        QCOMPARE(b.server.counters().icmpEchoAnswered, 0u);
    }
};

QTEST_GUILESS_MAIN(TestStack)
#include "test_stack.moc"

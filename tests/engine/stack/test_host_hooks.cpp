// The host's TCP dispatch point and the packet hook contract: what the hook sees at ingress and
// egress (endpoints, TCB from the TCP layer, session from the session source), what each verdict
// does to delivery and to the recorded frame's fate, and HookActions.
#include "lab_fixture.h"
#include "stack/session_source.h"
#include "wire/frame.h"
#include "wire/ip_proto.h"
#include "wire/pseudo_header.h"

using namespace tcplab;
using namespace tcplab::testing;

namespace {

struct FakeTcp final : TcpInput {
    std::vector<std::pair<IpMeta, Bytes>> segments;
    void input(Instant, const IpMeta &meta, ByteView segment) override
    {
        segments.emplace_back(meta, Bytes(segment.begin(), segment.end()));
    }
    std::optional<TcbSnapshot> lookup(const Endpoint &local, const Endpoint &remote) const override
    {
        TcbSnapshot s;
        s.state = TcpState::Established;
        s.local = local;
        s.remote = remote;
        return s;
    }
};

struct FakeHook final : PacketHook {
    HookVerdict verdict = HookVerdict::Pass;
    std::vector<HookPacket> seen;
    bool emitOnIngress = false;
    HookActions *actions = nullptr;
    HookVerdict onPacket(Instant, HookPacket &p, HookActions &a) override
    {
        actions = &a;
        seen.push_back(p);
        if (emitOnIngress && p.point == HookPoint::Ingress) {
            Event e;
            e.kind = EventKind::RuleHit;
            e.name = "test-rule";
            a.reportHit(e);
        }
        return verdict;
    }
};

struct CountingSessions final : SessionSource {
    SessionTag observeTcp(Instant now, const Endpoint &, const Endpoint &, std::uint8_t, std::uint32_t) override
    {
        return {7, 7, now, false};
    }
};

struct AnnotatingFrames final : FrameSink {
    FrameLog log;
    std::vector<std::pair<std::uint64_t, std::string>> notes;
    std::uint64_t onFrame(const FrameInfo &i, ByteView f) override { return log.onFrame(i, f); }
    void annotate(std::uint64_t index, const Event &e) override { notes.emplace_back(index, e.name); }
    void setFate(std::uint64_t index, FrameFate fate) override { log.setFate(index, fate); }
};

Bytes tcpSegment()
{
    Bytes seg(20, 0);
    storeBe16(seg.data(), 40000);
    storeBe16(seg.data() + 2, 80);
    storeBe32(seg.data() + 4, 1000);
    seg[12] = 0x50;
    seg[13] = 0x02;  // SYN
    fillTransportChecksum(ip("198.18.0.1"), ip("198.18.0.2"), ipproto::kTcp, seg, 16);
    return seg;
}

struct Fixture {
    std::unique_ptr<Lab> lab = Lab::demo();
    FakeTcp tcp;
    FakeHook hook;
    CountingSessions sessions;
    AnnotatingFrames frames;
    EventLog events;
    Host &client = lab->host(0);
    Host &server = lab->host(1);
    Fixture()
    {
        lab->events().add(&events);
        lab->setFrameSink(&frames);
        lab->setSessionSource(&sessions);
        server.setTcp(&tcp);
        server.setPacketHook(&hook);
        lab->start(Instant{});
        runUntil(*lab, Instant(100ms));  // announcements done
    }
    void sendSyn()
    {
        client.sendIp(Instant(100ms), ip("198.18.0.1"), ip("198.18.0.2"), ipproto::kTcp, tcpSegment());
        runUntil(*lab, Instant(1s));
    }
    std::size_t inbound(FrameFate fate) const { return frames.log.count(server.id(), Direction::Inbound, fate); }
};

}  // namespace

#include <QtTest>

class TestHostHooks : public QObject {
    Q_OBJECT
private slots:
    void ingressHookSeesEndpointsTcbAndSessionThenTcpGetsTheSegment()
    {
        Fixture f;
        f.sendSyn();
        QCOMPARE(f.hook.seen.size(), 1u);
        const HookPacket &p = f.hook.seen[0];
        QCOMPARE(int(p.point), int(HookPoint::Ingress));
        QCOMPARE(p.host, f.server.id());
        QVERIFY(p.local == (Endpoint{ip("198.18.0.2"), 80}));
        QVERIFY(p.remote == (Endpoint{ip("198.18.0.1"), 40000}));
        QCOMPARE(int(p.tcb.state), int(TcpState::Established));
        QCOMPARE(p.session, SessionId(7));
        QCOMPARE(p.sessionOrdinal, 7u);
        QCOMPARE(parseIpPacket(p.ip).tcp->seq().raw(), 1000u);
        QCOMPARE(f.tcp.segments.size(), 1u);
        QCOMPARE(f.tcp.segments[0].first.session, SessionId(7));
        QCOMPARE(f.tcp.segments[0].second, tcpSegment());
    }

    void ingressDropNeverReachesTcpAndIsRecordedAsDroppedByRule()
    {
        Fixture f;
        f.hook.verdict = HookVerdict::Drop;
        f.sendSyn();
        QVERIFY(f.tcp.segments.empty());
        QCOMPARE(f.inbound(FrameFate::DroppedByRule), 1u);
        QCOMPARE(f.server.counters().hookDropped, 1u);
    }

    void ingressTakeKeepsThePacketUntilTheHookDeliversIt()
    {
        Fixture f;
        f.hook.verdict = HookVerdict::Take;
        f.sendSyn();
        QVERIFY(f.tcp.segments.empty());
        QCOMPARE(f.server.counters().hookTaken, 1u);
        // What a delaying rule does later: hand the packet back through the host's HookActions.
        QVERIFY(f.hook.actions);
        f.hook.actions->deliverToStack(Instant(2s), f.hook.seen[0].ip);
        QCOMPARE(f.tcp.segments.size(), 1u);
        QCOMPARE(f.tcp.segments[0].second, tcpSegment());
        // And sendToWire frames a packet without running the egress hook again.
        const auto hookCalls = f.hook.seen.size();
        f.hook.actions->sendToWire(Instant(2s), f.hook.seen[0].ip);
        QCOMPARE(f.hook.seen.size(), hookCalls);
    }

    void ruleHitsAnnotateTheFrameBeingProcessed()
    {
        Fixture f;
        f.hook.emitOnIngress = true;
        f.sendSyn();
        QCOMPARE(f.frames.notes.size(), 1u);
        const auto index = f.frames.notes[0].first;
        QCOMPARE(f.frames.log.frames.at(index).info.host, f.server.id());
        QCOMPARE(int(f.frames.log.frames.at(index).info.direction), int(Direction::Inbound));
        QCOMPARE(f.events.count(EventKind::RuleHit, "test-rule"), 1u);
        QCOMPARE(f.events.events.back().session, SessionId(7));
    }

    void egressHookSeesOurSegmentsAndDropIsRecordedNotSent()
    {
        Fixture f;
        f.server.setPacketHook(nullptr);
        f.client.setPacketHook(&f.hook);
        f.hook.verdict = HookVerdict::Drop;
        f.sendSyn();
        QCOMPARE(f.hook.seen.size(), 1u);
        QCOMPARE(int(f.hook.seen[0].point), int(HookPoint::Egress));
        QVERIFY(f.hook.seen[0].local == (Endpoint{ip("198.18.0.1"), 40000}));
        QCOMPARE(f.frames.log.count(f.client.id(), Direction::Outbound, FrameFate::DroppedByRule), 1u);
        QVERIFY(f.tcp.segments.empty());
    }

    void egressEditsGoOnTheWire()
    {
        Fixture f;
        f.server.setPacketHook(nullptr);
        struct Editor final : PacketHook {
            HookVerdict onPacket(Instant, HookPacket &p, HookActions &) override
            {
                p.ip[20 + 13] |= 0x01;  // add FIN (checksum left wrong: the rule's business)
                return HookVerdict::Pass;
            }
        } editor;
        f.client.setPacketHook(&editor);
        f.sendSyn();
        QCOMPARE(f.server.counters()[DropReason::TcpBadChecksum], 1u);  // the edit reached the server
    }
};

QTEST_GUILESS_MAIN(TestHostHooks)
#include "test_host_hooks.moc"

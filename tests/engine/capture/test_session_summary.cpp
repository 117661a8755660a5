// Session summaries of a recording: packets and bytes each way, each frame on the wire counted once
// (its sent copy, or the only copy of a frame from outside the lab). The host usually says which
// end of its session sent a frame (FrameInfo::side) and the recorder counts it without decoding;
// otherwise the recorder decodes the frame. Both ways must give the counts a reader computes by
// decoding every stored frame.
#include <map>

#include <QtTest>

#include "capture/flow_tracker.h"
#include "capture/packet_store.h"
#include "capture/recorder.h"
#include "capture/tcp_segment.h"
#include "capture_fixtures.h"
#include "recorded_demo_run.h"

using namespace tcplab;
using namespace std::chrono_literals;
using test::ep;
using test::tcpFrame;

namespace {

struct Counts {
    std::uint64_t packetsFromInitiator = 0, bytesFromInitiator = 0;
    std::uint64_t packetsFromResponder = 0, bytesFromResponder = 0;
    bool operator==(const Counts &) const = default;
};

// What the summaries should say, from the stored frames alone.
std::map<SessionId, Counts> countedByDecoding(const PacketStore &store, const FlowTracker &flows)
{
    std::map<SessionId, Counts> out;
    for (std::uint64_t i = 0; i < store.size(); ++i) {
        const PacketView p = store.packet(i);
        if (p.session == kNoSession || p.sentAs != Event::kNoPacket) continue;
        const auto seg = tcpSegmentOf(p.bytes);
        if (!seg) continue;
        Counts &c = out[p.session];
        if (seg->src == flows.summary(p.session)->initiator) {
            ++c.packetsFromInitiator;
            c.bytesFromInitiator += p.originalLength;
        } else {
            ++c.packetsFromResponder;
            c.bytesFromResponder += p.originalLength;
        }
    }
    return out;
}

std::map<SessionId, Counts> summarized(const FlowTracker &flows)
{
    std::map<SessionId, Counts> out;
    for (const SessionSummary &s : flows.sessions())
        out[s.id] = {s.packetsFromInitiator, s.bytesFromInitiator, s.packetsFromResponder,
                     s.bytesFromResponder};
    return out;
}

test::RecordedDemoRun::Options lossyRun(RecorderConfig::Analysis analysis)
{
    test::RecordedDemoRun::Options o;
    o.lab.clientToServer.latency = o.lab.serverToClient.latency = 5ms;
    o.lab.clientToServer.loss = 0.03;
    o.lab.clientToServer.duplicate = 0.02;
    o.lab.serverToClient.loss = 0.02;
    o.lab.seed = 11;
    o.recorder.analysis = analysis;
    o.bytes = 128 * 1024;
    o.runFor = 60s;
    return o;
}

} // namespace

class TestSessionSummary : public QObject {
    Q_OBJECT

private slots:
    void demoRunCountsEachWireFrameOnceEachWay_data()
    {
        QTest::addColumn<int>("analysis");
        QTest::newRow("inline labels") << int(RecorderConfig::Analysis::Inline);
        QTest::newRow("background labels") << int(RecorderConfig::Analysis::Background);
        QTest::newRow("no labels") << int(RecorderConfig::Analysis::Off);
    }
    void demoRunCountsEachWireFrameOnceEachWay()
    {
        QFETCH(int, analysis);
        test::RecordedDemoRun run(lossyRun(RecorderConfig::Analysis(analysis)));
        const FlowTracker &flows = run.lab->flows();
        QCOMPARE(flows.sessions().size(), std::size_t(1));
        const SessionSummary &s = flows.sessions().front();
        // The client's 128 KiB and its retransmissions go one way, the server's ACKs the other;
        // lost frames were sent, duplicated ones were not sent twice.
        QVERIFY(s.bytesFromInitiator > 128 * 1024);
        QVERIFY(s.packetsFromResponder > 0);
        QCOMPARE(summarized(flows), countedByDecoding(run.store, flows));
    }

    void hostSaysTheSideOrTheRecorderDecodes()
    {
        PacketStore store;
        FlowTracker flows;
        Recorder rec(store, flows, {RecorderConfig::Analysis::Off});
        const Endpoint c = ep("198.18.0.1", 40000), s = ep("198.18.0.2", 80);
        FrameInfo info;
        info.direction = Direction::Outbound;
        info.session = flows.observe(Instant{}, c, s, TcpFlags::kSyn, SeqNum(100)).session;
        // Told by the host: counted from the side it names (these bytes say the opposite).
        info.side = SessionSide::Responder;
        rec.onFrame(info, tcpFrame(c, s, TcpFlags::kSyn, 100, 0));
        // Not told: decoded (the client's SYN again, from the initiator).
        info.side = SessionSide::Unknown;
        const Bytes syn = tcpFrame(c, s, TcpFlags::kSyn, 100, 0);
        rec.onFrame(info, syn);
        // A received copy of a frame sent in the lab is not counted a second time, told or not.
        info.direction = Direction::Inbound;
        info.sentAs = 1;
        info.side = SessionSide::Initiator;
        rec.onFrame(info, syn);
        const SessionSummary *sum = flows.summary(info.session);
        QCOMPARE(sum->packetsFromResponder, std::uint64_t(1));
        QCOMPARE(sum->bytesFromResponder, std::uint64_t(syn.size()));
        QCOMPARE(sum->packetsFromInitiator, std::uint64_t(1));
        QCOMPARE(sum->bytesFromInitiator, std::uint64_t(syn.size()));
    }

    void flowTrackerSaysWhichEndSentEachSegment()
    {
        FlowTracker flows;
        const Endpoint c = ep("198.18.0.1", 40000), s = ep("198.18.0.2", 80);
        QVERIFY(flows.observe(Instant{}, c, s, TcpFlags::kSyn, SeqNum(1)).fromInitiator);
        QVERIFY(!flows.observe(Instant{}, s, c, TcpFlags::kSyn | TcpFlags::kAck, SeqNum(9)).fromInitiator);
        QVERIFY(flows.observe(Instant{}, c, s, TcpFlags::kAck, SeqNum(2)).fromInitiator);
    }
};

QTEST_GUILESS_MAIN(TestSessionSummary)
#include "test_session_summary.moc"

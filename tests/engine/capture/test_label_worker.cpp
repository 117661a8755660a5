// Analysis labels computed by a LabelWorker thread (RecorderConfig::Analysis::Background) are the
// labels the Recorder computes inline, note for note and in the same order: a demo run with loss,
// duplication and reordering is recorded once each way and every frame's notes are compared. The
// engine's own "retransmitted" fact lands after the heuristics whether it arrives before or after
// the worker labelled the frame.
#include <QtTest>

#include "capture/label_worker.h"
#include "capture/packet_store.h"
#include "capture/recorder.h"
#include "capture_fixtures.h"
#include "recorded_demo_run.h"

using namespace tcplab;
using namespace std::chrono_literals;
using test::ep;
using test::tcpFrame;

namespace {

using Notes = std::vector<std::pair<AnnotationKind, std::string>>;

Notes notesOf(const PacketStore &store, std::uint64_t index)
{
    Notes out;
    for (const Annotation *a = store.packet(index).firstNote; a; a = a->nextNote())
        out.emplace_back(a->kind, a->text);
    return out;
}

// 256 KiB from client to a discard service over a wire that loses, duplicates and reorders.
test::RecordedDemoRun::Options impaired(RecorderConfig::Analysis analysis)
{
    test::RecordedDemoRun::Options o;
    o.lab.clientToServer.latency = o.lab.serverToClient.latency = 5ms;
    o.lab.clientToServer.loss = 0.03;
    o.lab.clientToServer.duplicate = 0.02;
    o.lab.clientToServer.reorder = 0.03;
    o.lab.serverToClient.loss = 0.02;
    o.lab.seed = 7;
    o.recorder.analysis = analysis;
    o.bytes = 256 * 1024;
    o.close = false;
    o.describeHosts = false;
    o.runFor = 60s; // losses cost retransmission timeouts
    return o;
}

} // namespace

class TestLabelWorker : public QObject {
    Q_OBJECT

private slots:
    void backgroundLabelsAreTheInlineLabelsInTheSameOrder()
    {
        test::RecordedDemoRun inlineRun(impaired(RecorderConfig::Analysis::Inline));
        test::RecordedDemoRun background(impaired(RecorderConfig::Analysis::Background));
        QCOMPARE(background.store.size(), inlineRun.store.size());
        std::map<std::uint32_t, int> labelled; // analysis bit -> frames carrying it
        int engineRetransmissions = 0;
        for (std::uint64_t i = 0; i < inlineRun.store.size(); ++i) {
            const Notes want = notesOf(inlineRun.store, i);
            QCOMPARE(notesOf(background.store, i), want);
            for (const auto &[kind, text] : want) {
                if (kind == AnnotationKind::Analysis) ++labelled[analysisBitOfLabel(text)];
                if (kind == AnnotationKind::Timer && text.rfind("retransmission", 0) == 0)
                    ++engineRetransmissions;
            }
        }
        // The comparison means something only if the run has the labels loss and reordering make.
        QVERIFY(labelled[analysis::kDuplicateAck] > 0);
        QVERIFY(labelled[analysis::kRetransmission] + labelled[analysis::kFastRetransmission] > 0);
        QVERIFY(labelled[analysis::kOutOfOrder] + labelled[analysis::kLostSegment] > 0);
        QVERIFY(engineRetransmissions > 0);
    }

    void engineRetransmissionLandsAfterTheHeuristicsEitherWay()
    {
        PacketStore store;
        FlowTracker flows;
        Recorder rec(store, flows, RecorderConfig{RecorderConfig::Analysis::Background});
        const Endpoint c = ep("198.18.0.1", 40000), s = ep("198.18.0.2", 80);
        FrameInfo out;
        out.host = 0;
        out.direction = Direction::Outbound;
        const auto send = [&](std::uint8_t flags, std::uint32_t seq, std::uint32_t ack, std::size_t len) {
            out.time += 1ms;
            return rec.onFrame(out, tcpFrame(c, s, flags, seq, ack, len));
        };
        Event rtx;
        rtx.kind = EventKind::Retransmit;
        rtx.fields = {{"cause", "RTO #1"}};
        send(TcpFlags::kSyn, 100, 0, 0);
        const std::uint64_t first = send(TcpFlags::kAck | TcpFlags::kPsh, 101, 1, 100);
        // Heuristics see nothing odd in a first transmission; the engine says it retransmitted it.
        // Told before the worker got to the frame (most likely) or after (settled first): same notes.
        rtx.packetIndex = first;
        rec.onEvent(rtx);
        rec.settle();
        const std::uint64_t again = send(TcpFlags::kAck | TcpFlags::kPsh, 101, 1, 100);
        rec.settle();
        rtx.packetIndex = again;
        rec.onEvent(rtx);
        const Notes told{{AnnotationKind::Analysis, "TCP Retransmission"},
                         {AnnotationKind::Timer, "retransmission after RTO #1"}};
        QCOMPARE(notesOf(store, first), told);
        // The heuristics saw this one: one label, not two.
        QCOMPARE(notesOf(store, again), told);
    }

    void destroyingTheRecorderLabelsWhatItRecorded()
    {
        PacketStore store;
        FlowTracker flows;
        const Endpoint c = ep("198.18.0.1", 40000), s = ep("198.18.0.2", 80);
        {
            Recorder rec(store, flows, RecorderConfig{RecorderConfig::Analysis::Background});
            FrameInfo out;
            out.direction = Direction::Outbound;
            rec.onFrame(out, tcpFrame(c, s, TcpFlags::kSyn, 100, 0, 0));
            for (int k = 0; k < 2000; ++k) {
                out.time += 1ms;
                rec.onFrame(out, tcpFrame(c, s, TcpFlags::kAck | TcpFlags::kPsh, 101, 1, 100));
            }
        }
        for (std::uint64_t i = 2; i < store.size(); ++i)
            QCOMPARE(notesOf(store, i), (Notes{{AnnotationKind::Analysis, "TCP Retransmission"}}));
    }

    void analysisLabelsStayAheadOfOtherNotes()
    {
        PacketStore store;
        FrameInfo info;
        const std::uint64_t i =
            store.append(info, tcpFrame(ep("198.18.0.1", 1), ep("198.18.0.2", 2), 0x10, 1, 1));
        store.addAnnotation(i, AnnotationKind::StateChange, "a");
        store.addAnnotation(i, AnnotationKind::Analysis, "TCP Dup ACK 1#1");
        store.addAnnotation(i, AnnotationKind::RuleHit, "b");
        store.addAnnotation(i, AnnotationKind::Analysis, "TCP Window Full");
        const Notes want{{AnnotationKind::Analysis, "TCP Dup ACK 1#1"},
                         {AnnotationKind::Analysis, "TCP Window Full"},
                         {AnnotationKind::StateChange, "a"},
                         {AnnotationKind::RuleHit, "b"}};
        QCOMPARE(notesOf(store, i), want);
    }
};

QTEST_GUILESS_MAIN(TestLabelWorker)
#include "test_label_worker.moc"

// Every scenario of the built-in library played on the demo network in virtual time, asserting the
// exchange its description promises.
#include <map>
#include <numeric>

#include <QtTest>

#include "scenario/scenario_io.h"
#include "scenario_trace.h"

using namespace tcplab;
using namespace tcplab::test;

namespace {

constexpr HostId kClientId = 0, kServerId = 1;

// An event's field by key, empty when it has none.
std::string field(const Event &e, const std::string &key)
{
    for (const auto &[k, v] : e.fields)
        if (k == key) return v;
    return {};
}

struct Played {
    // The sinks first: the run (declared last, destroyed first) still reports its teardown to them.
    SegmentTrace trace;
    EventLog log;
    std::unique_ptr<ScenarioRun> run;
};

std::unique_ptr<Played> play(const std::string &name, Duration length)
{
    auto scenario = loadScenarioByNameOrFile(name);
    if (!scenario) qFatal("%s", scenario.error().message.c_str());
    auto run = ScenarioRun::demo(*scenario);
    if (!run) qFatal("%s", run.error().message.c_str());
    auto p = std::make_unique<Played>();
    p->run = std::move(run.value());
    p->run->lab().setFrameSink(&p->trace);
    p->run->lab().events().add(&p->log);
    const Instant t0 = instantFromNanos(1'000'000'000);
    p->run->start(t0);
    p->run->runUntil(t0 + length);
    return p;
}

std::size_t countFlags(const std::vector<TracedSegment> &segs, std::uint8_t flags)
{
    return std::size_t(
        std::count_if(segs.begin(), segs.end(), [&](const auto &s) { return s.flags == flags; }));
}

} // namespace

class TestScenarioLibrary : public QObject {
    Q_OBJECT
private slots:
    // The motivating case, exactly: SYN → bare ACK (seq = SYN.seq + 1, ack = SYN.seq + SYN.win - 1,
    // window 224, no options) → RST from the client, again for every SYN retransmission; the
    // server never sends a SYN-ACK and drops the RSTs silently.
    void synAnsweredByAck()
    {
        auto p = play("syn-answered-by-ack", std::chrono::seconds(10));
        const auto client = p->trace.sentBy(kClientId);
        const auto server = p->trace.sentBy(kServerId);
        std::vector<TracedSegment> syns;
        for (const auto &s : client)
            if (s.flags == TcpFlags::kSyn) syns.push_back(s);
        QVERIFY2(syns.size() >= 4, "SYN and its retransmissions at 1 s, 3 s, 7 s");
        for (std::size_t i = 1; i < syns.size(); ++i)
            QCOMPARE(syns[i].seq, syns[0].seq); // retransmissions
        QCOMPARE(countFlags(server, TcpFlags::kSyn | TcpFlags::kAck), std::size_t(0));
        QCOMPARE(server.size(), syns.size()); // one bare ACK per SYN, nothing else
        for (std::size_t i = 0; i < syns.size(); ++i) {
            const auto &ack = server[i];
            QCOMPARE(ack.flags, TcpFlags::kAck);
            QCOMPARE(ack.seq, syns[i].seq + 1);
            QCOMPARE(ack.ack, syns[i].seq + syns[i].window - 1);
            QCOMPARE(ack.window, std::uint16_t(224));
            QCOMPARE(ack.headerLength, std::size_t(20)); // no options
            QCOMPARE(ack.payload, std::size_t(0));
            QVERIFY(ack.time > syns[i].time);
        }
        // RFC 9293 section 3.10.7.3 (SYN-SENT, unacceptable ACK): <SEQ=SEG.ACK><CTL=RST>.
        std::vector<TracedSegment> rsts;
        for (const auto &s : client)
            if (s.flags & TcpFlags::kRst) rsts.push_back(s);
        QCOMPARE(rsts.size(), syns.size());
        for (std::size_t i = 0; i < rsts.size(); ++i)
            QCOMPARE(rsts[i].seq, server[i].ack);
        // Every RST reached the server and was dropped by the rule, never answered.
        std::size_t dropped = 0;
        for (const auto &s : p->trace.receivedBy(kServerId))
            if ((s.flags & TcpFlags::kRst) && s.fate == FrameFate::DroppedByRule) ++dropped;
        QCOMPARE(dropped, rsts.size());
        QCOMPARE(p->run->rules("server")->hits("syn-gets-bare-ack"), std::uint64_t(syns.size()));
        QCOMPARE(p->run->rules("server")->hits("drop-unmatched"), std::uint64_t(rsts.size()));
        QVERIFY(!p->run->connections().at(1).connected);
        QCOMPARE(p->log.count(EventKind::RuleHit, "syn-gets-bare-ack"), syns.size());
    }

    void handshakeLesson()
    {
        auto p = play("handshake", std::chrono::seconds(2));
        const auto client = p->trace.sentBy(kClientId);
        const auto server = p->trace.sentBy(kServerId);
        QVERIFY(client.size() >= 3 && server.size() >= 2);
        QCOMPARE(client[0].flags, TcpFlags::kSyn);
        QCOMPARE(server[0].flags, std::uint8_t(TcpFlags::kSyn | TcpFlags::kAck));
        QCOMPARE(server[0].ack, client[0].seq + 1);
        QCOMPARE(client[1].flags, TcpFlags::kAck);
        QCOMPARE(client[1].ack, server[0].seq + 1);
        QVERIFY(p->run->connections().at(1).connected);
        QCOMPARE(p->run->connections().at(1).bytesReceived, std::uint64_t(5)); // "hello" echoed
    }

    void lostSynAck()
    {
        auto p = play("lost-syn-ack", std::chrono::seconds(4));
        const auto server = p->trace.sentBy(kServerId, false);
        QVERIFY(countFlags(server, TcpFlags::kSyn | TcpFlags::kAck) >= 2); // the lost one and another
        QCOMPARE(server[0].fate, FrameFate::DroppedByRule);
        QVERIFY(p->run->connections().at(1).connected);
        // The handshake completes only after about a second (the client's initial RTO).
        const auto received = p->trace.receivedBy(kClientId);
        const auto firstSynAck = std::find_if(received.begin(), received.end(), [](const auto &s) {
            return s.flags == (TcpFlags::kSyn | TcpFlags::kAck);
        });
        QVERIFY(firstSynAck != received.end());
        QVERIFY(firstSynAck->time - instantFromNanos(1'000'000'000) >= std::chrono::milliseconds(900));
    }

    void mssBlackhole()
    {
        auto p = play("mss-blackhole", std::chrono::seconds(5));
        std::size_t largeArrived = 0, smallArrived = 0;
        for (const auto &s : p->trace.receivedBy(kServerId)) {
            largeArrived += s.payload > 536;
            smallArrived += s.payload > 0 && s.payload <= 536;
        }
        QCOMPARE(largeArrived, std::size_t(0));
        QVERIFY(smallArrived >= 1);                                         // "small" made it
        QVERIFY(p->run->rules("client")->hits("drop-large-segments") >= 3); // retransmitted and dropped again
    }

    void zeroWindowStall()
    {
        auto p = play("zero-window-stall", std::chrono::seconds(20));
        const auto server = p->trace.sentBy(kServerId);
        // Receiver SWS avoidance: the window is a whole number of segments or zero, never a sliver.
        std::size_t zeroWindowAcks = 0;
        for (const auto &s : server) {
            if (!(s.flags & TcpFlags::kAck) || (s.flags & TcpFlags::kSyn)) continue;
            QVERIFY2(s.window == 0 || s.window >= 1448, "no window below one segment");
            zeroWindowAcks += s.window == 0;
        }
        QVERIFY(zeroWindowAcks >= 4); // the ZeroWindow, then the answer to every probe
        QVERIFY(std::any_of(p->log.events.begin(), p->log.events.end(), [](const Event &e) {
            return e.kind == EventKind::WindowChange && e.host == kServerId && e.name == "rcv_wnd";
        }));
        std::uint64_t delivered = 0;
        for (const auto &s : p->trace.receivedBy(kServerId))
            delivered += s.payload;
        QVERIFY(delivered >= 4 * 1448 && delivered <= 8192); // the buffer filled, nothing beyond it
        // Zero-window probes from the client (no data, SND.UNA - 1) at intervals that double.
        std::vector<Instant> probes;
        for (const auto &e : p->log.events)
            if (e.kind == EventKind::Retransmit && e.name == "zero-window-probe" && e.host == kClientId)
                probes.push_back(e.time);
        QVERIFY2(probes.size() >= 3, "at least three probes in 20 s");
        for (std::size_t i = 2; i < probes.size(); ++i) {
            const auto before = (probes[i - 1] - probes[i - 2]) / std::chrono::milliseconds(1);
            const auto gap = (probes[i] - probes[i - 1]) / std::chrono::milliseconds(1);
            QVERIFY2(gap >= 2 * before - 5, "persist backoff doubles");
        }
        std::size_t bareProbes = 0;
        for (const auto &s : p->trace.sentBy(kClientId))
            bareProbes += s.flags == TcpFlags::kAck && s.payload == 0 && s.time >= probes.front();
        QVERIFY(bareProbes >= probes.size());
        const auto &c = p->run->connections().at(1);
        QVERIFY(c.connected);
        QVERIFY(c.error.empty());
        QVERIFY(!c.closed);
    }

    void rstAfterHandshake()
    {
        auto p = play("rst-after-handshake", std::chrono::seconds(2));
        const auto server = p->trace.sentBy(kServerId);
        QCOMPARE(server.size(), std::size_t(2)); // SYN-ACK, then the RST
        QCOMPARE(server[0].flags, std::uint8_t(TcpFlags::kSyn | TcpFlags::kAck));
        QVERIFY(server[1].flags & TcpFlags::kRst);
        const auto &c = p->run->connections().at(1);
        QVERIFY(c.connected); // connect() succeeded...
        QVERIFY(c.closed);    // ...and the connection is gone
        QCOMPARE(c.bytesReceived, std::uint64_t(0));
    }

    void rstMidTransfer()
    {
        auto p = play("rst-mid-transfer", std::chrono::seconds(3));
        std::size_t dataBeforeRst = 0;
        bool rst = false;
        for (const auto &s : p->trace.receivedBy(kClientId))
            rst = rst || (s.flags & TcpFlags::kRst);
        for (const auto &s : p->trace.receivedBy(kServerId))
            dataBeforeRst += s.payload > 0 && s.fate == FrameFate::Delivered;
        QVERIFY(rst);
        QVERIFY(dataBeforeRst >= 9); // the tenth data segment triggered it
        QVERIFY(p->run->connections().at(1).closed);
        QCOMPARE(p->run->rules("server")->hits("reset-on-tenth-data-segment"), std::uint64_t(1));
    }

    void simultaneousOpen()
    {
        auto p = play("simultaneous-open", std::chrono::seconds(1));
        const auto client = p->trace.sentBy(kClientId), server = p->trace.sentBy(kServerId);
        // RFC 9293 section 3.5 figure 8: SYN crossing SYN, then SYN-ACK crossing SYN-ACK.
        QCOMPARE(client.at(0).flags, TcpFlags::kSyn);
        QCOMPARE(server.at(0).flags, TcpFlags::kSyn);
        QCOMPARE(client.at(1).flags, std::uint8_t(TcpFlags::kSyn | TcpFlags::kAck));
        QCOMPARE(server.at(1).flags, std::uint8_t(TcpFlags::kSyn | TcpFlags::kAck));
        QCOMPARE(client[1].ack, server[0].seq + 1);
        QVERIFY(p->run->connections().at(1).connected);
        QVERIFY(p->run->connections().at(2).connected);
        std::size_t viaSynReceived = 0;
        for (const auto &e : p->log.events)
            viaSynReceived += e.kind == EventKind::StateChange && e.name == "SYN-RECEIVED";
        QCOMPARE(viaSynReceived, std::size_t(2));
    }

    void delayedFin()
    {
        auto p = play("delayed-fin", std::chrono::seconds(4));
        Instant firstFinSent = kNever, finArrived = kNever;
        std::size_t finsDelayed = 0;
        for (const auto &e : p->log.events)
            if (e.kind == EventKind::RuleHit && e.name == "delay-client-fin") {
                firstFinSent = std::min(firstFinSent, e.time);
                ++finsDelayed;
            }
        for (const auto &s : p->trace.receivedBy(kServerId))
            if (s.flags & TcpFlags::kFin) finArrived = std::min(finArrived, s.time);
        QVERIFY(firstFinSent != kNever && finArrived != kNever);
        QVERIFY(finArrived - firstFinSent >= std::chrono::seconds(2)); // the server waited 2 s for it
        QVERIFY(finsDelayed >= 2); // the client retransmitted its FIN meanwhile
    }

    void duplicateAcksFastRetransmit()
    {
        auto p = play("duplicate-acks-fast-retransmit", std::chrono::seconds(2));
        const auto dropped =
            std::find_if(p->trace.segments.begin(), p->trace.segments.end(), [](const auto &s) {
                return s.host == kClientId && s.outbound && s.fate == FrameFate::DroppedByRule;
            });
        QVERIFY(dropped != p->trace.segments.end());
        // RFC 5681 section 3.2: the retransmission follows the third duplicate ACK, well before
        // the 1 s initial RTO.
        std::size_t dupAcks = 0;
        Instant thirdDup = kNever, retransmitted = kNever;
        for (const auto &s : p->trace.receivedBy(kClientId))
            if (s.ack == dropped->seq && s.payload == 0 && ++dupAcks == 4)
                thirdDup = s.time; // 1 ACK + 3 dups
        for (const auto &s : p->trace.sentBy(kClientId))
            if (s.seq == dropped->seq && s.payload > 0 && s.time > dropped->time)
                retransmitted = std::min(retransmitted, s.time);
        QVERIFY(thirdDup != kNever && retransmitted != kNever);
        QVERIFY(retransmitted >= thirdDup);
        QVERIFY(retransmitted - dropped->time < std::chrono::milliseconds(500));
    }

    void outOfOrderDelivery()
    {
        auto p = play("out-of-order-delivery", std::chrono::seconds(2));
        std::size_t backwards = 0;
        std::uint32_t highest = 0;
        bool first = true;
        for (const auto &s : p->trace.receivedBy(kServerId)) {
            if (s.payload == 0) continue;
            if (!first && SeqNum(s.seq) < SeqNum(highest)) ++backwards;
            if (first || SeqNum(s.seq) > SeqNum(highest)) highest = s.seq;
            first = false;
        }
        QVERIFY(backwards >= 3); // held segments arrived behind later ones
        QVERIFY(p->run->rules("client")->hits("hold-every-fifth") >= 3);
        QCOMPARE(p->run->rules("client")->heldPackets(), std::size_t(0)); // all released
    }

    void timeWaitAssassination()
    {
        auto p = play("time-wait-assassination", std::chrono::seconds(2));
        QVERIFY(p->run->rules("client")->hits("rst-into-time-wait") >= 1);
        // RFC 1337 (the stack's default): the RST does not end TIME-WAIT early.
        for (const auto &e : p->log.events)
            if (e.kind == EventKind::StateChange && e.host == kClientId)
                for (const auto &[k, v] : e.fields)
                    QVERIFY2(!(k == "from" && v == "TIME-WAIT"), e.detail.c_str());
    }

    void halfOpenAfterPeerReboot()
    {
        auto p = play("half-open-after-peer-reboot", std::chrono::seconds(4));
        // The client's data after the reboot is answered by a RST from the server's stack.
        bool rstToClient = false;
        for (const auto &s : p->trace.sentBy(kServerId))
            rstToClient = rstToClient || (s.flags & TcpFlags::kRst);
        QVERIFY(rstToClient);
        QVERIFY(p->run->connections().at(1).closed);
        QCOMPARE(p->run->rules("server")->hits("server-forgets-after-1s"), std::uint64_t(1));
    }

    void gracefulClose()
    {
        auto p = play("graceful-close", std::chrono::seconds(2));
        std::vector<std::string> clientStates;
        for (const auto &e : p->log.events)
            if (e.kind == EventKind::StateChange && e.host == kClientId) clientStates.push_back(e.name);
        QVERIFY(std::find(clientStates.begin(), clientStates.end(), "FIN-WAIT-1") != clientStates.end());
        QVERIFY(std::find(clientStates.begin(), clientStates.end(), "TIME-WAIT") != clientStates.end());
        QCOMPARE(countFlags(p->trace.sentBy(kServerId), TcpFlags::kFin | TcpFlags::kAck), std::size_t(1));
    }

    void ackStorm()
    {
        auto p = play("ack-storm", std::chrono::seconds(3));
        // After the rewrite each side finds the other's segments out of window and answers with an
        // ACK (RFC 9293 section 3.10.7.4); the bounce repeats, limited by the retransmission timer.
        std::size_t serverAcksAfter = 0, clientAcksAfter = 0;
        const Instant from = instantFromNanos(1'000'000'000) + std::chrono::milliseconds(600);
        for (const auto &s : p->trace.sentBy(kServerId))
            serverAcksAfter += s.time >= from && s.payload == 0;
        for (const auto &s : p->trace.sentBy(kClientId))
            clientAcksAfter += s.time >= from && s.payload == 0;
        QVERIFY(serverAcksAfter >= 3 && clientAcksAfter >= 3);
        QVERIFY(p->trace.segments.size() < 2000); // bounded, not a melt-down
        const auto &tc = p->run->tcp("server")->counters();
        QVERIFY(tc.unacceptable + tc.challengeAcks > 0);
    }

    void synFloodBacklog()
    {
        auto p = play("syn-flood-backlog", std::chrono::seconds(4));
        std::map<std::uint16_t, std::size_t> synsPerClientPort, synAcksPerClientPort;
        for (const auto &s : p->trace.sentBy(kClientId))
            if (s.flags == TcpFlags::kSyn) ++synsPerClientPort[s.srcPort];
        for (const auto &s : p->trace.sentBy(kServerId))
            if (s.flags == (TcpFlags::kSyn | TcpFlags::kAck)) ++synAcksPerClientPort[s.dstPort];
        QCOMPARE(synsPerClientPort.size(), std::size_t(6));
        // syn_queue = 4: four half-open connections, their SYN-ACKs retransmitted.
        QCOMPARE(synAcksPerClientPort.size(), std::size_t(4));
        for (const auto &[port, n] : synAcksPerClientPort)
            QVERIFY2(n >= 2, "SYN-ACK retransmitted");
        // The other two clients: SYN at 0 s, 1 s and 3 s, every one dropped (no cookies).
        for (const auto &[port, n] : synsPerClientPort)
            if (!synAcksPerClientPort.count(port))
                QVERIFY2(n >= 3, "SYN retransmitted while the queue is full");
        const auto &tc = p->run->tcp("server")->counters();
        QVERIFY(tc.synDropped >= 6);
        QCOMPARE(tc.synCookiesSent, std::uint64_t(0));
        for (std::uint32_t i = 1; i <= 4; ++i)
            QVERIFY(p->run->connections().at(i).connected); // the client believes it
        for (std::uint32_t i = 5; i <= 6; ++i) {            // still in SYN-SENT
            const auto it = p->run->connections().find(i);
            QVERIFY(it == p->run->connections().end() || !it->second.connected);
        }
        for (const auto &e : p->log.events) // no handshake completed on the server
            QVERIFY(!(e.kind == EventKind::StateChange && e.host == kServerId && e.name == "ESTABLISHED"));
        QVERIFY(p->run->rules("server")->hits("lose-handshake-acks") >= 4);
    }

    void slowReader()
    {
        auto p = play("slow-reader", std::chrono::seconds(10));
        std::uint64_t delivered = 0;
        for (const auto &s : p->trace.receivedBy(kServerId))
            delivered += s.payload;
        // 2 KB/s for ~10 s plus the 4 KB buffer (and retransmitted probes): far below the wire's pace.
        QVERIFY(delivered >= 10 * 1024);
        QVERIFY(delivered <= 2048 * 10 + 4096 + 3 * 1448 * 4);
        const auto server = p->trace.sentBy(kServerId);
        QVERIFY(std::any_of(server.begin(), server.end(),
                            [](const auto &s) { return s.window < 1448 && (s.flags & TcpFlags::kAck); }));
    }

    void windowShrink()
    {
        auto p = play("window-shrink", std::chrono::seconds(2));
        const Instant t0 = instantFromNanos(1'000'000'000);
        std::uint16_t before = 0, after = 0xffff;
        for (const auto &s : p->trace.sentBy(kServerId)) {
            if (!(s.flags & TcpFlags::kAck) || (s.flags & TcpFlags::kSyn)) continue;
            if (s.time < t0 + std::chrono::milliseconds(150)) before = std::max(before, s.window);
            if (s.time > t0 + std::chrono::milliseconds(250)) after = std::min(after, s.window);
        }
        QVERIFY(before > 0 && after < before / 8);
        QVERIFY(p->run->connections().at(1).error.empty());
    }

    void lossAndRetransmissionLesson()
    {
        auto p = play("loss-and-retransmission", std::chrono::seconds(30));
        const auto &c = p->run->tcp("client")->counters();
        QVERIFY(c.retransmits > 0);
        std::uint64_t delivered = 0;
        for (const auto &s : p->trace.receivedBy(kServerId))
            delivered += s.fate == FrameFate::Delivered ? s.payload : 0;
        const std::uint64_t last = std::string_view("last message: one segment, nothing after it").size();
        QVERIFY(delivered >= 64u * 2000u + last); // everything arrived despite the loss (plus duplicates)
    }

    // The lesson's last loss is repaired by the retransmission timer, not by duplicate ACKs: the
    // last message's only segment is dropped, no segment follows it, so no duplicate ACK comes; the
    // RTO expires, the client backs the timer off (an "rto" event, RFC 6298 section 5.5) and sends
    // the segment again ("rto #1"), which the server receives.
    void lossLessonEndsWithAnRtoRetransmission()
    {
        auto p = play("loss-and-retransmission", std::chrono::seconds(30));
        const std::uint32_t last =
            std::uint32_t(std::string_view("last message: one segment, nothing after it").size());
        // The last message: sent twice by the client (first copy dropped by the rule), later than anything
        // else.
        std::vector<TracedSegment> copies;
        for (const auto &s : p->trace.sentBy(kClientId, false))
            if (s.payload == last) copies.push_back(s);
        QCOMPARE(copies.size(), std::size_t(2));
        QCOMPARE(copies[0].seq, copies[1].seq);
        const Instant lost = copies[0].time, resent = copies[1].time;
        // No duplicate ACK between the loss and the retransmission: the server sent nothing at all.
        for (const auto &s : p->trace.sentBy(kServerId))
            QVERIFY2(!(s.time > lost && s.time < resent), "the server answered the lost segment");
        const Event *rto = nullptr, *retransmit = nullptr;
        for (const auto &e : p->log.events) {
            if (e.host != kClientId || e.time < lost || e.time > resent) continue;
            if (e.kind == EventKind::RttSample && e.name == "rto") rto = &e;
            if (e.kind == EventKind::Retransmit) retransmit = &e;
        }
        QVERIFY2(rto, "no RTO backoff event before the retransmission");
        QVERIFY(field(*rto, "cause").starts_with("backoff #"));
        QVERIFY(std::stoll(field(*rto, "after_ns")) > std::stoll(field(*rto, "before_ns")));
        // It fired one RTO after the loss (the RTO before the backoff).
        QCOMPARE(nanosOf(resent) - nanosOf(lost), std::stoll(field(*rto, "before_ns")));
        QVERIFY2(retransmit, "no retransmission event");
        QCOMPARE(field(*retransmit, "cause"), std::string("rto #1"));
        QCOMPARE(field(*retransmit, "seq"), std::to_string(copies[0].seq));
        QCOMPARE(field(*retransmit, "len"), std::to_string(last));
        // The retransmission got through and was acknowledged.
        bool acked = false;
        for (const auto &s : p->trace.sentBy(kServerId))
            acked = acked || (s.time > resent && s.ack == copies[0].seq + last);
        QVERIFY(acked);
    }

    // Every note of the four lessons fires during a run, in the order of the file: the triggers
    // fed with what the run did (packets sent by each host, state changes, retransmissions), the
    // way the GUI's classroom feeds them step by step.
    void lessonNotesFireInOrder_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<int>("seconds");
        QTest::newRow("handshake") << "handshake" << 2;
        QTest::newRow("graceful-close") << "graceful-close" << 2;
        QTest::newRow("syn-answered-by-ack") << "syn-answered-by-ack" << 10;
        QTest::newRow("loss-and-retransmission") << "loss-and-retransmission" << 30;
    }
    void lessonNotesFireInOrder()
    {
        QFETCH(QString, name);
        QFETCH(int, seconds);
        auto scenario = loadScenarioByNameOrFile(name.toStdString());
        QVERIFY(scenario.ok());
        QVERIFY(scenario->lesson.size() >= 4);
        auto p = play(name.toStdString(), std::chrono::seconds(seconds));
        auto hostName = [&](HostId h) {
            return h < scenario->hosts.size() ? scenario->hosts[h].name : std::string();
        };
        struct Fact {
            Instant time;
            const TracedSegment *segment = nullptr;
            const Event *event = nullptr;
        };
        std::vector<Fact> facts;
        for (const auto &s : p->trace.segments)
            if (s.outbound && s.fate != FrameFate::DroppedByRule) facts.push_back({s.time, &s, nullptr});
        for (const auto &e : p->log.events)
            if (e.kind == EventKind::StateChange || e.kind == EventKind::Retransmit)
                facts.push_back({e.time, nullptr, &e});
        std::stable_sort(facts.begin(), facts.end(),
                         [](const Fact &a, const Fact &b) { return a.time < b.time; });
        LessonTracker tracker(scenario->lesson);
        std::vector<int> fired;
        if (tracker.introduction() != LessonTracker::kNone) fired.push_back(tracker.introduction());
        for (const auto &f : facts) {
            int note = LessonTracker::kNone;
            if (f.segment) {
                note = tracker.onPacketSent(hostName(f.segment->host), f.segment->flags);
            } else if (f.event->kind == EventKind::StateChange) {
                note = tracker.onStateEntered(hostName(f.event->host), f.event->name);
            } else {
                std::string cause;
                for (const auto &[k, v] : f.event->fields)
                    if (k == "cause") cause = v;
                note = tracker.onRetransmit(hostName(f.event->host), cause);
            }
            if (note != LessonTracker::kNone) fired.push_back(note);
        }
        std::vector<int> expected(scenario->lesson.size());
        std::iota(expected.begin(), expected.end(), 0);
        QCOMPARE(fired, expected);
    }

    void debugDump()
    {
        const char *name = getenv("TCPLAB_DUMP");
        if (!name) QSKIP("set TCPLAB_DUMP=scenario to print its exchange");
        auto p =
            play(name, std::chrono::seconds(getenv("TCPLAB_DUMP_S") ? atoi(getenv("TCPLAB_DUMP_S")) : 4));
        for (const auto &s : p->trace.segments)
            if (s.outbound)
                qInfo("%8.3f h%u %d->%d %s seq=%u ack=%u win=%u len=%zu fate=%d",
                      (nanosOf(s.time) - 1e9) / 1e9, s.host, s.srcPort, s.dstPort,
                      TcpFlags(s.flags).toString().c_str(), s.seq, s.ack, s.window, s.payload, int(s.fate));
        for (const auto &e : p->log.events)
            if (e.kind == EventKind::RuleHit || e.kind == EventKind::StateChange ||
                e.kind == EventKind::Error)
                qInfo("%8.3f %s %s %s", (nanosOf(e.time) - 1e9) / 1e9, eventKindName(e.kind), e.name.c_str(),
                      e.detail.c_str());
    }

    void everyLibraryScenarioRunsAndItsRulesHit()
    {
        for (const auto &b : builtinScenarios()) {
            // 3 s of virtual time, or the scenario's own duration when it plays longer.
            const auto scenario = loadScenarioByNameOrFile(std::string(b.name));
            QVERIFY(scenario.ok());
            const Duration length =
                std::max<Duration>(std::chrono::seconds(3), scenario->duration.value_or(Duration{}));
            auto p = play(std::string(b.name), length);
            const auto &rules = p->run->scenario().rules;
            for (const auto &r : rules) {
                const auto hits = p->run->rules(r.host)->hits(r.rule.name);
                QVERIFY2(hits > 0, (std::string(b.name) + ": rule " + r.rule.name + " never hit").c_str());
            }
            QVERIFY2(!p->trace.segments.empty(), b.name.data());
        }
    }
};

QTEST_APPLESS_MAIN(TestScenarioLibrary)
#include "test_scenario_library.moc"

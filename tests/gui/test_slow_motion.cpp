// Slow motion: the demo network's virtual time runs at the chosen speed (1x down to 0.01x) and a
// packet sent but not yet delivered is drawn along its arrow at the share of its flight that has
// passed, (now - sent) / (delivered - sent); it stops being in flight when it arrives. Checked on the
// geometry the sequence view paints (SequenceView::scene().flights), first on a hand-made session
// (arrival unknown: the flight of the session's earlier packets, or of the lab's other sessions;
// arrival known when Back shows an earlier moment), then on the real demo network at 0.01x, ticked
// with given wall-clock spans so that nothing depends on the machine's speed.
#include <cmath>

#include <QApplication>
#include <QTest>

#include "capture/packet_store.h"
#include "models/session_index.h"
#include "services/engine_lab.h"
#include "services/segment_summary.h"
#include "views/sequence_view.h"

using namespace tcplab;
using namespace tcplab::gui;

namespace {

constexpr std::int64_t kMs = 1'000'000;

struct Wire {
    PacketStore store;
    SegmentSpec l2r, r2l;
    Wire()
    {
        l2r.src = r2l.dst = Ip4Addr{0xc6120001u};
        l2r.dst = r2l.src = Ip4Addr{0xc6120002u};
        l2r.srcPort = r2l.dstPort = 40000;
        l2r.dstPort = r2l.srcPort = 80;
        l2r.window = r2l.window = 64240;
    }
    // Records the transmission at `sentNs` and, when `arrivesNs` >= 0, the reception; returns the
    // transmission's store index.
    std::uint64_t send(SessionId session, bool fromLeft, std::uint8_t flags, std::int64_t sentNs,
                       std::int64_t arrivesNs)
    {
        SegmentSpec &s = fromLeft ? l2r : r2l;
        s.flags = flags;
        const Bytes frame = buildSegmentFrame(s);
        FrameInfo sent{instantFromNanos(sentNs), HostId(fromLeft ? 0 : 1), 0,
                       Direction::Outbound,      FrameFate::Delivered,     session,
                       Event::kNoPacket};
        const auto idx = store.append(sent, frame);
        if (arrivesNs >= 0) arrive(idx, fromLeft, arrivesNs);
        return idx;
    }
    void arrive(std::uint64_t sentIdx, bool fromLeft, std::int64_t atNs)
    {
        const PacketView v = store.packet(sentIdx);
        FrameInfo got{instantFromNanos(atNs), HostId(fromLeft ? 1 : 0), 0,
                      Direction::Inbound,     FrameFate::Delivered,     v.session,
                      Event::kNoPacket};
        got.sentAs = sentIdx;
        const Bytes frame(v.bytes.begin(), v.bytes.end());
        store.append(got, frame);
    }
};

double distance(QPointF a, QPointF b)
{
    return std::hypot(a.x() - b.x(), a.y() - b.y());
}

// The one flight of arrow `arrow`, checked against `share`: drawn at from + (to - from) * share.
void checkFlight(const SequenceView::Scene &scene, std::size_t arrow, double share, const char *where)
{
    const SequenceView::SceneFlight *found = nullptr;
    for (const auto &f : scene.flights)
        if (f.arrow == arrow) found = &f;
    QVERIFY2(found, where);
    QVERIFY2(std::abs(found->share - share) < 1e-9,
             qPrintable(QStringLiteral("%1: share %2, expected %3").arg(where).arg(found->share).arg(share)));
    const QPointF expected = found->from + (found->to - found->from) * share;
    QVERIFY2(distance(found->at, expected) < 1e-6, where);
    // Along the arrow: at the expected fraction of its length from the start.
    const double along = distance(found->from, found->at) / distance(found->from, found->to);
    QVERIFY2(std::abs(along - share) < 1e-6, where);
    // A mark (the travelling dot) is drawn there.
    bool dot = false;
    for (const QRectF &m : scene.marks)
        dot = dot || m.contains(found->at);
    QVERIFY2(dot, where);
}

} // namespace

class TestSlowMotion : public QObject {
    Q_OBJECT
private slots:
    void inFlightPacketTravelsAlongItsArrow()
    {
        Wire w;
        constexpr SessionId kSession = 1;
        w.send(kSession, true, kSyn, 1 * kMs, 6 * kMs);          // 5 ms flight
        w.send(kSession, false, kSyn | kAck, 7 * kMs, 12 * kMs); // 5 ms flight
        const auto ack = w.send(kSession, true, kAck, 13 * kMs, -1);
        SessionIndex index;
        index.ingest(w.store, {});
        SequenceView view;
        view.resize(800, 600);
        view.setRowHeight(40);
        view.setSource(&w.store, &index);
        view.setSession(kSession);
        const QSizeF size(800, 600);

        // Arrival not yet known: the flight is the session's longest so far (5 ms).
        view.setNow(instantFromNanos(14 * kMs));
        auto scene = view.scene(size, 0);
        QCOMPARE(scene.flights.size(), std::size_t(1));
        QVERIFY(!scene.flights[0].arrivalKnown);
        checkFlight(scene, 2, 0.2, "1 ms after sending");
        const QPointF early = scene.flights[0].at;
        view.setNow(instantFromNanos(17 * kMs));
        scene = view.scene(size, 0);
        checkFlight(scene, 2, 0.8, "4 ms after sending");
        QVERIFY(scene.flights[0].at.x() > early.x()); // left to right, further along
        QVERIFY(scene.flights[0].at.y() > early.y()); // and down (later)

        // Back to the moment 2.5 ms after sending, with the arrival (at 18 ms) recorded: the real
        // flight, towards the real arrival point.
        w.arrive(ack, true, 18 * kMs);
        index.ingest(w.store, {});
        view.setNow(instantFromNanos(18 * kMs));
        scene = view.scene(size, 0);
        QVERIFY2(scene.flights.empty(), "arrived: no longer in flight");
        view.setMoment(ack, instantFromNanos(13 * kMs + 5 * kMs / 2));
        scene = view.scene(size, 0);
        QCOMPARE(scene.flights.size(), std::size_t(1));
        QVERIFY(scene.flights[0].arrivalKnown);
        checkFlight(scene, 2, 0.5, "the moment 2.5 ms after sending, 5 ms flight");
        const SequenceLayout l = view.layout(size.width());
        QCOMPARE(scene.flights[0].to.x(), l.xFor(false));
        view.clearMoment();
        QVERIFY(view.scene(size, 0).flights.empty());

        // A new session's SYN has no flight of its own yet: the lab's other sessions' (5 ms) stands in.
        constexpr SessionId kNext = 2;
        w.l2r.srcPort = w.r2l.dstPort = 40001;
        w.send(kNext, true, kSyn, 20 * kMs, -1);
        index.ingest(w.store, {});
        view.setSession(kNext);
        view.setNow(instantFromNanos(22 * kMs));
        checkFlight(view.scene(size, 0), 0, 0.4, "first SYN of a new session, 2 ms of 5");
    }

    // The real demo network (handshake: 10 ms each way) at 0.01x: each 10 ms of wall-clock time moves
    // the lab 0.1 ms; the SYN-ACK, once sent, travels along its arrow in proportion to the time that
    // passed, and is no longer in flight once delivered.
    void demoNetworkInSlowMotion()
    {
        EngineLab lab;
        std::string error;
        QVERIFY2(lab.loadScenario("handshake", &error), error.c_str());
        lab.setSpeed(0.01);
        lab.start();
        SessionIndex index;
        std::vector<Event> events;
        SequenceView view;
        view.resize(800, 600);
        view.setRowHeight(40);
        view.setSource(&lab.packets(), &index);
        const QSizeF size(800, 600);
        std::int64_t synFlight = -1;
        int measured = 0;
        bool delivered = false;
        std::int64_t sentNs = -1;
        for (int tick = 0; tick < 20000 && !delivered; ++tick) {
            const std::int64_t before = nanosOf(lab.status().now);
            lab.tick(Duration(10 * kMs)); // 10 ms of wall clock
            const std::int64_t now = nanosOf(lab.status().now);
            QCOMPARE(now - before, std::int64_t(100'000)); // 0.01x: 0.1 ms of virtual time
            events.clear();
            lab.drainEvents(events);
            index.ingest(lab.packets(), events);
            if (index.sessions().empty()) continue;
            const SessionData &s = index.sessions().front();
            view.setSession(s.id);
            view.setNow(instantFromNanos(now));
            if (synFlight < 0 && s.maxFlightNs > 0) synFlight = s.maxFlightNs;
            if (s.arrows.size() < 2) continue;
            // Arrow 1: the server's SYN-ACK.
            const auto scene = view.scene(size, 0);
            bool inFlight = false;
            for (const auto &f : scene.flights)
                inFlight = inFlight || f.arrow == 1;
            if (sentNs < 0) sentNs = nanosOf(lab.packets().packet(s.arrows[1].sent).time);
            if (inFlight) {
                QCOMPARE(synFlight, std::int64_t(10 * kMs)); // the wire's latency, measured on the SYN
                const double share = std::min(0.97, double(now - sentNs) / double(synFlight));
                checkFlight(scene, 1, share, "SYN-ACK in flight at 0.01x");
                ++measured;
            } else if (s.arrows[1].received != Arrow::kNone) {
                delivered = true;
                QCOMPARE(nanosOf(lab.packets().packet(s.arrows[1].received).time) - sentNs, 10 * kMs);
            }
        }
        QVERIFY(delivered);
        // 10 ms of flight at 0.1 ms per tick: about a hundred positions along the way.
        QVERIFY2(measured >= 90, qPrintable(QStringLiteral("%1 positions in flight").arg(measured)));
    }
};

int main(int argc, char **argv)
{
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM")) qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    TestSlowMotion t;
    return QTest::qExec(&t, argc, argv);
}

#include "test_slow_motion.moc"

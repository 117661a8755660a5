// Teardown in the lab's one order (host/lab.h): services stop while TCP, hosts, links and sinks are
// alive (their aborts go out as RSTs and are seen), then TCP, then the sinks are let go, so nothing
// reaches a sink after its owner has shut the lab down. Torn down mid-connection, on the demo
// network, in virtual time.
#include <QtTest>

#include "scenario/scenario_io.h"
#include "scenario_trace.h"
#include "services/tcp_services.h"

using namespace tcplab;
using namespace tcplab::test;
using namespace std::chrono_literals;

namespace {

constexpr HostId kServerId = 1;

// A frame and event sink whose owner can say "I am gone": any call after that is counted (in a
// real program it would be a use after free).
struct GuardedSinks final : FrameSink, EventSink {
    SegmentTrace trace;
    EventLog log;
    bool gone = false;
    int callsAfterGone = 0;

    std::uint64_t onFrame(const FrameInfo &info, ByteView frame) override
    {
        if (gone) return ++callsAfterGone, Event::kNoPacket;
        return trace.onFrame(info, frame);
    }
    void annotate(std::uint64_t index, const Event &e) override
    {
        if (gone)
            ++callsAfterGone;
        else
            trace.annotate(index, e);
    }
    void setFate(std::uint64_t index, FrameFate fate) override
    {
        if (gone)
            ++callsAfterGone;
        else
            trace.setFate(index, fate);
    }
    void onEvent(const Event &e) override
    {
        if (gone)
            ++callsAfterGone;
        else
            log.onEvent(e);
    }

    // RSTs the server sent on port `port` from segment index `from` on.
    std::size_t serverRstsSince(std::size_t from, std::uint16_t port) const
    {
        std::size_t n = 0;
        for (std::size_t i = from; i < trace.segments.size(); ++i) {
            const auto &s = trace.segments[i];
            n += s.host == kServerId && s.outbound && s.srcPort == port && (s.flags & TcpFlags::kRst);
        }
        return n;
    }
};

void runUntil(Lab &lab, Instant until)
{
    for (int guard = 0; guard < 1'000'000; ++guard) {
        const Instant next = lab.pollAt();
        if (next > until) break;
        lab.poll(next);
    }
    lab.poll(until);
}

} // namespace

class TestTeardown : public QObject {
    Q_OBJECT
private slots:
    // The built-in "handshake" scenario leaves its connection to the echo service open: tearing the
    // run down then must abort it through the server's live TCP layer (an RST on the wire, seen by
    // the caller's sinks), and the lab must let go of the sinks before the run is gone.
    void scenarioRunTornDownMidConnection()
    {
        auto scenario = loadScenarioByNameOrFile("handshake");
        QVERIFY2(scenario.ok(), scenario.ok() ? "" : scenario.error().message.c_str());
        GuardedSinks sinks;
        auto made = ScenarioRun::demo(*scenario);
        QVERIFY(made.ok());
        std::unique_ptr<ScenarioRun> run = std::move(made.value());
        run->lab().setFrameSink(&sinks);
        run->lab().events().add(&sinks);
        run->start(Instant{});
        run->runUntil(Instant{} + 1s);
        const auto established = run->connections();
        QCOMPARE(established.size(), std::size_t(1));
        QVERIFY(established.begin()->second.connected);
        QVERIFY(!established.begin()->second.closed);

        const std::size_t before = sinks.trace.segments.size();
        const std::size_t eventsBefore = sinks.log.events.size();
        run.reset();
        // RFC 9293 section 3.10.7.1 (ABORT in ESTABLISHED): "a <SEQ=SND.NXT><CTL=RST> should be sent".
        QCOMPARE(sinks.serverRstsSince(before, 8000), std::size_t(1));
        QVERIFY(sinks.log.events.size() > eventsBefore); // the abort was told, to a live sink
        sinks.gone = true;
        QCOMPARE(sinks.callsAfterGone, 0);
    }

    // Lab::shutdown directly: a kept service's abort is seen, then the lab lets go of the sinks:
    // destroying the lab after the owner declared its sinks gone calls none of them.
    void labShutdownLetsGoOfSinks()
    {
        GuardedSinks sinks;
        auto lab = Lab::demo();
        lab->setFrameSink(&sinks);
        lab->events().add(&sinks);
        Host &client = lab->host(0), &server = lab->host(1);
        TcpLayer &ctcp = lab->addTcp(client);
        TcpLayer &stcp = lab->addTcp(server);
        auto echo = startTcpService(stcp, lab->events(), server.id(), 7, "echo");
        QVERIFY(echo.ok());
        lab->keep(std::move(echo.value()));
        lab->start(Instant{});
        auto sock =
            ctcp.connect(lab->now(), {*IpAddr::parse("198.18.0.1"), 0}, {*IpAddr::parse("198.18.0.2"), 7});
        QVERIFY(sock.ok());
        runUntil(*lab, Instant{} + 1s);
        QCOMPARE(ctcp.info(*sock)->tcb.state, TcpState::Established);

        const std::size_t before = sinks.trace.segments.size();
        lab->shutdown();
        QCOMPARE(sinks.serverRstsSince(before, 7), std::size_t(1));
        QVERIFY(lab->isShutDown());
        QCOMPARE(lab->pollAt(), kNever);
        QCOMPARE(lab->events().size(), std::size_t(0));
        lab->shutdown(); // idempotent

        sinks.gone = true;
        lab->poll(Instant{} + 2s); // does nothing any more
        lab.reset();
        QCOMPARE(sinks.callsAfterGone, 0);
    }
};

QTEST_GUILESS_MAIN(TestTeardown)
#include "test_teardown.moc"

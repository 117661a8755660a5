// EngineHost: commands in and events out across the worker thread, the bounded event queue (a
// slow consumer gets a drop count, the engine never blocks), pause/step in virtual time, the
// clock mapping, per-module log levels. Waiting for the worker is bounded but never asserted on.
#include "host/engine_host.h"

#include <QtTest>

#include <chrono>
#include <thread>

using namespace tcplab;

namespace {

// Polls `pred` until true or a generous bound (a test failure, not a timing assertion).
template <class Pred>
bool waitFor(Pred pred)
{
    for (int i = 0; i < 2000; ++i) {
        if (pred()) return true;
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    return pred();
}

Event makeEvent(int i)
{
    Event e;
    e.kind = EventKind::Log;
    e.name = "test";
    e.detail = std::to_string(i);
    return e;
}

}  // namespace

class TestEngineHost : public QObject {
    Q_OBJECT
private slots:
    void commandRunsOnWorkerAndEventsComeBack()
    {
        EngineHost engine(Lab::demo());
        QVERIFY(engine.start().ok());
        auto workerId = engine.invoke([](Lab &) { return std::this_thread::get_id(); });
        QVERIFY(workerId.get() != std::this_thread::get_id());
        // Ping the server from the client: the echo reply arrives as an event.
        auto sent = engine.invoke([](Lab &lab) { return lab.host(0).ping(lab.now(), *IpAddr::parse("198.18.0.2"), 1, 1, {}).ok(); });
        QVERIFY(sent.get());
        std::vector<Event> got;
        QVERIFY(waitFor([&] {
            for (auto &e : engine.drainEvents(100)) got.push_back(e);
            return std::any_of(got.begin(), got.end(), [](const Event &e) { return e.name == "echo-reply"; });
        }));
        engine.stop();
        QVERIFY(!engine.running());
        // The lab is ours again after stop().
        QCOMPARE(engine.labUnsafe().host(1).counters().icmpEchoAnswered, 1u);
    }

    void eventQueueCountsDropsInsteadOfGrowing()
    {
        EventQueue q(10);
        for (int i = 0; i < 100; ++i) q.onEvent(makeEvent(i));
        QCOMPARE(q.size(), 10u);
        QCOMPARE(q.dropped(), 90u);
        const auto batch = q.drain(1000);
        QCOMPARE(batch.size(), 11u);  // ten events and one "events-dropped" notice
        QCOMPARE(batch.front().detail, std::string("0"));
        QCOMPARE(batch.back().name, std::string("events-dropped"));
        QCOMPARE(batch.back().fields.at(0), (std::pair<std::string, std::string>{"dropped", "90"}));
        QVERIFY(q.drain(1000).empty());  // the notice is given once
    }

    void drainIsBatched()
    {
        EventQueue q(100);
        for (int i = 0; i < 30; ++i) q.onEvent(makeEvent(i));
        QCOMPARE(q.drain(8).size(), 8u);
        QCOMPARE(q.drain(100).size(), 22u);
    }

    void slowConsumerNeverBlocksTheEngine()
    {
        EngineHostOptions options;
        options.eventCapacity = 16;
        EngineHost engine(Lab::demo(), options);
        QVERIFY(engine.start().ok());
        // Nobody drains while the engine emits 10000 events; the command must still complete.
        auto done = engine.invoke([](Lab &lab) {
            for (int i = 0; i < 10000; ++i) lab.events().onEvent(makeEvent(i));
            return true;
        });
        QVERIFY(done.wait_for(std::chrono::seconds(10)) == std::future_status::ready);
        QVERIFY(done.get());
        QVERIFY(engine.droppedEvents() >= 10000u - 16u);
        const auto batch = engine.drainEvents(1000);
        QVERIFY(batch.size() <= 17u);
        QCOMPARE(batch.back().name, std::string("events-dropped"));
        engine.stop();
    }

    void pausedLabStepsFromDeadlineToDeadline()
    {
        EngineHostOptions options;
        options.startPaused = true;
        EngineHost engine(Lab::demo(), options);  // 10 ms one-way latency
        QVERIFY(engine.start().ok());
        QVERIFY(engine.invoke([](Lab &lab) { return lab.host(0).ping(lab.now(), *IpAddr::parse("198.18.0.2"), 1, 1, {}).ok(); }).get());
        auto labNow = [&] { return engine.invoke([](Lab &lab) { return lab.now(); }).get(); };
        QCOMPARE(labNow(), Instant{});  // paused: time stands still
        // At 10 ms the announcements cross: the server's gratuitous ARP completes the client's
        // pending resolution (RFC 826 merge), so the echo request leaves at 10 ms, is answered at
        // 20 ms, and the reply arrives at 30 ms. Each step lands exactly on the next deadline.
        auto answered = [&] { return engine.invoke([](Lab &lab) { return lab.host(1).counters().icmpEchoAnswered; }).get(); };
        engine.step();
        QCOMPARE(labNow(), Instant(10ms));
        QCOMPARE(answered(), 0u);
        engine.step();
        QCOMPARE(labNow(), Instant(20ms));
        QCOMPARE(answered(), 1u);
        engine.step();
        QCOMPARE(labNow(), Instant(30ms));
        std::vector<Event> got = engine.drainEvents(100);
        QVERIFY(std::any_of(got.begin(), got.end(), [](const Event &e) { return e.name == "echo-reply" && e.time == Instant(30ms); }));
        engine.stop();
    }

    void externallyOwnedLabWithExtraWorkIsSteppedToo()
    {
        // What a scenario run needs: its own lab and a timeline polled with it.
        struct Timeline {
            std::unique_ptr<Lab> lab = Lab::demo();
            Instant next = Instant(5ms);
            std::vector<Instant> fired;
        };
        auto run = std::make_shared<Timeline>();
        EngineHostOptions options;
        options.startPaused = true;
        EngineHost engine(*run->lab, run, options);
        engine.setExtraWork([run] { return run->next; },
                            [run](Instant now) {
                                run->fired.push_back(now);
                                run->next = kNever;
                            });
        QVERIFY(engine.start().ok());
        engine.step();  // the timeline's 5 ms comes before the wire's 10 ms
        QCOMPARE(engine.invoke([](Lab &lab) { return lab.now(); }).get(), Instant(5ms));
        engine.stop();
        QCOMPARE(run->fired.size(), 1u);
        QCOMPARE(run->fired[0], Instant(5ms));
    }

    void clockMappingScalesPausesAndNeverGoesBack()
    {
        using Real = ClockMapping::RealTime;
        const Real t0{std::chrono::seconds(100)};
        ClockMapping c(t0, Instant{});
        QCOMPARE(c.labAt(t0 + std::chrono::seconds(2)), Instant(2s));
        c.setSpeed(t0 + std::chrono::seconds(2), 0.01);
        QCOMPARE(c.labAt(t0 + std::chrono::seconds(102)), Instant(3s));  // 100 s real at 1/100
        QCOMPARE(c.realAt(Instant(3s)), t0 + std::chrono::seconds(102));
        c.pause(t0 + std::chrono::seconds(102));
        QCOMPARE(c.labAt(t0 + std::chrono::seconds(500)), Instant(3s));
        QCOMPARE(c.realAt(Instant(4s)), Real::max());
        c.jumpTo(t0 + std::chrono::seconds(500), Instant(5s));
        QCOMPARE(c.labAt(t0 + std::chrono::seconds(600)), Instant(5s));
        c.jumpTo(t0 + std::chrono::seconds(600), Instant(1s));  // never backwards
        QCOMPARE(c.labAt(t0 + std::chrono::seconds(600)), Instant(5s));
        c.resume(t0 + std::chrono::seconds(600));
        c.setSpeed(t0 + std::chrono::seconds(600), 1.0);
        QCOMPARE(c.labAt(t0 + std::chrono::seconds(601)), Instant(6s));
    }

    void logLevelsChangePerModule()
    {
        LogHub logs;
        QVERIFY(logs.setLevel("arp", spdlog::level::debug));
        QCOMPARE(logs.get("arp")->level(), spdlog::level::debug);
        QCOMPARE(logs.get("tcp")->level(), spdlog::level::warn);
        QVERIFY(!logs.setLevel("nonsense", spdlog::level::debug));
        QVERIFY(logs.setLevel("all", spdlog::level::err));
        QCOMPARE(logs.get("arp")->level(), spdlog::level::err);
        QVERIFY(!LogHub::parseLevel("loud"));
        QCOMPARE(*LogHub::parseLevel("warning"), spdlog::level::warn);
        // Two labs do not share loggers.
        Lab a, b;
        a.logs().setLevel("ip", spdlog::level::trace);
        QCOMPARE(b.logs().get("ip")->level(), spdlog::level::warn);
    }
};

QTEST_GUILESS_MAIN(TestEngineHost)
#include "test_engine_host.moc"

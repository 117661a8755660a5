// Runs a Lab on one worker thread it owns. The thread waits (epoll) on the links' descriptors, a
// command eventfd and a timerfd armed for the lab's next deadline, then polls the lab.
//
// Commands in: post(std::function<void(Lab&)>) from any thread (a mutex-protected queue plus an
// eventfd to wake the worker). Events out: a bounded EventQueue the engine never blocks on;
// consumers drainEvents(maxCount) in batches and learn about drops from droppedEvents() and an
// "events-dropped" event.
//
// Time: steady_clock is read here and only here; a ClockMapping turns it into lab time. A tap lab
// runs in real time; the demo network may also be paused, stepped to its next event, or slowed
// down (speed 1.0 ... 0.01) for the classroom.
#pragma once

#include <atomic>
#include <functional>
#include <future>
#include <memory>
#include <mutex>
#include <string_view>
#include <thread>
#include <vector>

#include "core/expected.h"
#include "host/clock_mapping.h"
#include "host/event_queue.h"
#include "host/lab.h"

namespace tcplab {

struct EngineHostOptions {
    std::size_t eventCapacity = 65536;
    double speed = 1.0;
    bool startPaused = false;
};

class EngineHost {
public:
    using Command = std::function<void(Lab &)>;

    explicit EngineHost(std::unique_ptr<Lab> lab, EngineHostOptions options = {});
    // A lab owned by something else (a ScenarioRun): `owner` is kept alive as long as the host.
    EngineHost(Lab &lab, std::shared_ptr<void> owner, EngineHostOptions options = {});
    ~EngineHost();  // stops and joins the worker
    EngineHost(const EngineHost &) = delete;
    EngineHost &operator=(const EngineHost &) = delete;

    // Starts the worker (lab time 0 = now); the lab's start() runs on it first.
    Status start();
    // Asks the worker to finish what it is doing and joins it. Idempotent.
    void stop();
    // stop(), then the lab's teardown (Lab::shutdown: services abort their connections, TCP
    // layers go, sinks are let go) on the calling thread. Its events are still queued for
    // drainEvents(). The destructor does this too. Idempotent; the host cannot start again.
    void shutdown();
    bool running() const { return running_.load(); }

    // Runs `command` on the worker thread, in posting order. Before start() or after stop() the
    // command waits in the queue (and runs at the next start()).
    void post(Command command);
    // Runs `f(lab)` on the worker and returns its result through a future.
    template <class F>
    auto invoke(F f) -> std::future<decltype(f(std::declval<Lab &>()))>
    {
        using R = decltype(f(std::declval<Lab &>()));
        auto task = std::make_shared<std::packaged_task<R(Lab &)>>(std::move(f));
        auto future = task->get_future();
        post([task](Lab &lab) { (*task)(lab); });
        return future;
    }

    // Events, in batches; never blocks the engine.
    std::vector<Event> drainEvents(std::size_t maxCount) { return events_.drain(maxCount); }
    std::uint64_t droppedEvents() const { return events_.dropped(); }
    int eventFd() const { return events_.fd(); }

    // Clock control (thread-safe; applied on the worker).
    void setPaused(bool paused);
    void step();  // while paused: advance lab time to the next deadline and run it
    void setSpeed(double speed);
    Instant labTime() const { return Instant(Duration(labTimeNs_.load())); }

    // Logging: per module ("link", "arp", ..., or "all"); thread-safe.
    bool setLogLevel(std::string_view module, spdlog::level::level_enum level);
    LogHub &logs() { return lab_->logs(); }

    // More time-driven work for the worker, polled with the lab (a scenario's timeline). Set it
    // before start(). `poll` may poll the lab too: polling twice at one instant is harmless.
    void setExtraWork(std::function<Instant()> pollAt, std::function<void(Instant)> poll);

    // Only when the worker is not running (before start, after stop): direct access.
    Lab &labUnsafe() { return *lab_; }

private:
    void run();
    void runCommands();
    void syncFds(int epfd, std::vector<int> &registered);
    void armTimer(Instant deadline);
    ClockMapping::RealTime realNow() const;
    Instant nextDeadline() const;
    void pollAll(Instant now);

    std::shared_ptr<void> owner_;  // declared first: destroyed last
    std::unique_ptr<Lab> ownedLab_;
    Lab *lab_;
    std::function<Instant()> extraPollAt_;
    std::function<void(Instant)> extraPoll_;
    EngineHostOptions options_;
    EventQueue events_;
    ClockMapping clock_;
    std::mutex commandsMutex_;
    std::vector<Command> commands_;
    int commandFd_ = -1;
    int timerFd_ = -1;
    std::thread worker_;
    std::atomic<bool> running_{false};
    std::atomic<bool> stopping_{false};
    std::atomic<std::int64_t> labTimeNs_{0};
};

}  // namespace tcplab

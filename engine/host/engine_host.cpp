#include "host/engine_host.h"

#include <cerrno>
#include <cstring>
#include <optional>
#include <spdlog/spdlog.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/timerfd.h>
#include <unistd.h>

namespace tcplab {

namespace {
constexpr std::uint64_t kCommandTag = ~std::uint64_t(0);
constexpr std::uint64_t kTimerTag = ~std::uint64_t(0) - 1;
} // namespace

EngineHost::EngineHost(std::unique_ptr<Lab> lab, EngineHostOptions options)
    : EngineHost(*lab, nullptr, options)
{
    ownedLab_ = std::move(lab);
}

EngineHost::EngineHost(Lab &lab, std::shared_ptr<void> owner, EngineHostOptions options)
    : owner_(std::move(owner)), lab_(&lab), options_(options), events_(options.eventCapacity),
      commandFd_(::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC)),
      timerFd_(::timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC))
{
    lab_->events().add(&events_);
}

EngineHost::~EngineHost()
{
    shutdown();
    lab_->events().remove(&events_);
    if (commandFd_ >= 0) ::close(commandFd_);
    if (timerFd_ >= 0) ::close(timerFd_);
}

ClockMapping::RealTime EngineHost::realNow() const
{
    return std::chrono::steady_clock::now();
}

Status EngineHost::start()
{
    if (running_) return okStatus();
    if (lab_->isShutDown()) return Error{"cannot start the engine thread: its lab has been shut down"};
    if (commandFd_ < 0 || timerFd_ < 0)
        return Error{std::string("cannot start the engine thread: eventfd/timerfd failed: ") +
                     std::strerror(errno)};
    stopping_ = false;
    const auto r = realNow();
    clock_ = ClockMapping(r, lab_->now());
    clock_.setSpeed(r, options_.speed);
    if (options_.startPaused) clock_.pause(r);
    running_ = true;
    worker_ = std::thread([this] { run(); });
    return okStatus();
}

void EngineHost::stop()
{
    if (!worker_.joinable()) return;
    stopping_ = true;
    const std::uint64_t one = 1;
    (void)!::write(commandFd_, &one, sizeof one);
    worker_.join();
    running_ = false;
}

void EngineHost::shutdown()
{
    stop();
    // The worker is joined: this thread may touch the lab. Our event queue is still one of its
    // sinks, so the services' last events are kept for drainEvents().
    lab_->shutdown();
}

void EngineHost::post(Command command)
{
    {
        std::lock_guard lock(commandsMutex_);
        commands_.push_back(std::move(command));
    }
    const std::uint64_t one = 1;
    (void)!::write(commandFd_, &one, sizeof one);
}

void EngineHost::setPaused(bool paused)
{
    post([this, paused](Lab &) {
        if (paused)
            clock_.pause(realNow());
        else
            clock_.resume(realNow());
    });
}

void EngineHost::setExtraWork(std::function<Instant()> pollAt, std::function<void(Instant)> poll)
{
    extraPollAt_ = std::move(pollAt);
    extraPoll_ = std::move(poll);
}

Instant EngineHost::nextDeadline() const
{
    Instant t = lab_->pollAt();
    if (extraPollAt_) t = std::min(t, extraPollAt_());
    return t;
}

void EngineHost::pollAll(Instant now)
{
    lab_->poll(now);
    if (extraPoll_ && extraPollAt_() <= now) extraPoll_(now);
}

void EngineHost::step()
{
    post([this](Lab &) {
        if (!clock_.paused()) return;
        const Instant next = nextDeadline();
        if (next == kNever) return;
        clock_.jumpTo(realNow(), next);
        pollAll(clock_.labAt(realNow()));
    });
}

void EngineHost::setSpeed(double speed)
{
    post([this, speed](Lab &) { clock_.setSpeed(realNow(), speed); });
}

bool EngineHost::setLogLevel(std::string_view module, spdlog::level::level_enum level)
{
    return lab_->logs().setLevel(module, level);
}

void EngineHost::runCommands()
{
    std::uint64_t value;
    (void)!::read(commandFd_, &value, sizeof value);
    std::vector<Command> batch;
    {
        std::lock_guard lock(commandsMutex_);
        batch.swap(commands_);
    }
    for (auto &c : batch)
        c(*lab_);
}

void EngineHost::syncFds(int epfd, std::vector<int> &registered)
{
    const std::vector<int> fds = lab_->fds();
    if (fds == registered) return;
    for (int fd : registered)
        ::epoll_ctl(epfd, EPOLL_CTL_DEL, fd, nullptr);
    for (int fd : fds) {
        epoll_event ev{};
        ev.events = EPOLLIN;
        ev.data.u64 = static_cast<std::uint64_t>(fd);
        ::epoll_ctl(epfd, EPOLL_CTL_ADD, fd, &ev);
    }
    registered = fds;
}

void EngineHost::armTimer(Instant deadline)
{
    itimerspec spec{};
    const auto real = clock_.realAt(deadline);
    if (real != ClockMapping::RealTime::max()) {
        // steady_clock is CLOCK_MONOTONIC on Linux; an absolute timer has no drift from our own
        // arithmetic. A deadline already past fires at once (0 would disarm: use 1 ns).
        const auto ns =
            std::max<std::int64_t>(1, std::chrono::duration_cast<Duration>(real.time_since_epoch()).count());
        spec.it_value.tv_sec = ns / 1'000'000'000;
        spec.it_value.tv_nsec = ns % 1'000'000'000;
    }
    ::timerfd_settime(timerFd_, TFD_TIMER_ABSTIME, &spec, nullptr);
}

void EngineHost::run()
{
    const auto log = lab_->logs().get("host");
    const int epfd = ::epoll_create1(EPOLL_CLOEXEC);
    for (auto [fd, tag] : {std::pair{commandFd_, kCommandTag}, std::pair{timerFd_, kTimerTag}}) {
        epoll_event ev{};
        ev.events = EPOLLIN;
        ev.data.u64 = tag;
        ::epoll_ctl(epfd, EPOLL_CTL_ADD, fd, &ev);
    }
    std::vector<int> linkFds;
    if (!lab_->started()) lab_->start(clock_.labAt(realNow()));
    runCommands();
    // The deadline the timer is armed for: a wake-up for frames (most of them in a bulk transfer)
    // leaves the timer alone when the deadline did not move. A command may change the clock
    // mapping and a fired timer is disarmed, so either arms it again.
    std::optional<Instant> armed;
    while (!stopping_) {
        syncFds(epfd, linkFds);
        pollAll(clock_.labAt(realNow()));
        labTimeNs_ = nanosOf(lab_->now());
        if (const Instant deadline = nextDeadline(); deadline != armed) {
            armTimer(deadline);
            armed = deadline;
        }
        epoll_event ready[16];
        const int n = ::epoll_wait(epfd, ready, 16, -1);
        if (n < 0 && errno != EINTR) {
            log->error("engine thread: epoll_wait failed: {}", std::strerror(errno));
            break;
        }
        bool commands = false;
        for (int i = 0; i < n; ++i) {
            if (ready[i].data.u64 == kTimerTag) {
                std::uint64_t expirations;
                (void)!::read(timerFd_, &expirations, sizeof expirations);
                armed.reset();
            } else if (ready[i].data.u64 == kCommandTag) {
                commands = true;
            }
        }
        // Only when the command eventfd woke us (post() and stop() write to it).
        if (commands) {
            runCommands();
            armed.reset();
        }
    }
    // Bring the lab up to the moment we stop, so final counters and times are current.
    pollAll(clock_.labAt(realNow()));
    labTimeNs_ = nanosOf(lab_->now());
    ::close(epfd);
}

} // namespace tcplab

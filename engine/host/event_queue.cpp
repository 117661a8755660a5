#include "host/event_queue.h"

#include <string>
#include <sys/eventfd.h>
#include <unistd.h>

namespace tcplab {

EventQueue::EventQueue(std::size_t capacity)
    : capacity_(capacity == 0 ? 1 : capacity), fd_(::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC))
{
}

EventQueue::~EventQueue()
{
    if (fd_ >= 0) ::close(fd_);
}

void EventQueue::onEvent(const Event &event)
{
    bool wake = false;
    {
        std::lock_guard lock(mutex_);
        if (events_.size() >= capacity_) {
            ++dropped_;
            ++unreported_;
            lastDropTime_ = event.time;
            return;
        }
        wake = events_.empty();
        events_.push_back(event);
    }
    if (wake && fd_ >= 0) {
        const std::uint64_t one = 1;
        (void)!::write(fd_, &one, sizeof one);
    }
}

std::vector<Event> EventQueue::drain(std::size_t maxCount)
{
    std::vector<Event> out;
    std::lock_guard lock(mutex_);
    if (fd_ >= 0) {
        std::uint64_t value;
        (void)!::read(fd_, &value, sizeof value);
    }
    const std::size_t n = std::min(maxCount, events_.size());
    out.reserve(n + 1);
    for (std::size_t i = 0; i < n; ++i) {
        out.push_back(std::move(events_.front()));
        events_.pop_front();
    }
    if (unreported_ && out.size() < maxCount) {
        Event e;
        e.time = lastDropTime_;
        e.kind = EventKind::Counter;
        e.name = "events-dropped";
        e.detail = std::to_string(unreported_) + " event(s) dropped: the consumer was too slow";
        e.fields = {{"dropped", std::to_string(unreported_)}, {"total", std::to_string(dropped_)}};
        out.push_back(std::move(e));
        unreported_ = 0;
    }
    // Still more waiting: keep the descriptor readable.
    if ((!events_.empty() || unreported_) && fd_ >= 0) {
        const std::uint64_t one = 1;
        (void)!::write(fd_, &one, sizeof one);
    }
    return out;
}

std::uint64_t EventQueue::dropped() const
{
    std::lock_guard lock(mutex_);
    return dropped_;
}

std::size_t EventQueue::size() const
{
    std::lock_guard lock(mutex_);
    return events_.size();
}

}  // namespace tcplab

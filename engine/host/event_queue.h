// The bounded queue that carries events from the engine thread to a consumer (GUI, CLI). The
// engine never waits: push() takes a short lock, and when the queue is full the event is counted
// as dropped instead of stored. The consumer learns about drops in its next batch: one Counter
// event named "events-dropped" (fields: dropped, total) stands for everything it missed.
//
// An eventfd becomes readable when events arrive on an empty queue, so a consumer can wait for it
// (QSocketNotifier, poll) instead of polling on a timer.
#pragma once

#include <cstdint>
#include <deque>
#include <mutex>
#include <vector>

#include "core/event.h"

namespace tcplab {

class EventQueue final : public EventSink {
public:
    explicit EventQueue(std::size_t capacity);
    ~EventQueue() override;
    EventQueue(const EventQueue &) = delete;
    EventQueue &operator=(const EventQueue &) = delete;

    void onEvent(const Event &event) override;  // engine thread; never blocks on the consumer
    std::vector<Event> drain(std::size_t maxCount);
    std::uint64_t dropped() const;
    std::size_t size() const;
    std::size_t capacity() const { return capacity_; }
    int fd() const { return fd_; }

private:
    const std::size_t capacity_;
    mutable std::mutex mutex_;
    std::deque<Event> events_;
    std::uint64_t dropped_ = 0;       // total
    std::uint64_t unreported_ = 0;    // since the last drain
    Instant lastDropTime_{};
    int fd_ = -1;
};

}  // namespace tcplab

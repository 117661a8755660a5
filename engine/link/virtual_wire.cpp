#include "link/virtual_wire.h"

#include <algorithm>

namespace tcplab {

class VirtualWire::End final : public Link {
public:
    End(VirtualWire &wire, Side side)
        : wire_(wire), side_(side), name_(wire.name_ + (side == A ? ".a" : ".b"))
    {
    }

    const std::string &name() const override { return name_; }
    TxResult transmit(Instant now, ByteView frame, std::uint64_t tag) override
    {
        return wire_.send(side_, now, frame, tag, false);
    }
    bool borrowsLentFrames() const override { return true; }
    TxResult transmitLent(Instant now, ByteView frame, std::uint64_t tag) override
    {
        return wire_.send(side_, now, frame, tag, true);
    }
    void returnLentFrames() override { wire_.returnLent(side_); }
    std::size_t drain(Instant now, std::size_t maxFrames, const RxHandler &handler) override
    {
        return wire_.drain(side_, now, maxFrames, handler);
    }
    Instant pollAt() const override { return wire_.nextDue(side_); }
    LinkCounters counters() const override { return counters_; }

    LinkCounters counters_;

private:
    VirtualWire &wire_;
    Side side_;
    std::string name_;
};

namespace {
VirtualWire::Side other(VirtualWire::Side s)
{
    return s == VirtualWire::A ? VirtualWire::B : VirtualWire::A;
}
} // namespace

VirtualWire::VirtualWire(std::string name, Rng &rng, WireConditions aToB, WireConditions bToA)
    : name_(std::move(name)), rng_(rng)
{
    dir_[A].conditions = aToB;
    dir_[B].conditions = bToA;
    ends_[A] = std::make_unique<End>(*this, A);
    ends_[B] = std::make_unique<End>(*this, B);
}

VirtualWire::~VirtualWire() = default;

Link &VirtualWire::end(Side side)
{
    return *ends_[side];
}

void VirtualWire::setConditions(Side from, const WireConditions &conditions)
{
    dir_[from].conditions = conditions;
}
const WireConditions &VirtualWire::conditions(Side from) const
{
    return dir_[from].conditions;
}
std::size_t VirtualWire::inFlight(Side to) const
{
    return dir_[other(to)].queue.size();
}

Duration VirtualWire::serialisation(const WireConditions &c, std::size_t bytes) const
{
    if (c.bandwidthBps == 0) return 0ns;
    // bits * 1e9 / bps, rounded up so a frame never takes zero time on a slow link.
    // bytes < 2^20, so bits * 1e9 stays far below 2^64.
    const std::uint64_t scaled = static_cast<std::uint64_t>(bytes) * 8u * 1'000'000'000u;
    return Duration(static_cast<std::int64_t>((scaled + c.bandwidthBps - 1) / c.bandwidthBps));
}

TxResult VirtualWire::send(Side from, Instant now, ByteView frame, std::uint64_t tag, bool lent)
{
    Direction &d = dir_[from];
    const WireConditions &c = d.conditions;
    LinkCounters &tx = ends_[from]->counters_;

    // The bottleneck: a frame waits for the serialiser; what is still waiting (converted back to
    // bytes at the link rate) is the queue, and a full queue drops at the tail.
    const Instant start = std::max(now, d.busyUntil);
    if (c.bandwidthBps != 0) {
        const auto backlogNs = nanosOf(start - now);
        const auto backlogBytes = static_cast<std::uint64_t>(static_cast<double>(backlogNs) *
                                                             static_cast<double>(c.bandwidthBps) / 8e9);
        if (backlogBytes + frame.size() > c.queueLimitBytes) {
            ++tx.txQueueDrops;
            return TxResult::QueueFull;
        }
    }
    const Instant done = start + serialisation(c, frame.size());
    d.busyUntil = done;
    ++tx.txFrames;
    tx.txBytes += frame.size();

    // The loss decision is taken after serialisation: a lost frame still occupied the link.
    if (rng_.chance(c.loss)) {
        ++tx.txLost;
        return TxResult::Lost;
    }
    auto delayOnce = [&] {
        Duration delay = c.latency;
        if (c.jitter > 0ns) {
            const auto j = nanosOf(c.jitter);
            delay +=
                Duration(static_cast<std::int64_t>(rng_.uniform(0, 2 * static_cast<std::uint64_t>(j))) - j);
        }
        if (rng_.chance(c.reorder)) delay += c.reorderDelay;
        return std::max(delay, 0ns);
    };
    const std::uint64_t order = d.nextOrder++;
    // No impairment here rewrites bytes: every copy arrives as sent (a duplicate too). Lent bytes
    // (a recorded frame's copy in the store) are carried as they are: the frame is copied once.
    auto enqueue = [&] {
        d.queue.push_back({done + delayOnce(), order, tag, lent ? Bytes() : Bytes(frame.begin(), frame.end()),
                           lent ? frame : ByteView(), true});
        std::push_heap(d.queue.begin(), d.queue.end(), std::greater<>());
    };
    enqueue();
    if (rng_.chance(c.duplicate)) {
        ++ends_[other(from)]->counters_.duplicated;
        enqueue();
    }
    return TxResult::Sent;
}

void VirtualWire::returnLent(Side from)
{
    // Copying leaves every frame's due time as it was: the heap stays a heap.
    for (InFlight &f : dir_[from].queue) {
        if (f.lent.empty()) continue;
        f.copy.assign(f.lent.begin(), f.lent.end());
        f.lent = {};
    }
}

std::size_t VirtualWire::drain(Side to, Instant now, std::size_t maxFrames, const RxHandler &handler)
{
    Direction &d = dir_[other(to)];
    End &end = *ends_[to];
    LinkCounters &rx = end.counters_;
    std::size_t n = 0;
    while (n < maxFrames && !d.queue.empty() && d.queue.front().due <= now) {
        // Move out before calling the handler: it may transmit on this wire.
        std::pop_heap(d.queue.begin(), d.queue.end(), std::greater<>());
        InFlight f = std::move(d.queue.back());
        d.queue.pop_back();
        if (d.anyDelivered && f.order < d.highestDelivered) ++rx.reordered;
        if (!d.anyDelivered || f.order > d.highestDelivered) d.highestDelivered = f.order;
        d.anyDelivered = true;
        ++rx.rxFrames;
        const ByteView frame = f.bytes();
        rx.rxBytes += frame.size();
        ++n;
        handler(ReceivedFrame{
            .bytes = frame, .sentAs = f.tag, .unchanged = f.unchanged && f.tag != Event::kNoPacket});
    }
    return n;
}

Instant VirtualWire::nextDue(Side to) const
{
    const Direction &d = dir_[other(to)];
    return d.queue.empty() ? kNever : d.queue.front().due;
}

} // namespace tcplab

// Two Ethernet interfaces joined in memory, with the impairments of a real path: latency, jitter,
// loss, duplication, reordering and a bottleneck bandwidth with a finite queue. Everything runs
// in virtual time and every random choice comes from the lab's seeded Rng, so a run with the same
// seed delivers the same frames at the same instants.
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "core/rng.h"
#include "link/link.h"

namespace tcplab {

// The conditions of one direction of the wire.
struct WireConditions {
    Duration latency = 0ns;         // one-way propagation delay
    Duration jitter = 0ns;          // each frame's delay varies uniformly in [-jitter, +jitter]
    double loss = 0.0;              // probability a frame is lost
    double duplicate = 0.0;         // probability a frame is delivered twice
    double reorder = 0.0;           // probability a frame is held back by reorderDelay
    Duration reorderDelay = 1ms;    // extra delay of a held-back frame (later frames overtake it)
    std::uint64_t bandwidthBps = 0; // bits per second; 0 = unlimited (no serialisation delay)
    // Bytes not yet serialised (the frame on the wire included) beyond which new frames are dropped.
    std::uint64_t queueLimitBytes = 256 * 1024;
};

class VirtualWire {
public:
    enum Side : std::uint8_t { A = 0, B = 1 };

    // `rng` must outlive the wire (the Lab owns both).
    VirtualWire(std::string name, Rng &rng, WireConditions aToB = {}, WireConditions bToA = {});
    ~VirtualWire();
    VirtualWire(const VirtualWire &) = delete;
    VirtualWire &operator=(const VirtualWire &) = delete;

    // The interface at one end: what a host attaches to. Frames transmitted at end A arrive at B.
    Link &end(Side side);
    const std::string &name() const { return name_; }

    // Conditions of the direction starting at `from`; changes apply to frames sent from now on.
    void setConditions(Side from, const WireConditions &conditions);
    const WireConditions &conditions(Side from) const;

    // Frames in flight toward `to` (sent, not yet drained).
    std::size_t inFlight(Side to) const;

private:
    class End;
    struct InFlight {
        Instant due;
        std::uint64_t order; // send order, for FIFO among equal due times and reorder counting
        std::uint64_t tag;
        Bytes copy;     // the wire's own copy of the frame, or
        ByteView lent;  // the sender's bytes, when it lent them (Link::transmitLent)
        bool unchanged; // the bytes are those passed to transmit() (an impairment that edits clears it)
        ByteView bytes() const { return copy.empty() ? lent : ByteView(copy); }
        bool operator>(const InFlight &o) const { return due != o.due ? due > o.due : order > o.order; }
    };
    struct Direction {
        WireConditions conditions;
        Instant busyUntil{}; // when the serialiser finishes the last queued frame
        std::uint64_t nextOrder = 0;
        std::uint64_t highestDelivered = 0;
        bool anyDelivered = false;
        // A heap ordered by due time (std::push_heap with std::greater: the earliest at front()),
        // kept as a vector so that returnLent() can reach every frame.
        std::vector<InFlight> queue;
    };

    TxResult send(Side from, Instant now, ByteView frame, std::uint64_t tag, bool lent);
    void returnLent(Side from);
    std::size_t drain(Side to, Instant now, std::size_t maxFrames, const RxHandler &handler);
    Instant nextDue(Side to) const;
    Duration serialisation(const WireConditions &c, std::size_t bytes) const;

    std::string name_;
    Rng &rng_;
    std::array<Direction, 2> dir_; // indexed by the sending side
    std::array<std::unique_ptr<End>, 2> ends_;
};

} // namespace tcplab

// Where every frame that crosses a host's interface goes: the Recorder (capture/) stores it in
// the PacketStore; the host calls it for frames sent, frames received, and frames a rule or the
// virtual wire stopped (kept, marked as never delivered).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/bytes.h"
#include "core/event.h"
#include "core/time.h"

namespace tcplab {

class ReceiveRoom;

// Relative to the host whose interface the frame crossed.
enum class Direction : std::uint8_t { Inbound, Outbound };

enum class FrameFate : std::uint8_t {
    Delivered,      // crossed the interface normally
    DroppedByRule,  // a rule dropped it (at ingress: the stack never saw it; at egress: never sent)
    ConsumedByRule, // a rule answered it instead of the stack (ingress)
    LostOnWire,     // the virtual wire lost it (outbound record only)
    Malformed,      // failed parsing; counted and dropped (inbound)
};

struct FrameInfo {
    Instant time{};
    HostId host = kNoHost;
    LinkId link = 0;
    Direction direction = Direction::Inbound;
    FrameFate fate = FrameFate::Delivered;
    SessionId session = kNoSession;
    // For a frame received on a virtual wire: the store index of the record of its transmission,
    // so the diagram can draw an arrow from send time to arrival time.
    std::uint64_t sentAs = Event::kNoPacket;
    // The link vouched that these bytes are exactly those of the sentAs record
    // (ReceivedFrame::unchanged): the store then keeps one copy for both records, without comparing them.
    bool sameBytesAsSent = false;
    // Which end of `session` sent the frame, when the host knew it from the session lookup: the
    // recorder then counts the frame in the session's summary without decoding it.
    SessionSide side = SessionSide::Unknown;
};

class FrameSink {
public:
    virtual ~FrameSink() = default;
    // Returns the frame's index in the store (Event::kNoPacket when not recorded).
    virtual std::uint64_t onFrame(const FrameInfo &info, ByteView frame) = 0;
    // Later news about a recorded frame (a rule hit, a state change it caused, its fate).
    virtual void annotate(std::uint64_t packetIndex, const Event &event) = 0;
    virtual void setFate(std::uint64_t packetIndex, FrameFate fate) = 0;
    // The sink's own copy of recorded frame `packetIndex` when it kept all of its bytes, else empty.
    // The copy stays valid and unchanged at least while the sink is attached to the host that
    // recorded the frame, so that host may lend it to its link (Link::transmitLent) instead of the
    // link copying the frame again.
    virtual ByteView keptFrame(std::uint64_t /*packetIndex*/) const { return {}; }
    // Memory the host's link may read received frames into (Link::drainInto), so that recording
    // one needs no copy of its own; null when the sink has none to offer.
    virtual ReceiveRoom *receiveRoom() { return nullptr; }
};

} // namespace tcplab

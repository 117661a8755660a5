// One host's event path: attaches the events the host's layers emit to the packets they belong to,
// so pcapng comments and the sequence diagram show each state change, timer cause and rule hit on
// its packet. The host owns one and hands it to its TCP layer as that layer's EventSink.
//
//  - While the host processes a received frame (inbound scope), an event without a packet gets
//    that frame's store index. A StateChange, Retransmit, TimerExpire or RuleHit of a session is
//    also put on the first frame of that session the host sends during the same scope ("caused by
//    or causing": LISTEN → SYN-RECEIVED on the SYN and on the SYN-ACK).
//  - Outside it (socket calls, timers, the egress hook), such an event is held until the host
//    records its next outbound frame of that session, then forwarded with that frame's index
//    (CLOSED → SYN-SENT on the SYN, "retransmission after RTO #2" on the retransmitted segment).
//    A Retransmit goes on the frame the host just sent for its session (the TCP layer reports it
//    right after sending the segment).
//    Events behind a held one wait with it, so the order is kept. flush() (end of Host::poll)
//    forwards whatever found no frame yet; those still annotate the session's next outbound frame.
//    A connect waits for the SYN and a close for the FIN, not just any segment.
//  - Without a FrameSink nothing is recorded: events go straight through.
//
// Cost when no event is emitted: a couple of compares per frame, no allocation.
#pragma once

#include <cstdint>
#include <deque>
#include <vector>

#include "capture/frame_sink.h"
#include "core/event.h"

namespace tcplab {

class EventTagger final : public EventSink {
public:
    explicit EventTagger(EventSink &out) : out_(out) {}

    void setFrameSink(FrameSink *sink) { sink_ = sink; }
    void onEvent(const Event &event) override;

    // The frame being received (its store index, kNoPacket when not recorded).
    void beginInbound(std::uint64_t packetIndex)
    {
        inbound_ = packetIndex;
        lastOut_ = Event::kNoPacket;
    }
    void endInbound();
    // The egress hook is running: its rule hits belong to the frame about to go out.
    void setEgress(bool on) { egress_ = on; }
    // Whether outbound() has anything to do (the host skips it, and parsing flags, otherwise).
    bool waiting() const { return !held_.empty() || !echo_.empty() || !later_.empty(); }
    // The host recorded an outbound TCP frame of `session` at `packetIndex` with these flags.
    // `flags` is called only when an event waits for a frame.
    template <class Flags> void outbound(SessionId session, std::uint64_t packetIndex, Flags &&flags)
    {
        lastSession_ = session;
        lastOut_ = packetIndex;
        if (!waiting() || session == kNoSession || packetIndex == Event::kNoPacket) return;
        attachOutbound(session, packetIndex, flags());
    }
    // Forwards held events that found no frame.
    void flush();
    std::size_t held() const { return held_.size(); }

    // The kinds that say why a segment was sent.
    static bool explainsSegment(EventKind kind)
    {
        return kind == EventKind::StateChange || kind == EventKind::Retransmit ||
               kind == EventKind::TimerExpire || kind == EventKind::RuleHit;
    }

private:
    void attachOutbound(SessionId session, std::uint64_t packetIndex, std::uint8_t tcpFlags);
    // The TCP flag the frame an event explains must carry: SYN for CLOSED → SYN-SENT, FIN for a
    // close (→ FIN-WAIT-1, → LAST-ACK), none otherwise. Such events come from the application
    // (even inside a readiness callback while a frame is received) and wait for their segment.
    static std::uint8_t neededFlag(const Event &event);
    void keepForLater(const Event &event);
    void forward(const Event &event);
    // `event` with packetIndex set, forwarded (or held behind earlier held ones) without a copy
    // of its own per event.
    void forwardPlaced(const Event &event, std::uint64_t packetIndex);
    const Event &placed(const Event &event, std::uint64_t packetIndex);

    EventSink &out_;
    FrameSink *sink_ = nullptr;
    std::uint64_t inbound_ = Event::kNoPacket;
    bool egress_ = false;
    // The frame this host sent last (since the current inbound frame or poll began): a TCP layer
    // reports a Retransmit right after sending it.
    SessionId lastSession_ = kNoSession;
    std::uint64_t lastOut_ = Event::kNoPacket;
    std::vector<Event> held_; // not yet forwarded, waiting for their outbound frame
    std::vector<Event> echo_; // forwarded on the inbound frame, also to go on the reply
    // Forwarded without a frame (the segment waits for ARP, a window, the data before a FIN):
    // annotation only, on the session's next outbound frame with the flag they need. Bounded.
    std::vector<Event> later_;
    static constexpr std::size_t kMaxLater = 64;
    Event scratch_;           // the reused placed copy (see placed())
    std::deque<Event> spare_; // placed copies made while scratch_ is being forwarded
    bool forwarding_ = false;
};

} // namespace tcplab

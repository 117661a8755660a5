// Everything the engine tells the outside world is an Event: the sequence diagram, the classroom
// explanations, the JSON Lines log and the pcapng comments are all fed from the same stream.
#pragma once

#include <cstdint>
#include <deque>
#include <string>
#include <utility>
#include <vector>

#include "core/time.h"

namespace tcplab {

// Session ids come from the lab's FlowTracker (like Wireshark's tcp.stream, but starting at 1).
using SessionId = std::uint64_t;
inline constexpr SessionId kNoSession = 0;
// Which end of its session a TCP segment comes from: the one that sent the session's first segment
// (the client, when that was a SYN) or the other. Unknown when whoever passed the segment on did
// not say.
enum class SessionSide : std::uint8_t { Unknown, Initiator, Responder };

// Hosts and links are numbered by the Lab that owns them, from 0.
using HostId = std::uint32_t;
using LinkId = std::uint32_t;
inline constexpr HostId kNoHost = 0xffffffffu;

enum class EventKind : std::uint8_t {
    Log,           // a message worth showing in the log dock (name = module)
    Counter,       // a counter changed (name = counter, fields: value)
    LinkState,     // a link attached, detached or failed (name = link name)
    SessionOpened, // the flow tracker saw a new session (detail = endpoints)
    StateChange,   // a TCB moved (name = new state, fields: from, to, cause)
    TimerStart,    // name = timer (rto, persist, keepalive, delack, time-wait), fields: deadline
    TimerExpire,   // name = timer
    Retransmit,    // fields: seq, len, cause (rto #n, fast retransmit, ...)
    WindowChange,  // fields: which (snd_wnd, rcv_wnd, cwnd, ssthresh), before, after
    RuleHit,       // name = rule, fields: "<field>" -> "<before>→<after>", action
    ServiceNote,   // a service reported something (rates, requests served)
    StoreWarning,  // the packet store hit its memory bound
    Error,         // something failed; detail says what and why
    // The retransmission timer's estimator (RFC 6298): name "rtt-sample" for every RTT measurement
    // (fields: sample_ns, srtt_ns, rttvar_ns, rto_ns after the update, source), name "rto" for every
    // change of RTO that is not a sample's (a backoff; fields: before_ns, after_ns, cause).
    RttSample,
};

const char *eventKindName(EventKind kind);

struct Event {
    Instant time{};
    EventKind kind = EventKind::Log;
    HostId host = kNoHost;
    SessionId session = kNoSession;
    std::string name;   // short machine-friendly tag (state name, timer, rule name, module)
    std::string detail; // one human-readable line
    std::vector<std::pair<std::string, std::string>> fields; // machine-readable key/value pairs
    // Index of the packet in the PacketStore this event is attached to, when there is one.
    std::uint64_t packetIndex = kNoPacket;

    static constexpr std::uint64_t kNoPacket = ~std::uint64_t(0);
};

// Receives events on the engine thread. Implementations must not block.
class EventSink {
public:
    virtual ~EventSink() = default;
    virtual void onEvent(const Event &event) = 0;
    // The same event placed on a stored packet: as if onEvent got a copy whose packetIndex is
    // `packetIndex`. A sink that can take the index separately does so and returns true (no copy of
    // the event); the default returns false and the caller makes the copy for onEvent.
    virtual bool onEventAt(const Event & /*event*/, std::uint64_t /*packetIndex*/) { return false; }
};

// Forwards to several sinks (recorder, CLI log, GUI bridge).
class EventFanout final : public EventSink {
public:
    void add(EventSink *sink) { sinks_.push_back(sink); }
    void remove(EventSink *sink) { std::erase(sinks_, sink); }
    // Lets go of every sink (Lab::shutdown: nothing emitted afterwards reaches an outside object).
    void clear() { sinks_.clear(); }
    std::size_t size() const { return sinks_.size(); }
    void onEvent(const Event &event) override
    {
        for (auto *s : sinks_)
            s->onEvent(event);
    }
    // Each sink in order; those that need a placed copy share one, made only if one of them does.
    bool onEventAt(const Event &event, std::uint64_t packetIndex) override
    {
        Event *copy = nullptr;
        for (auto *s : sinks_) {
            if (s->onEventAt(event, packetIndex)) continue;
            if (!copy) {
                placed_.push_back(event); // a sink may emit again while we are here: no reuse
                copy = &placed_.back();
                copy->packetIndex = packetIndex;
            }
            s->onEvent(*copy);
        }
        if (copy) placed_.pop_back();
        return true;
    }

private:
    std::vector<EventSink *> sinks_;
    std::deque<Event> placed_; // placed copies in use (nested calls each have their own)
};

} // namespace tcplab

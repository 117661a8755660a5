// Session ids for TCP flows, like Wireshark's tcp.stream but starting at 1: one session per
// unordered 4-tuple and SYN incarnation, independent of any TCB. A SYN that a rule answered without
// ever creating a TCB still forms a session, so the sequence diagram can show it.
//
// The Lab owns one FlowTracker; each Host calls observe() for every TCP segment it sends or
// receives. In demo mode the same segment is observed twice (once at each host) and gets the same
// session both times.
#pragma once

#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/event.h"
#include "core/time.h"
#include "wire/addresses.h"
#include "wire/seq.h"
#include "wire/tcp.h"

namespace tcplab {

struct FlowObservation {
    SessionId session = kNoSession;
    bool isNew = false;        // this observation opened the session
    std::uint64_t ordinal = 0; // 1-based count of observations of this session, this one included
    Instant start{};           // time of the session's first observation
    bool fromInitiator = false; // the segment came from the session's initiator
};

// What the session list and the exporter show about one session.
struct SessionSummary {
    SessionId id = kNoSession;
    Endpoint initiator; // source of the first segment seen (the client when that was a SYN)
    Endpoint responder;
    Instant first{}, last{};
    std::uint64_t observations = 0; // every observe() call, both hosts in demo mode
    // Frames counted once each (a frame seen leaving one host and arriving at the other counts once).
    std::uint64_t packetsFromInitiator = 0, packetsFromResponder = 0;
    std::uint64_t bytesFromInitiator = 0, bytesFromResponder = 0; // frame bytes
    std::vector<std::string> statesReached;                      // TCB state names in the order first reached
    std::vector<std::pair<std::string, std::uint64_t>> ruleHits; // rule name -> hits
    bool finFromInitiator = false, finFromResponder = false, reset = false;
    bool closed() const { return reset || (finFromInitiator && finFromResponder); }
};

struct FlowTrackerConfig {
    // A SYN with a new ISN on a tuple idle this long starts a new session even when the previous
    // one never closed (the peer may have crashed or been reset out of our sight).
    Duration idleTimeout = std::chrono::seconds(300);
};

class FlowTracker {
public:
    explicit FlowTracker(FlowTrackerConfig config = {}) : config_(config) {}

    FlowObservation observe(Instant now, const Endpoint &src, const Endpoint &dst, std::uint8_t tcpFlags,
                            SeqNum seq);
    // The session the next segment from src to dst will belong to: the tuple's current one unless
    // it is over (closed, reset or idle), else a new one opened now with src as initiator. Its
    // first observe() then counts as the opening one (isNew), and a SYN from src sets its ISN.
    SessionId sessionFor(Instant now, const Endpoint &src, const Endpoint &dst);

    // Fed by the Recorder: a frame of `bytes` bytes, counted once per frame (not per observation).
    void countFrame(SessionId session, const Endpoint &src, std::uint64_t bytes);
    void countFrame(SessionId session, SessionSide from, std::uint64_t bytes); // from is not Unknown
    // Fed by StateChange and RuleHit events.
    void noteState(SessionId session, const std::string &state);
    void noteRuleHit(SessionId session, const std::string &rule);

    // nullptr for an unknown id. Engine thread only (the GUI gets copies through its bridge).
    const SessionSummary *summary(SessionId session) const;
    const std::vector<SessionSummary> &sessions() const { return sessions_; } // index = id - 1
    std::size_t sessionCount() const { return sessions_.size(); }

private:
    struct Tuple {
        Endpoint lo, hi;
        bool operator==(const Tuple &) const = default;
    };
    struct TupleHash {
        std::size_t operator()(const Tuple &t) const noexcept;
    };
    struct Incarnation {
        SessionId current = kNoSession;
        bool haveIsn = false; // the initiator's SYN ISN of the current session
        SeqNum isn;
    };

    SessionSummary &open(Instant now, const Endpoint &src, const Endpoint &dst, Incarnation &inc);
    Incarnation &incarnation(const Endpoint &src, const Endpoint &dst);
    // The last tuple looked up and its entry. A copy of the tracker starts without one (the
    // pointer would name the original's entry).
    struct LastTuple {
        Tuple key;
        Incarnation *inc = nullptr;
        LastTuple() = default;
        LastTuple(const LastTuple &) {}
        LastTuple &operator=(const LastTuple &)
        {
            inc = nullptr;
            return *this;
        }
    };
    SessionSummary *find(SessionId id);

    FlowTrackerConfig config_;
    std::unordered_map<Tuple, Incarnation, TupleHash> tuples_;
    std::vector<SessionSummary> sessions_;
    LastTuple last_;
};

} // namespace tcplab

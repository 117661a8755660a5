// What the GUI keeps per TCP session beyond the packet store: the arrows of its sequence diagram
// (8 bytes each: the store indices of a frame's transmission and of its reception), the states each
// end went through, the few packets worth jumping to, and the series the plots draw.
// Filled from the store's published prefix and the engine's events, once per batch.
#pragma once

#include <cstdint>
#include <limits>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/event.h"
#include "services/lab_driver.h"
#include "wire/addresses.h"

namespace tcplab::gui {

struct Arrow {
    static constexpr std::uint32_t kNone = std::numeric_limits<std::uint32_t>::max();
    std::uint32_t sent = kNone;      // store index of the transmission (or the reception, tap mode)
    std::uint32_t received = kNone;  // store index of the reception; kNone if it never arrived
};
static_assert(sizeof(Arrow) == 8);

struct StateMark {
    Instant time{};
    bool left = true;       // which lifeline
    bool inferred = false;  // the remote end's state guessed from what was seen
    std::string name;       // RFC spelling
};

struct SeriesPoint {
    double t;  // seconds since session start
    double v;
};

// Plot series kept per session for the host on the left (the initiator's TCB).
struct SessionSeries {
    std::vector<SeriesPoint> cwnd, ssthresh, rtt, srtt, rto;
};

struct SessionData {
    SessionId id = kNoSession;
    Endpoint left, right;          // left = the end that sent the first packet (usually the client)
    HostId leftHost = kNoHost;
    Instant start{}, last{};
    std::vector<Arrow> arrows;     // in store order (hence in send-time order)
    std::vector<StateMark> states;
    std::vector<std::uint32_t> retransmits, resets, ruleHits;  // arrow indices, ascending
    std::vector<std::uint32_t> crafted;  // arrows a rule sent in reply (ascending)
    std::uint32_t isnLeft = 0, isnRight = 0;
    bool haveIsnLeft = false, haveIsnRight = false;
    std::uint64_t packets = 0, bytes = 0, ruleHitCount = 0;
    std::string leftState = "?", rightState = "?";
    bool leftInferred = false, rightInferred = false;  // the state shown was guessed
    std::int64_t maxFlightNs = 0;  // longest send→arrival span, bounds the visible-range search
    SessionSeries series;
    std::unordered_map<std::uint32_t, std::uint32_t> inFlight;  // sent index → arrow, until it arrives

    std::size_t arrowForStoreIndex(std::uint64_t storeIndex) const;  // arrows.size() if none
};

struct IngestResult {
    std::vector<std::size_t> newSessions;      // positions in sessions()
    std::vector<std::size_t> changedSessions;  // positions, including new ones
};

class SessionIndex {
public:
    // Reads the store's records [seen, size()) and then the events of the same batch.
    IngestResult ingest(const PacketStore &store, const std::vector<Event> &events);
    void clear();

    const std::vector<SessionData> &sessions() const { return sessions_; }
    const SessionData *find(SessionId id) const;
    std::size_t positionOf(SessionId id) const;  // sessions().size() if unknown
    std::uint64_t seen() const { return seen_; }
    std::uint64_t otherFrames() const { return otherFrames_; }

    // Bytes of GUI memory per arrow (capacity of the arrow vectors), for the benchmark.
    std::size_t arrowBytes() const;

private:
    SessionData &sessionFor(SessionId id, IngestResult &result);
    void addRecord(const PacketStore &store, std::uint64_t index, IngestResult &result);
    void addEvent(const Event &event, IngestResult &result);
    SessionData *sessionForSessionlessState(const Event &event);
    void markCraftedReply(const PacketStore &store, SessionData &s, const Event &ruleHit);
    static void markChanged(IngestResult &result, std::size_t pos);

    std::vector<SessionData> sessions_;
    std::unordered_map<SessionId, std::size_t> positions_;
    std::uint64_t seen_ = 0;
    std::uint64_t otherFrames_ = 0;
};

}  // namespace tcplab::gui

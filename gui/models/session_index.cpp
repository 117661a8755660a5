#include "models/session_index.h"

#include <algorithm>

#include "services/segment_summary.h"

namespace tcplab::gui {
namespace {

double secondsSince(Instant start, Instant t) { return double(nanosOf(t - start)) / 1e9; }

// The remote end's state as far as one can tell from what it sent (marked inferred in the view).
const char *inferredState(std::uint8_t flags)
{
    if (flags & kRst) return "CLOSED";
    if ((flags & kSyn) && !(flags & kAck)) return "SYN-SENT";
    if (flags & kSyn) return "SYN-RECEIVED";
    if (flags & kFin) return "FIN-WAIT-1";
    return nullptr;
}

}  // namespace

std::size_t SessionData::arrowForStoreIndex(std::uint64_t storeIndex) const
{
    auto it = std::lower_bound(arrows.begin(), arrows.end(), storeIndex,
                               [](const Arrow &a, std::uint64_t v) { return a.sent < v; });
    if (it != arrows.end() && it->sent == storeIndex) return std::size_t(it - arrows.begin());
    // A reception: search the arrows sent shortly before.
    for (auto back = it; back != arrows.begin() && it - back < 4096;) {
        --back;
        if (back->received == storeIndex) return std::size_t(back - arrows.begin());
    }
    return arrows.size();
}

void SessionIndex::clear()
{
    sessions_.clear();
    positions_.clear();
    seen_ = 0;
    otherFrames_ = 0;
}

const SessionData *SessionIndex::find(SessionId id) const
{
    const auto pos = positionOf(id);
    return pos < sessions_.size() ? &sessions_[pos] : nullptr;
}

std::size_t SessionIndex::positionOf(SessionId id) const
{
    auto it = positions_.find(id);
    return it == positions_.end() ? sessions_.size() : it->second;
}

std::size_t SessionIndex::arrowBytes() const
{
    std::size_t total = 0;
    for (const auto &s : sessions_) total += s.arrows.capacity() * sizeof(Arrow);
    return total;
}

void SessionIndex::markChanged(IngestResult &result, std::size_t pos)
{
    if (result.changedSessions.empty() || result.changedSessions.back() != pos) {
        if (std::find(result.changedSessions.begin(), result.changedSessions.end(), pos) == result.changedSessions.end())
            result.changedSessions.push_back(pos);
    }
}

SessionData &SessionIndex::sessionFor(SessionId id, IngestResult &result)
{
    auto [it, inserted] = positions_.try_emplace(id, sessions_.size());
    if (inserted) {
        sessions_.emplace_back();
        sessions_.back().id = id;
        result.newSessions.push_back(it->second);
    }
    markChanged(result, it->second);
    return sessions_[it->second];
}

IngestResult SessionIndex::ingest(const PacketStore &store, const std::vector<Event> &events)
{
    IngestResult result;
    const auto end = store.size();
    for (; seen_ < end; ++seen_) addRecord(store, seen_, result);
    for (const auto &e : events) {
        addEvent(e, result);
        if (e.kind == EventKind::RuleHit && e.session != kNoSession) {
            auto pos = positions_.find(e.session);
            if (pos != positions_.end()) markCraftedReply(store, sessions_[pos->second], e);
        }
    }
    return result;
}

void SessionIndex::addRecord(const PacketStore &store, std::uint64_t index, IngestResult &result)
{
    const auto rec = store.packet(index);
    if (rec.session == kNoSession) {
        ++otherFrames_;
        return;
    }
    const auto seg = summarizeFrame(rec.bytes, rec.originalLength);
    SessionData &s = sessionFor(rec.session, result);
    const Endpoint src{seg.src, seg.srcPort}, dst{seg.dst, seg.dstPort};
    if (s.packets == 0) {
        s.left = src;
        s.right = dst;
        s.start = rec.time;
    }
    const bool fromLeft = src == s.left;
    const bool senderRecord = rec.direction == Direction::Outbound;
    // The host whose interface saw this frame is the sender (outbound) or the receiver (inbound).
    if (senderRecord == fromLeft && s.leftHost == kNoHost) s.leftHost = rec.host;
    s.last = rec.time;
    s.bytes += rec.bytes.size();

    const auto idx32 = static_cast<std::uint32_t>(index);
    if (!senderRecord && rec.sentAs != Event::kNoPacket) {
        auto it = s.inFlight.find(static_cast<std::uint32_t>(rec.sentAs));
        if (it != s.inFlight.end()) {
            Arrow &a = s.arrows[it->second];
            a.received = idx32;
            s.maxFlightNs = std::max(s.maxFlightNs, nanosOf(rec.time - store.packet(a.sent).time));
            s.inFlight.erase(it);
            return;
        }
    }
    // A transmission, or a reception whose transmission we never saw (tap mode: the remote peer).
    ++s.packets;
    const auto arrow = static_cast<std::uint32_t>(s.arrows.size());
    s.arrows.push_back({idx32, senderRecord ? Arrow::kNone : idx32});
    if (senderRecord && rec.fate == FrameFate::Delivered) s.inFlight.emplace(idx32, arrow);
    if (!seg.isTcp) return;
    if (seg.flags & kRst) s.resets.push_back(arrow);
    if ((seg.flags & kSyn) || !(fromLeft ? s.haveIsnLeft : s.haveIsnRight)) {
        (fromLeft ? s.isnLeft : s.isnRight) = seg.seq;
        (fromLeft ? s.haveIsnLeft : s.haveIsnRight) = true;
    }
    if (!senderRecord && rec.sentAs == Event::kNoPacket) {
        // The sender is outside the lab (tap mode): infer its state from what it sent.
        if (const char *st = inferredState(seg.flags)) {
            s.states.push_back({rec.time, fromLeft, true, st});
            (fromLeft ? s.leftState : s.rightState) = st;
            (fromLeft ? s.leftInferred : s.rightInferred) = true;
        }
    }
}

// The engine reports SYN-SENT before the SYN exists, so before its session does: it belongs to the
// session whose first packet that host sends at the same instant or just after.
SessionData *SessionIndex::sessionForSessionlessState(const Event &e)
{
    for (std::size_t k = sessions_.size(); k > 0 && sessions_.size() - k < 16; --k) {
        SessionData &s = sessions_[k - 1];
        if (s.leftHost == e.host && s.start >= e.time && nanosOf(s.start - e.time) < 1'000'000'000 &&
            std::none_of(s.states.begin(), s.states.end(), [](const StateMark &m) { return m.left && !m.inferred; }))
            return &s;
    }
    return nullptr;
}

// A rule that answered a packet ("reply") sent a segment the stack never made: the next arrow that
// host sent at the same instant in this session is that reply.
void SessionIndex::markCraftedReply(const PacketStore &store, SessionData &s, const Event &e)
{
    bool reply = false;
    for (const auto &[k, v] : e.fields)
        if (k == "action" && v.find("reply") != std::string::npos) reply = true;
    if (!reply || e.packetIndex == Event::kNoPacket) return;
    const auto from = s.arrowForStoreIndex(e.packetIndex);
    for (std::size_t a = from + 1; a < s.arrows.size() && a <= from + 8; ++a) {
        const PacketView p = store.packet(s.arrows[a].sent);
        if (p.direction != Direction::Outbound || p.host != e.host || p.time != e.time) continue;
        if (s.crafted.empty() || s.crafted.back() < a) s.crafted.push_back(std::uint32_t(a));
        return;
    }
}

void SessionIndex::addEvent(const Event &e, IngestResult &result)
{
    SessionData *found = nullptr;
    if (e.session == kNoSession) {
        if (e.kind == EventKind::StateChange) found = sessionForSessionlessState(e);
    } else if (auto pos = positions_.find(e.session); pos != positions_.end()) {
        found = &sessions_[pos->second];
    }
    if (!found) return;  // events before the session's first frame carry no arrow
    SessionData &s = *found;
    markChanged(result, std::size_t(found - sessions_.data()));
    const bool left = s.leftHost == kNoHost ? false : e.host == s.leftHost;
    auto arrowOf = [&] { return e.packetIndex == Event::kNoPacket ? s.arrows.size() : s.arrowForStoreIndex(e.packetIndex); };
    auto pushUnique = [](std::vector<std::uint32_t> &v, std::size_t a) {
        if (v.empty() || v.back() < a) v.push_back(std::uint32_t(a));
    };
    switch (e.kind) {
    case EventKind::StateChange: {
        // A real state replaces what was inferred for that end.
        std::erase_if(s.states, [&](const StateMark &m) { return m.left == left && m.inferred; });
        s.states.push_back({e.time, left, false, e.name});
        (left ? s.leftState : s.rightState) = e.name;
        (left ? s.leftInferred : s.rightInferred) = false;
        break;
    }
    case EventKind::Retransmit:
        if (auto a = arrowOf(); a < s.arrows.size()) pushUnique(s.retransmits, a);
        break;
    case EventKind::RuleHit:
        ++s.ruleHitCount;
        if (auto a = arrowOf(); a < s.arrows.size()) pushUnique(s.ruleHits, a);
        break;
    case EventKind::WindowChange: {
        if (!left) break;
        std::string which;
        double after = 0;
        for (const auto &[k, v] : e.fields) {
            if (k == "which") which = v;
            if (k == "after") after = std::strtod(v.c_str(), nullptr);
        }
        const double t = secondsSince(s.start, e.time);
        if (which == "cwnd") s.series.cwnd.push_back({t, after});
        else if (which == "ssthresh") s.series.ssthresh.push_back({t, after >= 4e9 ? 0 : after});
        break;
    }
    case EventKind::RttSample: {
        // The engine's RFC 6298 estimator: one "rtt-sample" per measurement (sample, SRTT and RTO
        // after it) and one "rto" per backoff; nanoseconds, plotted in milliseconds.
        if (!left) break;
        const double t = secondsSince(s.start, e.time);
        auto ms = [&](std::string_view key) {
            for (const auto &[k, v] : e.fields)
                if (k == key) return std::strtod(v.c_str(), nullptr) / 1e6;
            return -1.0;
        };
        if (e.name == "rtt-sample") {
            if (const double r = ms("sample_ns"); r >= 0) s.series.rtt.push_back({t, r});
            if (const double v = ms("srtt_ns"); v >= 0) s.series.srtt.push_back({t, v});
            if (const double v = ms("rto_ns"); v >= 0) s.series.rto.push_back({t, v});
        } else if (e.name == "rto") {
            if (const double v = ms("after_ns"); v >= 0) s.series.rto.push_back({t, v});
        }
        break;
    }
    default: break;
    }
}

}  // namespace tcplab::gui

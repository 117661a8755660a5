#include "capture/flow_tracker.h"

#include <algorithm>

namespace tcplab {

std::size_t FlowTracker::TupleHash::operator()(const Tuple &t) const noexcept
{
    return hashOf(t.lo) * 0x9e3779b97f4a7c15ULL ^ hashOf(t.hi);
}

FlowTracker::Incarnation &FlowTracker::incarnation(const Endpoint &src, const Endpoint &dst)
{
    // Segments come in runs of one conversation (data one way, ACKs the other): the last tuple's
    // entry is kept, so most segments need neither the ordered key nor a hash lookup.
    const Tuple &k = last_.key;
    if (last_.inc && ((src == k.lo && dst == k.hi) || (src == k.hi && dst == k.lo))) return *last_.inc;
    last_.key = src < dst ? Tuple{src, dst} : Tuple{dst, src};
    last_.inc = &tuples_[last_.key]; // node-based map: the address stays valid (entries are never erased)
    return *last_.inc;
}

FlowObservation FlowTracker::observe(Instant now, const Endpoint &src, const Endpoint &dst,
                                     std::uint8_t tcpFlags, SeqNum seq)
{
    Incarnation &inc = incarnation(src, dst);
    const bool bareSyn = (tcpFlags & (TcpFlags::kSyn | TcpFlags::kAck)) == TcpFlags::kSyn;

    bool isNew = false;
    if (inc.current == kNoSession) {
        open(now, src, dst, inc);
        isNew = true;
    } else if (bareSyn) {
        // Like Wireshark's tcp.stream: a SYN carrying a different ISN on a tuple whose previous
        // session is over (closed, reset or long idle) is a new incarnation. A retransmitted SYN
        // (same ISN) is not.
        const SessionSummary &cur = sessions_[inc.current - 1];
        const bool over = cur.closed() || now - cur.last >= config_.idleTimeout;
        const bool differentIsn = !inc.haveIsn || inc.isn != seq;
        if (over && differentIsn) {
            open(now, src, dst, inc);
            isNew = true;
        }
    }

    SessionSummary &s = sessions_[inc.current - 1];
    if (s.observations == 0) isNew = true; // opened ahead by sessionFor()
    if (bareSyn && !inc.haveIsn && src == s.initiator) {
        inc.haveIsn = true;
        inc.isn = seq;
    }
    s.last = std::max(s.last, now);
    ++s.observations;
    const bool fromInitiator = src == s.initiator;
    if (tcpFlags & TcpFlags::kRst) s.reset = true;
    if (tcpFlags & TcpFlags::kFin) (fromInitiator ? s.finFromInitiator : s.finFromResponder) = true;
    return {s.id, isNew, s.observations, s.first, fromInitiator};
}

SessionId FlowTracker::sessionFor(Instant now, const Endpoint &src, const Endpoint &dst)
{
    Incarnation &inc = incarnation(src, dst);
    if (inc.current != kNoSession) {
        const SessionSummary &cur = sessions_[inc.current - 1];
        const bool over = cur.observations > 0 && (cur.closed() || now - cur.last >= config_.idleTimeout);
        if (!over) return cur.id;
    }
    return open(now, src, dst, inc).id;
}

SessionSummary &FlowTracker::open(Instant now, const Endpoint &src, const Endpoint &dst, Incarnation &inc)
{
    SessionSummary s;
    s.id = sessions_.size() + 1;
    s.initiator = src;
    s.responder = dst;
    s.first = s.last = now;
    sessions_.push_back(std::move(s));
    inc.current = sessions_.back().id;
    inc.haveIsn = false;
    return sessions_.back();
}

SessionSummary *FlowTracker::find(SessionId id)
{
    if (id == kNoSession || id > sessions_.size()) return nullptr;
    return &sessions_[id - 1];
}

const SessionSummary *FlowTracker::summary(SessionId id) const
{
    if (id == kNoSession || id > sessions_.size()) return nullptr;
    return &sessions_[id - 1];
}

namespace {
void addFrame(SessionSummary &s, bool fromInitiator, std::uint64_t bytes)
{
    if (fromInitiator) {
        ++s.packetsFromInitiator;
        s.bytesFromInitiator += bytes;
    } else {
        ++s.packetsFromResponder;
        s.bytesFromResponder += bytes;
    }
}
} // namespace

void FlowTracker::countFrame(SessionId session, const Endpoint &src, std::uint64_t bytes)
{
    if (SessionSummary *s = find(session)) addFrame(*s, src == s->initiator, bytes);
}

void FlowTracker::countFrame(SessionId session, SessionSide from, std::uint64_t bytes)
{
    if (SessionSummary *s = find(session)) addFrame(*s, from == SessionSide::Initiator, bytes);
}

void FlowTracker::noteState(SessionId session, const std::string &state)
{
    SessionSummary *s = find(session);
    if (!s || state.empty()) return;
    if (std::find(s->statesReached.begin(), s->statesReached.end(), state) == s->statesReached.end())
        s->statesReached.push_back(state);
}

void FlowTracker::noteRuleHit(SessionId session, const std::string &rule)
{
    SessionSummary *s = find(session);
    if (!s) return;
    for (auto &[name, hits] : s->ruleHits) {
        if (name == rule) {
            ++hits;
            return;
        }
    }
    s->ruleHits.emplace_back(rule, 1);
}

} // namespace tcplab

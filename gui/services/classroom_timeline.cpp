#include "services/classroom_timeline.h"

#include <algorithm>

#include "services/segment_summary.h"

namespace tcplab::gui {

ClassroomTimeline::ClassroomTimeline(QObject *parent) : QObject(parent) {}

void ClassroomTimeline::setLesson(std::vector<LessonStep> steps, std::vector<std::string> hostNames)
{
    tracker_ = LessonTracker(std::move(steps));
    hostNames_ = std::move(hostNames);
    notes_.clear();
}

void ClassroomTimeline::clear()
{
    items_.clear();
    notes_.clear();
    tracker_.reset();
    seen_ = 0;
    truncated_ = false;
    const bool wasStepping = cursor_.has_value();
    cursor_.reset();
    if (wasStepping) emit moved();
}

void ClassroomTimeline::record(TimelineItem item)
{
    if (items_.size() >= kMaxItems) {
        truncated_ = true;
        return;
    }
    if (item.note != LessonTracker::kNone) notes_.emplace_back(items_.size(), item.note);
    items_.push_back(std::move(item));
}

void ClassroomTimeline::ingest(const PacketStore &store, const std::vector<Event> &events)
{
    auto hostName = [&](HostId h) -> std::string_view {
        return h < hostNames_.size() ? hostNames_[h] : std::string_view();
    };
    // One batch covers one stretch of virtual time: order its facts by time; a state change the
    // engine tied to a frame (the segment that caused it, the SYN of a connect) comes right after
    // that frame, others after the frames of their instant; retransmissions last.
    struct Fact {
        Instant time;
        std::uint64_t after;  // the store index it follows (itself for a frame)
        int rank;
        std::uint64_t storeIndex;
        const Event *event;
    };
    std::vector<Fact> facts;
    const std::uint64_t size = store.size();
    const std::uint64_t first = seen_;
    for (; seen_ < size; ++seen_) facts.push_back({store.packet(seen_).time, seen_, 0, seen_, nullptr});
    for (const Event &e : events) {
        const bool tied = e.packetIndex != Event::kNoPacket && e.packetIndex >= first && e.packetIndex < size;
        const Instant t = tied ? store.packet(e.packetIndex).time : e.time;
        const std::uint64_t after = tied ? e.packetIndex : Event::kNoPacket;
        if (e.kind == EventKind::StateChange) facts.push_back({t, after, 1, Event::kNoPacket, &e});
        else if (e.kind == EventKind::Retransmit) facts.push_back({t, after, 2, Event::kNoPacket, &e});
    }
    std::stable_sort(facts.begin(), facts.end(), [](const Fact &a, const Fact &b) {
        if (a.time != b.time) return a.time < b.time;
        if (a.after != b.after) return a.after < b.after;
        return a.rank < b.rank;
    });
    for (const Fact &f : facts) {
        if (!f.event) {
            const PacketView v = store.packet(f.storeIndex);
            const SegmentSummary s = summarizeFrame(v.bytes, v.originalLength);
            if (!s.isTcp) continue; // ARP, ICMP: not steps of a TCP lesson
            TimelineItem item;
            item.kind = TimelineItem::Kind::Packet;
            item.time = v.time;
            item.session = v.session;
            item.host = v.host;
            item.storeIndex = f.storeIndex;
            item.flags = s.flags;
            item.outbound = v.direction == Direction::Outbound;
            // A lesson counts what a host sent onto the wire (a rule may drop it before it leaves).
            if (item.outbound && v.fate != FrameFate::DroppedByRule)
                item.note = tracker_.onPacketSent(hostName(v.host), s.flags);
            record(std::move(item));
        } else if (f.event->kind == EventKind::StateChange) {
            const Event &e = *f.event;
            TimelineItem item;
            item.kind = TimelineItem::Kind::State;
            item.time = e.time;
            item.session = e.session;
            item.host = e.host;
            item.state = e.name;
            for (const auto &[k, v] : e.fields)
                if (k == "from") item.from = v;
            item.note = tracker_.onStateEntered(hostName(e.host), e.name);
            record(std::move(item));
        } else {
            std::string cause;
            for (const auto &[k, v] : f.event->fields)
                if (k == "cause") cause = v;
            const int note = tracker_.onRetransmit(hostName(f.event->host), cause);
            // The note belongs to the retransmitted segment, recorded just before (same instant).
            if (note != LessonTracker::kNone && !items_.empty() && !truncated_) {
                items_.back().note = note;
                notes_.emplace_back(items_.size() - 1, note);
            }
        }
    }
}

bool ClassroomTimeline::stepForward(Unit unit)
{
    auto wanted = [&](std::size_t i) {
        return (unit == Unit::Packet) == (items_[i].kind == TimelineItem::Kind::Packet);
    };
    // From live, stepping starts with what the lab does next.
    std::size_t i = cursor_ ? *cursor_ + 1 : items_.size();
    int idle = 0;
    for (std::size_t polls = 0; polls < 1'000'000; ++polls) {
        if (i < items_.size()) {
            if (wanted(i)) {
                cursor_ = i;
                emit moved();
                return true;
            }
            ++i;
            continue;
        }
        if (!advance_ || truncated_) return false;
        const std::size_t before = items_.size();
        const bool more = advance_();
        if (items_.size() == before && !more && ++idle > 2) return false;
    }
    return false;
}

bool ClassroomTimeline::stepBack(Unit unit)
{
    std::size_t i = cursor_ ? *cursor_ : items_.size();
    while (i > 0) {
        --i;
        if ((unit == Unit::Packet) == (items_[i].kind == TimelineItem::Kind::Packet)) {
            cursor_ = i;
            emit moved();
            return true;
        }
    }
    return false;
}

void ClassroomTimeline::goLive()
{
    if (!cursor_) return;
    cursor_.reset();
    emit moved();
}

int ClassroomTimeline::noteAt(std::optional<std::size_t> at) const
{
    if (items_.empty() && !at) return tracker_.introduction();
    const std::size_t limit = at ? *at : items_.size() - 1;
    // notes_ is in item order: the last one at or before `limit`.
    auto it =
        std::upper_bound(notes_.begin(), notes_.end(), limit,
                         [](std::size_t v, const std::pair<std::size_t, int> &n) { return v < n.first; });
    return it == notes_.begin() ? tracker_.introduction() : std::prev(it)->second;
}

std::pair<std::string, std::string> ClassroomTimeline::stateAt(SessionId session, HostId host,
                                                               std::optional<std::size_t> at) const
{
    std::size_t i = at ? *at + 1 : items_.size();
    while (i > 0) {
        const TimelineItem &item = items_[--i];
        // A state change outside any session (a listener's LISTEN) still is that host's state.
        if (item.kind == TimelineItem::Kind::State && (item.session == session || item.session == kNoSession) && item.host == host)
            return {item.state, item.from};
    }
    return {};
}

} // namespace tcplab::gui

#include "stack/event_tagger.h"

#include <algorithm>

#include "wire/tcp.h"

namespace tcplab {

void EventTagger::forward(const Event &event)
{
    if (sink_ && event.packetIndex != Event::kNoPacket) sink_->annotate(event.packetIndex, event);
    out_.onEvent(event);
}

const Event &EventTagger::placed(const Event &event, std::uint64_t packetIndex)
{
    // For a sink that wants the placed event as a whole: one reused Event whose strings and fields
    // keep their storage, so placing allocates nothing once warm. A sink that emits again while one
    // is being forwarded gets a copy of its own (forwarding_).
    if (forwarding_) {
        spare_.push_back(event);
        spare_.back().packetIndex = packetIndex;
        return spare_.back();
    }
    scratch_ = event;
    scratch_.packetIndex = packetIndex;
    return scratch_;
}

void EventTagger::forwardPlaced(const Event &event, std::uint64_t packetIndex)
{
    if (!held_.empty()) {
        Event e = event;
        e.packetIndex = packetIndex;
        held_.push_back(std::move(e));
        return;
    }
    // Nearly every event while a frame is received (an RTT sample per ACK) is placed on it. The
    // recorder and the lab's fanout take the index beside the event (EventSink::onEventAt): no copy.
    if (sink_) sink_->annotate(packetIndex, event);
    if (out_.onEventAt(event, packetIndex)) return;
    const bool outer = !forwarding_;
    const Event &e = placed(event, packetIndex);
    forwarding_ = true;
    out_.onEvent(e);
    forwarding_ = !outer;
    if (outer && !spare_.empty()) spare_.clear();
}

void EventTagger::onEvent(const Event &event)
{
    if (!sink_ || event.packetIndex != Event::kNoPacket) {
        // Already placed (an ingress rule hit), or nothing is recorded: keep the order with held ones.
        if (!held_.empty()) {
            held_.push_back(event);
            return;
        }
        return forward(event);
    }
    const bool explains = explainsSegment(event.kind) && event.session != kNoSession;
    if (event.kind == EventKind::Retransmit && explains && lastOut_ != Event::kNoPacket &&
        lastSession_ == event.session)
        return forwardPlaced(event, lastOut_);
    if (inbound_ != Event::kNoPacket && !egress_ && !(explains && neededFlag(event))) {
        if (explains) echo_.push_back(event);
        return forwardPlaced(event, inbound_);
    }
    if (explains || !held_.empty()) {
        held_.push_back(event);
        return;
    }
    out_.onEvent(event);
}

void EventTagger::endInbound()
{
    inbound_ = Event::kNoPacket;
    echo_.clear();
}

std::uint8_t EventTagger::neededFlag(const Event &event)
{
    if (event.kind != EventKind::StateChange) return 0;
    if (event.name == "SYN-SENT") return TcpFlags::kSyn;
    if (event.name == "FIN-WAIT-1" || event.name == "LAST-ACK") return TcpFlags::kFin;
    return 0;
}

void EventTagger::keepForLater(const Event &event)
{
    // Only what certainly causes a segment (a TIME-WAIT expiry or a state reached by an ACK does not).
    if (!neededFlag(event) && event.kind != EventKind::Retransmit && event.kind != EventKind::RuleHit) return;
    if (later_.size() >= kMaxLater) later_.erase(later_.begin());
    later_.push_back(event);
}

void EventTagger::attachOutbound(SessionId session, std::uint64_t packetIndex, std::uint8_t tcpFlags)
{
    const auto fits = [&](const Event &e) {
        const std::uint8_t need = neededFlag(e);
        return e.session == session && (need == 0 || (tcpFlags & need));
    };
    // Already forwarded: annotate the store only.
    for (auto *list : {&echo_, &later_}) {
        for (auto it = list->begin(); it != list->end();) {
            if (!fits(*it)) {
                ++it;
                continue;
            }
            it->packetIndex = packetIndex;
            if (sink_) sink_->annotate(packetIndex, *it);
            it = list->erase(it);
        }
    }
    // Held events of this session go on this frame; everything up to the last of them is forwarded
    // in order (one of this session still waiting for its flag goes on annotating later), the rest
    // keeps waiting.
    std::size_t last = held_.size();
    for (std::size_t i = 0; i < held_.size(); ++i) {
        Event &e = held_[i];
        if (e.packetIndex != Event::kNoPacket || !explainsSegment(e.kind) || e.session != session) continue;
        if (fits(e)) e.packetIndex = packetIndex;
        last = i;
    }
    if (last == held_.size()) return;
    std::vector<Event> ready(std::make_move_iterator(held_.begin()),
                             std::make_move_iterator(held_.begin() + static_cast<std::ptrdiff_t>(last + 1)));
    held_.erase(held_.begin(), held_.begin() + static_cast<std::ptrdiff_t>(last + 1));
    for (const Event &e : ready) {
        if (e.packetIndex == Event::kNoPacket && explainsSegment(e.kind) && e.session != kNoSession)
            keepForLater(e);
        forward(e);
    }
}

void EventTagger::flush()
{
    lastOut_ = Event::kNoPacket;
    if (held_.empty()) return;
    std::vector<Event> ready = std::move(held_);
    held_.clear();
    for (const Event &e : ready) {
        if (e.packetIndex == Event::kNoPacket && explainsSegment(e.kind) && e.session != kNoSession)
            keepForLater(e);
        forward(e);
    }
}

} // namespace tcplab

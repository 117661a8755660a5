// Classroom stepping: what the lab did, recorded item by item (each TCP frame's transmission or
// reception, each TCB state change) with a cursor over it. Step moves the cursor forward, replaying
// what was recorded before asking the lab for more (one engine poll at a time, in virtual time);
// Back moves it backward, so the views show an earlier moment. The lesson note current at each item
// comes from the scenario's triggers (engine/scenario/lesson.h).
//
// The record is bounded (kMaxItems); past it, recording stops and truncated() says so.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include <QObject>

#include "capture/packet_store.h"
#include "scenario/lesson.h"

namespace tcplab::gui {

struct TimelineItem {
    enum class Kind : std::uint8_t { Packet, State };
    Kind kind = Kind::Packet;
    Instant time{};
    SessionId session = kNoSession;
    HostId host = kNoHost;
    // Packet: its store index, TCP flags and whether this is its transmission (else its reception).
    std::uint64_t storeIndex = Event::kNoPacket;
    std::uint8_t flags = 0;
    bool outbound = false;
    // State: the state entered and the one left (RFC spelling).
    std::string state, from;
    int note = LessonTracker::kNone; // the lesson note that becomes current here
};

class ClassroomTimeline : public QObject {
    Q_OBJECT
public:
    enum class Unit { Packet, StateChange };
    static constexpr std::size_t kMaxItems = 4'000'000;

    explicit ClassroomTimeline(QObject *parent = nullptr);

    // Asks the lab for the next thing it does (one poll, then the bridge's batch): returns false
    // when the lab has nothing more to do.
    void setAdvance(std::function<bool()> advance) { advance_ = std::move(advance); }
    // The scenario's notes and the names of its hosts (HostId = position), for the triggers.
    void setLesson(std::vector<LessonStep> steps, std::vector<std::string> hostNames);
    const std::vector<LessonStep> &lesson() const { return tracker_.steps(); }

    // One batch: the store's new records, then the batch's events (state changes and retransmissions).
    void ingest(const PacketStore &store, const std::vector<Event> &events);
    void clear();

    // Moves to the next item (of `unit`), advancing the lab when the record runs out; false when
    // there is none. The first step from live starts at the first item not seen while stepping.
    bool stepForward(Unit unit = Unit::Packet);
    bool stepBack(Unit unit = Unit::Packet);
    // Leaves stepping: the views follow the lab again.
    void goLive();

    bool live() const { return !cursor_; }
    std::optional<std::size_t> cursor() const { return cursor_; }
    const TimelineItem *current() const { return cursor_ ? &items_[*cursor_] : nullptr; }
    const std::vector<TimelineItem> &items() const { return items_; }
    bool truncated() const { return truncated_; }

    // The note current at item `at` (live: at the last item), or LessonTracker::kNone.
    int noteAt(std::optional<std::size_t> at) const;
    int currentNote() const { return noteAt(cursor_); }
    // The state `host` is in at item `at` (live: now), with the state it came from; empty if unknown.
    std::pair<std::string, std::string> stateAt(SessionId session, HostId host,
                                                std::optional<std::size_t> at) const;

signals:
    // The cursor moved (or left for live): the views show the moment of current().
    void moved();

private:
    void record(TimelineItem item);

    std::vector<TimelineItem> items_;
    std::optional<std::size_t> cursor_;
    std::uint64_t seen_ = 0; // store records taken in
    std::function<bool()> advance_;
    LessonTracker tracker_{{}};
    std::vector<std::string> hostNames_;
    std::vector<std::pair<std::size_t, int>> notes_; // (item, note) in item order
    bool truncated_ = false;
};

} // namespace tcplab::gui

// Lessons: teaching notes a scenario carries ([[lesson]] in the file), each shown from the moment
// its trigger fires: the Nth packet with given control flags sent by a given host, a host's TCB
// entering a state, or the Nth retransmission of a kind (fast retransmit, retransmission timeout). A note
// without a trigger introduces the lesson (shown before anything fired).
//
// LessonTracker replays what a run did, packet by packet and state by state, and says which note
// becomes current; it holds no clock and reads no store, so the GUI (step by step, forwards and
// back) and tests feed it the same facts.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/time.h"
#include "scenario/toml_comments.h"

namespace tcplab {

// Text in the two languages the product speaks.
struct LocalizedText {
    std::string en, ja;
    bool operator==(const LocalizedText &) const = default;
};

struct LessonTrigger {
    enum class Kind : std::uint8_t {
        Start,      // no trigger: the lesson's introduction
        Packet,     // the `nth` packet sent by `host` (any host when empty) whose SYN/ACK/FIN/RST bits equal
                    // `flags`
        State,      // `host`'s TCB (any host when empty) enters `state` (RFC spelling)
        Retransmit, // the `nth` retransmission by `host` (any when empty) of kind `retransmit`
    };
    enum class RetransmitKind : std::uint8_t { Any, Fast, Timeout };
    Kind kind = Kind::Start;
    std::uint32_t nth = 1;
    std::uint8_t flags = 0; // TcpFlags bits, only SYN, ACK, FIN, RST count
    std::string host;
    std::string state;
    RetransmitKind retransmit = RetransmitKind::Any;
    bool operator==(const LessonTrigger &) const = default;
};

struct LessonStep {
    LocalizedText text;
    LessonTrigger trigger;
    TomlComments comments; // of its [[lesson]] table (scenario/toml_comments.h)
    bool operator==(const LessonStep &) const = default;
};

// The control bits a packet trigger compares (PSH, URG, ECE and CWR do not change what a segment is).
inline constexpr std::uint8_t kLessonFlagMask = 0x01 | 0x02 | 0x04 | 0x10;

// "SYN,ACK" (names from SYN ACK FIN RST, comma or space separated, any case) → bits; nullopt with
// `error` set when a name is unknown or the list is empty.
std::optional<std::uint8_t> parseLessonFlags(std::string_view text, std::string *error);
// Bits → "SYN,ACK" (the order SYN, ACK, FIN, RST).
std::string formatLessonFlags(std::uint8_t flags);
// "any", "fast", "timeout" (the file's spelling) and back.
std::optional<LessonTrigger::RetransmitKind> parseRetransmitKind(std::string_view text);
std::string_view retransmitKindName(LessonTrigger::RetransmitKind kind);

class LessonTracker {
public:
    static constexpr int kNone = -1;
    explicit LessonTracker(std::vector<LessonStep> steps);

    // The note the lesson opens with (the first untriggered one), or kNone.
    int introduction() const;
    // A packet sent by `host` with TCP `flags`: the note that becomes current with it, or kNone.
    // When several fire on one packet, the last of them in the file wins.
    int onPacketSent(std::string_view host, std::uint8_t flags);
    // `host`'s TCB entered `state`: as above.
    int onStateEntered(std::string_view host, std::string_view state);
    // `host` retransmitted; `cause` as the engine's Retransmit event says it ("fast retransmit",
    // "rto #2", ...): as above.
    int onRetransmit(std::string_view host, std::string_view cause);
    void reset();

    const std::vector<LessonStep> &steps() const { return steps_; }

private:
    std::vector<LessonStep> steps_;
    std::vector<std::uint32_t> seen_; // matching packets so far, per step
    std::vector<bool> fired_;
};

} // namespace tcplab

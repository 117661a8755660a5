// The rule model: what a rule matches and what it does, as plain values (loaded from scenarios,
// edited in the GUI, compared in tests). RuleEngine runs them.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "core/bytes.h"
#include "core/time.h"
#include "rules/expr.h"
#include "rules/packet_fields.h"
#include "stack/packet_hook.h"
#include "tcp/tcp_state.h"
#include "wire/addresses.h"

namespace tcplab {

template <class T>
struct ValueRange {
    T lo{}, hi{};
    constexpr bool contains(T v) const { return lo <= v && v <= hi; }
    bool operator==(const ValueRange &) const = default;
};
using PortRange = ValueRange<std::uint16_t>;
using CountRange = ValueRange<std::uint64_t>;
using DurationRange = ValueRange<Duration>;

// Which of the matching packets a rule acts on: all of them, only the n-th, the first n, or every
// k-th (counted over the packets that passed every other test of the match).
enum class Occurrence : std::uint8_t { Every, Nth, FirstN, EveryKth };

struct Match {
    std::uint8_t flagsSet = 0;    // every one of these bits must be set
    std::uint8_t flagsClear = 0;  // every one of these bits must be clear
    TcpStateSet states;           // empty: any state (NONE means "no session")
    std::optional<IpPrefix> localAddr, remoteAddr;
    std::optional<PortRange> localPort, remotePort;
    std::optional<CountRange> payloadLength;
    Bytes payloadContains;  // empty: don't care
    bool payloadContainsText = true;  // how the scenario spelled it (text or hex)
    Occurrence occurrence = Occurrence::Every;
    std::uint64_t occurrenceCount = 0;  // n for Nth and FirstN, k for EveryKth
    double probability = 1.0;
    std::optional<DurationRange> sinceSessionStart;
    std::optional<CountRange> sessionOrdinal;

    bool operator==(const Match &) const = default;
};

// Option values to put into a segment (add or change) or to build one from.
struct OptionValues {
    std::optional<std::uint16_t> mss;
    std::optional<std::uint8_t> windowScale;
    std::optional<bool> sackPermitted;
    std::optional<std::pair<std::uint32_t, std::uint32_t>> timestamps;  // TSval, TSecr
    std::vector<std::pair<std::uint32_t, std::uint32_t>> sackBlocks;
    bool operator==(const OptionValues &) const = default;
};

enum class OptionKind : std::uint8_t { Mss, WindowScale, SackPermitted, Sack, Timestamps };
std::optional<OptionKind> optionKindFromName(std::string_view name);  // mss wscale sack_permitted sack timestamps
std::string_view optionKindName(OptionKind kind);

enum class Toward : std::uint8_t { Sender, Receiver };  // relative to the packet being processed

struct DropAction {
    bool operator==(const DropAction &) const = default;
};
struct DelayAction {
    Duration by{};
    bool operator==(const DelayAction &) const = default;
};
struct DuplicateAction {
    std::uint32_t count = 1;
    bool operator==(const DuplicateAction &) const = default;
};
// Hold the packet and release it right after the next `segments` packets through the same hook
// (a reorder); released anyway after `timeout` when fewer come.
struct HoldAction {
    std::uint32_t segments = 1;
    Duration timeout = std::chrono::seconds(1);
    bool operator==(const HoldAction &) const = default;
};
struct SetFieldAction {
    PacketField field = PacketField::TcpSeq;
    Expr value;
    bool operator==(const SetFieldAction &) const = default;
};
struct FlagsAction {
    std::uint8_t set = 0, clear = 0;
    bool operator==(const FlagsAction &) const = default;
};
struct OptionsAction {
    bool removeAll = false;
    std::vector<OptionKind> remove;
    OptionValues set;
    bool operator==(const OptionsAction &) const = default;
};
struct PayloadAction {
    enum class Mode : std::uint8_t { Replace, Truncate, Append } mode = Mode::Replace;
    Bytes data;         // Replace, Append
    bool text = true;   // how the scenario spelled data
    std::uint32_t length = 0;  // Truncate: keep this many bytes
    bool operator==(const PayloadAction &) const = default;
};
struct CorruptChecksumAction {
    bool operator==(const CorruptChecksumAction &) const = default;
};
// Answer the packet with a crafted segment (addresses and ports reversed) and consume it: the state
// machine never sees it (ingress) or it never leaves (egress).
struct ReplyAction {
    Expr seq, ack;
    Expr window = Expr::constant(0);
    std::uint8_t flags = 0x10;  // ACK
    OptionValues options;       // empty: no options
    Bytes payload;
    bool payloadText = true;
    bool operator==(const ReplyAction &) const = default;
};
// Send an extra RST or FIN toward the packet's sender or receiver; the packet itself goes on.
// Default numbers make it acceptable to its target: toward the receiver, seq = seg.seq, ack =
// seg.ack; toward the sender, seq = seg.ack, ack = seg.seq + seg.len.
struct InjectAction {
    std::uint8_t flags = 0x04;  // RST (FIN is sent as FIN, ACK)
    Toward toward = Toward::Sender;
    std::optional<Expr> seq, ack;
    bool operator==(const InjectAction &) const = default;
};

using Action = std::variant<DropAction, DelayAction, DuplicateAction, HoldAction, SetFieldAction, FlagsAction,
                            OptionsAction, PayloadAction, CorruptChecksumAction, ReplyAction, InjectAction>;

// The word scenarios use for each action ("drop", "delay", ...).
std::string_view actionName(const Action &action);

struct Rule {
    std::string name;
    bool enabled = true;
    HookPoint hook = HookPoint::Ingress;
    Match match;
    std::vector<Action> actions;
    bool continueAfterHit = false;  // false: a hit stops evaluation of later rules for this packet
    std::uint64_t maxHits = 0;      // the rule disables itself after this many hits; 0: no limit

    bool operator==(const Rule &) const = default;
};

// Flag expressions. For matches: "SYN && !ACK", "SYN & !ACK", "SYN, !ACK", "syn !ack"; for sets of
// flags to send: "SYN|ACK", "SYN, ACK", "FIN ACK" ("" or "none" is no flag). Names: FIN SYN RST PSH
// ACK URG ECE CWR, any case. Errors carry the 1-based column.
struct FlagTerms {
    std::uint8_t set = 0, clear = 0;
};
Expected<FlagTerms> parseFlagMatch(std::string_view text, std::size_t *errorColumn = nullptr);
Expected<std::uint8_t> parseFlagSet(std::string_view text, std::size_t *errorColumn = nullptr);
std::string flagMatchText(std::uint8_t set, std::uint8_t clear);  // "SYN && !ACK"
std::string flagSetText(std::uint8_t flags);                      // "SYN|ACK", "none"

}  // namespace tcplab

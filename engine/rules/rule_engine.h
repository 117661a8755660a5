// RuleEngine: the PacketHook that runs a host's rules at ingress and egress.
//
// Rules are evaluated in order. The common case, a packet no rule wants, must cost almost nothing
// (a lab carries bulk transfers through it), so each rule's match is precompiled into a small
// record of masks and ranges (flags, state bits, ports), and indexed by (hook point, flag byte, TCB
// state) so a packet visits only the rules whose flag and state tests it passes; strings, payload
// searches and the RNG are touched only by rules that passed the cheap tests. Nothing allocates on
// that path.
//
// Rules change while the lab runs (the engine thread owns this object; commands arrive between
// packets): setRules() replaces the list and keeps hit counters of rules whose names survive.
#pragma once

#include <deque>
#include <string>
#include <string_view>
#include <vector>

#include "core/rng.h"
#include "rules/packet_edit.h"
#include "rules/rule.h"
#include "stack/packet_hook.h"

namespace tcplab {

struct RuleStatus {
    std::string name;
    bool enabled = true;
    bool exhausted = false;  // reached max_hits
    std::uint64_t hits = 0;
    std::uint64_t matches = 0;  // packets that passed the match (before occurrence/probability)
};

class RuleEngine final : public PacketHook {
public:
    explicit RuleEngine(Rng &rng) : rng_(rng) {}

    // Replaces every rule; counters follow rules by name (a renamed rule starts from zero).
    void setRules(std::vector<Rule> rules);
    // Single-rule edits; false (and nothing changed) when the name is unknown or already taken.
    bool addRule(Rule rule, std::size_t position = ~std::size_t(0));
    bool replaceRule(std::string_view name, Rule rule);
    bool removeRule(std::string_view name);
    bool moveRule(std::string_view name, std::size_t newPosition);
    bool setEnabled(std::string_view name, bool enabled);
    void resetCounters();

    const std::vector<Rule> &rules() const { return rules_; }
    std::uint64_t hits(std::string_view name) const;
    std::vector<RuleStatus> status() const;
    std::size_t heldPackets() const { return held_.size(); }

    HookVerdict onPacket(Instant now, HookPacket &packet, HookActions &actions) override;
    Instant pollAt() const override;
    void poll(Instant now, HookActions &actions) override;

private:
    // The precompiled, string-free part of a match, tested for every packet.
    struct Compiled {
        std::uint8_t hookBit = 0;  // 1 ingress, 2 egress; 0 when disabled or exhausted
        std::uint8_t flagsSet = 0, flagsClear = 0;
        std::uint16_t states = 0xffff;
        std::uint16_t localPortLo = 0, localPortHi = 0xffff;
        std::uint16_t remotePortLo = 0, remotePortHi = 0xffff;
        bool needsDetail = false;  // addresses, payload, time, ordinal, occurrence or probability
    };
    struct Counters {
        std::uint64_t hits = 0, matches = 0;
        bool exhausted = false;
    };
    struct Held {
        HookPoint point = HookPoint::Ingress;
        Bytes ip;
        Instant releaseAt = kNever;  // delay expiry or hold timeout
        std::uint32_t segmentsLeft = 0;  // hold: release after this many more packets (0: timed only)
        bool ready = false;              // hold: its packets have passed, release now
    };
    // What the rules decided for the current packet.
    struct Outcome {
        HookVerdict verdict = HookVerdict::Pass;
        bool edited = false, corrupt = false, consumed = false;
        std::uint32_t duplicates = 0;
        std::optional<Duration> delay;
        std::optional<HoldAction> hold;
    };

    static Compiled compile(const Rule &rule, const Counters &counters);
    void recompile();
    int indexOf(std::string_view name) const;
    bool matchDetail(const Rule &rule, Counters &counters, Instant now, const HookPacket &packet,
                     const TcpLocation &loc);
    void applyRule(const Rule &rule, Instant now, HookPacket &packet, TcpLocation &loc, const ExprContext &ctx,
                   HookActions &actions, Outcome &out);
    void applyAction(const Rule &rule, const Action &action, Instant now, HookPacket &packet, TcpLocation &loc,
                     const ExprContext &ctx, HookActions &actions, Outcome &out, FieldChanges &changes);
    void sendCrafted(const Rule &rule, const ReplyAction *reply, const InjectAction *inject, Instant now,
                     const HookPacket &packet, const TcpLocation &loc, const ExprContext &ctx, HookActions &actions,
                     FieldChanges &changes);
    HookVerdict finish(Instant now, HookPacket &packet, TcpLocation &loc, Outcome &out, HookActions &actions);
    void reportError(const Rule &rule, Instant now, const HookPacket &packet, const std::string &message,
                     HookActions &actions);
    static void release(Instant now, HookPoint point, Bytes ip, HookActions &actions);

    Rng &rng_;
    std::vector<Rule> rules_;
    std::vector<Compiled> compiled_;
    static constexpr std::uint32_t kCandidateKeys = 2 * 256 * kTcpStateCount;
    std::vector<std::uint32_t> candidateStart_ = std::vector<std::uint32_t>(kCandidateKeys + 1, 0);
    std::vector<std::uint32_t> candidates_;  // rule indices, grouped by key
    std::vector<Counters> counters_;
    std::deque<Held> held_;
};

}  // namespace tcplab

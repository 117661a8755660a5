#include "rules/rule_engine.h"

#include <algorithm>

#include "wire/tcp.h"

namespace tcplab {

namespace {

std::uint8_t hookBitOf(HookPoint p) { return p == HookPoint::Ingress ? 1 : 2; }

// A packet sent toward the host's own stack or toward the wire, depending on where it travels.
void toStack(Instant now, Bytes ip, HookActions &actions) { actions.deliverToStack(now, std::move(ip)); }
void toWire(Instant now, Bytes ip, HookActions &actions) { actions.sendToWire(now, std::move(ip)); }

}  // namespace

// ---- rule list -------------------------------------------------------------------------------

RuleEngine::Compiled RuleEngine::compile(const Rule &rule, const Counters &counters)
{
    Compiled c;
    const Match &m = rule.match;
    c.hookBit = (rule.enabled && !counters.exhausted) ? hookBitOf(rule.hook) : 0;
    c.flagsSet = m.flagsSet;
    c.flagsClear = m.flagsClear;
    c.states = m.states.empty() ? 0xffff : m.states.bits();
    if (m.localPort) c.localPortLo = m.localPort->lo, c.localPortHi = m.localPort->hi;
    if (m.remotePort) c.remotePortLo = m.remotePort->lo, c.remotePortHi = m.remotePort->hi;
    c.needsDetail = m.localAddr || m.remoteAddr || m.payloadLength || !m.payloadContains.empty() ||
                    m.sinceSessionStart || m.sessionOrdinal || m.occurrence != Occurrence::Every ||
                    m.probability < 1.0;
    return c;
}

void RuleEngine::recompile()
{
    compiled_.resize(rules_.size());
    counters_.resize(rules_.size());
    for (std::size_t i = 0; i < rules_.size(); ++i) compiled_[i] = compile(rules_[i], counters_[i]);
    // For every (hook point, flag byte, TCB state) the rules whose hook, flag and state tests pass,
    // in rule order: a packet then visits only the rules that could match it. Rebuilt on every
    // edit (a few hundred thousand cheap tests for 100 rules; edits are rare, packets are not).
    candidateStart_.assign(kCandidateKeys + 1, 0);
    candidates_.clear();
    for (std::uint32_t key = 0; key < kCandidateKeys; ++key) {
        candidateStart_[key] = static_cast<std::uint32_t>(candidates_.size());
        const std::uint8_t pointBit = static_cast<std::uint8_t>(1u << (key / (256 * kTcpStateCount)));
        const std::uint8_t flags = static_cast<std::uint8_t>((key / kTcpStateCount) % 256);
        const std::uint16_t stateBit = static_cast<std::uint16_t>(1u << (key % kTcpStateCount));
        for (std::size_t i = 0; i < compiled_.size(); ++i) {
            const Compiled &c = compiled_[i];
            if ((c.hookBit & pointBit) && (flags & c.flagsSet) == c.flagsSet && !(flags & c.flagsClear) && (c.states & stateBit))
                candidates_.push_back(static_cast<std::uint32_t>(i));
        }
    }
    candidateStart_[kCandidateKeys] = static_cast<std::uint32_t>(candidates_.size());
}

int RuleEngine::indexOf(std::string_view name) const
{
    for (std::size_t i = 0; i < rules_.size(); ++i)
        if (rules_[i].name == name) return static_cast<int>(i);
    return -1;
}

void RuleEngine::setRules(std::vector<Rule> rules)
{
    std::vector<Counters> kept(rules.size());
    for (std::size_t i = 0; i < rules.size(); ++i) {
        const int old = indexOf(rules[i].name);
        if (old >= 0) kept[i] = counters_[static_cast<std::size_t>(old)];
        // A raised or removed limit revives an exhausted rule.
        kept[i].exhausted = rules[i].maxHits != 0 && kept[i].hits >= rules[i].maxHits;
    }
    rules_ = std::move(rules);
    counters_ = std::move(kept);
    recompile();
}

bool RuleEngine::addRule(Rule rule, std::size_t position)
{
    if (indexOf(rule.name) >= 0) return false;
    position = std::min(position, rules_.size());
    rules_.insert(rules_.begin() + static_cast<std::ptrdiff_t>(position), std::move(rule));
    counters_.insert(counters_.begin() + static_cast<std::ptrdiff_t>(position), Counters{});
    recompile();
    return true;
}

bool RuleEngine::replaceRule(std::string_view name, Rule rule)
{
    const int i = indexOf(name);
    if (i < 0) return false;
    const int clash = indexOf(rule.name);
    if (clash >= 0 && clash != i) return false;
    auto &counters = counters_[static_cast<std::size_t>(i)];
    if (rule.name != name) counters = Counters{};
    counters.exhausted = rule.maxHits != 0 && counters.hits >= rule.maxHits;
    rules_[static_cast<std::size_t>(i)] = std::move(rule);
    recompile();
    return true;
}

bool RuleEngine::removeRule(std::string_view name)
{
    const int i = indexOf(name);
    if (i < 0) return false;
    rules_.erase(rules_.begin() + i);
    counters_.erase(counters_.begin() + i);
    recompile();
    return true;
}

bool RuleEngine::moveRule(std::string_view name, std::size_t newPosition)
{
    const int i = indexOf(name);
    if (i < 0) return false;
    Rule r = std::move(rules_[static_cast<std::size_t>(i)]);
    Counters c = counters_[static_cast<std::size_t>(i)];
    rules_.erase(rules_.begin() + i);
    counters_.erase(counters_.begin() + i);
    newPosition = std::min(newPosition, rules_.size());
    rules_.insert(rules_.begin() + static_cast<std::ptrdiff_t>(newPosition), std::move(r));
    counters_.insert(counters_.begin() + static_cast<std::ptrdiff_t>(newPosition), c);
    recompile();
    return true;
}

bool RuleEngine::setEnabled(std::string_view name, bool enabled)
{
    const int i = indexOf(name);
    if (i < 0) return false;
    rules_[static_cast<std::size_t>(i)].enabled = enabled;
    recompile();
    return true;
}

void RuleEngine::resetCounters()
{
    for (auto &c : counters_) c = Counters{};
    recompile();
}

std::uint64_t RuleEngine::hits(std::string_view name) const
{
    const int i = indexOf(name);
    return i < 0 ? 0 : counters_[static_cast<std::size_t>(i)].hits;
}

std::vector<RuleStatus> RuleEngine::status() const
{
    std::vector<RuleStatus> out;
    for (std::size_t i = 0; i < rules_.size(); ++i)
        out.push_back({rules_[i].name, rules_[i].enabled, counters_[i].exhausted, counters_[i].hits, counters_[i].matches});
    return out;
}

// ---- per packet ------------------------------------------------------------------------------

HookVerdict RuleEngine::onPacket(Instant now, HookPacket &packet, HookActions &actions)
{
    if (rules_.empty() && held_.empty()) return HookVerdict::Pass;
    static_assert(kTcpStateCount <= 16, "TcpStateSet holds 16 bits");
    auto loc = locateTcp(packet.ip);
    if (!loc) return HookVerdict::Pass;
    const std::uint8_t *t = packet.ip.data() + loc->tcpOffset;
    const std::uint8_t flags = t[13];
    const bool ingress = packet.point == HookPoint::Ingress;
    const std::uint16_t localPort = loadBe16(t + (ingress ? 2 : 0));
    const std::uint16_t remotePort = loadBe16(t + (ingress ? 0 : 2));
    const unsigned state = std::min<unsigned>(static_cast<unsigned>(packet.tcb.state), kTcpStateCount - 1);
    const std::uint32_t key = ((ingress ? 0u : 1u) * 256u + flags) * kTcpStateCount + state;

    Outcome out;
    std::optional<ExprContext> ctx;  // built on the first hit, from the bytes as they arrived
    const std::uint32_t end = candidateStart_[key + 1];
    for (std::uint32_t k = candidateStart_[key]; k < end; ++k) {
        const std::size_t i = candidates_[k];
        const Compiled &c = compiled_[i];
        // hookBit is cleared when a rule runs out of hits (the candidate lists are not rebuilt then).
        const bool miss = (c.hookBit == 0) | (localPort < c.localPortLo) | (localPort > c.localPortHi) |
                          (remotePort < c.remotePortLo) | (remotePort > c.remotePortHi);
        if (miss) continue;
        const Rule &rule = rules_[i];
        Counters &counters = counters_[i];
        if (c.needsDetail) {
            if (!matchDetail(rule, counters, now, packet, *loc)) continue;
        } else {
            ++counters.matches;
        }
        ++counters.hits;
        if (rule.maxHits != 0 && counters.hits >= rule.maxHits) {
            counters.exhausted = true;
            compiled_[i].hookBit = 0;
        }
        if (!ctx) ctx = exprContextOf(packet.ip, *loc, packet.tcb, &rng_);
        applyRule(rule, now, packet, *loc, *ctx, actions, out);
        if (out.consumed || !rule.continueAfterHit) break;
    }
    return finish(now, packet, *loc, out, actions);
}

bool RuleEngine::matchDetail(const Rule &rule, Counters &counters, Instant now, const HookPacket &packet,
                             const TcpLocation &loc)
{
    const Match &m = rule.match;
    const bool ingress = packet.point == HookPoint::Ingress;
    if (m.localAddr && !m.localAddr->contains(ingress ? ipDestination(packet.ip) : ipSource(packet.ip))) return false;
    if (m.remoteAddr && !m.remoteAddr->contains(ingress ? ipSource(packet.ip) : ipDestination(packet.ip))) return false;
    const ByteView payload = ByteView(packet.ip).subspan(loc.tcpOffset + loc.headerLength, loc.payloadLength());
    if (m.payloadLength && !m.payloadLength->contains(payload.size())) return false;
    if (!m.payloadContains.empty() &&
        std::search(payload.begin(), payload.end(), m.payloadContains.begin(), m.payloadContains.end()) == payload.end())
        return false;
    if (m.sinceSessionStart && !m.sinceSessionStart->contains(now - packet.sessionStart)) return false;
    if (m.sessionOrdinal && !m.sessionOrdinal->contains(packet.sessionOrdinal)) return false;
    const std::uint64_t nth = ++counters.matches;
    switch (m.occurrence) {
    case Occurrence::Every: break;
    case Occurrence::Nth:
        if (nth != m.occurrenceCount) return false;
        break;
    case Occurrence::FirstN:
        if (nth > m.occurrenceCount) return false;
        break;
    case Occurrence::EveryKth:
        if (m.occurrenceCount == 0 || nth % m.occurrenceCount != 0) return false;
        break;
    }
    return m.probability >= 1.0 || rng_.chance(m.probability);
}

void RuleEngine::applyRule(const Rule &rule, Instant now, HookPacket &packet, TcpLocation &loc, const ExprContext &ctx,
                           HookActions &actions, Outcome &out)
{
    FieldChanges changes;
    std::string names;
    for (const Action &a : rule.actions) {
        if (!names.empty()) names += ',';
        names += actionName(a);
        applyAction(rule, a, now, packet, loc, ctx, actions, out, changes);
    }
    Event e;
    e.time = now;
    e.kind = EventKind::RuleHit;
    e.host = packet.host;
    e.session = packet.session;
    e.name = rule.name;
    e.detail = "rule \"" + rule.name + "\" (" + (packet.point == HookPoint::Ingress ? "ingress" : "egress") + "): " + names;
    for (const auto &[field, change] : changes) e.detail += "; " + field + " " + change;
    e.fields = std::move(changes);
    e.fields.emplace_back("action", names);
    actions.reportHit(std::move(e));
}

void RuleEngine::applyAction(const Rule &rule, const Action &action, Instant now, HookPacket &packet,
                             TcpLocation &loc, const ExprContext &ctx, HookActions &actions, Outcome &out,
                             FieldChanges &changes)
{
    PacketEditor editor(packet.ip, loc, ctx);
    Status status = okStatus();
    std::visit(
        [&](const auto &a) {
            using T = std::decay_t<decltype(a)>;
            if constexpr (std::is_same_v<T, DropAction>) {
                out.verdict = HookVerdict::Drop;
                out.consumed = true;
            } else if constexpr (std::is_same_v<T, DelayAction>) {
                out.delay = a.by;
            } else if constexpr (std::is_same_v<T, DuplicateAction>) {
                out.duplicates += a.count;
            } else if constexpr (std::is_same_v<T, HoldAction>) {
                out.hold = a;
            } else if constexpr (std::is_same_v<T, SetFieldAction>) {
                status = editor.setField(a, changes);
                out.edited = true;
            } else if constexpr (std::is_same_v<T, FlagsAction>) {
                status = editor.flags(a, changes);
                out.edited = true;
            } else if constexpr (std::is_same_v<T, OptionsAction>) {
                status = editor.options(a, changes);
                out.edited = true;
            } else if constexpr (std::is_same_v<T, PayloadAction>) {
                status = editor.payload(a, changes);
                out.edited = true;
            } else if constexpr (std::is_same_v<T, CorruptChecksumAction>) {
                out.corrupt = out.edited = true;
            } else if constexpr (std::is_same_v<T, ReplyAction>) {
                sendCrafted(rule, &a, nullptr, now, packet, loc, ctx, actions, changes);
                out.verdict = HookVerdict::Drop;
                out.consumed = true;
            } else if constexpr (std::is_same_v<T, InjectAction>) {
                sendCrafted(rule, nullptr, &a, now, packet, loc, ctx, actions, changes);
            }
        },
        action);
    if (!status) reportError(rule, now, packet, status.error().message, actions);
}

void RuleEngine::sendCrafted(const Rule &rule, const ReplyAction *reply, const InjectAction *inject, Instant now,
                             const HookPacket &packet, const TcpLocation &loc, const ExprContext &ctx,
                             HookActions &actions, FieldChanges &changes)
{
    const std::uint8_t *t = packet.ip.data() + loc.tcpOffset;
    const Endpoint src{ipSource(packet.ip), loadBe16(t)}, dst{ipDestination(packet.ip), loadBe16(t + 2)};
    const bool towardSender = reply || inject->toward == Toward::Sender;
    CraftedSegment s;
    s.src = towardSender ? dst : src;
    s.dst = towardSender ? src : dst;
    auto eval = [&](const Expr &e, const char *what) -> std::optional<std::uint32_t> {
        auto v = e.eval(ctx);
        if (!v) reportError(rule, now, packet, std::string(what) + ": " + v.error().message, actions);
        return v ? std::optional<std::uint32_t>(*v) : std::nullopt;
    };
    std::optional<std::uint32_t> seq, ack;
    std::string prefix;
    if (reply) {
        prefix = "reply.";
        seq = eval(reply->seq, "reply seq");
        ack = eval(reply->ack, "reply ack");
        const auto win = eval(reply->window, "reply window");
        if (!seq || !ack || !win) return;
        if (*win > 0xffff) return reportError(rule, now, packet, "reply window " + std::to_string(*win) + " does not fit 16 bits", actions);
        s.window = static_cast<std::uint16_t>(*win);
        s.flags = reply->flags;
        s.options = reply->options;
        s.payload = reply->payload;
    } else {
        prefix = "inject.";
        // Defaults that land inside the target's window (RFC 9293 section 3.10.7.4: a RST is
        // acceptable when its sequence number is in the window).
        seq = inject->seq ? eval(*inject->seq, "inject seq") : (towardSender ? ctx.segAck : ctx.segSeq);
        ack = inject->ack ? eval(*inject->ack, "inject ack") : (towardSender ? ctx.segSeq + ctx.segLen : ctx.segAck);
        if (!seq || !ack) return;
        s.flags = static_cast<std::uint8_t>(inject->flags | TcpFlags::kAck);
        s.window = static_cast<std::uint16_t>(inject->flags & TcpFlags::kRst ? 0 : ctx.segWin);
    }
    s.seq = *seq;
    s.ack = *ack;
    changes.emplace_back(prefix + "flags", TcpFlags(s.flags).toString());
    changes.emplace_back(prefix + "seq", std::to_string(s.seq));
    changes.emplace_back(prefix + "ack", std::to_string(s.ack));
    changes.emplace_back(prefix + "window", std::to_string(s.window));
    Bytes ip = buildCraftedPacket(s);
    // Toward the sender of an ingress packet is out on the wire; of an egress packet, our own stack.
    const bool wire = (packet.point == HookPoint::Ingress) == towardSender;
    wire ? toWire(now, std::move(ip), actions) : toStack(now, std::move(ip), actions);
}

void RuleEngine::reportError(const Rule &rule, Instant now, const HookPacket &packet, const std::string &message,
                             HookActions &actions)
{
    Event e;
    e.time = now;
    e.kind = EventKind::Error;
    e.host = packet.host;
    e.session = packet.session;
    e.name = rule.name;
    e.detail = "rule \"" + rule.name + "\": " + message;
    actions.reportHit(std::move(e));
}

void RuleEngine::release(Instant now, HookPoint point, Bytes ip, HookActions &actions)
{
    point == HookPoint::Ingress ? toStack(now, std::move(ip), actions) : toWire(now, std::move(ip), actions);
}

HookVerdict RuleEngine::finish(Instant now, HookPacket &packet, TcpLocation &loc, Outcome &out, HookActions &actions)
{
    if (out.edited) {
        fixPacketLengths(packet.ip, loc);
        fixPacketChecksums(packet.ip, loc);
        // A value that differs from the right one, never its ones'-complement twin (0 vs ffff).
        if (out.corrupt) packet.ip[loc.tcpOffset + 16] ^= 0x0b;
    }
    if (out.verdict == HookVerdict::Drop) return HookVerdict::Drop;
    for (std::uint32_t i = 0; i < out.duplicates; ++i) release(now, packet.point, packet.ip, actions);
    if (out.delay || out.hold) {
        Held h;
        h.point = packet.point;
        h.ip = std::move(packet.ip);
        if (out.hold) {
            h.segmentsLeft = std::max<std::uint32_t>(1, out.hold->segments);
            h.releaseAt = now + out.hold->timeout;
        } else {
            h.releaseAt = now + *out.delay;
        }
        held_.push_back(std::move(h));
        return HookVerdict::Take;
    }
    // Held-for-reorder packets count the packets that pass after them; when one's count runs out,
    // this packet goes first and the held one right behind it.
    bool releaseNow = false;
    for (auto &h : held_)
        if (h.point == packet.point && h.segmentsLeft > 0 && --h.segmentsLeft == 0) h.ready = releaseNow = true;
    if (!releaseNow) return HookVerdict::Pass;
    release(now, packet.point, std::move(packet.ip), actions);
    for (auto it = held_.begin(); it != held_.end();) {
        if (it->ready) {
            release(now, it->point, std::move(it->ip), actions);
            it = held_.erase(it);
        } else {
            ++it;
        }
    }
    return HookVerdict::Take;
}

Instant RuleEngine::pollAt() const
{
    Instant next = kNever;
    for (const auto &h : held_) next = std::min(next, h.releaseAt);
    return next;
}

void RuleEngine::poll(Instant now, HookActions &actions)
{
    // Release in deadline order, oldest first among equals, so delayed packets keep their order.
    while (true) {
        auto due = held_.end();
        for (auto it = held_.begin(); it != held_.end(); ++it)
            if (it->releaseAt <= now && (due == held_.end() || it->releaseAt < due->releaseAt)) due = it;
        if (due == held_.end()) return;
        Held h = std::move(*due);
        held_.erase(due);
        release(now, h.point, std::move(h.ip), actions);
    }
}

}  // namespace tcplab

#include "scenario/lesson.h"

#include <algorithm>
#include <cctype>

namespace tcplab {
namespace {

struct FlagName {
    std::string_view name;
    std::uint8_t bit;
};
// TcpFlags bit values (RFC 9293 section 3.1), in the order a person says them.
constexpr FlagName kFlagNames[] = {{"SYN", 0x02}, {"ACK", 0x10}, {"FIN", 0x01}, {"RST", 0x04}};

bool sameName(std::string_view a, std::string_view b)
{
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i) {
        auto norm = [](char c) { return c == '_' ? '-' : char(std::toupper(static_cast<unsigned char>(c))); };
        if (norm(a[i]) != norm(b[i])) return false;
    }
    return true;
}

bool hostMatches(const std::string &wanted, std::string_view host)
{
    return wanted.empty() || wanted == host;
}

} // namespace

std::optional<std::uint8_t> parseLessonFlags(std::string_view text, std::string *error)
{
    std::uint8_t bits = 0;
    std::size_t count = 0;
    std::size_t i = 0;
    while (i < text.size()) {
        while (i < text.size() && (text[i] == ',' || text[i] == ' ' || text[i] == '|' || text[i] == '+'))
            ++i;
        std::size_t j = i;
        while (j < text.size() && text[j] != ',' && text[j] != ' ' && text[j] != '|' && text[j] != '+')
            ++j;
        if (j == i) break;
        const std::string_view word = text.substr(i, j - i);
        const auto *f = std::find_if(std::begin(kFlagNames), std::end(kFlagNames),
                                     [&](const FlagName &n) { return sameName(n.name, word); });
        if (f == std::end(kFlagNames)) {
            if (error) *error = "unknown flag '" + std::string(word) + "' (known: SYN ACK FIN RST)";
            return std::nullopt;
        }
        bits |= f->bit;
        ++count;
        i = j;
    }
    if (count == 0) {
        if (error) *error = "'flags' names no flag (like \"SYN,ACK\")";
        return std::nullopt;
    }
    return bits;
}

std::string formatLessonFlags(std::uint8_t flags)
{
    std::string out;
    for (const auto &f : kFlagNames) {
        if (!(flags & f.bit)) continue;
        if (!out.empty()) out += ',';
        out += f.name;
    }
    return out;
}

std::optional<LessonTrigger::RetransmitKind> parseRetransmitKind(std::string_view text)
{
    using K = LessonTrigger::RetransmitKind;
    if (text == "any") return K::Any;
    if (text == "fast") return K::Fast;
    if (text == "timeout") return K::Timeout;
    return std::nullopt;
}

std::string_view retransmitKindName(LessonTrigger::RetransmitKind kind)
{
    using K = LessonTrigger::RetransmitKind;
    return kind == K::Fast ? "fast" : kind == K::Timeout ? "timeout" : "any";
}

LessonTracker::LessonTracker(std::vector<LessonStep> steps) : steps_(std::move(steps))
{
    reset();
}

void LessonTracker::reset()
{
    seen_.assign(steps_.size(), 0);
    fired_.assign(steps_.size(), false);
}

int LessonTracker::introduction() const
{
    for (std::size_t i = 0; i < steps_.size(); ++i)
        if (steps_[i].trigger.kind == LessonTrigger::Kind::Start) return int(i);
    return kNone;
}

int LessonTracker::onPacketSent(std::string_view host, std::uint8_t flags)
{
    int current = kNone;
    for (std::size_t i = 0; i < steps_.size(); ++i) {
        const LessonTrigger &t = steps_[i].trigger;
        if (t.kind != LessonTrigger::Kind::Packet || fired_[i] || !hostMatches(t.host, host)) continue;
        if ((flags & kLessonFlagMask) != (t.flags & kLessonFlagMask)) continue;
        if (++seen_[i] < t.nth) continue;
        fired_[i] = true;
        current = int(i);
    }
    return current;
}

int LessonTracker::onStateEntered(std::string_view host, std::string_view state)
{
    int current = kNone;
    for (std::size_t i = 0; i < steps_.size(); ++i) {
        const LessonTrigger &t = steps_[i].trigger;
        if (t.kind != LessonTrigger::Kind::State || fired_[i] || !hostMatches(t.host, host)) continue;
        if (!sameName(t.state, state)) continue;
        fired_[i] = true;
        current = int(i);
    }
    return current;
}

int LessonTracker::onRetransmit(std::string_view host, std::string_view cause)
{
    using K = LessonTrigger::RetransmitKind;
    // The causes TcpLayer gives: "fast retransmit" (RFC 5681 section 3.2), "rto #n" (RFC 6298
    // section 5.4), and the follow-ups of either ("sack recovery", "go-back-n after rto").
    const bool fast = cause == "fast retransmit";
    const bool timeout = cause.starts_with("rto");
    int current = kNone;
    for (std::size_t i = 0; i < steps_.size(); ++i) {
        const LessonTrigger &t = steps_[i].trigger;
        if (t.kind != LessonTrigger::Kind::Retransmit || fired_[i] || !hostMatches(t.host, host)) continue;
        if ((t.retransmit == K::Fast && !fast) || (t.retransmit == K::Timeout && !timeout)) continue;
        if (++seen_[i] < t.nth) continue;
        fired_[i] = true;
        current = int(i);
    }
    return current;
}

} // namespace tcplab

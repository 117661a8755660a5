#include "rules/rule.h"

#include <cctype>

#include "wire/tcp.h"

namespace tcplab {

namespace {

constexpr std::pair<std::string_view, std::uint8_t> kFlagBits[] = {
    {"FIN", TcpFlags::kFin}, {"SYN", TcpFlags::kSyn}, {"RST", TcpFlags::kRst}, {"PSH", TcpFlags::kPsh},
    {"ACK", TcpFlags::kAck}, {"URG", TcpFlags::kUrg}, {"ECE", TcpFlags::kEce}, {"CWR", TcpFlags::kCwr},
};

std::optional<std::uint8_t> flagBit(std::string_view word)
{
    for (const auto &[name, bit] : kFlagBits) {
        if (name.size() != word.size()) continue;
        bool same = true;
        for (std::size_t i = 0; i < name.size(); ++i)
            same = same && std::toupper(static_cast<unsigned char>(word[i])) == name[i];
        if (same) return bit;
    }
    return std::nullopt;
}

bool isSeparator(char c) { return std::isspace(static_cast<unsigned char>(c)) || c == '&' || c == ',' || c == '|' || c == '+'; }

// Walks words of letters, each optionally preceded by '!', separated by spaces, '&&', '&', ',', '|',
// '+'. `allowNot` false rejects '!'. Returns the terms or an error with the column.
Expected<FlagTerms> parseTerms(std::string_view text, bool allowNot, bool andOnly, std::size_t *errorColumn)
{
    FlagTerms terms;
    auto fail = [&](std::size_t at, std::string message) -> Expected<FlagTerms> {
        if (errorColumn) *errorColumn = at + 1;
        return Error{"column " + std::to_string(at + 1) + ": " + message};
    };
    std::size_t i = 0;
    bool any = false;
    while (i < text.size()) {
        if (isSeparator(text[i])) {
            if (andOnly && text[i] == '|') return fail(i, "'|' (or) is not supported in a flag match: list the flags that must all hold");
            ++i;
            continue;
        }
        bool negated = false;
        const std::size_t start = i;
        if (text[i] == '!') {
            if (!allowNot) return fail(i, "'!' is only meaningful in a match");
            negated = true;
            ++i;
        }
        const std::size_t wordStart = i;
        while (i < text.size() && std::isalpha(static_cast<unsigned char>(text[i]))) ++i;
        const std::string_view word = text.substr(wordStart, i - wordStart);
        if (word.empty()) return fail(wordStart, "expected a flag name (FIN SYN RST PSH ACK URG ECE CWR)");
        const auto bit = flagBit(word);
        if (!bit) return fail(wordStart, "unknown flag '" + std::string(word) + "' (known: FIN SYN RST PSH ACK URG ECE CWR)");
        if ((negated ? terms.set : terms.clear) & *bit)
            return fail(start, "flag " + std::string(word) + " is required both set and clear");
        (negated ? terms.clear : terms.set) |= *bit;
        any = true;
    }
    if (!any && allowNot) return fail(0, "empty flag match");
    return terms;
}

}  // namespace

Expected<FlagTerms> parseFlagMatch(std::string_view text, std::size_t *errorColumn)
{
    return parseTerms(text, true, true, errorColumn);
}

Expected<std::uint8_t> parseFlagSet(std::string_view text, std::size_t *errorColumn)
{
    std::string lower;
    for (char c : text) lower += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (lower == "none") return std::uint8_t(0);
    auto terms = parseTerms(text, false, false, errorColumn);
    if (!terms) return terms.error();
    return terms->set;
}

std::string flagMatchText(std::uint8_t set, std::uint8_t clear)
{
    std::string out;
    for (const auto &[name, bit] : kFlagBits) {
        if (!((set | clear) & bit)) continue;
        if (!out.empty()) out += " && ";
        if (clear & bit) out += '!';
        out += name;
    }
    return out;
}

std::string flagSetText(std::uint8_t flags)
{
    if (flags == 0) return "none";
    std::string out;
    for (const auto &[name, bit] : kFlagBits) {
        if (!(flags & bit)) continue;
        if (!out.empty()) out += '|';
        out += name;
    }
    return out;
}

namespace {
constexpr std::pair<std::string_view, OptionKind> kOptionNames[] = {
    {"mss", OptionKind::Mss},   {"wscale", OptionKind::WindowScale},   {"sack_permitted", OptionKind::SackPermitted},
    {"sack", OptionKind::Sack}, {"timestamps", OptionKind::Timestamps},
};
}  // namespace

std::optional<OptionKind> optionKindFromName(std::string_view name)
{
    for (const auto &[n, k] : kOptionNames)
        if (n == name) return k;
    return std::nullopt;
}

std::string_view optionKindName(OptionKind kind)
{
    for (const auto &[n, k] : kOptionNames)
        if (k == kind) return n;
    return "?";
}

std::string_view actionName(const Action &action)
{
    static constexpr std::string_view kNames[] = {"drop",  "delay",   "duplicate",        "hold",  "set",   "flags",
                                                  "options", "payload", "corrupt_checksum", "reply", "inject"};
    return kNames[action.index()];
}

}  // namespace tcplab

#include "scenario/toml_reader.h"

#include "core/bytes.h"

#include <cctype>
#include <charconv>
#include <cmath>

namespace tcplab {

namespace {

std::string typeName(const toml::node &n)
{
    switch (n.type()) {
    case toml::node_type::string: return "a string";
    case toml::node_type::integer: return "an integer";
    case toml::node_type::floating_point: return "a number";
    case toml::node_type::boolean: return "a boolean";
    case toml::node_type::table: return "a table";
    case toml::node_type::array: return "an array";
    default: return "a date or time";
    }
}

}  // namespace

void TomlReader::error(const toml::source_region &where, const std::string &message, std::size_t columnOffset)
{
    errors_.push_back(file_ + ":" + std::to_string(where.begin.line) + ":" +
                      std::to_string(where.begin.column + columnOffset) + ": " + message);
}

void TomlReader::allowOnly(const toml::table &table, std::initializer_list<std::string_view> allowed,
                           std::string_view where)
{
    for (const auto &[key, value] : table) {
        bool known = false;
        for (auto a : allowed) known = known || a == key.str();
        if (known) continue;
        std::string list;
        for (auto a : allowed) list += (list.empty() ? "" : ", ") + std::string(a);
        error(key.source(), "unknown key '" + std::string(key.str()) + "' in " + std::string(where) + " (known: " + list + ")");
    }
}

std::optional<std::string> TomlReader::string(const toml::table &t, std::string_view key, bool required)
{
    const toml::node *n = t.get(key);
    if (!n) {
        if (required) error(t.source(), "missing key '" + std::string(key) + "'");
        return std::nullopt;
    }
    if (auto s = n->value<std::string>(); s && n->is_string()) return s;
    error(n->source(), "'" + std::string(key) + "' must be a string, not " + typeName(*n));
    return std::nullopt;
}

void TomlReader::notOneOf(const toml::table &t, std::string_view key,
                          const std::vector<std::string_view> &names, const std::string &got)
{
    std::string list;
    for (std::size_t i = 0; i < names.size(); ++i)
        list += (i == 0 ? "" : i + 1 == names.size() ? " or " : ", ") + ("\"" + std::string(names[i]) + "\"");
    error(sourceOf(t, key), "'" + std::string(key) + "' must be " + list + ", not '" + got + "'");
}

std::optional<std::int64_t> TomlReader::integer(const toml::table &t, std::string_view key, std::int64_t lo,
                                                std::int64_t hi, bool required)
{
    const toml::node *n = t.get(key);
    if (!n) {
        if (required) error(t.source(), "missing key '" + std::string(key) + "'");
        return std::nullopt;
    }
    if (!n->is_integer()) {
        error(n->source(), "'" + std::string(key) + "' must be an integer, not " + typeName(*n));
        return std::nullopt;
    }
    const std::int64_t v = *n->value<std::int64_t>();
    if (v < lo || v > hi) {
        error(n->source(), "'" + std::string(key) + "' = " + std::to_string(v) + " is out of range (" +
                               std::to_string(lo) + ".." + std::to_string(hi) + ")");
        return std::nullopt;
    }
    return v;
}

std::optional<double> TomlReader::number(const toml::table &t, std::string_view key, double lo, double hi)
{
    const toml::node *n = t.get(key);
    if (!n) return std::nullopt;
    if (!n->is_number()) {
        error(n->source(), "'" + std::string(key) + "' must be a number, not " + typeName(*n));
        return std::nullopt;
    }
    const double v = *n->value<double>();
    if (!(v >= lo && v <= hi)) {
        error(n->source(), "'" + std::string(key) + "' is out of range (" + std::to_string(lo) + ".." + std::to_string(hi) + ")");
        return std::nullopt;
    }
    return v;
}

std::optional<bool> TomlReader::boolean(const toml::table &t, std::string_view key)
{
    const toml::node *n = t.get(key);
    if (!n) return std::nullopt;
    if (!n->is_boolean()) {
        error(n->source(), "'" + std::string(key) + "' must be true or false, not " + typeName(*n));
        return std::nullopt;
    }
    return *n->value<bool>();
}

std::optional<Duration> TomlReader::duration(const toml::table &t, std::string_view key, bool required)
{
    auto s = string(t, key, required);
    if (!s) return std::nullopt;
    auto d = parseDuration(*s);
    if (!d) error(t.get(key)->source(), "'" + std::string(key) + "' = \"" + *s + "\" is not a duration (like \"200ms\", \"1.5s\", \"10us\")");
    return d;
}

std::optional<std::pair<std::int64_t, std::int64_t>> TomlReader::intRange(const toml::table &t, std::string_view key,
                                                                           std::int64_t lo, std::int64_t hi)
{
    const toml::node *n = t.get(key);
    if (!n) return std::nullopt;
    if (n->is_integer()) {
        auto v = integer(t, key, lo, hi);
        if (!v) return std::nullopt;
        return std::pair{*v, *v};
    }
    const toml::array *a = n->as_array();
    if (!a || a->size() != 2 || !(*a)[0].is_integer() || !(*a)[1].is_integer()) {
        error(n->source(), "'" + std::string(key) + "' must be an integer or [low, high]");
        return std::nullopt;
    }
    const std::int64_t l = *(*a)[0].value<std::int64_t>(), h = *(*a)[1].value<std::int64_t>();
    if (l < lo || h > hi || l > h) {
        error(n->source(), "'" + std::string(key) + "' = [" + std::to_string(l) + ", " + std::to_string(h) +
                               "] is not a range within " + std::to_string(lo) + ".." + std::to_string(hi));
        return std::nullopt;
    }
    return std::pair{l, h};
}

std::optional<std::pair<Duration, Duration>> TomlReader::durationRange(const toml::table &t, std::string_view key)
{
    const toml::node *n = t.get(key);
    if (!n) return std::nullopt;
    if (n->is_string()) {
        auto d = duration(t, key);
        if (!d) return std::nullopt;
        return std::pair{*d, Duration::max()};
    }
    const toml::array *a = n->as_array();
    std::optional<Duration> l, h;
    if (a && a->size() == 2 && (*a)[0].is_string() && (*a)[1].is_string()) {
        l = parseDuration(*(*a)[0].value<std::string>());
        h = parseDuration(*(*a)[1].value<std::string>());
    }
    if (!l || !h || *l > *h) {
        error(n->source(), "'" + std::string(key) + "' must be a duration (from then on) or [\"from\", \"to\"] durations");
        return std::nullopt;
    }
    return std::pair{*l, *h};
}

std::optional<Bytes> TomlReader::bytes(const toml::table &t, std::string_view key, std::string_view hexKey, bool &isText)
{
    const bool hasText = t.contains(key), hasHex = !hexKey.empty() && t.contains(hexKey);
    if (hasText && hasHex) {
        error(t.get(hexKey)->source(), "give either '" + std::string(key) + "' or '" + std::string(hexKey) + "', not both");
        return std::nullopt;
    }
    isText = !hasHex;
    if (hasText) {
        auto s = string(t, key);
        return s ? std::optional<Bytes>(Bytes(s->begin(), s->end())) : std::nullopt;
    }
    if (!hasHex) return std::nullopt;
    auto s = string(t, hexKey);
    if (!s) return std::nullopt;
    auto b = parseHex(*s);
    if (!b) error(t.get(hexKey)->source(), "'" + std::string(hexKey) + "' is not hex bytes (like \"de ad be ef\")");
    return b;
}

std::optional<IpPrefix> TomlReader::prefix(const toml::table &t, std::string_view key)
{
    auto s = string(t, key);
    if (!s) return std::nullopt;
    if (auto p = IpPrefix::parse(*s)) return p;
    if (auto a = IpAddr::parse(*s)) return IpPrefix{*a, static_cast<std::uint8_t>(a->isV4() ? 32 : 128)};
    error(t.get(key)->source(), "'" + std::string(key) + "' = \"" + *s + "\" is not an address or prefix");
    return std::nullopt;
}

std::vector<const toml::table *> TomlReader::tables(const toml::table &t, std::string_view key)
{
    std::vector<const toml::table *> out;
    const toml::node *n = t.get(key);
    if (!n) return out;
    const toml::array *a = n->as_array();
    if (!a) {
        error(n->source(), "'" + std::string(key) + "' must be an array of tables ([[" + std::string(key) + "]])");
        return out;
    }
    for (const auto &item : *a) {
        if (const auto *tbl = item.as_table())
            out.push_back(tbl);
        else
            error(item.source(), "each entry of '" + std::string(key) + "' must be a table, not " + typeName(item));
    }
    return out;
}

const toml::table *TomlReader::table(const toml::table &t, std::string_view key, bool required)
{
    const toml::node *n = t.get(key);
    if (!n) {
        if (required) error(t.source(), "missing table '" + std::string(key) + "'");
        return nullptr;
    }
    if (const auto *tbl = n->as_table()) return tbl;
    error(n->source(), "'" + std::string(key) + "' must be a table, not " + typeName(*n));
    return nullptr;
}

std::vector<std::pair<std::string, const toml::node *>> TomlReader::stringList(const toml::table &t, std::string_view key)
{
    std::vector<std::pair<std::string, const toml::node *>> out;
    const toml::node *n = t.get(key);
    if (!n) return out;
    if (n->is_string()) {
        out.emplace_back(*n->value<std::string>(), n);
        return out;
    }
    if (const auto *a = n->as_array()) {
        for (const auto &item : *a) {
            if (item.is_string())
                out.emplace_back(*item.value<std::string>(), &item);
            else
                error(item.source(), "each entry of '" + std::string(key) + "' must be a string");
        }
        return out;
    }
    error(n->source(), "'" + std::string(key) + "' must be a string or an array of strings");
    return out;
}

std::optional<Duration> parseDuration(std::string_view text)
{
    std::size_t i = 0;
    while (i < text.size() && (std::isdigit(static_cast<unsigned char>(text[i])) || text[i] == '.')) ++i;
    const std::string_view number = text.substr(0, i), unit = text.substr(i);
    if (number.empty()) return std::nullopt;
    double v = 0;
    auto [p, ec] = std::from_chars(number.data(), number.data() + number.size(), v);
    if (ec != std::errc() || p != number.data() + number.size()) return std::nullopt;
    double scale = 0;
    if (unit == "ns") scale = 1;
    else if (unit == "us") scale = 1e3;
    else if (unit == "ms") scale = 1e6;
    else if (unit == "s") scale = 1e9;
    else if (unit == "min") scale = 60e9;
    else return std::nullopt;
    const double ns = v * scale;
    if (!(ns < 9.2e18)) return std::nullopt;
    return Duration(static_cast<std::int64_t>(std::llround(ns)));
}

std::string formatDuration(Duration d)
{
    const std::int64_t ns = d.count();
    if (ns != 0 && ns % 1'000'000'000 == 0) return std::to_string(ns / 1'000'000'000) + "s";
    if (ns % 1'000'000 == 0) return std::to_string(ns / 1'000'000) + "ms";
    if (ns % 1'000 == 0) return std::to_string(ns / 1'000) + "us";
    return std::to_string(ns) + "ns";
}

std::optional<Bytes> parseHex(std::string_view text)
{
    Bytes out;
    int high = -1;
    for (char c : text) {
        if (c == ' ' || c == ':' || c == '\t' || c == '\n') {
            if (high >= 0) return std::nullopt;  // an odd digit before a separator
            continue;
        }
        int v;
        if (c >= '0' && c <= '9') v = c - '0';
        else if (c >= 'a' && c <= 'f') v = c - 'a' + 10;
        else if (c >= 'A' && c <= 'F') v = c - 'A' + 10;
        else return std::nullopt;
        if (high < 0) {
            high = v;
        } else {
            out.push_back(static_cast<std::uint8_t>(high << 4 | v));
            high = -1;
        }
    }
    if (high >= 0 || out.empty()) return std::nullopt;
    return out;
}

std::string formatHex(ByteView bytes) { return toHex(bytes, bytes.size()); }

}  // namespace tcplab

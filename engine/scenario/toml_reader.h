// Reading TOML with errors that point into the file: every mistake becomes "file:line:col: what is
// wrong", all of them are collected, and unknown keys are mistakes too (a typo must not be silently
// ignored). Shared by the scenario and rule loaders.
#pragma once

#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <toml++/toml.h>

#include "core/bytes.h"
#include "core/time.h"
#include "wire/addresses.h"

namespace tcplab {

// Where `key` stands in `t`, or the table itself when the key is absent: error messages always have
// a place to point at, even when the mistake is a missing key.
inline const toml::source_region &sourceOf(const toml::table &t, std::string_view key)
{
    const toml::node *n = t.get(key);
    return n ? n->source() : t.source();
}

class TomlReader {
public:
    explicit TomlReader(std::string fileName) : file_(std::move(fileName)) {}

    void error(const toml::source_region &where, const std::string &message, std::size_t columnOffset = 0);
    const std::vector<std::string> &errors() const { return errors_; }
    bool ok() const { return errors_.empty(); }

    // Reports every key of `table` not in `allowed` (at the key's own position).
    void allowOnly(const toml::table &table, std::initializer_list<std::string_view> allowed, std::string_view where);

    // Each getter reports a wrong type or value at the value's position and returns nullopt;
    // a missing key returns nullopt silently unless `required`, then it is reported at `table`.
    std::optional<std::string> string(const toml::table &t, std::string_view key, bool required = false);
    // A string naming one of `choices`: its value; anything else is reported as
    // "'key' must be "a", "b" or "c", not 'x'".
    template <class T>
    std::optional<T> choice(const toml::table &t, std::string_view key,
                            std::initializer_list<std::pair<std::string_view, T>> choices,
                            bool required = false)
    {
        const auto s = string(t, key, required);
        if (!s) return std::nullopt;
        for (const auto &[name, value] : choices)
            if (*s == name) return value;
        std::vector<std::string_view> names;
        for (const auto &choice : choices)
            names.push_back(choice.first);
        notOneOf(t, key, names, *s);
        return std::nullopt;
    }
    std::optional<std::int64_t> integer(const toml::table &t, std::string_view key, std::int64_t lo, std::int64_t hi,
                                        bool required = false);
    std::optional<double> number(const toml::table &t, std::string_view key, double lo, double hi);
    std::optional<bool> boolean(const toml::table &t, std::string_view key);
    std::optional<Duration> duration(const toml::table &t, std::string_view key, bool required = false);
    // An integer or [lo, hi].
    std::optional<std::pair<std::int64_t, std::int64_t>> intRange(const toml::table &t, std::string_view key,
                                                                   std::int64_t lo, std::int64_t hi);
    // A duration or [lo, hi].
    std::optional<std::pair<Duration, Duration>> durationRange(const toml::table &t, std::string_view key);
    // Text as bytes (key) or hex bytes (hexKey), not both; `isText` tells which one was given.
    std::optional<Bytes> bytes(const toml::table &t, std::string_view key, std::string_view hexKey, bool &isText);
    std::optional<IpPrefix> prefix(const toml::table &t, std::string_view key);
    // An array of tables (or a missing key: empty).
    std::vector<const toml::table *> tables(const toml::table &t, std::string_view key);
    const toml::table *table(const toml::table &t, std::string_view key, bool required = false);
    // A string or an array of strings, each with its node (for error columns).
    std::vector<std::pair<std::string, const toml::node *>> stringList(const toml::table &t, std::string_view key);

    const toml::node *node(const toml::table &t, std::string_view key) { return t.get(key); }

private:
    void notOneOf(const toml::table &t, std::string_view key, const std::vector<std::string_view> &names,
                  const std::string &got);

    std::string file_;
    std::vector<std::string> errors_;
};

// "200ms", "1.5s", "10us", "5ns", "2min"; nullopt when not a duration.
std::optional<Duration> parseDuration(std::string_view text);
// The shortest exact spelling: "1s", "200ms", "1500us".
std::string formatDuration(Duration d);
// "de ad be ef", "deadbeef", "de:ad:be:ef".
std::optional<Bytes> parseHex(std::string_view text);
std::string formatHex(ByteView bytes);  // "de ad be ef" (core/bytes.h toHex, never cut short)

}  // namespace tcplab

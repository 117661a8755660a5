// Rules in scenario files:
//
//   [[rules]]
//   name = "syn-gets-bare-ack"
//   host = "server"
//   hook = "ingress"                       # or "egress"
//   [rules.match]
//   flags = "SYN && !ACK"
//   state = ["LISTEN"]
//   local_port = 8000                      # or [8000, 8010]
//   [[rules.actions]]
//   do = "reply"
//   flags = "ACK"
//   seq = "seg.seq + 1"
//   ack = "seg.seq + seg.win - 1"
//   window = 224
#include <cmath>

#include "scenario/scenario_toml.h"
#include "wire/tcp.h"

namespace tcplab {

namespace {

// An expression given as a string or an integer; errors point at the column inside the string.
std::optional<Expr> readExpr(TomlReader &r, const toml::table &t, std::string_view key, bool required)
{
    const toml::node *n = t.get(key);
    if (!n) {
        if (required) r.error(t.source(), "missing key '" + std::string(key) + "'");
        return std::nullopt;
    }
    if (n->is_integer()) {
        const auto v = *n->value<std::int64_t>();
        if (v < 0 || v > 0xffffffffLL) {
            r.error(n->source(), "'" + std::string(key) + "' = " + std::to_string(v) + " does not fit 32 bits");
            return std::nullopt;
        }
        return Expr::constant(static_cast<std::uint32_t>(v));
    }
    if (!n->is_string()) {
        r.error(n->source(), "'" + std::string(key) + "' must be an expression (string) or an integer");
        return std::nullopt;
    }
    ExprParseError err;
    auto e = Expr::parse(*n->value<std::string>(), &err);
    if (!e) {
        r.error(n->source(), "bad expression in '" + std::string(key) + "': " + err.message, err.column);
        return std::nullopt;
    }
    return *e;
}

std::optional<std::uint8_t> readFlagSet(TomlReader &r, const toml::table &t, std::string_view key)
{
    auto s = r.string(t, key);
    if (!s) return std::nullopt;
    std::size_t col = 0;
    auto f = parseFlagSet(*s, &col);
    if (!f) {
        r.error(t.get(key)->source(), "bad flags in '" + std::string(key) + "': " + f.error().message.substr(f.error().message.find(": ") + 2), col);
        return std::nullopt;
    }
    return *f;
}

void readMatchFlags(TomlReader &r, const toml::table &t, Match &m)
{
    for (const auto &[text, node] : r.stringList(t, "flags")) {
        std::size_t col = 0;
        auto f = parseFlagMatch(text, &col);
        if (!f) {
            r.error(node->source(), "bad flag match: " + f.error().message.substr(f.error().message.find(": ") + 2), col);
            continue;
        }
        if ((m.flagsSet | f->set) & (m.flagsClear | f->clear)) {
            r.error(node->source(), "a flag is required both set and clear");
            continue;
        }
        m.flagsSet |= f->set;
        m.flagsClear |= f->clear;
    }
}

Match readMatch(TomlReader &r, const toml::table &t)
{
    r.allowOnly(t,
                {"flags", "state", "local_addr", "remote_addr", "local_port", "remote_port", "payload_len",
                 "payload_contains", "payload_contains_hex", "nth", "first", "every", "probability", "since_start",
                 "session"},
                "[rules.match]");
    Match m;
    readMatchFlags(r, t, m);
    for (const auto &[text, node] : r.stringList(t, "state")) {
        if (auto s = tcpStateFromName(text))
            m.states.insert(*s);
        else
            r.error(node->source(), "unknown state '" + text + "' (known: NONE CLOSED LISTEN SYN-SENT SYN-RECEIVED "
                                                             "ESTABLISHED FIN-WAIT-1 FIN-WAIT-2 CLOSE-WAIT CLOSING LAST-ACK TIME-WAIT)");
    }
    m.localAddr = r.prefix(t, "local_addr");
    m.remoteAddr = r.prefix(t, "remote_addr");
    if (auto p = r.intRange(t, "local_port", 0, 65535)) m.localPort = PortRange{std::uint16_t(p->first), std::uint16_t(p->second)};
    if (auto p = r.intRange(t, "remote_port", 0, 65535)) m.remotePort = PortRange{std::uint16_t(p->first), std::uint16_t(p->second)};
    if (auto p = r.intRange(t, "payload_len", 0, 65535)) m.payloadLength = CountRange{std::uint64_t(p->first), std::uint64_t(p->second)};
    bool text = true;
    if (auto b = r.bytes(t, "payload_contains", "payload_contains_hex", text)) {
        if (b->empty()) r.error(sourceOf(t, "payload_contains"), "'payload_contains' must not be empty");
        m.payloadContains = *b;
        m.payloadContainsText = text;
    }
    int occurrences = 0;
    for (auto [key, kind] : {std::pair{"nth", Occurrence::Nth}, {"first", Occurrence::FirstN}, {"every", Occurrence::EveryKth}}) {
        if (!t.contains(key)) continue;
        if (++occurrences > 1) r.error(t.get(key)->source(), "give only one of 'nth', 'first', 'every'");
        if (auto v = r.integer(t, key, 1, std::int64_t(1) << 62)) {
            m.occurrence = kind;
            m.occurrenceCount = std::uint64_t(*v);
        }
    }
    if (auto p = r.number(t, "probability", 0.0, 1.0)) m.probability = *p;
    if (auto d = r.durationRange(t, "since_start")) m.sinceSessionStart = DurationRange{d->first, d->second};
    if (auto s = r.intRange(t, "session", 1, std::int64_t(1) << 62)) m.sessionOrdinal = CountRange{std::uint64_t(s->first), std::uint64_t(s->second)};
    return m;
}

OptionValues readOptionValues(TomlReader &r, const toml::table &t)
{
    OptionValues v;
    if (auto x = r.integer(t, "mss", 0, 65535)) v.mss = std::uint16_t(*x);
    if (auto x = r.integer(t, "wscale", 0, 255)) v.windowScale = std::uint8_t(*x);
    v.sackPermitted = r.boolean(t, "sack_permitted");
    if (const toml::node *n = t.get("timestamps")) {
        const toml::array *a = n->as_array();
        if (a && a->size() == 2 && (*a)[0].is_integer() && (*a)[1].is_integer())
            v.timestamps = {{std::uint32_t(*(*a)[0].value<std::int64_t>()), std::uint32_t(*(*a)[1].value<std::int64_t>())}};
        else
            r.error(n->source(), "'timestamps' must be [TSval, TSecr]");
    }
    if (const toml::node *n = t.get("sack")) {
        const toml::array *a = n->as_array();
        bool good = a && a->size() <= tcpopt::kMaxSackBlocks;
        if (good)
            for (const auto &block : *a) {
                const toml::array *b = block.as_array();
                if (!b || b->size() != 2 || !(*b)[0].is_integer() || !(*b)[1].is_integer()) {
                    good = false;
                    break;
                }
                v.sackBlocks.emplace_back(std::uint32_t(*(*b)[0].value<std::int64_t>()), std::uint32_t(*(*b)[1].value<std::int64_t>()));
            }
        if (!good) r.error(n->source(), "'sack' must be up to 4 blocks [[left, right], ...]");
    }
    return v;
}

std::optional<Action> readOptionsAction(TomlReader &r, const toml::table &t)
{
    OptionsAction a;
    for (const auto &[name, node] : r.stringList(t, "remove")) {
        if (name == "all")
            a.removeAll = true;
        else if (auto k = optionKindFromName(name))
            a.remove.push_back(*k);
        else
            r.error(node->source(), "unknown option '" + name + "' (known: all mss wscale sack_permitted sack timestamps)");
    }
    a.set = readOptionValues(r, t);
    return a;
}

std::optional<Action> readPayloadAction(TomlReader &r, const toml::table &t)
{
    PayloadAction a;
    int given = 0;
    bool text = true;
    if (auto b = r.bytes(t, "replace", "replace_hex", text)) ++given, a = {PayloadAction::Mode::Replace, *b, text, 0};
    if (auto b = r.bytes(t, "append", "append_hex", text)) ++given, a = {PayloadAction::Mode::Append, *b, text, 0};
    if (auto n = r.integer(t, "truncate", 0, 65535)) ++given, a = {PayloadAction::Mode::Truncate, {}, true, std::uint32_t(*n)};
    if (given != 1) {
        r.error(t.source(), "a payload action needs exactly one of replace, replace_hex, append, append_hex, truncate");
        return std::nullopt;
    }
    return a;
}

std::optional<Action> readReply(TomlReader &r, const toml::table &t)
{
    ReplyAction a;
    auto seq = readExpr(r, t, "seq", true), ack = readExpr(r, t, "ack", true), win = readExpr(r, t, "window", true);
    if (t.contains("flags")) {
        if (auto f = readFlagSet(r, t, "flags")) a.flags = *f;
    }
    if (const toml::node *n = t.get("options")) {
        if (n->is_string() && n->value<std::string>() == "none") {
        } else if (const auto *o = n->as_table()) {
            r.allowOnly(*o, {"mss", "wscale", "sack_permitted", "timestamps", "sack"}, "reply options");
            a.options = readOptionValues(r, *o);
        } else {
            r.error(n->source(), "'options' must be \"none\" or a table like { mss = 1460, wscale = 7 }");
        }
    }
    bool text = true;
    if (auto b = r.bytes(t, "payload", "payload_hex", text)) a.payload = *b, a.payloadText = text;
    if (!seq || !ack || !win) return std::nullopt;
    a.seq = *seq;
    a.ack = *ack;
    a.window = *win;
    return a;
}

std::optional<Action> readInject(TomlReader &r, const toml::table &t)
{
    InjectAction a;
    if (auto flags = r.choice<std::uint8_t>(t, "flags",
                                            {{"RST", TcpFlags::kRst},
                                             {"rst", TcpFlags::kRst},
                                             {"FIN", TcpFlags::kFin},
                                             {"fin", TcpFlags::kFin}},
                                            true))
        a.flags = *flags;
    if (auto toward =
            r.choice<Toward>(t, "toward", {{"sender", Toward::Sender}, {"receiver", Toward::Receiver}}, true))
        a.toward = *toward;
    if (t.contains("seq")) a.seq = readExpr(r, t, "seq", false);
    if (t.contains("ack")) a.ack = readExpr(r, t, "ack", false);
    return a;
}

std::optional<Action> readAction(TomlReader &r, const toml::table &t)
{
    auto kind = r.string(t, "do", true);
    if (!kind) return std::nullopt;
    auto only = [&](std::initializer_list<std::string_view> keys) { r.allowOnly(t, keys, "a \"" + *kind + "\" action"); };
    if (*kind == "drop") return only({"do"}), DropAction{};
    if (*kind == "corrupt_checksum") return only({"do"}), CorruptChecksumAction{};
    if (*kind == "delay") {
        only({"do", "by"});
        auto d = r.duration(t, "by", true);
        return d ? std::optional<Action>(DelayAction{*d}) : std::nullopt;
    }
    if (*kind == "duplicate") {
        only({"do", "count"});
        return DuplicateAction{std::uint32_t(r.integer(t, "count", 1, 100).value_or(1))};
    }
    if (*kind == "hold") {
        only({"do", "segments", "timeout"});
        HoldAction h;
        h.segments = std::uint32_t(r.integer(t, "segments", 1, 1000).value_or(1));
        h.timeout = r.duration(t, "timeout").value_or(h.timeout);
        return h;
    }
    if (*kind == "set") {
        only({"do", "field", "value"});
        auto name = r.string(t, "field", true);
        auto value = readExpr(r, t, "value", true);
        std::optional<PacketField> field;
        if (name && !(field = packetFieldFromName(*name)))
            r.error(sourceOf(t, "field"), "unknown field '" + *name + "' (known: " + std::string(packetFieldNames()) + ")");
        if (!field || !value) return std::nullopt;
        return SetFieldAction{*field, *value};
    }
    if (*kind == "flags") {
        only({"do", "set", "clear"});
        FlagsAction f;
        f.set = readFlagSet(r, t, "set").value_or(0);
        f.clear = readFlagSet(r, t, "clear").value_or(0);
        return f;
    }
    if (*kind == "options") return only({"do", "remove", "mss", "wscale", "sack_permitted", "timestamps", "sack"}), readOptionsAction(r, t);
    if (*kind == "payload") return only({"do", "replace", "replace_hex", "append", "append_hex", "truncate"}), readPayloadAction(r, t);
    if (*kind == "reply") return only({"do", "flags", "seq", "ack", "window", "options", "payload", "payload_hex"}), readReply(r, t);
    if (*kind == "inject") return only({"do", "flags", "toward", "seq", "ack"}), readInject(r, t);
    r.error(sourceOf(t, "do"), "unknown action '" + *kind +
                                       "' (known: drop delay duplicate hold set flags options payload corrupt_checksum reply inject)");
    return std::nullopt;
}

}  // namespace

std::optional<ScenarioRule> readRule(TomlReader &r, const toml::table &t)
{
    r.allowOnly(t, {"name", "host", "hook", "enabled", "continue", "max_hits", "match", "actions"}, "[[rules]]");
    ScenarioRule sr;
    const std::size_t errorsBefore = r.errors().size();
    sr.rule.name = r.string(t, "name", true).value_or("");
    sr.host = r.string(t, "host", true).value_or("");
    if (auto hook =
            r.choice<HookPoint>(t, "hook", {{"ingress", HookPoint::Ingress}, {"egress", HookPoint::Egress}}))
        sr.rule.hook = *hook;
    sr.rule.enabled = r.boolean(t, "enabled").value_or(true);
    sr.rule.continueAfterHit = r.boolean(t, "continue").value_or(false);
    sr.rule.maxHits = std::uint64_t(r.integer(t, "max_hits", 0, std::int64_t(1) << 62).value_or(0));
    if (const auto *m = r.table(t, "match")) sr.rule.match = readMatch(r, *m);
    const auto actions = r.tables(t, "actions");
    if (actions.empty() && !t.contains("actions")) r.error(t.source(), "rule '" + sr.rule.name + "' has no actions");
    for (const auto *a : actions)
        if (auto action = readAction(r, *a)) sr.rule.actions.push_back(std::move(*action));
    if (r.errors().size() != errorsBefore) return std::nullopt;
    return sr;
}

}  // namespace tcplab

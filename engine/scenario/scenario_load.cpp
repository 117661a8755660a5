// Scenario files: see resources/scenarios/*.toml for the shape. The loader walks the whole file,
// collecting every mistake with its position, and returns the scenario only when there is none.
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "scenario/scenario_io.h"
#include "scenario/scenario_toml.h"

namespace tcplab {

namespace {

void readNetwork(TomlReader &r, const toml::table &t, NetworkSettings &n)
{
    r.allowOnly(t, {"mode", "tap", "seed", "wire"}, "[network]");
    if (auto mode =
            r.choice<NetworkMode>(t, "mode", {{"demo", NetworkMode::Demo}, {"tap", NetworkMode::Tap}}))
        n.mode = *mode;
    n.tap = r.string(t, "tap").value_or("");
    if (n.mode == NetworkMode::Tap && n.tap.empty())
        r.error(t.source(), "tap mode needs 'tap' (the device name)");
    n.seed = std::uint64_t(r.integer(t, "seed", 0, INT64_MAX).value_or(1));
    if (const auto *w = r.table(t, "wire")) {
        r.allowOnly(*w, {"latency", "jitter", "loss", "duplicate", "reorder", "bandwidth", "mtu"},
                    "[network.wire]");
        WireSettings &ws = n.wire;
        ws.latency = r.duration(*w, "latency").value_or(ws.latency);
        ws.jitter = r.duration(*w, "jitter").value_or(ws.jitter);
        ws.loss = r.number(*w, "loss", 0, 1).value_or(ws.loss);
        ws.duplicate = r.number(*w, "duplicate", 0, 1).value_or(ws.duplicate);
        ws.reorder = r.number(*w, "reorder", 0, 1).value_or(ws.reorder);
        ws.bandwidthBps = std::uint64_t(r.integer(*w, "bandwidth", 0, INT64_MAX).value_or(0));
        ws.mtu = std::uint32_t(r.integer(*w, "mtu", 576, 65535).value_or(ws.mtu));
    }
}

void readHosts(TomlReader &r, const toml::table &root, Scenario &s)
{
    for (const auto *t : r.tables(root, "hosts")) {
        r.allowOnly(*t, {"name", "addresses", "mac"}, "[[hosts]]");
        ScenarioHost h;
        h.name = r.string(*t, "name", true).value_or("");
        for (const auto &[text, node] : r.stringList(*t, "addresses")) {
            if (auto p = IpPrefix::parse(text))
                h.addresses.push_back(*p);
            else
                r.error(node->source(),
                        "'" + text + "' is not an address with a prefix length (like \"198.18.0.2/24\")");
        }
        if (h.addresses.empty() && !t->contains("addresses"))
            r.error(t->source(), "host '" + h.name + "' has no 'addresses'");
        if (auto mac = r.string(*t, "mac")) {
            h.mac = MacAddr::parse(*mac);
            if (!h.mac) r.error(sourceOf(*t, "mac"), "'" + *mac + "' is not a MAC address");
        }
        if (s.host(h.name)) r.error(sourceOf(*t, "name"), "host '" + h.name + "' is defined twice");
        s.hosts.push_back(std::move(h));
    }
}

void checkHostName(TomlReader &r, const Scenario &s, const toml::table &t, const std::string &name)
{
    if (!name.empty() && !s.host(name))
        r.error(sourceOf(t, "host"), "no host named '" + name + "' in [[hosts]]");
}

void readServices(TomlReader &r, const toml::table &root, Scenario &s)
{
    static const std::set<std::string> kKinds{"listen", "echo", "discard", "http", "chargen", "sink"};
    for (const auto *t : r.tables(root, "services")) {
        r.allowOnly(*t, {"host", "kind", "port", "backlog", "recv_buffer", "read_rate", "send_bytes"},
                    "[[services]]");
        ScenarioService v;
        v.host = r.string(*t, "host", true).value_or("");
        checkHostName(r, s, *t, v.host);
        v.kind = r.string(*t, "kind", true).value_or("");
        if (!v.kind.empty() && !kKinds.count(v.kind))
            r.error(sourceOf(*t, "kind"),
                    "unknown service kind '" + v.kind + "' (known: listen echo discard http chargen sink)");
        v.port = std::uint16_t(r.integer(*t, "port", 1, 65535, true).value_or(0));
        v.backlog = std::uint32_t(r.integer(*t, "backlog", 0, 65535).value_or(v.backlog));
        if (auto b = r.integer(*t, "recv_buffer", 1, 1 << 30)) v.recvBuffer = std::uint32_t(*b);
        if (auto b = r.integer(*t, "read_rate", 0, INT64_MAX)) v.readRate = std::uint64_t(*b);
        if (auto b = r.integer(*t, "send_bytes", 0, INT64_MAX)) v.sendBytes = std::uint64_t(*b);
        s.services.push_back(std::move(v));
    }
}

void readPolicies(TomlReader &r, const toml::table &t, Policies &p)
{
    r.allowOnly(t, {"closed_port", "unmatched_rst", "syn_queue", "syn_cookies"}, "[policies]");
    if (auto v = r.integer(t, "syn_queue", 1, 1 << 20)) p.synQueue = std::uint32_t(*v);
    p.synCookies = r.boolean(t, "syn_cookies");
    if (auto v = r.choice<ClosedPortPolicy>(
            t, "closed_port", {{"rst", ClosedPortPolicy::Rst}, {"silent", ClosedPortPolicy::Silent}}))
        p.closedPort = *v;
    if (auto v = r.choice<UnmatchedRstPolicy>(
            t, "unmatched_rst", {{"rfc", UnmatchedRstPolicy::Rfc}, {"ignore", UnmatchedRstPolicy::Ignore}}))
        p.unmatchedRst = *v;
}

void readTimeline(TomlReader &r, const toml::table &root, Scenario &s)
{
    std::set<std::uint32_t> connections;
    for (const auto *t : r.tables(root, "timeline")) {
        r.allowOnly(*t, {"at", "host", "do", "connection", "to", "local_port", "data", "data_hex", "repeat"},
                    "[[timeline]]");
        TimelineStep step;
        step.at = r.duration(*t, "at", true).value_or(Duration{});
        step.host = r.string(*t, "host", true).value_or("");
        checkHostName(r, s, *t, step.host);
        step.connection = std::uint32_t(r.integer(*t, "connection", 1, 65535).value_or(1));
        auto verb = r.string(*t, "do", true);
        if (verb == "connect")
            step.verb = TimelineVerb::Connect;
        else if (verb == "send")
            step.verb = TimelineVerb::Send;
        else if (verb == "shutdown")
            step.verb = TimelineVerb::Shutdown;
        else if (verb == "close")
            step.verb = TimelineVerb::Close;
        else if (verb)
            r.error(sourceOf(*t, "do"),
                    "unknown timeline step '" + *verb + "' (known: connect send shutdown close)");
        if (auto to = r.string(*t, "to")) {
            if (auto ep = Endpoint::parse(*to))
                step.to = *ep;
            else
                r.error(sourceOf(*t, "to"), ep.error().message);
        }
        if (auto p = r.integer(*t, "local_port", 1, 65535)) step.localPort = std::uint16_t(*p);
        bool text = true;
        if (auto b = r.bytes(*t, "data", "data_hex", text)) step.data = *b, step.dataText = text;
        step.repeat = std::uint64_t(r.integer(*t, "repeat", 1, INT64_MAX).value_or(1));
        if (verb == "connect") {
            if (!step.to) r.error(t->source(), "a connect step needs 'to'");
            if (!connections.insert(step.connection).second)
                r.error(t->source(), "connection " + std::to_string(step.connection) + " is connected twice");
        } else if (verb && !connections.count(step.connection)) {
            r.error(t->source(),
                    "connection " + std::to_string(step.connection) + " is used before its connect step");
        }
        if (verb == "send" && step.data.empty())
            r.error(t->source(), "a send step needs 'data' or 'data_hex'");
        s.timeline.push_back(std::move(step));
    }
}

// [[lesson]]: en, ja and at most one trigger: packet = N with flags = "SYN,ACK" (and from = host),
// state = "ESTABLISHED" (and host = host), or retransmit = "fast" (and nth = N, from = host). Read after the
// hosts, whose names triggers use.
void readLesson(TomlReader &r, const toml::table &root, Scenario &s)
{
    for (const auto *t : r.tables(root, "lesson")) {
        r.allowOnly(*t, {"en", "ja", "packet", "flags", "from", "state", "host", "retransmit", "nth"},
                    "[[lesson]]");
        LessonStep step;
        step.text.en = r.string(*t, "en", true).value_or("");
        step.text.ja = r.string(*t, "ja").value_or("");
        LessonTrigger &trigger = step.trigger;
        const bool retransmit = t->contains("retransmit");
        const bool packet =
            !retransmit && (t->contains("packet") || t->contains("flags") || t->contains("from"));
        const bool state = t->contains("state") || t->contains("host");
        if (int(packet) + int(state) + int(retransmit) > 1 ||
            (retransmit && (t->contains("packet") || t->contains("flags")))) {
            r.error(t->source(),
                    "a lesson step fires on one thing: a packet (packet, flags, from), a state (state, host) "
                    "or a retransmission (retransmit, nth, from)");
        } else if (!retransmit && t->contains("nth")) {
            r.error(sourceOf(*t, "nth"),
                    "'nth' counts retransmissions (with 'retransmit'); a packet step counts with 'packet'");
        } else if (retransmit) {
            trigger.kind = LessonTrigger::Kind::Retransmit;
            const std::string kind = r.string(*t, "retransmit").value_or("any");
            if (auto k = parseRetransmitKind(kind))
                trigger.retransmit = *k;
            else
                r.error(sourceOf(*t, "retransmit"),
                        "'retransmit' must be \"any\", \"fast\" or \"timeout\", not '" + kind + "'");
            trigger.nth = std::uint32_t(r.integer(*t, "nth", 1, 1'000'000).value_or(1));
            trigger.host = r.string(*t, "from").value_or("");
            if (!trigger.host.empty() && !s.host(trigger.host))
                r.error(sourceOf(*t, "from"), "no host named '" + trigger.host + "' in [[hosts]]");
        } else if (packet) {
            trigger.kind = LessonTrigger::Kind::Packet;
            trigger.nth = std::uint32_t(r.integer(*t, "packet", 1, 1'000'000).value_or(1));
            if (auto flags = r.string(*t, "flags", true)) {
                std::string why;
                if (auto bits = parseLessonFlags(*flags, &why))
                    trigger.flags = *bits;
                else
                    r.error(sourceOf(*t, "flags"), why);
            }
            trigger.host = r.string(*t, "from").value_or("");
            if (!trigger.host.empty() && !s.host(trigger.host))
                r.error(sourceOf(*t, "from"), "no host named '" + trigger.host + "' in [[hosts]]");
        } else if (state) {
            trigger.kind = LessonTrigger::Kind::State;
            trigger.state = r.string(*t, "state", true).value_or("");
            if (!trigger.state.empty()) {
                const auto known = tcpStateFromName(trigger.state);
                if (!known || *known == TcpState::None)
                    r.error(sourceOf(*t, "state"),
                            "'" + trigger.state + "' is not an RFC 9293 state (like \"ESTABLISHED\")");
                else
                    trigger.state = std::string(tcpStateName(*known));
            }
            trigger.host = r.string(*t, "host").value_or("");
            checkHostName(r, s, *t, trigger.host);
        }
        s.lesson.push_back(std::move(step));
    }
}

void readScenario(TomlReader &r, const toml::table &root, Scenario &s)
{
    r.allowOnly(root,
                {"name", "title", "description", "lesson", "network", "hosts", "services", "policies",
                 "rules", "timeline", "duration"},
                "the scenario");
    s.name = r.string(root, "name", true).value_or("");
    s.title = r.string(root, "title").value_or("");
    if (const auto *d = r.table(root, "description", true)) {
        r.allowOnly(*d, {"en", "ja"}, "[description]");
        s.description.en = r.string(*d, "en", true).value_or("");
        s.description.ja = r.string(*d, "ja").value_or("");
    }
    if (const auto *n = r.table(root, "network")) readNetwork(r, *n, s.network);
    readHosts(r, root, s);
    readServices(r, root, s);
    if (const auto *p = r.table(root, "policies")) readPolicies(r, *p, s.policies);
    std::set<std::string> ruleNames;
    for (const auto *t : r.tables(root, "rules")) {
        auto rule = readRule(r, *t);
        if (!rule) continue;
        checkHostName(r, s, *t, rule->host);
        if (!ruleNames.insert(rule->host + "/" + rule->rule.name).second)
            r.error(sourceOf(*t, "name"),
                    "rule '" + rule->rule.name + "' is defined twice on host '" + rule->host + "'");
        s.rules.push_back(std::move(*rule));
    }
    readTimeline(r, root, s);
    readLesson(r, root, s);
    s.duration = r.duration(root, "duration");
}

// Hands each array entry its comments (by its index in the file, which is its index in the
// scenario: a scenario with a mistake is not returned) and the scenario the rest.
void keepComments(const FileComments &file, Scenario &s)
{
    s.leadingComment = file.leading;
    s.footerComment = file.footer;
    auto each = [&](const char *key, auto &entries) {
        for (std::size_t i = 0; i < entries.size(); ++i)
            entries[i].comments = commentsUnder(file, std::string(key) + "." + std::to_string(i));
    };
    each("hosts", s.hosts);
    each("services", s.services);
    each("rules", s.rules);
    each("timeline", s.timeline);
    each("lesson", s.lesson);
    s.comments = commentsUnder(file, "");
    for (const char *array : {"hosts", "services", "rules", "timeline", "lesson"}) {
        const std::string prefix = std::string(array) + ".";
        for (auto *m : {&s.comments.above, &s.comments.trailing})
            std::erase_if(*m, [&](const auto &entry) { return entry.first.starts_with(prefix); });
    }
}

std::string joinErrors(const std::vector<std::string> &errors)
{
    std::string out;
    for (const auto &e : errors)
        out += (out.empty() ? "" : "\n") + e;
    return out;
}

Expected<toml::table> parseToml(std::string_view text, std::string_view fileName)
{
    try {
        return toml::parse(text, fileName);
    } catch (const toml::parse_error &e) {
        const auto &b = e.source().begin;
        return Error{std::string(fileName) + ":" + std::to_string(b.line) + ":" + std::to_string(b.column) +
                     ": " + std::string(e.description())};
    }
}

} // namespace

Expected<Scenario> loadScenario(std::string_view text, std::string_view fileName)
{
    auto root = parseToml(text, fileName);
    if (!root) return root.error();
    TomlReader r{std::string(fileName)};
    Scenario s;
    readScenario(r, *root, s);
    if (!r.ok()) return Error{joinErrors(r.errors())};
    keepComments(scanTomlComments(text), s);
    return s;
}

Expected<ScenarioRule> loadRule(std::string_view text, std::string_view fileName)
{
    auto root = parseToml(text, fileName);
    if (!root) return root.error();
    TomlReader r{std::string(fileName)};
    auto rule = readRule(r, *root);
    if (!r.ok() || !rule) return Error{joinErrors(r.errors())};
    // As saveRule() writes them: the leading block (and any comment after the last key) is the rule's own.
    const FileComments file = scanTomlComments(text);
    rule->comments = commentsUnder(file, "");
    std::string own = file.leading;
    if (!file.footer.empty()) own += (own.empty() ? "" : "\n") + file.footer;
    if (!own.empty()) rule->comments.above[""] = own;
    return *rule;
}

Expected<Scenario> loadScenarioFile(const std::string &path)
{
    std::ifstream in(path, std::ios::binary);
    if (!in) return Error{"cannot read scenario file \"" + path + "\": " + std::strerror(errno)};
    std::ostringstream text;
    text << in.rdbuf();
    return loadScenario(text.str(), path);
}

Expected<Scenario> loadScenarioByNameOrFile(const std::string &nameOrPath)
{
    const bool looksLikePath =
        nameOrPath.find('/') != std::string::npos || (nameOrPath.size() > 5 && nameOrPath.ends_with(".toml"));
    if (looksLikePath || std::filesystem::exists(nameOrPath)) return loadScenarioFile(nameOrPath);
    std::string names;
    for (const auto &b : builtinScenarios()) {
        if (b.name == nameOrPath) return loadScenario(b.text, "builtin:" + std::string(b.name) + ".toml");
        names += (names.empty() ? "" : " ") + std::string(b.name);
    }
    return Error{"no scenario named \"" + nameOrPath + "\" in the library (known: " + names +
                 ") and no such file"};
}

} // namespace tcplab

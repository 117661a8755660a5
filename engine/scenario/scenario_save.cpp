// Writing scenarios back as TOML. Every value the loader reads is written in a form the loader
// accepts, so that load(save(s)) == s; defaults are left out to keep files short.
#include <sstream>

#include "scenario/scenario_io.h"
#include "scenario/scenario_toml.h"

namespace tcplab {

namespace {

std::int64_t i64(std::uint64_t v)
{
    return static_cast<std::int64_t>(v);
}

template <class T> toml::array pairArray(T a, T b)
{
    toml::array out;
    out.push_back(a);
    out.push_back(b);
    return out;
}

void putBytes(toml::table &t, std::string_view key, const Bytes &b, bool text)
{
    if (text)
        t.insert(key, std::string(b.begin(), b.end()));
    else
        t.insert(std::string(key) + "_hex", formatHex(b));
}

void putOptionValues(toml::table &t, const OptionValues &v)
{
    if (v.mss) t.insert("mss", std::int64_t(*v.mss));
    if (v.windowScale) t.insert("wscale", std::int64_t(*v.windowScale));
    if (v.sackPermitted) t.insert("sack_permitted", *v.sackPermitted);
    if (v.timestamps)
        t.insert("timestamps", pairArray<std::int64_t>(v.timestamps->first, v.timestamps->second));
    if (!v.sackBlocks.empty()) {
        toml::array blocks;
        for (const auto &[l, r] : v.sackBlocks)
            blocks.push_back(pairArray<std::int64_t>(l, r));
        t.insert("sack", std::move(blocks));
    }
}

toml::table writeMatch(const Match &m)
{
    toml::table t;
    if (m.flagsSet | m.flagsClear) t.insert("flags", flagMatchText(m.flagsSet, m.flagsClear));
    if (!m.states.empty()) {
        toml::array states;
        for (int i = 0; i < kTcpStateCount; ++i)
            if (m.states.contains(TcpState(i))) states.push_back(std::string(tcpStateName(TcpState(i))));
        t.insert("state", std::move(states));
    }
    if (m.localAddr) t.insert("local_addr", m.localAddr->toString());
    if (m.remoteAddr) t.insert("remote_addr", m.remoteAddr->toString());
    if (m.localPort) t.insert("local_port", pairArray<std::int64_t>(m.localPort->lo, m.localPort->hi));
    if (m.remotePort) t.insert("remote_port", pairArray<std::int64_t>(m.remotePort->lo, m.remotePort->hi));
    if (m.payloadLength)
        t.insert("payload_len", pairArray<std::int64_t>(i64(m.payloadLength->lo), i64(m.payloadLength->hi)));
    if (!m.payloadContains.empty()) putBytes(t, "payload_contains", m.payloadContains, m.payloadContainsText);
    if (m.occurrence == Occurrence::Nth) t.insert("nth", i64(m.occurrenceCount));
    if (m.occurrence == Occurrence::FirstN) t.insert("first", i64(m.occurrenceCount));
    if (m.occurrence == Occurrence::EveryKth) t.insert("every", i64(m.occurrenceCount));
    if (m.probability < 1.0) t.insert("probability", m.probability);
    if (m.sinceSessionStart) {
        if (m.sinceSessionStart->hi == Duration::max())
            t.insert("since_start", formatDuration(m.sinceSessionStart->lo));
        else
            t.insert("since_start", pairArray(formatDuration(m.sinceSessionStart->lo),
                                              formatDuration(m.sinceSessionStart->hi)));
    }
    if (m.sessionOrdinal)
        t.insert("session", pairArray<std::int64_t>(i64(m.sessionOrdinal->lo), i64(m.sessionOrdinal->hi)));
    return t;
}

toml::table writeAction(const Action &action)
{
    toml::table t;
    t.insert("do", std::string(actionName(action)));
    std::visit(
        [&](const auto &a) {
            using T = std::decay_t<decltype(a)>;
            if constexpr (std::is_same_v<T, DelayAction>) {
                t.insert("by", formatDuration(a.by));
            } else if constexpr (std::is_same_v<T, DuplicateAction>) {
                t.insert("count", std::int64_t(a.count));
            } else if constexpr (std::is_same_v<T, HoldAction>) {
                t.insert("segments", std::int64_t(a.segments));
                t.insert("timeout", formatDuration(a.timeout));
            } else if constexpr (std::is_same_v<T, SetFieldAction>) {
                t.insert("field", std::string(packetFieldInfo(a.field).name));
                t.insert("value", a.value.text());
            } else if constexpr (std::is_same_v<T, FlagsAction>) {
                if (a.set) t.insert("set", flagSetText(a.set));
                if (a.clear) t.insert("clear", flagSetText(a.clear));
            } else if constexpr (std::is_same_v<T, OptionsAction>) {
                toml::array remove;
                if (a.removeAll) remove.push_back("all");
                for (auto k : a.remove)
                    remove.push_back(std::string(optionKindName(k)));
                if (!remove.empty()) t.insert("remove", std::move(remove));
                putOptionValues(t, a.set);
            } else if constexpr (std::is_same_v<T, PayloadAction>) {
                if (a.mode == PayloadAction::Mode::Truncate)
                    t.insert("truncate", std::int64_t(a.length));
                else
                    putBytes(t, a.mode == PayloadAction::Mode::Replace ? "replace" : "append", a.data,
                             a.text);
            } else if constexpr (std::is_same_v<T, ReplyAction>) {
                t.insert("flags", flagSetText(a.flags));
                t.insert("seq", a.seq.text());
                t.insert("ack", a.ack.text());
                t.insert("window", a.window.text());
                toml::table opts;
                putOptionValues(opts, a.options);
                if (!opts.empty()) t.insert("options", std::move(opts));
                if (!a.payload.empty()) putBytes(t, "payload", a.payload, a.payloadText);
            } else if constexpr (std::is_same_v<T, InjectAction>) {
                t.insert("flags", std::string(a.flags == 0x01 ? "FIN" : "RST"));
                t.insert("toward", std::string(a.toward == Toward::Sender ? "sender" : "receiver"));
                if (a.seq) t.insert("seq", a.seq->text());
                if (a.ack) t.insert("ack", a.ack->text());
            }
        },
        action);
    return t;
}

toml::table writeNetwork(const NetworkSettings &n)
{
    toml::table t;
    t.insert("mode", std::string(n.mode == NetworkMode::Demo ? "demo" : "tap"));
    if (!n.tap.empty()) t.insert("tap", n.tap);
    t.insert("seed", i64(n.seed));
    toml::table w;
    w.insert("latency", formatDuration(n.wire.latency));
    w.insert("jitter", formatDuration(n.wire.jitter));
    w.insert("loss", n.wire.loss);
    w.insert("duplicate", n.wire.duplicate);
    w.insert("reorder", n.wire.reorder);
    w.insert("bandwidth", i64(n.wire.bandwidthBps));
    w.insert("mtu", std::int64_t(n.wire.mtu));
    t.insert("wire", std::move(w));
    return t;
}

toml::array writeHostsAndServices(const Scenario &s, toml::array &services)
{
    toml::array hosts;
    for (const auto &h : s.hosts) {
        toml::table t;
        t.insert("name", h.name);
        toml::array addrs;
        for (const auto &a : h.addresses)
            addrs.push_back(a.toString());
        t.insert("addresses", std::move(addrs));
        if (h.mac) t.insert("mac", h.mac->toString());
        hosts.push_back(std::move(t));
    }
    for (const auto &v : s.services) {
        toml::table t;
        t.insert("host", v.host);
        t.insert("kind", v.kind);
        t.insert("port", std::int64_t(v.port));
        t.insert("backlog", std::int64_t(v.backlog));
        if (v.recvBuffer) t.insert("recv_buffer", std::int64_t(*v.recvBuffer));
        if (v.readRate) t.insert("read_rate", i64(*v.readRate));
        if (v.sendBytes) t.insert("send_bytes", i64(*v.sendBytes));
        services.push_back(std::move(t));
    }
    return hosts;
}

toml::array writeTimeline(const std::vector<TimelineStep> &steps)
{
    toml::array out;
    for (const auto &st : steps) {
        toml::table t;
        t.insert("at", formatDuration(st.at));
        t.insert("host", st.host);
        t.insert("do", std::string(timelineVerbName(st.verb)));
        t.insert("connection", std::int64_t(st.connection));
        if (st.to) t.insert("to", st.to->toString());
        if (st.localPort) t.insert("local_port", std::int64_t(*st.localPort));
        if (!st.data.empty()) putBytes(t, "data", st.data, st.dataText);
        if (st.repeat != 1) t.insert("repeat", i64(st.repeat));
        out.push_back(std::move(t));
    }
    return out;
}

} // namespace

toml::table writeRule(const ScenarioRule &sr)
{
    const Rule &r = sr.rule;
    toml::table t;
    t.insert("name", r.name);
    t.insert("host", sr.host);
    t.insert("hook", std::string(r.hook == HookPoint::Ingress ? "ingress" : "egress"));
    if (!r.enabled) t.insert("enabled", false);
    if (r.continueAfterHit) t.insert("continue", true);
    if (r.maxHits) t.insert("max_hits", i64(r.maxHits));
    t.insert("match", writeMatch(r.match));
    toml::array actions;
    for (const auto &a : r.actions)
        actions.push_back(writeAction(a));
    t.insert("actions", std::move(actions));
    return t;
}

std::string saveRule(const ScenarioRule &rule)
{
    std::ostringstream out;
    out << writeRule(rule) << "\n";
    // A rule alone has no [[rules]] line: the comments of that line lead its text.
    TomlComments body = rule.comments;
    FileComments comments;
    for (auto *m : {&body.above, &body.trailing}) {
        const auto own = m->find("");
        if (own == m->end()) continue;
        comments.leading += (comments.leading.empty() ? "" : "\n") + own->second;
        m->erase(own);
    }
    addComments(comments, "", body);
    return insertTomlComments(out.str(), comments);
}

std::string saveScenario(const Scenario &s)
{
    toml::table root;
    root.insert("name", s.name);
    if (!s.title.empty()) root.insert("title", s.title);
    toml::table desc;
    desc.insert("en", s.description.en);
    if (!s.description.ja.empty()) desc.insert("ja", s.description.ja);
    root.insert("description", std::move(desc));
    if (!s.lesson.empty()) {
        toml::array lesson;
        for (const auto &step : s.lesson) {
            toml::table t;
            t.insert("en", step.text.en);
            if (!step.text.ja.empty()) t.insert("ja", step.text.ja);
            const LessonTrigger &trigger = step.trigger;
            if (trigger.kind == LessonTrigger::Kind::Packet) {
                t.insert("packet", std::int64_t(trigger.nth));
                t.insert("flags", formatLessonFlags(trigger.flags));
                if (!trigger.host.empty()) t.insert("from", trigger.host);
            } else if (trigger.kind == LessonTrigger::Kind::Retransmit) {
                t.insert("retransmit", std::string(retransmitKindName(trigger.retransmit)));
                t.insert("nth", std::int64_t(trigger.nth));
                if (!trigger.host.empty()) t.insert("from", trigger.host);
            } else if (trigger.kind == LessonTrigger::Kind::State) {
                t.insert("state", trigger.state);
                if (!trigger.host.empty()) t.insert("host", trigger.host);
            }
            lesson.push_back(std::move(t));
        }
        root.insert("lesson", std::move(lesson));
    }
    root.insert("network", writeNetwork(s.network));
    toml::array services;
    root.insert("hosts", writeHostsAndServices(s, services));
    if (!services.empty()) root.insert("services", std::move(services));
    toml::table policies;
    policies.insert("closed_port",
                    std::string(s.policies.closedPort == ClosedPortPolicy::Rst ? "rst" : "silent"));
    policies.insert("unmatched_rst",
                    std::string(s.policies.unmatchedRst == UnmatchedRstPolicy::Rfc ? "rfc" : "ignore"));
    if (s.policies.synQueue) policies.insert("syn_queue", std::int64_t(*s.policies.synQueue));
    if (s.policies.synCookies) policies.insert("syn_cookies", *s.policies.synCookies);
    root.insert("policies", std::move(policies));
    if (!s.rules.empty()) {
        toml::array rules;
        for (const auto &r : s.rules)
            rules.push_back(writeRule(r));
        root.insert("rules", std::move(rules));
    }
    if (!s.timeline.empty()) root.insert("timeline", writeTimeline(s.timeline));
    if (s.duration) root.insert("duration", formatDuration(*s.duration));
    std::ostringstream out;
    out << root << "\n";
    // The comments go back next to what they were written for, each entry's at its index now.
    FileComments comments;
    comments.leading = s.leadingComment;
    comments.footer = s.footerComment;
    addComments(comments, "", s.comments);
    auto each = [&](const char *key, const auto &entries) {
        for (std::size_t i = 0; i < entries.size(); ++i)
            addComments(comments, std::string(key) + "." + std::to_string(i), entries[i].comments);
    };
    each("hosts", s.hosts);
    each("services", s.services);
    each("rules", s.rules);
    each("timeline", s.timeline);
    each("lesson", s.lesson);
    return insertTomlComments(out.str(), comments);
}

} // namespace tcplab

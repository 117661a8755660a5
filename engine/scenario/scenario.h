// A scenario: everything needed to reproduce one TCP trouble or to teach one lesson: the hosts and
// their addresses, the demo wire or the tap, the services, the stack policies, the rules, and an
// optional timeline that plays the client side. Scenario files are TOML (scenario_toml.cpp).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/time.h"
#include "rules/rule.h"
#include "scenario/lesson.h"
#include "scenario/toml_comments.h"
#include "tcp/tcp_config.h"
#include "wire/addresses.h"

namespace tcplab {

// Demo network: a client host and a server host on a simulated wire.
struct WireSettings {
    Duration latency = std::chrono::milliseconds(10); // one way
    Duration jitter{};
    double loss = 0.0;              // probability per frame
    double duplicate = 0.0;         // probability per frame
    double reorder = 0.0;           // probability per frame
    std::uint64_t bandwidthBps = 0; // 0: unlimited
    std::uint32_t mtu = 1500;
    bool operator==(const WireSettings &) const = default;
};

enum class NetworkMode : std::uint8_t { Demo, Tap };

struct NetworkSettings {
    NetworkMode mode = NetworkMode::Demo;
    std::string tap; // tap mode: the device name (e.g. "tap7")
    WireSettings wire;
    std::uint64_t seed = 1; // the lab's RNG seed
    bool operator==(const NetworkSettings &) const = default;
};

struct ScenarioHost {
    std::string name; // "client", "server": rules, services and the timeline refer to hosts by name
    std::vector<IpPrefix> addresses;
    std::optional<MacAddr> mac;
    TomlComments comments; // of its [[hosts]] table (scenario files keep their comments)
    bool operator==(const ScenarioHost &) const = default;
};

// A service on a host. Kinds: "listen" (accept and keep the connection, read nothing), "echo",
// "discard" (read and forget), "http" (a tiny HTTP/1.0 responder), "chargen" (send forever),
// "sink" (read at `readRate`).
struct ScenarioService {
    std::string host;
    std::string kind;
    std::uint16_t port = 0;
    std::uint32_t backlog = 128;
    std::optional<std::uint32_t> recvBuffer; // bytes; a small one makes a small window
    std::optional<std::uint64_t> readRate;   // bytes per second the application reads; 0: never
    std::optional<std::uint64_t> sendBytes;  // chargen/http: how much to send
    TomlComments comments;                   // of its [[services]] table
    bool operator==(const ScenarioService &) const = default;
};

enum class UnmatchedRstPolicy : std::uint8_t {
    Rfc, // RFC 9293 section 3.10.7.1: the stack sees it ("an incoming segment containing a RST is discarded")
    Ignore, // dropped at ingress before the stack, like the motivating case's patched stack
};

struct Policies {
    ClosedPortPolicy closedPort = ClosedPortPolicy::Rst;
    UnmatchedRstPolicy unmatchedRst = UnmatchedRstPolicy::Rfc;
    // Every host's TCP listener limits (TcpConfig::synQueueLimit, TcpConfig::synCookies); unset:
    // the TcpConfig defaults (128 half-open connections per listener, cookies on).
    std::optional<std::uint32_t> synQueue;
    std::optional<bool> synCookies;
    bool operator==(const Policies &) const = default;
};

// Puts the scenario's listener policies (syn_queue, syn_cookies) into a TCP layer's configuration.
inline void applyListenerPolicies(const Policies &p, TcpConfig &c)
{
    if (p.synQueue) c.synQueueLimit = *p.synQueue;
    if (p.synCookies) c.synCookies = *p.synCookies;
}

struct ScenarioRule {
    std::string host; // which host's rule engine runs it
    Rule rule;
    TomlComments comments; // of its [[rules]] table and what is inside it: they follow the rule
    bool operator==(const ScenarioRule &) const = default;
};

enum class TimelineVerb : std::uint8_t { Connect, Send, Shutdown, Close };

// One step of the client side. Connections are numbered by their connect step, from 1.
struct TimelineStep {
    Duration at{}; // since the lab started
    std::string host;
    TimelineVerb verb = TimelineVerb::Connect;
    std::uint32_t connection = 1;
    std::optional<Endpoint> to;             // connect
    std::optional<std::uint16_t> localPort; // connect: fixed source port (for TIME-WAIT reuse)
    Bytes data;                             // send
    bool dataText = true;
    std::uint64_t repeat = 1; // send: the data this many times (bulk)
    TomlComments comments;    // of its [[timeline]] table
    bool operator==(const TimelineStep &) const = default;
};

struct Scenario {
    std::string name;
    std::string title;
    LocalizedText description;
    std::vector<LessonStep> lesson; // step-by-step teaching notes with their triggers, optional
    NetworkSettings network;
    std::vector<ScenarioHost> hosts;
    std::vector<ScenarioService> services;
    Policies policies;
    std::vector<ScenarioRule> rules;
    std::vector<TimelineStep> timeline;
    std::optional<Duration> duration; // how long a headless run lasts (default: until quiet)
    // The file's own comments (scenario/toml_comments.h): its leading block, its last lines, and
    // those of the top-level keys and single tables ([description], [network], [policies]). The
    // array entries (hosts, services, rules, timeline, lesson) carry their own.
    std::string leadingComment;
    std::string footerComment;
    TomlComments comments;

    bool operator==(const Scenario &) const = default;

    const ScenarioHost *host(std::string_view name) const;
    // The rules of one host, with the policy rules (unmatched_rst = "ignore") in front.
    std::vector<Rule> rulesFor(std::string_view hostName) const;
};

std::string_view timelineVerbName(TimelineVerb verb);

} // namespace tcplab

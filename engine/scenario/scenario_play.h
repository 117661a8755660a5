// The parts of playing a scenario that run inside a lab someone else built (the demo of
// ScenarioRun, or the tap or demo lab of tcplab-cli): the client timeline, the rate-limited
// reader service, and ScenarioHook, the PacketHook that runs a host's RuleEngine and gives the
// timeline and readers their clock (a host polls its hook).
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "core/event.h"
#include "rules/rule_engine.h"
#include "scenario/scenario.h"
#include "stack/host.h"
#include "tcp/tcp_layer.h"

namespace tcplab {

// A service that accepts and then reads at most `rate` bytes per second (0: never reads), in
// 100 ms steps, so the receive window fills: the slow and the stalled reader. `accept` false:
// a listener that never accepts (the backlog fills).
class ScenarioRateReader {
public:
    ScenarioRateReader(TcpLayer &tcp, std::uint64_t rate) : tcp_(tcp), rate_(rate) {}
    Status listen(std::uint16_t port, std::uint32_t backlog, bool accept);
    Instant pollAt() const { return conns_.empty() || rate_ == 0 ? kNever : next_; }
    void poll(Instant now);

private:
    void acceptAll();
    TcpLayer &tcp_;
    std::uint64_t rate_;
    TcpSocketId listener_ = kNoSocket;
    std::vector<TcpSocketId> conns_;
    Instant next_{};
};

// Plays the timeline steps (connect, send, shutdown, close) at their times, counted from the first
// poll after start (or from start(now)).
class TimelinePlayer {
public:
    struct HostRef {
        Host *host = nullptr;
        TcpLayer *tcp = nullptr;
    };
    using HostLookup = std::function<HostRef(std::string_view name)>;
    struct ConnectionResult {
        TcpSocketId socket = kNoSocket;
        bool connected = false, closed = false;
        std::string error;
        std::uint64_t bytesSent = 0, bytesReceived = 0;
    };

    TimelinePlayer(std::vector<TimelineStep> steps, HostLookup lookup, EventSink &events);
    ~TimelinePlayer();
    void start(Instant now);
    Instant pollAt() const;
    void poll(Instant now);
    bool done() const { return next_ >= steps_.size(); }
    const std::map<std::uint32_t, ConnectionResult> &connections() const { return results_; }

private:
    struct Pending;
    void runStep(Instant now, const TimelineStep &step);
    // `now`: the time of the step or of the socket callback (the TCP layer's own clock is only as
    // recent as its last poll, which may be long before a step).
    void pump(std::uint32_t connection, Instant now);

    std::vector<TimelineStep> steps_;
    HostLookup lookup_;
    EventSink &events_;
    std::size_t next_ = 0;
    std::optional<Instant> start_;
    std::map<std::uint32_t, ConnectionResult> results_;
    std::map<std::uint32_t, std::unique_ptr<Pending>> pending_;
};

// A host's hook: its RuleEngine for packets, and the clock of the timeline and readers attached.
class ScenarioHook final : public PacketHook {
public:
    explicit ScenarioHook(RuleEngine &rules) : rules_(rules) {}
    void attach(TimelinePlayer *timeline) { timeline_ = timeline; }
    void attach(ScenarioRateReader *reader) { readers_.push_back(reader); }

    HookVerdict onPacket(Instant now, HookPacket &packet, HookActions &actions) override
    {
        return rules_.onPacket(now, packet, actions);
    }
    Instant pollAt() const override;
    void poll(Instant now, HookActions &actions) override;

private:
    RuleEngine &rules_;
    TimelinePlayer *timeline_ = nullptr;
    std::vector<ScenarioRateReader *> readers_;
};

} // namespace tcplab

#include "scenario/scenario_run.h"

#include <algorithm>

#include "capture/flow_tracker.h"
#include "scenario/scenario_play.h"
#include "services/tcp_services.h"

namespace tcplab {

struct ScenarioRun::HostParts {
    std::string name;
    Host *host = nullptr;
    TcpLayer *tcp = nullptr;  // owned by the lab
    std::unique_ptr<RuleEngine> rules;
    std::unique_ptr<ScenarioHook> hook;
};

namespace {

HostConfig hostConfig(const ScenarioHost &h, std::uint8_t index)
{
    HostConfig c;
    c.name = h.name;
    c.addresses = h.addresses;
    c.mac = h.mac.value_or(MacAddr{{0x02, 0x00, 0x00, 0x00, 0x00, index}});
    return c;
}

WireConditions wireConditions(const WireSettings &w)
{
    WireConditions c;
    c.latency = w.latency;
    c.jitter = w.jitter;
    c.loss = w.loss;
    c.duplicate = w.duplicate;
    c.reorder = w.reorder;
    c.bandwidthBps = w.bandwidthBps;
    return c;
}

}  // namespace

ScenarioRun::ScenarioRun(Scenario scenario) : scenario_(std::move(scenario)) {}
ScenarioRun::~ScenarioRun()
{
    // The lab's one teardown order (host/lab.h): services stop through live TCP layers and hosts
    // and their goodbyes reach the caller's sinks, then TCP, then the sinks are let go. Only then
    // do the timeline and the hosts' rule engines and hooks (ours) go, and the lab last.
    if (lab_) lab_->shutdown();
}

Expected<std::unique_ptr<ScenarioRun>> ScenarioRun::demo(const Scenario &scenario)
{
    if (scenario.network.mode != NetworkMode::Demo) return Error{"scenario \"" + scenario.name + "\" runs on a tap, not on the demo network"};
    if (scenario.hosts.size() != 2)
        return Error{"scenario \"" + scenario.name + "\": the demo network has exactly two hosts (client and server)"};
    std::unique_ptr<ScenarioRun> run(new ScenarioRun(scenario));
    if (auto s = run->build(); !s) return s.error();
    return run;
}

Status ScenarioRun::build()
{
    lab_ = std::make_unique<Lab>(scenario_.network.seed);
    // The lab's own FlowTracker gives sessions (ordinals and ages for rules); a caller that records
    // the run uses lab().flows() for its Recorder.
    const WireConditions wc = wireConditions(scenario_.network.wire);
    VirtualWire &wire = lab_->addVirtualWire("wire", wc, wc);
    for (std::size_t i = 0; i < scenario_.hosts.size(); ++i) {
        auto parts = std::make_unique<HostParts>();
        parts->name = scenario_.hosts[i].name;
        parts->host = &lab_->addHost(hostConfig(scenario_.hosts[i], std::uint8_t(i + 1)));
        lab_->attach(*parts->host, wire.end(i == 0 ? VirtualWire::A : VirtualWire::B));
        TcpConfig config;
        config.closedPort = scenario_.policies.closedPort;
        applyListenerPolicies(scenario_.policies, config);
        config.mtu = scenario_.network.wire.mtu;
        for (const auto &svc : scenario_.services)
            if (svc.host == parts->name && svc.recvBuffer) config.socket.recvBuffer = *svc.recvBuffer;
        parts->tcp = &lab_->addTcp(*parts->host, config);
        parts->rules = std::make_unique<RuleEngine>(lab_->rng());
        parts->rules->setRules(scenario_.rulesFor(parts->name));
        parts->hook = std::make_unique<ScenarioHook>(*parts->rules);
        parts->host->setPacketHook(parts->hook.get());
        hosts_.push_back(std::move(parts));
    }
    for (const auto &svc : scenario_.services)
        if (auto s = startService(svc); !s) return s;
    timeline_ = std::make_unique<TimelinePlayer>(
        scenario_.timeline,
        [this](std::string_view name) {
            for (auto &h : hosts_)
                if (h->name == name) return TimelinePlayer::HostRef{h->host, h->tcp};
            return TimelinePlayer::HostRef{};
        },
        lab_->events());
    // The first host (the client) gives the timeline its clock.
    if (!hosts_.empty()) hosts_.front()->hook->attach(timeline_.get());
    return okStatus();
}

Status ScenarioRun::startService(const ScenarioService &svc)
{
    TcpLayer *tcp = this->tcp(svc.host);
    if (!tcp) return Error{"service on unknown host \"" + svc.host + "\""};
    const HostId hostId = lab_->findHost(svc.host)->id();
    const std::string where = "service " + svc.kind + " on " + svc.host + ":" + std::to_string(svc.port);
    if (svc.kind == "listen" || svc.kind == "sink") {
        // "listen" never accepts (the backlog fills); "sink" reads at read_rate (none: as fast as it can).
        if (svc.kind == "sink" && !svc.readRate) {
            auto s = startTcpService(*tcp, lab_->events(), hostId, svc.port, "sink");
            if (!s) return Error{where + ": " + s.error().message};
            lab_->keep(std::move(s.value()));
            return okStatus();
        }
        auto reader = std::make_unique<ScenarioRateReader>(*tcp, svc.readRate.value_or(0));
        if (auto s = reader->listen(svc.port, svc.backlog, svc.kind == "sink"); !s) return Error{where + ": " + s.error().message};
        for (auto &h : hosts_)
            if (h->name == svc.host) h->hook->attach(reader.get());
        lab_->keep(std::move(reader));
        return okStatus();
    }
    auto s = startTcpService(*tcp, lab_->events(), hostId, svc.port, svc.kind);
    if (!s) return Error{where + ": " + s.error().message};
    lab_->keep(std::move(s.value()));
    return okStatus();
}

TcpLayer *ScenarioRun::tcp(std::string_view host)
{
    for (auto &h : hosts_)
        if (h->name == host) return h->tcp;
    return nullptr;
}

RuleEngine *ScenarioRun::rules(std::string_view host)
{
    for (auto &h : hosts_)
        if (h->name == host) return h->rules.get();
    return nullptr;
}

void ScenarioRun::start(Instant now)
{
    timeline_->start(now);
    lab_->start(now);
    lab_->poll(now);
}

Instant ScenarioRun::pollAt() const { return lab_->pollAt(); }

void ScenarioRun::poll(Instant now) { lab_->poll(now); }

const std::map<std::uint32_t, TimelinePlayer::ConnectionResult> &ScenarioRun::connections() const
{
    return timeline_->connections();
}

void ScenarioRun::runUntil(Instant until)
{
    for (int guard = 0; guard < 10'000'000; ++guard) {
        const Instant next = pollAt();
        if (next > until) break;
        poll(std::max(next, lab_->now()));
    }
    poll(until);
}

Status ScenarioRun::reload(const Scenario &scenario)
{
    for (auto &h : hosts_) {
        h->rules->setRules(scenario.rulesFor(h->name));
        h->tcp->config().closedPort = scenario.policies.closedPort;
        applyListenerPolicies(scenario.policies, h->tcp->config());
    }
    scenario_.rules = scenario.rules;
    scenario_.policies = scenario.policies;
    return okStatus();
}

}  // namespace tcplab

#include "scenario/scenario_run.h"

#include <algorithm>

#include "capture/flow_tracker.h"
#include "services/tcp_services.h"
#include "stack/session_source.h"

namespace tcplab {

struct ScenarioRun::HostParts {
    std::string name;
    Host *host = nullptr;
    std::unique_ptr<TcpLayer> tcp;
    std::unique_ptr<RuleEngine> rules;
};

// Data a timeline step queued that the send buffer has not taken yet.
struct ScenarioRun::Pending {
    HostParts *host = nullptr;
    Bytes data;
    std::uint64_t repeatLeft = 0;
    std::size_t offset = 0;
    bool shutdownAfter = false, closeAfter = false;
};

// A service that accepts and then reads at most `rate` bytes per second (0: never reads), in
// 100 ms steps, so the receive window fills: the slow and the stalled reader.
class ScenarioRateReader {
public:
    ScenarioRateReader(TcpLayer &tcp, std::uint64_t rate) : tcp_(tcp), rate_(rate) {}
    Status listen(std::uint16_t port, std::uint32_t backlog, bool accept)
    {
        auto l = tcp_.listen(Endpoint{IpAddr{}, port}, backlog, [this, accept](TcpSocketId, std::uint32_t bits) {
            if (accept && (bits & tcpready::kAcceptable)) acceptAll();
        });
        if (!l) return l.error();
        listener_ = *l;
        return okStatus();
    }
    Instant pollAt() const { return conns_.empty() || rate_ == 0 ? kNever : next_; }
    void poll(Instant now)
    {
        if (now < next_) return;
        next_ = now + std::chrono::milliseconds(100);
        std::uint8_t buf[4096];
        for (TcpSocketId s : conns_) {
            std::uint64_t budget = rate_ / 10;
            while (budget > 0) {
                auto r = tcp_.recv(now, s, MutableByteView(buf, std::min<std::uint64_t>(budget, sizeof buf)));
                if (!r || *r == 0) break;
                budget -= *r;
            }
        }
    }

private:
    void acceptAll()
    {
        for (TcpSocketId s; (s = tcp_.accept(listener_)) != kNoSocket;) conns_.push_back(s);
        if (next_ == Instant{}) next_ = tcp_.now() + std::chrono::milliseconds(100);
    }
    TcpLayer &tcp_;
    std::uint64_t rate_;
    TcpSocketId listener_ = kNoSocket;
    std::vector<TcpSocketId> conns_;
    Instant next_{};
};

namespace {

// Sessions as Wireshark counts them (capture/FlowTracker), so rules see session ordinals and
// time since the session began; a caller that records the run may install its own tracker.
class FlowSessions final : public SessionSource {
public:
    SessionTag observeTcp(Instant now, const Endpoint &src, const Endpoint &dst, std::uint8_t tcpFlags,
                          std::uint32_t seq) override
    {
        const FlowObservation o = flows_.observe(now, src, dst, tcpFlags, SeqNum(seq));
        return {o.session, o.ordinal, o.start, o.isNew};
    }

private:
    FlowTracker flows_;
};

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
ScenarioRun::~ScenarioRun() = default;

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
    lab_->setSessionSource(&lab_->keep(std::make_unique<FlowSessions>()));
    const WireConditions wc = wireConditions(scenario_.network.wire);
    VirtualWire &wire = lab_->addVirtualWire("wire", wc, wc);
    for (std::size_t i = 0; i < scenario_.hosts.size(); ++i) {
        auto parts = std::make_unique<HostParts>();
        parts->name = scenario_.hosts[i].name;
        parts->host = &lab_->addHost(hostConfig(scenario_.hosts[i], std::uint8_t(i + 1)));
        lab_->attach(*parts->host, wire.end(i == 0 ? VirtualWire::A : VirtualWire::B));
        TcpConfig config;
        config.closedPort = scenario_.policies.closedPort;
        config.mtu = scenario_.network.wire.mtu;
        for (const auto &svc : scenario_.services)
            if (svc.host == parts->name && svc.recvBuffer) config.socket.recvBuffer = *svc.recvBuffer;
        parts->tcp = std::make_unique<TcpLayer>(parts->host->id(), config, *parts->host, lab_->events(), lab_->rng());
        parts->host->setTcp(parts->tcp.get());
        parts->rules = std::make_unique<RuleEngine>(lab_->rng());
        parts->rules->setRules(scenario_.rulesFor(parts->name));
        parts->host->setPacketHook(parts->rules.get());
        hosts_.push_back(std::move(parts));
    }
    for (const auto &svc : scenario_.services)
        if (auto s = startService(svc); !s) return s;
    return okStatus();
}

Status ScenarioRun::startService(const ScenarioService &svc)
{
    TcpLayer *tcp = this->tcp(svc.host);
    if (!tcp) return Error{"service on unknown host \"" + svc.host + "\""};
    const std::string where = "service " + svc.kind + " on " + svc.host + ":" + std::to_string(svc.port);
    if (svc.kind == "listen" || svc.kind == "sink") {
        // "listen" never accepts (the backlog fills); "sink" reads at read_rate (none: as fast as it can).
        if (svc.kind == "sink" && !svc.readRate) {
            auto s = startTcpService(*tcp, lab_->events(), 0, svc.port, "sink");
            if (!s) return Error{where + ": " + s.error().message};
            lab_->keep(std::move(s.value()));
            return okStatus();
        }
        auto reader = std::make_unique<ScenarioRateReader>(*tcp, svc.readRate.value_or(0));
        if (auto s = reader->listen(svc.port, svc.backlog, svc.kind == "sink"); !s) return Error{where + ": " + s.error().message};
        readers_.push_back(&lab_->keep(std::move(reader)));
        return okStatus();
    }
    auto s = startTcpService(*tcp, lab_->events(), 0, svc.port, svc.kind);
    if (!s) return Error{where + ": " + s.error().message};
    lab_->keep(std::move(s.value()));
    return okStatus();
}

TcpLayer *ScenarioRun::tcp(std::string_view host)
{
    for (auto &h : hosts_)
        if (h->name == host) return h->tcp.get();
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
    start_ = now;
    started_ = true;
    lab_->start(now);
    poll(now);
}

Instant ScenarioRun::pollAt() const
{
    Instant next = lab_->pollAt();
    for (const auto *r : readers_) next = std::min(next, r->pollAt());
    if (started_ && nextStep_ < scenario_.timeline.size()) next = std::min(next, start_ + scenario_.timeline[nextStep_].at);
    return next;
}

void ScenarioRun::poll(Instant now)
{
    while (started_ && nextStep_ < scenario_.timeline.size() && start_ + scenario_.timeline[nextStep_].at <= now)
        runStep(now, scenario_.timeline[nextStep_++]);
    for (auto *r : readers_) r->poll(now);
    lab_->poll(now);
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
    }
    scenario_.rules = scenario.rules;
    scenario_.policies = scenario.policies;
    return okStatus();
}

void ScenarioRun::runStep(Instant now, const TimelineStep &step)
{
    HostParts *h = nullptr;
    for (auto &p : hosts_)
        if (p->name == step.host) h = p.get();
    if (!h) return;
    auto fail = [&](const std::string &message) {
        results_[step.connection].error = message;
        Event e;
        e.time = now;
        e.kind = EventKind::Error;
        e.host = h->host->id();
        e.name = "timeline";
        e.detail = "timeline step " + std::string(timelineVerbName(step.verb)) + " (connection " +
                   std::to_string(step.connection) + "): " + message;
        lab_->events().onEvent(e);
    };
    if (step.verb == TimelineVerb::Connect) {
        const auto src = h->host->sourceFor(step.to->addr);
        if (!src) return fail("no local address to reach " + step.to->toString());
        const std::uint32_t id = step.connection;
        auto s = h->tcp->connect(now, Endpoint{*src, step.localPort.value_or(0)}, *step.to,
                                 [this, id](TcpSocketId, std::uint32_t bits) {
                                     auto &r = results_[id];
                                     if (bits & tcpready::kConnected) r.connected = true;
                                     if (bits & tcpready::kClosed) r.closed = true;
                                     pump(id);
                                 });
        if (!s) return fail(s.error().message);
        results_[id].socket = *s;
        auto p = std::make_unique<Pending>();
        p->host = h;
        pending_[id] = std::move(p);
        return;
    }
    auto it = pending_.find(step.connection);
    if (it == pending_.end()) return fail("no such connection");
    Pending &p = *it->second;
    if (step.verb == TimelineVerb::Send) {
        if (p.repeatLeft == 0) {
            p.data = step.data;
            p.offset = 0;
            p.repeatLeft = step.repeat;
        } else {
            fail("previous send still queued; this one is skipped");
        }
    } else if (step.verb == TimelineVerb::Shutdown) {
        p.shutdownAfter = true;
    } else {
        p.closeAfter = true;
    }
    pump(step.connection);
}

// Moves queued timeline data into the send buffer, then half-closes or closes when asked and done.
void ScenarioRun::pump(std::uint32_t connection)
{
    auto it = pending_.find(connection);
    if (it == pending_.end()) return;
    Pending &p = *it->second;
    auto &r = results_[connection];
    TcpLayer &tcp = *p.host->tcp;
    const Instant now = tcp.now();
    std::uint8_t buf[4096];
    while (r.connected) {
        auto n = tcp.recv(now, r.socket, MutableByteView(buf, sizeof buf));
        if (!n || *n == 0) break;
        r.bytesReceived += *n;
    }
    while (r.connected && p.repeatLeft > 0) {
        auto n = tcp.send(now, r.socket, ByteView(p.data).subspan(p.offset));
        if (!n || *n == 0) break;
        r.bytesSent += *n;
        p.offset += *n;
        if (p.offset == p.data.size()) p.offset = 0, --p.repeatLeft;
    }
    if (!r.connected || p.repeatLeft > 0) return;
    if (p.closeAfter) {
        p.closeAfter = p.shutdownAfter = false;
        (void)tcp.close(now, r.socket);
    } else if (p.shutdownAfter) {
        p.shutdownAfter = false;
        (void)tcp.shutdown(now, r.socket);
    }
}

}  // namespace tcplab

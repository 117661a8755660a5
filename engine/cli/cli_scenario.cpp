// `--scenario NAME|FILE`: a scenario's rules, policies and services on the lab's hosts (the demo's
// "client" and "server", or on a tap the one host playing the scenario's "server"); SIGHUP reloads
// the file and applies rule and policy changes live (hit counters kept by rule name).
// `tcplab-cli scenarios` lists the built-in library.
#include <csignal>
#include <iostream>
#include <memory>
#include <poll.h>
#include <sys/eventfd.h>
#include <sys/signalfd.h>
#include <thread>
#include <unistd.h>

#include "cli/cli_options.h"
#include "cli/json_lines.h"
#include "host/engine_host.h"
#include "host/lab.h"
#include "rules/rule_engine.h"
#include "scenario/scenario_io.h"
#include "scenario/scenario_play.h"
#include "services/tcp_services.h"
#include "tcp/tcp_layer.h"

namespace tcplab {

namespace {

struct ScenarioCliState {
    std::string source;  // as given: a library name or a path
    std::optional<Scenario> scenario;
    std::vector<std::pair<std::string, RuleEngine *>> engines;  // scenario host name -> its engine
    std::vector<ScenarioHook *> hooks;                          // by host id
    TimelinePlayer *timeline = nullptr;
    std::vector<TcpLayer *> layers;
    int signalFd = -1, stopFd = -1;
    std::thread watcher;
};

// The scenario host a lab host plays: same name in the demo; on a tap, the host with services.
std::string roleOf(const Scenario &s, const Host &host, bool tap)
{
    if (!tap) return host.name();
    for (const auto &svc : s.services) return svc.host;
    return s.hosts.empty() ? std::string() : s.hosts.back().name;
}

Status applyServices(ScenarioCliState &st, CliContext &ctx, Host &host, TcpLayer &tcp, const std::string &role,
                     ScenarioHook &hook)
{
    for (const auto &svc : st.scenario->services) {
        if (svc.host != role) continue;
        if (svc.kind == "listen" || (svc.kind == "sink" && svc.readRate)) {
            // "listen" accepts nothing (the backlog fills); a sink with read_rate reads slowly.
            auto reader = std::make_unique<ScenarioRateReader>(tcp, svc.readRate.value_or(0));
            if (auto l = reader->listen(svc.port, svc.backlog, svc.kind == "sink"); !l)
                return Error{"scenario service " + svc.kind + ":" + std::to_string(svc.port) + ": " + l.error().message};
            hook.attach(reader.get());
            ctx.lab.keep(std::move(reader));
            continue;
        }
        auto s = startTcpService(tcp, ctx.lab.events(), host.id(), svc.port, svc.kind);
        if (!s) return Error{"scenario service " + svc.kind + ":" + std::to_string(svc.port) + ": " + s.error().message};
        ctx.lab.keep(std::move(s.value()));
    }
    return okStatus();
}

Status setup(ScenarioCliState &st, CliContext &ctx)
{
    if (st.source.empty()) return okStatus();
    auto s = loadScenarioByNameOrFile(st.source);
    if (!s) return Error{"--scenario: " + s.error().message};
    st.scenario = std::move(s.value());
    const bool tap = ctx.options.mode == CliOptions::Mode::Tap;
    for (std::size_t i = 0; i < ctx.lab.hostCount(); ++i) {
        Host &host = ctx.lab.host(static_cast<HostId>(i));
        const std::string role = roleOf(*st.scenario, host, tap);
        auto engine = std::make_unique<RuleEngine>(ctx.lab.rng());
        engine->setRules(st.scenario->rulesFor(role));
        RuleEngine &rules = ctx.lab.keep(std::move(engine));
        ScenarioHook &hook = ctx.lab.keep(std::make_unique<ScenarioHook>(rules));
        host.setPacketHook(&hook);
        st.engines.emplace_back(role, &rules);
        st.hooks.push_back(&hook);
        auto *tcp = dynamic_cast<TcpLayer *>(host.tcp());
        if (!tcp) return Error{"--scenario: host " + host.name() + " has no TCP layer"};
        tcp->config().closedPort = st.scenario->policies.closedPort;
        st.layers.push_back(tcp);
        if (auto r = applyServices(st, ctx, host, *tcp, role, hook); !r) return r;
    }
    if (st.scenario->timeline.empty()) return okStatus();
    if (tap) {
        std::cerr << "tcplab-cli: note: on a tap the scenario's client timeline is not played: the client is "
                     "whatever runs on the kernel side\n";
        return okStatus();
    }
    // Demo: the timeline plays on the lab's hosts by name, clocked by the first host's hook.
    Lab *lab = &ctx.lab;
    auto player = std::make_unique<TimelinePlayer>(
        st.scenario->timeline,
        [lab](std::string_view name) {
            Host *h = lab->findHost(name);
            return TimelinePlayer::HostRef{h, h ? dynamic_cast<TcpLayer *>(h->tcp()) : nullptr};
        },
        ctx.lab.events());
    st.timeline = &ctx.lab.keep(std::move(player));
    st.hooks.front()->attach(st.timeline);
    return okStatus();
}

// SIGHUP: reload the file on a small thread, then hand the new rules to the engine thread.
void watchReloads(ScenarioCliState *st, EngineHost *engine)
{
    for (;;) {
        pollfd fds[2] = {{st->signalFd, POLLIN, 0}, {st->stopFd, POLLIN, 0}};
        if (::poll(fds, 2, -1) < 0) continue;
        if (fds[1].revents & POLLIN) return;
        signalfd_siginfo info;
        if (::read(st->signalFd, &info, sizeof info) != sizeof info) continue;
        auto s = loadScenarioByNameOrFile(st->source);
        if (!s) {
            std::cerr << "tcplab-cli: SIGHUP: reload failed, rules unchanged:\n" << s.error().message << std::endl;
            continue;
        }
        auto fresh = std::make_shared<Scenario>(std::move(s.value()));
        engine->post([st, fresh](Lab &) {
            for (auto &[role, engine] : st->engines) engine->setRules(fresh->rulesFor(role));
            for (auto *tcp : st->layers) tcp->config().closedPort = fresh->policies.closedPort;
        });
        std::cerr << "tcplab-cli: SIGHUP: reloaded scenario \"" << fresh->name << "\" (" << fresh->rules.size() << " rules)" << std::endl;
    }
}

Status startWatcher(ScenarioCliState &st, CliContext &ctx)
{
    // Blocked before the engine thread starts, so every thread inherits the mask and SIGHUP is
    // only ever read from the signalfd.
    sigset_t hup;
    sigemptyset(&hup);
    sigaddset(&hup, SIGHUP);
    pthread_sigmask(SIG_BLOCK, &hup, nullptr);
    st.signalFd = ::signalfd(-1, &hup, SFD_CLOEXEC);
    st.stopFd = ::eventfd(0, EFD_CLOEXEC);
    if (st.signalFd < 0 || st.stopFd < 0) return Error{"--scenario: cannot watch SIGHUP: " + std::string(std::strerror(errno))};
    st.watcher = std::thread(watchReloads, &st, &ctx.engine);
    return okStatus();
}

void finish(ScenarioCliState &st, CliContext &ctx)
{
    if (st.watcher.joinable()) {
        const std::uint64_t one = 1;
        (void)!::write(st.stopFd, &one, sizeof one);
        st.watcher.join();
    }
    if (st.signalFd >= 0) ::close(st.signalFd);
    if (st.stopFd >= 0) ::close(st.stopFd);
    // The engine thread has stopped: reading the lab's objects directly is safe now.
    for (const auto &[role, engine] : st.engines)
        for (const auto &r : engine->status())
            ctx.out << "rule {\"host\":" << jsonString(role) << ",\"name\":" << jsonString(r.name) << ",\"hits\":" << r.hits
                    << "}\n";
    if (st.timeline)
        for (const auto &[id, c] : st.timeline->connections())
            ctx.out << "timeline {\"connection\":" << id << ",\"connected\":" << (c.connected ? "true" : "false")
                    << ",\"closed\":" << (c.closed ? "true" : "false") << ",\"error\":" << jsonString(c.error)
                    << ",\"bytes_sent\":" << c.bytesSent << ",\"bytes_received\":" << c.bytesReceived << "}\n";
}

}  // namespace

int runScenarioList(std::ostream &out)
{
    for (const auto &b : builtinScenarios()) {
        auto s = loadScenario(b.text, b.name);
        out << b.name << "\t" << (s ? s->title : "(invalid: " + s.error().message + ")") << "\n";
    }
    return 0;
}

CliExtension scenarioCliExtension()
{
    auto st = std::make_shared<ScenarioCliState>();
    CliExtension e;
    e.name = "scenario";
    e.options = {{"scenario", "NAME|FILE",
                  "play a scenario's rules, policies and services (a library name, see `tcplab-cli scenarios`, or a "
                  ".toml file); SIGHUP reloads it",
                  [st](CliOptions &, std::string_view v) -> Status {
                      st->source = std::string(v);
                      return okStatus();
                  }}};
    e.setup = [st](CliContext &ctx) -> Status {
        if (auto s = setup(*st, ctx); !s) return s;
        return st->scenario ? startWatcher(*st, ctx) : okStatus();
    };
    e.finish = [st](CliContext &ctx) { finish(*st, ctx); };
    e.readyNote = [st]() { return st->scenario ? "scenario=" + st->scenario->name : std::string(); };
    return e;
}

}  // namespace tcplab

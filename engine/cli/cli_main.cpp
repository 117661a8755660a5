// tcplab-cli: the engine headless, on a tap or on the demo network. See cli_options.h for the
// command-line contract.
#include <cerrno>
#include <csignal>
#include <cstring>
#include <fstream>
#include <iostream>
#include <poll.h>
#include <sys/signalfd.h>
#include <sys/timerfd.h>
#include <unistd.h>

#include <spdlog/sinks/stdout_color_sinks.h>

#include "cli/cli_capture.h"
#include "cli/cli_options.h"
#include "cli/json_lines.h"
#include "host/engine_host.h"
#include "host/lab.h"
#include "services/udp_echo.h"

using namespace tcplab;

namespace tcplab {
int runScenarioList(std::ostream &out);  // cli_scenario.cpp
}

namespace {

int fail(const std::string &message, int code = 1)
{
    std::cerr << "tcplab-cli: " << message << std::endl;
    return code;
}

MacAddr defaultMac(const IpPrefix &ip4)
{
    // Locally administered, unicast, and different for every address in a /8.
    const std::uint32_t v = ip4.addr.v4().value;
    return MacAddr{{0x02, 0x54, 0x4c, std::uint8_t(v >> 16), std::uint8_t(v >> 8), std::uint8_t(v)}};
}

Expected<std::unique_ptr<Lab>> buildLab(const CliOptions &o)
{
    if (o.mode == CliOptions::Mode::Demo) {
        DemoLabConfig config;
        config.seed = o.seed;
        return Lab::demo(std::move(config));
    }
    TapLabConfig config;
    config.seed = o.seed;
    config.tap.name = o.tap;
    config.tap.offload = o.offload;
    config.host.name = "tcplab";
    config.host.mac = o.mac ? *o.mac : defaultMac(*o.ip4);
    config.host.addresses.push_back(*o.ip4);
    if (o.ip6) config.host.addresses.push_back(*o.ip6);
    config.host.gateway4 = o.gateway4;
    config.host.gateway6 = o.gateway6;
    return Lab::tap(std::move(config));
}

Status startListeners(CliContext &ctx, std::vector<CliExtension> &extensions)
{
    // In the demo the services run on the server; on a tap, on the only host.
    Host &host = ctx.lab.host(ctx.lab.hostCount() - 1);
    for (const ListenSpec &spec : ctx.options.listens) {
        if (spec.udp) {
            auto service = startUdpService(host, spec.port, spec.service);
            if (!service) return Error{"--listen " + spec.text + ": " + service.error().message};
            ctx.lab.keep(std::move(service.value()));
            continue;
        }
        bool handled = false;
        for (auto &e : extensions) {
            if (!e.listen) continue;
            if (auto s = e.listen(ctx, spec)) {
                if (!*s) return Error{"--listen " + spec.text + ": " + s->error().message};
                handled = true;
                break;
            }
        }
        if (!handled) return Error{"--listen " + spec.text + ": no TCP service \"" + spec.service + "\" in this build"};
    }
    return okStatus();
}

std::string readyLine(const CliOptions &o, Lab &lab, const std::vector<CliExtension> &extensions)
{
    std::string line = "ready";
    if (o.mode == CliOptions::Mode::Tap) {
        const Host &h = lab.host(0);
        line += " mode=tap tap=" + o.tap + " mac=" + h.mac().toString() + " ip4=" + o.ip4->toString();
        if (o.ip6) line += " ip6=" + o.ip6->toString();
        if (const auto *tap = dynamic_cast<const TapLink *>(h.link()))
            line += tap->offloading() ? " offload=on" : " offload=off";
    } else {
        line += " mode=demo client=198.18.0.1 server=198.18.0.2";
    }
    for (const auto &l : o.listens) line += " listen=" + l.text;
    for (const auto &e : extensions)
        if (e.readyNote)
            if (const std::string note = e.readyNote(); !note.empty()) line += " " + note;
    return line;
}

void writeStats(Lab &lab, std::ostream &out, std::ostream *events, const std::vector<std::string> &names)
{
    for (std::size_t i = 0; i < lab.hostCount(); ++i) {
        const Host &h = lab.host(static_cast<HostId>(i));
        Event e;
        e.time = lab.now();
        e.kind = EventKind::Counter;
        e.host = h.id();
        e.name = "host-counters";
        e.detail = "counters of host " + h.name() + " at exit";
        for (const auto &[name, value] : h.counters().all()) e.fields.emplace_back(std::string(name), std::to_string(value));
        const auto &arp = h.arpCache().counters();
        e.fields.emplace_back("arp-gave-up", std::to_string(arp.gaveUp));
        e.fields.emplace_back("nd-gave-up", std::to_string(h.ndCache().counters().gaveUp));
        if (h.link()) {
            const LinkCounters lc = h.link()->counters();
            e.fields.emplace_back("link-rx-frames", std::to_string(lc.rxFrames));
            e.fields.emplace_back("link-tx-frames", std::to_string(lc.txFrames));
            e.fields.emplace_back("link-tx-errors", std::to_string(lc.txErrors + lc.txQueueDrops));
            // Offloads (IFF_VNET_HDR): segments the kernel cut for us, large segments it handed over.
            e.fields.emplace_back("link-tx-gso-frames", std::to_string(lc.txGsoFrames));
            e.fields.emplace_back("link-rx-gso-frames", std::to_string(lc.rxGsoFrames));
            e.fields.emplace_back("link-rx-checksums-completed", std::to_string(lc.rxChecksumsCompleted));
            // Received frames read straight into the capture's store (no copy to record them).
            e.fields.emplace_back("link-rx-into-store", std::to_string(lc.rxIntoRoom));
        }
        out << "stats {\"host\":" << jsonString(h.name()) << ",\"counters\":{";
        for (std::size_t k = 0; k < e.fields.size(); ++k)
            out << (k ? "," : "") << jsonString(e.fields[k].first) << ':' << e.fields[k].second;
        out << "}}\n";
        if (events) writeEventJson(*events, e, names);
    }
    out.flush();
}

// Waits for SIGINT/SIGTERM or the duration, writing events as they come.
void runUntilDone(EngineHost &engine, const CliOptions &o, std::ostream *events, const std::vector<std::string> &names,
                  int signalFd)
{
    const int timerFd = ::timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC | TFD_NONBLOCK);
    if (o.durationSeconds) {
        const auto ns = static_cast<long long>(*o.durationSeconds * 1e9);
        itimerspec spec{};
        spec.it_value.tv_sec = ns / 1'000'000'000;
        spec.it_value.tv_nsec = std::max(1LL, ns % 1'000'000'000);
        ::timerfd_settime(timerFd, 0, &spec, nullptr);
    }
    for (;;) {
        pollfd fds[3] = {{signalFd, POLLIN, 0}, {timerFd, POLLIN, 0}, {engine.eventFd(), POLLIN, 0}};
        if (::poll(fds, 3, -1) < 0 && errno != EINTR) break;
        if (fds[2].revents & POLLIN) {
            for (const Event &e : engine.drainEvents(4096))
                if (events) writeEventJson(*events, e, names);
        }
        if ((fds[0].revents & POLLIN) || (fds[1].revents & POLLIN)) break;
    }
    ::close(timerFd);
}

}  // namespace

int main(int argc, char **argv)
{
    std::vector<std::string> args(argv + 1, argv + argc);
    // `tcplab-cli inspect FILE`: the sessions of any capture as text flows (cli_capture.cpp).
    if (!args.empty() && args[0] == "inspect")
        return cli::runInspect(std::vector<std::string>(args.begin() + 1, args.end()), std::cout, std::cerr);
    // `tcplab-cli scenarios`: the built-in scenario library (cli_scenario.cpp).
    if (!args.empty() && args[0] == "scenarios") return runScenarioList(std::cout);
    std::vector<CliExtension> extensions = cliExtensions();
    auto parsed = parseCliArgs(args, extensions);
    if (!parsed) return fail(parsed.error().message, 2);
    const CliOptions &o = parsed.value();
    if (o.help) {
        std::cout << cliUsage(extensions);
        return 0;
    }
    if (o.version) {
        std::cout << "tcplab-cli " << TCPLAB_VERSION << '\n';
        return 0;
    }

    // Signals go to the signalfd only: block them before any thread starts (threads inherit it).
    sigset_t signals;
    sigemptyset(&signals);
    sigaddset(&signals, SIGINT);
    sigaddset(&signals, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &signals, nullptr);
    const int signalFd = ::signalfd(-1, &signals, SFD_CLOEXEC | SFD_NONBLOCK);

    auto lab = buildLab(o);
    if (!lab) return fail(lab.error().message);
    auto level = LogHub::parseLevel(o.logLevel);
    lab.value()->logs().addSink(std::make_shared<spdlog::sinks::stderr_color_sink_mt>());
    lab.value()->logs().setLevel("all", *level);

    std::ofstream eventsFile;
    if (!o.eventsPath.empty()) {
        eventsFile.open(o.eventsPath, std::ios::out | std::ios::trunc);
        if (!eventsFile) return fail("cannot open events file \"" + o.eventsPath + "\": " + std::strerror(errno));
    }
    std::ostream *events = o.eventsPath.empty() ? nullptr : &eventsFile;
    std::vector<std::string> hostNames;
    for (std::size_t i = 0; i < lab.value()->hostCount(); ++i) hostNames.push_back(lab.value()->host(static_cast<HostId>(i)).name());

    Lab &labRef = *lab.value();
    EngineHost engine(std::move(lab.value()));
    CliContext ctx{o, labRef, engine, std::cout};
    for (auto &e : extensions) {
        if (!e.setup) continue;
        if (auto s = e.setup(ctx); !s) return fail(s.error().message);
    }
    if (auto s = startListeners(ctx, extensions); !s) return fail(s.error().message);
    if (auto s = engine.start(); !s) return fail(s.error().message);
    if (o.mode == CliOptions::Mode::Tap)
        if (const auto *tap = dynamic_cast<const TapLink *>(labRef.host(0).link()))
            std::cerr << "tcplab-cli: " << tap->offloadStatus() << std::endl;
    std::cout << readyLine(o, labRef, extensions) << std::endl;

    runUntilDone(engine, o, events, hostNames, signalFd);

    engine.stop();
    for (auto batch = engine.drainEvents(65536); !batch.empty(); batch = engine.drainEvents(65536))
        for (const Event &e : batch)
            if (events) writeEventJson(*events, e, hostNames);
    writeStats(labRef, std::cout, events, hostNames);
    for (auto &e : extensions)
        if (e.finish) e.finish(ctx);  // reads kept objects (rule hit counters): before the teardown
    // The lab's teardown (host/lab.h): services abort what is still open (RSTs on the wire), TCP
    // goes, kept objects go, sinks are let go. Explicit here, while every sink is still alive.
    engine.shutdown();
    if (events) {
        eventsFile.flush();
        if (!eventsFile) return fail("writing events file \"" + o.eventsPath + "\" failed: " + std::strerror(errno));
    }
    labRef.logs().flush();
    ::close(signalFd);
    return 0;
}

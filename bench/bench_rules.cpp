// Rule evaluation cost. Prints JSON:
//  - per packet: the host's own per-packet work on a TCP segment (locate + checksum verify) with no
//    hook, then with a RuleEngine holding 0, 10 and 100 rules that do not match, as ns/packet and as
//    a ratio to the no-hook path measured in the same run (target: 100 rules add < 100 ns);
//  - bulk: a 16 MB transfer on the demo network in virtual time, with and without 10 non-matching
//    rules on each host, as wall-clock throughput and its ratio (target: within 10 %).
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <vector>

#include "rules/packet_edit.h"
#include "rules/rule_engine.h"
#include "scenario/scenario_run.h"
#include "wire/tcp.h"

using namespace tcplab;

namespace {

struct NullActions final : HookActions {
    void sendToWire(Instant, Bytes) override {}
    void deliverToStack(Instant, Bytes) override {}
    void reportHit(Event) override {}
};

// Rules of the kinds a lab really holds, none of which matches established data on port 8000
// (with `otherPort`, none matches anything of a connection to port 8000 at all).
std::vector<Rule> nonMatching(int n, bool otherPort = false)
{
    std::vector<Rule> out;
    for (int i = 0; i < n; ++i) {
        Rule r;
        r.name = "r" + std::to_string(i);
        switch (i % 5) {
        case 0:
            r.match.flagsSet = TcpFlags::kSyn;
            r.match.flagsClear = TcpFlags::kAck;
            break;
        case 1: r.match.states = {TcpState::None, TcpState::Listen}; break;
        case 2: r.match.flagsSet = TcpFlags::kRst; break;
        case 3: r.match.localPort = PortRange{std::uint16_t(9000 + i), std::uint16_t(9000 + i)}; break;
        case 4:
            r.match.flagsSet = TcpFlags::kFin;
            r.match.payloadContains = {'x', 'y'};
            break;
        }
        if (otherPort) r.match.remotePort = PortRange{1, 1};
        r.hook = i % 7 == 6 ? HookPoint::Egress : HookPoint::Ingress;
        r.actions = {DropAction{}};
        out.push_back(std::move(r));
    }
    return out;
}

std::vector<Bytes> packets()
{
    std::vector<Bytes> out;
    for (int i = 0; i < 64; ++i) {
        CraftedSegment s;
        s.src = {*IpAddr::parse("198.18.0.1"), 40000};
        s.dst = {*IpAddr::parse("198.18.0.2"), 8000};
        s.flags = TcpFlags::kAck | TcpFlags::kPsh;
        s.seq = 1000u + 1448u * std::uint32_t(i);
        s.ack = 1;
        s.window = 65535;
        s.payload = Bytes(1448, std::uint8_t(i));
        out.push_back(buildCraftedPacket(s));
    }
    return out;
}

// ns per packet of the host's own checks, plus the hook when `engine` is set.
double measure(RuleEngine *engine, std::vector<Bytes> &pkts, int rounds, bool withChecks = true)
{
    NullActions actions;
    HookPacket hp;
    hp.point = HookPoint::Ingress;
    hp.tcb.state = TcpState::Established;
    std::uint64_t sink = 0;
    const auto t0 = std::chrono::steady_clock::now();
    for (int r = 0; r < rounds; ++r) {
        for (auto &p : pkts) {
            if (withChecks) {
                const auto loc = locateTcp(p);
                const ByteView seg = ByteView(p).subspan(loc->tcpOffset, loc->tcpLength);
                sink += verifyTcpChecksum(seg, ipSource(p), ipDestination(p));
            }
            if (engine) {
                hp.ip.swap(p); // no copy: the hook edits the packet in place
                sink += static_cast<std::uint64_t>(engine->onPacket(Instant{}, hp, actions));
                hp.ip.swap(p);
            }
        }
    }
    const auto t1 = std::chrono::steady_clock::now();
    if (sink == 42) std::puts("");
    return double(std::chrono::duration_cast<std::chrono::nanoseconds>(t1 - t0).count()) /
           (double(rounds) * pkts.size());
}

double bulkSeconds(bool withRules, std::uint64_t bytes)
{
    Scenario s;
    s.name = "bench";
    s.hosts = {{"client", {*IpPrefix::parse("198.18.0.1/24")}, {}, {}},
               {"server", {*IpPrefix::parse("198.18.0.2/24")}, {}, {}}};
    s.network.wire.latency = std::chrono::milliseconds(1);
    s.services = {{"server", "discard", 8000, 128, {}, {}, {}, {}}};
    if (withRules)
        for (const char *host : {"client", "server"})
            for (auto &r : nonMatching(10, true))
                s.rules.push_back({host, r, {}});
    TimelineStep c;
    c.host = "client";
    c.to = Endpoint{*IpAddr::parse("198.18.0.2"), 8000};
    TimelineStep d = c;
    d.verb = TimelineVerb::Send;
    d.data = Bytes(65536, 'x');
    d.repeat = bytes / 65536;
    d.at = std::chrono::milliseconds(50);
    s.timeline = {c, d};
    auto run = ScenarioRun::demo(s);
    if (!run) return -1;
    const auto t0 = std::chrono::steady_clock::now();
    (*run)->start(Instant{});
    Instant t{};
    while ((*run)->connections().count(1) == 0 || (*run)->connections().at(1).bytesSent < bytes) {
        t += std::chrono::milliseconds(100);
        (*run)->runUntil(t);
        if (t > Instant{} + std::chrono::seconds(600)) return -1;
    }
    (*run)->runUntil(t + std::chrono::seconds(5)); // drain
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

} // namespace

int main()
{
    Rng rng(1);
    auto pkts = packets();
    const int rounds = 20000;
    measure(nullptr, pkts, rounds / 10); // warm up
    const double base = measure(nullptr, pkts, rounds);
    std::printf("{\n  \"bench\": \"rules\",\n  \"packet_bytes\": %zu,\n  \"no_hook_ns_per_packet\": %.1f,\n",
                pkts[0].size(), base);
    for (int n : {0, 10, 100}) {
        RuleEngine engine(rng);
        engine.setRules(nonMatching(n));
        const double ns = measure(&engine, pkts, rounds);
        // The hook alone (best of 3, the machine is shared), against the hook with no rules.
        double hookOnly = 1e18;
        for (int k = 0; k < 3; ++k)
            hookOnly = std::min(hookOnly, measure(&engine, pkts, rounds, false));
        std::printf("  \"rules_%d\": {\"ns_per_packet\": %.1f, \"ratio_to_no_hook\": %.3f, \"hook_only_ns\": "
                    "%.1f},\n",
                    n, ns, ns / base, hookOnly);
    }
    const std::uint64_t bytes = 16u << 20;
    const double plain = bulkSeconds(false, bytes), ruled = bulkSeconds(true, bytes);
    std::printf(
        "  \"bulk_16MiB_seconds\": {\"no_rules\": %.3f, \"rules_10\": %.3f, \"throughput_ratio\": %.3f}\n}\n",
        plain, ruled, plain / ruled);
    return 0;
}

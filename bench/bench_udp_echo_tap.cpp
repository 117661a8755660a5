// UDP echo round trips per second against the Linux kernel over a tap, in a network namespace
// this program creates (and deletes). Two servers answer the same kernel client in one run:
//   reference: a raw loop on the tap fd that turns each request frame into its reply by swapping
//              addresses and ports (no stack at all: the fastest a tap allows);
//   engine:    tcplab's Lab on a TapLink with the UDP echo service, on the EngineHost thread.
// The figure is engine / reference. Bounded: at most N round trips in all and 10 s per phase and
// round. Needs root;
// otherwise prints {"skipped": reason}.
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <poll.h>
#include <sched.h>
#include <string>
#include <sys/socket.h>
#include <thread>
#include <unistd.h>

#include "host/engine_host.h"
#include "host/lab.h"
#include "link/tap_link.h"
#include "services/udp_echo.h"

using namespace tcplab;

namespace {

constexpr const char *kKernelIp = "198.18.0.1";
constexpr const char *kEngineIp = "198.18.0.2";
constexpr const char *kEngineMac = "02:54:4c:12:00:02";

bool sh(const std::string &cmd) { return std::system((cmd + " >/dev/null 2>&1").c_str()) == 0; }

// The namespace and tap, removed by the destructor whatever happens.
struct Namespace {
    std::string ns, tap;
    bool ok = false;
    Namespace()
    {
        const auto id = std::to_string(::getpid());
        ns = "tcplab-bench-" + id;
        tap = "tlbench" + id.substr(0, 7);
        ok = sh("ip netns add " + ns) && sh("ip netns exec " + ns + " ip link set lo up") &&
             sh("ip netns exec " + ns + " ip tuntap add dev " + tap + " mode tap") &&
             sh("ip netns exec " + ns + " ip link set " + tap + " up") &&
             sh("ip netns exec " + ns + " ip addr add " + std::string(kKernelIp) + "/24 dev " + tap) &&
             // A permanent neighbour: the raw loop answers no ARP.
             sh("ip netns exec " + ns + " ip neigh add " + kEngineIp + " lladdr " + kEngineMac + " dev " + tap + " nud permanent");
        if (ok) {
            const int fd = ::open(("/run/netns/" + ns).c_str(), O_RDONLY | O_CLOEXEC);
            ok = fd >= 0 && ::setns(fd, CLONE_NEWNET) == 0;
            if (fd >= 0) ::close(fd);
        }
    }
    ~Namespace() { sh("ip netns del " + ns); }
};

struct ClientResult {
    std::uint64_t roundTrips = 0;
    double seconds = 0;
};

// The kernel side: one UDP socket, request/response, until `count` or 10 s.
ClientResult runClient(std::uint64_t count)
{
    ClientResult r;
    const int s = ::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    sockaddr_in to{};
    to.sin_family = AF_INET;
    to.sin_port = htons(7);
    ::inet_pton(AF_INET, kEngineIp, &to.sin_addr);
    ::connect(s, reinterpret_cast<sockaddr *>(&to), sizeof to);
    char buf[2048];
    const char payload[64] = "tcplab bench";
    const auto start = std::chrono::steady_clock::now();
    const auto limit = start + std::chrono::seconds(10);
    while (r.roundTrips < count && std::chrono::steady_clock::now() < limit) {
        if (::send(s, payload, sizeof payload, 0) < 0) break;
        pollfd p{s, POLLIN, 0};
        if (::poll(&p, 1, 1000) <= 0) continue;  // lost: send again
        if (::recv(s, buf, sizeof buf, 0) == static_cast<ssize_t>(sizeof payload)) ++r.roundTrips;
    }
    r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    ::close(s);
    return r;
}

// The reference server: IPv4/UDP to port 7 is swapped into its reply and written back. The IP
// and UDP checksums survive a swap of source and destination (the sums are commutative).
void rawEcho(TapLink &tap, std::atomic<bool> &stop)
{
    const MacAddr engineMac = *MacAddr::parse(kEngineMac);
    while (!stop) {
        pollfd p{tap.fd(), POLLIN, 0};
        if (::poll(&p, 1, 50) <= 0) continue;
        tap.drain(Instant{}, 64, [&](const ReceivedFrame &received) {
            const ByteView f = received.bytes;
            if (f.size() < 42 || loadBe16(f.data() + 12) != 0x0800 || f[23] != 17) return;
            const std::size_t ihl = std::size_t(f[14] & 0x0f) * 4;
            if (f.size() < 14 + ihl + 8 || loadBe16(f.data() + 14 + ihl + 2) != 7) return;
            Bytes r(f.begin(), f.end());
            std::copy(f.begin() + 6, f.begin() + 12, r.begin());  // dst MAC = their source
            std::copy(engineMac.b.begin(), engineMac.b.end(), r.begin() + 6);
            std::swap_ranges(r.begin() + 26, r.begin() + 30, r.begin() + 30);  // IPv4 addresses
            std::swap_ranges(r.begin() + 14 + ihl, r.begin() + 14 + ihl + 2, r.begin() + 14 + ihl + 2);  // ports
            tap.transmit(Instant{}, r);
        });
    }
}

}  // namespace

int main(int argc, char **argv)
{
    const std::uint64_t count = argc > 1 ? std::stoull(argv[1]) : 20000;
    if (::geteuid() != 0) {
        std::printf("{\"bench\":\"udp_echo_tap\",\"skipped\":\"needs root (network namespace and tap)\"}\n");
        return 0;
    }
    Namespace ns;
    if (!ns.ok) {
        std::printf("{\"bench\":\"udp_echo_tap\",\"skipped\":\"cannot set up namespace %s with tap %s\"}\n", ns.ns.c_str(),
                    ns.tap.c_str());
        return 0;
    }

    // The machine is shared and noisy: alternate the two servers in rounds so that both see the
    // same background, and add up each one's rounds.
    constexpr int kRounds = 4;
    ClientResult raw, engine;
    auto add = [](ClientResult &total, const ClientResult &r) {
        total.roundTrips += r.roundTrips;
        total.seconds += r.seconds;
    };
    for (int round = 0; round < kRounds; ++round) {
        {
            auto tap = TapLink::open(TapOptions{ns.tap});
            if (!tap) {
                std::printf("{\"bench\":\"udp_echo_tap\",\"error\":\"%s\"}\n", tap.error().message.c_str());
                return 1;
            }
            std::atomic<bool> stop{false};
            std::thread server([&] { rawEcho(**tap, stop); });
            if (round == 0) (void)runClient(count / 10);  // warm-up: no phase pays for a cold path
            add(raw, runClient(count / kRounds));
            stop = true;
            server.join();
        }
        {
            TapLabConfig config;
            config.tap.name = ns.tap;
            config.host.mac = *MacAddr::parse(kEngineMac);
            config.host.addresses.push_back(*IpPrefix::parse(std::string(kEngineIp) + "/24"));
            auto lab = Lab::tap(config);
            if (!lab) {
                std::printf("{\"bench\":\"udp_echo_tap\",\"error\":\"%s\"}\n", lab.error().message.c_str());
                return 1;
            }
            auto echo = UdpEchoService::start(lab.value()->host(0), 7);
            lab.value()->keep(std::move(echo.value()));
            EngineHost host(std::move(lab.value()));
            (void)host.start();
            add(engine, runClient(count / kRounds));
            host.stop();
        }
    }

    const double rawRate = raw.roundTrips / raw.seconds, engineRate = engine.roundTrips / engine.seconds;
    std::printf("{\"bench\":\"udp_echo_tap\",\"round_trips_requested\":%llu,"
                "\"raw_tap\":{\"round_trips\":%llu,\"seconds\":%.3f,\"per_s\":%.0f},"
                "\"engine\":{\"round_trips\":%llu,\"seconds\":%.3f,\"per_s\":%.0f},\"engine_vs_raw\":%.3f}\n",
                static_cast<unsigned long long>(count), static_cast<unsigned long long>(raw.roundTrips), raw.seconds,
                rawRate, static_cast<unsigned long long>(engine.roundTrips), engine.seconds, engineRate,
                rawRate > 0 ? engineRate / rawRate : 0.0);
    return 0;
}

// Bulk TCP throughput, in one run, as JSON:
//   kernel_to_engine / engine_to_kernel: tcplab on a tap (EngineHost thread) with the sink and
//                    source services, the Linux kernel as peer, in a namespace this program makes;
//   raw_tap_receive: the ceiling: a loop on the tap fd that ACKs every frame, no stack at all;
//   kernel_kernel:   two namespaces joined by a veth pair, the reference users know.
// Ratios engine / raw loop and engine / kernel are printed with the figures. Bounded: BYTES per
// transfer (default 200 MB, argv[1]) and 20 s per phase. Needs root (otherwise every entry says
// why it was skipped).
#include <arpa/inet.h>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <linux/if.h>
#include <linux/if_tun.h>
#include <netinet/in.h>
#include <poll.h>
#include <sched.h>
#include <string>
#include <sys/ioctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <thread>
#include <unistd.h>

#include "host/engine_host.h"
#include "host/lab.h"
#include "services/tcp_services.h"
#include "tcp/tcp_layer.h"
#include "core/checksum.h"
#include "wire/tcp.h"

using namespace tcplab;
using Clock = std::chrono::steady_clock;

namespace {

constexpr const char *kKernelIp = "198.18.0.1";
constexpr const char *kEngineIp = "198.18.0.2";
constexpr const char *kEngineMac = "02:54:4c:12:00:02";

bool sh(const std::string &cmd) { return std::system((cmd + " >/dev/null 2>&1").c_str()) == 0; }

double cpuSeconds()
{
    rusage u{};
    ::getrusage(RUSAGE_SELF, &u);
    return double(u.ru_utime.tv_sec + u.ru_stime.tv_sec) + double(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
}

struct Figure {
    double gbit = 0, seconds = 0, cpuUsPerMb = 0;
    std::string skipped;
};

std::string json(const Figure &f)
{
    if (!f.skipped.empty()) return "{\"skipped\":\"" + f.skipped + "\"}";
    char b[200];
    std::snprintf(b, sizeof b, "{\"gbit_per_s\":%.3f,\"seconds\":%.3f,\"cpu_us_per_mb\":%.1f}", f.gbit, f.seconds, f.cpuUsPerMb);
    return b;
}

// ---- namespaces

struct Namespaces {
    std::string ns, ns2, tap;
    bool ok = false;
    Namespaces()
    {
        const auto id = std::to_string(::getpid());
        ns = "tcplab-tcpbench-" + id;
        ns2 = "tcplab-tcpbench2-" + id;
        tap = "tltcp" + id.substr(0, 8);
        const std::string e = "ip netns exec " + ns + " ";
        ok = sh("ip netns add " + ns) && sh(e + "ip link set lo up") && sh(e + "ip tuntap add dev " + tap + " mode tap") &&
             sh(e + "ip link set " + tap + " up") && sh(e + "ip addr add " + kKernelIp + "/24 dev " + tap) &&
             sh(e + "ip neigh replace " + kEngineIp + " lladdr " + kEngineMac + " dev " + tap + " nud permanent") &&
             // The reference: a veth pair to a second namespace (10.x is not used: 198.19.0.0/24).
             sh("ip netns add " + ns2) && sh(e + "ip link add vb0 type veth peer name vb1 netns " + ns2) &&
             sh(e + "ip addr add 198.19.0.1/24 dev vb0") && sh(e + "ip link set vb0 up") &&
             sh("ip netns exec " + ns2 + " ip addr add 198.19.0.2/24 dev vb1") &&
             sh("ip netns exec " + ns2 + " ip link set vb1 up") && sh("ip netns exec " + ns2 + " ip link set lo up");
    }
    ~Namespaces()
    {
        sh("ip netns del " + ns);
        sh("ip netns del " + ns2);
    }
    static bool enter(const std::string &name)
    {
        const int fd = ::open(("/run/netns/" + name).c_str(), O_RDONLY | O_CLOEXEC);
        const bool ok = fd >= 0 && ::setns(fd, CLONE_NEWNET) == 0;
        if (fd >= 0) ::close(fd);
        return ok;
    }
};

int connectTo(const char *ip, int port)
{
    const int s = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in to{};
    to.sin_family = AF_INET;
    to.sin_port = htons(std::uint16_t(port));
    ::inet_pton(AF_INET, ip, &to.sin_addr);
    timeval tv{20, 0};
    ::setsockopt(s, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    ::setsockopt(s, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
    if (::connect(s, reinterpret_cast<sockaddr *>(&to), sizeof to) != 0) {
        ::close(s);
        return -1;
    }
    return s;
}

// Kernel sends `bytes` then waits for the peer's FIN; returns seconds, or -1.
double kernelSend(const char *ip, int port, std::uint64_t bytes)
{
    const int s = connectTo(ip, port);
    if (s < 0) return -1;
    static char buf[1 << 16];
    const auto t0 = Clock::now();
    std::uint64_t sent = 0;
    while (sent < bytes) {
        const ssize_t n = ::send(s, buf, std::min<std::uint64_t>(sizeof buf, bytes - sent), 0);
        if (n <= 0) break;
        sent += std::uint64_t(n);
    }
    ::shutdown(s, SHUT_WR);
    char c;
    while (::recv(s, &c, 1, 0) > 0) {
    }
    ::close(s);
    return sent == bytes ? std::chrono::duration<double>(Clock::now() - t0).count() : -1;
}

// Kernel reads `bytes` then closes.
double kernelReceive(const char *ip, int port, std::uint64_t bytes)
{
    const int s = connectTo(ip, port);
    if (s < 0) return -1;
    static char buf[1 << 16];
    const auto t0 = Clock::now();
    std::uint64_t got = 0;
    while (got < bytes) {
        const ssize_t n = ::recv(s, buf, sizeof buf, 0);
        if (n <= 0) break;
        got += std::uint64_t(n);
    }
    const double secs = std::chrono::duration<double>(Clock::now() - t0).count();
    ::close(s);
    return got >= bytes ? secs : -1;
}

Figure figure(double secs, std::uint64_t bytes, double cpu)
{
    Figure f;
    if (secs <= 0) {
        f.skipped = "transfer failed or timed out";
        return f;
    }
    f.seconds = secs;
    f.gbit = double(bytes) * 8 / secs / 1e9;
    f.cpuUsPerMb = cpu * 1e6 / (double(bytes) / 1e6);
    return f;
}

// ---- the raw tap loop: answers the handshake and ACKs every data frame, nothing else.

Figure rawTapReceive(const std::string &tap, std::uint64_t bytes)
{
    const int fd = ::open("/dev/net/tun", O_RDWR | O_CLOEXEC);
    ifreq ifr{};
    std::strncpy(ifr.ifr_name, tap.c_str(), IFNAMSIZ - 1);
    ifr.ifr_flags = IFF_TAP | IFF_NO_PI;
    if (fd < 0 || ::ioctl(fd, TUNSETIFF, &ifr) != 0) return {0, 0, 0, "cannot attach to the tap"};
    std::atomic<bool> stop{false};
    std::atomic<std::uint64_t> got{0};
    const double cpu0 = cpuSeconds();
    std::thread loop([&] {
        std::uint8_t frame[65536];
        const MacAddr engineMac = *MacAddr::parse(kEngineMac);
        SeqNum rcvNxt;
        const IpAddr me(*Ip4Addr::parse(kEngineIp)), peer(*Ip4Addr::parse(kKernelIp));
        while (!stop) {
            pollfd p{fd, POLLIN, 0};
            if (::poll(&p, 1, 100) <= 0) continue;
            const ssize_t n = ::read(fd, frame, sizeof frame);
            if (n < 54 || frame[12] != 0x08 || frame[13] != 0x00 || frame[23] != 6) continue;
            const std::size_t ihl = std::size_t(frame[14] & 15) * 4;
            const std::size_t total = loadBe16(frame + 16);
            const TcpView t = TcpView::unchecked(ByteView(frame + 14 + ihl, total - ihl));
            TcpHeader h;
            h.sourcePort = t.destinationPort();
            h.destinationPort = t.sourcePort();
            h.window = 0xffff;
            if (t.flags().syn()) {
                rcvNxt = t.seq() + 1;
                h.seq = SeqNum(1);
                h.flags = TcpFlags(TcpFlags::kSyn | TcpFlags::kAck);
                h.options.mss = 1460;
                h.options.windowScale = 7;
            } else {
                if (t.seq() == rcvNxt) {
                    rcvNxt += static_cast<std::uint32_t>(t.payload().size());
                    got += t.payload().size();
                }
                if (t.flags().fin()) rcvNxt += 1;
                if (t.payload().empty() && !t.flags().fin()) continue;
                h.seq = SeqNum(2);
                h.flags = TcpFlags(TcpFlags::kAck | (t.flags().fin() ? TcpFlags::kFin : 0));
            }
            h.ack = rcvNxt;
            Bytes out(frame + 6, frame + 12);  // destination = the kernel's MAC
            out.insert(out.end(), engineMac.b.begin(), engineMac.b.end());
            out.push_back(0x08);
            out.push_back(0x00);
            const Bytes seg = serializeTcp(h, {}, me, peer);
            const std::size_t ipStart = out.size();
            out.resize(ipStart + 20);
            std::uint8_t *q = out.data() + ipStart;
            q[0] = 0x45;
            storeBe16(q + 2, static_cast<std::uint16_t>(20 + seg.size()));
            q[6] = 0x40;
            q[8] = 64;
            q[9] = 6;
            storeBe32(q + 12, me.v4().value);
            storeBe32(q + 16, peer.v4().value);
            storeBe16(q + 10, internetChecksum(ByteView(q, 20)));
            out.insert(out.end(), seg.begin(), seg.end());
            (void)!::write(fd, out.data(), out.size());
        }
    });
    const double secs = kernelSend(kEngineIp, 5001, bytes);
    stop = true;
    loop.join();
    ::close(fd);
    return figure(secs, bytes, cpuSeconds() - cpu0);
}

}  // namespace

int main(int argc, char **argv)
{
    const std::uint64_t bytes = argc > 1 ? std::strtoull(argv[1], nullptr, 10) : 200'000'000ull;
    Figure k2e, e2k, raw, kk;
    if (::geteuid() != 0) {
        k2e.skipped = e2k.skipped = raw.skipped = kk.skipped = "needs root (network namespaces and a tap)";
    } else {
        Namespaces ns;
        if (!ns.ok || !Namespaces::enter(ns.ns)) {
            k2e.skipped = e2k.skipped = raw.skipped = kk.skipped = "cannot create the namespaces, tap and veth";
        } else {
            raw = rawTapReceive(ns.tap, bytes);
            {
                TapLabConfig cfg;
                cfg.tap.name = ns.tap;
                cfg.host.name = "tcplab";
                cfg.host.mac = *MacAddr::parse(kEngineMac);
                cfg.host.addresses.push_back(*IpPrefix::parse(std::string(kEngineIp) + "/24"));
                auto lab = Lab::tap(cfg);
                if (!lab) {
                    k2e.skipped = e2k.skipped = "tap lab: " + lab.error().message;
                } else {
                    Lab &l = *lab.value();
                    Host &h = l.host(0);
                    TcpConfig tc;
                    auto &tcp = l.keep(std::make_unique<TcpLayer>(h.id(), tc, h, l.events(), l.rng()));
                    h.setTcp(&tcp);
                    l.keep(std::move(startTcpService(tcp, l.events(), h.id(), 5001, "sink").value()));
                    l.keep(std::move(startTcpService(tcp, l.events(), h.id(), 5002, "source").value()));
                    EngineHost engine(std::move(lab.value()));
                    (void)engine.start();
                    double cpu0 = cpuSeconds();
                    const double s1 = kernelSend(kEngineIp, 5001, bytes);
                    k2e = figure(s1, bytes, cpuSeconds() - cpu0);
                    cpu0 = cpuSeconds();
                    const double s2 = kernelReceive(kEngineIp, 5002, bytes);
                    e2k = figure(s2, bytes, cpuSeconds() - cpu0);
                    engine.stop();
                }
            }
            // Reference: kernel <-> kernel over veth (server thread in the second namespace).
            std::atomic<bool> ready{false};
            std::thread server([&] {
                if (!Namespaces::enter(ns.ns2)) return;
                const int l = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
                sockaddr_in a{};
                a.sin_family = AF_INET;
                a.sin_port = htons(5001);
                ::inet_pton(AF_INET, "198.19.0.2", &a.sin_addr);
                ::bind(l, reinterpret_cast<sockaddr *>(&a), sizeof a);
                ::listen(l, 4);
                ready = true;
                const int c = ::accept(l, nullptr, nullptr);
                static char buf[1 << 16];
                while (::recv(c, buf, sizeof buf, 0) > 0) {
                }
                ::close(c);
                ::close(l);
            });
            while (!ready) std::this_thread::sleep_for(std::chrono::milliseconds(5));
            const double cpu0 = cpuSeconds();
            const double s3 = kernelSend("198.19.0.2", 5001, bytes);
            kk = figure(s3, bytes, cpuSeconds() - cpu0);
            server.join();
        }
    }
    auto ratio = [](const Figure &a, const Figure &b) {
        return (a.skipped.empty() && b.skipped.empty() && b.gbit > 0) ? std::to_string(a.gbit / b.gbit) : std::string("null");
    };
    std::printf("{\"bytes\":%llu,\n \"kernel_to_engine\":%s,\n \"engine_to_kernel\":%s,\n"
                " \"raw_tap_receive\":%s,\n \"kernel_kernel_veth\":%s,\n"
                " \"ratio_kernel_to_engine_vs_raw\":%s,\n \"ratio_engine_to_kernel_vs_raw_receive\":%s,\n"
                " \"ratio_kernel_to_engine_vs_veth\":%s,\n \"note\":\"cpu_us_per_mb is the whole process, kernel peer threads included; engine<->engine is bench_tcp_engine\"}\n",
                static_cast<unsigned long long>(bytes), json(k2e).c_str(), json(e2k).c_str(), json(raw).c_str(),
                json(kk).c_str(), ratio(k2e, raw).c_str(), ratio(e2k, raw).c_str(), ratio(k2e, kk).c_str());
    return 0;
}

// Bulk TCP throughput, in one run, as JSON:
//   kernel_to_engine / engine_to_kernel: tcplab on a tap (EngineHost thread) with the sink and
//                    source services, the Linux kernel as peer, in a namespace this program makes;
//   raw_tap_receive: the receiving ceiling: a loop on the tap fd that ACKs every frame, no stack;
//   raw_tap_send:    the sending ceiling: a loop that writes pre-built segments (1514-byte frames,
//                    only seq and checksum patched, RFC 1624) as fast as the kernel's window and
//                    ACKs allow, no stack;
//   kernel_kernel:   two namespaces joined by a veth pair, the reference users know.
// Each tap figure is measured twice: "_offload" with IFF_VNET_HDR (checksum offload and 64 KB TCP
// segments both ways; the raw send loop then writes 46 KB GSO segments), "_plain" without (1514-byte
// frames). Ratios engine / raw loop of the same direction and offload setting are printed with the
// figures, and the load average, since the machine is shared. Bounded: BYTES per transfer (default
// 200 MB, argv[1]) and 20 s per phase. Needs root (otherwise every entry says why it was skipped).
#include <algorithm>
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
#include <sys/uio.h>
#include <thread>
#include <unistd.h>

#include "core/checksum.h"
#include "host/engine_host.h"
#include "host/lab.h"
#include "link/vnet_hdr.h"
#include "services/tcp_services.h"
#include "tcp/tcp_layer.h"
#include "wire/ethernet.h"
#include "wire/ipv4.h"
#include "wire/tcp.h"

using namespace tcplab;
using Clock = std::chrono::steady_clock;

namespace {

constexpr const char *kKernelIp = "198.18.0.1";
constexpr const char *kEngineIp = "198.18.0.2";
constexpr const char *kEngineMac = "02:54:4c:12:00:02";

bool sh(const std::string &cmd)
{
    return std::system((cmd + " >/dev/null 2>&1").c_str()) == 0;
}

double cpuSeconds()
{
    rusage u{};
    ::getrusage(RUSAGE_SELF, &u);
    return double(u.ru_utime.tv_sec + u.ru_stime.tv_sec) +
           double(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
}

struct Figure {
    double gbit = 0, seconds = 0, cpuUsPerMb = 0;
    std::string skipped;
};

std::string json(const Figure &f)
{
    if (!f.skipped.empty()) return "{\"skipped\":\"" + f.skipped + "\"}";
    char b[200];
    std::snprintf(b, sizeof b, "{\"gbit_per_s\":%.3f,\"seconds\":%.3f,\"cpu_us_per_mb\":%.1f}", f.gbit,
                  f.seconds, f.cpuUsPerMb);
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
        ok = sh("ip netns add " + ns) && sh(e + "ip link set lo up") &&
             sh(e + "ip tuntap add dev " + tap + " mode tap") && sh(e + "ip link set " + tap + " up") &&
             sh(e + "ip addr add " + kKernelIp + "/24 dev " + tap) &&
             sh(e + "ip neigh replace " + kEngineIp + " lladdr " + kEngineMac + " dev " + tap +
                " nud permanent") &&
             // The reference: a veth pair to a second namespace (10.x is not used: 198.19.0.0/24).
             sh("ip netns add " + ns2) && sh(e + "ip link add vb0 type veth peer name vb1 netns " + ns2) &&
             sh(e + "ip addr add 198.19.0.1/24 dev vb0") && sh(e + "ip link set vb0 up") &&
             sh("ip netns exec " + ns2 + " ip addr add 198.19.0.2/24 dev vb1") &&
             sh("ip netns exec " + ns2 + " ip link set vb1 up") &&
             sh("ip netns exec " + ns2 + " ip link set lo up");
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
    while (::recv(s, &c, 1, 0) > 0) {}
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

// ---- raw tap loops (no stack): the ceilings.

// Attaches to the tap; with offload, as TapLink does: IFF_VNET_HDR, 12-byte headers, TSO. Returns
// the fd (or -1) and the header size (0 without offload).
int openTap(const std::string &tap, bool offload, std::size_t &hdr)
{
    const int fd = ::open("/dev/net/tun", O_RDWR | O_CLOEXEC);
    ifreq ifr{};
    std::strncpy(ifr.ifr_name, tap.c_str(), IFNAMSIZ - 1);
    ifr.ifr_flags = static_cast<short>(IFF_TAP | IFF_NO_PI | (offload ? IFF_VNET_HDR : 0));
    if (fd < 0 || ::ioctl(fd, TUNSETIFF, &ifr) != 0) {
        if (fd >= 0) ::close(fd);
        return -1;
    }
    hdr = 0;
    // Offloads outlive the fd that set them (a device property): switch them off for a plain run.
    if (!offload) (void)::ioctl(fd, TUNSETOFFLOAD, 0);
    if (offload) {
        int size = 12;
        if (::ioctl(fd, TUNSETVNETHDRSZ, &size) != 0 ||
            ::ioctl(fd, TUNSETOFFLOAD, TUN_F_CSUM | TUN_F_TSO4 | TUN_F_TSO6) != 0) {
            ::close(fd);
            return -1;
        }
        hdr = 12;
    }
    return fd;
}

// `seg` from the engine to the kernel, in IPv4 and Ethernet (the wire layer's own builders). The
// raw receive loop calls it for every ACK: the addresses are parsed once.
Bytes frameTo(const std::uint8_t *kernelMac, ByteView seg)
{
    static const Ip4Addr engineIp = *Ip4Addr::parse(kEngineIp), kernelIp = *Ip4Addr::parse(kKernelIp);
    static const MacAddr engineMac = *MacAddr::parse(kEngineMac);
    Ipv4Header ip;
    ip.protocol = 6;
    ip.source = engineIp;
    ip.destination = kernelIp;
    EthernetHeader eth;
    std::copy(kernelMac, kernelMac + 6, eth.destination.b.begin());
    eth.source = engineMac;
    eth.etherType = 0x0800;
    return buildEthernet(eth, buildIpv4(ip, seg));
}

// RFC 1624 equation 3: HC' = ~(~HC + ~m + m'), for one 32-bit field changed from m to m'.
std::uint16_t patchChecksum(std::uint16_t hc, std::uint32_t m, std::uint32_t m2)
{
    std::uint32_t sum = std::uint16_t(~hc);
    sum += std::uint16_t(~(m >> 16)) + std::uint16_t(~m) + (m2 >> 16) + (m2 & 0xffff);
    while (sum >> 16)
        sum = (sum & 0xffff) + (sum >> 16);
    return static_cast<std::uint16_t>(~sum);
}

// The receiving ceiling: answers the handshake and ACKs every data frame, nothing else.
Figure rawTapReceive(const std::string &tap, std::uint64_t bytes, bool offload)
{
    std::size_t hdr = 0;
    const int fd = openTap(tap, offload, hdr);
    if (fd < 0)
        return {0, 0, 0,
                offload ? "cannot attach to the tap with IFF_VNET_HDR and TSO" : "cannot attach to the tap"};
    std::atomic<bool> stop{false};
    std::atomic<std::uint64_t> got{0};
    const double cpu0 = cpuSeconds();
    std::thread loop([&] {
        static std::uint8_t buffer[12 + 65536 + 64];
        SeqNum rcvNxt;
        const IpAddr me(*Ip4Addr::parse(kEngineIp)), peer(*Ip4Addr::parse(kKernelIp));
        const std::uint8_t zeroHdr[12] = {};
        while (!stop) {
            pollfd p{fd, POLLIN, 0};
            if (::poll(&p, 1, 100) <= 0) continue;
            const ssize_t r = ::read(fd, buffer, sizeof buffer);
            if (r < ssize_t(hdr)) continue;
            std::uint8_t *frame = buffer + hdr;
            const ssize_t n = r - ssize_t(hdr);
            // With offloads the payload checksum is partial and never checked here (a raw loop).
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
            Bytes out = frameTo(frame + 6, serializeTcp(h, {}, me, peer)); // to the kernel's MAC
            iovec iov[2] = {{const_cast<std::uint8_t *>(zeroHdr), hdr}, {out.data(), out.size()}};
            (void)!::writev(fd, hdr ? iov : iov + 1, hdr ? 2 : 1);
        }
    });
    const double secs = kernelSend(kEngineIp, 5001, bytes);
    stop = true;
    loop.join();
    ::close(fd);
    return figure(secs, bytes, cpuSeconds() - cpu0);
}

// The sending ceiling: answers the kernel's SYN, then writes pre-built data segments (one template,
// only the sequence number and the checksum patched per write) within the kernel's window, reading
// its ACKs in between; a stall (a frame the kernel's backlog dropped) goes back to the last ACK.
// Plain: 1514-byte frames (1448 bytes of data with timestamps-less 20-byte TCP header: 1460).
// Offload: 46 720-byte GSO_TCPV4 segments (32 MSS) with a partial checksum, cut by the kernel (as TapLink
// does).
Figure rawTapSend(const std::string &tap, std::uint64_t bytes, bool offload)
{
    std::size_t hdr = 0;
    const int fd = openTap(tap, offload, hdr);
    if (fd < 0)
        return {0, 0, 0,
                offload ? "cannot attach to the tap with IFF_VNET_HDR and TSO" : "cannot attach to the tap"};
    ::fcntl(fd, F_SETFL, O_NONBLOCK);
    std::atomic<bool> stop{false};
    const double cpu0 = cpuSeconds();
    std::thread loop([&] {
        static std::uint8_t buffer[12 + 65536 + 64];
        const IpAddr me(*Ip4Addr::parse(kEngineIp)), peer(*Ip4Addr::parse(kKernelIp));
        const std::uint8_t zeroHdr[12] = {};
        constexpr std::uint16_t kMss = 1460;
        const std::uint32_t chunk =
            offload ? 32u * kMss : kMss; // 46 720 bytes (within the first window) or one MSS
        std::uint8_t kernelMac[6] = {};
        SeqNum iss(1), sndUna(1), sndNxt(1), rcvNxt;
        std::uint32_t window = 0, wscale = 0, dupAcks = 0;
        bool established = false;
        Bytes data; // the template: Ethernet + IP + TCP + `chunk` bytes
        std::uint32_t templateSeq = 0;
        std::uint16_t templateCsum = 0;
        std::uint8_t gsoHdr[12] = {};
        auto progress = Clock::now();
        auto sendRaw = [&](ByteView frameBytes) {
            iovec iov[2] = {{const_cast<std::uint8_t *>(zeroHdr), hdr},
                            {const_cast<std::uint8_t *>(frameBytes.data()), frameBytes.size()}};
            return ::writev(fd, hdr ? iov : iov + 1, hdr ? 2 : 1) > 0;
        };
        while (!stop) {
            // Every ACK waiting on the tap first.
            for (;;) {
                const ssize_t r = ::read(fd, buffer, sizeof buffer);
                if (r < ssize_t(hdr) + 54) break;
                std::uint8_t *frame = buffer + hdr;
                if (frame[12] != 0x08 || frame[13] != 0x00 || frame[23] != 6) continue;
                const std::size_t ihl = std::size_t(frame[14] & 15) * 4;
                const std::size_t total = loadBe16(frame + 16);
                const TcpView t = TcpView::unchecked(ByteView(frame + 14 + ihl, total - ihl));
                if (t.flags().syn() && !established) {
                    std::memcpy(kernelMac, frame + 6, 6);
                    rcvNxt = t.seq() + 1;
                    auto opts = t.options();
                    wscale = opts && opts->windowScale ? *opts->windowScale : 0;
                    TcpHeader h;
                    h.sourcePort = t.destinationPort();
                    h.destinationPort = t.sourcePort();
                    h.seq = iss;
                    h.ack = rcvNxt;
                    h.window = 0xffff;
                    h.flags = TcpFlags(TcpFlags::kSyn | TcpFlags::kAck);
                    h.options.mss = kMss;
                    h.options.windowScale = 7;
                    const Bytes f = frameTo(kernelMac, serializeTcp(h, {}, me, peer));
                    sendRaw(f);
                    // The template data segment: ACK|PSH, seq patched per write.
                    h.flags = TcpFlags(TcpFlags::kAck);
                    h.seq = iss + 1;
                    h.options = {};
                    Bytes payload(chunk, 0x5a);
                    data = frameTo(kernelMac, serializeTcp(h, payload, me, peer));
                    templateSeq = (iss + 1).raw();
                    templateCsum = loadBe16(&data[14 + 20 + 16]);
                    if (offload) {
                        auto plan = vnet::planTcpGso(data, kMss);
                        if (plan) {
                            vnet::store(plan->header, gsoHdr, 12);
                            storeBe16(&data[14 + 20 + 16], plan->partialChecksum);
                            templateCsum = plan->partialChecksum;
                        }
                    }
                    sndUna = sndNxt = iss + 1;
                    continue;
                }
                if (!t.flags().ack()) continue;
                established = true;
                const std::uint32_t w = std::uint32_t(t.window()) << wscale;
                if (t.ack() > sndUna) {
                    sndUna = t.ack();
                    dupAcks = 0;
                    progress = Clock::now();
                } else if (t.ack() == sndUna && sndNxt > sndUna && ++dupAcks >= 3) {
                    sndNxt = sndUna; // go back: the kernel lost something
                    dupAcks = 0;
                }
                window = w;
            }
            if (!established) {
                pollfd p{fd, POLLIN, 0};
                ::poll(&p, 1, 10);
                continue;
            }
            if (std::uint64_t(sndUna - (iss + 1)) >= bytes) break;
            if (sndNxt - sndUna + chunk > window) {
                if (Clock::now() - progress > std::chrono::milliseconds(50)) {
                    sndNxt = sndUna; // no progress: resend from the last ACK
                    progress = Clock::now();
                }
                pollfd p{fd, POLLIN, 0};
                ::poll(&p, 1, 1);
                continue;
            }
            // Patch the template's sequence number (and the checksum with it, RFC 1624).
            const std::uint32_t seq = sndNxt.raw();
            storeBe32(&data[14 + 20 + 4], seq);
            const std::uint16_t csum = offload ? templateCsum : patchChecksum(templateCsum, templateSeq, seq);
            storeBe16(&data[14 + 20 + 16], csum);
            iovec iov[2] = {{offload ? gsoHdr : const_cast<std::uint8_t *>(zeroHdr), hdr},
                            {data.data(), data.size()}};
            if (::writev(fd, hdr ? iov : iov + 1, hdr ? 2 : 1) > 0) sndNxt += chunk;
        }
    });
    // The kernel reads `bytes`; the loop stops when all is ACKed (or the 20 s socket timeout).
    const double secs = kernelReceive(kEngineIp, 5002, bytes);
    stop = true;
    loop.join();
    ::close(fd);
    return figure(secs, bytes, cpuSeconds() - cpu0);
}

struct EngineFigures {
    Figure k2e, e2k;
    std::string offloadStatus;
};

// tcplab on the tap with the sink and source services; the kernel sends, then receives.
EngineFigures engineRuns(const std::string &tap, std::uint64_t bytes, bool offload)
{
    EngineFigures out;
    TapLabConfig cfg;
    cfg.tap.name = tap;
    cfg.tap.offload = offload;
    cfg.host.name = "tcplab";
    cfg.host.mac = *MacAddr::parse(kEngineMac);
    cfg.host.addresses.push_back(*IpPrefix::parse(std::string(kEngineIp) + "/24"));
    auto lab = Lab::tap(cfg);
    if (!lab) {
        out.k2e.skipped = out.e2k.skipped = "tap lab: " + lab.error().message;
        return out;
    }
    Lab &l = *lab.value();
    Host &h = l.host(0);
    if (const auto *link = dynamic_cast<const TapLink *>(h.link())) out.offloadStatus = link->offloadStatus();
    if (offload && h.segmentationLimit() == 0) {
        out.k2e.skipped = out.e2k.skipped = "the tap gave no offloads: " + out.offloadStatus;
        return out;
    }
    TcpConfig tc;
    auto &tcp = l.keep(std::make_unique<TcpLayer>(h.id(), tc, h, l.events(), l.rng()));
    h.setTcp(&tcp);
    l.keep(std::move(startTcpService(tcp, l.events(), h.id(), 5001, "sink").value()));
    l.keep(std::move(startTcpService(tcp, l.events(), h.id(), 5002, "source").value()));
    EngineHost engine(std::move(lab.value()));
    (void)engine.start();
    double cpu0 = cpuSeconds();
    const double s1 = kernelSend(kEngineIp, 5001, bytes);
    out.k2e = figure(s1, bytes, cpuSeconds() - cpu0);
    cpu0 = cpuSeconds();
    const double s2 = kernelReceive(kEngineIp, 5002, bytes);
    out.e2k = figure(s2, bytes, cpuSeconds() - cpu0);
    engine.stop();
    return out;
}

std::string loadAverage()
{
    char b[128] = {};
    const int fd = ::open("/proc/loadavg", O_RDONLY | O_CLOEXEC);
    if (fd >= 0) {
        (void)!::read(fd, b, sizeof b - 1);
        ::close(fd);
    }
    std::string s(b);
    while (!s.empty() && (s.back() == '\n' || s.back() == ' '))
        s.pop_back();
    return s;
}

} // namespace

int main(int argc, char **argv)
{
    const std::uint64_t bytes = argc > 1 ? std::strtoull(argv[1], nullptr, 10) : 200'000'000ull;
    const std::string loadBefore = loadAverage();
    Figure rawRx[2], rawTx[2], kk;
    EngineFigures eng[2]; // [0] plain, [1] offload
    auto skipAll = [&](const std::string &why) {
        for (int o = 0; o < 2; ++o)
            rawRx[o].skipped = rawTx[o].skipped = eng[o].k2e.skipped = eng[o].e2k.skipped = why;
        kk.skipped = why;
    };
    if (::geteuid() != 0) {
        skipAll("needs root (network namespaces and a tap)");
    } else {
        Namespaces ns;
        if (!ns.ok || !Namespaces::enter(ns.ns)) {
            skipAll("cannot create the namespaces, tap and veth");
        } else {
            for (int o = 0; o < 2; ++o) {
                rawRx[o] = rawTapReceive(ns.tap, bytes, o == 1);
                rawTx[o] = rawTapSend(ns.tap, bytes, o == 1);
                eng[o] = engineRuns(ns.tap, bytes, o == 1);
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
                while (::recv(c, buf, sizeof buf, 0) > 0) {}
                ::close(c);
                ::close(l);
            });
            while (!ready)
                std::this_thread::sleep_for(std::chrono::milliseconds(5));
            const double cpu0 = cpuSeconds();
            const double s3 = kernelSend("198.19.0.2", 5001, bytes);
            kk = figure(s3, bytes, cpuSeconds() - cpu0);
            server.join();
        }
    }
    auto ratio = [](const Figure &a, const Figure &b) {
        return (a.skipped.empty() && b.skipped.empty() && b.gbit > 0) ? std::to_string(a.gbit / b.gbit)
                                                                      : std::string("null");
    };
    auto quoted = [](std::string v) {
        std::string out = "\"";
        for (char c : v)
            out += (c == '"' || c == '\\') ? std::string("\\") + c : std::string(1, c);
        return out + "\"";
    };
    std::printf("{\"bytes\":%llu,\n \"load_average_before\":%s,\n \"load_average_after\":%s,\n",
                static_cast<unsigned long long>(bytes), quoted(loadBefore).c_str(),
                quoted(loadAverage()).c_str());
    const char *names[2] = {"plain", "offload"};
    for (int o = 0; o < 2; ++o) {
        std::printf(" \"kernel_to_engine_%s\":%s,\n \"engine_to_kernel_%s\":%s,\n", names[o],
                    json(eng[o].k2e).c_str(), names[o], json(eng[o].e2k).c_str());
        std::printf(" \"raw_tap_receive_%s\":%s,\n \"raw_tap_send_%s\":%s,\n", names[o],
                    json(rawRx[o]).c_str(), names[o], json(rawTx[o]).c_str());
        std::printf(" \"ratio_kernel_to_engine_vs_raw_receive_%s\":%s,\n "
                    "\"ratio_engine_to_kernel_vs_raw_send_%s\":%s,\n",
                    names[o], ratio(eng[o].k2e, rawRx[o]).c_str(), names[o],
                    ratio(eng[o].e2k, rawTx[o]).c_str());
    }
    std::printf(" \"engine_offload_status\":%s,\n", quoted(eng[1].offloadStatus).c_str());
    std::printf(
        " \"kernel_kernel_veth\":%s,\n \"ratio_kernel_to_engine_offload_vs_veth\":%s,\n"
        " \"note\":\"cpu_us_per_mb is the whole process, kernel peer threads included; engine<->engine is "
        "bench_tcp_engine\"}\n",
        json(kk).c_str(), ratio(eng[1].k2e, kk).c_str());
    return 0;
}

// Bulk TCP throughput against the Linux kernel over a tap, as JSON (run with --help for the options):
//   kernel_to_engine / engine_to_kernel: tcplab on a tap (EngineHost thread) with a receiving service
//                    (discard, or sink with its CRC-32) and the source service, the kernel as peer,
//                    in a namespace this program makes;
//   raw_tap_receive: the receiving ceiling: a loop on the tap fd that ACKs every data frame, no stack;
//   raw_tap_send:    the sending ceiling: a loop that writes pre-built segments (only seq and checksum
//                    patched, RFC 1624) as fast as the kernel's window allows, reading every frame the
//                    kernel sends (its ACKs), as the engine must, in batches (after 32 writes or when
//                    the window is full); no stack;
//   kernel_kernel:   two namespaces joined by a veth pair, the reference users know;
//   *_recorded:      the engine phases again with every frame recorded, as the GUI's tap lab records
//                    (PacketStore + Recorder, analysis labels on their LabelWorker thread): the
//                    recording overhead on a real peer, as a ratio to the same phase unrecorded;
//   fresh_memory:    only when --only names it: how fast this process gets fresh memory the way
//                    the store does (1 MiB chunks mapped and faulted in by a ChunkAllocator, one
//                    thread, nothing else running, for as long as a transfer), in Gbit/s: a recorded
//                    transfer needs about as many fresh bytes as it carries, so on a machine where
//                    this is slow it bounds the *_recorded phases.
//   stored_frames:   only when --only names it: how fast the store keeps 64 KB frames (the tap's
//                    offloaded segments) in memory reserved beforehand, on one thread, nothing else
//                    running: the cost of writing every recorded byte once more. With it, each
//                    offloaded direction gets a recording_floor: the best recorded/unrecorded ratio
//                    the engine thread could reach if that write were all recording added to it.
// --interleaved[=BYTES] measures only the recording overhead on the engine phases, the steadier way:
// within each transfer recording is switched on and off every BYTES (default 32 MB) the engine's
// service has received or sent, and each slice's engine-thread CPU time is compared with its
// neighbour's (the order alternating pair by pair), as bench_capture_bulk --interleaved does on the
// demo wire. Engine-thread CPU includes the kernel work done in its tap reads and writes.
// Each tap figure is measured twice: "_offload" with IFF_VNET_HDR (checksum offload and 64 KB TCP
// segments both ways; the raw send loop then writes 46 KB GSO segments), "_plain" without (1514-byte
// frames). A transfer lasts --seconds (default 2 s) or carries --bytes; every phase runs --runs times
// (default 3) in rounds, each round measuring the engine and its raw loops one after the other, and the
// median is reported with every run's figure. A ratio engine / raw loop is taken within a round (same
// direction and offload setting, same moment of a shared machine) and reported as the median of the
// rounds. The load average is printed before and after. Needs root (otherwise every entry says why
// it was skipped).
#include <algorithm>
#include <arpa/inet.h>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <functional>
#include <linux/if.h>
#include <linux/if_tun.h>
#include <map>
#include <netinet/in.h>
#include <optional>
#include <poll.h>
#include <sched.h>
#include <set>
#include <string>
#include <sys/ioctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <thread>
#include <unistd.h>
#include <vector>

#include "capture/chunk_allocator.h"
#include "capture/packet_store.h"
#include "capture/recorder.h"
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
// Every socket operation gives up after this long, so a stuck phase cannot hang the run.
constexpr int kSocketTimeoutSeconds = 20;
constexpr std::uint64_t kBenchStoreBound = 12ull << 30; // the recorded phases' StoreConfig::memoryLimit

const char *const kPhases[] = {"raw_tap_receive_plain",
                               "raw_tap_send_plain",
                               "kernel_to_engine_plain",
                               "engine_to_kernel_plain",
                               "raw_tap_receive_offload",
                               "raw_tap_send_offload",
                               "kernel_to_engine_offload",
                               "engine_to_kernel_offload",
                               "kernel_kernel_veth",
                               "kernel_to_engine_plain_recorded",
                               "engine_to_kernel_plain_recorded",
                               "kernel_to_engine_offload_recorded",
                               "engine_to_kernel_offload_recorded",
                               "fresh_memory",
                               "stored_frames"};

const char *const kUsage =
    "usage: bench_tcp_throughput [--seconds S | --bytes N] [--runs R] [--only PHASE[,PHASE...]]\n"
    "                            [--receiver discard|sink] [--snaplen N] [--store-reserve SIZE]\n"
    "                            [--interleaved[=BYTES]]\n"
    "  --seconds S   each transfer lasts S seconds (0.2 to 60; default 2)\n"
    "  --bytes N     each transfer carries N bytes instead (1000000 to 100000000000)\n"
    "  --runs R      rounds of every phase, median reported (1 to 15; default 3)\n"
    "  --only LIST   measure only these phases: raw_tap_receive_plain, raw_tap_send_plain,\n"
    "                kernel_to_engine_plain, engine_to_kernel_plain, the same four with _offload,\n"
    "                kernel_kernel_veth, and the four engine phases with _recorded (every frame\n"
    "                stored, as the GUI's tap lab does); fresh_memory, the rate at which the store\n"
    "                gets new memory here, is measured only when named (it frees gigabytes, which\n"
    "                slows what follows in a VM that hands freed memory back to its host);\n"
    "                stored_frames, the rate at which the store keeps 64 KB frames in reserved\n"
    "                memory, likewise (it adds a recording_floor for each offloaded direction)\n"
    "  --receiver    the engine's receiving service: discard (default; data thrown away, as the raw\n"
    "                receive loop does) or sink (also a CRC-32 of every byte)\n"
    "  --snaplen N   recorded phases keep N bytes of each frame (64 to 262144; default: all), as\n"
    "                tcplab-cli --pcap-snaplen and the tap dialog's snap length do\n"
    "  --store-reserve SIZE  recorded phases start with SIZE (like 4G; at most 12G, the store's bound\n"
    "                here) of store memory mapped and faulted in, as tcplab-cli --pcap-reserve does;\n"
    "                the transfer starts once it is there: recording then pays no fresh pages until\n"
    "                the reserve is used up\n"
    "  --interleaved[=BYTES]  only the recording overhead of the four engine phases (--only may name\n"
    "                them): recording switched on and off every BYTES (default 32000000, at least\n"
    "                1000000) inside each transfer, engine-thread CPU per byte compared slice by slice\n"
    "Needs root: makes its own network namespaces, tap and veth pair (198.18.0.0/15), removed on exit.\n";

struct Options {
    double seconds = 2.0;
    std::uint64_t bytes = 0; // > 0: a fixed byte count per transfer instead of a duration
    int runs = 3;
    std::set<std::string> only;
    std::string receiver = "discard";
    std::uint64_t sliceBytes = 0; // --interleaved: recording toggled every this many bytes
    std::uint32_t snapLength = 0; // --snaplen: bytes kept of each recorded frame (0: all)
    std::uint64_t storeReserve = 0; // --store-reserve: StoreConfig::reserve of the recorded phases
    // Every phase by default, except fresh_memory and stored_frames: they free gigabytes, which
    // slows the phases after them in a VM that hands freed memory back to its host.
    bool wants(const std::string &phase) const
    {
        return only.empty() ? phase != "fresh_memory" && phase != "stored_frames" : only.contains(phase);
    }
};

// Whole-argument number parsing: "2x" or "" is an error, not 2 or 0.
bool parseNumber(const char *text, double &out)
{
    char *end = nullptr;
    errno = 0;
    out = std::strtod(text, &end);
    return *text && end && *end == '\0' && errno == 0;
}

// Returns "" or the reason the command line is refused.
std::string parseOptions(int argc, char **argv, Options &o, bool &help)
{
    bool haveSeconds = false;
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        if (a == "--help" || a == "-h") {
            help = true;
            return "";
        }
        if (a == "--interleaved" || a.starts_with("--interleaved=")) {
            double d = 32e6;
            if (a.starts_with("--interleaved=") &&
                (!parseNumber(a.c_str() + 14, d) || d < 1e6 || d > 1e10 || d != double(std::uint64_t(d))))
                return "--interleaved=\"" + a.substr(14) +
                       "\": not a whole number of bytes from 1000000 to 10000000000";
            o.sliceBytes = std::uint64_t(d);
            continue;
        }
        const bool takesValue = a == "--seconds" || a == "--bytes" || a == "--runs" || a == "--only" ||
                                a == "--receiver" || a == "--snaplen" || a == "--store-reserve";
        if (!takesValue)
            return a.starts_with("-") ? "unknown option \"" + a + "\""
                                      : "unexpected argument \"" + a + "\" (a byte count is --bytes N)";
        if (i + 1 >= argc) return "option " + a + " needs a value";
        const char *v = argv[++i];
        double d = 0;
        if (a == "--seconds") {
            if (!parseNumber(v, d) || d < 0.2 || d > 60)
                return "--seconds \"" + std::string(v) + "\": not a number of seconds from 0.2 to 60";
            o.seconds = d;
            haveSeconds = true;
        } else if (a == "--bytes") {
            if (!parseNumber(v, d) || d < 1e6 || d > 1e11 || d != double(std::uint64_t(d)))
                return "--bytes \"" + std::string(v) + "\": not a whole number from 1000000 to 100000000000";
            o.bytes = std::uint64_t(d);
        } else if (a == "--runs") {
            if (!parseNumber(v, d) || d < 1 || d > 15 || d != double(int(d)))
                return "--runs \"" + std::string(v) + "\": not a whole number from 1 to 15";
            o.runs = int(d);
        } else if (a == "--snaplen") {
            const auto n = RecorderConfig::parseSnapLength(v);
            if (!n)
                return "--snaplen \"" + std::string(v) + "\": not a number of bytes from " +
                       std::to_string(RecorderConfig::kMinSnapLength) + " to " +
                       std::to_string(RecorderConfig::kMaxSnapLength);
            o.snapLength = *n;
        } else if (a == "--store-reserve") {
            const auto n = StoreConfig::parseSize(v);
            if (!n || *n > kBenchStoreBound)
                return "--store-reserve \"" + std::string(v) + "\": not a size like 4G, at most 12G";
            o.storeReserve = *n;
        } else if (a == "--receiver") {
            if (std::string(v) != "discard" && std::string(v) != "sink")
                return "--receiver \"" + std::string(v) + "\": not discard or sink";
            o.receiver = v;
        } else {
            std::string list = v;
            for (std::size_t at = 0; at <= list.size();) {
                const std::size_t comma = std::min(list.find(',', at), list.size());
                const std::string name = list.substr(at, comma - at);
                if (std::find_if(std::begin(kPhases), std::end(kPhases),
                                 [&](const char *p) { return name == p; }) == std::end(kPhases))
                    return "--only: no phase \"" + name + "\"";
                o.only.insert(name);
                at = comma + 1;
            }
        }
    }
    if (haveSeconds && o.bytes) return "--seconds and --bytes exclude each other";
    return "";
}

bool sh(const std::string &cmd)
{
    return std::system((cmd + " >/dev/null 2>&1").c_str()) == 0;
}

double cpuSeconds(int who)
{
    rusage u{};
    ::getrusage(who, &u);
    return double(u.ru_utime.tv_sec + u.ru_stime.tv_sec) +
           double(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
}

// How long a transfer goes on: a byte count, or a duration (then the bytes are counted).
struct Limit {
    std::uint64_t bytes = 0; // 0: until `seconds` have passed
    double seconds = 0;
    bool more(std::uint64_t done, Clock::time_point t0) const
    {
        return bytes ? done < bytes : std::chrono::duration<double>(Clock::now() - t0).count() < seconds;
    }
    std::uint64_t chunk(std::uint64_t done, std::uint64_t size) const
    {
        return bytes ? std::min(size, bytes - done) : size;
    }
};

struct Transfer {
    std::uint64_t bytes = 0;
    double seconds = -1; // < 0: failed
};

// The process's CPU (every thread: the engine or raw loop, the kernel peer on this thread, the
// kernel's own work done in their context) and this thread's alone (the kernel peer's socket calls).
struct CpuMeter {
    double process0 = cpuSeconds(RUSAGE_SELF), thread0 = cpuSeconds(RUSAGE_THREAD);
    double process() const { return cpuSeconds(RUSAGE_SELF) - process0; }
    double peer() const { return cpuSeconds(RUSAGE_THREAD) - thread0; }
};

struct Figure {
    double gbit = 0, seconds = 0, mb = 0, cpuUsPerMb = 0, peerCpuUsPerMb = 0;
    std::string skipped;
    // The stack side: the engine thread or the raw loop (and the kernel work done in its context).
    double stackCpuUsPerMb() const { return cpuUsPerMb - peerCpuUsPerMb; }
};

Figure figure(const Transfer &t, const CpuMeter &cpu)
{
    const double process = cpu.process(), peer = cpu.peer();
    Figure f;
    if (t.seconds <= 0 || t.bytes == 0) {
        f.skipped = "transfer failed or timed out";
        return f;
    }
    f.seconds = t.seconds;
    f.mb = double(t.bytes) / 1e6;
    f.gbit = double(t.bytes) * 8 / t.seconds / 1e9;
    f.cpuUsPerMb = process * 1e6 / f.mb;
    f.peerCpuUsPerMb = peer * 1e6 / f.mb;
    return f;
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
    timeval tv{kSocketTimeoutSeconds, 0};
    ::setsockopt(s, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    ::setsockopt(s, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
    if (::connect(s, reinterpret_cast<sockaddr *>(&to), sizeof to) != 0) {
        ::close(s);
        return -1;
    }
    return s;
}

// The kernel sends (as long as the limit says), then waits for the peer's FIN: the time runs until
// the peer has everything.
Transfer kernelSend(const char *ip, int port, const Limit &limit)
{
    Transfer out;
    const int s = connectTo(ip, port);
    if (s < 0) return out;
    static char buf[1 << 16];
    const auto t0 = Clock::now();
    std::uint64_t sent = 0;
    bool failed = false;
    while (limit.more(sent, t0)) {
        const ssize_t n = ::send(s, buf, limit.chunk(sent, sizeof buf), 0);
        if (n <= 0) {
            failed = true;
            break;
        }
        sent += std::uint64_t(n);
    }
    ::shutdown(s, SHUT_WR);
    char c;
    ssize_t r;
    while ((r = ::recv(s, &c, 1, 0)) > 0) {}
    ::close(s);
    out.bytes = sent;
    if (!failed && r == 0) out.seconds = std::chrono::duration<double>(Clock::now() - t0).count();
    return out;
}

// The kernel reads (as long as the limit says), then closes.
Transfer kernelReceive(const char *ip, int port, const Limit &limit)
{
    Transfer out;
    const int s = connectTo(ip, port);
    if (s < 0) return out;
    static char buf[1 << 16];
    const auto t0 = Clock::now();
    std::uint64_t got = 0;
    bool failed = false;
    while (limit.more(got, t0)) {
        const ssize_t n = ::recv(s, buf, sizeof buf, 0);
        if (n <= 0) {
            failed = true;
            break;
        }
        got += std::uint64_t(n);
    }
    const double secs = std::chrono::duration<double>(Clock::now() - t0).count();
    ::close(s);
    out.bytes = got;
    if (!failed) out.seconds = secs;
    return out;
}

// ---- raw tap loops (no stack): the ceilings.

// Attaches to the tap, non-blocking; with offload, as TapLink does: IFF_VNET_HDR, 12-byte headers,
// TSO. Returns the fd (or -1) and the header size (0 without offload).
int openTap(const std::string &tap, bool offload, std::size_t &hdr)
{
    const int fd = ::open("/dev/net/tun", O_RDWR | O_NONBLOCK | O_CLOEXEC);
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

// The receiving ceiling: answers the handshake and ACKs every data frame, nothing else. It reads
// until the tap is empty and only then waits (as the engine's drain does), so waiting costs no
// system call per frame.
Figure rawTapReceive(const std::string &tap, const Limit &limit, bool offload)
{
    std::size_t hdr = 0;
    const int fd = openTap(tap, offload, hdr);
    if (fd < 0)
        return {.skipped = offload ? "cannot attach to the tap with IFF_VNET_HDR and TSO"
                                   : "cannot attach to the tap"};
    std::atomic<bool> stop{false};
    const CpuMeter cpu;
    std::thread loop([&] {
        static std::uint8_t buffer[12 + 65536 + 64];
        SeqNum rcvNxt;
        const IpAddr me(*Ip4Addr::parse(kEngineIp)), peer(*Ip4Addr::parse(kKernelIp));
        const std::uint8_t zeroHdr[12] = {};
        while (!stop) {
            const ssize_t r = ::read(fd, buffer, sizeof buffer);
            if (r < 0) {
                pollfd p{fd, POLLIN, 0};
                ::poll(&p, 1, 100);
                continue;
            }
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
                if (t.seq() == rcvNxt) rcvNxt += static_cast<std::uint32_t>(t.payload().size());
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
    const Transfer t = kernelSend(kEngineIp, 5001, limit);
    stop = true;
    loop.join();
    ::close(fd);
    return figure(t, cpu);
}

// The sending ceiling: answers the kernel's SYN, then writes pre-built data segments (one template,
// only the sequence number and the checksum patched per write) within the kernel's window. Before
// every write it reads every frame the kernel has sent (its ACKs: the engine reads and processes
// them too, so the ceiling pays for reading them); a stall (a frame the kernel's backlog dropped)
// goes back to the last ACK.
// Plain: 1514-byte frames (1460 bytes of data: no timestamps, where the engine's 12-byte timestamp
// option leaves 1448). Offload: 46 720-byte GSO_TCPV4 segments (32 MSS) with a partial checksum, cut
// by the kernel (as TapLink does).
Figure rawTapSend(const std::string &tap, const Limit &limit, bool offload)
{
    std::size_t hdr = 0;
    const int fd = openTap(tap, offload, hdr);
    if (fd < 0)
        return {.skipped = offload ? "cannot attach to the tap with IFF_VNET_HDR and TSO"
                                   : "cannot attach to the tap"};
    std::atomic<bool> stop{false};
    const CpuMeter cpu;
    // A byte limit: stop once all of it is ACKed; a time limit: the kernel side stops reading.
    const std::uint64_t bytes = limit.bytes ? limit.bytes : ~std::uint64_t(0);
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
        // The kernel's ACKs are drained in batches: after every kAckBatch writes, or when the window is
        // full. Draining before every write costs a failing read() per segment, which a ceiling should
        // not pay (measured: about 15 % more throughput for the raw loop with batches of 32).
        constexpr int kAckBatch = 32;
        int writesSinceDrain = kAckBatch;
        while (!stop) {
            const bool windowFull = established && sndNxt - sndUna + chunk > window;
            const bool drain = writesSinceDrain >= kAckBatch || windowFull || !established;
            if (drain) writesSinceDrain = 0;
            while (drain) {
                const ssize_t r = ::read(fd, buffer, sizeof buffer);
                if (r < 0) break;
                if (r < ssize_t(hdr) + 54) continue;
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
                    // The template data segment: ACK, seq patched per write.
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
            ++writesSinceDrain;
        }
    });
    const Transfer t = kernelReceive(kEngineIp, 5002, limit);
    stop = true;
    loop.join();
    ::close(fd);
    return figure(t, cpu);
}

struct EngineFigures {
    Figure k2e, e2k;
    std::string offloadStatus;
};

// tcplab on the tap: one host with TCP, the receiving service on 5001 and `source` on 5002.
struct EngineLab {
    std::unique_ptr<Lab> lab;
    TcpService *receiver = nullptr, *source = nullptr;
    std::string offloadStatus, skipped;
};

EngineLab engineLab(const std::string &tap, bool offload, const Options &o)
{
    EngineLab out;
    TapLabConfig cfg;
    cfg.tap.name = tap;
    cfg.tap.offload = offload;
    cfg.host.name = "tcplab";
    cfg.host.mac = *MacAddr::parse(kEngineMac);
    cfg.host.addresses.push_back(*IpPrefix::parse(std::string(kEngineIp) + "/24"));
    auto lab = Lab::tap(cfg);
    if (!lab) {
        out.skipped = "tap lab: " + lab.error().message;
        return out;
    }
    Lab &l = *lab.value();
    Host &h = l.host(0);
    if (const auto *link = dynamic_cast<const TapLink *>(h.link())) out.offloadStatus = link->offloadStatus();
    if (offload && h.segmentationLimit() == 0) {
        out.skipped = "the tap gave no offloads: " + out.offloadStatus;
        return out;
    }
    TcpConfig tc;
    auto &tcp = l.keep(std::make_unique<TcpLayer>(h.id(), tc, h, l.events(), l.rng()));
    h.setTcp(&tcp);
    out.receiver = &l.keep(std::move(startTcpService(tcp, l.events(), h.id(), 5001, o.receiver).value()));
    out.source = &l.keep(std::move(startTcpService(tcp, l.events(), h.id(), 5002, "source").value()));
    out.lab = std::move(lab.value());
    return out;
}

// Room for a whole transfer, so that a figure is the cost of recording, not of spilling to disk
// (the default bound, 2 GiB, holds about 1 s of an offloaded transfer); a spill is still reported.
StoreConfig benchStore(std::uint64_t reserve)
{
    return StoreConfig{.memoryLimit = kBenchStoreBound, .reserve = reserve};
}

// Waits for the store's reserve (--store-reserve) before a transfer; "" or why it fell short.
std::string awaitReserve(const PacketStore &store)
{
    const auto t0 = Clock::now();
    const ChunkAllocator::ReserveState r = store.awaitReserve([] { return false; });
    if (r.asked)
        std::fprintf(stderr, "store reserve: %.0f MiB in %.2f s\n", double(r.prepared) / double(1 << 20),
                     std::chrono::duration<double>(Clock::now() - t0).count());
    return r.error.empty()
               ? ""
               : "the store's reserve stopped at " + std::to_string(r.prepared >> 20) + " MiB: " + r.error;
}

// As the GUI's tap lab records: analysis labels on their LabelWorker thread.
RecorderConfig recorderConfig(const Options &o)
{
    return RecorderConfig{.analysis = RecorderConfig::Analysis::Background, .snapLength = o.snapLength};
}

std::string storeTrouble(const PacketStore &store)
{
    if (!store.framesNotRecorded() && !store.spilledBytes()) return "";
    return "the store spilled " + std::to_string(store.spilledBytes()) + " bytes or refused " +
           std::to_string(store.framesNotRecorded()) + " frames: the figure would measure the disk";
}

// Work done on this thread alone since t0 (cpu0: its CPU seconds then), `bytes` of it.
Figure threadFigure(std::uint64_t bytes, Clock::time_point t0, double cpu0)
{
    Figure f;
    f.seconds = std::chrono::duration<double>(Clock::now() - t0).count();
    f.mb = double(bytes) / 1e6;
    f.gbit = double(bytes) * 8 / f.seconds / 1e9;
    f.cpuUsPerMb = (cpuSeconds(RUSAGE_THREAD) - cpu0) * 1e6 / f.mb;
    return f;
}

// Memory taken as the store takes its frame arenas (mapped and faulted in), for as long as a
// transfer lasts (2 s with --bytes), as a recorded transfer would take it, then given back. Up to a
// quarter of the machine's memory and 8 GiB: a gigabyte or two is often much cheaper than the
// rest (memory freed a moment ago, before a VM's host takes it back).
Figure freshMemory(const Limit &limit)
{
    constexpr std::size_t kChunk = 1u << 20;
    const std::uint64_t physical =
        std::uint64_t(::sysconf(_SC_PHYS_PAGES)) * std::uint64_t(::sysconf(_SC_PAGESIZE));
    const std::uint64_t bound = std::min<std::uint64_t>(8ull << 30, physical / 4);
    ChunkAllocator chunks(bound, false, "");
    const Limit duration{0, limit.bytes ? 2 : limit.seconds};
    const double cpu0 = cpuSeconds(RUSAGE_THREAD);
    const auto t0 = Clock::now();
    std::uint64_t bytes = 0;
    while (bytes + kChunk <= bound && duration.more(bytes, t0)) {
        if (!chunks.allocate(kChunk)) return {.skipped = "no fresh memory: " + chunks.lastError()};
        bytes += kChunk;
    }
    return threadFigure(bytes, t0, cpu0);
}

// 64 KB frames (an offloaded TCP segment's size) kept by a store whose memory was reserved before,
// one after the other on this thread, up to 1 GiB: what recording writes for every byte an
// offloaded transfer carries, without the transfer. Only this thread's CPU is counted (the
// reserve's helper has finished).
Figure storedFrames()
{
    constexpr std::uint64_t kReserve = 1ull << 30;
    constexpr std::size_t kFrame = 65536;
    PacketStore store(StoreConfig{.memoryLimit = kReserve + (64u << 20), .reserve = kReserve});
    if (const std::string trouble = awaitReserve(store); !trouble.empty()) return {.skipped = trouble};
    Bytes frame(kFrame);
    for (std::size_t i = 0; i < frame.size(); ++i)
        frame[i] = std::uint8_t(i * 7);
    const double cpu0 = cpuSeconds(RUSAGE_THREAD);
    const auto t0 = Clock::now();
    std::uint64_t bytes = 0;
    FrameInfo info{.direction = Direction::Outbound};
    // Room left for the record chunks, which come out of the same reserve.
    while (bytes + kFrame <= kReserve - (16u << 20)) {
        info.time = Instant(std::chrono::nanoseconds(bytes));
        if (store.append(info, frame) == Event::kNoPacket) return {.skipped = "the store refused a frame"};
        bytes += kFrame;
    }
    if (store.spilledBytes()) return {.skipped = "the store went past its reserve"};
    return threadFigure(bytes, t0, cpu0);
}

// The kernel sends, then receives; with `record`, every frame is stored as the GUI's tap lab stores
// it (labels off the engine thread).
EngineFigures engineRuns(const std::string &tap, const Limit &limit, bool offload, const Options &o, bool k2e,
                         bool e2k, bool record)
{
    EngineFigures out;
    EngineLab e = engineLab(tap, offload, o);
    out.offloadStatus = e.offloadStatus;
    if (!e.lab) {
        out.k2e.skipped = out.e2k.skipped = e.skipped;
        return out;
    }
    Lab &l = *e.lab;
    PacketStore store(benchStore(record ? o.storeReserve : 0)); // outlives the engine (declared first)
    std::unique_ptr<Recorder> recorder;
    if (const std::string trouble = awaitReserve(store); !trouble.empty()) {
        out.k2e.skipped = out.e2k.skipped = trouble;
        return out;
    }
    if (record) {
        recorder = std::make_unique<Recorder>(store, l.flows(), recorderConfig(o));
        store.setWarningSink(&l.events());
        l.setFrameSink(recorder.get());
        l.events().add(recorder.get());
    }
    EngineHost engine(std::move(e.lab));
    (void)engine.start();
    if (k2e) {
        const CpuMeter cpu;
        out.k2e = figure(kernelSend(kEngineIp, 5001, limit), cpu);
    }
    if (e2k) {
        const CpuMeter cpu;
        out.e2k = figure(kernelReceive(kEngineIp, 5002, limit), cpu);
    }
    engine.stop();
    if (recorder) recorder->settle();
    if (const std::string trouble = storeTrouble(store); !trouble.empty())
        out.k2e.skipped = out.e2k.skipped = trouble;
    return out;
}

// One transfer (kernel to engine, or engine to kernel) with recording switched on and off every
// `o.sliceBytes` that the engine's service received (or wrote). The switching and the slices' clock
// run on the engine thread, in a command a ticker thread posts every millisecond (the same small
// wake-up in both kinds of slice); the first slice (handshake, slow start) is not measured.
// Returns, per pair of neighbouring slices, engine-thread CPU throughput recorded / not recorded.
struct InterleavedRun {
    std::vector<double> ratios;
    std::string skipped;
};

InterleavedRun interleavedRun(const std::string &tap, const Limit &limit, bool offload, const Options &o,
                              bool kernelToEngine)
{
    InterleavedRun out;
    EngineLab e = engineLab(tap, offload, o);
    if (!e.lab) {
        out.skipped = e.skipped;
        return out;
    }
    Lab &l = *e.lab;
    PacketStore store(benchStore(o.storeReserve));
    if (const std::string trouble = awaitReserve(store); !trouble.empty()) {
        out.skipped = trouble;
        return out;
    }
    Recorder recorder(store, l.flows(), recorderConfig(o));
    store.setWarningSink(&l.events());
    struct Slice {
        bool recorded;
        double cpu, bytes;
    };
    struct Slicer { // touched only on the engine thread while it runs
        Lab *lab;
        Recorder *recorder;
        const TcpService *service;
        bool countIn;
        std::uint64_t sliceBytes, next = 0, bytesAt = 0;
        double cpuAt = 0;
        bool recording = false, started = false;
        std::vector<Slice> slices{};
        void set(bool on)
        {
            if (on == recording) return;
            lab->setFrameSink(on ? recorder : nullptr);
            if (on)
                lab->events().add(recorder);
            else
                lab->events().remove(recorder);
            recording = on;
        }
        void tick()
        {
            const std::uint64_t bytes = countIn ? service->bytesIn() : service->bytesOut();
            if (bytes < next) return;
            if (started)
                slices.push_back({recording, cpuSeconds(RUSAGE_THREAD) - cpuAt, double(bytes - bytesAt)});
            started = true;
            // Pairs alternate which state goes first: off/on, on/off, off/on, ...
            const std::size_t k = slices.size();
            const bool firstOfPairRecorded = (k / 2) % 2 == 1;
            set(k % 2 == 0 ? firstOfPairRecorded : !firstOfPairRecorded);
            cpuAt = cpuSeconds(RUSAGE_THREAD);
            bytesAt = bytes;
            next = bytes + sliceBytes;
        }
    } slicer{&l, &recorder, kernelToEngine ? e.receiver : e.source, kernelToEngine, o.sliceBytes};
    slicer.next = o.sliceBytes; // the first slice is the warm-up
    EngineHost engine(std::move(e.lab));
    (void)engine.start();
    std::atomic<bool> done{false};
    std::thread ticker([&] {
        while (!done.load()) {
            engine.post([&slicer](Lab &) { slicer.tick(); });
            std::this_thread::sleep_for(std::chrono::milliseconds(1));
        }
    });
    const Transfer t =
        kernelToEngine ? kernelSend(kEngineIp, 5001, limit) : kernelReceive(kEngineIp, 5002, limit);
    done.store(true);
    ticker.join();
    engine.stop();
    slicer.set(false);
    recorder.settle();
    if (t.seconds <= 0) out.skipped = "transfer failed or timed out";
    if (const std::string trouble = storeTrouble(store); !trouble.empty()) out.skipped = trouble;
    if (!out.skipped.empty()) return out; // no figure from a failed transfer or a spilling store
    for (std::size_t i = 0; i + 1 < slicer.slices.size(); i += 2) {
        const Slice &a = slicer.slices[i], &b = slicer.slices[i + 1];
        const Slice &on = a.recorded ? a : b, &off = a.recorded ? b : a;
        if (on.recorded == off.recorded || on.cpu <= 0 || off.cpu <= 0) continue;
        out.ratios.push_back((on.bytes / on.cpu) / (off.bytes / off.cpu));
    }
    if (out.ratios.empty())
        out.skipped =
            "fewer than two measured slices: a longer transfer (--seconds, --bytes) or smaller slices";
    return out;
}

// Reference: kernel <-> kernel over veth (server thread in the second namespace).
Figure kernelKernel(const Namespaces &ns, const Limit &limit)
{
    std::atomic<int> ready{0}; // 1 listening, -1 failed
    std::thread server([&] {
        if (!Namespaces::enter(ns.ns2)) {
            ready = -1;
            return;
        }
        const int l = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
        sockaddr_in a{};
        a.sin_family = AF_INET;
        a.sin_port = htons(5001);
        ::inet_pton(AF_INET, "198.19.0.2", &a.sin_addr);
        const int one = 1;
        ::setsockopt(l, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
        if (::bind(l, reinterpret_cast<sockaddr *>(&a), sizeof a) != 0 || ::listen(l, 4) != 0) {
            ::close(l);
            ready = -1;
            return;
        }
        ready = 1;
        const int c = ::accept(l, nullptr, nullptr);
        static char buf[1 << 16];
        while (c >= 0 && ::recv(c, buf, sizeof buf, 0) > 0) {}
        if (c >= 0) ::close(c);
        ::close(l);
    });
    while (ready == 0)
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    Figure f;
    if (ready < 0) {
        f.skipped = "cannot listen in the second namespace";
    } else {
        const CpuMeter cpu;
        f = figure(kernelSend("198.19.0.2", 5001, limit), cpu);
        // Both ends are kernel sockets of this process: the peer thread's share is not separable.
        f.peerCpuUsPerMb = 0;
    }
    server.join();
    return f;
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

double median(std::vector<double> v)
{
    if (v.empty()) return 0;
    std::sort(v.begin(), v.end());
    const std::size_t n = v.size();
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

std::string quoted(const std::string &v)
{
    std::string out = "\"";
    for (char c : v)
        out += (c == '"' || c == '\\') ? std::string("\\") + c : std::string(1, c);
    return out + "\"";
}

std::string numbers(const std::vector<double> &v, const char *format)
{
    std::string out = "[";
    char b[32];
    for (std::size_t i = 0; i < v.size(); ++i) {
        std::snprintf(b, sizeof b, format, v[i]);
        if (i) out += ',';
        out += b;
    }
    return out + "]";
}

// Every run of one phase, reported as medians and the runs' throughputs.
std::string json(const std::vector<Figure> &runs)
{
    std::vector<double> gbit, secs, mb, cpu, peer, stack;
    std::string skipped;
    for (const Figure &f : runs) {
        if (!f.skipped.empty()) {
            skipped = f.skipped;
            continue;
        }
        gbit.push_back(f.gbit);
        secs.push_back(f.seconds);
        mb.push_back(f.mb);
        cpu.push_back(f.cpuUsPerMb);
        peer.push_back(f.peerCpuUsPerMb);
        stack.push_back(f.stackCpuUsPerMb());
    }
    if (gbit.empty()) return "{\"skipped\":" + quoted(skipped.empty() ? "not measured" : skipped) + "}";
    char b[400];
    std::snprintf(b, sizeof b,
                  "{\"gbit_per_s\":%.3f,\"seconds\":%.2f,\"mb\":%.0f,\"cpu_us_per_mb\":%.1f,"
                  "\"stack_cpu_us_per_mb\":%.1f,\"peer_cpu_us_per_mb\":%.1f,\"gbit_per_s_runs\":%s",
                  median(gbit), median(secs), median(mb), median(cpu), median(stack), median(peer),
                  numbers(gbit, "%.3f").c_str());
    std::string out = b;
    if (!skipped.empty()) out += ",\"failed_runs\":" + std::to_string(runs.size() - gbit.size());
    return out + "}";
}

// f(a, b) within each round where both were measured (and f has a value): its median and every
// round's, or null.
std::string perRoundJson(const std::vector<Figure> &a, const std::vector<Figure> &b,
                         const std::function<std::optional<double>(const Figure &, const Figure &)> &f)
{
    std::vector<double> r;
    for (std::size_t i = 0; i < std::min(a.size(), b.size()); ++i)
        if (a[i].skipped.empty() && b[i].skipped.empty())
            if (const auto v = f(a[i], b[i])) r.push_back(*v);
    if (r.empty()) return "null";
    char m[32];
    std::snprintf(m, sizeof m, "%.3f", median(r));
    return std::string("{\"median\":") + m + ",\"runs\":" + numbers(r, "%.3f") + "}";
}

// The median of the ratios a / b taken within each round.
std::string ratioJson(const std::vector<Figure> &a, const std::vector<Figure> &b)
{
    return perRoundJson(a, b, [](const Figure &x, const Figure &y) -> std::optional<double> {
        if (y.gbit <= 0) return std::nullopt;
        return x.gbit / y.gbit;
    });
}

// Per round: the engine thread's CPU per MB unrecorded, over the same plus what the store takes to
// keep a MB of 64 KB frames (stored_frames): the best recorded/unrecorded ratio if recording added
// nothing but that write. (Kernel to engine, the kernel writes into the store itself, with ordinary
// stores, which this machine does more slowly than the store's streaming ones: a floor too high.)
std::string floorJson(const std::vector<Figure> &unrecorded, const std::vector<Figure> &stored)
{
    return perRoundJson(unrecorded, stored, [](const Figure &u, const Figure &s) -> std::optional<double> {
        if (u.stackCpuUsPerMb() <= 0) return std::nullopt;
        return u.stackCpuUsPerMb() / (u.stackCpuUsPerMb() + s.cpuUsPerMb);
    });
}

// --interleaved: per engine phase, every run's slice-pair ratios, and their median.
int interleavedMain(const Options &o, const Limit &limit)
{
    const std::string loadBefore = loadAverage();
    std::map<std::string, std::vector<double>> ratios; // phase -> every pair of every run
    std::map<std::string, std::vector<double>> runMedians;
    std::map<std::string, std::string> skipped;
    const char *const phases[] = {"kernel_to_engine_plain", "engine_to_kernel_plain",
                                  "kernel_to_engine_offload", "engine_to_kernel_offload"};
    if (::geteuid() != 0) {
        for (const char *p : phases)
            skipped[p] = "needs root (network namespaces and a tap)";
    } else if (Namespaces ns; !ns.ok || !Namespaces::enter(ns.ns)) {
        for (const char *p : phases)
            skipped[p] = "cannot create the namespaces, tap and veth";
    } else {
        for (int round = 0; round < o.runs; ++round) {
            for (const char *p : phases) {
                if (!o.wants(p)) continue;
                const std::string phase = p;
                const InterleavedRun r = interleavedRun(ns.tap, limit, phase.ends_with("_offload"), o,
                                                        phase.starts_with("kernel_to_engine"));
                if (!r.skipped.empty()) skipped[phase] = r.skipped;
                if (r.ratios.empty()) continue;
                ratios[phase].insert(ratios[phase].end(), r.ratios.begin(), r.ratios.end());
                runMedians[phase].push_back(median(r.ratios));
                std::fprintf(stderr, "run %d/%d %-26s %zu slice pairs, median %.3f  (load %s)\n", round + 1,
                             o.runs, p, r.ratios.size(), median(r.ratios), loadAverage().c_str());
            }
        }
    }
    std::printf("{\"interleaved_slice_bytes\":%llu,\"runs\":%d,\"snaplen\":%u,\"engine_receiver\":%s,\n "
                "\"load_average_before\":%s,\n "
                "\"load_average_after\":%s,\n",
                static_cast<unsigned long long>(o.sliceBytes), o.runs, o.snapLength,
                quoted(o.receiver).c_str(), quoted(loadBefore).c_str(), quoted(loadAverage()).c_str());
    for (const char *p : phases) {
        if (!o.wants(p)) continue;
        std::printf(" \"%s_recorded_vs_not\":", p);
        if (ratios[p].empty()) {
            std::printf("{\"skipped\":%s},\n",
                        quoted(skipped[p].empty() ? "not measured" : skipped[p]).c_str());
            continue;
        }
        std::printf("{\"median_engine_cpu_ratio\":%.3f,\"slice_pairs\":%zu,\"run_medians\":%s%s},\n",
                    median(ratios[p]), ratios[p].size(), numbers(runMedians[p], "%.3f").c_str(),
                    skipped[p].empty() ? "" : (",\"failed\":" + quoted(skipped[p])).c_str());
    }
    std::printf(" \"note\":\"engine-thread throughput per CPU second (its tap reads and writes included) "
                "with every frame recorded (labels on their LabelWorker thread, as the GUI's tap lab "
                "records) over the same without, slice against neighbouring slice of one transfer\"}\n");
    return 0;
}

} // namespace

int main(int argc, char **argv)
{
    Options o;
    bool help = false;
    if (const std::string error = parseOptions(argc, argv, o, help); !error.empty()) {
        std::fprintf(stderr, "bench_tcp_throughput: %s\n%s", error.c_str(), kUsage);
        return 2;
    }
    if (help) {
        std::fputs(kUsage, stdout);
        return 0;
    }
    const Limit limit{o.bytes, o.seconds};
    if (o.sliceBytes) return interleavedMain(o, limit);
    const std::string loadBefore = loadAverage();
    std::map<std::string, std::vector<Figure>> runs; // phase -> one figure per round
    std::string offloadStatus;
    auto skipAll = [&](const std::string &why) {
        for (const char *p : kPhases)
            if (o.wants(p)) runs[p].push_back({.skipped = why});
    };
    if (::geteuid() != 0) {
        skipAll("needs root (network namespaces and a tap)");
    } else {
        Namespaces ns;
        if (!ns.ok || !Namespaces::enter(ns.ns)) {
            skipAll("cannot create the namespaces, tap and veth");
        } else {
            auto measure = [&](const std::string &phase, const std::function<Figure()> &run) {
                if (!o.wants(phase)) return;
                runs[phase].push_back(run());
                const Figure &f = runs[phase].back();
                std::fprintf(stderr, "run %zu/%d %-26s %7.3f Gbit/s %6.2f s  (load %s)\n", runs[phase].size(),
                             o.runs, phase.c_str(), f.gbit, f.seconds, loadAverage().c_str());
            };
            for (int round = 0; round < o.runs; ++round) {
                // First: a store freed moments ago would leave memory that comes back cheaply on
                // some machines.
                measure("fresh_memory", [&] { return freshMemory(limit); });
                for (int off = 0; off < 2; ++off) {
                    const std::string suffix = off ? "_offload" : "_plain";
                    measure("raw_tap_receive" + suffix, [&] { return rawTapReceive(ns.tap, limit, off); });
                    measure("raw_tap_send" + suffix, [&] { return rawTapSend(ns.tap, limit, off); });
                    for (const std::string rec : {"", "_recorded"}) {
                        const bool k2e = o.wants("kernel_to_engine" + suffix + rec),
                                   e2k = o.wants("engine_to_kernel" + suffix + rec);
                        if (!k2e && !e2k) continue;
                        EngineFigures e = engineRuns(ns.tap, limit, off, o, k2e, e2k, !rec.empty());
                        if (off) offloadStatus = e.offloadStatus;
                        measure("kernel_to_engine" + suffix + rec, [&] { return e.k2e; });
                        measure("engine_to_kernel" + suffix + rec, [&] { return e.e2k; });
                    }
                }
                measure("kernel_kernel_veth", [&] { return kernelKernel(ns, limit); });
                measure("stored_frames", [&] { return storedFrames(); });
            }
        }
    }
    char head[160];
    if (o.bytes)
        std::snprintf(head, sizeof head, "\"bytes_per_transfer\":%llu",
                      static_cast<unsigned long long>(o.bytes));
    else
        std::snprintf(head, sizeof head, "\"seconds_per_transfer\":%.2f", o.seconds);
    std::printf("{%s,\"runs\":%d,\"engine_receiver\":%s,\n \"load_average_before\":%s,\n "
                "\"load_average_after\":%s,\n",
                head, o.runs, quoted(o.receiver).c_str(), quoted(loadBefore).c_str(),
                quoted(loadAverage()).c_str());
    for (const char *p : kPhases)
        if (runs.contains(p)) std::printf(" \"%s\":%s,\n", p, json(runs[p]).c_str());
    const char *names[2] = {"plain", "offload"};
    for (const char *n : names) {
        const std::string s = n;
        std::printf(" \"ratio_kernel_to_engine_vs_raw_receive_%s\":%s,\n", n,
                    ratioJson(runs["kernel_to_engine_" + s], runs["raw_tap_receive_" + s]).c_str());
        std::printf(" \"ratio_engine_to_kernel_vs_raw_send_%s\":%s,\n", n,
                    ratioJson(runs["engine_to_kernel_" + s], runs["raw_tap_send_" + s]).c_str());
        for (const char *dir : {"kernel_to_engine_", "engine_to_kernel_"})
            std::printf(" \"ratio_%s%s_recorded_vs_not\":%s,\n", dir, n,
                        ratioJson(runs[dir + s + "_recorded"], runs[dir + s]).c_str());
    }
    for (const char *dir : {"kernel_to_engine", "engine_to_kernel"})
        std::printf(" \"recording_floor_%s_offload\":%s,\n", dir,
                    floorJson(runs[std::string(dir) + "_offload"], runs["stored_frames"]).c_str());
    std::printf(" \"ratio_kernel_to_engine_offload_vs_veth\":%s,\n",
                ratioJson(runs["kernel_to_engine_offload"], runs["kernel_kernel_veth"]).c_str());
    std::printf(" \"engine_offload_status\":%s,\n", quoted(offloadStatus).c_str());
    std::printf(
        " \"note\":\"medians over the runs; cpu_us_per_mb is the whole process, peer_cpu_us_per_mb the "
        "kernel socket peer's thread (its system calls), stack_cpu_us_per_mb the difference: the "
        "engine thread or raw loop with the kernel work done in its context; engine<->engine is "
        "bench_tcp_engine; fresh_memory is memory, not a transfer: its gbit_per_s is the rate at which "
        "the store could get new memory for frames, alone on one thread; stored_frames is the store keeping "
        "64 KB frames in reserved memory, alone on one thread, and recording_floor the best "
        "recorded/unrecorded ratio if that were all recording cost the engine thread\"}\n");
    return 0;
}

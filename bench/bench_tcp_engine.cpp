// Engine <-> engine bulk TCP in memory: two TcpLayers, a sender and the sink service, no wire delay
// and no loss, one thread. The CPU cost per megabyte is the stack's own (both ends); run it under
// `valgrind --tool=callgrind build/.../bench_tcp_engine 20000000` for repeatable instruction
// counts (divide by segments = bytes / 1448). Prints JSON.
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <sys/resource.h>

#include "services/tcp_services.h"
#include "tcp/tcp_layer.h"

using namespace tcplab;
using Clock = std::chrono::steady_clock;

namespace {

constexpr const char *kKernelIp = "198.18.0.1";
constexpr const char *kEngineIp = "198.18.0.2";

double cpuSeconds()
{
    rusage u{};
    ::getrusage(RUSAGE_SELF, &u);
    return double(u.ru_utime.tv_sec + u.ru_stime.tv_sec) +
           double(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
}

struct Figure {
    double gbit = 0, seconds = 0, cpuUsPerMb = 0;
    std::uint64_t segments = 0;
};

class Loopback final : public IpOutput {
public:
    TcpLayer *peer = nullptr;
    Instant *now = nullptr;
    void sendIp(Instant, const IpAddr &src, const IpAddr &dst, std::uint8_t, Bytes payload) override
    {
        queue.push_back({meta(src, dst), std::move(payload), 0});
    }
    // The segment is taken where TCP built it (behind the headroom a host fills), as a host does.
    void sendIpWithHeadroom(Instant, const IpAddr &src, const IpAddr &dst, std::uint8_t, Bytes buffer,
                            std::uint16_t) override
    {
        queue.push_back({meta(src, dst), std::move(buffer), kTxHeadroom});
    }
    struct Packet {
        IpMeta meta;
        Bytes bytes;
        std::size_t at; // where the segment starts
        ByteView segment() const { return ByteView(bytes).subspan(at); }
    };
    std::vector<Packet> queue;

private:
    static IpMeta meta(const IpAddr &src, const IpAddr &dst)
    {
        IpMeta m;
        m.src = src;
        m.dst = dst;
        m.protocol = kIpProtoTcp;
        return m;
    }
};

Figure engineToEngine(std::uint64_t bytes)
{
    Rng ra(1), rb(2);
    struct Null final : EventSink {
        void onEvent(const Event &) override {}
    } events;
    Loopback la, lb;
    TcpConfig cfg;
    cfg.socket.noDelay = true;
    cfg.socket.sendBuffer = cfg.socket.recvBuffer = 4 << 20;
    TcpLayer a(0, cfg, la, events, ra), b(1, cfg, lb, events, rb);
    Instant now = instantFromNanos(1'000'000'000);
    auto sink = std::move(startTcpService(b, events, 1, 5001, "sink").value());
    std::uint64_t queued = 0;
    TcpSocketId s = kNoSocket;
    Bytes chunk(65536);
    for (std::size_t i = 0; i < chunk.size(); ++i)
        chunk[i] = std::uint8_t(i);
    auto pump = [&] {
        while (queued < bytes) {
            auto r =
                a.send(now, s, ByteView(chunk).first(std::min<std::uint64_t>(chunk.size(), bytes - queued)));
            if (!r.ok() || *r == 0) break;
            queued += *r;
        }
    };
    s = *a.connect(now, {IpAddr(*Ip4Addr::parse(kKernelIp)), 0}, {IpAddr(*Ip4Addr::parse(kEngineIp)), 5001},
                   [&](TcpSocketId, std::uint32_t bits) {
                       if (bits & (tcpready::kWritable | tcpready::kConnected)) pump();
                   });
    const double cpu0 = cpuSeconds();
    const auto t0 = Clock::now();
    std::vector<Loopback::Packet> batch;
    while (sink->bytesIn() < bytes && Clock::now() - t0 < std::chrono::seconds(20)) {
        now += std::chrono::microseconds(10);
        batch.swap(la.queue);
        for (const auto &p : batch)
            b.input(now, p.meta, p.segment());
        batch.clear();
        batch.swap(lb.queue);
        for (const auto &p : batch)
            a.input(now, p.meta, p.segment());
        batch.clear();
        if (a.pollAt() <= now) a.poll(now);
        if (b.pollAt() <= now) b.poll(now);
    }
    Figure f;
    f.seconds = std::chrono::duration<double>(Clock::now() - t0).count();
    f.gbit = double(sink->bytesIn()) * 8 / f.seconds / 1e9;
    f.cpuUsPerMb = (cpuSeconds() - cpu0) * 1e6 / (double(sink->bytesIn()) / 1e6);
    f.segments = a.counters().segmentsOut + b.counters().segmentsOut;
    return f;
}

} // namespace

int main(int argc, char **argv)
{
    const std::uint64_t bytes = argc > 1 ? std::strtoull(argv[1], nullptr, 10) : 200'000'000ull;
    const Figure f = engineToEngine(bytes);
    std::printf("{\"bytes\":%llu,\"engine_engine\":{\"gbit_per_s\":%.3f,\"seconds\":%.3f,\"cpu_us_per_mb\":%."
                "1f,\"segments\":%llu}}\n",
                static_cast<unsigned long long>(bytes), f.gbit, f.seconds, f.cpuUsPerMb,
                static_cast<unsigned long long>(f.segments));
    return 0;
}

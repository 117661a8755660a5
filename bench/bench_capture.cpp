// Capture figures, each against a reference measured in the same run (prints one JSON object):
//  - recording overhead: a bulk TCP transfer's frames (1448-byte segments, an ACK every second
//    one) through a host's receive path, without and then with the Recorder (store, flow tracker,
//    analysis labels). The host here has no TCP layer, so its own cost per frame is lower than in a
//    real run: the overhead printed is an upper bound of what recording adds to bulk throughput.
//  - export and import rates in packets per second for pcapng, against `tshark -r F -w OUT` on the
//    same file (tshark's start-up time included, which is why the run is large);
//  - memory per stored packet beyond its bytes.
// Usage: bench_capture [frames [record-only]]   (default 200000)
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <unistd.h>
#include <vector>

#include "capture/capture_export.h"
#include "capture/capture_import.h"
#include "capture/flow_tracker.h"
#include "capture/packet_store.h"
#include "capture/recorder.h"
#include "link/link.h"
#include "stack/host.h"
#include "stack/session_source.h"
#include "wire/ethernet.h"
#include "wire/ip_proto.h"
#include "wire/ipv4.h"
#include "wire/tcp.h"

using namespace tcplab;

namespace {

class DiscardLink final : public Link {
public:
    const std::string &name() const override { return name_; }
    TxResult transmit(Instant, ByteView, std::uint64_t) override { return TxResult::Sent; }
    std::size_t drain(Instant, std::size_t, const RxHandler &) override { return 0; }
    LinkCounters counters() const override { return {}; }

private:
    std::string name_ = "discard";
};

struct NullEvents final : EventSink {
    void onEvent(const Event &) override {}
};

class TrackerSource final : public SessionSource {
public:
    explicit TrackerSource(FlowTracker &f) : flows_(f) {}
    SessionTag observeTcp(Instant now, const Endpoint &src, const Endpoint &dst, std::uint8_t flags,
                          std::uint32_t seq) override
    {
        const auto o = flows_.observe(now, src, dst, flags, SeqNum(seq));
        return {o.session, o.ordinal, o.start, o.isNew};
    }

private:
    FlowTracker &flows_;
};

const MacAddr kPeerMac{{0x02, 0, 0, 0, 0, 0x01}};
const MacAddr kHostMac{{0x02, 0, 0, 0, 0, 0x02}};

Bytes frame(bool fromPeer, std::uint8_t flags, std::uint32_t seq, std::uint32_t ack, const Bytes &payload)
{
    const Ip4Addr peer = *Ip4Addr::parse("198.18.0.1"), host = *Ip4Addr::parse("198.18.0.2");
    TcpHeader t;
    t.sourcePort = fromPeer ? 40000 : 5001;
    t.destinationPort = fromPeer ? 5001 : 40000;
    t.seq = SeqNum(seq);
    t.ack = SeqNum(ack);
    t.flags = TcpFlags(flags);
    t.window = 65535;
    Ipv4Header i;
    i.protocol = ipproto::kTcp;
    i.source = fromPeer ? peer : host;
    i.destination = fromPeer ? host : peer;
    const Bytes tcp = serializeTcp(t, payload, IpAddr(i.source), IpAddr(i.destination));
    return buildEthernet({fromPeer ? kHostMac : kPeerMac, fromPeer ? kPeerMac : kHostMac, 0x0800},
                         buildIpv4(i, tcp));
}

std::vector<Bytes> bulkTransfer(std::size_t total)
{
    std::vector<Bytes> frames;
    const Bytes data(1448, 0x5a), none;
    std::uint32_t seq = 1000;
    frames.push_back(frame(true, TcpFlags::kSyn, seq - 1, 0, none));
    frames.push_back(frame(false, TcpFlags::kSyn | TcpFlags::kAck, 9000, seq, none));
    frames.push_back(frame(true, TcpFlags::kAck, seq, 9001, none));
    while (frames.size() < total) {
        for (int k = 0; k < 2; ++k, seq += 1448)
            frames.push_back(frame(true, TcpFlags::kAck, seq, 9001, data));
        frames.push_back(frame(false, TcpFlags::kAck, 9001, seq, none));
    }
    frames.resize(total);
    return frames;
}

double seconds(std::chrono::steady_clock::time_point since)
{
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - since).count();
}

double runHost(const std::vector<Bytes> &frames, FrameSink *sink, SessionSource *source)
{
    NullEvents events;
    HostConfig config;
    config.name = "bench";
    config.mac = kHostMac;
    config.addresses = {*IpPrefix::parse("198.18.0.2/24")};
    Host host(0, config, events);
    DiscardLink link;
    host.attach(&link, 0);
    host.setFrameSink(sink);
    host.setSessionSource(source);
    const auto start = std::chrono::steady_clock::now();
    for (std::size_t i = 0; i < frames.size(); ++i)
        host.receiveFrame(Instant(std::chrono::microseconds(10 * i)), frames[i]);
    return seconds(start);
}

} // namespace

int main(int argc, char **argv)
{
    const std::size_t total = argc > 1 ? std::stoul(argv[1]) : 200'000;
    const auto frames = bulkTransfer(total);

    // Warm-up, then alternate without/with so both see the same machine noise.
    runHost(std::vector<Bytes>(frames.begin(), frames.begin() + std::min<std::size_t>(total, 20000)), nullptr,
            nullptr);
    double without = 0, with = 0;
    PacketStore *kept = nullptr;
    std::vector<std::unique_ptr<PacketStore>> stores;
    for (int round = 0; round < 3; ++round) {
        without += runHost(frames, nullptr, nullptr);
        auto store = std::make_unique<PacketStore>();
        FlowTracker flows;
        Recorder rec(*store, flows);
        TrackerSource source(flows);
        with += runHost(frames, &rec, &source);
        stores.push_back(std::move(store));
        if (stores.size() > 1) stores.erase(stores.begin()); // keep one for the file figures
    }
    kept = stores.back().get();
    const double overhead = (with - without) / without;
    if (argc > 2 && std::string(argv[2]) == "record-only") { // for profiling the recording path
        std::printf("{\"bench\":\"capture\",\"recording_overhead_upper_bound\":%.3f}\n", overhead);
        return 0;
    }

    char dirTemplate[] = "/tmp/tcplab-bench-capture-XXXXXX";
    const std::string dir = ::mkdtemp(dirTemplate) ? dirTemplate : "/tmp";
    const std::string file = dir + "/bulk.pcapng", again = dir + "/tshark.pcapng";
    auto t0 = std::chrono::steady_clock::now();
    auto exported = exportCapture(*kept, file, {});
    const double exportS = seconds(t0);
    if (!exported) {
        std::printf("{\"bench\":\"capture\",\"error\":\"%s\"}\n", exported.error().message.c_str());
        return 1;
    }
    t0 = std::chrono::steady_clock::now();
    PacketStore imported;
    FlowTracker importFlows;
    auto imp = importCapture(file, imported, importFlows);
    const double importS = seconds(t0);
    t0 = std::chrono::steady_clock::now();
    const std::string cmd = "tshark -r " + file + " -w " + again + " >/dev/null 2>&1";
    const int tsharkRc = std::system(cmd.c_str());
    const double tsharkS = seconds(t0);
    std::remove(file.c_str());
    std::remove(again.c_str());
    ::rmdir(dir.c_str());

    const double perPacket = double(kept->memoryBytes() - kept->frameBytes()) / double(kept->size());
    const double n = double(total);
    std::printf("{\"bench\":\"capture\",\"frames\":%zu,"
                "\"host_path_frames_per_s_without_store\":%.0f,\"host_path_frames_per_s_with_store\":%.0f,"
                "\"recording_overhead_upper_bound\":%.3f,"
                "\"export_pcapng_packets_per_s\":%.0f,\"import_pcapng_packets_per_s\":%.0f,"
                "\"tshark_read_write_packets_per_s\":%.0f,\"tshark_exit\":%d,"
                "\"export_vs_tshark\":%.2f,\"import_vs_tshark\":%.2f,\"import_ok\":%s,"
                "\"store_bytes_per_packet_beyond_frame\":%.1f,\"file_bytes\":%llu}\n",
                total, 3 * n / without, 3 * n / with, overhead, n / exportS, n / importS, n / tsharkS,
                tsharkRc, tsharkS / exportS, tsharkS / importS, imp ? "true" : "false", perPacket,
                static_cast<unsigned long long>(exported->bytes));
    return 0;
}

// Recording overhead on bulk TCP, measured as the performance target states it: the same engine<->engine
// transfer on the demo network (two hosts, a VirtualWire with no latency and no loss, the client
// sending to the `sink` service), once without and once with a Recorder + PacketStore attached to
// the lab (every frame of both hosts stored, events as annotations, analysis labels on). Runs
// alternate without/with so both see the same machine noise; the figure is the median of the
// per-pair throughput ratios, throughput counted per CPU second of the (single) engine thread so
// that the neighbours' load on a shared machine does not decide the figure (wall-clock too). Also
// prints the store's memory per stored packet beyond its bytes. Process CPU (every thread, the
// store's helper included) is printed as well, so that work moved off the engine thread shows.
// A recorded frame crosses the wire as the store's copy (Link::transmitLent), an unrecorded one as
// the wire's own copy: the figure is what recording costs the demo lab, net of the copy it saves.
//
// Usage: bench_capture_bulk [--labels=background|inline|off] [--snaplen=N] [--views=both|client]
// [--interleaved[=BYTES]] [bytes
// [pairs [with-only|without-only]]] (default 200 MB, 5 pairs, labels on the LabelWorker thread as tcplab-cli
// --pcap and the GUI's tap lab record). Prints one JSON object. with-only/without-only run one side only (for
// profiling).
#include <algorithm>
#include <array>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "capture/packet_store.h"
#include "capture/recorder.h"
#include "host/lab.h"
#include "services/tcp_services.h"
#include "tcp/tcp_layer.h"

using namespace tcplab;
using Clock = std::chrono::steady_clock;

namespace {

// CPU time of this thread: on a shared, loaded machine wall time mostly measures the neighbours.
double cpuSeconds(clockid_t clock)
{
    timespec ts{};
    ::clock_gettime(clock, &ts);
    return double(ts.tv_sec) + double(ts.tv_nsec) / 1e9;
}
double threadCpuSeconds()
{
    return cpuSeconds(CLOCK_THREAD_CPUTIME_ID);
}
// Every thread of the process: the store's helper thread (pre-faulting its memory) counts too.
double processCpuSeconds()
{
    return cpuSeconds(CLOCK_PROCESS_CPUTIME_ID);
}

struct Run {
    double seconds = 0, gbit = 0, cpuSeconds = 0, cpuGbit = 0, processCpuGbit = 0;
    std::uint64_t bytes = 0, frames = 0, storeMemory = 0, storeFrameBytes = 0, notRecorded = 0;
    bool complete = false;
};

// The transfer both measurements drive: the client sends `bytes` to the server's `sink` service
// over the demo wire with no latency and no loss, 4 MB socket buffers each side. A recorder
// attached to `lab` before start() sees every frame.
struct BulkTransfer {
    BulkTransfer(std::uint64_t total, bool clientOnlyView)
        : bytes(total), clientOnly(clientOnlyView), chunk(65536)
    {
        DemoLabConfig cfg;
        cfg.clientToServer = {};
        cfg.serverToClient = {};
        lab = Lab::demo(cfg);
        for (std::size_t i = 0; i < chunk.size(); ++i)
            chunk[i] = std::uint8_t(i);
    }
    void start()
    {
        TcpConfig tcp;
        tcp.socket.sendBuffer = tcp.socket.recvBuffer = 4 << 20;
        Host &client = lab->host(0);
        Host &server = lab->host(1);
        ct = &lab->addTcp(client, tcp);
        TcpLayer &st = lab->addTcp(server, tcp);
        sink = std::move(startTcpService(st, lab->events(), server.id(), 5001, "sink").value());
        lab->start(now);
        socket = *ct->connect(now, {client.config().addresses.front().addr, 0},
                              {server.config().addresses.front().addr, 5001},
                              [this](TcpSocketId, std::uint32_t bits) {
                                  if (bits & (tcpready::kWritable | tcpready::kConnected)) pump();
                              });
    }
    void pump()
    {
        while (queued < bytes) {
            auto r = ct->send(now, socket,
                              ByteView(chunk).first(std::min<std::uint64_t>(chunk.size(), bytes - queued)));
            if (!r.ok() || *r == 0) break;
            queued += *r;
        }
    }
    std::uint64_t delivered() const { return sink->bytesIn(); }
    // Attaches `recorder` (nullptr: detaches it) to both hosts, as the demo lab records, or with
    // clientOnly to the client alone, as a tap lab records the one host it runs (the server
    // playing the far end).
    void record(Recorder *recorder)
    {
        if (clientOnly)
            lab->host(0).setFrameSink(recorder);
        else
            lab->setFrameSink(recorder);
        if (recorder)
            lab->events().add(recorder);
        else if (recording)
            lab->events().remove(recording);
        recording = recorder;
    }

    std::uint64_t bytes, queued = 0;
    bool clientOnly = false;
    Recorder *recording = nullptr;
    Bytes chunk;
    std::unique_ptr<Lab> lab;
    TcpLayer *ct = nullptr;
    std::unique_ptr<TcpService> sink; // after lab: closed before the lab goes
    TcpSocketId socket = kNoSocket;
    Instant now = instantFromNanos(1'000'000'000);
};

Run bulk(std::uint64_t bytes, bool record, RecorderConfig recorderConfig, bool clientOnly)
{
    BulkTransfer t(bytes, clientOnly);
    std::unique_ptr<PacketStore> store;
    std::unique_ptr<Recorder> recorder;
    if (record) {
        store = std::make_unique<PacketStore>();
        recorder = std::make_unique<Recorder>(*store, t.lab->flows(), recorderConfig);
        store->setWarningSink(&t.lab->events());
        t.record(recorder.get());
    }
    t.start();
    const auto t0 = Clock::now();
    const double cpu0 = threadCpuSeconds(), processCpu0 = processCpuSeconds();
    while (t.delivered() < bytes && Clock::now() - t0 < std::chrono::seconds(60)) {
        t.now += std::chrono::microseconds(10);
        t.lab->poll(t.now);
    }
    // Labels still being computed off the engine thread count as part of the recording's cost.
    if (recorder) recorder->settle();
    Run r;
    r.seconds = std::chrono::duration<double>(Clock::now() - t0).count();
    r.cpuSeconds = threadCpuSeconds() - cpu0;
    const double processCpu = processCpuSeconds() - processCpu0;
    r.bytes = t.delivered();
    r.complete = r.bytes >= bytes;
    r.gbit = double(r.bytes) * 8 / r.seconds / 1e9;
    r.cpuGbit = double(r.bytes) * 8 / r.cpuSeconds / 1e9;
    r.processCpuGbit = double(r.bytes) * 8 / processCpu / 1e9;
    if (store) {
        r.frames = store->size();
        r.storeMemory = store->memoryBytes();
        r.storeFrameBytes = store->frameBytes();
        r.notRecorded = store->framesNotRecorded();
        t.record(nullptr);
    }
    return r;
}

// The same comparison inside one transfer: recording is switched on and off every `sliceBytes`
// delivered to the sink, and each slice's engine-thread CPU and wall time are kept. Slices come in
// pairs (which one goes first alternates), so both states of a pair meet the same machine within
// milliseconds of each other: on a shared machine whose speed drifts by tens of percent from one
// run to the next, this is the steadier figure. Frames of the unrecorded slices are not stored,
// and the LabelWorker's catching up (on its own thread) is outside every slice.
struct Interleaved {
    std::vector<double> cpuRatios, wallRatios;
    double cpuWith = 0, cpuWithout = 0, wallWith = 0, wallWithout = 0;
    std::uint64_t bytesWith = 0, bytesWithout = 0, frames = 0;
    bool complete = false;
};

Interleaved interleaved(std::uint64_t bytes, std::uint64_t sliceBytes, RecorderConfig recorderConfig,
                        bool clientOnly)
{
    BulkTransfer t(bytes, clientOnly);
    PacketStore store;
    Recorder recorder(store, t.lab->flows(), recorderConfig);
    store.setWarningSink(&t.lab->events());
    t.start();
    const auto record = [&](bool on) { t.record(on ? &recorder : nullptr); };
    Interleaved out;
    const auto deadline = Clock::now() + std::chrono::seconds(120);
    // One slice: run until the sink has `sliceBytes` more; returns {cpu, wall, bytes}.
    const auto slice = [&](bool recording) {
        record(recording);
        const std::uint64_t from = t.delivered(), until = std::min(bytes, from + sliceBytes);
        const auto t0 = Clock::now();
        const double cpu0 = threadCpuSeconds();
        // Host by host rather than Lab::poll, which on this zero-latency wire goes round until
        // tens of megabytes have crossed: a slice ends within one host poll (256 frames) of its mark.
        while (t.delivered() < until && Clock::now() < deadline) {
            t.now += std::chrono::microseconds(10);
            t.lab->host(0).poll(t.now);
            t.lab->host(1).poll(t.now);
        }
        const double cpu = threadCpuSeconds() - cpu0;
        const double wall = std::chrono::duration<double>(Clock::now() - t0).count();
        return std::array<double, 3>{cpu, wall, double(t.delivered() - from)};
    };
    // The handshake and slow start, unmeasured.
    while (t.delivered() < sliceBytes && Clock::now() < deadline) {
        t.now += std::chrono::microseconds(10);
        t.lab->poll(t.now);
    }
    for (int k = 0; t.delivered() + 2 * sliceBytes <= bytes && Clock::now() < deadline; ++k) {
        std::array<double, 3> off{}, on{};
        if (k % 2 == 0) {
            off = slice(false);
            on = slice(true);
        } else {
            on = slice(true);
            off = slice(false);
        }
        out.cpuRatios.push_back((on[2] / on[0]) / (off[2] / off[0]));
        out.wallRatios.push_back((on[2] / on[1]) / (off[2] / off[1]));
        out.cpuWith += on[0];
        out.wallWith += on[1];
        out.bytesWith += std::uint64_t(on[2]);
        out.cpuWithout += off[0];
        out.wallWithout += off[1];
        out.bytesWithout += std::uint64_t(off[2]);
    }
    record(false);
    out.complete = !out.cpuRatios.empty() && Clock::now() < deadline;
    out.frames = store.size();
    recorder.settle();
    return out;
}

double loadAverage()
{
    double load[1] = {0};
    return ::getloadavg(load, 1) == 1 ? load[0] : -1;
}

double median(std::vector<double> v)
{
    std::sort(v.begin(), v.end());
    const std::size_t n = v.size();
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

} // namespace

int main(int argc, char **argv)
{
    if (argc > 1 && (std::string(argv[1]) == "--help" || std::string(argv[1]) == "-h")) {
        std::printf(
            "usage: bench_capture_bulk [--labels=background|inline|off] [--snaplen=N] "
            "[--views=both|client] [--interleaved[=BYTES]]\n"
            "       [bytes [pairs "
            "[with-only|without-only]]]\n"
            "  Bulk TCP between two engine hosts on the demo wire, runs alternating without and\n"
            "  with a Recorder + PacketStore; prints one JSON object: per-pair wall and engine-thread\n"
            "  CPU throughput, the median with/without ratios (wall, CPU, process CPU), store bytes\n"
            "  per packet beyond frame bytes and the 1-minute load average. Defaults: 200000000 5.\n"
            "  --labels: where the Recorder computes analysis labels (default background: on the\n"
            "  LabelWorker thread, as tcplab-cli --pcap and the tap lab do; inline: on the engine thread).\n"
            "  --snaplen=N: keep N bytes of each frame, as tcplab-cli --pcap-snaplen N (default: all).\n"
            "  --views=client: record only the client's frames, as a tap lab records its one host\n"
            "  (default both: every frame as each host saw it, as the demo lab records).\n"
            "  --interleaved[=BYTES]: `pairs` transfers, each switching recording on and off every\n"
            "  BYTES (default 4000000) delivered; the ratios compare each slice with its neighbour.\n");
        return 0;
    }
    RecorderConfig::Analysis labels = RecorderConfig::Analysis::Background;
    std::string labelsName = "background";
    std::uint32_t snapLength = 0;
    std::vector<std::string> args;
    std::uint64_t sliceBytes = 0; // --interleaved[=BYTES]
    bool clientOnly = false;      // --views=client
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        if (a.rfind("--views=", 0) == 0) {
            if (a != "--views=client" && a != "--views=both") {
                std::fprintf(stderr, "bench_capture_bulk: --views must be both or client, not \"%s\"\n",
                             a.c_str() + 8);
                return 2;
            }
            clientOnly = a == "--views=client";
            continue;
        }
        if (a == "--interleaved" || a.rfind("--interleaved=", 0) == 0) {
            sliceBytes = a.size() > 14 ? std::strtoull(a.c_str() + 14, nullptr, 10) : 4'000'000;
            if (sliceBytes < 100'000) {
                std::fprintf(stderr,
                             "bench_capture_bulk: --interleaved slices must be 100000 bytes or more\n");
                return 2;
            }
            continue;
        }
        if (a.rfind("--snaplen=", 0) == 0) {
            snapLength = static_cast<std::uint32_t>(std::strtoul(a.c_str() + 10, nullptr, 10));
            if (snapLength < 64) {
                std::fprintf(stderr, "bench_capture_bulk: --snaplen must be 64 or more, not \"%s\"\n",
                             a.c_str() + 10);
                return 2;
            }
            continue;
        }
        if (a.rfind("--labels=", 0) != 0) {
            args.push_back(a);
            continue;
        }
        labelsName = a.substr(9);
        if (labelsName == "inline")
            labels = RecorderConfig::Analysis::Inline;
        else if (labelsName == "off")
            labels = RecorderConfig::Analysis::Off;
        else if (labelsName != "background") {
            std::fprintf(stderr,
                         "bench_capture_bulk: --labels must be background, inline or off, not \"%s\"\n",
                         labelsName.c_str());
            return 2;
        }
    }
    const RecorderConfig recorder{.analysis = labels, .snapLength = snapLength};
    const std::uint64_t bytes =
        args.size() > 0 ? std::strtoull(args[0].c_str(), nullptr, 10) : 200'000'000ull;
    const int pairs = args.size() > 1 ? std::atoi(args[1].c_str()) : 5;
    const std::string only = args.size() > 2 ? args[2] : "";
    // The engine always runs in a multi-threaded process (the GUI's threads, EngineHost's worker,
    // the store's helper); glibc's malloc takes a lock-free path only while a process has never
    // had a second thread. Make that so from the start, for both sides and every run.
    std::thread([] {}).join();
    if (only == "with-only" || only == "without-only") {
        const Run one = bulk(bytes, only == "with-only", recorder, clientOnly);
        std::printf(
            "{\"bench\":\"capture_bulk\",\"%s\":{\"cpu_gbit_per_s\":%.3f,\"wall_gbit_per_s\":%.3f}}\n",
            only.c_str(), one.cpuGbit, one.gbit);
        return one.complete ? 0 : 1;
    }
    if (sliceBytes) {
        // Each run is one transfer; the figure pools every run's slice pairs.
        std::vector<double> cpuRatios, wallRatios;
        double cpuWith = 0, cpuWithout = 0, wallWith = 0, wallWithout = 0, bytesWith = 0, bytesWithout = 0;
        bool complete = true;
        interleaved(bytes / 10, sliceBytes / 4, recorder, clientOnly); // warm-up (code, allocator)
        for (int k = 0; k < pairs; ++k) {
            const Interleaved r = interleaved(bytes, sliceBytes, recorder, clientOnly);
            complete = complete && r.complete;
            cpuRatios.insert(cpuRatios.end(), r.cpuRatios.begin(), r.cpuRatios.end());
            wallRatios.insert(wallRatios.end(), r.wallRatios.begin(), r.wallRatios.end());
            cpuWith += r.cpuWith;
            cpuWithout += r.cpuWithout;
            wallWith += r.wallWith;
            wallWithout += r.wallWithout;
            bytesWith += double(r.bytesWith);
            bytesWithout += double(r.bytesWithout);
        }
        const double pooledCpu = (bytesWith / cpuWith) / (bytesWithout / cpuWithout);
        const double pooledWall = (bytesWith / wallWith) / (bytesWithout / wallWithout);
        std::printf(
            "{\"bench\":\"capture_bulk_interleaved\",\"views\":\"%s\",\"labels\":\"%s\",\"snaplen\":%u,"
            "\"bytes\":%llu,"
            "\"runs\":%d,\"slice_bytes\":%llu,\"slice_pairs\":%zu,\"complete\":%s,"
            "\"median_cpu_throughput_ratio_with_over_without\":%.3f,"
            "\"pooled_cpu_throughput_ratio_with_over_without\":%.3f,"
            "\"median_wall_throughput_ratio_with_over_without\":%.3f,"
            "\"pooled_wall_throughput_ratio_with_over_without\":%.3f,"
            "\"cpu_gbit_per_s_with\":%.3f,\"cpu_gbit_per_s_without\":%.3f,\"load_average_1min\":%.2f}\n",
            clientOnly ? "client" : "both", labelsName.c_str(), snapLength,
            static_cast<unsigned long long>(bytes), pairs, static_cast<unsigned long long>(sliceBytes),
            cpuRatios.size(), complete ? "true" : "false", median(cpuRatios), pooledCpu, median(wallRatios),
            pooledWall, bytesWith * 8 / cpuWith / 1e9, bytesWithout * 8 / cpuWithout / 1e9, loadAverage());
        return complete ? 0 : 1;
    }
    bulk(bytes / 10, false, recorder, clientOnly); // warm-up (code, allocator)
    std::vector<double> ratios, cpuRatios, processCpuRatios, without, with, cpuWithout, cpuWith;
    Run last;
    bool complete = true;
    for (int k = 0; k < pairs; ++k) {
        // Alternate which goes first, so a drift in machine load does not favour one side.
        Run a, b;
        if (k % 2 == 0) {
            a = bulk(bytes, false, recorder, clientOnly);
            b = bulk(bytes, true, recorder, clientOnly);
        } else {
            b = bulk(bytes, true, recorder, clientOnly);
            a = bulk(bytes, false, recorder, clientOnly);
        }
        complete = complete && a.complete && b.complete;
        without.push_back(a.gbit);
        with.push_back(b.gbit);
        cpuWithout.push_back(a.cpuGbit);
        cpuWith.push_back(b.cpuGbit);
        ratios.push_back(b.gbit / a.gbit);
        cpuRatios.push_back(b.cpuGbit / a.cpuGbit);
        processCpuRatios.push_back(b.processCpuGbit / a.processCpuGbit);
        last = b;
    }
    const double perPacket =
        last.frames ? double(last.storeMemory - last.storeFrameBytes) / double(last.frames) : 0;
    const auto list = [](const std::vector<double> &v) {
        std::string out;
        for (std::size_t k = 0; k < v.size(); ++k) {
            char b[32];
            std::snprintf(b, sizeof b, "%s%.3f", k ? "," : "", v[k]);
            out += b;
        }
        return "[" + out + "]";
    };
    // Throughput per CPU second of the engine thread is the figure to read on a shared machine;
    // wall-clock throughput is printed too.
    std::printf("{\"bench\":\"capture_bulk\",\"views\":\"%s\",\"labels\":\"%s\",\"snaplen\":%u,\"bytes\":%"
                "llu,\"pairs\":%d,"
                "\"complete\":%s,"
                "\"cpu_gbit_per_s_without_store\":%s,\"cpu_gbit_per_s_with_store\":%s,"
                "\"median_cpu_gbit_per_s_without\":%.3f,\"median_cpu_gbit_per_s_with\":%.3f,"
                "\"median_cpu_throughput_ratio_with_over_without\":%.3f,\"median_cpu_overhead\":%.3f,"
                "\"wall_gbit_per_s_without_store\":%s,\"wall_gbit_per_s_with_store\":%s,"
                "\"median_wall_throughput_ratio_with_over_without\":%.3f,"
                "\"median_process_cpu_throughput_ratio_with_over_without\":%.3f,"
                "\"frames_stored\":%llu,\"frames_not_recorded\":%llu,\"frame_bytes_held\":%llu,"
                "\"store_memory_bytes\":%llu,\"store_bytes_per_packet_beyond_frame\":%.1f,"
                "\"load_average_1min\":%.2f}\n",
                clientOnly ? "client" : "both", labelsName.c_str(), snapLength,
                static_cast<unsigned long long>(bytes), pairs, complete ? "true" : "false",
                list(cpuWithout).c_str(), list(cpuWith).c_str(), median(cpuWithout), median(cpuWith),
                median(cpuRatios), 1.0 / median(cpuRatios) - 1.0, list(without).c_str(), list(with).c_str(),
                median(ratios), median(processCpuRatios), static_cast<unsigned long long>(last.frames),
                static_cast<unsigned long long>(last.notRecorded),
                static_cast<unsigned long long>(last.storeFrameBytes),
                static_cast<unsigned long long>(last.storeMemory), perPacket, loadAverage());
    return complete ? 0 : 1;
}

// `--pcap FILE`: record every frame of the run (the Recorder as the lab's FrameSink and EventSink,
// the lab's FlowTracker for its sessions) and write it when the engine has stopped.
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <memory>

#include "capture/flow_tracker.h"
#include "capture/packet_store.h"
#include "capture/recorder.h"
#include "cli/cli_capture.h"
#include "cli/cli_options.h"
#include "host/lab.h"

namespace tcplab {

namespace {

struct CaptureRun {
    std::string path;
    std::unique_ptr<PacketStore> store;
    std::unique_ptr<Recorder> recorder;
    std::int64_t wallAtLabZeroNs = 0;
    FrameViews views = FrameViews::Once;
    std::uint32_t snapLength = 0;
    StoreConfig storeConfig{.onFull = StoreConfig::OnFull::Spill};
    bool memoryGiven = false;
    bool spillGiven = false;    // --pcap-spill-dir; otherwise $TMPDIR, else /tmp
    const char *spillInMemory = nullptr; // the spill directory's file system when in memory (tmpfs, ramfs)
    bool whenFullGiven = false; // --pcap-when-full
};

// "--pcap-memory 4G" and the like: a size, or the reason it is not one.
Expected<std::uint64_t> sizeOption(const char *option, std::string_view value)
{
    const auto n = StoreConfig::parseSize(value);
    if (!n || *n == 0)
        return Error{std::string(option) + ": expected " + StoreConfig::kSizeForm + ", got \"" +
                     std::string(value) + "\""};
    return *n;
}

std::string mebibytes(std::uint64_t bytes)
{
    return std::to_string(bytes >> 20) + " MiB";
}

// --pcap-reserve: waits until the store's helper thread has mapped and faulted in the reserve, so
// that the run's traffic never waits for fresh pages. SIGINT and SIGTERM are blocked here (the CLI
// reads them from a signalfd once the engine runs), so they are looked for as pending signals.
Status awaitReserve(const PacketStore &store)
{
    const auto t0 = std::chrono::steady_clock::now();
    std::cerr << "tcplab-cli: --pcap-reserve: mapping " << mebibytes(store.reserveState().asked)
              << " for the capture store" << std::endl;
    const auto interrupted = [] {
        sigset_t pending;
        sigpending(&pending);
        return sigismember(&pending, SIGINT) || sigismember(&pending, SIGTERM);
    };
    const ChunkAllocator::ReserveState r = store.awaitReserve(interrupted);
    if (!r.done())
        return Error{"--pcap-reserve: interrupted after " + mebibytes(r.prepared) + " of " +
                     mebibytes(r.asked)};
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    if (!r.error.empty())
        std::cerr << "tcplab-cli: --pcap-reserve: only " << mebibytes(r.prepared) << " of "
                  << mebibytes(r.asked) << " (" << r.error << "); the rest is mapped as frames come"
                  << std::endl;
    else {
        char took[32];
        std::snprintf(took, sizeof took, "%.1f s", seconds);
        std::cerr << "tcplab-cli: --pcap-reserve: " << mebibytes(r.prepared) << " ready in " << took
                  << std::endl;
    }
    return okStatus();
}

// Each host's name, MAC and addresses; the recorder names each (host, link) interface after them
// when the host's first frame on that link arrives.
void describeHosts(Lab &lab, Recorder &recorder)
{
    for (std::size_t h = 0; h < lab.hostCount(); ++h) {
        const Host &host = lab.host(static_cast<HostId>(h));
        InterfaceInfo info;
        info.host = host.id();
        info.name = host.name() + (host.link() ? "/" + host.link()->name() : std::string());
        info.mac = host.mac();
        info.addresses = host.config().addresses;
        recorder.describeHost(info);
    }
}

}  // namespace

CliExtension captureCliExtension()
{
    auto run = std::make_shared<CaptureRun>();
    CliExtension e;
    e.name = "capture";
    e.options.push_back({"pcap", "FILE",
                         "write every frame of the run to FILE when it ends (pcapng with annotations; "
                         "classic pcap when FILE ends in .pcap)",
                         [run](CliOptions &, std::string_view value) -> Status {
                             if (value.empty()) return Error{"--pcap: expected a file name"};
                             run->path = std::string(value);
                             return okStatus();
                         }});
    e.options.push_back({"pcap-both-views", "",
                         "with --pcap on the demo network: write each frame as both hosts saw it (sent and "
                         "received) instead of once as sent; Wireshark then labels the second copies retransmissions",
                         [run](CliOptions &, std::string_view) -> Status {
                             run->views = FrameViews::Every;
                             return okStatus();
                         }});
    e.options.push_back({"pcap-snaplen", "N",
                         "with --pcap: keep at most N bytes of each frame (64 to 262144), like tcpdump -s; "
                         "lengths, sessions and analysis labels stay those of the whole frames",
                         [run](CliOptions &, std::string_view value) -> Status {
                             const auto n = RecorderConfig::parseSnapLength(value);
                             if (!n)
                                 return Error{"--pcap-snaplen: expected a number of bytes from " +
                                              std::to_string(RecorderConfig::kMinSnapLength) + " to " +
                                              std::to_string(RecorderConfig::kMaxSnapLength) + ", got \"" +
                                              std::string(value) + "\""};
                             run->snapLength = *n;
                             return okStatus();
                         }});
    e.options.push_back(
        {"pcap-memory", "SIZE",
         "with --pcap: RAM for the capture (like 512M or 8G; default 2G); past it, frames go to an "
         "unlinked temporary file in the spill directory (or recording stops: --pcap-when-full), with a "
         "warning",
         [run](CliOptions &, std::string_view value) -> Status {
             auto n = sizeOption("--pcap-memory", value);
             if (!n) return n.error();
             run->storeConfig.memoryLimit = *n;
             run->memoryGiven = true;
             return okStatus();
         }});
    e.options.push_back({"pcap-reserve", "SIZE",
                         "with --pcap: map and fault in SIZE of that memory before the run starts (at most "
                         "--pcap-memory), so that a fast transfer does not wait for the kernel's fresh pages",
                         [run](CliOptions &, std::string_view value) -> Status {
                             auto n = sizeOption("--pcap-reserve", value);
                             if (!n) return n.error();
                             if (*n < StoreConfig::kChunk)
                                 return Error{
                                     "--pcap-reserve: at least 1M (the capture takes memory in 1 MiB "
                                     "chunks), got \"" +
                                     std::string(value) + "\""};
                             run->storeConfig.reserve = *n;
                             return okStatus();
                         }});
    e.options.push_back(
        {"pcap-spill-dir", "DIR",
         "with --pcap: where frames past --pcap-memory go, in an unlinked temporary file "
         "(default: $TMPDIR, else /tmp); a directory on disk: on tmpfs they would still take RAM",
         [run](CliOptions &, std::string_view value) -> Status {
             run->storeConfig.spillDirectory = std::string(value);
             run->spillGiven = true;
             return okStatus();
         }});
    e.options.push_back({"pcap-when-full", "spill|stop",
                         "with --pcap: past --pcap-memory, keep the frames in a spill file (spill, the "
                         "default) or stop recording (stop); a warning and an event say which, when",
                         [run](CliOptions &, std::string_view value) -> Status {
                             const auto onFull = StoreConfig::parseOnFull(value);
                             if (!onFull)
                                 return Error{"--pcap-when-full: expected spill or stop, got \"" +
                                              std::string(value) + "\""};
                             run->storeConfig.onFull = *onFull;
                             run->whenFullGiven = true;
                             return okStatus();
                         }});
    e.check = [run]() -> Status {
        const bool spills = run->storeConfig.onFull == StoreConfig::OnFull::Spill;
        if (run->path.empty() && run->spillGiven) return Error{"--pcap-spill-dir: needs --pcap FILE"};
        if (run->path.empty() && run->whenFullGiven) return Error{"--pcap-when-full: needs --pcap FILE"};
        if (run->spillGiven && !spills) return Error{"--pcap-spill-dir: not used with --pcap-when-full stop"};
        if (!run->path.empty() && spills) {
            // The CLI is the program: it reads the environment; the store is given the directory.
            if (!run->spillGiven)
                run->storeConfig.spillDirectory = defaultSpillDirectory(std::getenv("TMPDIR"));
            const auto dir = checkSpillDirectory(run->storeConfig.spillDirectory);
            if (!dir)
                return Error{run->spillGiven ? "--pcap-spill-dir: " + dir.error().message
                                             : "--pcap: " + dir.error().message +
                                                   " ($TMPDIR, or /tmp); give --pcap-spill-dir DIR"};
            run->spillInMemory = dir->inMemory;
        }
        if (run->path.empty() && run->memoryGiven) return Error{"--pcap-memory: needs --pcap FILE"};
        if (run->path.empty() && run->storeConfig.reserve) return Error{"--pcap-reserve: needs --pcap FILE"};
        if (run->storeConfig.reserve > run->storeConfig.memoryLimit)
            return Error{"--pcap-reserve: " + mebibytes(run->storeConfig.reserve) +
                         " is more than the capture's memory (" + mebibytes(run->storeConfig.memoryLimit) +
                         (run->memoryGiven ? "" : " by default") + "); raise --pcap-memory"};
        if (run->path.empty() && run->views == FrameViews::Every)
            return Error{"--pcap-both-views: needs --pcap FILE"};
        if (run->path.empty() && run->snapLength) return Error{"--pcap-snaplen: needs --pcap FILE"};
        return okStatus();
    };
    e.setup = [run](CliContext &ctx) -> Status {
        if (run->path.empty()) return okStatus();
        if (run->spillInMemory)
            std::cerr << "tcplab-cli: warning: --pcap: the spill directory "
                      << run->storeConfig.spillDirectory << " is in memory (" << run->spillInMemory
                      << "): frames past --pcap-memory (" << mebibytes(run->storeConfig.memoryLimit)
                      << ") would still take RAM; --pcap-spill-dir DIR puts them on disk" << std::endl;
        run->store = std::make_unique<PacketStore>(run->storeConfig);
        if (run->storeConfig.reserve)
            if (auto st = awaitReserve(*run->store); !st) return st;
        // The lab's own FlowTracker is already its session source (sessions exist without capture).
        // Labels on their own thread: the run's engine thread only stores frames (see finish).
        run->recorder = std::make_unique<Recorder>(
            *run->store, ctx.lab.flows(),
            RecorderConfig{.analysis = RecorderConfig::Analysis::Background, .snapLength = run->snapLength});
        run->store->setWarningSink(&ctx.lab.events());
        describeHosts(ctx.lab, *run->recorder);
        ctx.lab.setFrameSink(run->recorder.get());
        ctx.lab.events().add(run->recorder.get());
        // Lab time starts near 0; the file gets wall-clock stamps (the CLI is the program, it may
        // read the clock; the engine never does).
        const auto wall = std::chrono::system_clock::now().time_since_epoch();
        run->wallAtLabZeroNs = std::chrono::duration_cast<std::chrono::nanoseconds>(wall).count() - nanosOf(ctx.lab.now());
        return okStatus();
    };
    e.finish = [run](CliContext &ctx) {
        if (!run->store) return;
        ctx.lab.events().remove(run->recorder.get());
        run->recorder->settle(); // every frame carries its analysis labels before the file is written
        auto st = cli::writeRunCapture(*run->store, run->path, run->wallAtLabZeroNs, run->views);
        if (!st) std::cerr << "tcplab-cli: --pcap: " << st.error().message << std::endl;
        else
            ctx.out << "pcap " << run->path << " frames=" << run->store->size()
                    << " not_recorded=" << run->store->framesNotRecorded() << std::endl;
    };
    e.readyNote = [run]() { return run->path.empty() ? std::string() : "pcap=" + run->path; };
    return e;
}

}  // namespace tcplab

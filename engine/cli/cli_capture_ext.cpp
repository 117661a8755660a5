// `--pcap FILE`: record every frame of the run (the Recorder as the lab's FrameSink and EventSink,
// the lab's FlowTracker for its sessions) and write it when the engine has stopped.
#include <chrono>
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
};

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
    e.check = [run]() -> Status {
        if (run->path.empty() && run->views == FrameViews::Every)
            return Error{"--pcap-both-views: needs --pcap FILE"};
        if (run->path.empty() && run->snapLength) return Error{"--pcap-snaplen: needs --pcap FILE"};
        return okStatus();
    };
    e.setup = [run](CliContext &ctx) -> Status {
        if (run->path.empty()) return okStatus();
        run->store = std::make_unique<PacketStore>();
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

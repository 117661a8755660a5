// The capture side of tcplab-cli: `tcplab-cli inspect FILE` and `--pcap FILE`. Kept in its own file
// so that the CLI's main only parses arguments and calls these.
#pragma once

#include <ostream>
#include <string>
#include <vector>

#include "capture/capture_export.h"
#include "capture/flow_tracker.h"
#include "capture/packet_store.h"
#include "core/expected.h"

namespace tcplab::cli {

struct InspectOptions {
    bool annotations = true;  // --no-annotations turns them off
    bool labelsOnly = false;  // --labels: "frame<TAB>tcp.analysis fields" per frame (for tests)
    std::size_t maxFrames = 0;  // --max-frames N per session
};

// `inspect [--labels] [--no-annotations] [--max-frames N] FILE`. Returns the exit code: 0, or 1
// with the reason on `err` (a corrupt file names the offset).
int runInspect(const std::vector<std::string> &args, std::ostream &out, std::ostream &err);

// One line per frame: its number and the tcp.analysis.* field names of its labels, sorted, as
// tshark would report them (a fast or spurious retransmission also carries "retransmission").
std::string analysisFieldLines(const PacketStore &store);

// What `--pcap FILE` does at the end of a run: everything on the wire, pcapng unless FILE ends in
// ".pcap", with the JSON annotation option; each frame once (as sent) unless `views` is Every
// (`--pcap-both-views`: in demo mode, each host's view).
Status writeRunCapture(const PacketStore &store, const std::string &path, std::int64_t timeOffsetNs = 0,
                       FrameViews views = FrameViews::Once);

}  // namespace tcplab::cli

namespace tcplab {
struct CliExtension;
// `--pcap FILE` for tcplab-cli (cli_capture_ext.cpp; listed in cli_extensions.cpp).
CliExtension captureCliExtension();
}  // namespace tcplab

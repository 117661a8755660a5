// Reading pcap and pcapng files into a PacketStore: packets through libpcap, and for pcapng our own
// block reader on top for what libpcap does not give (interfaces, direction flags, comments).
// Sessions are rebuilt with a FlowTracker; analysis labels are restored from the comments of a
// TCP Lab file and computed by the tcp_analysis heuristics for anything else.
// A truncated or corrupt file gives an error naming the file and the offset; it never crashes.
#pragma once

#include <cstdint>
#include <functional>
#include <string>

#include "capture/flow_tracker.h"
#include "capture/packet_store.h"
#include "core/expected.h"

namespace tcplab {

struct ImportOptions {
    bool analyze = true; // compute labels for files that do not carry ours
    // Called now and then with (bytes read, file size); return false to cancel.
    std::function<bool(std::uint64_t, std::uint64_t)> progress;
};

struct ImportResult {
    std::uint64_t packets = 0;
    bool ownFile = false;        // written by TCP Lab: annotations restored from its comments
    std::string application, os; // from the pcapng section header
    std::uint64_t tcpSegments = 0;
    std::uint64_t badJson = 0; // custom options we could not read (their comments were used)
};

// Into an empty store (indices are the file's frame numbers minus one).
Expected<ImportResult> importCapture(const std::string &path, PacketStore &store, FlowTracker &flows,
                                     const ImportOptions &options = {});
// The same from memory; `name` is used in error messages.
Expected<ImportResult> importCaptureBytes(ByteView data, const std::string &name, PacketStore &store,
                                          FlowTracker &flows, const ImportOptions &options = {});

} // namespace tcplab

// A session as a sequence diagram on a terminal: one line per frame with time since the session
// began, an arrow from the initiator's side or towards it, flags, relative seq/ack, length, window
// and labels, then the frame's other annotations indented below it. Used by `tcplab-cli inspect`.
#pragma once

#include <string>

#include "capture/flow_tracker.h"
#include "capture/packet_store.h"

namespace tcplab {

struct FlowTextOptions {
    bool annotations = true;             // rule hits, state changes, timer causes under each frame
    std::size_t maxFramesPerSession = 0; // 0: all
};

std::string sessionHeading(const SessionSummary &s);
std::string renderSessionFlow(const PacketStore &store, const SessionSummary &s,
                              const FlowTextOptions &options = {});
// Every session of the store, then a line counting frames that belong to none.
std::string renderAllFlows(const PacketStore &store, const FlowTracker &flows,
                           const FlowTextOptions &options = {});

} // namespace tcplab

// The FlowTracker as a lab's SessionSource: the one adapter the Lab (by default), the CLI, the
// scenario runner and the GUI share, so session ids on frames, events and rules always agree.
#pragma once

#include "capture/flow_tracker.h"
#include "stack/session_source.h"

namespace tcplab {

class FlowTrackerSource final : public SessionSource {
public:
    explicit FlowTrackerSource(FlowTracker &flows) : flows_(&flows) {}
    void setTracker(FlowTracker &flows) { flows_ = &flows; }
    FlowTracker &tracker() const { return *flows_; }

    SessionTag observeTcp(Instant now, const Endpoint &src, const Endpoint &dst, std::uint8_t tcpFlags,
                          std::uint32_t seq) override
    {
        const FlowObservation o = flows_->observe(now, src, dst, tcpFlags, SeqNum(seq));
        return {o.session, o.ordinal, o.start, o.isNew,
                o.fromInitiator ? SessionSide::Initiator : SessionSide::Responder};
    }
    SessionId sessionFor(Instant now, const Endpoint &src, const Endpoint &dst) override
    {
        return flows_->sessionFor(now, src, dst);
    }

private:
    FlowTracker *flows_;
};

} // namespace tcplab

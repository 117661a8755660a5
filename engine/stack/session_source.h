// Where a host gets the session of a TCP packet (the Lab adapts its FlowTracker to this), so that
// the stack does not depend on how sessions are counted.
#pragma once

#include <cstdint>

#include "core/event.h"
#include "core/time.h"
#include "wire/addresses.h"

namespace tcplab {

struct SessionTag {
    SessionId session = kNoSession;
    std::uint64_t ordinal = 0;  // HookPacket::sessionOrdinal
    Instant start{};
    bool isNew = false;
    SessionSide side = SessionSide::Unknown; // which end sent the packet observed
};

class SessionSource {
public:
    virtual ~SessionSource() = default;
    // Called once per TCP packet a host sends or receives (src/dst as on the wire).
    virtual SessionTag observeTcp(Instant now, const Endpoint &src, const Endpoint &dst, std::uint8_t tcpFlags,
                                  std::uint32_t seq) = 0;
    // The session the next segment from src to dst will belong to, opened now when the tuple has
    // none current (an active open names its CLOSED → SYN-SENT event before its SYN is out).
    // Added for TCP layers; a source that cannot tell returns kNoSession.
    virtual SessionId sessionFor(Instant /*now*/, const Endpoint & /*src*/, const Endpoint & /*dst*/)
    {
        return kNoSession;
    }
};

}  // namespace tcplab

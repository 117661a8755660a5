// The two points where rules see TCP packets (implemented by rules/RuleEngine, called by the host).
//
//  ingress: after the frame is parsed and its session known, before the TCP state machine;
//  egress:  after the state machine produced a segment and the IP header is built, before framing.
//
// Ownership: the hook receives the packet by reference and may edit it in place (any byte, any
// length: it may produce what the stack would never emit). When it returns Pass the host keeps
// using the (possibly edited) bytes; lengths and checksums are the hook's business (RuleEngine
// recomputes them unless a rule said not to). When it returns Drop or Take, the host records the
// packet as never delivered and forgets it; with Take the hook has kept its own copy (delay,
// reorder) and will hand it back through HookActions later.
#pragma once

#include <optional>

#include "core/bytes.h"
#include "core/event.h"
#include "core/time.h"
#include "tcp/tcp_state.h"
#include "wire/addresses.h"

namespace tcplab {

enum class HookPoint : std::uint8_t { Ingress, Egress };

enum class HookVerdict : std::uint8_t {
    Pass,  // continue with the (possibly edited) packet
    Drop,  // discard it (and, at ingress, never show it to the state machine)
    Take,  // the hook keeps it and will release it later (delay, hold for reorder)
};

// One TCP packet as the hook sees it.
struct HookPacket {
    HookPoint point = HookPoint::Ingress;
    HostId host = kNoHost;
    SessionId session = kNoSession;
    Bytes ip;          // the whole IP packet (IPv4 or IPv6 header, then TCP header and payload)
    Endpoint local;    // this host's end of the conversation
    Endpoint remote;
    TcbSnapshot tcb;   // state None when no TCB (and no listener) matches
    std::uint64_t sessionOrdinal = 0;  // 1 for the first session the lab saw, 2 for the next...
    Instant sessionStart{};
};

// What a hook may do besides returning a verdict; implemented by the host.
class HookActions {
public:
    virtual ~HookActions() = default;
    // Frame and transmit an IP packet now, without running the egress hook again.
    virtual void sendToWire(Instant now, Bytes ipPacket) = 0;
    // Hand an IP packet to this host's TCP input now, without running the ingress hook again.
    virtual void deliverToStack(Instant now, Bytes ipPacket) = 0;
    // Report a rule hit (also recorded as an annotation of the packet being processed).
    virtual void reportHit(Event event) = 0;
};

class PacketHook {
public:
    virtual ~PacketHook() = default;
    virtual HookVerdict onPacket(Instant now, HookPacket &packet, HookActions &actions) = 0;
    // Packets the hook holds (delay, reorder) are released from poll().
    virtual Instant pollAt() const { return kNever; }
    virtual void poll(Instant /*now*/, HookActions & /*actions*/) {}
};

}  // namespace tcplab

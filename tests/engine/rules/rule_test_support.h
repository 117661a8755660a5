// Shared fixtures for rule tests: hand-built packets and a HookActions that records what it is given.
#pragma once

// Qt defines `emit` as a macro; HookActions has a method of that name.
#ifdef emit
#endif

#include <vector>

#include "core/checksum.h"
#include "rules/packet_edit.h"
#include "rules/rule_engine.h"
#include "wire/tcp.h"

namespace tcplab::test {

struct RecordingActions final : HookActions {
    std::vector<Bytes> wire, stack;
    std::vector<Event> events;
    void sendToWire(Instant, Bytes ip) override { wire.push_back(std::move(ip)); }
    void deliverToStack(Instant, Bytes ip) override { stack.push_back(std::move(ip)); }
    void reportHit(Event e) override { events.push_back(std::move(e)); }
    std::vector<Event> ofKind(EventKind k) const
    {
        std::vector<Event> out;
        for (const auto &e : events)
            if (e.kind == k) out.push_back(e);
        return out;
    }
};

inline const Endpoint kClient{*IpAddr::parse("198.18.0.1"), 40000};
inline const Endpoint kServer{*IpAddr::parse("198.18.0.2"), 8000};

// A segment from `from` to `to`, as an IPv4 (or IPv6) packet with correct checksums.
inline Bytes segment(std::uint8_t flags, std::uint32_t seq, std::uint32_t ack, std::uint16_t win,
                     Bytes payload = {}, OptionValues options = {}, Endpoint from = kClient, Endpoint to = kServer)
{
    CraftedSegment s;
    s.src = from;
    s.dst = to;
    s.flags = flags;
    s.seq = seq;
    s.ack = ack;
    s.window = win;
    s.options = std::move(options);
    s.payload = std::move(payload);
    return buildCraftedPacket(s);
}

// The packet as the server's ingress hook sees it.
inline HookPacket ingress(Bytes ip, TcpState state = TcpState::Listen)
{
    HookPacket p;
    p.point = HookPoint::Ingress;
    p.host = 1;
    p.session = 1;
    p.ip = std::move(ip);
    p.local = kServer;
    p.remote = kClient;
    p.tcb.state = state;
    p.sessionOrdinal = 1;
    return p;
}

inline HookPacket egress(Bytes ip, TcpState state = TcpState::Established)
{
    HookPacket p = ingress(std::move(ip), state);
    p.point = HookPoint::Egress;
    return p;
}

// The TCP view of an IP packet (asserting it parses).
inline TcpView tcpOf(const Bytes &ip)
{
    const auto loc = locateTcp(ip);
    return TcpView::unchecked(ByteView(ip).subspan(loc->tcpOffset, loc->tcpLength));
}

inline bool checksumsOk(const Bytes &ip)
{
    const auto loc = locateTcp(ip);
    if (!loc) return false;
    if (loc->ipVersion == 4 && internetChecksum(ByteView(ip).first(loc->tcpOffset)) != 0) return false;
    return verifyTcpChecksum(ByteView(ip).subspan(loc->tcpOffset, loc->tcpLength), ipSource(ip), ipDestination(ip));
}

inline Rule rule(std::string name, Match m, std::vector<Action> actions, HookPoint hook = HookPoint::Ingress)
{
    Rule r;
    r.name = std::move(name);
    r.hook = hook;
    r.match = std::move(m);
    r.actions = std::move(actions);
    return r;
}

inline Expr expr(std::string_view text) { return *Expr::parse(text); }

}  // namespace tcplab::test

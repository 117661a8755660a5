// ICMP and ICMPv6 errors about packets this host sent: the quoted packet names the flow, the error
// goes to the UDP socket bound to its source port (RFC 1122 section 4.1.3.3) or to TCP (RFC 1122
// section 4.2.3.9, RFC 5927), and every one is an event naming the flow and what became of it.
#include <string>

#include "stack/host.h"
#include "wire/ip_proto.h"

namespace tcplab {

namespace {

struct Quoted {
    IpAddr src, dst;
    std::uint8_t protocol = 0;
    ByteView transport; // at least 8 bytes: ports (and for TCP the sequence number)
};

// The invoking packet as quoted in an error. Only what an error must carry is required: the IP
// header and the first 8 bytes of the transport header (RFC 792, "Internet Header + 64 bits of
// Original Data Datagram"; RFC 4443 section 3.1 quotes "as much of invoking packet as possible").
std::optional<Quoted> parseQuoted(ByteView b, bool v6)
{
    Quoted q;
    if (!v6) {
        if (b.size() < 20 || (b[0] >> 4) != 4) return std::nullopt;
        const std::size_t ihl = std::size_t(b[0] & 0x0f) * 4;
        if (ihl < 20 || b.size() < ihl + 8) return std::nullopt;
        if ((loadBe16(b.data() + 6) & 0x1fff) != 0) return std::nullopt; // not the first fragment: no ports
        q.protocol = b[9];
        q.src = Ip4Addr{loadBe32(b.data() + 12)};
        q.dst = Ip4Addr{loadBe32(b.data() + 16)};
        q.transport = b.subspan(ihl);
        return q;
    }
    if (b.size() < 40 || (b[0] >> 4) != 6) return std::nullopt;
    Ip6Addr src, dst;
    std::copy(b.begin() + 8, b.begin() + 24, src.b.begin());
    std::copy(b.begin() + 24, b.begin() + 40, dst.b.begin());
    q.src = src;
    q.dst = dst;
    std::uint8_t next = b[6];
    std::size_t off = 40;
    // Extension headers (RFC 8200 section 4): hop-by-hop, routing, destination options, fragment.
    for (int guard = 0; guard < 8; ++guard) {
        if (next != 0 && next != 43 && next != 60 && next != 44) break;
        if (b.size() < off + 8) return std::nullopt;
        if (next == 44 && (loadBe16(b.data() + off + 2) & 0xfff8) != 0)
            return std::nullopt; // not the first fragment
        const std::size_t len = next == 44 ? 8 : (std::size_t(b[off + 1]) + 1) * 8;
        next = b[off];
        off += len;
    }
    if (b.size() < off + 8) return std::nullopt;
    q.protocol = next;
    q.transport = b.subspan(off);
    return q;
}

std::string describe(const IcmpError &e)
{
    using K = IcmpError::Kind;
    switch (e.kind) {
    case K::PacketTooBig:
        return e.v6 ? "packet too big (MTU " + std::to_string(e.mtu) + ")"
                    : "fragmentation needed (next-hop MTU " + std::to_string(e.mtu) + ")";
    case K::TimeExceeded:
        return e.code == 0 ? "time exceeded in transit" : "fragment reassembly time exceeded";
    case K::ParameterProblem:
        return e.hard ? "parameter problem: unrecognized next header" : "parameter problem";
    case K::DestUnreachable: break;
    }
    if (e.v6) {
        switch (e.code) {
        case 0: return "no route to destination";
        case 1: return "communication administratively prohibited";
        case 3: return "address unreachable";
        case 4: return "port unreachable";
        default: return "destination unreachable (code " + std::to_string(e.code) + ")";
        }
    }
    switch (e.code) {
    case 0: return "net unreachable";
    case 1: return "host unreachable";
    case 2: return "protocol unreachable";
    case 3: return "port unreachable";
    case 13: return "communication administratively prohibited";
    default: return "destination unreachable (code " + std::to_string(e.code) + ")";
    }
}

} // namespace

void Host::receiveIcmpError(Rx &rx, IcmpError e, ByteView quotedBytes)
{
    const auto quoted = parseQuoted(quotedBytes, e.v6);
    e.what = describe(e);
    const std::string from = (e.v6 ? "ICMPv6 " : "ICMP ") + e.what + " from " + e.reporter.toString();
    // Only an error about a packet we sent can be acted on (its source is one of our addresses);
    // anything else is counted and dropped, saying why.
    if (!quoted || !isLocal(quoted->src) || quoted->src.isV4() == e.v6) {
        ++counters_[StackDrop::IgnoredIcmp];
        if (logging(loggers_.icmp))
            log(loggers_.icmp, rx.now,
                from + " ignored: " +
                    (quoted ? "it quotes a packet this host did not send"
                            : "the quoted packet is too short"));
        return;
    }
    ++counters_.icmpErrorsIn;
    e.protocol = quoted->protocol;
    e.local = Endpoint{quoted->src, loadBe16(quoted->transport.data())};
    e.remote = Endpoint{quoted->dst, loadBe16(quoted->transport.data() + 2)};

    IcmpErrorOutcome outcome = IcmpErrorOutcome::NoSocket;
    SessionId session = kNoSession;
    std::string proto;
    if (e.protocol == ipproto::kTcp) {
        proto = "TCP";
        e.quotedSeq = loadBe32(quoted->transport.data() + 4);
        if (tcp_) outcome = tcp_->icmpError(rx.now, e, session);
    } else if (e.protocol == ipproto::kUdp) {
        proto = "UDP";
        if (auto port = udpPorts_.find(e.local.port); port != udpPorts_.end()) {
            outcome = IcmpErrorOutcome::Recorded;
            // Copied: the callback may close the socket.
            const UdpErrorReceiver onError = udpSockets_.at(port->second).onError;
            if (onError) onError(rx.now, e);
        }
    } else {
        proto = "protocol " + std::to_string(e.protocol);
    }
    if (outcome == IcmpErrorOutcome::Recorded || outcome == IcmpErrorOutcome::Aborted)
        ++counters_.icmpErrorsDelivered;

    Event ev;
    ev.time = rx.now;
    ev.kind = EventKind::Log;
    ev.host = id_;
    ev.session = session;
    ev.packetIndex = rx.index;
    ev.name = "icmp-error";
    ev.detail = from + " about " + proto + " " + e.local.toString() + " → " + e.remote.toString() + ": " +
                icmpErrorOutcomeName(outcome);
    ev.fields = {{"type", std::to_string(e.type)},
                 {"code", std::to_string(e.code)},
                 {"error", e.what},
                 {"hard", e.hard ? "true" : "false"},
                 {"reporter", e.reporter.toString()},
                 {"protocol", std::to_string(e.protocol)},
                 {"local", e.local.toString()},
                 {"remote", e.remote.toString()},
                 {"outcome", icmpErrorOutcomeName(outcome)}};
    if (e.mtu) ev.fields.emplace_back("mtu", std::to_string(e.mtu));
    if (logging(loggers_.icmp)) log(loggers_.icmp, rx.now, ev.detail);
    events_.onEvent(ev);
}

} // namespace tcplab

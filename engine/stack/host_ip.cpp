// Host: IP receive, UDP sockets, the TCP dispatch point and the packet hook.
#include <spdlog/spdlog.h>

#include "stack/host.h"
#include "wire/frame.h"
#include "wire/icmpv4.h"
#include "wire/icmpv6.h"
#include "wire/ip_proto.h"
#include "wire/udp.h"

namespace tcplab {

namespace {

IpMeta metaOf(const ParsedFrame &p, SessionId session, bool checksumVerified)
{
    IpMeta m;
    m.checksumVerified = checksumVerified;
    m.src = p.source();
    m.dst = p.destination();
    m.protocol = p.l4Protocol;
    m.ttl = p.ipv4 ? p.ipv4->ttl() : p.ipv6->hopLimit();
    m.tos = p.ipv4 ? p.ipv4->tos() : p.ipv6->trafficClass();
    m.session = session;
    return m;
}

bool isUnspecified(const IpAddr &a)
{
    return a.isV4() ? a.v4().isUnspecified() : a.v6().isUnspecified();
}

} // namespace

void Host::receiveIp(Rx &rx, const ParsedFrame &p)
{
    if (p.ipv4)
        ++counters_.ipv4In;
    else
        ++counters_.ipv6In;
    if (!ipForUs(p.destination())) return dropRx(rx, StackDrop::NotForUs);
    switch (p.l4Protocol) {
    case ipproto::kIcmp: return receiveIcmpv4(rx, p);
    case ipproto::kIcmpv6: return receiveIcmpv6(rx, p);
    case ipproto::kUdp: return receiveUdp(rx, p);
    case ipproto::kTcp: return receiveTcp(rx, p);
    default: return dropMalformed(rx, DropReason::IpUnsupportedProtocol);
    }
}

// ---- UDP ----

void Host::receiveUdp(Rx &rx, const ParsedFrame &p)
{
    ++counters_.udpIn;
    record(rx, FrameFate::Delivered);
    const UdpView &udp = *p.udp;
    auto port = udpPorts_.find(udp.destinationPort());
    if (port == udpPorts_.end()) {
        ++counters_[StackDrop::UdpPortClosed];
        if (logging(loggers_.udp))
            log(loggers_.udp, rx.now,
                "datagram for closed port " + std::to_string(udp.destinationPort()) + " from " +
                    p.source().toString());
        // RFC 1122 section 4.1.3.1: "If a datagram arrives addressed to a UDP port for which there
        // is no pending LISTEN call, UDP SHOULD send an ICMP Port Unreachable message." Never in
        // answer to a broadcast or multicast (RFC 1122 section 3.2.2).
        if (config_.portUnreachable && isLocal(p.destination()))
            sendPortUnreachable(rx.now, p, p.ipPacket(rx.frame));
        return;
    }
    // Copied: the receiver may close its own socket.
    const UdpReceiver receiver = udpSockets_.at(port->second).receiver;
    receiver(rx.now, UdpDatagram{Endpoint{p.destination(), udp.destinationPort()},
                                 Endpoint{p.source(), udp.sourcePort()}, udp.payload()});
}

Expected<UdpSocketId> Host::udpBind(std::uint16_t port, UdpReceiver receiver, UdpErrorReceiver onError)
{
    if (port == 0)
        return Error{"cannot bind UDP port 0 on host \"" + config_.name +
                     "\": choose a port from 1 to 65535"};
    if (udpPorts_.contains(port))
        return Error{"cannot bind UDP port " + std::to_string(port) + " on host \"" + config_.name +
                     "\": already in use"};
    const UdpSocketId id = nextUdpSocket_++;
    udpSockets_.emplace(id, UdpSocket{port, std::move(receiver), std::move(onError)});
    udpPorts_.emplace(port, id);
    return id;
}

void Host::udpClose(UdpSocketId socket)
{
    auto it = udpSockets_.find(socket);
    if (it == udpSockets_.end()) return;
    udpPorts_.erase(it->second.port);
    udpSockets_.erase(it);
}

Status Host::udpSend(Instant now, Endpoint local, const Endpoint &remote, ByteView payload)
{
    if (isUnspecified(local.addr) || !isLocal(local.addr) || local.addr.isV4() != remote.addr.isV4()) {
        const auto src = sourceFor(remote.addr);
        if (!src)
            return Error{"cannot send UDP to " + remote.toString() + " from host \"" + config_.name +
                         "\": it has no address of that family"};
        local.addr = *src;
    }
    ++counters_.udpOut;
    sendIp(now, local.addr, remote.addr, ipproto::kUdp,
           buildUdp(UdpHeader{local.port, remote.port}, payload, local.addr, remote.addr));
    return okStatus();
}

// ---- ICMP errors ----

bool Host::icmpErrorAllowed(Instant now)
{
    // At most 100 error messages per second of lab time, like Linux's default icmp_ratelimit.
    if (now - icmpErrorWindow_ >= std::chrono::seconds(1)) {
        icmpErrorWindow_ = now;
        icmpErrorsInWindow_ = 0;
    }
    return ++icmpErrorsInWindow_ <= 100;
}

void Host::sendPortUnreachable(Instant now, const ParsedFrame &p, ByteView ipPacket)
{
    if (!icmpErrorAllowed(now)) return;
    ++counters_.icmpUnreachableSent;
    const IpAddr self = p.destination(), peer = p.source();
    if (self.isV4()) {
        const auto msg = Icmpv4Message::destUnreachable(icmpv4::kPortUnreachable, ipPacket);
        sendIp(now, self, peer, ipproto::kIcmp, buildIcmpv4(msg));
    } else {
        // RFC 4443 section 3.1: code 4, port unreachable.
        const auto msg = Icmpv6Message::destUnreachable(icmpv6::kPortUnreachable, ipPacket);
        sendIp(now, self, peer, ipproto::kIcmpv6, buildIcmpv6(msg, self.v6(), peer.v6()));
    }
}

// ---- TCP: the dispatch point ----

SessionTag Host::observeTcp(Instant now, const ParsedFrame &p)
{
    if (!sessions_ || !p.tcp) return {};
    return sessions_->observeTcp(now, Endpoint{p.source(), p.tcp->sourcePort()},
                                 Endpoint{p.destination(), p.tcp->destinationPort()}, p.tcp->flags().bits,
                                 p.tcp->seq().raw());
}

HookVerdict Host::runHook(Instant now, HookPoint point, Bytes &ip, const ParsedFrame &p, SessionTag tag)
{
    HookPacket hp;
    hp.point = point;
    hp.host = id_;
    hp.session = tag.session;
    const Endpoint src{p.source(), p.tcp->sourcePort()}, dst{p.destination(), p.tcp->destinationPort()};
    hp.local = point == HookPoint::Ingress ? dst : src;
    hp.remote = point == HookPoint::Ingress ? src : dst;
    if (tcp_)
        if (auto tcb = tcp_->lookup(hp.local, hp.remote)) hp.tcb = *tcb;
    hp.sessionOrdinal = tag.ordinal;
    hp.sessionStart = tag.start;
    hp.ip = std::move(ip);
    hookSession_ = tag.session;
    // At egress the frame is not recorded yet: rule hits wait for it in the tagger.
    tagger_.setEgress(point == HookPoint::Egress);
    const HookVerdict v = hook_->onPacket(now, hp, *this);
    tagger_.setEgress(false);
    hookPacket_ = Event::kNoPacket;
    hookSession_ = kNoSession;
    ip = std::move(hp.ip);
    return v;
}

void Host::receiveTcp(Rx &rx, const ParsedFrame &p)
{
    ++counters_.tcpIn;
    const SessionTag tag = observeTcp(rx.now, p);
    record(rx, FrameFate::Delivered, tag.session, tag.side);
    // Events raised while this frame is handled are attached to it (see stack/event_tagger.h).
    struct InboundScope {
        EventTagger &tagger;
        ~InboundScope() { tagger.endInbound(); }
    } scope{tagger_};
    tagger_.beginInbound(rx.index);
    // Parsed from the frame with its checksums checked (receiveFrame): TCP need not check again.
    if (!hook_) return deliverTcp(rx.now, p, p.ipPacket(rx.frame), tag.session, true);

    const ByteView view = p.ipPacket(rx.frame);
    Bytes ip(view.begin(), view.end());
    hookPacket_ = rx.index;
    switch (runHook(rx.now, HookPoint::Ingress, ip, p, tag)) {
    case HookVerdict::Pass: {
        // The rule may have edited anything: parse again, without judging checksums (a rule
        // that breaks one on purpose wants the state machine to see it).
        const ParsedFrame edited = parseIpPacket(ip, FrameParseOptions{false});
        if (!edited.tcp) {
            ++counters_[edited.ok() ? DropReason::IpUnsupportedProtocol : edited.drop];
            record(rx, FrameFate::Malformed);
            return;
        }
        return deliverTcp(rx.now, edited, ip, tag.session);
    }
    case HookVerdict::Drop:
        ++counters_.hookDropped;
        record(rx, FrameFate::DroppedByRule);
        return;
    case HookVerdict::Take: ++counters_.hookTaken; return;
    }
}

void Host::deliverTcp(Instant now, const ParsedFrame &p, ByteView, SessionId session, bool checksumVerified)
{
    if (!tcp_) {
        ++counters_[StackDrop::NoTransport];
        return;
    }
    tcp_->input(now, metaOf(p, session, checksumVerified), p.tcp->bytes());
}

// ---- HookActions ----

void Host::sendToWire(Instant now, Bytes ipPacket)
{
    const ParsedFrame p = parseIpPacket(ipPacket, FrameParseOptions{false});
    const SessionTag tag = observeTcp(now, p);
    if (p.tcp) ++counters_.tcpOut;
    sendRoutedIp(now, std::move(ipPacket), tag.session, tag.side);
}

void Host::deliverToStack(Instant now, Bytes ipPacket)
{
    const ParsedFrame p = parseIpPacket(ipPacket, FrameParseOptions{false});
    if (!p.tcp) {
        ++counters_[p.ok() ? DropReason::IpUnsupportedProtocol : p.drop];
        return;
    }
    deliverTcp(now, p, ipPacket, kNoSession);
}

void Host::reportHit(Event event)
{
    event.host = id_;
    if (event.session == kNoSession) event.session = hookSession_;
    if (event.packetIndex == Event::kNoPacket) event.packetIndex = hookPacket_;
    tagger_.onEvent(event); // annotates the packet; an egress hit waits for its frame
}

} // namespace tcplab

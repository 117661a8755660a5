// Host: ARP (RFC 826), Neighbor Discovery (RFC 4861, NS/NA only), ICMP echo (RFC 792, RFC 4443).
#include <spdlog/spdlog.h>

#include "stack/host.h"
#include "wire/arp.h"
#include "wire/frame.h"
#include "wire/icmpv4.h"
#include "wire/icmpv6.h"
#include "wire/ip_proto.h"

namespace tcplab {

namespace {
constexpr std::uint8_t kNdHopLimit = 255; // RFC 4861 section 7.1: NS/NA travel with hop limit 255
constexpr Ip6Addr kAllNodes{{0xff, 0x02, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1}};
} // namespace

// ---- ARP ----

void Host::receiveArp(Rx &rx, const ParsedFrame &p)
{
    ++counters_.arpIn;
    record(rx, FrameFate::Delivered);
    const ArpPacket a = ArpPacket::from(*p.arp);
    if (!p.arp->sanityIssue().empty() || a.senderMac.isMulticast()) return dropRx(rx, StackDrop::IgnoredArp);
    // RFC 826, "Packet Reception": "If the pair <protocol type, sender protocol address> is already
    // in my translation table, update the sender hardware address field of the entry with the new
    // information in the packet and set Merge_flag to true." A sender of 0.0.0.0 is an RFC 5227
    // probe: nothing to learn.
    const bool probe = a.senderIp.isUnspecified();
    const bool known = !probe && (arp_.lookup(a.senderIp) || arp_.entries().contains(a.senderIp));
    if (known) {
        const auto before = arp_.state(a.senderIp);
        releasePending(rx.now, arp_.learn(rx.now, a.senderIp, a.senderMac, false), a.senderMac);
        if (before && *before != NeighborState::Reachable)
            logNeighborChange(rx.now, IpAddr(a.senderIp), *before, NeighborState::Reachable);
    }
    // "?Am I the target protocol address? Yes: If Merge_flag is false, add the triplet ..."
    if (!isLocal(IpAddr(a.targetIp))) {
        if (!known) ++counters_[StackDrop::IgnoredArp];
        return;
    }
    if (!known && !probe) {
        log(loggers_.arp, rx.now, "learned " + a.senderIp.toString() + " is at " + a.senderMac.toString());
        releasePending(rx.now, arp_.learn(rx.now, a.senderIp, a.senderMac, true), a.senderMac);
    }
    // "?Is the opcode ares_op$REQUEST? Yes: Swap hardware and protocol fields, putting the local
    // hardware and protocol addresses in the sender fields. Set the ar$op field to ares_op$REPLY."
    if (a.op == ArpOp::Request && !a.isGratuitous()) {
        const ArpPacket reply{ArpOp::Reply, config_.mac, a.targetIp, a.senderMac, a.senderIp};
        ++counters_.arpOut;
        transmitFrame(rx.now, a.senderMac, ethertype::kArp, buildArp(reply), kNoSession);
    }
}

void Host::sendArpRequest(Instant now, Ip4Addr target, std::optional<MacAddr> unicastTo)
{
    const auto src = sourceFor(IpAddr(target));
    const ArpPacket req{ArpOp::Request, config_.mac, src ? src->v4() : Ip4Addr{}, MacAddr{}, target};
    ++counters_.arpOut;
    // A NUD probe is a request sent unicast to the cached MAC (RFC 1122 section 2.3.2.1, "Unicast
    // Poll -- Actively poll the remote host by periodically sending a point-to-point ARP Request").
    log(loggers_.arp, now, (unicastTo ? "probe who-has " : "who-has ") + target.toString());
    transmitFrame(now, unicastTo.value_or(MacAddr::broadcast()), ethertype::kArp, buildArp(req), kNoSession);
}

// ---- Neighbor Discovery ----

void Host::sendNeighborSolicitation(Instant now, const Ip6Addr &target, std::optional<MacAddr> unicastTo)
{
    const auto src = sourceFor(IpAddr(target));
    if (!src) return;
    // RFC 4861 section 7.2.2: to the solicited-node multicast address of the target, with our
    // link-layer address in a Source Link-Layer Address option. Section 7.3.3: a NUD probe is a
    // unicast solicitation, to the target address and the cached link-layer address.
    const Ip6Addr dst = unicastTo ? target : target.solicitedNodeMulticast();
    const NeighborSolicitation ns{target, config_.mac};
    const Bytes icmp = buildIcmpv6(ns.toMessage(), src->v6(), dst);
    log(loggers_.nd, now, (unicastTo ? "probe NS for " : "NS for ") + target.toString());
    transmitFrame(now, unicastTo.value_or(dst.multicastMac()), ethertype::kIpv6,
                  buildIpPacket(*src, IpAddr(dst), ipproto::kIcmpv6, icmp, kNdHopLimit), kNoSession);
}

void Host::receiveNeighborSolicitation(Rx &rx, const ParsedFrame &p)
{
    const auto ns = NeighborSolicitation::from(*p.icmpv6);
    const Ip6Addr src = p.source().v6();
    if (!isLocal(IpAddr(ns.target))) return dropRx(rx, StackDrop::NotForUs);
    // RFC 4861 section 7.2.3: "If the Source Address is not the unspecified address and, on link
    // layers that have addresses, the solicitation includes a Source Link-Layer Address option,
    // then the recipient SHOULD create or update the Neighbor Cache entry".
    if (!src.isUnspecified() && ns.sourceLinkLayer)
        releasePending(rx.now, nd_.learn(rx.now, src, *ns.sourceLinkLayer, true), *ns.sourceLinkLayer);
    if (!src.isUnspecified() && !ns.sourceLinkLayer && !nd_.lookup(src))
        return dropRx(rx, StackDrop::NdInvalid);
    // Section 7.2.4: answer with Solicited and Override set, target link-layer address included;
    // to all-nodes when the solicitation came from the unspecified address (DAD).
    NeighborAdvertisement na;
    na.solicited = !src.isUnspecified();
    na.override = true;
    na.target = ns.target;
    na.targetLinkLayer = config_.mac;
    const Ip6Addr dst = src.isUnspecified() ? kAllNodes : src;
    const Bytes icmp = buildIcmpv6(na.toMessage(), ns.target, dst);
    const MacAddr to = src.isUnspecified() ? kAllNodes.multicastMac() : nd_.lookup(src).value_or(MacAddr{});
    transmitFrame(rx.now, to, ethertype::kIpv6,
                  buildIpPacket(IpAddr(ns.target), IpAddr(dst), ipproto::kIcmpv6, icmp, kNdHopLimit),
                  kNoSession);
}

void Host::receiveNeighborAdvertisement(Rx &rx, const ParsedFrame &p)
{
    const auto na = NeighborAdvertisement::from(*p.icmpv6);
    // RFC 4861 section 7.2.5: "If no entry exists, the advertisement SHOULD be silently discarded."
    // An unsolicited NA with Override updates an existing entry.
    if (!na.targetLinkLayer) return;
    const bool wasIncomplete = nd_.entries().contains(na.target) && !nd_.lookup(na.target);
    if (!nd_.entries().contains(na.target)) return;
    if (!wasIncomplete && !na.override) return;
    if (wasIncomplete)
        log(loggers_.nd, rx.now,
            "learned " + na.target.toString() + " is at " + na.targetLinkLayer->toString());
    const auto before = nd_.state(na.target);
    releasePending(rx.now, nd_.learn(rx.now, na.target, *na.targetLinkLayer, false), *na.targetLinkLayer);
    if (before && *before != NeighborState::Reachable)
        logNeighborChange(rx.now, IpAddr(na.target), *before, NeighborState::Reachable);
}

// ---- neighbour resolution ----

void Host::resolveAndSend(Instant now, const IpAddr &hop, Bytes &&buffer, SessionId session, std::size_t ipAt)
{
    const std::uint16_t type = hop.isV4() ? ethertype::kIpv4 : ethertype::kIpv6;
    const auto before = hop.isV4() ? arp_.state(hop.v4()) : nd_.state(hop.v6());
    const auto mac = hop.isV4() ? arp_.use(now, hop.v4()) : nd_.use(now, hop.v6());
    if (mac) {
        // RFC 4861 section 7.3.3: a Stale entry is used at once and moves to Delay.
        if (before == NeighborState::Stale)
            logNeighborChange(now, hop, NeighborState::Stale, NeighborState::Delay);
        return transmitIp(now, *mac, type, buffer, ipAt, session);
    }
    // Waiting for the neighbour: the queue holds the IP packet alone.
    Bytes ip = std::move(buffer);
    ip.erase(ip.begin(), ip.begin() + static_cast<std::ptrdiff_t>(ipAt));
    const auto droppedBefore = hop.isV4() ? arp_.counters().pendingDropped : nd_.counters().pendingDropped;
    const bool solicit = hop.isV4() ? arp_.enqueue(now, hop.v4(), PendingPacket{std::move(ip), session})
                                    : nd_.enqueue(now, hop.v6(), PendingPacket{std::move(ip), session});
    const auto droppedAfter = hop.isV4() ? arp_.counters().pendingDropped : nd_.counters().pendingDropped;
    counters_[StackDrop::NeighborUnresolved] += droppedAfter - droppedBefore;
    if (!solicit) return;
    if (hop.isV4())
        sendArpRequest(now, hop.v4());
    else
        sendNeighborSolicitation(now, hop.v6());
}

void Host::releasePending(Instant now, std::deque<PendingPacket> packets, const MacAddr &mac)
{
    for (auto &pkt : packets) {
        const std::uint16_t type = (pkt.ip[0] >> 4) == 4 ? ethertype::kIpv4 : ethertype::kIpv6;
        transmitFrame(now, mac, type, pkt.ip, pkt.session);
    }
}

void Host::pollNeighbors(Instant now)
{
    auto gaveUp = [&](const std::string &module, const std::string &what, std::size_t dropped, bool probing) {
        counters_[StackDrop::NeighborUnresolved] += dropped;
        Event e;
        e.time = now;
        e.kind = EventKind::Log;
        e.host = id_;
        e.name = module;
        const NeighborConfig &c = module == "arp" ? arp_.config() : nd_.config();
        e.detail = what +
                   (probing ? ": unreachable, no answer to " + std::to_string(c.maxUnicastSolicits) +
                                  " unicast probes; entry removed; "
                            : ": no answer after " + std::to_string(c.maxSolicits) + " solicitations; ") +
                   std::to_string(dropped) + " packet(s) dropped";
        e.fields = {{"address", what}, {"dropped", std::to_string(dropped)}};
        if (probing) e.fields.push_back({"state", "PROBE"});
        events_.onEvent(e);
        log(module == "arp" ? loggers_.arp : loggers_.nd, now, e.detail);
    };
    if (arp_.pollAt() <= now)
        arp_.poll(
            now, [&](const Ip4Addr &a, std::optional<MacAddr> to) { sendArpRequest(now, a, to); },
            [&](const Ip4Addr &a, std::size_t n, bool probing) { gaveUp("arp", a.toString(), n, probing); },
            [&](const Ip4Addr &a, NeighborState from, NeighborState to) {
                logNeighborChange(now, IpAddr(a), from, to);
            });
    if (nd_.pollAt() <= now)
        nd_.poll(
            now, [&](const Ip6Addr &a, std::optional<MacAddr> to) { sendNeighborSolicitation(now, a, to); },
            [&](const Ip6Addr &a, std::size_t n, bool probing) { gaveUp("nd", a.toString(), n, probing); },
            [&](const Ip6Addr &a, NeighborState from, NeighborState to) {
                logNeighborChange(now, IpAddr(a), from, to);
            });
}

void Host::logNeighborChange(Instant now, const IpAddr &addr, NeighborState from, NeighborState to)
{
    const auto &logger = addr.isV4() ? loggers_.arp : loggers_.nd;
    if (!logging(logger)) return;
    log(logger, now, addr.toString() + " " + neighborStateName(from) + " -> " + neighborStateName(to));
}

void Host::announce(Instant now)
{
    for (const auto &p : prefixes_) {
        if (p.addr.isV4()) {
            // RFC 5227 section 3: an ARP Announcement, a request with sender and target our address.
            const ArpPacket a{ArpOp::Request, config_.mac, p.addr.v4(), MacAddr{}, p.addr.v4()};
            ++counters_.arpOut;
            transmitFrame(now, MacAddr::broadcast(), ethertype::kArp, buildArp(a), kNoSession);
        } else {
            // RFC 4861 section 7.2.6: unsolicited NA to all-nodes, Override set.
            NeighborAdvertisement na;
            na.override = true;
            na.target = p.addr.v6();
            na.targetLinkLayer = config_.mac;
            const Bytes icmp = buildIcmpv6(na.toMessage(), p.addr.v6(), kAllNodes);
            transmitFrame(now, kAllNodes.multicastMac(), ethertype::kIpv6,
                          buildIpPacket(p.addr, IpAddr(kAllNodes), ipproto::kIcmpv6, icmp, kNdHopLimit),
                          kNoSession);
        }
    }
}

// ---- ICMP ----

void Host::noteEchoReply(Instant now, const IpAddr &from, std::uint16_t identifier, std::uint16_t sequence)
{
    Event e;
    e.time = now;
    e.kind = EventKind::ServiceNote;
    e.host = id_;
    e.name = "echo-reply";
    e.detail = "echo reply from " + from.toString() + " seq " + std::to_string(sequence);
    e.fields = {
        {"from", from.toString()}, {"id", std::to_string(identifier)}, {"seq", std::to_string(sequence)}};
    events_.onEvent(e);
}

void Host::receiveIcmpv4(Rx &rx, const ParsedFrame &p)
{
    record(rx, FrameFate::Delivered);
    const Icmpv4View &icmp = *p.icmpv4;
    if (icmp.type() == icmpv4::kEchoRequest && icmp.code() == 0 && isLocal(p.destination())) {
        // RFC 792, Echo: "To form an echo reply message, the source and destination addresses are
        // simply reversed, the type code changed to 0, and the checksum recomputed."
        ++counters_.icmpEchoAnswered;
        if (logging(loggers_.icmp))
            log(loggers_.icmp, rx.now,
                "echo request from " + p.source().toString() + " seq " + std::to_string(icmp.sequence()));
        const auto reply = Icmpv4Message::echo(false, icmp.identifier(), icmp.sequence(), icmp.body());
        return sendIp(rx.now, p.destination(), p.source(), ipproto::kIcmp, buildIcmpv4(reply));
    }
    if (icmp.type() == icmpv4::kEchoReply) {
        return noteEchoReply(rx.now, p.source(), icmp.identifier(), icmp.sequence());
    }
    if (icmp.type() == icmpv4::kDestUnreachable || icmp.type() == icmpv4::kTimeExceeded ||
        icmp.type() == icmpv4::kParameterProblem) {
        IcmpError e;
        e.type = icmp.type();
        e.code = icmp.code();
        e.reporter = p.source();
        if (icmp.type() == icmpv4::kDestUnreachable) {
            e.kind = IcmpError::Kind::DestUnreachable;
            // RFC 1122 section 4.2.3.9: codes 2 (protocol) and 3 (port) are hard errors.
            e.hard = icmp.code() == icmpv4::kProtocolUnreachable || icmp.code() == icmpv4::kPortUnreachable;
            if (icmp.code() == icmpv4::kFragmentationNeeded) {
                e.kind = IcmpError::Kind::PacketTooBig;
                e.mtu = icmp.nextHopMtu(); // RFC 1191 section 4
            }
        } else {
            e.kind = icmp.type() == icmpv4::kTimeExceeded ? IcmpError::Kind::TimeExceeded
                                                          : IcmpError::Kind::ParameterProblem;
        }
        return receiveIcmpError(rx, std::move(e), icmp.body());
    }
    ++counters_[StackDrop::IgnoredIcmp];
}

void Host::receiveIcmpv6(Rx &rx, const ParsedFrame &p)
{
    record(rx, FrameFate::Delivered);
    const Icmpv6View &icmp = *p.icmpv6;
    if (icmp.isNeighborDiscovery()) {
        if (!icmp.sanityIssue(p.ipv6->hopLimit()).empty()) return dropRx(rx, StackDrop::NdInvalid);
        if (icmp.type() == icmpv6::kNeighborSolicitation) return receiveNeighborSolicitation(rx, p);
        return receiveNeighborAdvertisement(rx, p);
    }
    if (icmp.type() == icmpv6::kEchoRequest && isLocal(p.destination())) {
        // RFC 4443 section 4.2: the reply carries the request's identifier, sequence and data.
        ++counters_.icmpv6EchoAnswered;
        if (logging(loggers_.icmp))
            log(loggers_.icmp, rx.now,
                "echo request from " + p.source().toString() + " seq " + std::to_string(icmp.sequence()));
        const auto reply = Icmpv6Message::echo(false, icmp.identifier(), icmp.sequence(), icmp.body());
        return sendIp(rx.now, p.destination(), p.source(), ipproto::kIcmpv6,
                      buildIcmpv6(reply, p.destination().v6(), p.source().v6()));
    }
    if (icmp.type() == icmpv6::kEchoReply) {
        return noteEchoReply(rx.now, p.source(), icmp.identifier(), icmp.sequence());
    }
    // RFC 4443 section 2.4 (c)/(d): error messages (types 0..127) go to the upper-layer process.
    if (icmp.type() == icmpv6::kDestUnreachable || icmp.type() == icmpv6::kPacketTooBig ||
        icmp.type() == icmpv6::kTimeExceeded || icmp.type() == icmpv6::kParameterProblem) {
        IcmpError e;
        e.v6 = true;
        e.type = icmp.type();
        e.code = icmp.code();
        e.reporter = p.source();
        switch (icmp.type()) {
        case icmpv6::kDestUnreachable:
            e.kind = IcmpError::Kind::DestUnreachable;
            e.hard = icmp.code() == icmpv6::kPortUnreachable;
            break;
        case icmpv6::kPacketTooBig:
            e.kind = IcmpError::Kind::PacketTooBig;
            e.mtu = icmp.mtu(); // RFC 8201 section 4
            break;
        case icmpv6::kTimeExceeded: e.kind = IcmpError::Kind::TimeExceeded; break;
        default:
            e.kind = IcmpError::Kind::ParameterProblem;
            // Code 1, "unrecognized Next Header type encountered": the protocol is unreachable.
            e.hard = icmp.code() == 1;
            break;
        }
        return receiveIcmpError(rx, std::move(e), icmp.body());
    }
    ++counters_[StackDrop::IgnoredIcmp];
}

Status Host::ping(Instant now, const IpAddr &dst, std::uint16_t identifier, std::uint16_t sequence,
                  ByteView data)
{
    const auto src = sourceFor(dst);
    if (!src)
        return Error{"cannot ping " + dst.toString() + " from host \"" + config_.name +
                     "\": no address of that family"};
    if (dst.isV4()) {
        sendIp(now, *src, dst, ipproto::kIcmp,
               buildIcmpv4(Icmpv4Message::echo(true, identifier, sequence, data)));
    } else {
        sendIp(now, *src, dst, ipproto::kIcmpv6,
               buildIcmpv6(Icmpv6Message::echo(true, identifier, sequence, data), src->v6(), dst.v6()));
    }
    return okStatus();
}

} // namespace tcplab

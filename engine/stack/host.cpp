// Host: configuration, addresses, routing, the frame receive entry point, and transmission.
// IP/transport receive is in host_ip.cpp; ARP, ND and ICMP in host_neighbor.cpp.
#include "stack/host.h"

#include <algorithm>
#include <spdlog/spdlog.h>

#include "core/checksum.h"
#include "wire/address_bytes.h"
#include "wire/ethernet.h"
#include "wire/frame.h"
#include "wire/ip_proto.h"
#include "wire/ipv4.h"
#include "wire/ipv6.h"
#include "wire/tcp.h"

namespace tcplab {

Host::Host(HostId id, HostConfig config, EventSink &events, HostLoggers loggers)
    : id_(id), config_(std::move(config)), events_(events), tagger_(events), loggers_(std::move(loggers)),
      arp_(config_.arp), nd_(config_.nd)
{
    prefixes_ = config_.addresses;
    if (config_.linkLocal6) prefixes_.push_back(IpPrefix{Ip6Addr::linkLocalFromMac(config_.mac), 64});
}

Host::~Host() = default;

void Host::attach(Link *link, LinkId linkId)
{
    if (link_ && link != link_) link_->returnLentFrames(); // lent while we were attached to it
    link_ = link;
    linkId_ = linkId;
    lendToLink_ = link && link->borrowsLentFrames();
}

std::vector<IpAddr> Host::addresses() const
{
    std::vector<IpAddr> out;
    for (const auto &p : prefixes_)
        out.push_back(p.addr);
    return out;
}

bool Host::isLocal(const IpAddr &addr) const
{
    return std::any_of(prefixes_.begin(), prefixes_.end(), [&](const IpPrefix &p) { return p.addr == addr; });
}

std::optional<IpAddr> Host::sourceFor(const IpAddr &dst) const
{
    // RFC 6724 section 5, much reduced: same family; an address whose prefix holds dst; a
    // link-local source for a link-local or multicast destination; else a global one.
    const bool wantLinkLocal = dst.isV6() && (dst.v6().isLinkLocal() || dst.v6().isMulticast());
    std::optional<IpAddr> preferred, any;
    for (const auto &p : prefixes_) {
        if (p.addr.isV4() != dst.isV4()) continue;
        if (p.contains(dst)) return p.addr;
        const bool linkLocal = p.addr.isV6() && p.addr.v6().isLinkLocal();
        if (!preferred && linkLocal == wantLinkLocal) preferred = p.addr;
        if (!any) any = p.addr;
    }
    return preferred ? preferred : any;
}

std::optional<IpAddr> Host::nextHop(const IpAddr &dst) const
{
    for (const auto &p : prefixes_)
        if (p.addr.isV4() == dst.isV4() && p.contains(dst)) return dst;
    if (dst.isV4() && config_.gateway4) return IpAddr(*config_.gateway4);
    if (dst.isV6() && config_.gateway6) return IpAddr(*config_.gateway6);
    return std::nullopt;
}

bool Host::ipForUs(const IpAddr &dst) const
{
    if (isLocal(dst)) return true;
    if (dst.isV4()) {
        if (dst.v4().isBroadcast()) return true;
        // The directed broadcast of an on-link prefix (RFC 919).
        return std::any_of(prefixes_.begin(), prefixes_.end(), [&](const IpPrefix &p) {
            if (!p.addr.isV4() || p.length >= 31) return false;
            const std::uint32_t hostMask = p.length == 0 ? 0xffffffffu : (0xffffffffu >> p.length);
            return (p.addr.v4().value | hostMask) == dst.v4().value;
        });
    }
    // RFC 4291 section 2.8: all-nodes ff02::1 and our solicited-node groups.
    static constexpr Ip6Addr kAllNodes{{0xff, 0x02, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1}};
    if (dst.v6() == kAllNodes) return true;
    return std::any_of(prefixes_.begin(), prefixes_.end(), [&](const IpPrefix &p) {
        return p.addr.isV6() && p.addr.v6().solicitedNodeMulticast() == dst.v6();
    });
}

bool Host::acceptsMac(const MacAddr &dst) const
{
    // Multicast frames are filtered at the IP layer (solicited-node, all-nodes).
    return dst == config_.mac || dst.isBroadcast() || dst.isMulticast();
}

void Host::log(const std::shared_ptr<spdlog::logger> &logger, Instant now, const std::string &message)
{
    if (logger && logger->should_log(spdlog::level::debug))
        logger->debug("[{} {:.6f}] {}", config_.name, static_cast<double>(nanosOf(now)) / 1e9, message);
}

// ---- receive entry point ----

void Host::record(Rx &rx, FrameFate fate, SessionId session, SessionSide side)
{
    if (rx.recorded) {
        if (frameSink_ && rx.index != Event::kNoPacket && fate != FrameFate::Delivered)
            frameSink_->setFate(rx.index, fate);
        return;
    }
    rx.recorded = true;
    if (!frameSink_) return;
    FrameInfo info{rx.now, id_, linkId_, Direction::Inbound, fate, session, rx.sentAs};
    info.side = side;
    info.sameBytesAsSent = rx.sameBytesAsSent;
    rx.index = frameSink_->onFrame(info, rx.frame);
}

void Host::dropMalformed(Rx &rx, DropReason reason)
{
    ++counters_[reason];
    // Well-formed frames we simply do not handle crossed the interface normally.
    const bool wellFormed = reason == DropReason::EthUnsupportedType ||
                            reason == DropReason::IpUnsupportedProtocol ||
                            reason == DropReason::Ipv4Fragment || reason == DropReason::Ipv6Fragment;
    record(rx, wellFormed ? FrameFate::Delivered : FrameFate::Malformed);
    if (logging(loggers_.ip))
        log(loggers_.ip, rx.now, "dropped frame: " + std::string(dropReasonName(reason)));
}

void Host::dropRx(Rx &rx, StackDrop reason)
{
    ++counters_[reason];
    record(rx, FrameFate::Delivered);
}

void Host::receiveFrame(Instant now, const ReceivedFrame &received)
{
    const ByteView frame = received.bytes;
    Rx rx{now, frame, received.sentAs, received.unchanged};
    ++counters_.framesIn;
    counters_.bytesIn += frame.size();
    // A transport checksum the link computed itself (checksum offload: up to 64 KB) is right by
    // construction: the frame is parsed without summing it again, and only the IPv4 header
    // checksum, which the link did not touch, is still checked here.
    const bool linkSummed = received.checksumComputed;
    ParsedFrame p = parseFrame(frame, FrameParseOptions{.verifyChecksums = !linkSummed});
    if (linkSummed && p.ok() && p.ipv4 && internetChecksum(p.ipv4->header()) != 0)
        p.drop = DropReason::Ipv4BadChecksum;
    if (p.eth && !acceptsMac(p.eth->destination())) return dropRx(rx, StackDrop::NotForUs);
    if (!p.ok()) {
        // A packet for someone else is not ours to judge (a bad checksum is not our business).
        if ((p.ipv4 || p.ipv6) && !ipForUs(p.destination())) return dropRx(rx, StackDrop::NotForUs);
        return dropMalformed(rx, p.drop);
    }
    switch (p.network) {
    case NetworkKind::Arp: return receiveArp(rx, p);
    case NetworkKind::Ipv4:
    case NetworkKind::Ipv6: return receiveIp(rx, p);
    case NetworkKind::None: return dropMalformed(rx, DropReason::EthUnsupportedType);
    }
}

// ---- transmit ----

std::size_t Host::appendIpHeader(Bytes &out, const IpAddr &src, const IpAddr &dst, std::uint8_t protocol,
                                 std::size_t payloadLength, std::uint8_t ttl)
{
    if (dst.isV4()) {
        Ipv4Header h;
        h.identification = ipId_++;
        h.ttl = ttl;
        h.protocol = protocol;
        h.source = src.isV4() ? src.v4() : Ip4Addr{};
        h.destination = dst.v4();
        ++counters_.ipv4Out;
        return appendIpv4Header(out, h, payloadLength);
    }
    Ipv6Header h;
    h.nextHeader = protocol;
    h.hopLimit = ttl;
    h.source = src.isV6() ? src.v6() : Ip6Addr{};
    h.destination = dst.v6();
    ++counters_.ipv6Out;
    return appendIpv6Header(out, h, payloadLength);
}

Bytes Host::buildIpPacket(const IpAddr &src, const IpAddr &dst, std::uint8_t protocol, ByteView payload,
                          std::uint8_t ttl)
{
    Bytes out;
    out.reserve(60 + payload.size());
    payload = payload.first(appendIpHeader(out, src, dst, protocol, payload.size(), ttl));
    out.insert(out.end(), payload.begin(), payload.end());
    return out;
}

void Host::sendIp(Instant now, const IpAddr &src, const IpAddr &dst, std::uint8_t protocol, Bytes payload)
{
    Bytes ip = buildIpPacket(src, dst, protocol, payload, config_.ttl);
    SessionId session = kNoSession;
    SessionSide side = SessionSide::Unknown;
    if (protocol == ipproto::kTcp) {
        ++counters_.tcpOut;
        const ParsedFrame p = parseIpPacket(ip, FrameParseOptions{false});
        const SessionTag tag = observeTcp(now, p);
        session = tag.session;
        if (!hook_) side = tag.side; // a hook may rewrite the packet: its frame is decoded instead
        if (hook_ && p.tcp) {
            switch (runHook(now, HookPoint::Egress, ip, p, tag)) {
            case HookVerdict::Pass: break;
            case HookVerdict::Drop: {
                ++counters_.hookDropped;
                // Recorded (never sent) so the diagram can show what the rule stopped.
                const MacAddr to = dst.isV4() ? arp_.lookup(dst.v4()).value_or(MacAddr{})
                                              : nd_.lookup(dst.v6()).value_or(MacAddr{});
                transmitFrame(now, to, dst.isV4() ? ethertype::kIpv4 : ethertype::kIpv6, ip, session,
                              FrameFate::DroppedByRule);
                return;
            }
            case HookVerdict::Take: ++counters_.hookTaken; return;
            }
        }
    }
    sendRoutedIp(now, std::move(ip), session, side);
}

void Host::sendIpWithHeadroom(Instant now, const IpAddr &src, const IpAddr &dst, std::uint8_t protocol,
                              Bytes buffer, std::uint16_t mss)
{
    sendIpWithHeadroomReusing(now, src, dst, protocol, buffer, mss);
}

void Host::sendIpWithHeadroomReusing(Instant now, const IpAddr &src, const IpAddr &dst, std::uint8_t protocol,
                                     Bytes &buffer, std::uint16_t mss)
{
    // A hook gets (and may rewrite) a packet of its own: the general path. So does a payload the
    // IP length field could not announce whole (the general path cuts it, as buildIpPacket does).
    const std::size_t payloadLength = buffer.size() >= kTxHeadroom ? buffer.size() - kTxHeadroom : 0;
    if (hook_ || buffer.size() < kTxHeadroom || payloadLength > 0xffff - 60 || src.isV4() != dst.isV4() ||
        (protocol == ipproto::kTcp && payloadLength < TcpView::kMinHeaderLength))
        return IpOutput::sendIpWithHeadroom(now, src, dst, protocol, std::move(buffer), mss);
    // What sendIp does, with the IP header written in front of the payload instead of a copy.
    txHeader_.clear();
    appendIpHeader(txHeader_, src, dst, protocol, payloadLength, config_.ttl);
    const std::size_t ipAt = kTxHeadroom - txHeader_.size();
    std::copy(txHeader_.begin(), txHeader_.end(), buffer.begin() + static_cast<std::ptrdiff_t>(ipAt));
    SessionTag tag;
    if (protocol == ipproto::kTcp) {
        ++counters_.tcpOut;
        // The flow tracker reads the segment's header where the transport wrote it: the packet is
        // our own, there is nothing to parse.
        const std::uint8_t *tcp = buffer.data() + kTxHeadroom;
        if (sessions_)
            tag = sessions_->observeTcp(now, Endpoint{src, loadBe16(tcp)}, Endpoint{dst, loadBe16(tcp + 2)},
                                        tcp[13], loadBe32(tcp + 4));
    }
    txSegmentMss_ = mss;
    sendRoutedIp(now, std::move(buffer), tag.session, tag.side, ipAt);
    txSegmentMss_ = 0;
}

std::uint32_t Host::segmentationLimit() const
{
    if (!link_ || hook_) return 0;
    const std::size_t frame = link_->gsoMaxFrame();
    // Room for the largest Ethernet, IP and TCP headers (14 + 60 + 60) and the IP length field.
    constexpr std::size_t kHeaders = 14 + 60 + 60;
    return frame > kHeaders + 1500
               ? static_cast<std::uint32_t>(std::min<std::size_t>(frame, 14 + 65535) - kHeaders)
               : 0;
}

void Host::sendIpSegmented(Instant now, const IpAddr &src, const IpAddr &dst, std::uint8_t protocol,
                           Bytes payload, std::uint16_t mss)
{
    txSegmentMss_ = mss;
    sendIp(now, src, dst, protocol, std::move(payload));
    txSegmentMss_ = 0;
}

void Host::sendRoutedIp(Instant now, Bytes &&buffer, SessionId session, SessionSide side, std::size_t ipAt)
{
    // transmitBuilt() tells the recorder which end sent this packet's frame; a frame sent later
    // (after address resolution) is not this call's and goes without.
    txSide_ = side;
    struct ForgetSide {
        SessionSide &side;
        ~ForgetSide() { side = SessionSide::Unknown; }
    } forget{txSide_};
    const ByteView ip = ByteView(buffer).subspan(ipAt);
    // The destination as the (possibly rule-edited) packet says.
    IpAddr dst;
    if (ip.size() >= 20 && (ip[0] >> 4) == 4) {
        dst = Ip4Addr{loadBe32(ip.data() + 16)};
    } else if (ip.size() >= 40 && (ip[0] >> 4) == 6) {
        dst = loadIp6(ip.data() + 24);
    } else {
        ++counters_[StackDrop::NoRoute];
        return;
    }
    if (dst.isV6() && dst.v6().isMulticast())
        return transmitIp(now, dst.v6().multicastMac(), ethertype::kIpv6, buffer, ipAt, session);
    if (dst.isV4() && dst.v4().isBroadcast())
        return transmitIp(now, MacAddr::broadcast(), ethertype::kIpv4, buffer, ipAt, session);
    const auto hop = nextHop(dst);
    if (!hop) {
        ++counters_[StackDrop::NoRoute];
        log(loggers_.ip, now, "no route to " + dst.toString());
        return;
    }
    resolveAndSend(now, *hop, std::move(buffer), session, ipAt);
}

namespace {

// The TCP flags of an IP packet (0 when it is not TCP): only read when an event waits for its frame.
std::uint8_t tcpFlagsOf(ByteView ip)
{
    std::size_t at = 0;
    if (ip.size() >= 20 && (ip[0] >> 4) == 4 && ip[9] == ipproto::kTcp)
        at = std::size_t(ip[0] & 0x0f) * 4;
    else if (ip.size() >= 40 && (ip[0] >> 4) == 6 && ip[6] == ipproto::kTcp)
        at = 40;
    else
        return 0;
    return at + 14 <= ip.size() ? ip[at + 13] : 0;
}

} // namespace

void Host::transmitFrame(Instant now, const MacAddr &dst, std::uint16_t etherType, ByteView payload,
                         SessionId session, FrameFate fate)
{
    if (!link_) {
        ++counters_[StackDrop::NoLink];
        return;
    }
    const Bytes frame = buildEthernet(EthernetHeader{dst, config_.mac, etherType}, payload, true);
    transmitBuilt(now, frame, payload, session, fate);
}

void Host::transmitIp(Instant now, const MacAddr &dst, std::uint16_t etherType, Bytes &buffer,
                      std::size_t ipAt, SessionId session)
{
    if (ipAt < EthernetView::kHeaderLength)
        return transmitFrame(now, dst, etherType, ByteView(buffer).subspan(ipAt), session);
    if (!link_) {
        ++counters_[StackDrop::NoLink];
        return;
    }
    // The frame buildEthernet would make, in place: the header in the room before the packet,
    // zero padding up to the minimum frame size.
    const std::size_t frameAt = ipAt - EthernetView::kHeaderLength;
    txHeader_.clear();
    appendEthernetHeader(txHeader_, EthernetHeader{dst, config_.mac, etherType});
    std::copy(txHeader_.begin(), txHeader_.end(), buffer.begin() + static_cast<std::ptrdiff_t>(frameAt));
    if (buffer.size() - frameAt < EthernetView::kMinFrameLength)
        buffer.resize(frameAt + EthernetView::kMinFrameLength, 0);
    const ByteView frame = ByteView(buffer).subspan(frameAt);
    transmitBuilt(now, frame, frame.subspan(EthernetView::kHeaderLength), session, FrameFate::Delivered);
}

void Host::transmitBuilt(Instant now, ByteView frame, ByteView payload, SessionId session, FrameFate fate)
{
    std::uint64_t index = Event::kNoPacket;
    if (frameSink_) {
        FrameInfo info{now, id_, linkId_, Direction::Outbound, fate, session};
        if (session != kNoSession) info.side = txSide_; // ARP and ND frames sent meanwhile have none
        index = frameSink_->onFrame(info, frame);
        if (session != kNoSession)
            tagger_.outbound(session, index, [payload] { return tcpFlagsOf(payload); });
    }
    if (fate != FrameFate::Delivered) return;
    ++counters_.framesOut;
    counters_.bytesOut += frame.size();
    // A recorded frame goes to the link as the sink's copy, lent: a virtual wire carries it instead
    // of copying the frame a second time (frame itself is in a buffer we reuse for the next frame).
    // The link gives lent frames back before the sink changes (setFrameSink).
    const ByteView kept = lendToLink_ && index != Event::kNoPacket && !txSegmentMss_
                              ? frameSink_->keptFrame(index)
                              : ByteView();
    const TxResult r = txSegmentMss_  ? link_->transmitSegmented(now, frame, txSegmentMss_, index)
                       : kept.empty() ? link_->transmit(now, frame, index)
                                      : link_->transmitLent(now, kept, index);
    if (r == TxResult::Sent) return;
    if (frameSink_ && index != Event::kNoPacket) frameSink_->setFate(index, FrameFate::LostOnWire);
    if (r != TxResult::Lost) ++counters_[StackDrop::LinkTxFailed];
}

// ---- timers ----

std::size_t Host::poll(Instant now, std::size_t maxFrames)
{
    std::size_t n = 0;
    if (link_) {
        // A burst from a tap is one TCP batch: what its segments let TCP send goes out once, after
        // the last of them (TcpInput::beginBatch).
        TcpInput *const batch = link_->receivesInBursts() ? tcp_ : nullptr;
        if (batch) batch->beginBatch();
        const RxHandler handler = [this, now](const ReceivedFrame &f) { receiveFrame(now, f); };
        // Read where the recorder keeps frames, when it offers room: recording them copies nothing.
        ReceiveRoom *room = frameSink_ ? frameSink_->receiveRoom() : nullptr;
        n = room ? link_->drainInto(now, maxFrames, *room, handler) : link_->drain(now, maxFrames, handler);
        if (batch) batch->endBatch(now);
    }
    pollNeighbors(now);
    if (hook_ && hook_->pollAt() <= now) hook_->poll(now, *this);
    if (tcp_ && tcp_->pollAt() <= now) tcp_->poll(now);
    tagger_.flush(); // events that found no frame of their session go out unattached
    return n;
}

Instant Host::pollAt() const
{
    Instant t = std::min(arp_.pollAt(), nd_.pollAt());
    if (link_) t = std::min(t, link_->pollAt());
    if (hook_) t = std::min(t, hook_->pollAt());
    if (tcp_) t = std::min(t, tcp_->pollAt());
    return t;
}

} // namespace tcplab

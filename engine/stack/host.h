// One host of the lab: an Ethernet interface with a MAC, IPv4 and IPv6 addresses (plus the
// link-local address made from the MAC), on-link routes and default gateways, ARP and ND caches,
// ICMP echo responders, UDP sockets, and the TCP dispatch point (a TcpInput, when attached).
//
// Every frame in or out goes to the FrameSink (when set) with its fate; TCP packets pass the
// PacketHook (when set) at ingress and egress; counters say why anything was not delivered.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <spdlog/logger.h>
#include <string>
#include <unordered_map>
#include <vector>

#include "capture/frame_sink.h"
#include "core/event.h"
#include "core/time.h"
#include "link/link.h"
#include "stack/event_tagger.h"
#include "stack/host_counters.h"
#include "stack/neighbor_cache.h"
#include "stack/packet_hook.h"
#include "stack/session_source.h"
#include "stack/transport.h"
#include "wire/addresses.h"

namespace tcplab {

struct ParsedFrame;

struct HostConfig {
    std::string name = "host";
    MacAddr mac{{0x02, 0x00, 0x00, 0x00, 0x00, 0x01}};
    std::vector<IpPrefix> addresses; // IPv4 and IPv6, each with its on-link prefix
    std::optional<Ip4Addr> gateway4;
    std::optional<Ip6Addr> gateway6;
    bool linkLocal6 = true; // add fe80::/64 from the MAC (RFC 4291 appendix A)
    std::uint8_t ttl = 64;
    NeighborConfig arp;
    NeighborConfig nd;
    bool portUnreachable = true; // answer UDP to closed ports with ICMP port unreachable
};

// One datagram as a UDP socket's receiver sees it.
struct UdpDatagram {
    Endpoint local;
    Endpoint remote;
    ByteView payload; // valid during the call only
};
using UdpReceiver = std::function<void(Instant now, const UdpDatagram &datagram)>;
// RFC 1122 section 4.1.3.3: "UDP MUST pass to the application layer all ICMP error messages that
// it receives from the IP layer." The socket bound to the quoted source port gets them here.
using UdpErrorReceiver = std::function<void(Instant now, const IcmpError &error)>;
using UdpSocketId = std::uint32_t;

// Per-module loggers a host writes to (may be null: nothing logged).
struct HostLoggers {
    std::shared_ptr<spdlog::logger> arp, nd, ip, icmp, udp, tcp;
};

class Host final : public IpOutput, private HookActions {
public:
    Host(HostId id, HostConfig config, EventSink &events, HostLoggers loggers = {});
    ~Host() override;
    Host(const Host &) = delete;
    Host &operator=(const Host &) = delete;

    HostId id() const { return id_; }
    const HostConfig &config() const { return config_; }
    const std::string &name() const { return config_.name; }
    const MacAddr &mac() const { return config_.mac; }

    // Wiring (all optional, all may be changed between polls).
    void attach(Link *link, LinkId linkId);
    Link *link() const { return link_; }
    void setFrameSink(FrameSink *sink)
    {
        // Frames lent to the link (the old sink's copies, see transmitBuilt) must not outlive it.
        if (frameSink_ && sink != frameSink_ && link_) link_->returnLentFrames();
        frameSink_ = sink;
        tagger_.setFrameSink(sink);
    }
    void setPacketHook(PacketHook *hook) { hook_ = hook; }
    void setSessionSource(SessionSource *source) { sessions_ = source; }
    // THE TCP dispatch point: received TCP segments go here; without one they are counted as
    // no-transport. The TCP layer sends through this host's IpOutput (sendIp).
    // Use Lab::addTcp, which also gives the layer this host's eventSink() and a session resolver
    // (sessionFor), and owns the layer.
    void setTcp(TcpInput *tcp) { tcp_ = tcp; }
    TcpInput *tcp() const { return tcp_; }
    // Where this host's transports emit events: attaches them to the packets they explain (see
    // stack/event_tagger.h) and forwards them to the lab's sink.
    EventSink &eventSink() { return tagger_; }
    // The session the next segment from `local` to `remote` belongs to (the SessionSource's
    // sessionFor; kNoSession without one): a TCP layer names its events with it before its first
    // segment is out.
    SessionId sessionFor(Instant now, const Endpoint &local, const Endpoint &remote)
    {
        return sessions_ ? sessions_->sessionFor(now, local, remote) : kNoSession;
    }

    // Addresses.
    std::vector<IpAddr> addresses() const;
    bool isLocal(const IpAddr &addr) const;
    // The source address for talking to `dst` (same family, on-link prefix preferred).
    std::optional<IpAddr> sourceFor(const IpAddr &dst) const;

    // Announces the IPv4 addresses with gratuitous ARP (RFC 5227 section 3) and, for IPv6, an
    // unsolicited NA to all-nodes (RFC 4861 section 7.2.6). The Lab calls it when a link attaches.
    void announce(Instant now);

    // IpOutput: builds the IP header, runs the egress hook (TCP), resolves, frames, transmits.
    void sendIp(Instant now, const IpAddr &src, const IpAddr &dst, std::uint8_t protocol,
                Bytes payload) override;
    // TCP segmentation offload when the link has it and no packet hook must see single segments.
    std::uint32_t segmentationLimit() const override;
    void sendIpSegmented(Instant now, const IpAddr &src, const IpAddr &dst, std::uint8_t protocol,
                         Bytes payload, std::uint16_t mss) override;
    // Without a packet hook, the IP and Ethernet headers go into the room in front of the payload:
    // the payload is not copied again on its way to the link.
    void sendIpWithHeadroom(Instant now, const IpAddr &src, const IpAddr &dst, std::uint8_t protocol,
                            Bytes buffer, std::uint16_t mss) override;
    // The same, leaving `buffer` to the caller once the frame is out (the common case).
    void sendIpWithHeadroomReusing(Instant now, const IpAddr &src, const IpAddr &dst, std::uint8_t protocol,
                                   Bytes &buffer, std::uint16_t mss) override;

    // Receive path: one frame from the link (sentAs: the sender's store index on a virtual wire).
    void receiveFrame(Instant now, const ReceivedFrame &frame);
    // A frame from no link (tests, tools): nothing is known about it beyond its bytes.
    void receiveFrame(Instant now, ByteView frame) { receiveFrame(now, ReceivedFrame{.bytes = frame}); }

    // Drains the link (frames due by `now`, at most maxFrames), runs ARP/ND, hook and TCP timers.
    std::size_t poll(Instant now, std::size_t maxFrames = 256);
    Instant pollAt() const;

    // UDP sockets. A receiver bound to port P gets every datagram to P on any local address.
    Expected<UdpSocketId> udpBind(std::uint16_t port, UdpReceiver receiver, UdpErrorReceiver onError = {});
    void udpClose(UdpSocketId socket);
    bool udpBound(std::uint16_t port) const { return udpPorts_.contains(port); }
    // Sends from `local` (address unspecified: chosen by sourceFor) to `remote`.
    Status udpSend(Instant now, Endpoint local, const Endpoint &remote, ByteView payload);

    // ICMP echo requests from this host (for tests and the GUI's ping); replies raise ServiceNote
    // events named "echo-reply".
    Status ping(Instant now, const IpAddr &dst, std::uint16_t identifier, std::uint16_t sequence,
                ByteView data);

    const HostCounters &counters() const { return counters_; }
    const NeighborCache<Ip4Addr> &arpCache() const { return arp_; }
    const NeighborCache<Ip6Addr> &ndCache() const { return nd_; }

private:
    // Per received frame: what the FrameSink knows about it.
    struct Rx {
        Instant now;
        ByteView frame;
        std::uint64_t sentAs;
        bool sameBytesAsSent;                   // the link vouched for it (ReceivedFrame::unchanged)
        std::uint64_t index = Event::kNoPacket; // store index once recorded
        bool recorded = false;
    };

    // host.cpp: frames, recording, routing, transmit
    void record(Rx &rx, FrameFate fate, SessionId session = kNoSession,
                SessionSide side = SessionSide::Unknown);
    void dropMalformed(Rx &rx, DropReason reason);
    void dropRx(Rx &rx, StackDrop reason);
    bool acceptsMac(const MacAddr &dst) const;
    bool ipForUs(const IpAddr &dst) const;
    // The IP packet starts `ipAt` bytes into `buffer`; 14 bytes of room or more before it take the
    // Ethernet header in place.
    // `buffer` is moved from only when the packet must wait (for the neighbour): otherwise the
    // caller may reuse it.
    // `side`: which end of `session` sent the packet, when known and the packet is as observed.
    void sendRoutedIp(Instant now, Bytes &&buffer, SessionId session, SessionSide side, std::size_t ipAt = 0);
    std::optional<IpAddr> nextHop(const IpAddr &dst) const;
    void transmitFrame(Instant now, const MacAddr &dst, std::uint16_t etherType, ByteView payload,
                       SessionId session, FrameFate fate = FrameFate::Delivered);
    void transmitIp(Instant now, const MacAddr &dst, std::uint16_t etherType, Bytes &buffer, std::size_t ipAt,
                    SessionId session);
    // A whole frame to the sink and the link; `payload` is the frame's IP packet.
    void transmitBuilt(Instant now, ByteView frame, ByteView payload, SessionId session, FrameFate fate);
    Bytes buildIpPacket(const IpAddr &src, const IpAddr &dst, std::uint8_t protocol, ByteView payload,
                        std::uint8_t ttl);
    // The IP header buildIpPacket puts in front of a payload of payloadLength bytes (same
    // identification, counters); returns the payload length it announces.
    std::size_t appendIpHeader(Bytes &out, const IpAddr &src, const IpAddr &dst, std::uint8_t protocol,
                               std::size_t payloadLength, std::uint8_t ttl);
    bool icmpErrorAllowed(Instant now);
    void log(const std::shared_ptr<spdlog::logger> &logger, Instant now, const std::string &message);
    // Per-packet messages are built only when someone will read them.
    static bool logging(const std::shared_ptr<spdlog::logger> &logger)
    {
        return logger && logger->should_log(spdlog::level::debug);
    }

    // host_ip.cpp: IP receive and transports
    void receiveIp(Rx &rx, const ParsedFrame &p);
    void receiveUdp(Rx &rx, const ParsedFrame &p);
    void receiveTcp(Rx &rx, const ParsedFrame &p);
    // checksumVerified: `p` was parsed with its checksums checked and not edited since.
    void deliverTcp(Instant now, const ParsedFrame &p, ByteView ip, SessionId session,
                    bool checksumVerified = false);
    SessionTag observeTcp(Instant now, const ParsedFrame &p);
    HookVerdict runHook(Instant now, HookPoint point, Bytes &ip, const ParsedFrame &p, SessionTag tag);
    void sendPortUnreachable(Instant now, const ParsedFrame &p, ByteView ipPacket);
    // HookActions
    void sendToWire(Instant now, Bytes ipPacket) override;
    void deliverToStack(Instant now, Bytes ipPacket) override;
    void reportHit(Event event) override;

    // host_neighbor.cpp: ARP, ND, ICMP
    void receiveArp(Rx &rx, const ParsedFrame &p);
    void receiveIcmpv4(Rx &rx, const ParsedFrame &p);
    void receiveIcmpv6(Rx &rx, const ParsedFrame &p);
    // host_icmp_error.cpp: ICMP errors quoting our packets, to UDP sockets and TCP.
    void receiveIcmpError(Rx &rx, IcmpError error, ByteView quoted);
    void noteEchoReply(Instant now, const IpAddr &from, std::uint16_t identifier, std::uint16_t sequence);
    void receiveNeighborSolicitation(Rx &rx, const ParsedFrame &p);
    void receiveNeighborAdvertisement(Rx &rx, const ParsedFrame &p);
    // unicastTo: a NUD probe to the cached MAC (RFC 4861 section 7.3.3); otherwise broadcast /
    // solicited-node multicast resolution.
    void sendArpRequest(Instant now, Ip4Addr target, std::optional<MacAddr> unicastTo = std::nullopt);
    void sendNeighborSolicitation(Instant now, const Ip6Addr &target,
                                  std::optional<MacAddr> unicastTo = std::nullopt);
    void resolveAndSend(Instant now, const IpAddr &hop, Bytes &&buffer, SessionId session,
                        std::size_t ipAt = 0);
    void releasePending(Instant now, std::deque<PendingPacket> packets, const MacAddr &mac);
    void pollNeighbors(Instant now);
    void logNeighborChange(Instant now, const IpAddr &addr, NeighborState from, NeighborState to);

    HostId id_;
    HostConfig config_;
    EventSink &events_;
    EventTagger tagger_;
    HostLoggers loggers_;
    Link *link_ = nullptr;
    LinkId linkId_ = 0;
    bool lendToLink_ = false; // the link would carry the sink's copies of recorded frames (transmitLent)
    FrameSink *frameSink_ = nullptr;
    PacketHook *hook_ = nullptr;
    std::uint16_t txSegmentMss_ = 0; // set while sendIpSegmented() runs: the frame goes segmented
    // Set by sendRoutedIp() while it runs: which end sent the packet, for its frame's record
    // (FrameInfo::side). Unknown otherwise (frames sent later, after address resolution, and packets
    // a rule may have rewritten).
    SessionSide txSide_ = SessionSide::Unknown;
    SessionSource *sessions_ = nullptr;
    TcpInput *tcp_ = nullptr;
    std::vector<IpPrefix> prefixes_; // configured + link-local
    NeighborCache<Ip4Addr> arp_;
    NeighborCache<Ip6Addr> nd_;
    HostCounters counters_;
    std::uint16_t ipId_ = 1;
    Bytes txHeader_; // headers built here before they are copied into a transport's headroom
    // The packet whose hook is running: emit() annotates it.
    std::uint64_t hookPacket_ = Event::kNoPacket;
    SessionId hookSession_ = kNoSession;

    struct UdpSocket {
        std::uint16_t port;
        UdpReceiver receiver;
        UdpErrorReceiver onError;
    };
    std::unordered_map<UdpSocketId, UdpSocket> udpSockets_;
    std::unordered_map<std::uint16_t, UdpSocketId> udpPorts_;
    UdpSocketId nextUdpSocket_ = 1;
    // RFC 4443 section 2.4 (f): ICMP error messages are rate-limited (token bucket, virtual time).
    Instant icmpErrorWindow_{};
    int icmpErrorsInWindow_ = 0;
};

} // namespace tcplab

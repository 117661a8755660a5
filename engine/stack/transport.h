// The contract between a host's IP layer and its transports (TCP, UDP, ICMP handlers).
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>

#include "core/bytes.h"
#include "core/event.h"
#include "core/time.h"
#include "tcp/tcp_state.h"
#include "wire/addresses.h"

namespace tcplab {

inline constexpr std::uint8_t kIpProtoIcmp = 1;
inline constexpr std::uint8_t kIpProtoTcp = 6;
inline constexpr std::uint8_t kIpProtoUdp = 17;
inline constexpr std::uint8_t kIpProtoIcmpv6 = 58;

// Header facts of a received IP packet that a transport may need.
struct IpMeta {
    IpAddr src;
    IpAddr dst;
    std::uint8_t protocol = 0;
    std::uint8_t ttl = 0; // hop limit for IPv6
    std::uint8_t tos = 0; // traffic class for IPv6
    SessionId session = kNoSession;
    // The host already verified the transport checksum of exactly these bytes (a frame parsed with
    // checksums checked, not edited since): the transport need not sum them again.
    bool checksumVerified = false;
};

// Room a transport may leave in front of its payload for the link and IP headers (Ethernet 14 +
// IPv6 40; IPv4 without options takes 14 + 20 of it), so that the host writes them there instead
// of copying the payload behind new headers: see IpOutput::sendIpWithHeadroom.
inline constexpr std::size_t kTxHeadroom = 14 + 40;

// Implemented by the host: a transport hands it a payload (TCP segment with its checksum filled
// in, UDP datagram, ...) and the host builds the IP header, runs the egress hook, resolves the
// next hop and frames it.
class IpOutput {
public:
    virtual ~IpOutput() = default;
    virtual void sendIp(Instant now, const IpAddr &src, const IpAddr &dst, std::uint8_t protocol,
                        Bytes payload) = 0;
    // TCP segmentation offload: the most TCP payload bytes one sendIpSegmented() may carry, 0 when
    // every segment must fit the MTU (no offload, or a packet hook that must see each segment).
    virtual std::uint32_t segmentationLimit() const { return 0; }
    // A TCP segment with more than `mss` payload bytes, for the link to cut into `mss`-byte segments.
    virtual void sendIpSegmented(Instant now, const IpAddr &src, const IpAddr &dst, std::uint8_t protocol,
                                 Bytes payload, std::uint16_t /*mss*/)
    {
        sendIp(now, src, dst, protocol, std::move(payload));
    }
    // The same as sendIp (mss 0) or sendIpSegmented (mss > 0) for a payload that starts kTxHeadroom
    // bytes into `buffer` (the bytes before it are room, their content does not matter). A host
    // puts its headers there; this default copies the payload out.
    virtual void sendIpWithHeadroom(Instant now, const IpAddr &src, const IpAddr &dst, std::uint8_t protocol,
                                    Bytes buffer, std::uint16_t mss)
    {
        buffer.erase(buffer.begin(),
                     buffer.begin() + static_cast<std::ptrdiff_t>(std::min(kTxHeadroom, buffer.size())));
        if (mss)
            sendIpSegmented(now, src, dst, protocol, std::move(buffer), mss);
        else
            sendIp(now, src, dst, protocol, std::move(buffer));
    }
    // sendIpWithHeadroom for a buffer its caller reuses for every segment: the IP layer takes it
    // only when it must keep the packet (waiting for the neighbour, a packet hook); otherwise it
    // leaves `buffer` to the caller with its capacity (content unspecified), so sending a segment
    // allocates nothing. This default always takes it.
    virtual void sendIpWithHeadroomReusing(Instant now, const IpAddr &src, const IpAddr &dst,
                                           std::uint8_t protocol, Bytes &buffer, std::uint16_t mss)
    {
        sendIpWithHeadroom(now, src, dst, protocol, std::move(buffer), mss);
        buffer = Bytes();
    }
};

// An ICMP or ICMPv6 error about a packet this host sent, as the host decoded it from the quoted
// packet in the message body (RFC 792, RFC 4443 section 2.4 (c)): who complained, about which
// flow, and how serious it is.
struct IcmpError {
    enum class Kind : std::uint8_t { DestUnreachable, PacketTooBig, TimeExceeded, ParameterProblem };
    Kind kind = Kind::DestUnreachable;
    bool v6 = false;
    std::uint8_t type = 0, code = 0;
    // RFC 1122 section 4.2.3.9: protocol and port unreachable are hard errors (for ICMPv6, port
    // unreachable and "unrecognized Next Header"); everything else is soft.
    bool hard = false;
    std::uint32_t mtu = 0;       // packet too big, or fragmentation needed (RFC 1191): the next-hop MTU
    IpAddr reporter;             // the source of the ICMP message (a router or the peer)
    std::uint8_t protocol = 0;   // of the quoted packet
    Endpoint local, remote;      // the quoted packet's source (ours) and destination
    std::uint32_t quotedSeq = 0; // TCP: the sequence number of the quoted segment
    std::string what;            // "port unreachable", "time exceeded in transit", ...
};

// What a transport did with an ICMP error (the host names it in its event).
enum class IcmpErrorOutcome : std::uint8_t {
    NoSocket,    // no socket or connection for the quoted flow
    OutOfWindow, // TCP: the quoted sequence number is not in SND.UNA..SND.NXT (RFC 5927 section 4.1)
    Recorded,    // a soft error: recorded on the connection / passed to the socket
    Aborted,     // a hard error in SYN-SENT: the connection attempt was aborted
};
inline const char *icmpErrorOutcomeName(IcmpErrorOutcome outcome)
{
    switch (outcome) {
    case IcmpErrorOutcome::NoSocket: return "no-socket";
    case IcmpErrorOutcome::OutOfWindow: return "out-of-window";
    case IcmpErrorOutcome::Recorded: return "recorded";
    case IcmpErrorOutcome::Aborted: return "aborted";
    }
    return "?";
}

// Implemented by the TCP layer (or an adapter the Lab makes around it): where the host delivers
// TCP segments that passed parsing and the ingress hook, and whom it asks for a connection's
// state to show the hook. The segment view is valid during the call only.
class TcpInput {
public:
    virtual ~TcpInput() = default;
    virtual void input(Instant now, const IpMeta &meta, ByteView segment) = 0;
    virtual std::optional<TcbSnapshot> lookup(const Endpoint &local, const Endpoint &remote) const = 0;
    // An ICMP error quoting one of our TCP segments (RFC 1122 section 4.2.3.9, RFC 5927). `session`
    // is set to the connection's session when there is one.
    virtual IcmpErrorOutcome icmpError(Instant /*now*/, const IcmpError & /*error*/, SessionId & /*session*/)
    {
        return IcmpErrorOutcome::NoSocket;
    }
    // Timers (retransmission, TIME-WAIT, ...); the host polls them with its own.
    virtual Instant pollAt() const { return kNever; }
    virtual void poll(Instant /*now*/) {}
    // A burst of received segments (every frame a tap had queued): input() takes them one by one
    // as always, but what they let a connection send may wait until endBatch(), so that a sender
    // clocked by a burst of ACKs answers it once with the data the burst allows instead of once per
    // ACK. Every segment owed is still sent (see TcpLayer::beginBatch).
    virtual void beginBatch() {}
    virtual void endBatch(Instant /*now*/) {}
};

} // namespace tcplab

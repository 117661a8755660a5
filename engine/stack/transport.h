// The contract between a host's IP layer and its transports (TCP, UDP, ICMP handlers).
#pragma once

#include <cstdint>
#include <optional>

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
    std::uint8_t ttl = 0;  // hop limit for IPv6
    std::uint8_t tos = 0;  // traffic class for IPv6
    SessionId session = kNoSession;
};

// Implemented by the host: a transport hands it a payload (TCP segment with its checksum filled
// in, UDP datagram, ...) and the host builds the IP header, runs the egress hook, resolves the
// next hop and frames it.
class IpOutput {
public:
    virtual ~IpOutput() = default;
    virtual void sendIp(Instant now, const IpAddr &src, const IpAddr &dst, std::uint8_t protocol,
                        Bytes payload) = 0;
};

// Implemented by the TCP layer (or an adapter the Lab makes around it): where the host delivers
// TCP segments that passed parsing and the ingress hook, and whom it asks for a connection's
// state to show the hook. The segment view is valid during the call only.
class TcpInput {
public:
    virtual ~TcpInput() = default;
    virtual void input(Instant now, const IpMeta &meta, ByteView segment) = 0;
    virtual std::optional<TcbSnapshot> lookup(const Endpoint &local, const Endpoint &remote) const = 0;
    // Timers (retransmission, TIME-WAIT, ...); the host polls them with its own.
    virtual Instant pollAt() const { return kNever; }
    virtual void poll(Instant /*now*/) {}
};

}  // namespace tcplab

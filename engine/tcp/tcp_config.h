// Tunables of a TCP layer (defaults for every socket) and of one socket.
#pragma once

#include <cstdint>

#include "core/time.h"
#include "tcp/congestion.h"
#include "tcp/rtt.h"

namespace tcplab {

// What a closed port answers (RFC 9293 section 3.10.7.1: "An incoming segment not containing a
// RST causes a RST to be sent in response"); Silent is for labs that want a black hole.
enum class ClosedPortPolicy : std::uint8_t { Rst, Silent };

struct TcpSocketOptions {
    bool noDelay = false;                 // disable Nagle (RFC 9293 section 3.7.4)
    std::uint32_t sendBuffer = 1 << 20;   // bytes
    std::uint32_t recvBuffer = 1 << 20;   // bytes (the advertised window is at most this)
    std::uint16_t mss = 0;                // 0: from the interface MTU (TcpConfig::mtu)
    bool windowScale = true;              // RFC 7323
    bool timestamps = true;               // RFC 7323
    bool sack = true;                     // RFC 2018
    bool keepAlive = false;               // RFC 9293 section 3.8.4
    Duration keepAliveIdle = 7200s;       // "MUST default to no less than two hours"
    Duration keepAliveInterval = 75s;
    int keepAliveProbes = 9;
    CongestionAlgorithm congestion = CongestionAlgorithm::Cubic;
};

struct TcpConfig {
    TcpSocketOptions socket;              // defaults for new sockets
    std::uint32_t mtu = 1500;             // IP MTU of the host's interface
    RtoLimits rto;
    int synRetries = 6;                   // SYN (and SYN-ACK) retransmissions before giving up
    int dataRetries = 15;                 // RFC 9293 section 3.8.3 R2: at least 100 s
    Duration msl = 30s;                   // TIME-WAIT lasts 2*MSL (RFC 9293 section 3.4.2)
    Duration delayedAck = 40ms;           // RFC 9293 section 3.8.6.3: "MUST be less than 0.5 seconds"
    // RFC 9293 section 3.8.6.2.1: "The override timeout should be in the range 0.1 - 1.0 seconds."
    Duration swsOverride = 200ms;
    bool rfc1337 = true;                  // ignore RST in TIME-WAIT (RFC 1337 section 3, fix F1)
    ClosedPortPolicy closedPort = ClosedPortPolicy::Rst;
    // RFC 5961 section 7: "limit the number of challenge ACKs sent ... per second".
    std::uint32_t challengeAckLimit = 1000;
    std::uint32_t synQueueLimit = 128;    // half-open connections per listener before SYN cookies
    bool synCookies = true;
    std::uint16_t ephemeralLow = 49152, ephemeralHigh = 65535;  // RFC 6335 section 6
    std::uint32_t maxConnections = 100000;
};

}  // namespace tcplab

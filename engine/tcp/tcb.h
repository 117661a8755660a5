// The transmission control block (RFC 9293 section 3.3.1) and everything else one connection
// keeps: buffers, timers, options negotiated, congestion state.
#pragma once

#include <cstdint>
#include <deque>
#include <functional>
#include <memory>

#include "core/event.h"
#include "tcp/congestion.h"
#include "tcp/ring_buffer.h"
#include "tcp/rtt.h"
#include "tcp/seq_ranges.h"
#include "tcp/tcp_config.h"
#include "tcp/tcp_state.h"

namespace tcplab {

using TcpSocketId = std::uint32_t;
inline constexpr TcpSocketId kNoSocket = 0;

// Readiness bits a socket reports to its callback.
namespace tcpready {
inline constexpr std::uint32_t kReadable = 1;   // data to recv, or the peer's FIN (recv returns 0)
inline constexpr std::uint32_t kWritable = 2;   // send buffer has room
inline constexpr std::uint32_t kAcceptable = 4; // a listener has a connection to accept
inline constexpr std::uint32_t kConnected = 8;  // the handshake completed
inline constexpr std::uint32_t kClosed = 16;    // the connection is over (see TcpInfo::error)
} // namespace tcpready

using TcpReadyCallback = std::function<void(TcpSocketId, std::uint32_t readyBits)>;

// SwsOverride: RFC 9293 section 3.8.6.2.1 sender SWS avoidance "override timeout".
enum class TcpTimer : std::uint8_t { Rto, Persist, Keepalive, DelayedAck, TimeWait, SwsOverride, Count };

struct Tcb {
    TcpSocketId id = kNoSocket;
    TcpState state = TcpState::Closed;
    Endpoint local, remote;
    SessionId session = kNoSession;
    TcpSocketOptions opt;

    // Listener side.
    bool listener = false;
    std::uint32_t backlog = 0;
    std::deque<TcpSocketId> acceptQueue; // established children not yet accepted
    std::uint32_t synQueue = 0;          // children in SYN-RECEIVED
    TcpSocketId parent = kNoSocket;      // the listener a passive child came from
    bool accepted = true;                // false while a child waits in its listener's queue

    // RFC 9293 section 3.3.1 send sequence variables.
    SeqNum iss, sndUna, sndNxt, sndMax; // sndMax: highest sequence sent so far (+1)
    std::uint32_t sndWnd = 0;           // scaled
    std::uint32_t maxSndWnd = 0;        // RFC 5961 section 5.2 MAX.SND.WND
    SeqNum sndWl1, sndWl2;
    // Receive sequence variables.
    SeqNum irs, rcvNxt;
    SeqNum rcvAdv;                // right edge of the window we advertised
    std::uint32_t rcvWndSent = 0; // the window in the last segment we sent (bytes, scaled)
    SeqNum rcvUp;
    bool urgentPending = false;

    // Options negotiated (RFC 7323, RFC 2018, RFC 9293 section 3.7.1).
    std::uint16_t sndMss = 536;  // what we may put in one segment (payload)
    std::uint16_t advMss = 1460; // what we announced
    std::uint8_t sndWscale = 0, rcvWscale = 0;
    bool wscaleOk = false, tsOk = false, sackOk = false;
    std::uint32_t tsRecent = 0; // RFC 7323 section 4.3 TS.Recent
    Instant tsRecentAge{};
    SeqNum lastAckSent;         // RFC 7323 section 4.3 Last.ACK.sent
    std::uint32_t tsOffset = 0; // randomised TSval origin (RFC 7323 section 7.1)

    // Data.
    RingBuffer sendBuf;     // bytes from sndUna on
    RingBuffer recvBuf;     // bytes from the read point on; out-of-order ahead
    SeqRanges ooo;          // out-of-order data held in recvBuf (absolute seq)
    SeqNum lastOooLeft;     // the block most recently received (first SACK block)
    bool finQueued = false; // user closed the send side: FIN after the data
    bool finSent = false;
    SeqNum finSeq;               // sequence number our FIN occupies
    bool peerFin = false;        // peer's FIN consumed: recv returns 0 after the data
    bool peerFinPending = false; // FIN arrived out of order
    SeqNum peerFinSeq;
    bool userClosed = false; // close() called: no more recv either
    std::string error;       // why the connection ended abnormally
    std::string softError;   // the last ICMP soft error (RFC 1122 section 4.2.3.9)

    // Retransmission and congestion.
    RttEstimator rtt;
    std::unique_ptr<CongestionControl> cc;
    SeqRanges sacked; // RFC 6675 scoreboard
    bool inRecovery = false;
    SeqNum recover; // RFC 6582 "recover"
    SeqNum highRxt; // RFC 6675 HighRxt
    std::uint32_t dupAcks = 0;
    bool rttTiming = false; // Karn: timing one segment without timestamps
    SeqNum rttSeq;
    Instant rttStart{};
    // The estimator as the last "rtt-sample" event showed it (TcpLayer::takeRttSample).
    struct RttShown {
        Duration sample{-1}, srtt{-1}, rttvar{-1}, rto{-1};
        const char *source = "";
        Instant at{};
    } rttShown;
    std::uint32_t rttSamples = 0;
    int retries = 0;               // consecutive RTO expiries
    std::uint32_t retransmits = 0; // total segments retransmitted
    std::uint32_t fastRetransmits = 0;
    int keepaliveProbes = 0;
    int persistBackoff = 0;
    int persistUnanswered = 0; // zero-window probes since the peer last sent an acceptable ACK
    bool swsOverride = false;  // the SWS override timeout fired: send what the window allows

    // Delayed ACK (RFC 9293 section 3.8.6.3 / RFC 1122 4.2.3.2).
    std::uint32_t unackedSegments = 0;
    bool ackNow = false;
    // Inside a receive batch (TcpLayer::beginBatch): output() found something to do and waits, in
    // the layer's output queue, for the connection's next segment or the end of the batch.
    bool outputPending = false;

    std::array<Instant, static_cast<std::size_t>(TcpTimer::Count)> timers{kNever, kNever, kNever,
                                                                          kNever, kNever, kNever};
    Instant lastActivity{};

    TcpReadyCallback ready;
    std::uint32_t pendingReady = 0; // bits to report once the current input/poll finishes

    std::uint32_t flightSize() const { return static_cast<std::uint32_t>(sndMax - sndUna); }
    bool synchronized() const
    {
        return state != TcpState::Closed && state != TcpState::Listen && state != TcpState::SynSent &&
               state != TcpState::SynReceived;
    }
};

// Per-connection figures for the socket API, the GUI and the CLI summary.
struct TcpInfo {
    TcbSnapshot tcb;
    std::uint16_t sndMss = 0, advMss = 0;
    std::uint8_t sndWscale = 0, rcvWscale = 0;
    bool wscaleOk = false, tsOk = false, sackOk = false;
    std::uint32_t fastRetransmits = 0;
    std::uint32_t rttSamples = 0; // RTT measurements the RFC 6298 estimator took
    std::uint32_t sendQueued = 0, recvQueued = 0;
    std::string congestion;
    std::string error;
    std::string softError; // the last ICMP soft error about this connection, "" when none
};

} // namespace tcplab

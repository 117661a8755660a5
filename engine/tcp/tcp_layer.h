// One host's TCP: demultiplexing, the RFC 9293 state machine (tcp_input.cpp, one handler per
// state), output and retransmission (tcp_output.cpp), timers (tcp_timers.cpp) and a Berkeley-like
// socket API reached by handles (this file, tcp_socket_api.cpp). Everything runs on the engine thread;
// time and randomness are passed in.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <unordered_map>

#include "core/event.h"
#include "core/expected.h"
#include "core/rng.h"
#include "stack/transport.h"
#include "tcp/isn.h"
#include "tcp/tcb.h"
#include "tcp/tcp_config.h"
#include "wire/tcp.h"

namespace tcplab {

// Counters a view or a test may read.
struct TcpCounters {
    std::uint64_t segmentsIn = 0, segmentsOut = 0, bytesIn = 0, bytesOut = 0;
    std::uint64_t badChecksum = 0, malformed = 0, badOptions = 0;
    std::uint64_t rstSent = 0, rstReceived = 0, challengeAcks = 0, challengeAcksSuppressed = 0;
    std::uint64_t pawsRejected = 0, unacceptable = 0, retransmits = 0, rtoExpired = 0;
    std::uint64_t synCookiesSent = 0, synCookiesAccepted = 0, synDropped = 0, acceptQueueFull = 0;
    std::uint64_t activeOpens = 0, passiveOpens = 0, resets = 0, timeouts = 0;
    std::uint64_t icmpSoftErrors = 0, icmpAborts = 0, icmpOutOfWindow = 0; // tcp_icmp.cpp
};

// Given this host's end and the peer's, the session id the lab knows them by.
using TcpSessionResolver = std::function<SessionId(const Endpoint &local, const Endpoint &remote)>;

class TcpLayer final : public TcpInput {
public:
    TcpLayer(HostId host, TcpConfig config, IpOutput &output, EventSink &events, Rng &rng);
    ~TcpLayer() override;
    TcpLayer(const TcpLayer &) = delete;
    TcpLayer &operator=(const TcpLayer &) = delete;

    void setSessionResolver(TcpSessionResolver r) { resolver_ = std::move(r); }
    const TcpConfig &config() const { return config_; }
    TcpConfig &config() { return config_; }
    const TcpCounters &counters() const { return counters_; }
    // The latest time the layer was given (input, poll or an API call): what readiness callbacks,
    // which carry no time of their own, pass back into send() and recv().
    Instant now() const { return now_; }

    // TcpInput: a segment whose IP header the host parsed (checksum verified here).
    void input(Instant now, const IpMeta &meta, ByteView segment) override;
    std::optional<TcbSnapshot> lookup(const Endpoint &local, const Endpoint &remote) const override;
    // An ICMP error quoting one of our segments (tcp_icmp.cpp): soft errors recorded on the
    // connection (TcpInfo::softError), hard errors abort it in SYN-SENT only (RFC 5927 section 4.1).
    IcmpErrorOutcome icmpError(Instant now, const IcmpError &error, SessionId &session) override;
    Instant pollAt() const override;
    void poll(Instant now) override;
    // Receive batching. Between beginBatch() and endBatch(now), each segment is processed when it
    // arrives (ACK processing, the delayed-ACK count, RTT samples, all as without a batch), but the
    // output it calls for waits in a queue: new data, and the ACK it owes. endBatch() sends each
    // waiting connection's output in the order the connections asked, then tells the sockets that
    // only became writable meanwhile (every other readiness, received data first of all, is told
    // at once as without a batch). What this keeps (RFC 9293 section 3.8.6.3, RFC 5681 section 4.2):
    //  - every ACK decision still makes one ACK: a connection owing an ACK sends it before it takes
    //    its next segment, so "an ACK for at least every second full-sized segment" and an
    //    immediate duplicate ACK for each out-of-order segment hold across a batch, each ACK with
    //    the values it had when it became due;
    //  - a segment sent directly (a fast retransmission, a challenge ACK, a SYN) first sends what
    //    its connection had waiting, so segments leave in the order they would have without a batch;
    //  - a segment that changed the connection's state or carried SYN, FIN or RST gets its answer
    //    at once (its capture annotations stay on the answer).
    // Deterministic tests deliver one frame at a time and never batch: nothing changes for them.
    void beginBatch() override;
    void endBatch(Instant now) override;
    bool batching() const { return batching_; }

    // ---- Socket API (engine thread) ----
    // Passive open (RFC 9293 section 3.10.1). local.addr unspecified: any local address of the family
    // (an unspecified IPv4 address also accepts IPv6, as a dual-stack listener).
    Expected<TcpSocketId> listen(const Endpoint &local, std::uint32_t backlog = 128,
                                 TcpReadyCallback ready = {});
    // The next established connection, or kNoSocket.
    TcpSocketId accept(TcpSocketId listener, TcpReadyCallback ready = {});
    // Active open (RFC 9293 section 3.10.1): local.port 0 picks an ephemeral port.
    Expected<TcpSocketId> connect(Instant now, Endpoint local, const Endpoint &remote,
                                  TcpReadyCallback ready = {},
                                  std::optional<TcpSocketOptions> options = std::nullopt);
    // Queues what fits in the send buffer; returns the count (0 when full), or an error when the
    // connection cannot send (closing, reset).
    Expected<std::size_t> send(Instant now, TcpSocketId s, ByteView data);
    // Reads what is in order; 0 with peerClosed() true is end of stream.
    Expected<std::size_t> recv(Instant now, TcpSocketId s, MutableByteView out);
    bool peerClosed(TcpSocketId s) const;
    // Half-close: FIN after the queued data (RFC 9293 section 3.10.4 CLOSE while receiving continues).
    Status shutdown(Instant now, TcpSocketId s);
    // Full close: FIN after the data, the handle is released when the connection ends.
    Status close(Instant now, TcpSocketId s);
    // ABORT (RFC 9293 section 3.10.5): RST now, the handle is released.
    Status abort(Instant now, TcpSocketId s);
    void setReadyCallback(TcpSocketId s, TcpReadyCallback ready);
    Status setOptions(TcpSocketId s, const TcpSocketOptions &options);
    std::optional<TcpSocketOptions> options(TcpSocketId s) const;
    std::optional<TcpInfo> info(TcpSocketId s) const;
    // The state info() reports (LISTEN for a listener), without building a whole TcpInfo.
    std::optional<TcpState> state(TcpSocketId s) const;
    std::size_t sendSpace(TcpSocketId s) const;
    std::size_t recvAvailable(TcpSocketId s) const;
    std::vector<TcpSocketId> sockets() const;
    std::size_t connectionCount() const { return tcbs_.size(); }

    // For tests and fuzzing: put a connection straight into `state` without a handshake.
    struct Fabricated {
        TcpState state = TcpState::Established;
        Endpoint local, remote;
        SeqNum iss{1000}, irs{5000};
        std::uint32_t peerWindow = 65535;
        bool ts = false, sack = false;
        std::uint8_t sndWscale = 0, rcvWscale = 0;
        std::uint16_t mss = 1460;
    };
    TcpSocketId fabricate(Instant now, const Fabricated &f, TcpReadyCallback ready = {});

private:
    friend struct TcpInputProcessor;
    struct Key {
        Endpoint local, remote;
        bool operator==(const Key &) const = default;
    };
    struct KeyHash {
        std::size_t operator()(const Key &k) const { return hashOf(k.local) * 31 + hashOf(k.remote); }
    };

    // tcp_layer.cpp
    Tcb *find(TcpSocketId s);
    const Tcb *find(TcpSocketId s) const;
    Tcb *findConnection(const Endpoint &local, const Endpoint &remote);
    Tcb *findListener(const Endpoint &local);
    Tcb &newTcb(Instant now, const Endpoint &local, const Endpoint &remote, const TcpSocketOptions &opt);
    void setupBuffers(Tcb &t);
    void release(Tcb &t);
    void maybeRelease(Tcb &t);
    void flushReady();
    void notify(Tcb &t, std::uint32_t bits);

    // tcp_input.cpp
    struct Segment;
    void dispatch(Instant now, Tcb &t, Segment &seg);
    void inputClosed(Instant now, const IpMeta &meta, const Segment &seg, const Endpoint &local,
                     const Endpoint &remote);
    void inputListen(Instant now, Tcb &l, Segment &seg, const Endpoint &local, const Endpoint &remote,
                     SessionId session);
    void inputSynSent(Instant now, Tcb &t, Segment &seg);
    bool frontChecks(Instant now, Tcb &t, Segment &seg);
    // tcp_states.cpp: one handler per synchronized state.
    void inputSynReceived(Instant now, Tcb &t, Segment &seg);
    void inputEstablished(Instant now, Tcb &t, Segment &seg);
    void inputFinWait1(Instant now, Tcb &t, Segment &seg);
    void inputFinWait2(Instant now, Tcb &t, Segment &seg);
    void inputCloseWait(Instant now, Tcb &t, Segment &seg);
    void inputClosing(Instant now, Tcb &t, Segment &seg);
    void inputLastAck(Instant now, Tcb &t, Segment &seg);
    void inputTimeWait(Instant now, Tcb &t, Segment &seg);
    void afterAck(Instant now, Tcb &t, Segment &seg);
    bool ourFinAcked(const Tcb &t) const { return t.finSent && t.sndUna > t.finSeq; }
    bool checkSequence(Instant now, Tcb &t, Segment &seg);
    bool checkRst(Instant now, Tcb &t, const Segment &seg);
    bool checkSyn(Instant now, Tcb &t, const Segment &seg);
    bool processAck(Instant now, Tcb &t, const Segment &seg);
    void processNewAck(Instant now, Tcb &t, const Segment &seg, std::uint32_t acked);
    void processDupAck(Instant now, Tcb &t, const Segment &seg);
    void updateWindow(Instant now, Tcb &t, const Segment &seg);
    void processUrgent(Instant now, Tcb &t, const Segment &seg);
    void processText(Instant now, Tcb &t, Segment &seg);
    void processFin(Instant now, Tcb &t, SeqNum finAt);
    void negotiateOptions(Tcb &t, const TcpOptions &o, bool synAck);
    void acceptChild(Instant now, Tcb &child);
    Tcb *openFromCookie(Instant now, Tcb &l, const Segment &seg, const Endpoint &local,
                        const Endpoint &remote, SessionId session);
    // SYN cookies with timestamps: the low TSval bits carrying the peer's window scale and SACK, and
    // the TSval origin of such a connection (keyed from the 4-tuple: nothing is stored).
    static constexpr std::uint32_t kCookieTsBits = 0x1f, kCookieNoWscale = 0x0f, kCookieSack = 0x10;
    std::uint32_t cookieTsOffset(const Endpoint &local, const Endpoint &remote) const
    {
        return static_cast<std::uint32_t>(isn_.hash(local, remote, 0x7473u));
    }
    void sendChallengeAck(Instant now, Tcb &t);

    // tcp_output.cpp
    // Sends what the connection may send now; inside a batch, queues the connection instead.
    void output(Instant now, Tcb &t);
    // The connection's queued output, now (inside a batch too).
    void flushOutput(Instant now, Tcb &t);
    bool sendData(Instant now, Tcb &t, bool forceOne);
    void sendSegment(Instant now, Tcb &t, std::uint8_t flags, SeqNum seq, std::uint32_t len,
                     bool retransmission = false);
    void sendAck(Instant now, Tcb &t);
    void sendSyn(Instant now, Tcb &t);
    void sendRstFor(Instant now, const Endpoint &local, const Endpoint &remote, SeqNum seq,
                    std::optional<SeqNum> ack, SessionId session);
    void retransmitFirst(Instant now, Tcb &t, std::string_view cause);
    bool sackRecoverySend(Instant now, Tcb &t);
    std::uint16_t advertisedWindow(Instant now, Tcb &t);
    std::uint32_t segmentLimit(const Tcb &t) const;
    std::uint32_t tsNow(Instant now, const Tcb &t) const;
    void fillOptions(Instant now, Tcb &t, TcpOptions &o, std::uint8_t flags);

    // tcp_timers.cpp
    void setTimer(Instant now, Tcb &t, TcpTimer which, Instant at);
    void cancelTimer(Tcb &t, TcpTimer which);
    void pollTcb(Instant now, Tcb &t);
    void onRto(Instant now, Tcb &t);
    void onPersist(Instant now, Tcb &t);
    void onKeepalive(Instant now, Tcb &t);
    void armRto(Instant now, Tcb &t);
    void armKeepalive(Instant now, Tcb &t);

    // Events and state changes.
    void setState(Instant now, Tcb &t, TcpState to, std::string_view cause);
    void resetConnection(Instant now, Tcb &t, std::string_view why);
    void note(Instant now, Tcb *t, EventKind kind, std::string name, std::string detail,
              std::vector<std::pair<std::string, std::string>> fields = {});
    void windowEvent(Instant now, Tcb &t, const char *which, std::uint32_t before, std::uint32_t after);
    // Feeds the RFC 6298 estimator and emits the RttSample event (source: how R was measured).
    void takeRttSample(Instant now, Tcb &t, Duration r, const char *source);
    // RFC 6298 (5.5) backoff, emitted as an RttSample "rto" event.
    void backOffRto(Instant now, Tcb &t);
    // A listener's event about a SYN that made no connection (dropped, answered with a cookie).
    void listenerEvent(Instant now, const Tcb &l, SessionId session, const Endpoint &remote, std::string name,
                       std::string detail);

    HostId host_;
    TcpConfig config_;
    IpOutput &out_;
    EventSink &events_;
    Rng &rng_;
    IsnGenerator isn_;
    TcpSessionResolver resolver_;
    TcpCounters counters_;

    std::unordered_map<TcpSocketId, std::unique_ptr<Tcb>> tcbs_;
    std::unordered_map<Key, TcpSocketId, KeyHash> connections_;
    std::unordered_map<Endpoint, TcpSocketId> listeners_;
    TcpSocketId nextId_ = 1;
    std::uint16_t nextEphemeral_ = 0;
    Tcb *lastHit_ = nullptr; // one-entry demux cache for bulk flows
    std::vector<TcpSocketId> readyQueue_;
    std::vector<TcpSocketId> releaseQueue_; // freed once the current input/poll/call is done
    void finish();
    bool inCallback_ = false;
    Bytes txSpare_;                        // sendSegment's buffer, kept between segments
    bool batching_ = false;                // between beginBatch() and endBatch()
    std::vector<TcpSocketId> outputQueue_; // connections whose output waits for endBatch()
    // RFC 5961 section 7 challenge ACK rate limit: a budget per second across the layer.
    Instant challengeWindowStart_{};
    std::uint32_t challengeAcksInWindow_ = 0;
    Instant now_{};
};

} // namespace tcplab

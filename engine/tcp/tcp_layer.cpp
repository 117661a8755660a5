// TcpLayer: construction, demultiplexing, the socket API, events, handle lifetime.
#include "tcp/tcp_layer.h"

#include <algorithm>
#include <charconv>
#include <cstdio>

#include "tcp/tcp_segment.h"

namespace tcplab {

TcpLayer::TcpLayer(HostId host, TcpConfig config, IpOutput &output, EventSink &events, Rng &rng)
    : host_(host), config_(std::move(config)), out_(output), events_(events), rng_(rng), isn_(rng)
{
    nextEphemeral_ = static_cast<std::uint16_t>(
        rng_.uniform(config_.ephemeralLow, std::max(config_.ephemeralLow, config_.ephemeralHigh)));
}

TcpLayer::~TcpLayer() = default;

Tcb *TcpLayer::find(TcpSocketId s)
{
    auto it = tcbs_.find(s);
    return it == tcbs_.end() ? nullptr : it->second.get();
}

const Tcb *TcpLayer::find(TcpSocketId s) const
{
    auto it = tcbs_.find(s);
    return it == tcbs_.end() ? nullptr : it->second.get();
}

Tcb *TcpLayer::findConnection(const Endpoint &local, const Endpoint &remote)
{
    if (lastHit_ && lastHit_->local == local && lastHit_->remote == remote) return lastHit_;
    auto it = connections_.find(Key{local, remote});
    if (it == connections_.end()) return nullptr;
    lastHit_ = find(it->second);
    return lastHit_;
}

Tcb *TcpLayer::findListener(const Endpoint &local)
{
    if (auto it = listeners_.find(local); it != listeners_.end()) return find(it->second);
    Endpoint any{local.addr.isV4() ? IpAddr(Ip4Addr::any()) : IpAddr(Ip6Addr::any()), local.port};
    if (auto it = listeners_.find(any); it != listeners_.end()) return find(it->second);
    // An IPv4 wildcard listener also takes IPv6 (and the other way round): one `--listen 80:http`.
    Endpoint other{local.addr.isV4() ? IpAddr(Ip6Addr::any()) : IpAddr(Ip4Addr::any()), local.port};
    if (auto it = listeners_.find(other); it != listeners_.end()) return find(it->second);
    return nullptr;
}

Tcb &TcpLayer::newTcb(Instant now, const Endpoint &local, const Endpoint &remote, const TcpSocketOptions &opt)
{
    auto t = std::make_unique<Tcb>();
    t->id = nextId_++;
    if (nextId_ == kNoSocket) ++nextId_;
    t->local = local;
    t->remote = remote;
    t->opt = opt;
    t->rtt = RttEstimator(config_.rto);
    t->lastActivity = now;
    t->tsOffset = rng_.next32();
    Tcb &ref = *t;
    tcbs_.emplace(ref.id, std::move(t));
    return ref;
}

void TcpLayer::setupBuffers(Tcb &t)
{
    t.sendBuf.resize(std::max<std::uint32_t>(t.opt.sendBuffer, 4096));
    t.recvBuf.resize(std::max<std::uint32_t>(t.opt.recvBuffer, 4096));
}

void TcpLayer::notify(Tcb &t, std::uint32_t bits)
{
    if (bits == 0) return;
    if (t.pendingReady == 0) readyQueue_.push_back(t.id);
    t.pendingReady |= bits;
}

void TcpLayer::flushReady()
{
    if (inCallback_) return;
    inCallback_ = true;
    // Inside a batch, a socket that only became writable hears it once, at the end of the batch
    // (what it sends then waits for the batch's output anyway; its bits accumulate meanwhile).
    // Everything else is told at once: received data above all, since an application that reads
    // only at the end of a burst of large segments would let its receive window close.
    std::size_t kept = 0;
    // Callbacks may call back into the API (send, recv, close), which may queue more.
    for (std::size_t i = 0; i < readyQueue_.size(); ++i) {
        Tcb *t = find(readyQueue_[i]);
        if (!t) continue;
        if (batching_ && t->pendingReady == tcpready::kWritable) {
            readyQueue_[kept++] = readyQueue_[i];
            continue;
        }
        const std::uint32_t bits = std::exchange(t->pendingReady, 0);
        if (bits && t->ready) {
            auto cb = t->ready; // the callback may replace itself
            cb(t->id, bits);
        }
    }
    readyQueue_.resize(kept);
    inCallback_ = false;
}

void TcpLayer::maybeRelease(Tcb &t)
{
    const bool over = t.state == TcpState::Closed;
    const bool unowned = t.userClosed || !t.accepted;
    if (over && unowned && !t.listener) releaseQueue_.push_back(t.id);
}

void TcpLayer::release(Tcb &t)
{
    if (lastHit_ == &t) lastHit_ = nullptr;
    if (t.listener) {
        for (auto it = listeners_.begin(); it != listeners_.end();)
            it = it->second == t.id ? listeners_.erase(it) : std::next(it);
        // Children not yet accepted die with their listener.
        for (auto &[id, c] : tcbs_)
            if (c->parent == t.id && !c->accepted) {
                c->parent = kNoSocket;
                c->userClosed = true;
                if (c->state != TcpState::Closed && c->state != TcpState::TimeWait)
                    releaseQueue_.push_back(c->id);
            }
    } else {
        connections_.erase(Key{t.local, t.remote});
    }
    if (Tcb *l = t.parent ? find(t.parent) : nullptr) {
        if (!t.accepted) std::erase(l->acceptQueue, t.id);
        if (t.state == TcpState::SynReceived && l->synQueue) --l->synQueue;
    }
    tcbs_.erase(t.id);
}

void TcpLayer::finish()
{
    flushReady();
    while (!releaseQueue_.empty()) {
        const TcpSocketId id = releaseQueue_.back();
        releaseQueue_.pop_back();
        if (Tcb *t = find(id)) release(*t);
    }
}

std::optional<TcbSnapshot> TcpLayer::lookup(const Endpoint &local, const Endpoint &remote) const
{
    const Tcb *t = nullptr;
    if (auto it = connections_.find(Key{local, remote}); it != connections_.end()) t = find(it->second);
    if (!t) {
        auto self = const_cast<TcpLayer *>(this);
        t = self->findListener(local);
        if (t) {
            TcbSnapshot s;
            s.state = TcpState::Listen;
            s.local = t->local;
            return s;
        }
        return std::nullopt;
    }
    TcbSnapshot s;
    s.state = t->state;
    s.local = t->local;
    s.remote = t->remote;
    s.iss = t->iss;
    s.irs = t->irs;
    s.sndUna = t->sndUna;
    s.sndNxt = t->sndNxt;
    s.sndWnd = t->sndWnd;
    s.rcvNxt = t->rcvNxt;
    s.rcvWnd = static_cast<std::uint32_t>(t->recvBuf.free());
    s.cwnd = t->cc ? t->cc->cwnd() : 0;
    s.ssthresh = t->cc ? t->cc->ssthresh() : 0;
    s.srttNs = nanosOf(t->rtt.srtt());
    s.rtoNs = nanosOf(t->rtt.rto());
    s.retransmits = t->retransmits;
    return s;
}

// ---------------------------------------------------------------- events

void TcpLayer::note(Instant now, Tcb *t, EventKind kind, std::string name, std::string detail,
                    std::vector<std::pair<std::string, std::string>> fields)
{
    Event e;
    e.time = now;
    e.kind = kind;
    e.host = host_;
    if (t) {
        if (t->session == kNoSession && resolver_ && t->remote.port)
            t->session = resolver_(t->local, t->remote);
        e.session = t->session;
    }
    e.name = std::move(name);
    e.detail = std::move(detail);
    e.fields = std::move(fields);
    events_.onEvent(e);
}

void TcpLayer::setState(Instant now, Tcb &t, TcpState to, std::string_view cause)
{
    if (t.state == to) return;
    const TcpState from = t.state;
    t.state = to;
    note(now, &t, EventKind::StateChange, std::string(tcpStateName(to)),
         std::string(tcpStateName(from)) + " → " + std::string(tcpStateName(to)) + ": " + std::string(cause),
         {{"from", std::string(tcpStateName(from))},
          {"to", std::string(tcpStateName(to))},
          {"cause", std::string(cause)}});
    // TIME-WAIT: both FINs are exchanged and acknowledged, the conversation is over for the user.
    if (to == TcpState::TimeWait) notify(t, tcpready::kClosed);
    if (to == TcpState::Closed) {
        for (auto &deadline : t.timers)
            deadline = kNever;
        notify(t, tcpready::kClosed | tcpready::kReadable);
        maybeRelease(t);
    }
}

void TcpLayer::windowEvent(Instant now, Tcb &t, const char *which, std::uint32_t before, std::uint32_t after)
{
    if (before == after) return;
    note(now, &t, EventKind::WindowChange, which,
         std::string(which) + " " + std::to_string(before) + " → " + std::to_string(after),
         {{"which", which}, {"before", std::to_string(before)}, {"after", std::to_string(after)}});
}

namespace {
// Writes "%.3f ms" of `d` at `p` (room for 40 characters), returns the end. Every RTT sample (with
// timestamps: every ACK of a bulk transfer) formats four of these, so the usual case goes without
// floating-point formatting: whole microseconds, rounded half up, print the same digits as %.3f
// does. A remainder of exactly 500 ns (a tie, where the double's own rounding decides) and negative
// values go through snprintf.
char *putMillis(char *p, Duration d)
{
    const std::int64_t ns = nanosOf(d);
    if (ns < 0 || ns % 1000 == 500) {
        const int n = std::snprintf(p, 40, "%.3f ms", double(ns) / 1e6);
        return p + std::clamp(n, 0, 39);
    }
    const std::int64_t us = (ns + 500) / 1000;
    p = std::to_chars(p, p + 24, us / 1000).ptr;
    const auto frac = static_cast<int>(us % 1000);
    *p++ = '.';
    *p++ = static_cast<char>('0' + frac / 100);
    *p++ = static_cast<char>('0' + frac / 10 % 10);
    *p++ = static_cast<char>('0' + frac % 10);
    *p++ = ' ';
    *p++ = 'm';
    *p++ = 's';
    return p;
}

char *put(char *p, std::string_view text)
{
    return std::copy(text.begin(), text.end(), p);
}

std::string millis(Duration d)
{
    char buf[40];
    return std::string(buf, putMillis(buf, d));
}
} // namespace

void TcpLayer::takeRttSample(Instant now, Tcb &t, Duration r, const char *source)
{
    if (r < Duration(0)) return;
    t.rtt.sample(r);
    ++t.rttSamples;
    // With timestamps every new ACK is a sample (RFC 7323 section 4.1): on a fast path, mostly the
    // same value again, once the estimator has settled leaving SRTT, RTTVAR and RTO where they
    // were. An event for such a repeat would say exactly what the previous one said, only later,
    // and cost a fifth of a bulk sender's work per ACK. So a sample makes an event when anything
    // the event shows differs from the last one (sample, SRTT, RTTVAR, RTO or how R was measured),
    // and a repeat still makes one when the last event is an SRTT (at least 1 ms) old: the RTT
    // plot's series stay flat between points never further apart than that, as they would be
    // with every repeat drawn, and the log shows the same values. The estimator takes every sample.
    Tcb::RttShown &shown = t.rttShown;
    const bool repeat = r == shown.sample && t.rtt.srtt() == shown.srtt && t.rtt.rttvar() == shown.rttvar &&
                        t.rtt.rto() == shown.rto && std::string_view(source) == shown.source;
    if (repeat && now - shown.at < std::max<Duration>(t.rtt.srtt(), std::chrono::milliseconds(1))) return;
    shown = Tcb::RttShown{r, t.rtt.srtt(), t.rtt.rttvar(), t.rtt.rto(), source, now};
    // Formatted into one buffer and made a string once: this runs for every ACK of a bulk transfer.
    const std::string_view from(source);
    char buf[4 * 40 + 96];
    char *p = putMillis(put(buf, "RTT "), r);
    p = putMillis(put(put(put(p, " ("), from.substr(0, 48)), "): SRTT "), t.rtt.srtt());
    p = putMillis(put(p, ", RTTVAR "), t.rtt.rttvar());
    p = putMillis(put(p, ", RTO "), t.rtt.rto());
    std::vector<std::pair<std::string, std::string>> fields;
    fields.reserve(5);
    fields.emplace_back("sample_ns", std::to_string(nanosOf(r)));
    fields.emplace_back("srtt_ns", std::to_string(nanosOf(t.rtt.srtt())));
    fields.emplace_back("rttvar_ns", std::to_string(nanosOf(t.rtt.rttvar())));
    fields.emplace_back("rto_ns", std::to_string(nanosOf(t.rtt.rto())));
    fields.emplace_back("source", source);
    note(now, &t, EventKind::RttSample, "rtt-sample", std::string(buf, p), std::move(fields));
}

void TcpLayer::backOffRto(Instant now, Tcb &t)
{
    const Duration before = t.rtt.rto();
    t.rtt.backOff();
    if (t.rtt.rto() == before) return; // already at the configured maximum
    const std::string cause = "backoff #" + std::to_string(t.rtt.backoffs());
    note(now, &t, EventKind::RttSample, "rto",
         "RTO " + millis(before) + " → " + millis(t.rtt.rto()) + " (" + cause + ")",
         {{"before_ns", std::to_string(nanosOf(before))},
          {"after_ns", std::to_string(nanosOf(t.rtt.rto()))},
          {"cause", cause}});
}

void TcpLayer::listenerEvent(Instant now, const Tcb &l, SessionId session, const Endpoint &remote,
                             std::string name, std::string detail)
{
    Event e;
    e.time = now;
    e.kind = EventKind::Log;
    e.host = host_;
    e.session = session;
    e.name = std::move(name);
    e.detail = std::move(detail);
    e.fields = {{"listener", l.local.toString()},
                {"remote", remote.toString()},
                {"syn_queue", std::to_string(l.synQueue)},
                {"syn_queue_limit", std::to_string(config_.synQueueLimit)},
                {"accept_queue", std::to_string(l.acceptQueue.size())},
                {"backlog", std::to_string(l.backlog)}};
    events_.onEvent(e);
}

void TcpLayer::resetConnection(Instant now, Tcb &t, std::string_view why)
{
    if (t.error.empty()) t.error = std::string(why);
    ++counters_.resets;
    setState(now, t, TcpState::Closed, why);
}

// ---------------------------------------------------------------- socket API

Expected<TcpSocketId> TcpLayer::listen(const Endpoint &local, std::uint32_t backlog, TcpReadyCallback ready)
{
    if (local.port == 0) return Error{"listen: port 0 is not a port to listen on"};
    if (listeners_.contains(local)) return Error{"listen on " + local.toString() + ": already listening"};
    Tcb &t = newTcb(Instant{}, local, Endpoint{}, config_.socket);
    t.listener = true;
    t.backlog = std::max<std::uint32_t>(backlog, 1);
    t.state = TcpState::Listen;
    t.ready = std::move(ready);
    listeners_[local] = t.id;
    return t.id;
}

TcpSocketId TcpLayer::accept(TcpSocketId listener, TcpReadyCallback ready)
{
    Tcb *l = find(listener);
    if (!l || !l->listener) return kNoSocket;
    while (!l->acceptQueue.empty()) {
        const TcpSocketId id = l->acceptQueue.front();
        l->acceptQueue.pop_front();
        Tcb *c = find(id);
        if (!c) continue;
        c->accepted = true;
        c->ready = std::move(ready);
        // Whatever already arrived (data, FIN, reset) is reported to the new owner.
        std::uint32_t bits = tcpready::kConnected | tcpready::kWritable;
        if (!c->recvBuf.empty() || c->peerFin) bits |= tcpready::kReadable;
        if (c->state == TcpState::Closed) bits |= tcpready::kClosed;
        notify(*c, bits);
        return id;
    }
    return kNoSocket;
}

Expected<TcpSocketId> TcpLayer::connect(Instant now, Endpoint local, const Endpoint &remote,
                                        TcpReadyCallback ready, std::optional<TcpSocketOptions> options)
{
    now_ = std::max(now_, now);
    if (remote.port == 0) return Error{"connect to " + remote.toString() + ": port 0"};
    if (local.addr.isV4() != remote.addr.isV4())
        return Error{"connect to " + remote.toString() + ": local address " + local.addr.toString() +
                     " is of the other family"};
    if (tcbs_.size() >= config_.maxConnections) return Error{"connect: connection limit reached"};
    if (local.port == 0) {
        const std::uint32_t span = std::uint32_t(config_.ephemeralHigh) - config_.ephemeralLow + 1;
        for (std::uint32_t tries = 0; tries < span; ++tries) {
            if (nextEphemeral_ < config_.ephemeralLow || nextEphemeral_ > config_.ephemeralHigh)
                nextEphemeral_ = config_.ephemeralLow;
            const std::uint16_t p = nextEphemeral_++;
            if (!connections_.contains(Key{{local.addr, p}, remote}) &&
                !listeners_.contains({local.addr, p})) {
                local.port = p;
                break;
            }
        }
        if (local.port == 0) return Error{"connect to " + remote.toString() + ": no free ephemeral port"};
    } else if (connections_.contains(Key{local, remote})) {
        return Error{"connect " + local.toString() + " → " + remote.toString() +
                     ": connection already exists"};
    }
    Tcb &t = newTcb(now, local, remote, options.value_or(config_.socket));
    t.ready = std::move(ready);
    setupBuffers(t);
    connections_[Key{local, remote}] = t.id;
    ++counters_.activeOpens;
    // RFC 9293 section 3.10.1 OPEN, CLOSED STATE: "An initial send sequence number (ISS) is selected.
    // A SYN segment of the form <SEQ=ISS><CTL=SYN> is sent. Set SND.UNA to ISS, SND.NXT to ISS+1,
    // enter SYN-SENT state".
    t.iss = isn_.isn(now, local, remote);
    t.sndUna = t.iss;
    t.sndNxt = t.iss;
    t.sndMax = t.iss;
    setState(now, t, TcpState::SynSent, "active open");
    sendSyn(now, t);
    finish();
    return t.id;
}

Expected<std::size_t> TcpLayer::send(Instant now, TcpSocketId s, ByteView data)
{
    now_ = std::max(now_, now);
    Tcb *t = find(s);
    if (!t) return Error{"send: no socket " + std::to_string(s)};
    switch (t->state) {
    case TcpState::SynSent:
    case TcpState::SynReceived:
    case TcpState::Established:
    case TcpState::CloseWait: break;
    default:
        // RFC 9293 section 3.10.2 SEND in FIN-WAIT-*, CLOSING, ...: "error: connection closing".
        return Error{"send on " + t->local.toString() + ": connection " +
                     (t->error.empty() ? "closing" : "reset (" + t->error + ")")};
    }
    if (t->finQueued) return Error{"send on " + t->local.toString() + ": connection closing (shut down)"};
    const std::size_t n = t->sendBuf.push(data);
    if (t->synchronized()) output(now, *t);
    finish();
    return n;
}

Expected<std::size_t> TcpLayer::recv(Instant now, TcpSocketId s, MutableByteView out)
{
    now_ = std::max(now_, now);
    Tcb *t = find(s);
    if (!t) return Error{"recv: no socket " + std::to_string(s)};
    const std::uint32_t before = static_cast<std::uint32_t>(t->recvBuf.free());
    const std::size_t n = t->recvBuf.pop(out);
    if (n && t->synchronized() && t->state != TcpState::TimeWait) {
        // RFC 9293 section 3.8.6.2.2 receiver SWS avoidance: tell the peer about the space once it
        // has grown by min(RCV.BUFF/2, Eff.snd.MSS) beyond what we advertised. "This algorithm
        // combines with the delayed ACK algorithm (see Section 3.8.6.3) to determine when an ACK
        // segment containing the current window will really be sent": a read sends the update at
        // once only when the window the peer knows is down to half the buffer or less (it may be
        // holding data back for it, down to a zero window); with more left, the peer keeps sending
        // and the next ACK carries the new window, instead of one extra segment per read of a
        // bulk transfer (Linux decides the same way, tcp_cleanup_rbuf).
        const std::uint32_t advertised = static_cast<std::uint32_t>(t->rcvAdv - t->rcvNxt);
        const std::uint32_t room = static_cast<std::uint32_t>(t->recvBuf.free());
        const std::uint32_t capacity = static_cast<std::uint32_t>(t->recvBuf.capacity());
        const std::uint32_t threshold = std::min<std::uint32_t>(capacity / 2, t->advMss);
        if (room >= advertised + threshold && before < room && advertised <= capacity / 2) {
            sendAck(now, *t);
        }
    }
    if (n == 0 && !t->peerFin && t->state == TcpState::Closed && !t->error.empty())
        return Error{"recv on " + t->local.toString() + ": " + t->error};
    finish();
    return n;
}

bool TcpLayer::peerClosed(TcpSocketId s) const
{
    const Tcb *t = find(s);
    return !t || ((t->peerFin || t->state == TcpState::Closed) && t->recvBuf.empty());
}

Status TcpLayer::shutdown(Instant now, TcpSocketId s)
{
    now_ = std::max(now_, now);
    Tcb *t = find(s);
    if (!t) return Error{"shutdown: no socket " + std::to_string(s)};
    if (t->listener) return Error{"shutdown: socket " + std::to_string(s) + " is a listener"};
    if (t->finQueued) return okStatus();
    switch (t->state) {
    case TcpState::SynSent:
        // RFC 9293 section 3.10.4 CLOSE, SYN-SENT: "Delete the TCB and return 'error: closing'
        // responses to any queued SENDs, or RECEIVEs."
        setState(now, *t, TcpState::Closed, "closed before the handshake completed");
        break;
    case TcpState::SynReceived:
        // "If no SENDs have been issued and there is no pending data to send, then form a FIN
        // segment and send it, and enter FIN-WAIT-1 state; otherwise, queue for processing after
        // entering ESTABLISHED state." (we always wait for ESTABLISHED)
        t->finQueued = true;
        break;
    case TcpState::Established:
        // "Queue this until all preceding SENDs have been segmentized, then form a FIN segment and
        // send it. In any case, enter FIN-WAIT-1 state."
        t->finQueued = true;
        setState(now, *t, TcpState::FinWait1, "close");
        output(now, *t);
        break;
    case TcpState::CloseWait:
        // "Queue this request until all preceding SENDs have been segmentized; then send a FIN
        // segment, enter LAST-ACK state."
        t->finQueued = true;
        setState(now, *t, TcpState::LastAck, "close");
        output(now, *t);
        break;
    default: break;
    }
    finish();
    return okStatus();
}

Status TcpLayer::close(Instant now, TcpSocketId s)
{
    now_ = std::max(now_, now);
    Tcb *t = find(s);
    if (!t) return Error{"close: no socket " + std::to_string(s)};
    t->userClosed = true;
    t->ready = nullptr;
    if (t->listener) {
        releaseQueue_.push_back(t->id);
        finish();
        return okStatus();
    }
    // Closing with unread data is an abort (RFC 2525 section 2.17, what every stack does).
    if (!t->recvBuf.empty() && t->synchronized()) return abort(now, s);
    if (t->state == TcpState::Closed)
        maybeRelease(*t);
    else
        (void)shutdown(now, s);
    finish();
    return okStatus();
}

Status TcpLayer::abort(Instant now, TcpSocketId s)
{
    now_ = std::max(now_, now);
    Tcb *t = find(s);
    if (!t) return Error{"abort: no socket " + std::to_string(s)};
    t->userClosed = true;
    t->ready = nullptr;
    if (t->listener) {
        releaseQueue_.push_back(t->id);
    } else {
        // RFC 9293 section 3.10.5 ABORT, SYN-RECEIVED .. CLOSE-WAIT: "Send a reset segment:
        // <SEQ=SND.NXT><CTL=RST>".
        if (t->state == TcpState::SynReceived || t->synchronized()) {
            if (t->state != TcpState::TimeWait)
                sendRstFor(now, t->local, t->remote, t->sndNxt, std::nullopt, t->session);
        }
        t->error = "aborted";
        setState(now, *t, TcpState::Closed, "user abort");
        maybeRelease(*t);
    }
    finish();
    return okStatus();
}

void TcpLayer::setReadyCallback(TcpSocketId s, TcpReadyCallback ready)
{
    if (Tcb *t = find(s)) t->ready = std::move(ready);
}

Status TcpLayer::setOptions(TcpSocketId s, const TcpSocketOptions &o)
{
    Tcb *t = find(s);
    if (!t) return Error{"set options: no socket " + std::to_string(s)};
    const bool handshakeDone = t->synchronized();
    TcpSocketOptions next = o;
    if (handshakeDone) {
        // Negotiated at SYN time: these cannot change afterwards.
        next.windowScale = t->opt.windowScale;
        next.timestamps = t->opt.timestamps;
        next.sack = t->opt.sack;
        next.mss = t->opt.mss;
    }
    if (t->sendBuf.empty()) t->sendBuf.resize(next.sendBuffer);
    if (t->recvBuf.empty() && t->ooo.empty() && !handshakeDone) t->recvBuf.resize(next.recvBuffer);
    if (t->cc && next.congestion != t->opt.congestion) {
        auto cc = makeCongestionControl(next.congestion, t->sndMss);
        cc->setCwnd(t->cc->cwnd());
        t->cc = std::move(cc);
    }
    t->opt = next;
    return okStatus();
}

std::optional<TcpSocketOptions> TcpLayer::options(TcpSocketId s) const
{
    const Tcb *t = find(s);
    if (!t) return std::nullopt;
    return t->opt;
}

std::optional<TcpInfo> TcpLayer::info(TcpSocketId s) const
{
    const Tcb *t = find(s);
    if (!t) return std::nullopt;
    TcpInfo i;
    if (t->listener) {
        i.tcb.state = TcpState::Listen;
        i.tcb.local = t->local;
    } else {
        i.tcb = *lookup(t->local, t->remote);
    }
    i.sndMss = t->sndMss;
    i.advMss = t->advMss;
    i.sndWscale = t->sndWscale;
    i.rcvWscale = t->rcvWscale;
    i.wscaleOk = t->wscaleOk;
    i.tsOk = t->tsOk;
    i.sackOk = t->sackOk;
    i.fastRetransmits = t->fastRetransmits;
    i.rttSamples = t->rttSamples;
    i.sendQueued = static_cast<std::uint32_t>(t->sendBuf.size());
    i.recvQueued = static_cast<std::uint32_t>(t->recvBuf.size());
    i.congestion =
        t->cc ? std::string(t->cc->name()) : std::string(congestionAlgorithmName(t->opt.congestion));
    i.error = t->error;
    i.softError = t->softError;
    return i;
}

std::optional<TcpState> TcpLayer::state(TcpSocketId s) const
{
    const Tcb *t = find(s);
    if (!t) return std::nullopt;
    return t->listener ? TcpState::Listen : t->state;
}

std::size_t TcpLayer::sendSpace(TcpSocketId s) const
{
    const Tcb *t = find(s);
    return t ? t->sendBuf.free() : 0;
}

std::size_t TcpLayer::recvAvailable(TcpSocketId s) const
{
    const Tcb *t = find(s);
    return t ? t->recvBuf.size() : 0;
}

std::vector<TcpSocketId> TcpLayer::sockets() const
{
    std::vector<TcpSocketId> ids;
    for (const auto &[id, t] : tcbs_)
        ids.push_back(id);
    std::sort(ids.begin(), ids.end());
    return ids;
}

TcpSocketId TcpLayer::fabricate(Instant now, const Fabricated &f, TcpReadyCallback ready)
{
    Tcb &t = newTcb(now, f.local, f.remote, config_.socket);
    t.ready = std::move(ready);
    setupBuffers(t);
    connections_[Key{f.local, f.remote}] = t.id;
    t.state = f.state;
    t.iss = f.iss;
    t.irs = f.irs;
    t.sndUna = f.iss + 1;
    t.sndNxt = f.iss + 1;
    t.sndMax = t.sndNxt;
    t.rcvNxt = f.irs + 1;
    t.tsOk = f.ts;
    t.sackOk = f.sack;
    t.wscaleOk = f.sndWscale || f.rcvWscale;
    t.sndWscale = f.sndWscale;
    t.rcvWscale = f.rcvWscale;
    t.sndMss = f.mss;
    t.advMss = f.mss;
    t.sndWnd = f.peerWindow;
    t.maxSndWnd = f.peerWindow;
    t.sndWl1 = t.rcvNxt;
    t.sndWl2 = t.sndUna;
    t.rcvAdv = t.rcvNxt +
               static_cast<std::uint32_t>(std::min<std::size_t>(t.recvBuf.free(), 0xffffu << t.rcvWscale));
    t.lastAckSent = t.rcvNxt;
    t.cc = makeCongestionControl(t.opt.congestion, t.sndMss);
    // States past ESTABLISHED on our side have sent a FIN.
    if (f.state == TcpState::FinWait1 || f.state == TcpState::Closing || f.state == TcpState::LastAck) {
        t.finQueued = t.finSent = true;
        t.finSeq = t.sndNxt;
        t.sndNxt += 1;
        t.sndMax = t.sndNxt;
        armRto(now, t);
    }
    if (f.state == TcpState::FinWait2 || f.state == TcpState::TimeWait) {
        t.finQueued = t.finSent = true;
        t.finSeq = t.sndUna;
        t.sndUna += 1;
        t.sndNxt = t.sndMax = t.sndUna;
    }
    // States past ESTABLISHED on the peer's side have received its FIN.
    if (f.state == TcpState::CloseWait || f.state == TcpState::Closing || f.state == TcpState::LastAck ||
        f.state == TcpState::TimeWait) {
        t.peerFin = true;
        t.rcvNxt += 1;
        t.lastAckSent = t.rcvNxt;
        t.rcvAdv += 1;
    }
    if (f.state == TcpState::TimeWait) setTimer(now, t, TcpTimer::TimeWait, now + 2 * config_.msl);
    if (f.state == TcpState::SynReceived) {
        t.sndUna = f.iss;
        t.sndNxt = t.sndMax = f.iss + 1;
        armRto(now, t);
    }
    if (f.state == TcpState::SynSent) {
        t.sndUna = f.iss;
        t.sndNxt = t.sndMax = f.iss + 1;
        t.rcvNxt = SeqNum(0);
        armRto(now, t);
    }
    return t.id;
}

} // namespace tcplab

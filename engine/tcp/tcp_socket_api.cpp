// TcpLayer's socket API (the user calls of RFC 9293 section 3.10): listen/accept, connect,
// send/recv, shutdown, close, abort, per-socket options and per-connection info.
#include <algorithm>

#include "tcp/tcp_layer.h"
#include "tcp/tcp_segment.h"

namespace tcplab {

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

// Timers: retransmission (RFC 6298), persist (RFC 9293 section 3.8.6.1), keep-alive (section
// 3.8.4), delayed ACK (section 3.8.6.3) and TIME-WAIT (section 3.4.2).
#include <algorithm>

#include "tcp/tcp_layer.h"
#include "tcp/tcp_segment.h"

namespace tcplab {

namespace {

const char *timerName(TcpTimer t)
{
    switch (t) {
    case TcpTimer::Rto: return "rto";
    case TcpTimer::Persist: return "persist";
    case TcpTimer::Keepalive: return "keepalive";
    case TcpTimer::DelayedAck: return "delack";
    case TcpTimer::TimeWait: return "time-wait";
    case TcpTimer::SwsOverride: return "sws-override";
    default: return "?";
    }
}

}  // namespace

void TcpLayer::setTimer(Instant now, Tcb &t, TcpTimer which, Instant at)
{
    auto &slot = t.timers[static_cast<std::size_t>(which)];
    const bool wasIdle = slot == kNever;
    slot = at;
    // A start is reported when the timer was not running (restarts on every ACK would drown the
    // log); TIME-WAIT restarts are always reported, they explain a segment. The delayed-ACK timer
    // starts with every other segment of a bulk transfer: it is reported only when it fires
    // (as the ACK it sends), like Wireshark shows it.
    if ((wasIdle && which != TcpTimer::DelayedAck) || which == TcpTimer::TimeWait)
        note(now, &t, EventKind::TimerStart, timerName(which),
             std::string(timerName(which)) + " timer set for +" + std::to_string((at - now) / 1ms) + " ms",
             {{"deadline_ns", std::to_string(nanosOf(at))}, {"after_ms", std::to_string((at - now) / 1ms)}});
}

void TcpLayer::cancelTimer(Tcb &t, TcpTimer which) { t.timers[static_cast<std::size_t>(which)] = kNever; }

void TcpLayer::armRto(Instant now, Tcb &t) { setTimer(now, t, TcpTimer::Rto, now + t.rtt.rto()); }

void TcpLayer::armKeepalive(Instant now, Tcb &t)
{
    if (!t.opt.keepAlive || !(t.state == TcpState::Established || t.state == TcpState::CloseWait)) return;
    t.keepaliveProbes = 0;
    auto &slot = t.timers[static_cast<std::size_t>(TcpTimer::Keepalive)];
    if (slot == kNever) setTimer(now, t, TcpTimer::Keepalive, now + t.opt.keepAliveIdle);
    else slot = t.lastActivity + t.opt.keepAliveIdle;
}

Instant TcpLayer::pollAt() const
{
    Instant next = kNever;
    for (const auto &[id, t] : tcbs_)
        for (Instant d : t->timers) next = std::min(next, d);
    return next;
}

void TcpLayer::poll(Instant now)
{
    now_ = std::max(now_, now);
    std::vector<TcpSocketId> due;
    for (const auto &[id, t] : tcbs_)
        for (Instant d : t->timers)
            if (d <= now) {
                due.push_back(id);
                break;
            }
    for (TcpSocketId id : due)
        if (Tcb *t = find(id)) pollTcb(now, *t);
    finish();
}

void TcpLayer::pollTcb(Instant now, Tcb &t)
{
    for (std::size_t i = 0; i < t.timers.size(); ++i) {
        if (t.timers[i] > now || t.state == TcpState::Closed) continue;
        const auto which = static_cast<TcpTimer>(i);
        t.timers[i] = kNever;
        if (which != TcpTimer::DelayedAck)
            note(now, &t, EventKind::TimerExpire, timerName(which), std::string(timerName(which)) + " timer expired");
        switch (which) {
        case TcpTimer::Rto: onRto(now, t); break;
        case TcpTimer::Persist: onPersist(now, t); break;
        case TcpTimer::Keepalive: onKeepalive(now, t); break;
        case TcpTimer::DelayedAck: sendAck(now, t); break;
        case TcpTimer::TimeWait:
            // RFC 9293 section 3.10.8: "If the time-wait timeout expires on a connection, delete the
            // TCB, enter the CLOSED state, and return."
            setState(now, t, TcpState::Closed, "2MSL elapsed");
            break;
        case TcpTimer::SwsOverride:
            // RFC 9293 section 3.8.6.2.1: send "(4) ... data is PUSHed and the override timeout occurs".
            t.swsOverride = true;
            output(now, t);
            t.swsOverride = false;
            break;
        default: break;
        }
    }
}

void TcpLayer::onRto(Instant now, Tcb &t)
{
    ++counters_.rtoExpired;
    const bool handshake = t.state == TcpState::SynSent || t.state == TcpState::SynReceived;
    if (!handshake && t.sndWnd == 0 && !(t.finSent && t.sndUna == t.finSeq)) {
        // RFC 9293 section 3.8.6.1: the peer closed its window with our data outstanding; that is not
        // a lost segment. "The transmitting host SHOULD send the first zero-window probe when a zero
        // window has existed for the retransmission timeout period", and keep probing while the
        // receiver answers ("MUST NOT close the connection" for that): hand over to the persist timer.
        t.sndNxt = t.sndUna;
        t.rttTiming = false;
        onPersist(now, t);
        return;
    }
    // RFC 9293 section 3.8.3: "R2 ... the connection" is closed after too many retransmissions;
    // for a SYN, "R2 for a SYN segment MUST be set large enough to provide retransmission of the
    // segment for at least 3 minutes" - both are configurable here.
    if (++t.retries > (handshake ? config_.synRetries : config_.dataRetries)) {
        ++counters_.timeouts;
        if (!handshake) sendRstFor(now, t.local, t.remote, t.sndNxt, std::nullopt, t.session);
        resetConnection(now, t, "connection timed out");
        return;
    }
    // RFC 6298 section 5.5: "The host MUST set RTO <- RTO * 2 ("back off the timer")".
    backOffRto(now, t);
    if (!handshake && t.retries == 1) {
        // RFC 5681 section 3.1 equation (4) and "Furthermore, upon a timeout (as specified in
        // [RFC2988]) cwnd MUST be set to no more than the loss window, LW, which equals 1 full-sized
        // segment". RFC 6582 section 3.2: "recover" is set to the highest sequence sent.
        const std::uint32_t before = t.cc->cwnd();
        t.cc->onRto(now, t.flightSize());
        windowEvent(now, t, "cwnd", before, t.cc->cwnd());
    } else if (!handshake) {
        t.cc->setCwnd(t.sndMss);
    }
    t.inRecovery = false;
    t.recover = t.sndMax;
    t.sacked.clear();  // RFC 2018 section 8: the receiver may have discarded SACKed data
    t.dupAcks = 0;
    t.highRxt = t.sndUna;
    t.rttTiming = false;
    t.sndNxt = t.sndUna;  // go back N
    retransmitFirst(now, t, "rto #" + std::to_string(t.retries));
    // (5.6) "Start the retransmission timer, such that it expires after RTO seconds".
    t.timers[static_cast<std::size_t>(TcpTimer::Rto)] = now + t.rtt.rto();
}

void TcpLayer::onPersist(Instant now, Tcb &t)
{
    const SeqNum dataEnd = t.sndUna + static_cast<std::uint32_t>(t.sendBuf.size());
    if (t.sndWnd != 0 || (dataEnd == t.sndNxt && !t.finQueued)) {
        t.persistBackoff = 0;
        output(now, t);
        return;
    }
    // "... the sender MUST NOT close the connection as long as the receiver continues to respond to
    // the probes" - but a receiver that stopped answering altogether is gone: give up after as many
    // unanswered probes as data retransmissions (like Linux's tcp_retries2 for probes).
    if (t.persistUnanswered >= config_.dataRetries) {
        ++counters_.timeouts;
        sendRstFor(now, t.local, t.remote, t.sndNxt, std::nullopt, t.session);
        resetConnection(now, t, "zero-window probes unanswered");
        return;
    }
    ++t.persistUnanswered;
    // RFC 9293 section 3.8.6.1: "The transmitting host SHOULD send the first zero-window probe when a
    // zero window has existed for the retransmission timeout period ... and SHOULD increase
    // exponentially the interval between successive probes." The probe carries no data and an old
    // sequence number, so the peer answers with an ACK carrying its current window.
    note(now, &t, EventKind::Retransmit, "zero-window-probe", "zero-window probe #" + std::to_string(t.persistBackoff + 1),
         {{"seq", std::to_string((t.sndUna - 1).raw())}, {"len", "0"}, {"cause", "persist"}});
    sendSegment(now, t, TcpFlags::kAck, t.sndUna - 1, 0);
    ++t.persistBackoff;
    Duration next = t.rtt.rto() * (1 << std::min(t.persistBackoff, 6));
    next = std::min(next, t.rtt.limits().max);
    t.timers[static_cast<std::size_t>(TcpTimer::Persist)] = now + next;
}

void TcpLayer::onKeepalive(Instant now, Tcb &t)
{
    if (!t.opt.keepAlive) return;
    if (now - t.lastActivity < t.opt.keepAliveIdle) {
        t.timers[static_cast<std::size_t>(TcpTimer::Keepalive)] = t.lastActivity + t.opt.keepAliveIdle;
        return;
    }
    if (t.keepaliveProbes >= t.opt.keepAliveProbes) {
        ++counters_.timeouts;
        sendRstFor(now, t.local, t.remote, t.sndNxt, std::nullopt, t.session);
        resetConnection(now, t, "keep-alive timed out");
        return;
    }
    // RFC 9293 section 3.8.4: "a keep-alive segment ... SEG.SEQ = SND.NXT-1 and may or may not
    // contain one garbage octet".
    ++t.keepaliveProbes;
    note(now, &t, EventKind::Log, "keepalive", "keep-alive probe #" + std::to_string(t.keepaliveProbes));
    sendSegment(now, t, TcpFlags::kAck, t.sndNxt - 1, 0);
    t.timers[static_cast<std::size_t>(TcpTimer::Keepalive)] = now + t.opt.keepAliveInterval;
}

}  // namespace tcplab

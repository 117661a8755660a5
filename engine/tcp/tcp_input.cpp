// Segment arrival (RFC 9293 section 3.10.7), one handler per state, dispatched from a table.
#include <algorithm>

#include "tcp/tcp_layer.h"
#include "tcp/tcp_segment.h"

namespace tcplab {

namespace {

std::uint8_t chooseWscale(std::uint32_t buffer)
{
    // RFC 7323 section 2.3: the shift must let the window describe the whole buffer; at most 14.
    std::uint8_t s = 0;
    while (s < 14 && (std::uint64_t(0xffff) << s) < buffer)
        ++s;
    return s;
}

} // namespace

// The per-state handlers are members reached through this table; CLOSED (a TCB the user has not
// released yet) behaves like no TCB at all, LISTEN is handled by inputListen.
struct TcpInputProcessor {
    using Handler = void (TcpLayer::*)(Instant, Tcb &, TcpLayer::Segment &);
    static constexpr Handler kHandlers[kTcpStateCount] = {
        nullptr,                     // None
        nullptr,                     // Closed
        nullptr,                     // Listen
        &TcpLayer::inputSynSent,     // SYN-SENT
        &TcpLayer::inputSynReceived, // SYN-RECEIVED (tcp_states.cpp, section 3.10.7.4 "Otherwise")
        &TcpLayer::inputEstablished, // ESTABLISHED
        &TcpLayer::inputFinWait1,    // FIN-WAIT-1
        &TcpLayer::inputFinWait2,    // FIN-WAIT-2
        &TcpLayer::inputCloseWait,   // CLOSE-WAIT
        &TcpLayer::inputClosing,     // CLOSING
        &TcpLayer::inputLastAck,     // LAST-ACK
        &TcpLayer::inputTimeWait,    // TIME-WAIT
    };
};

void TcpLayer::input(Instant now, const IpMeta &meta, ByteView segment)
{
    now_ = std::max(now_, now);
    ++counters_.segmentsIn;
    auto view = TcpView::parse(segment);
    if (!view) {
        ++counters_.malformed;
        return;
    }
    // The host may have checked it already (a frame parsed with checksums verified, no rule edit).
    if (!meta.checksumVerified && !verifyTcpChecksum(segment, meta.src, meta.dst)) {
        ++counters_.badChecksum;
        return;
    }
    Segment seg;
    seg.seq = view->seq();
    seg.ack = view->ack();
    seg.flags = view->flags();
    seg.window = view->window();
    seg.urgent = view->urgentPointer();
    seg.payload = view->payload();
    seg.len = view->segmentLength();
    seg.meta = &meta;
    if (!view->optionBytes().empty()) {
        auto o = view->options();
        // RFC 9293 section 3.2: a segment with an illegal option length is not fatal to the
        // connection; we ignore its options and count it.
        if (o)
            seg.opts = std::move(o.value());
        else
            ++counters_.badOptions;
    }
    counters_.bytesIn += seg.payload.size();
    const Endpoint local{meta.dst, view->destinationPort()};
    const Endpoint remote{meta.src, view->sourcePort()};
    if (Tcb *t = findConnection(local, remote); t && t->state != TcpState::Closed) {
        if (t->session == kNoSession) t->session = meta.session;
        dispatch(now, *t, seg);
    } else if (Tcb *l = findListener(local)) {
        inputListen(now, *l, seg, local, remote, meta.session);
    } else {
        inputClosed(now, meta, seg, local, remote);
    }
    finish();
}

void TcpLayer::dispatch(Instant now, Tcb &t, Segment &seg)
{
    t.lastActivity = now;
    // Inside a batch: an ACK this connection owes for its previous segment goes out before this
    // segment changes RCV.NXT, the window or the SACK blocks (see beginBatch()).
    if (t.outputPending && t.ackNow) flushOutput(now, t);
    const TcpState before = t.state;
    if (auto h = TcpInputProcessor::kHandlers[static_cast<std::size_t>(t.state)]) (this->*h)(now, t, seg);
    if (t.state != TcpState::Closed) {
        if (t.ackNow) {
            if (batching_)
                output(now, t); // queued: the ACK goes out with the batch's output
            else
                sendAck(now, t);
        }
        armKeepalive(now, t);
    }
    // A state change or a SYN, FIN or RST is answered at once, while its frame is the one received.
    if (t.outputPending &&
        (t.state != before || (seg.flags.bits & (TcpFlags::kSyn | TcpFlags::kFin | TcpFlags::kRst))))
        flushOutput(now, t);
}

// RFC 9293 section 3.10.7.1, CLOSED: "all data in the incoming segment is discarded. An incoming
// segment containing a RST is discarded. An incoming segment not containing a RST causes a RST to
// be sent in response."
void TcpLayer::inputClosed(Instant now, const IpMeta &meta, const Segment &seg, const Endpoint &local,
                           const Endpoint &remote)
{
    if (seg.flags.rst()) return;
    if (config_.closedPort == ClosedPortPolicy::Silent) return;
    if (seg.flags.ack()) {
        // "If the ACK bit is on, <SEQ=SEG.ACK><CTL=RST>"
        sendRstFor(now, local, remote, seg.ack, std::nullopt, meta.session);
    } else {
        // "If the ACK bit is off, sequence number zero is used, <SEQ=0><ACK=SEG.SEQ+SEG.LEN><CTL=RST,ACK>"
        sendRstFor(now, local, remote, SeqNum(0), seg.seq + seg.len, meta.session);
    }
}

// RFC 9293 section 3.10.7.2, LISTEN.
void TcpLayer::inputListen(Instant now, Tcb &l, Segment &seg, const Endpoint &local, const Endpoint &remote,
                           SessionId session)
{
    // "First, check for a RST: An incoming RST segment could not be valid since it could not have
    // been sent in response to anything sent by this incarnation of the connection. An incoming RST
    // should be ignored."
    if (seg.flags.rst()) return;
    // "Second, check for an ACK: Any acknowledgment is bad if it arrives on a connection still in the
    // LISTEN state. An acceptable reset segment should be formed for any arriving ACK-bearing
    // segment. The RST should be formatted as follows: <SEQ=SEG.ACK><CTL=RST>"
    if (seg.flags.ack()) {
        if (!seg.flags.syn() && config_.synCookies) {
            if (Tcb *c = openFromCookie(now, l, seg, local, remote, session)) {
                dispatch(now, *c, seg);
                return;
            }
        }
        sendRstFor(now, local, remote, seg.ack, std::nullopt, session);
        return;
    }
    // "Third, check for a SYN".
    if (!seg.flags.syn()) return;
    if (l.acceptQueue.size() >= l.backlog) {
        ++counters_.acceptQueueFull;
        listenerEvent(now, l, session, remote, "syn-dropped",
                      "SYN from " + remote.toString() + " dropped: accept queue full (" +
                          std::to_string(l.acceptQueue.size()) + " of backlog " + std::to_string(l.backlog) +
                          ")");
        return; // like Linux: the peer retransmits its SYN once the application has accepted
    }
    if (l.synQueue >= config_.synQueueLimit || tcbs_.size() >= config_.maxConnections) {
        const std::string why =
            l.synQueue >= config_.synQueueLimit
                ? "SYN queue full (" + std::to_string(l.synQueue) + " of " +
                      std::to_string(config_.synQueueLimit) + ")"
                : "connection limit reached (" + std::to_string(config_.maxConnections) + ")";
        if (!config_.synCookies) {
            ++counters_.synDropped;
            listenerEvent(now, l, session, remote, "syn-dropped",
                          "SYN from " + remote.toString() + " dropped: " + why);
            return;
        }
        listenerEvent(now, l, session, remote, "syn-cookie",
                      "SYN from " + remote.toString() + " answered with a SYN cookie: " + why);
        // SYN queue full: answer with a cookie and keep nothing (memory stays bounded in a flood).
        const std::uint16_t peerMss = seg.opts.mss.value_or(local.addr.isV4() ? 536 : 1220);
        const SeqNum cookie = isn_.cookie(now, local, remote, seg.seq, peerMss);
        TcpHeader h;
        h.sourcePort = local.port;
        h.destinationPort = remote.port;
        h.seq = cookie;
        h.ack = seg.seq + 1;
        h.flags = TcpFlags(TcpFlags::kSyn | TcpFlags::kAck);
        h.window = 0xffff;
        h.options.mss = static_cast<std::uint16_t>(config_.mtu - (local.addr.isV4() ? 40 : 60));
        if (l.opt.timestamps && seg.opts.timestamps) {
            // The cookie holds only the MSS. When the SYN had timestamps, our TSval carries the rest
            // in its low bits and comes back in the ACK's TSecr (the technique RFC 4987 section 3.6
            // discusses and Linux uses): 4 bits of the peer's window scale (15: none), 1 bit of
            // SACK-permitted. The TSval loses 5 bits of its 1 ms clock, which RFC 7323 allows (a
            // tick from 1 ms to 1 s); the connection keeps the same clock origin.
            const bool ws = l.opt.windowScale && seg.opts.windowScale;
            const bool sack = l.opt.sack && seg.opts.sackPermitted;
            const std::uint32_t bits =
                (ws ? std::min<std::uint8_t>(*seg.opts.windowScale, 14) : kCookieNoWscale) |
                (sack ? kCookieSack : 0);
            const std::uint32_t clock =
                static_cast<std::uint32_t>(nanosOf(now) / 1'000'000) + cookieTsOffset(local, remote);
            h.options.timestamps = TcpTimestamps{(clock & ~kCookieTsBits) | bits, seg.opts.timestamps->value};
            if (ws) h.options.windowScale = chooseWscale(std::max<std::uint32_t>(l.opt.recvBuffer, 4096));
            h.options.sackPermitted = sack;
        }
        ++counters_.synCookiesSent;
        ++counters_.segmentsOut;
        out_.sendIp(now, local.addr, remote.addr, kIpProtoTcp, serializeTcp(h, {}, local.addr, remote.addr));
        return;
    }
    // "Set RCV.NXT to SEG.SEQ+1, IRS is set to SEG.SEQ, and any other control or text should be
    // queued for processing later. ISS should be selected and a SYN segment sent of the form:
    // <SEQ=ISS><ACK=RCV.NXT><CTL=SYN,ACK>. SND.NXT is set to ISS+1 and SND.UNA to ISS. The
    // connection state should be changed to SYN-RECEIVED."
    Tcb &c = newTcb(now, local, remote, l.opt);
    c.parent = l.id;
    c.accepted = false;
    c.session = session;
    setupBuffers(c);
    connections_[Key{local, remote}] = c.id;
    ++l.synQueue;
    ++counters_.passiveOpens;
    c.irs = seg.seq;
    c.rcvNxt = seg.seq + 1;
    c.iss = isn_.isn(now, local, remote);
    c.sndUna = c.iss;
    c.sndNxt = c.iss;
    c.sndMax = c.iss;
    c.recover = c.iss;
    negotiateOptions(c, seg.opts, false);
    c.sndWnd = seg.window; // RFC 7323 section 2.2: the window in a SYN is never scaled
    c.maxSndWnd = c.sndWnd;
    c.sndWl1 = seg.seq;
    c.sndWl2 = c.iss;
    setState(now, c, TcpState::SynReceived, "SYN received on a listener");
    sendSyn(now, c);
}

Tcb *TcpLayer::openFromCookie(Instant now, Tcb &l, const Segment &seg, const Endpoint &local,
                              const Endpoint &remote, SessionId session)
{
    const SeqNum peerIsn = seg.seq - 1;
    const std::uint16_t mss = isn_.checkCookie(now, local, remote, peerIsn, seg.ack - 1);
    if (mss == 0 || l.acceptQueue.size() >= l.backlog) return nullptr;
    ++counters_.synCookiesAccepted;
    listenerEvent(now, l, session, remote, "syn-cookie-accepted",
                  "valid SYN cookie from " + remote.toString() + ": connection rebuilt with MSS " +
                      std::to_string(mss));
    Tcb &c = newTcb(now, local, remote, l.opt);
    c.parent = l.id;
    c.accepted = false;
    c.session = session;
    setupBuffers(c);
    connections_[Key{local, remote}] = c.id;
    c.irs = peerIsn;
    c.rcvNxt = seg.seq;
    c.iss = seg.ack - 1;
    c.sndUna = c.iss; // the handshake's ACK (this segment) moves it on
    c.sndNxt = c.sndMax = c.iss + 1;
    c.recover = c.iss;
    // The cookie kept only the MSS; the rest comes back in the TSecr when the SYN had timestamps
    // (see inputListen), otherwise no window scaling, timestamps or SACK on this connection.
    if (l.opt.timestamps && seg.opts.timestamps && seg.opts.timestamps->echo) {
        const std::uint32_t bits = seg.opts.timestamps->echo & kCookieTsBits;
        c.tsOk = true;
        c.tsRecent = seg.opts.timestamps->value;
        c.tsOffset = cookieTsOffset(local, remote);
        if ((bits & kCookieNoWscale) != kCookieNoWscale && l.opt.windowScale) {
            c.wscaleOk = true;
            c.sndWscale = static_cast<std::uint8_t>(std::min<std::uint32_t>(bits & kCookieNoWscale, 14));
            c.rcvWscale = chooseWscale(static_cast<std::uint32_t>(c.recvBuf.capacity()));
        }
        c.sackOk = (bits & kCookieSack) && l.opt.sack;
    }
    c.advMss =
        std::min<std::uint16_t>(mss, static_cast<std::uint16_t>(config_.mtu - (local.addr.isV4() ? 40 : 60)));
    c.sndMss = static_cast<std::uint16_t>(c.advMss - (c.tsOk ? 12 : 0));
    c.rcvAdv = c.rcvNxt + 0xffff;
    c.lastAckSent = c.rcvNxt;
    c.cc = makeCongestionControl(c.opt.congestion, c.sndMss);
    c.sndWl1 = seg.seq;
    c.sndWl2 = seg.ack;
    c.sndWnd = std::uint32_t(seg.window) << c.sndWscale; // RFC 7323 section 2.2: not a SYN, scaled
    c.maxSndWnd = c.sndWnd;
    ++l.synQueue; // acceptChild takes it off again
    setState(now, c, TcpState::SynReceived, "valid SYN cookie");
    return &c;
}

void TcpLayer::negotiateOptions(Tcb &t, const TcpOptions &o, bool synAck)
{
    const bool v4 = t.local.addr.isV4();
    const std::uint16_t ourMss =
        t.opt.mss ? t.opt.mss : static_cast<std::uint16_t>(config_.mtu - (v4 ? 40 : 60));
    t.advMss = ourMss;
    // RFC 9293 section 3.7.1: "If an MSS Option is not received at connection setup, TCP
    // implementations MUST assume a default send MSS of 536 (576 - 40) for IPv4 or 1220 (1280 - 60)
    // for IPv6 (MUST-15)."
    const std::uint16_t peerMss = o.mss.value_or(v4 ? 536 : 1220);
    // RFC 7323 section 1.3: "Window Scale ... Both sides must send the Window Scale option in their
    // SYN segments to enable window scaling in either direction."
    t.wscaleOk = t.opt.windowScale && o.windowScale.has_value();
    // RFC 7323 section 2.3: "If a Window Scale option is received with a shift.cnt value larger than
    // 14, the TCP SHOULD log the error but MUST use 14 instead of the specified value."
    t.sndWscale = t.wscaleOk ? std::min<std::uint8_t>(*o.windowScale, 14) : 0;
    t.rcvWscale = t.wscaleOk ? chooseWscale(static_cast<std::uint32_t>(t.recvBuf.capacity())) : 0;
    // RFC 7323 section 3.2: timestamps are used only when both SYNs carried the option.
    t.tsOk = t.opt.timestamps && o.timestamps.has_value();
    if (t.tsOk) t.tsRecent = o.timestamps->value;
    // RFC 2018 section 2: "SACK-Permitted ... may be sent in a SYN by a TCP that has been extended to
    // receive (and presumably process) the SACK option once the connection has opened."
    t.sackOk = t.opt.sack && o.sackPermitted;
    // RFC 9293 section 3.7.1: Eff.snd.MSS = min(SendMSS+20, MMS_S) - TCPhdrsize - IPoptionsize,
    // where the header size includes the timestamps option we will carry on every segment.
    t.sndMss = static_cast<std::uint16_t>(std::min(peerMss, ourMss) - (t.tsOk ? 12 : 0));
    t.cc = makeCongestionControl(t.opt.congestion, t.sndMss);
    (void)synAck;
}

// RFC 9293 section 3.10.7.3, SYN-SENT.
void TcpLayer::inputSynSent(Instant now, Tcb &t, Segment &seg)
{
    // "First, check the ACK bit: If SEG.ACK =< ISS or SEG.ACK > SND.NXT, send a reset (unless the
    // RST bit is set, if so drop the segment and return) <SEQ=SEG.ACK><CTL=RST>"
    const bool ackOk = seg.flags.ack() && seg.ack > t.iss && seg.ack <= t.sndNxt;
    if (seg.flags.ack() && !ackOk) {
        if (!seg.flags.rst()) sendRstFor(now, t.local, t.remote, seg.ack, std::nullopt, t.session);
        return;
    }
    // "Second, check the RST bit: If the ACK was acceptable, then signal to the user 'error:
    // connection reset', drop the segment, enter CLOSED state, delete TCB, and return. Otherwise (no
    // ACK), drop the segment and return."
    if (seg.flags.rst()) {
        ++counters_.rstReceived;
        if (ackOk) resetConnection(now, t, "connection refused");
        return;
    }
    // "Fourth, check the SYN bit".
    if (!seg.flags.syn()) return;
    t.irs = seg.seq;
    t.rcvNxt = seg.seq + 1;
    t.lastAckSent = t.rcvNxt;
    negotiateOptions(t, seg.opts, true);
    t.sndWnd = seg.window;
    t.maxSndWnd = t.sndWnd;
    t.sndWl1 = seg.seq;
    t.sndWl2 = seg.ack;
    if (ackOk) {
        // "SND.UNA should be advanced to equal SEG.ACK ... If SND.UNA > ISS (our SYN has been ACKed),
        // change the connection state to ESTABLISHED, form an ACK segment <SEQ=SND.NXT><ACK=RCV.NXT>
        // <CTL=ACK> and send it."
        t.sndUna = seg.ack;
        if (t.rttTiming || !t.tsOk) {
            if (t.retries == 0) takeRttSample(now, t, now - t.rttStart, "timed SYN");
            t.rttTiming = false;
        } else if (t.tsOk && seg.opts.timestamps && seg.opts.timestamps->echo) {
            takeRttSample(now, t, std::chrono::milliseconds(tsNow(now, t) - seg.opts.timestamps->echo),
                          "timestamps");
        }
        cancelTimer(t, TcpTimer::Rto);
        t.retries = 0;
        setState(now, t, TcpState::Established, "SYN-ACK received");
        notify(t, tcpready::kConnected | tcpready::kWritable);
        t.ackNow = true;
        // "If there are other controls or text in the segment, then continue processing at the
        // sixth step under Otherwise below where the URG bit is checked".
        seg.seq += 1;
        seg.flags.set(TcpFlags::kSyn, false);
        if (!seg.payload.empty() || seg.flags.fin()) processText(now, t, seg);
        output(now, t);
        return;
    }
    // "Otherwise, enter SYN-RECEIVED, form a SYN,ACK segment <SEQ=ISS><ACK=RCV.NXT><CTL=SYN,ACK>
    // and send it." (simultaneous open)
    setState(now, t, TcpState::SynReceived, "SYN received in SYN-SENT (simultaneous open)");
    t.sndNxt = t.iss;
    sendSyn(now, t);
}

// RFC 9293 section 3.10.7.4, "Otherwise", steps one to five (up to "if the ACK bit is off"), the
// same in every synchronized state; false when the segment has been dealt with.
bool TcpLayer::frontChecks(Instant now, Tcb &t, Segment &seg)
{
    if (!checkSequence(now, t, seg)) return false; // first
    if (seg.flags.rst()) {                         // second
        checkRst(now, t, seg);
        return false;
    }
    if (seg.flags.syn()) { // fourth
        checkSyn(now, t, seg);
        return false;
    }
    // "fifth, check the ACK field: if the ACK bit is off, drop the segment and return".
    return seg.flags.ack();
}

// First step: "check sequence number", with PAWS (RFC 7323 section 5.3) in front of it.
bool TcpLayer::checkSequence(Instant now, Tcb &t, Segment &seg)
{
    if (t.tsOk && seg.opts.timestamps && !seg.flags.rst()) {
        // RFC 7323 section 5.3 R1: "If there is a Timestamps option in the arriving segment,
        // SEG.TSval < TS.Recent, TS.Recent is valid (see later discussion), and if the RST bit is
        // not set, then treat the arriving segment as not acceptable: Send an acknowledgment in reply
        // as specified in Section 3.10.7.4 of [RFC9293] and drop the segment."
        const bool recentValid = now - t.tsRecentAge < std::chrono::hours(24 * 24);
        if (static_cast<std::int32_t>(seg.opts.timestamps->value - t.tsRecent) < 0 && recentValid) {
            ++counters_.pawsRejected;
            sendAck(now, t);
            return false;
        }
    }
    const std::uint32_t wnd = t.rcvAdv > t.rcvNxt ? static_cast<std::uint32_t>(t.rcvAdv - t.rcvNxt) : 0;
    const std::uint32_t len = seg.len;
    bool ok;
    // The acceptability table of RFC 9293 section 3.10.7.4.
    if (len == 0)
        ok = wnd == 0 ? seg.seq == t.rcvNxt : seg.seq.inWindow(t.rcvNxt, wnd);
    else if (wnd == 0)
        ok = false;
    else
        ok = seg.seq.inWindow(t.rcvNxt, wnd) || (seg.seq + (len - 1)).inWindow(t.rcvNxt, wnd);
    // "If the RCV.WND is zero, no segments will be acceptable, but special allowance should be made
    // to accept valid ACKs, URGs, and RSTs."
    const bool zeroWindowAck = !ok && wnd == 0 && seg.seq == t.rcvNxt;
    if (!ok && !zeroWindowAck) {
        ++counters_.unacceptable;
        // "If an incoming segment is not acceptable, an acknowledgment should be sent in reply
        // (unless the RST bit is set, if so drop the segment and return)"
        if (!seg.flags.rst()) sendAck(now, t);
        // A retransmission of the peer's FIN in TIME-WAIT (its ACK was lost) is old, so it fails the
        // test above; section 3.10.7.4 step eight still wants "Restart the 2 MSL time-wait timeout".
        if (t.state == TcpState::TimeWait && seg.flags.fin() && !seg.flags.rst())
            setTimer(now, t, TcpTimer::TimeWait, now + 2 * config_.msl);
        return false;
    }
    if (seg.flags.rst()) return true;
    // Trim to the window: data before RCV.NXT is a retransmission of what we have.
    if (const std::int32_t before = t.rcvNxt - seg.seq; before > 0) {
        std::uint32_t cut = static_cast<std::uint32_t>(before);
        if (seg.flags.syn()) {
            seg.flags.set(TcpFlags::kSyn, false);
            --cut;
            seg.seq += 1;
        }
        const std::uint32_t dataCut =
            std::min<std::uint32_t>(cut, static_cast<std::uint32_t>(seg.payload.size()));
        seg.payload = seg.payload.subspan(dataCut);
        seg.seq += dataCut;
        if (cut > dataCut) seg.flags.set(TcpFlags::kFin, false); // the FIN too is old
        t.ackNow = true;                                         // a duplicate: the peer missed our ACK
    }
    const SeqNum end = seg.seq + static_cast<std::uint32_t>(seg.payload.size());
    const SeqNum right = t.rcvNxt + wnd;
    if (end > right) {
        seg.payload = seg.payload.first(seg.payload.size() - static_cast<std::uint32_t>(end - right));
        seg.flags.set(TcpFlags::kFin, false);
        t.ackNow = true;
    }
    // RFC 7323 section 4.3 (2): "If SEG.TSval >= TS.Recent and SEG.SEQ =< Last.ACK.sent, then
    // SEG.TSval is copied to TS.Recent; otherwise, it is ignored."
    if (t.tsOk && seg.opts.timestamps &&
        static_cast<std::int32_t>(seg.opts.timestamps->value - t.tsRecent) >= 0 && seg.seq <= t.lastAckSent) {
        t.tsRecent = seg.opts.timestamps->value;
        t.tsRecentAge = now;
    }
    return true;
}

// Second step: the RST bit, with RFC 5961 section 3.2.
bool TcpLayer::checkRst(Instant now, Tcb &t, const Segment &seg)
{
    ++counters_.rstReceived;
    // RFC 5961 section 3.2: "1) If the RST bit is set and the sequence number is outside the current
    // receive window, silently drop the segment. 2) If the RST bit is set and the sequence number
    // exactly matches the next expected sequence number (RCV.NXT), then TCP MUST reset the
    // connection. 3) If the RST bit is set and the sequence number does not exactly match the next
    // expected sequence value, yet is within the current receive window, TCP MUST send an
    // acknowledgment (challenge ACK)".
    if (seg.seq != t.rcvNxt) {
        sendChallengeAck(now, t);
        return false;
    }
    switch (t.state) {
    case TcpState::SynReceived:
        // "If this connection was initiated with a passive OPEN (i.e., came from the LISTEN state),
        // then return this connection to LISTEN state and return." (the listener is still there:
        // the half-open child goes away). "If this connection was initiated with an active OPEN ...
        // then the connection was refused".
        resetConnection(now, t, t.parent ? "reset during the handshake" : "connection refused");
        return false;
    case TcpState::TimeWait:
        // RFC 1337 section 3 (fix F1): "ignore RST segments in TIME-WAIT state".
        if (config_.rfc1337) {
            note(now, &t, EventKind::Log, "rfc1337", "RST ignored in TIME-WAIT (RFC 1337)");
            return false;
        }
        setState(now, t, TcpState::Closed, "RST in TIME-WAIT");
        return false;
    case TcpState::Closing:
    case TcpState::LastAck:
        // "If the RST bit is set, then enter the CLOSED state, delete the TCB, and return."
        setState(now, t, TcpState::Closed, "RST received");
        return false;
    default:
        // ESTABLISHED, FIN-WAIT-1, FIN-WAIT-2, CLOSE-WAIT: "any outstanding RECEIVEs and SEND should
        // receive 'reset' responses ... enter the CLOSED state, delete the TCB, and return."
        resetConnection(now, t, "connection reset by peer");
        return false;
    }
}

// Fourth step: a SYN in a synchronized state (RFC 5961 section 4.2, adopted by RFC 9293).
bool TcpLayer::checkSyn(Instant now, Tcb &t, const Segment &)
{
    // "If the SYN bit is set, irrespective of the sequence number, TCP endpoints MUST send a
    // 'challenge ACK' to the remote peer: <SEQ=SND.NXT><ACK=RCV.NXT><CTL=ACK>. After sending the
    // acknowledgment, TCP implementations MUST drop the unacceptable segment and stop processing
    // further."
    sendChallengeAck(now, t);
    return false;
}

void TcpLayer::sendChallengeAck(Instant now, Tcb &t)
{
    // RFC 5961 section 7: "An implementation SHOULD include an ACK throttling mechanism".
    if (now - challengeWindowStart_ >= 1s) {
        challengeWindowStart_ = now;
        challengeAcksInWindow_ = 0;
    }
    if (challengeAcksInWindow_ >= config_.challengeAckLimit) {
        ++counters_.challengeAcksSuppressed;
        return;
    }
    ++challengeAcksInWindow_;
    ++counters_.challengeAcks;
    note(now, &t, EventKind::Log, "challenge-ack", "challenge ACK (RFC 5961)");
    sendAck(now, t);
}

void TcpLayer::acceptChild(Instant now, Tcb &c)
{
    Tcb *l = c.parent ? find(c.parent) : nullptr;
    if (!l) {
        // The listener went away while this connection was being set up.
        sendRstFor(now, c.local, c.remote, c.sndNxt, std::nullopt, c.session);
        c.userClosed = true;
        resetConnection(now, c, "listener closed");
        return;
    }
    if (l->synQueue) --l->synQueue;
    l->acceptQueue.push_back(c.id);
    notify(*l, tcpready::kAcceptable);
}

// Fifth step: the ACK field as "ESTABLISHED STATE" processes it; the states add to it (tcp_states.cpp).
bool TcpLayer::processAck(Instant now, Tcb &t, const Segment &seg)
{
    // RFC 5961 section 5.2: "All incoming segments whose ACK value doesn't satisfy the above condition
    // [(SND.UNA - MAX.SND.WND) =< SEG.ACK =< SND.NXT] MUST be discarded and an ACK sent back."
    if (seg.ack > t.sndMax || seg.ack < t.sndUna - std::max<std::uint32_t>(t.maxSndWnd, 1)) {
        sendChallengeAck(now, t);
        return false;
    }
    if (t.sackOk && seg.opts.sackCount) {
        for (std::size_t i = 0; i < seg.opts.sackCount; ++i) {
            const auto &b = seg.opts.sackBlocks[i];
            // RFC 2018 section 8 / RFC 6675: blocks outside (SND.UNA, SND.MAX] are ignored.
            if (b.left < b.right && b.left >= t.sndUna && b.right <= t.sndMax) t.sacked.add(b.left, b.right);
        }
    }
    if (seg.ack > t.sndUna)
        processNewAck(now, t, seg, static_cast<std::uint32_t>(seg.ack - t.sndUna));
    else if (seg.ack == t.sndUna)
        processDupAck(now, t, seg);
    updateWindow(now, t, seg);
    return true;
}

} // namespace tcplab

// Segment output: what to send now (Nagle, windows, congestion control, SACK-based recovery),
// building segments straight from the send ring, ACKs, SYNs and resets.
#include <algorithm>

#include "tcp/tcp_layer.h"
#include "tcp/tcp_segment.h"

namespace tcplab {

namespace {

std::uint8_t chooseWscaleFor(std::size_t buffer)
{
    std::uint8_t s = 0;
    while (s < 14 && (std::uint64_t(0xffff) << s) < buffer)
        ++s;
    return s;
}

bool maySendData(TcpState s)
{
    return s == TcpState::Established || s == TcpState::CloseWait || s == TcpState::FinWait1 ||
           s == TcpState::LastAck || s == TcpState::Closing;
}

// RFC 6675 section 4 "pipe": bytes thought to be in the network. Holes below the highest SACKed
// byte that were not retransmitted yet are considered lost (a simplified IsLost()).
std::uint32_t pipeOf(const Tcb &t)
{
    std::uint32_t pipe = t.flightSize() - t.sacked.totalBytes();
    if (t.sacked.empty()) return pipe;
    SeqNum cursor = seqMax(t.highRxt, t.sndUna);
    for (const auto &r : t.sacked.ranges()) {
        if (r.left > cursor) pipe -= static_cast<std::uint32_t>(r.left - cursor);
        cursor = seqMax(cursor, r.right);
    }
    return pipe;
}

// What a full-sized segment from the peer carries: the MSS we announced less the timestamp option
// it repeats on every segment (RFC 9293 section 3.7.1 Eff.SND.MSS, seen from the receiver).
std::uint32_t peerSegmentSize(const Tcb &t)
{
    const bool ts = t.tsOk || (t.state == TcpState::SynSent && t.opt.timestamps);
    const std::uint32_t mss = t.advMss > 40 ? t.advMss : 536;
    return ts ? mss - 12 : mss;
}

} // namespace

// Receiver SWS avoidance (RFC 9293 section 3.8.6.2.2): the window a receiver with `free` bytes of
// buffer may offer. Nothing while the space is below min(Fr * RCV.BUFF, Eff.SND.MSS) with Fr = 1/2;
// otherwise the space in whole segments (a buffer smaller than one segment is offered as it is),
// as Linux does, so that the window closes to exactly zero instead of a tail no full segment fits.
static std::uint32_t swsOffer(const Tcb &t, std::uint32_t free)
{
    const std::uint32_t cap = static_cast<std::uint32_t>(t.recvBuf.capacity());
    const std::uint32_t seg = peerSegmentSize(t);
    if (free < std::min(cap / 2, seg)) return 0;
    return free >= seg ? free - free % seg : free;
}

std::uint32_t TcpLayer::tsNow(Instant now, const Tcb &t) const
{
    // RFC 7323 section 5.4: a clock tick between 1 ms and 1 s; we use 1 ms, offset per connection.
    return static_cast<std::uint32_t>(nanosOf(now) / 1'000'000) + t.tsOffset;
}

std::uint16_t TcpLayer::advertisedWindow(Instant now, Tcb &t)
{
    const std::uint32_t old = t.rcvAdv > t.rcvNxt ? static_cast<std::uint32_t>(t.rcvAdv - t.rcvNxt) : 0;
    // RFC 9293 section 3.8.6.2.2: "keep RCV.NXT+RCV.WND fixed until the reduction satisfies:
    // RCV.BUFF - RCV.USER - RCV.WND >= min( Fr * RCV.BUFF, Eff.SND.MSS )". The new edge is offered in
    // whole segments (swsOffer), so a sender filling it with full-sized segments sees a zero window
    // rather than a sliver below one segment.
    const std::uint32_t offer = swsOffer(t, static_cast<std::uint32_t>(t.recvBuf.free()));
    // Section 3.8.6: "A TCP receiver SHOULD NOT shrink the window, i.e., move the right window edge
    // to the left (SHLD-14)": never less than what is left of the window already offered. A new
    // offer is rounded down to the scale's granularity, the old edge up.
    const std::uint32_t unit = 1u << t.rcvWscale;
    std::uint32_t field = std::max(offer >> t.rcvWscale, (old + unit - 1) >> t.rcvWscale);
    field = std::min<std::uint32_t>(field, 0xffff);
    const SeqNum edge = t.rcvNxt + (field << t.rcvWscale);
    if (edge > t.rcvAdv) t.rcvAdv = edge;
    const std::uint32_t after = field << t.rcvWscale;
    // Report the window closing (ZeroWindow) and opening again, as the peer sees it.
    if ((t.rcvWndSent == 0) != (after == 0)) windowEvent(now, t, "rcv_wnd", t.rcvWndSent, after);
    t.rcvWndSent = after;
    return static_cast<std::uint16_t>(field);
}

void TcpLayer::fillOptions(Instant now, Tcb &t, TcpOptions &o, std::uint8_t flags)
{
    if (flags & TcpFlags::kSyn) {
        const bool active = t.state == TcpState::SynSent || (t.state == TcpState::SynReceived && !t.parent);
        o.mss = t.advMss;
        if (active ? t.opt.windowScale : t.wscaleOk) o.windowScale = t.rcvWscale;
        o.sackPermitted = active ? t.opt.sack : t.sackOk;
        if (active ? t.opt.timestamps : t.tsOk)
            o.timestamps = TcpTimestamps{tsNow(now, t), t.tsOk ? t.tsRecent : 0};
        return;
    }
    if (t.tsOk) o.timestamps = TcpTimestamps{tsNow(now, t), t.tsRecent};
    if (t.sackOk && !t.ooo.empty()) {
        // RFC 2018 section 4: "The first SACK block ... MUST specify the contiguous block of data
        // containing the segment which triggered this ACK"; then the others.
        const SeqRange *first = t.ooo.find(t.lastOooLeft);
        if (first) o.addSack({first->left, first->right});
        for (auto it = t.ooo.ranges().rbegin(); it != t.ooo.ranges().rend() && o.sackCount < 4; ++it)
            if (&*it != first) o.addSack({it->left, it->right});
    }
}

void TcpLayer::sendSegment(Instant now, Tcb &t, std::uint8_t flags, SeqNum seq, std::uint32_t len,
                           bool retransmission)
{
    // A segment sent directly inside a batch (a fast retransmission, a challenge ACK) goes after what
    // the connection already had waiting, as it would without the batch.
    if (t.outputPending) flushOutput(now, t);
    TcpHeader h;
    h.sourcePort = t.local.port;
    h.destinationPort = t.remote.port;
    h.seq = seq;
    h.flags = TcpFlags(flags);
    if (flags & TcpFlags::kAck) h.ack = t.rcvNxt;
    fillOptions(now, t, h.options, flags);
    // RFC 7323 section 2.2: "The Window field in a segment where the SYN bit is set (i.e., a <SYN> or
    // <SYN,ACK>) MUST NOT be scaled."
    if (flags & TcpFlags::kSyn) {
        h.window = static_cast<std::uint16_t>(
            swsOffer(t, static_cast<std::uint32_t>(std::min<std::size_t>(t.recvBuf.free(), 0xffff))));
        t.rcvAdv = t.rcvNxt + h.window;
        t.rcvWndSent = h.window;
    } else {
        h.window = advertisedWindow(now, t);
    }
    // The segment behind room for the IP and Ethernet headers (the host writes them there), its
    // data copied once from the send buffer and summed once for the checksum.
    // The buffer is the layer's, reused from segment to segment (taken out while in use, so a
    // segment sent from inside this send gets one of its own).
    Bytes out = std::move(txSpare_);
    out.clear();
    out.reserve(kTxHeadroom + 20 + tcpopt::kMaxSpace + len);
    out.resize(kTxHeadroom);
    const auto [a, b] = len ? t.sendBuf.pieces(static_cast<std::uint32_t>(seq - t.sndUna), len)
                            : std::pair<ByteView, ByteView>{};
    appendTcp(out, h, a, t.local.addr, t.remote.addr);
    if (!b.empty()) {
        // The data wraps around the end of the ring: the checksum again over the whole segment.
        out.insert(out.end(), b.begin(), b.end());
        fixTcpChecksum(MutableByteView(out).subspan(kTxHeadroom), t.local.addr, t.remote.addr);
    }
    if (flags & TcpFlags::kAck) {
        t.lastAckSent = t.rcvNxt;
        t.ackNow = false;
        t.unackedSegments = 0;
        t.timers[static_cast<std::size_t>(TcpTimer::DelayedAck)] = kNever;
    }
    // A segment for the link to cut counts as the segments the wire will carry.
    const bool segmented = len > t.sndMss;
    counters_.segmentsOut += segmented ? (len + t.sndMss - 1) / t.sndMss : 1;
    counters_.bytesOut += len;
    if (retransmission) {
        ++t.retransmits;
        ++counters_.retransmits;
    }
    if (t.session == kNoSession && resolver_) t.session = resolver_(t.local, t.remote);
    out_.sendIpWithHeadroomReusing(now, t.local.addr, t.remote.addr, kIpProtoTcp, out,
                                   segmented ? t.sndMss : 0);
    if (out.capacity() > txSpare_.capacity()) txSpare_ = std::move(out);
}

void TcpLayer::sendAck(Instant now, Tcb &t)
{
    if (t.state == TcpState::Closed || t.state == TcpState::SynSent || t.state == TcpState::Listen) return;
    sendSegment(now, t, TcpFlags::kAck, t.sndNxt, 0);
}

void TcpLayer::sendSyn(Instant now, Tcb &t)
{
    if (t.state == TcpState::SynSent && t.retries == 0) {
        t.rcvWscale = t.opt.windowScale ? chooseWscaleFor(t.recvBuf.capacity()) : 0;
        t.advMss =
            t.opt.mss ? t.opt.mss : static_cast<std::uint16_t>(config_.mtu - (t.local.addr.isV4() ? 40 : 60));
    }
    const std::uint8_t flags =
        t.state == TcpState::SynSent ? TcpFlags::kSyn : TcpFlags::kSyn | TcpFlags::kAck;
    sendSegment(now, t, flags, t.iss, 0, t.retries > 0);
    t.sndNxt = t.iss + 1;
    t.sndMax = seqMax(t.sndMax, t.sndNxt);
    if (t.retries == 0) {
        t.rttTiming = true;
        t.rttSeq = t.iss;
        t.rttStart = now;
    }
    armRto(now, t);
}

void TcpLayer::sendRstFor(Instant now, const Endpoint &local, const Endpoint &remote, SeqNum seq,
                          std::optional<SeqNum> ack, SessionId session)
{
    TcpHeader h;
    h.sourcePort = local.port;
    h.destinationPort = remote.port;
    h.seq = seq;
    h.flags = TcpFlags(TcpFlags::kRst | (ack ? TcpFlags::kAck : 0));
    if (ack) h.ack = *ack;
    ++counters_.rstSent;
    ++counters_.segmentsOut;
    Event e;
    e.time = now;
    e.kind = EventKind::Log;
    e.host = host_;
    e.session = session;
    e.name = "rst";
    e.detail = "RST to " + remote.toString() + " seq " + std::to_string(seq.raw());
    events_.onEvent(e);
    out_.sendIp(now, local.addr, remote.addr, kIpProtoTcp, serializeTcp(h, {}, local.addr, remote.addr));
}

void TcpLayer::retransmitFirst(Instant now, Tcb &t, std::string_view cause)
{
    if (t.state == TcpState::SynSent || t.state == TcpState::SynReceived) {
        sendSyn(now, t);
        return;
    }
    // RFC 6298 section 5.4: retransmit "the earliest segment that has not been acknowledged": only
    // bytes already sent (below SND.MAX, and before a sent FIN). Data written since stays for
    // output(); carried here it would lie beyond SND.MAX and its ACK would be refused.
    const SeqNum dataEnd = t.sndUna + static_cast<std::uint32_t>(t.sendBuf.size());
    const SeqNum sentDataEnd = seqMin(dataEnd, t.finSent ? t.finSeq : t.sndMax);
    const std::uint32_t len =
        sentDataEnd > t.sndUna
            ? std::min<std::uint32_t>(t.sndMss, static_cast<std::uint32_t>(sentDataEnd - t.sndUna))
            : 0;
    std::uint8_t flags = TcpFlags::kAck;
    if (len > 0 && t.sndUna + len == sentDataEnd) flags |= TcpFlags::kPsh; // as it was first sent
    if (t.finSent && t.sndUna + len == t.finSeq) flags |= TcpFlags::kFin;
    if (len == 0 && !(flags & TcpFlags::kFin)) return;
    sendSegment(now, t, flags, t.sndUna, len, true);
    const SeqNum end = t.sndUna + len + ((flags & TcpFlags::kFin) ? 1 : 0);
    if (t.sndNxt < end) t.sndNxt = end;
    t.highRxt = seqMax(t.highRxt, t.sndUna + len);
    t.rttTiming = false; // Karn
    note(now, &t, EventKind::Retransmit, "retransmit",
         std::string(cause) + ": seq " + std::to_string(t.sndUna.raw()) + " len " + std::to_string(len),
         {{"seq", std::to_string(t.sndUna.raw())},
          {"len", std::to_string(len)},
          {"cause", std::string(cause)}});
}

// RFC 6675 section 5 (C): while in loss recovery, "(C.1) The scoreboard MUST be queried via
// NextSeg () for the sequence number range of the next segment to transmit (if any), and the given
// segment sent" as long as "cwnd - pipe >= 1 SMSS".
bool TcpLayer::sackRecoverySend(Instant now, Tcb &t)
{
    bool sent = false;
    for (int guard = 0; guard < 64; ++guard) {
        if (t.sacked.empty()) break;
        const std::uint32_t pipe = pipeOf(t);
        if (pipe + t.sndMss > t.cc->cwnd()) break;
        SeqNum s = seqMax(t.highRxt, t.sndUna);
        SeqNum holeEnd = s;
        bool found = false;
        for (const auto &r : t.sacked.ranges()) {
            if (s >= r.left && s < r.right)
                s = r.right;
            else if (s < r.left) {
                holeEnd = r.left;
                found = true;
                break;
            }
        }
        if (!found) break; // no hole below the highest SACKed byte: send new data instead
        const std::uint32_t len = std::min<std::uint32_t>(t.sndMss, static_cast<std::uint32_t>(holeEnd - s));
        sendSegment(now, t, TcpFlags::kAck, s, len, true);
        t.highRxt = s + len;
        note(now, &t, EventKind::Retransmit, "retransmit",
             "SACK recovery: seq " + std::to_string(s.raw()) + " len " + std::to_string(len),
             {{"seq", std::to_string(s.raw())}, {"len", std::to_string(len)}, {"cause", "sack recovery"}});
        sent = true;
    }
    return sent;
}

bool TcpLayer::sendData(Instant now, Tcb &t, bool)
{
    bool sent = false;
    for (;;) {
        const SeqNum dataEnd = t.sndUna + static_cast<std::uint32_t>(t.sendBuf.size());
        const std::uint32_t unsent = t.sndNxt < dataEnd ? static_cast<std::uint32_t>(dataEnd - t.sndNxt) : 0;
        const bool finDue = t.finQueued && (!t.finSent || t.sndNxt == t.finSeq) && t.sndNxt <= dataEnd;
        if (unsent == 0 && !finDue) break;
        const std::uint32_t inflight =
            (t.inRecovery && t.sackOk) ? pipeOf(t) : static_cast<std::uint32_t>(t.sndNxt - t.sndUna);
        const std::uint32_t wnd = std::min(t.sndWnd, t.cc->cwnd());
        // Data beyond SND.UNA + SND.WND may not be sent (RFC 9293 section 3.8.6.2.1 uses the offered window).
        const std::uint32_t windowLeft = t.sndWnd > static_cast<std::uint32_t>(t.sndNxt - t.sndUna)
                                             ? t.sndWnd - static_cast<std::uint32_t>(t.sndNxt - t.sndUna)
                                             : 0;
        const std::uint32_t usable = std::min(wnd > inflight ? wnd - inflight : 0, windowLeft);
        const bool again = t.sndNxt < t.sndMax; // resending after a timeout (go-back-N)
        std::uint32_t len = std::min({unsent, again ? t.sndMss : segmentLimit(t), usable});
        // A segment for the link to cut (TSO) holds whole MSS-sized pieces, only the last one of
        // the queued data may be shorter: on the wire it is what sending them one by one would be.
        if (len > t.sndMss && len < unsent) len -= len % t.sndMss;
        const bool fin = finDue && len == unsent;
        if (len == 0 && !(fin && unsent == 0)) {
            // RFC 9293 section 3.8.6.1: with a zero window and nothing in flight, probe it.
            if (t.sndWnd == 0 && t.sndMax == t.sndUna &&
                t.timers[static_cast<std::size_t>(TcpTimer::Persist)] == kNever)
                setTimer(now, t, TcpTimer::Persist, now + t.rtt.rto());
            break;
        }
        if (len < unsent && len < t.sndMss && !t.swsOverride) {
            // Sender SWS avoidance (RFC 9293 section 3.8.6.2.1): "Send data: (1) if a maximum-sized
            // segment can be sent, i.e., if: min(D,U) >= Eff.SND.MSS; (2) or if the data is pushed and
            // all queued data can be sent now, i.e., if: [SND.NXT = SND.UNA and] PUSHed and D <= U
            // ...; (3) or if at least a fraction Fs of the maximum window can be sent, i.e., if:
            // [SND.NXT = SND.UNA and] min(D,U) >= Fs * Max(SND.WND); (4) or if the data is PUSHed
            // and the override timeout occurs." Fs = 1/2. Here D > U and U < Eff.SND.MSS.
            if (len < t.maxSndWnd / 2 || t.sndMax > t.sndUna) {
                // Nothing in flight means no ACK will come to re-run this: start the override timer.
                if (len > 0 && t.sndMax == t.sndUna &&
                    t.timers[static_cast<std::size_t>(TcpTimer::SwsOverride)] == kNever)
                    setTimer(now, t, TcpTimer::SwsOverride, now + config_.swsOverride);
                break;
            }
        }
        // Nagle (RFC 9293 section 3.7.4): "If there is unacknowledged data ... the user data SHOULD
        // be buffered until there is a full segment".
        if (len > 0 && len < t.sndMss && !t.opt.noDelay && t.sndMax > t.sndUna && !fin &&
            t.sndNxt >= t.sndMax)
            break;
        std::uint8_t flags = TcpFlags::kAck;
        if (len > 0 && len == unsent) flags |= TcpFlags::kPsh;
        if (fin) flags |= TcpFlags::kFin;
        sendSegment(now, t, flags, t.sndNxt, len, again);
        if (again) {
            note(now, &t, EventKind::Retransmit, "retransmit",
                 "after timeout: seq " + std::to_string(t.sndNxt.raw()) + " len " + std::to_string(len),
                 {{"seq", std::to_string(t.sndNxt.raw())},
                  {"len", std::to_string(len)},
                  {"cause", "go-back-n after rto"}});
        } else if (!t.tsOk && !t.rttTiming && len > 0) {
            t.rttTiming = true;
            t.rttSeq = t.sndNxt;
            t.rttStart = now;
        }
        if (fin && !t.finSent) {
            t.finSent = true;
            t.finSeq = t.sndNxt + len;
        }
        t.sndNxt += len + (fin ? 1 : 0);
        t.sndMax = seqMax(t.sndMax, t.sndNxt);
        if (t.timers[static_cast<std::size_t>(TcpTimer::Rto)] == kNever) armRto(now, t);
        sent = true;
        if (fin) break;
    }
    return sent;
}

std::uint32_t TcpLayer::segmentLimit(const Tcb &t) const
{
    // TSO: as many whole MSS-sized pieces as the link takes in one frame (never fewer than one).
    const std::uint32_t limit = out_.segmentationLimit();
    if (limit <= t.sndMss) return t.sndMss;
    return limit - limit % t.sndMss;
}

void TcpLayer::output(Instant now, Tcb &t)
{
    if (batching_) {
        if (!t.outputPending) {
            t.outputPending = true;
            outputQueue_.push_back(t.id);
        }
        return;
    }
    t.outputPending = false;
    if (maySendData(t.state)) {
        if (t.inRecovery && t.sackOk) sackRecoverySend(now, t);
        sendData(now, t, false);
    }
    if (t.ackNow) sendAck(now, t);
}

void TcpLayer::flushOutput(Instant now, Tcb &t)
{
    const bool batching = std::exchange(batching_, false);
    output(now, t);
    batching_ = batching;
}

void TcpLayer::beginBatch()
{
    batching_ = true;
}

void TcpLayer::endBatch(Instant now)
{
    if (!batching_) return;
    batching_ = false;
    now_ = std::max(now_, now);
    // In the order the connections first asked; a connection released meanwhile is gone.
    for (std::size_t i = 0; i < outputQueue_.size(); ++i)
        if (Tcb *t = find(outputQueue_[i]); t && t->outputPending) output(now, *t);
    outputQueue_.clear();
    finish(); // the readiness callbacks the batch held back
}

} // namespace tcplab

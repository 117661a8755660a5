// What an acceptable segment does to the connection: acknowledgments (RTT, congestion control,
// loss detection), the send window, urgent data, in-order and out-of-order text, and the FIN
// (RFC 9293 section 3.10.7.4 steps five to eight; RFC 5681, RFC 6582, RFC 6675, RFC 2018).
#include <algorithm>

#include "tcp/tcp_layer.h"
#include "tcp/tcp_segment.h"

namespace tcplab {

void TcpLayer::processNewAck(Instant now, Tcb &t, const Segment &seg, std::uint32_t acked)
{
    // "If SND.UNA < SEG.ACK =< SND.NXT, then set SND.UNA <- SEG.ACK. Any segments on the
    // retransmission queue that are thereby entirely acknowledged are removed."
    std::uint32_t dataAcked = acked;
    if (t.finSent && seg.ack > t.finSeq) dataAcked -= 1;  // the FIN's sequence number
    if (t.sndUna == t.iss && t.sndUna < seg.ack) dataAcked -= 1;  // our SYN (simultaneous open)
    t.sendBuf.consume(dataAcked);
    t.sndUna = seg.ack;
    if (t.sndNxt < t.sndUna) t.sndNxt = t.sndUna;
    t.sacked.trimBelow(t.sndUna);
    if (t.highRxt < t.sndUna) t.highRxt = t.sndUna;
    // RTT (RFC 6298 section 3 and RFC 7323 section 4.1): with timestamps every new ACK gives a
    // sample; otherwise one timed segment at a time, and Karn's rule drops samples of retransmitted
    // data ("RTT samples MUST NOT be made using segments that were retransmitted").
    if (t.tsOk && seg.opts.timestamps && seg.opts.timestamps->echo) {
        const std::uint32_t ms = tsNow(now, t) - seg.opts.timestamps->echo;
        if (ms < 60000)
            takeRttSample(now, t, std::chrono::milliseconds(std::max<std::uint32_t>(ms, 1)), "timestamps");
    } else if (t.rttTiming && seg.ack > t.rttSeq) {
        takeRttSample(now, t, now - t.rttStart, "timed segment");
        t.rttTiming = false;
    }
    t.retries = 0;
    t.keepaliveProbes = 0;
    const std::uint32_t cwndBefore = t.cc->cwnd();
    if (t.inRecovery) {
        if (seg.ack >= t.recover) {
            // RFC 6582 section 3.2 step 3 (full acknowledgment): "Set cwnd to either (1)
            // min (ssthresh, max(FlightSize, SMSS) + SMSS) or (2) ssthresh".
            t.inRecovery = false;
            t.cc->onRecoveryExit(now, t.flightSize());
            windowEvent(now, t, "cwnd", cwndBefore, t.cc->cwnd());
        } else {
            // Step 4 (partial acknowledgment): "retransmit the first unacknowledged segment ...
            // deflate the congestion window by the amount of new data acknowledged by the Cumulative
            // Acknowledgment field. If the partial ACK acknowledges at least one SMSS of new data,
            // then add back SMSS bytes to the congestion window."
            if (!t.sackOk) {
                std::uint32_t c = t.cc->cwnd();
                c = c > dataAcked ? c - dataAcked : t.sndMss;
                if (dataAcked >= t.sndMss) c += t.sndMss;
                t.cc->setCwnd(std::max<std::uint32_t>(c, t.sndMss));
                retransmitFirst(now, t, "partial ACK (NewReno)");
            }
        }
    } else {
        t.cc->onAck(now, dataAcked, t.rtt.srtt());
    }
    t.dupAcks = 0;
    // RFC 6298 section 5.2/5.3: "When all outstanding data has been acknowledged, turn off the
    // retransmission timer. When an ACK is received that acknowledges new data, restart the
    // retransmission timer".
    if (t.sndUna == t.sndMax) cancelTimer(t, TcpTimer::Rto);
    else armRto(now, t);
    if (t.sendBuf.free() > 0 && dataAcked) notify(t, tcpready::kWritable);
}

void TcpLayer::processDupAck(Instant now, Tcb &t, const Segment &seg)
{
    // RFC 5681 section 2 "DUPLICATE ACKNOWLEDGMENT": outstanding data, no data, no SYN/FIN, same
    // acknowledgment and window (or SACK information that grew).
    // A closed window is not loss: answers to zero-window probes repeat the same ACK (RFC 9293
    // section 3.8.6.1), and fast retransmit into a zero window would only be dropped.
    const bool dup = t.sndWnd != 0 && t.sndMax > t.sndUna && seg.payload.empty() && !seg.flags.syn() && !seg.flags.fin() &&
                     ((static_cast<std::uint32_t>(seg.window) << t.sndWscale) == t.sndWnd || seg.opts.sackCount);
    if (!dup) {
        t.dupAcks = 0;
        return;
    }
    ++t.dupAcks;
    const std::uint32_t cwndBefore = t.cc->cwnd();
    // RFC 6675 section 5 (and RFC 5681 section 3.2 step 2): three duplicates, or SACKed data of
    // more than DupThresh-1 segments above the first hole, start recovery; RFC 6582 section 3.2
    // step 2 only when the ACK covers more than "recover" (no new recovery for the same window).
    const bool sackSaysLost = t.sackOk && t.sacked.totalBytes() > 2u * t.sndMss;
    if (!t.inRecovery && (t.dupAcks == 3 || (sackSaysLost && t.dupAcks >= 1)) && t.sndUna >= t.recover) {
        t.inRecovery = true;
        t.recover = t.sndMax;
        t.cc->onLoss(now, t.flightSize());
        ++t.fastRetransmits;
        t.highRxt = t.sndUna;
        note(now, &t, EventKind::Log, "fast-recovery", "entering fast recovery after " + std::to_string(t.dupAcks) + " duplicate ACKs",
             {{"recover", std::to_string(t.recover.raw())}});
        retransmitFirst(now, t, "fast retransmit");
        if (!t.sackOk) t.cc->setCwnd(t.cc->ssthresh() + 3 * t.sndMss);  // RFC 6582 step 2
        windowEvent(now, t, "ssthresh", 0, t.cc->ssthresh());
        windowEvent(now, t, "cwnd", cwndBefore, t.cc->cwnd());
        return;
    }
    // RFC 5681 section 3.2 step 4: "For each additional duplicate ACK received (after the third),
    // cwnd MUST be incremented by SMSS." (without SACK; with SACK the pipe estimate does this)
    if (t.inRecovery && !t.sackOk) t.cc->setCwnd(t.cc->cwnd() + t.sndMss);
}

void TcpLayer::updateWindow(Instant now, Tcb &t, const Segment &seg)
{
    // RFC 9293 section 3.10.7.4: "If SND.UNA =< SEG.ACK =< SND.NXT, the send window should be
    // updated. If (SND.WL1 < SEG.SEQ or (SND.WL1 = SEG.SEQ and SND.WL2 =< SEG.ACK)), set SND.WND <-
    // SEG.WND, set SND.WL1 <- SEG.SEQ, and set SND.WL2 <- SEG.ACK."
    if (!(t.sndWl1 < seg.seq || (t.sndWl1 == seg.seq && t.sndWl2 <= seg.ack))) return;
    const std::uint32_t before = t.sndWnd;
    t.persistUnanswered = 0;  // the peer is alive: it answered (a probe, perhaps)
    t.sndWnd = static_cast<std::uint32_t>(seg.window) << t.sndWscale;
    t.maxSndWnd = std::max(t.maxSndWnd, t.sndWnd);
    t.sndWl1 = seg.seq;
    t.sndWl2 = seg.ack;
    // Report openings and closings, and changes of at least a segment (not every byte of drift).
    const std::uint32_t delta = before > t.sndWnd ? before - t.sndWnd : t.sndWnd - before;
    if ((before == 0) != (t.sndWnd == 0) || delta >= 8u * t.sndMss) windowEvent(now, t, "snd_wnd", before, t.sndWnd);
    if (before == 0 && t.sndWnd > 0) {
        cancelTimer(t, TcpTimer::Persist);
        t.persistBackoff = 0;
    }
}

// Sixth step: "check the URG bit".
void TcpLayer::processUrgent(Instant now, Tcb &t, const Segment &seg)
{
    if (!seg.flags.urg()) return;
    // "If the URG bit is set, RCV.UP <- max(RCV.UP,SEG.UP), and signal the user that the remote side
    // has urgent data if the urgent pointer (RCV.UP) is in advance of the data consumed."
    const SeqNum up = seg.seq + seg.urgent;
    if (!t.urgentPending || up > t.rcvUp) {
        t.rcvUp = up;
        t.urgentPending = true;
        note(now, &t, EventKind::Log, "urgent", "urgent pointer " + std::to_string(seg.urgent) + " (data up to seq " +
                                                    std::to_string(up.raw()) + ")",
             {{"urgent_pointer", std::to_string(seg.urgent)}, {"rcv_up", std::to_string(up.raw())}});
    }
}

// Seventh step: "process the segment text"; eighth: "check the FIN bit".
void TcpLayer::processText(Instant now, Tcb &t, Segment &seg)
{
    const bool mayReceive = t.state == TcpState::Established || t.state == TcpState::FinWait1 ||
                            t.state == TcpState::FinWait2;
    if (!seg.payload.empty() && mayReceive) {
        const auto offset = static_cast<std::uint32_t>(seg.seq - t.rcvNxt);
        const std::size_t base = t.recvBuf.size();
        const std::size_t room = t.recvBuf.capacity() - base;
        ByteView data = seg.payload;
        if (offset >= room) data = {};
        else if (offset + data.size() > room) data = data.first(room - offset);
        if (!data.empty()) {
            t.recvBuf.writeAt(base + offset, data);
            if (offset == 0) {
                // In order: "Once in the ESTABLISHED state, it is possible to deliver segment data to
                // user RECEIVE buffers ... RCV.NXT is advanced over the data accepted".
                t.recvBuf.commit(data.size());
                t.rcvNxt += static_cast<std::uint32_t>(data.size());
                const bool filledHole = !t.ooo.empty();
                while (!t.ooo.empty() && t.ooo.ranges().front().left <= t.rcvNxt) {
                    const SeqRange r = t.ooo.ranges().front();
                    if (r.right > t.rcvNxt) {
                        t.recvBuf.commit(static_cast<std::uint32_t>(r.right - t.rcvNxt));
                        t.rcvNxt = r.right;
                    }
                    t.ooo.trimBelow(t.rcvNxt);
                }
                // RFC 5681 section 4.2: "an ACK SHOULD be generated for at least every second
                // full-sized segment" and immediately when a segment fills in a gap. A segment
                // larger than our MSS (offloaded segmentation on the way: GRO/LRO) stands for several
                // full-sized ones, so it is ACKed at once, as Linux does.
                t.unackedSegments += data.size() > t.advMss ? 2 : 1;
                if (filledHole || t.unackedSegments >= 2)
                    t.ackNow = true;
                else if (t.timers[static_cast<std::size_t>(TcpTimer::DelayedAck)] == kNever)
                    setTimer(now, t, TcpTimer::DelayedAck, now + config_.delayedAck);
                notify(t, tcpready::kReadable);
            } else {
                // Out of order: kept in the buffer ahead of the contiguous data, reported with SACK;
                // RFC 5681 section 4.2: "A TCP receiver SHOULD send an immediate duplicate ACK when
                // an out-of-order segment arrives."
                const SeqNum left = t.rcvNxt + offset;
                if (t.ooo.add(left, left + static_cast<std::uint32_t>(data.size()))) t.lastOooLeft = left;
                t.ackNow = true;
            }
        }
    }
    if (seg.flags.fin()) {
        const SeqNum finAt = seg.seq + static_cast<std::uint32_t>(seg.payload.size());
        if (finAt == t.rcvNxt) processFin(now, t, finAt);
        else if (finAt > t.rcvNxt) {
            t.peerFinPending = true;
            t.peerFinSeq = finAt;
            t.ackNow = true;
        }
    } else if (t.peerFinPending && t.peerFinSeq == t.rcvNxt) {
        processFin(now, t, t.peerFinSeq);
    }
}

void TcpLayer::processFin(Instant now, Tcb &t, SeqNum finAt)
{
    if (t.state == TcpState::TimeWait) {
        // "TIME-WAIT STATE: Remain in the TIME-WAIT state. Restart the 2 MSL time-wait timeout."
        t.ackNow = true;
        setTimer(now, t, TcpTimer::TimeWait, now + 2 * config_.msl);
        return;
    }
    if (t.peerFin) {
        t.ackNow = true;  // a retransmitted FIN: acknowledge it again
        return;
    }
    // "If the FIN bit is set, signal the user 'connection closing' and return any pending RECEIVEs
    // with same message, advance RCV.NXT over the FIN, and send an acknowledgment for the FIN."
    t.rcvNxt = finAt + 1;
    t.peerFin = true;
    t.peerFinPending = false;
    t.ackNow = true;
    notify(t, tcpready::kReadable);
    switch (t.state) {
    case TcpState::SynReceived:
    case TcpState::Established:
        // "SYN-RECEIVED STATE, ESTABLISHED STATE: Enter the CLOSE-WAIT state."
        setState(now, t, TcpState::CloseWait, "FIN received");
        break;
    case TcpState::FinWait1:
        // "If our FIN has been ACKed (perhaps in this segment), then enter TIME-WAIT, start the
        // time-wait timer, turn off the other timers; otherwise, enter the CLOSING state."
        if (t.finSent && t.sndUna > t.finSeq) {
            setState(now, t, TcpState::TimeWait, "FIN received, ours acknowledged");
            for (auto &d : t.timers) d = kNever;
            setTimer(now, t, TcpTimer::TimeWait, now + 2 * config_.msl);
        } else {
            setState(now, t, TcpState::Closing, "FIN received while ours is unacknowledged (simultaneous close)");
        }
        break;
    case TcpState::FinWait2:
        // "Enter the TIME-WAIT state. Start the time-wait timer, turn off the other timers."
        setState(now, t, TcpState::TimeWait, "FIN received");
        for (auto &d : t.timers) d = kNever;
        setTimer(now, t, TcpTimer::TimeWait, now + 2 * config_.msl);
        break;
    default: break;  // CLOSE-WAIT, CLOSING, LAST-ACK: "Remain in the ... state."
    }
}

}  // namespace tcplab

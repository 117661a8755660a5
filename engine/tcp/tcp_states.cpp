// One handler per synchronized state (RFC 9293 section 3.10.7.4, "Otherwise"), reached from the
// dispatch table in tcp_input.cpp. Each runs the common first steps (frontChecks), the common ACK
// processing (processAck), then what its state adds, in the RFC's words.
#include "tcp/tcp_layer.h"
#include "tcp/tcp_segment.h"

namespace tcplab {

// Steps six to eight (URG, text, FIN) and whatever the segment lets us send.
void TcpLayer::afterAck(Instant now, Tcb &t, Segment &seg)
{
    if (t.state == TcpState::Closed) return;
    processUrgent(now, t, seg);
    processText(now, t, seg);
    if (t.state != TcpState::Closed && t.state != TcpState::TimeWait) output(now, t);
}

void TcpLayer::inputSynReceived(Instant now, Tcb &t, Segment &seg)
{
    // A retransmitted SYN while our SYN-ACK is unacknowledged: the SYN-ACK was lost, send it again.
    if (seg.flags.syn() && !seg.flags.ack() && seg.seq == t.irs) {
        t.sndNxt = t.iss;
        sendSyn(now, t);
        return;
    }
    if (!frontChecks(now, t, seg)) return;
    // "SYN-RECEIVED STATE: If SND.UNA < SEG.ACK =< SND.NXT, then enter ESTABLISHED state and continue
    // processing with the variables below set to: SND.WND <- SEG.WND, SND.WL1 <- SEG.SEQ, SND.WL2 <-
    // SEG.ACK. If the segment acknowledgment is not acceptable, form a reset segment
    // <SEQ=SEG.ACK><CTL=RST> and send it."
    if (!(t.sndUna < seg.ack && seg.ack <= t.sndMax)) {
        sendRstFor(now, t.local, t.remote, seg.ack, std::nullopt, t.session);
        return;
    }
    t.sndWnd = static_cast<std::uint32_t>(seg.window) << t.sndWscale;
    t.maxSndWnd = std::max(t.maxSndWnd, t.sndWnd);
    t.sndWl1 = seg.seq;
    t.sndWl2 = seg.ack;
    setState(now, t, TcpState::Established, "handshake ACK received");
    if (t.parent && !t.accepted) acceptChild(now, t);
    else notify(t, tcpready::kConnected | tcpready::kWritable);
    if (t.state == TcpState::Closed) return;
    if (t.finQueued) setState(now, t, TcpState::FinWait1, "close requested during the handshake");
    if (!processAck(now, t, seg)) return;
    afterAck(now, t, seg);
}

void TcpLayer::inputEstablished(Instant now, Tcb &t, Segment &seg)
{
    if (!frontChecks(now, t, seg)) return;
    if (!processAck(now, t, seg)) return;
    afterAck(now, t, seg);  // data, and a FIN takes us to CLOSE-WAIT
}

void TcpLayer::inputFinWait1(Instant now, Tcb &t, Segment &seg)
{
    if (!frontChecks(now, t, seg)) return;
    if (!processAck(now, t, seg)) return;
    // "FIN-WAIT-1 STATE: In addition to the processing for the ESTABLISHED state, if the FIN segment
    // is now acknowledged, then enter FIN-WAIT-2 and continue processing in that state."
    if (ourFinAcked(t)) setState(now, t, TcpState::FinWait2, "our FIN acknowledged");
    afterAck(now, t, seg);  // a FIN: TIME-WAIT if ours is acknowledged, else CLOSING
}

void TcpLayer::inputFinWait2(Instant now, Tcb &t, Segment &seg)
{
    if (!frontChecks(now, t, seg)) return;
    // "FIN-WAIT-2 STATE: In addition to the processing for the ESTABLISHED state, if the
    // retransmission queue is empty, the user's CLOSE can be acknowledged ("ok") but do not delete
    // the TCB."
    if (!processAck(now, t, seg)) return;
    afterAck(now, t, seg);  // data still flows to us; a FIN: TIME-WAIT
}

void TcpLayer::inputCloseWait(Instant now, Tcb &t, Segment &seg)
{
    if (!frontChecks(now, t, seg)) return;
    // "CLOSE-WAIT STATE: Do the same processing as for the ESTABLISHED state." Text: "This should
    // not occur since a FIN has been received from the remote side. Ignore the segment text."
    if (!processAck(now, t, seg)) return;
    afterAck(now, t, seg);
}

void TcpLayer::inputClosing(Instant now, Tcb &t, Segment &seg)
{
    if (!frontChecks(now, t, seg)) return;
    if (!processAck(now, t, seg)) return;
    // "CLOSING STATE: In addition to the processing for the ESTABLISHED state, if the ACK
    // acknowledges our FIN, then enter the TIME-WAIT state; otherwise, ignore the segment."
    if (ourFinAcked(t)) {
        setState(now, t, TcpState::TimeWait, "our FIN acknowledged");
        setTimer(now, t, TcpTimer::TimeWait, now + 2 * config_.msl);
        return;
    }
    afterAck(now, t, seg);
}

void TcpLayer::inputLastAck(Instant now, Tcb &t, Segment &seg)
{
    if (!frontChecks(now, t, seg)) return;
    if (!processAck(now, t, seg)) return;
    // "LAST-ACK STATE: The only thing that can arrive in this state is an acknowledgment of our FIN.
    // If our FIN is now acknowledged, delete the TCB, enter the CLOSED state, and return."
    if (ourFinAcked(t)) {
        setState(now, t, TcpState::Closed, "our FIN acknowledged");
        return;
    }
    afterAck(now, t, seg);
}

void TcpLayer::inputTimeWait(Instant now, Tcb &t, Segment &seg)
{
    if (!frontChecks(now, t, seg)) return;
    // "TIME-WAIT STATE: The only thing that can arrive in this state is a retransmission of the
    // remote FIN. Acknowledge it, and restart the 2 MSL timeout." (the FIN step does both)
    if (!processAck(now, t, seg)) return;
    processText(now, t, seg);
}

}  // namespace tcplab

// ICMP errors about our segments (the host decodes them, stack/host_icmp_error.cpp).
//
// RFC 1122 section 4.2.3.9: "TCP MUST act on an ICMP error message passed up from the IP layer,
// directing it to the connection that created the error." Soft errors (net/host unreachable,
// time exceeded, parameter problem, packet too big) MUST NOT abort the connection; they are
// recorded on it (TcpInfo::softError) so the user can see why it stalls. Hard errors (protocol and
// port unreachable) abort only a connection in SYN-SENT: RFC 5927 section 4.1 advises treating
// them as soft errors in the synchronized states, where a forged ICMP message would otherwise reset
// any connection (the blind connection-reset attack).
#include "tcp/tcp_layer.h"

namespace tcplab {

IcmpErrorOutcome TcpLayer::icmpError(Instant now, const IcmpError &error, SessionId &session)
{
    now_ = std::max(now_, now);
    Tcb *t = findConnection(error.local, error.remote);
    if (!t || t->state == TcpState::Closed || t->listener) return IcmpErrorOutcome::NoSocket;
    if (t->session == kNoSession && resolver_) t->session = resolver_(t->local, t->remote);
    session = t->session;
    // RFC 5927 section 4.1: "TCP SHOULD check that the TCP sequence number contained in the payload
    // of the ICMP error message is within the range SND.UNA =< SEG.SEQ < SND.NXT." (SND.NXT here is
    // the highest sequence number sent, so a rewound SND.NXT after a timeout still counts.)
    const SeqNum seq{error.quotedSeq};
    if (!(t->sndUna <= seq && seq < t->sndMax)) {
        ++counters_.icmpOutOfWindow;
        note(now, t, EventKind::Log, "icmp-ignored",
             "ICMP " + error.what + " ignored: quoted seq " + std::to_string(error.quotedSeq) +
                 " outside SND.UNA..SND.NXT (RFC 5927 section 4.1)",
             {{"seq", std::to_string(error.quotedSeq)},
              {"snd_una", std::to_string(t->sndUna.raw())},
              {"snd_nxt", std::to_string(t->sndMax.raw())}});
        return IcmpErrorOutcome::OutOfWindow;
    }
    const std::string why = error.what + " from " + error.reporter.toString();
    if (error.hard && t->state == TcpState::SynSent) {
        ++counters_.icmpAborts;
        resetConnection(now, *t, "connection refused: ICMP " + why);
        finish();
        return IcmpErrorOutcome::Aborted;
    }
    ++counters_.icmpSoftErrors;
    t->softError = why;
    note(now, t, EventKind::Log, "icmp-soft-error", "soft error recorded on the connection: " + why,
         {{"error", error.what},
          {"reporter", error.reporter.toString()},
          {"hard", error.hard ? "true" : "false"}});
    finish();
    return IcmpErrorOutcome::Recorded;
}

} // namespace tcplab

// The rules below follow what Wireshark documents in its user's guide ("TCP Analysis", section
// 7.5) and how its analysis behaves: sequence numbers are relative to each direction's base, a
// direction's "next expected sequence number" is the highest seq + len seen, and the checks run in
// a fixed order, some of them ending the search for further labels.
#include "capture/tcp_analysis.h"

#include "wire/tcp.h"

namespace tcplab {

namespace {

constexpr std::uint8_t kSyn = TcpFlags::kSyn, kFin = TcpFlags::kFin, kRst = TcpFlags::kRst,
                       kAck = TcpFlags::kAck;

bool seqLt(std::uint32_t a, std::uint32_t b)
{
    return static_cast<std::int32_t>(a - b) < 0;
}
bool seqGt(std::uint32_t a, std::uint32_t b)
{
    return static_cast<std::int32_t>(a - b) > 0;
}
bool seqLe(std::uint32_t a, std::uint32_t b)
{
    return !seqGt(a, b);
}

struct BitInfo {
    const char *field;
    const char *label;
};
constexpr BitInfo kBits[analysis::kCount] = {
    {"retransmission", "TCP Retransmission"},
    {"fast_retransmission", "TCP Fast Retransmission"},
    {"spurious_retransmission", "TCP Spurious Retransmission"},
    {"out_of_order", "TCP Out-Of-Order"},
    {"lost_segment", "TCP Previous segment not captured"},
    {"ack_lost_segment", "TCP ACKed unseen segment"},
    {"duplicate_ack", "TCP Dup ACK"},
    {"zero_window", "TCP ZeroWindow"},
    {"zero_window_probe", "TCP ZeroWindowProbe"},
    {"zero_window_probe_ack", "TCP ZeroWindowProbeAck"},
    {"window_full", "TCP Window Full"},
    {"window_update", "TCP Window Update"},
    {"keep_alive", "TCP Keep-Alive"},
    {"keep_alive_ack", "TCP Keep-Alive ACK"},
    {"reused_ports", "TCP Port numbers reused"},
};

} // namespace

const char *analysisFieldName(std::uint32_t bit)
{
    for (int i = 0; i < analysis::kCount; ++i)
        if (bit == (1u << i)) return kBits[i].field;
    return "";
}

std::vector<std::string> analysisLabels(const TcpAnalysis &a)
{
    std::vector<std::string> out;
    for (int i = 0; i < analysis::kCount; ++i) {
        if (!(a.flags & (1u << i))) continue;
        std::string label = kBits[i].label;
        if ((1u << i) == analysis::kDuplicateAck)
            label += " " + std::to_string(a.dupAckOf) + "#" + std::to_string(a.dupAckNumber);
        out.push_back(std::move(label));
    }
    return out;
}

std::uint32_t analysisBitOfLabel(const std::string &label)
{
    for (int i = 0; i < analysis::kCount; ++i) {
        const std::string l = kBits[i].label;
        if (label == l) return 1u << i;
        if ((1u << i) == analysis::kDuplicateAck && label.rfind(l + " ", 0) == 0) return 1u << i;
    }
    return 0;
}

std::size_t TcpAnalyzer::KeyHash::operator()(const Key &k) const noexcept
{
    return hashOf(k.lo) * 0x9e3779b97f4a7c15ULL ^ hashOf(k.hi);
}

void TcpAnalyzer::setBases(Conversation &, Direction &fwd, Direction &rev, const TcpSegmentFacts &seg)
{
    // Relative numbers start at 0 for a SYN and at 1 otherwise, so that a capture missing the
    // handshake still reads naturally. Without the other side's SYN, its base comes from our ACK.
    if (!fwd.baseSet) {
        fwd.base = (seg.flags & kSyn) ? seg.seq.raw() : seg.seq.raw() - 1;
        fwd.baseSet = true;
    }
    if (!rev.baseSet && (seg.flags & kAck)) {
        rev.base = seg.ack.raw() - 1;
        rev.baseSet = true;
    }
    if (seg.flags & kSyn) {
        // RFC 7323 section 2.2: scaling is in use only when both SYNs carried the option.
        fwd.winScale = seg.windowScale >= 0 ? seg.windowScale : -2;
        if ((seg.flags & kAck) && (fwd.winScale == -2 || rev.winScale == -2))
            fwd.winScale = rev.winScale = -2;
    }
}

void TcpAnalyzer::noteHandshake(Conversation &c, Instant time, const TcpSegmentFacts &seg)
{
    const std::uint8_t sa = seg.flags & (kSyn | kAck);
    if (sa == kSyn) {
        c.haveSynTime = true;
        c.synTime = time;
    } else if (sa == (kSyn | kAck)) {
        c.haveSynAck = true;
    } else if (sa == kAck && c.haveSynTime && c.haveSynAck && c.firstRtt == Duration(0)) {
        c.firstRtt = time - c.synTime;
    }
}

void TcpAnalyzer::checkRetransmission(TcpAnalysis &a, const Conversation &c, const Direction &fwd,
                                      const Direction &rev, Instant time, std::uint32_t seq,
                                      std::uint32_t seglen, std::uint8_t flags)
{
    if (!(seglen > 0 || (flags & (kSyn | kFin)))) return;
    if (a.flags & analysis::kKeepAlive) return; // a keep-alive is not a retransmission
    bool notAdvanced = fwd.nextSeq && seqLt(seq, fwd.nextSeq);
    // New data starting one byte early (after a zero-window probe) is not a retransmission.
    if (seglen > 1 && fwd.nextSeq - 1 == seq) notAdvanced = false;

    // At least two duplicate ACKs from the other side asking for this very segment, within 20 ms.
    if (notAdvanced && rev.dupAckNum >= 2 && rev.lastAck == seq && time - rev.lastAckTime < 20ms) {
        a.flags |= analysis::kFastRetransmission;
        return;
    }
    // Data the receiver had already acknowledged.
    if (seglen > 0 && rev.lastAck && seqLe(seq + seglen, rev.lastAck)) {
        a.flags |= analysis::kSpuriousRetransmission;
        return;
    }
    // Soon after the highest segment and not filling exactly up to it: reordered, not resent.
    const Duration threshold = c.firstRtt != Duration(0) ? c.firstRtt : Duration(3ms);
    if (notAdvanced && time - fwd.nextSeqTime < threshold &&
        fwd.nextSeq != seq + seglen + ((flags & (kSyn | kFin)) ? 1 : 0)) {
        a.flags |= analysis::kOutOfOrder;
        return;
    }
    if (notAdvanced) a.flags |= analysis::kRetransmission;
}

void TcpAnalyzer::update(Direction &fwd, const TcpAnalysis &a, Instant time, std::uint32_t seq,
                         std::uint32_t ack, std::uint32_t seglen, const TcpSegmentFacts &seg)
{
    std::uint32_t next = seq + seglen;
    if (seg.flags & (kSyn | kFin)) next += 1;
    // A zero-window probe does not advance the sequence space we expect.
    const bool probe = a.flags & analysis::kZeroWindowProbe;
    if ((seqGt(next, fwd.nextSeq) || !fwd.nextSeq) && !probe) {
        fwd.nextSeq = next;
        fwd.nextSeqTime = time;
    }
    if ((seq == fwd.maxSeqToBeAcked || !fwd.maxSeqToBeAcked) && !probe) fwd.maxSeqToBeAcked = fwd.nextSeq;
    fwd.window = seg.window;
    fwd.windowFromSyn = seg.flags & kSyn;
    fwd.lastAck = ack;
    fwd.lastAckTime = time;
    fwd.lastSegmentFlags = a.flags;
}

TcpAnalysis TcpAnalyzer::analyze(Instant time, const TcpSegmentFacts &seg, std::uint64_t frameNumber)
{
    TcpAnalysis a;
    // Consecutive frames nearly always belong to the same conversation (data one way, ACKs the
    // other): the last one found is kept, so most frames need no key and no hash lookup.
    const bool sameAsLast = last_ && ((seg.src == lastKey_.lo && seg.dst == lastKey_.hi) ||
                                      (seg.src == lastKey_.hi && seg.dst == lastKey_.lo));
    Key fresh;
    if (!sameAsLast) fresh = seg.src < seg.dst ? Key{seg.src, seg.dst} : Key{seg.dst, seg.src};
    const Key &key = sameAsLast ? lastKey_ : fresh;
    Conversation *conv = sameAsLast ? last_ : nullptr;
    if (!conv) {
        auto found = conversations_.find(key);
        if (found != conversations_.end()) conv = &found->second;
    }
    if (conv && (seg.flags & (kSyn | kAck)) == kSyn) {
        // A new SYN with another ISN on a known tuple: a new conversation on reused ports.
        const Direction &prev = conv->dir[seg.src == conv->lo ? 0 : 1];
        if (prev.baseSet && seg.seq.raw() != prev.base) {
            a.flags |= analysis::kReusedPorts;
            conversations_.erase(key);
            conv = nullptr;
        }
    }
    if (!conv)
        conv = &conversations_.emplace(key, Conversation{key.lo, {}, false, false, {}, {}}).first->second;
    last_ = conv; // node-based map: the address stays valid until that entry is erased (above)
    if (!sameAsLast) lastKey_ = fresh;
    Conversation &c = *conv;
    Direction &fwd = c.dir[seg.src == c.lo ? 0 : 1];
    Direction &rev = c.dir[seg.src == c.lo ? 1 : 0];
    setBases(c, fwd, rev, seg);
    noteHandshake(c, time, seg);

    const std::uint32_t seq = seg.seq.raw() - fwd.base;
    const std::uint32_t ack = (seg.flags & kAck) ? seg.ack.raw() - rev.base : seg.ack.raw();
    const std::uint32_t seglen = seg.payloadLength;
    const std::uint16_t window = seg.window;
    const bool plain = (seg.flags & (kSyn | kFin | kRst)) == 0;

    [&] {
        if (seglen == 1 && seq == fwd.nextSeq && rev.window == 0) {
            a.flags |= analysis::kZeroWindowProbe;
            return;
        }
        if (window == 0 && plain) a.flags |= analysis::kZeroWindow;
        if (fwd.nextSeq && seqGt(seq, fwd.nextSeq) && !(seg.flags & kRst)) a.flags |= analysis::kLostSegment;
        if ((seglen == 0 || seglen == 1) && seq == fwd.nextSeq - 1 && plain) a.flags |= analysis::kKeepAlive;
        if (seglen == 0 && window && window != fwd.window && seq == fwd.nextSeq && ack == fwd.lastAck &&
            plain) {
            a.flags |= analysis::kWindowUpdate;
        }
        if (seglen > 0 && rev.winScale != -1 && plain) {
            const int shift = rev.windowFromSyn || rev.winScale < 0 ? 0 : rev.winScale;
            if (seq + seglen == rev.lastAck + (std::uint32_t(rev.window) << shift))
                a.flags |= analysis::kWindowFull;
        }
        const bool sameAck =
            seglen == 0 && window == fwd.window && seq == fwd.nextSeq && ack == fwd.lastAck && plain;
        if (sameAck && window && (rev.lastSegmentFlags & analysis::kKeepAlive)) {
            a.flags |= analysis::kKeepAliveAck;
            return;
        }
        if (sameAck && window == 0 && (rev.lastSegmentFlags & analysis::kZeroWindowProbe)) {
            a.flags |= analysis::kZeroWindowProbeAck;
            return;
        }
        if (sameAck && window) {
            ++fwd.dupAckNum;
            a.flags |= analysis::kDuplicateAck;
            a.dupAckNumber = fwd.dupAckNum;
            a.dupAckOf = fwd.lastNonDupAck;
        }
    }();
    if (ack != fwd.lastAck) { // a new ACK number restarts the duplicate count
        fwd.lastNonDupAck = frameNumber;
        fwd.dupAckNum = 0;
    }
    // An ACK for data never seen going the other way.
    if (rev.maxSeqToBeAcked && seqGt(ack, rev.maxSeqToBeAcked) && (seg.flags & kAck)) {
        a.flags |= analysis::kAckLostSegment;
        rev.maxSeqToBeAcked = rev.nextSeq; // said once per hole
    }
    checkRetransmission(a, c, fwd, rev, time, seq, seglen, seg.flags);
    update(fwd, a, time, seq, ack, seglen, seg);
    return a;
}

} // namespace tcplab

#include "rules/packet_edit.h"

#include "wire/tcp.h"

namespace tcplab {

namespace {

std::string payloadSummary(ByteView b) { return std::to_string(b.size()) + " bytes"; }

}  // namespace

ExprContext exprContextOf(ByteView ip, const TcpLocation &loc, const TcbSnapshot &tcb, Rng *rng)
{
    const std::uint8_t *t = ip.data() + loc.tcpOffset;
    ExprContext ctx;
    ctx.segSeq = loadBe32(t + 4);
    ctx.segAck = loadBe32(t + 8);
    ctx.segFlags = t[13];
    ctx.segWin = loadBe16(t + 14);
    // RFC 9293 section 3.4: SEG.LEN counts SYN and FIN.
    ctx.segLen = static_cast<std::uint32_t>(loc.payloadLength()) + ((t[13] & TcpFlags::kSyn) ? 1 : 0) +
                 ((t[13] & TcpFlags::kFin) ? 1 : 0);
    ctx.tcb = tcb.state == TcpState::None ? nullptr : &tcb;
    ctx.rng = rng;
    return ctx;
}

Status PacketEditor::setField(const SetFieldAction &a, FieldChanges &changes)
{
    const auto &info = packetFieldInfo(a.field);
    auto value = a.value.eval(ctx_);
    if (!value) return value.error();
    const auto before = readPacketField(ip_, loc_, a.field);
    if (!before) return Error{std::string(info.name) + " does not exist in an IPv" + std::to_string(loc_.ipVersion) + " packet"};
    if (!writePacketField(ip_, loc_, a.field, *value))
        return Error{"value " + std::to_string(*value) + " does not fit " + std::string(info.name) + " (" +
                     std::to_string(info.bits) + " bits)"};
    if (a.field == PacketField::TcpFlags)
        changes.emplace_back(info.name, TcpFlags(std::uint8_t(*before)).toString() + "→" + TcpFlags(std::uint8_t(*value)).toString());
    else
        changes.emplace_back(info.name, std::to_string(*before) + "→" + std::to_string(*value));
    return okStatus();
}

Status PacketEditor::flags(const FlagsAction &a, FieldChanges &changes)
{
    std::uint8_t &f = ip_[loc_.tcpOffset + 13];
    const std::uint8_t before = f;
    f = static_cast<std::uint8_t>((f | a.set) & ~a.clear);
    changes.emplace_back("tcp.flags", TcpFlags(before).toString() + "→" + TcpFlags(f).toString());
    return okStatus();
}

void applyOptionValues(const OptionValues &v, TcpOptions &o)
{
    if (v.mss) o.mss = v.mss;
    if (v.windowScale) o.windowScale = v.windowScale;
    if (v.sackPermitted) o.sackPermitted = *v.sackPermitted;
    if (v.timestamps) o.timestamps = TcpTimestamps{v.timestamps->first, v.timestamps->second};
    if (!v.sackBlocks.empty()) {
        o.sackCount = 0;
        for (const auto &[l, r] : v.sackBlocks) o.addSack({SeqNum(l), SeqNum(r)});
    }
}

Status PacketEditor::options(const OptionsAction &a, FieldChanges &changes)
{
    const std::size_t optStart = loc_.tcpOffset + TcpView::kMinHeaderLength;
    const std::size_t optLen = loc_.headerLength - TcpView::kMinHeaderLength;
    auto parsed = parseTcpOptions(ByteView(ip_).subspan(optStart, optLen));
    if (!parsed) return Error{"options not edited: " + parsed.error().message};
    TcpOptions o = a.removeAll ? TcpOptions{} : *parsed;
    for (OptionKind k : a.remove) {
        switch (k) {
        case OptionKind::Mss: o.mss.reset(); break;
        case OptionKind::WindowScale: o.windowScale.reset(); break;
        case OptionKind::SackPermitted: o.sackPermitted = false; break;
        case OptionKind::Sack: o.sackCount = 0; break;
        case OptionKind::Timestamps: o.timestamps.reset(); break;
        }
    }
    applyOptionValues(a.set, o);
    Bytes encoded;
    serializeOptions(encoded, o);
    resizeSegment(optStart, optLen, encoded);
    loc_.headerLength = TcpView::kMinHeaderLength + encoded.size();
    ip_[loc_.tcpOffset + 12] = static_cast<std::uint8_t>((ip_[loc_.tcpOffset + 12] & 0x0f) | (loc_.headerLength / 4) << 4);
    const std::string before = parsed->empty() ? "none" : parsed->toString();
    changes.emplace_back("tcp.options", before + "→" + (o.empty() ? "none" : o.toString()));
    return okStatus();
}

Status PacketEditor::payload(const PayloadAction &a, FieldChanges &changes)
{
    const std::size_t start = loc_.tcpOffset + loc_.headerLength;
    const std::size_t len = loc_.payloadLength();
    switch (a.mode) {
    case PayloadAction::Mode::Replace: resizeSegment(start, len, a.data); break;
    case PayloadAction::Mode::Truncate:
        if (a.length < len) resizeSegment(start + a.length, len - a.length, {});
        break;
    case PayloadAction::Mode::Append: resizeSegment(start + len, 0, a.data); break;
    }
    changes.emplace_back("tcp.payload", std::to_string(len) + " bytes→" +
                                            payloadSummary(ByteView(ip_).subspan(start, loc_.payloadLength())));
    return okStatus();
}

void PacketEditor::resizeSegment(std::size_t at, std::size_t removed, ByteView inserted)
{
    // Bytes past the TCP segment (link padding) are dropped; the IP length is rewritten later.
    ip_.resize(loc_.tcpOffset + loc_.tcpLength);
    ip_.erase(ip_.begin() + static_cast<std::ptrdiff_t>(at), ip_.begin() + static_cast<std::ptrdiff_t>(at + removed));
    ip_.insert(ip_.begin() + static_cast<std::ptrdiff_t>(at), inserted.begin(), inserted.end());
    loc_.tcpLength = loc_.tcpLength - removed + inserted.size();
}

Bytes buildCraftedPacket(const CraftedSegment &s)
{
    TcpHeader h;
    h.sourcePort = s.src.port;
    h.destinationPort = s.dst.port;
    h.seq = SeqNum(s.seq);
    h.ack = SeqNum(s.ack);
    h.flags = TcpFlags(s.flags);
    h.window = s.window;
    applyOptionValues(s.options, h.options);
    const Bytes tcp = serializeTcp(h, s.payload, s.src.addr, s.dst.addr);
    return buildIpPacket(s.src.addr, s.dst.addr, 64, tcp);
}

}  // namespace tcplab

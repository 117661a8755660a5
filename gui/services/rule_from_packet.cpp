#include "services/rule_from_packet.h"

#include "services/segment_summary.h"

namespace tcplab::gui {

std::optional<ScenarioRule> ruleFromPacket(const PacketStore &store, std::uint64_t index, PacketRuleKind kind,
                                           const std::vector<ScenarioHost> &hosts)
{
    if (index >= store.size()) return std::nullopt;
    const PacketView p = store.packet(index);
    const SegmentSummary s = summarizeFrame(p.bytes, p.originalLength);
    if (!s.isTcp) return std::nullopt;
    const bool bareSyn = (s.flags & (kSyn | kAck)) == kSyn;
    if (kind == PacketRuleKind::BareAckReply && !bareSyn) return std::nullopt;
    ScenarioRule r;
    InterfaceInfo info;
    if (const InterfaceInfo *i = store.interfaceFor(p.host, p.link, info)) r.host = i->name.substr(0, i->name.find('/'));
    const bool inbound = p.direction == Direction::Inbound;
    const IpAddr localAddr = inbound ? s.dst : s.src;
    for (const auto &h : hosts) {
        for (const auto &a : h.addresses)
            if (a.addr == localAddr) r.host = h.name;
    }
    r.rule.hook = inbound ? HookPoint::Ingress : HookPoint::Egress;
    Match &m = r.rule.match;
    m.flagsSet = s.flags;
    m.flagsClear = std::uint8_t(~s.flags);
    const std::uint16_t local = inbound ? s.dstPort : s.srcPort, remote = inbound ? s.srcPort : s.dstPort;
    m.localPort = PortRange{local, local};
    m.remotePort = PortRange{remote, remote};
    if (kind == PacketRuleKind::BareAckReply) {
        // RFC 9293 section 3.10.7.2: a SYN answered by a bare ACK whose number is not acceptable
        // makes the SYN-SENT peer send a RST (the syn-answered-by-ack lesson).
        r.rule.name = "syn-gets-bare-ack";
        ReplyAction reply;
        reply.flags = kAck;
        reply.seq = Expr::parse("seg.seq + 1").value();
        reply.ack = Expr::parse("seg.seq + seg.win - 1").value();
        reply.window = Expr::constant(224);
        r.rule.actions.push_back(reply);
    } else {
        r.rule.name = "from-packet-" + std::to_string(index + 1);
        r.rule.enabled = false;  // ready for an action: nothing changes until the user enables it
        r.rule.actions.push_back(DropAction{});
    }
    return r;
}

}  // namespace tcplab::gui

#include "capture/flow_text.h"

#include <cstdio>
#include <map>

#include "capture/tcp_segment.h"

namespace tcplab {

namespace {

std::string fmt(const char *format, auto... args)
{
    char buf[256];
    std::snprintf(buf, sizeof buf, format, args...);
    return buf;
}

std::uint16_t linkTypeOf(const PacketStore &store, const PacketView &p)
{
    InterfaceInfo info;
    return store.interfaceFor(p.host, p.link, info) ? info.linkType : linktype::kEthernet;
}

} // namespace

std::string sessionHeading(const SessionSummary &s)
{
    std::string h = fmt("Session %llu: %s ⇄ %s", static_cast<unsigned long long>(s.id),
                        s.initiator.toString().c_str(), s.responder.toString().c_str());
    h += fmt("\n  → %llu frames, %llu bytes   ← %llu frames, %llu bytes   %.6f s",
             static_cast<unsigned long long>(s.packetsFromInitiator),
             static_cast<unsigned long long>(s.bytesFromInitiator),
             static_cast<unsigned long long>(s.packetsFromResponder),
             static_cast<unsigned long long>(s.bytesFromResponder), nanosOf(s.last - s.first) / 1e9);
    if (!s.statesReached.empty()) {
        h += "\n  states:";
        for (const auto &st : s.statesReached)
            h += " " + st;
    }
    if (!s.ruleHits.empty()) {
        h += "\n  rules:";
        for (const auto &[rule, n] : s.ruleHits)
            h += fmt(" %s×%llu", rule.c_str(), static_cast<unsigned long long>(n));
    }
    return h;
}

std::string renderSessionFlow(const PacketStore &store, const SessionSummary &s,
                              const FlowTextOptions &options)
{
    std::string out = sessionHeading(s) + "\n";
    const SessionIndexView idx = store.sessionPackets(s.id);
    // Relative numbers per direction, like Wireshark: 0 at the SYN, else 1 at the first segment.
    std::map<bool, std::uint32_t> base;
    bool multiHost = false;
    for (std::uint64_t k = 1; k < idx.size() && !multiHost; ++k)
        multiHost = store.packet(idx[k]).host != store.packet(idx[0]).host;
    const std::uint64_t n = options.maxFramesPerSession
                                ? std::min<std::uint64_t>(idx.size(), options.maxFramesPerSession)
                                : idx.size();
    for (std::uint64_t k = 0; k < n; ++k) {
        const PacketView p = store.packet(idx[k]);
        const auto seg = tcpSegmentOf(p.bytes, linkTypeOf(store, p), p.originalLength);
        if (!seg) continue;
        const bool fwd = seg->src == s.initiator;
        if (!base.count(fwd)) base[fwd] = (seg->flags & 0x02) ? seg->seq.raw() : seg->seq.raw() - 1;
        if (!base.count(!fwd) && (seg->flags & 0x10)) base[!fwd] = seg->ack.raw() - 1;
        const std::uint32_t rseq = seg->seq.raw() - base[fwd];
        const std::uint32_t rack = (seg->flags & 0x10) ? seg->ack.raw() - base[!fwd] : 0;
        std::string line = fmt("%6llu %11.6f ", static_cast<unsigned long long>(p.index + 1),
                               nanosOf(p.time - s.first) / 1e9);
        if (multiHost) line += fmt("h%u%s ", p.host, p.direction == Direction::Inbound ? "<" : ">");
        line += fwd ? "──▶ " : "◀── ";
        line +=
            fmt("%-16s seq=%-10u ack=%-10u len=%-5u win=%-5u", ("[" + tcpFlagsText(seg->flags) + "]").c_str(),
                rseq, rack, seg->payloadLength, seg->window);
        if (p.fate != FrameFate::Delivered)
            line += " {" +
                    std::string(p.fate == FrameFate::LostOnWire       ? "lost"
                                : p.fate == FrameFate::Malformed      ? "malformed"
                                : p.fate == FrameFate::ConsumedByRule ? "consumed by rule"
                                                                      : "dropped by rule") +
                    "}";
        for (const Annotation *a = p.firstNote; a; a = a->nextNote())
            if (a->kind == AnnotationKind::Analysis) line += " [" + a->text + "]";
        out += line + "\n";
        if (!options.annotations) continue;
        for (const Annotation *a = p.firstNote; a; a = a->nextNote())
            if (a->kind != AnnotationKind::Analysis)
                out +=
                    "                    " + std::string(annotationKindName(a->kind)) + ": " + a->text + "\n";
    }
    if (n < idx.size())
        out += fmt("  ... %llu more frames\n", static_cast<unsigned long long>(idx.size() - n));
    return out;
}

std::string renderAllFlows(const PacketStore &store, const FlowTracker &flows, const FlowTextOptions &options)
{
    std::string out;
    for (const auto &s : flows.sessions())
        out += renderSessionFlow(store, s, options) + "\n";
    std::uint64_t other = 0;
    const std::uint64_t n = store.size();
    for (std::uint64_t i = 0; i < n; ++i)
        if (store.packet(i).session == kNoSession) ++other;
    out += fmt("%llu sessions, %llu frames, %llu frames outside any TCP session\n",
               static_cast<unsigned long long>(flows.sessionCount()), static_cast<unsigned long long>(n),
               static_cast<unsigned long long>(other));
    return out;
}

} // namespace tcplab

// Records every TCP segment that crosses a host interface in a scenario run, as values, so tests
// can assert the exchange a scenario promises (who sent which flags, seq/ack/window, when).
#pragma once

#ifdef emit
#endif

#include <string>
#include <vector>

#include "capture/frame_sink.h"
#include "rules/packet_fields.h"
#include "scenario/scenario_run.h"
#include "wire/tcp.h"

namespace tcplab::test {

struct TracedSegment {
    Instant time{};
    HostId host = kNoHost;  // the host whose interface it crossed
    bool outbound = false;
    FrameFate fate = FrameFate::Delivered;
    std::uint16_t srcPort = 0, dstPort = 0;
    std::uint32_t seq = 0, ack = 0;
    std::uint8_t flags = 0;
    std::uint16_t window = 0;
    std::size_t headerLength = 0, payload = 0;
};

class SegmentTrace final : public FrameSink {
public:
    std::vector<TracedSegment> segments;
    std::uint64_t onFrame(const FrameInfo &info, ByteView frame) override
    {
        if (frame.size() < 14) return Event::kNoPacket;
        const std::uint16_t type = loadBe16(frame.data() + 12);
        if (type != 0x0800 && type != 0x86dd) return Event::kNoPacket;
        const ByteView ip = frame.subspan(14);
        const auto loc = locateTcp(ip);
        if (!loc) return Event::kNoPacket;
        const std::uint8_t *t = ip.data() + loc->tcpOffset;
        TracedSegment s;
        s.time = info.time;
        s.host = info.host;
        s.outbound = info.direction == Direction::Outbound;
        s.fate = info.fate;
        s.srcPort = loadBe16(t);
        s.dstPort = loadBe16(t + 2);
        s.seq = loadBe32(t + 4);
        s.ack = loadBe32(t + 8);
        s.flags = t[13];
        s.window = loadBe16(t + 14);
        s.headerLength = loc->headerLength;
        s.payload = loc->payloadLength();
        segments.push_back(s);
        return segments.size() - 1;
    }
    void annotate(std::uint64_t, const Event &) override {}
    void setFate(std::uint64_t index, FrameFate fate) override
    {
        if (index < segments.size()) segments[index].fate = fate;
    }
    // Segments sent by `host` (outbound records; dropped-at-egress included unless only delivered).
    std::vector<TracedSegment> sentBy(HostId host, bool deliveredOnly = true) const
    {
        std::vector<TracedSegment> out;
        for (const auto &s : segments)
            if (s.host == host && s.outbound && (!deliveredOnly || s.fate == FrameFate::Delivered)) out.push_back(s);
        return out;
    }
    std::vector<TracedSegment> receivedBy(HostId host) const
    {
        std::vector<TracedSegment> out;
        for (const auto &s : segments)
            if (s.host == host && !s.outbound) out.push_back(s);
        return out;
    }
};

// Collects events (rule hits, state changes, errors) from a lab.
struct EventLog final : EventSink {
    std::vector<Event> events;
    void onEvent(const Event &e) override { events.push_back(e); }
    std::size_t count(EventKind kind, const std::string &name = {}) const
    {
        std::size_t n = 0;
        for (const auto &e : events) n += e.kind == kind && (name.empty() || e.name == name);
        return n;
    }
};

inline bool only(std::uint8_t flags, std::uint8_t expected) { return flags == expected; }

}  // namespace tcplab::test

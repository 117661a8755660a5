// Shared helpers for stack tests: run a Lab in virtual time, collect events and recorded frames.
#pragma once

#include <algorithm>
#include <string>
#include <vector>

#include "capture/frame_sink.h"
#include "core/event.h"
#include "host/lab.h"

namespace tcplab::testing {

// Runs every deadline up to and including `until`, then leaves the lab at `until`.
inline void runUntil(Lab &lab, Instant until)
{
    for (int guard = 0; guard < 1000000; ++guard) {
        const Instant next = lab.pollAt();
        if (next > until) break;
        lab.poll(next);
    }
    lab.poll(until);
}

struct EventLog final : EventSink {
    std::vector<Event> events;
    void onEvent(const Event &e) override { events.push_back(e); }
    std::size_t count(EventKind kind, const std::string &name) const
    {
        return static_cast<std::size_t>(std::count_if(events.begin(), events.end(), [&](const Event &e) {
            return e.kind == kind && e.name == name;
        }));
    }
};

// Keeps what a Recorder would: every frame with its fate.
struct FrameLog final : FrameSink {
    struct Record {
        FrameInfo info;
        Bytes bytes;
    };
    std::vector<Record> frames;
    std::uint64_t onFrame(const FrameInfo &info, ByteView frame) override
    {
        frames.push_back({info, Bytes(frame.begin(), frame.end())});
        return frames.size() - 1;
    }
    void annotate(std::uint64_t, const Event &) override {}
    void setFate(std::uint64_t index, FrameFate fate) override { frames.at(index).info.fate = fate; }
    std::size_t count(HostId host, Direction dir, FrameFate fate) const
    {
        return static_cast<std::size_t>(std::count_if(frames.begin(), frames.end(), [&](const Record &r) {
            return r.info.host == host && r.info.direction == dir && r.info.fate == fate;
        }));
    }
};

inline IpAddr ip(const char *text) { return *IpAddr::parse(text); }

}  // namespace tcplab::testing

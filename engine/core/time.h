// Virtual time for the engine. Nothing in engine/ reads a clock: the caller passes `now` in and
// gets the next deadline back, so every behaviour runs the same in virtual time, slow motion or
// real time.
#pragma once

#include <chrono>
#include <cstdint>

namespace tcplab {

using Duration = std::chrono::nanoseconds;

// A clock with no now(): its time points only come from whoever drives the engine.
struct LabClock {
    using rep = std::int64_t;
    using period = std::nano;
    using duration = Duration;
    using time_point = std::chrono::time_point<LabClock, Duration>;
    static constexpr bool is_steady = true;
};

using Instant = LabClock::time_point;

// "No deadline": what poll() returns when nothing is pending.
inline constexpr Instant kNever = Instant::max();

inline constexpr Instant instantFromNanos(std::int64_t ns) { return Instant(Duration(ns)); }
inline constexpr std::int64_t nanosOf(Instant t) { return t.time_since_epoch().count(); }
inline constexpr std::int64_t nanosOf(Duration d) { return d.count(); }

using std::chrono_literals::operator""ms;
using std::chrono_literals::operator""us;
using std::chrono_literals::operator""ns;
using std::chrono_literals::operator""s;

}  // namespace tcplab

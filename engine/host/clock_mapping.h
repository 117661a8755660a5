// Maps a real clock to lab time. Real time is a parameter (EngineHost reads steady_clock and
// passes it in), so the mapping itself is plain arithmetic and testable.
//
//   lab(real) = labBase + (real - realBase) * speed      while running
//   lab(real) = labBase                                  while paused
//
// Every change (speed, pause, resume, jump) rebases at the current instant, so lab time is
// continuous and never goes backwards. Real-time mode is speed 1, never paused; the demo
// network's classroom mode uses speed 0.01..1, pause and step (jumpTo the next deadline).
#pragma once

#include <chrono>

#include "core/time.h"

namespace tcplab {

class ClockMapping {
public:
    using RealTime = std::chrono::steady_clock::time_point;

    ClockMapping() = default;
    ClockMapping(RealTime realBase, Instant labBase) : realBase_(realBase), labBase_(labBase) {}

    Instant labAt(RealTime real) const;
    // The real instant at which lab time reaches `lab` (RealTime::max() when paused or never).
    RealTime realAt(Instant lab) const;

    bool paused() const { return paused_; }
    double speed() const { return speed_; }
    void pause(RealTime now);
    void resume(RealTime now);
    // speed > 0; values are clamped to [0.001, 1000].
    void setSpeed(RealTime now, double speed);
    // Moves lab time forward to `lab` (never backwards), keeping the paused state.
    void jumpTo(RealTime now, Instant lab);

private:
    void rebase(RealTime now);

    RealTime realBase_{};
    Instant labBase_{};
    double speed_ = 1.0;
    bool paused_ = false;
};

}  // namespace tcplab

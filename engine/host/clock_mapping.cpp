#include "host/clock_mapping.h"

#include <algorithm>
#include <cmath>

namespace tcplab {

Instant ClockMapping::labAt(RealTime real) const
{
    if (paused_ || real <= realBase_) return labBase_;
    const auto elapsed = std::chrono::duration_cast<Duration>(real - realBase_).count();
    if (speed_ == 1.0) return labBase_ + Duration(elapsed);
    return labBase_ + Duration(static_cast<std::int64_t>(std::llround(static_cast<double>(elapsed) * speed_)));
}

ClockMapping::RealTime ClockMapping::realAt(Instant lab) const
{
    if (paused_ || lab == kNever) return RealTime::max();
    if (lab <= labBase_) return realBase_;
    const auto ahead = (lab - labBase_).count();
    const double realNs = std::ceil(static_cast<double>(ahead) / speed_);
    if (realNs > 9.0e18) return RealTime::max();
    return realBase_ + std::chrono::duration_cast<RealTime::duration>(Duration(static_cast<std::int64_t>(realNs)));
}

void ClockMapping::rebase(RealTime now)
{
    labBase_ = labAt(now);
    realBase_ = now;
}

void ClockMapping::pause(RealTime now)
{
    rebase(now);
    paused_ = true;
}

void ClockMapping::resume(RealTime now)
{
    rebase(now);
    paused_ = false;
}

void ClockMapping::setSpeed(RealTime now, double speed)
{
    rebase(now);
    speed_ = std::clamp(speed, 0.001, 1000.0);
}

void ClockMapping::jumpTo(RealTime now, Instant lab)
{
    rebase(now);
    labBase_ = std::max(labBase_, lab);
}

}  // namespace tcplab

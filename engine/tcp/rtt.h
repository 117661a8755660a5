// The retransmission timer's estimate (RFC 6298).
#pragma once

#include <algorithm>

#include "core/time.h"

namespace tcplab {

struct RtoLimits {
    Duration initial = 1s;  // RFC 6298 section 2.1: "sets RTO <- 1 second"
    Duration min = 200ms;   // RFC 6298 (2.4) says 1 s; Linux uses 200 ms, and so do we by default
    Duration max = 60s;     // (2.5) "A maximum value MAY be placed on RTO provided it is at least 60 seconds"
};

class RttEstimator {
public:
    explicit RttEstimator(RtoLimits limits = {}) : limits_(limits), rto_(limits.initial) {}

    // RFC 6298 section 2.2 (first measurement) and 2.3 (subsequent ones), alpha = 1/8, beta = 1/4.
    void sample(Duration r)
    {
        if (r < Duration(0)) return;
        if (!hasSample_) {
            // "SRTT <- R, RTTVAR <- R/2, RTO <- SRTT + max (G, K*RTTVAR) where K = 4."
            srtt_ = r;
            rttvar_ = r / 2;
            hasSample_ = true;
        } else {
            // "RTTVAR <- (1 - beta) * RTTVAR + beta * |SRTT - R'|; SRTT <- (1 - alpha) * SRTT + alpha * R'"
            const Duration diff = srtt_ > r ? srtt_ - r : r - srtt_;
            rttvar_ = (rttvar_ * 3 + diff) / 4;
            srtt_ = (srtt_ * 7 + r) / 8;
        }
        backoff_ = 0;
        rto_ = clamp(srtt_ + std::max<Duration>(kGranularity, rttvar_ * 4));
    }
    // (5.5) "The host MUST set RTO <- RTO * 2 ("back off the timer")".
    void backOff()
    {
        ++backoff_;
        rto_ = clamp(rto_ * 2);
    }

    Duration rto() const { return rto_; }
    Duration srtt() const { return srtt_; }
    Duration rttvar() const { return rttvar_; }
    bool hasSample() const { return hasSample_; }
    int backoffs() const { return backoff_; }
    const RtoLimits &limits() const { return limits_; }
    void setLimits(RtoLimits l)
    {
        limits_ = l;
        rto_ = clamp(rto_);
    }

private:
    static constexpr Duration kGranularity = 1ms;
    Duration clamp(Duration d) const { return std::clamp(d, limits_.min, limits_.max); }
    RtoLimits limits_;
    Duration srtt_{0}, rttvar_{0};
    Duration rto_;
    bool hasSample_ = false;
    int backoff_ = 0;
};

}  // namespace tcplab

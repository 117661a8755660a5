#include "tcp/congestion.h"

#include <algorithm>
#include <cmath>

namespace tcplab {

namespace {

// RFC 5681 section 3.1 equation (4): "ssthresh = max (FlightSize / 2, 2*SMSS)".
std::uint32_t halfFlight(std::uint32_t flight, std::uint32_t mss) { return std::max(flight / 2, 2 * mss); }

class NewReno final : public CongestionControl {
public:
    std::string_view name() const override { return "newreno"; }
    void onAck(Instant, std::uint32_t acked, Duration) override
    {
        if (cwnd_ < ssthresh_) {
            // Slow start (RFC 5681 section 3.1): "cwnd += min (N, SMSS)" per ACK (RFC 3465 L=1
            // would be stricter; byte counting with L=2*SMSS is allowed by RFC 3465).
            cwnd_ += std::min(acked, 2 * mss_);
        } else {
            // Congestion avoidance: "cwnd += SMSS*SMSS/cwnd" per ACK, accumulated by bytes.
            bytesAcked_ += acked;
            if (bytesAcked_ >= cwnd_) {
                bytesAcked_ -= cwnd_;
                cwnd_ += mss_;
            }
        }
    }
    void onLoss(Instant, std::uint32_t flight) override
    {
        ssthresh_ = halfFlight(flight, mss_);
        cwnd_ = ssthresh_;
        bytesAcked_ = 0;
    }
    void onRecoveryExit(Instant, std::uint32_t flight) override
    {
        cwnd_ = std::max(std::min(ssthresh_, flight + mss_), 2 * mss_);
    }
    void onRto(Instant, std::uint32_t flight) override
    {
        ssthresh_ = halfFlight(flight, mss_);
        cwnd_ = mss_;
        bytesAcked_ = 0;
    }

private:
    std::uint32_t bytesAcked_ = 0;
};

// RFC 9438. Window sizes are in segments in the RFC's formulas; we keep bytes and convert.
class Cubic final : public CongestionControl {
public:
    std::string_view name() const override { return "cubic"; }
    void onAck(Instant now, std::uint32_t acked, Duration srtt) override
    {
        if (cwnd_ < ssthresh_) {
            cwnd_ += std::min(acked, 2 * mss_);
            return;
        }
        if (!epochStarted_) {
            // Section 4.2: a congestion avoidance epoch starts with the first ACK after the window
            // reduction, or here at the first one ever.
            epochStarted_ = true;
            epochStart_ = now;
            if (wMax_ < segs(cwnd_)) {
                k_ = 0;
                wMax_ = segs(cwnd_);
            } else {
                // Figure 2: "K = cubic_root((W_max - cwnd_epoch) / C)"
                k_ = std::cbrt((wMax_ - segs(cwnd_)) / kC);
            }
            wEst_ = segs(cwnd_);
        }
        const double t = std::chrono::duration<double>(now - epochStart_).count();
        const double rtt = std::chrono::duration<double>(srtt).count();
        // Figure 1: "W_cubic(t) = C * (t - K)^3 + W_max", evaluated one RTT ahead (section 4.2).
        const double target = kC * std::pow(t + rtt - k_, 3) + wMax_;
        // Section 4.3, the Reno-friendly estimate: "W_est = W_est + alpha_cubic * segments_acked / cwnd".
        wEst_ += kAlphaCubic * (double(acked) / mss_) / segs(cwnd_);
        double next = std::max(target, wEst_);
        // Section 4.2: "target ... MUST be limited to 1.5 * cwnd".
        next = std::min(next, 1.5 * segs(cwnd_));
        if (next > segs(cwnd_)) {
            // "cwnd MUST be incremented by (target - cwnd)/cwnd for each received new ACK"
            increment_ += (next - segs(cwnd_)) / segs(cwnd_) * (double(acked) / mss_);
            if (increment_ >= 1.0) {
                const auto whole = static_cast<std::uint32_t>(increment_);
                cwnd_ += whole * mss_;
                increment_ -= whole;
            }
        }
    }
    void onLoss(Instant, std::uint32_t flight) override { reduce(flight); }
    void onRecoveryExit(Instant, std::uint32_t flight) override
    {
        cwnd_ = std::max(std::min(ssthresh_, flight + mss_), 2 * mss_);
    }
    void onRto(Instant, std::uint32_t flight) override
    {
        reduce(flight);
        cwnd_ = mss_;
    }

private:
    static constexpr double kC = 0.4;         // section 5: "C SHOULD be set to 0.4"
    static constexpr double kBeta = 0.7;      // section 4.6: "beta_cubic SHOULD be set to 0.7"
    static constexpr double kAlphaCubic = 3 * (1 - kBeta) / (1 + kBeta);
    double segs(std::uint32_t bytes) const { return double(bytes) / mss_; }
    void reduce(std::uint32_t flight)
    {
        const double w = segs(std::max(cwnd_, std::min(flight, cwnd_)));
        // Section 4.7, fast convergence: "W_max = cwnd * (1 + beta_cubic) / 2" when W_max fell.
        wMax_ = w < wMax_ ? w * (1 + kBeta) / 2 : w;
        // Section 4.6: "ssthresh = flight_size * beta_cubic", at least 2 segments.
        ssthresh_ = std::max(static_cast<std::uint32_t>(flight * kBeta), 2 * mss_);
        cwnd_ = ssthresh_;
        epochStarted_ = false;
        increment_ = 0;
    }
    bool epochStarted_ = false;
    Instant epochStart_{};
    double wMax_ = 0, k_ = 0, wEst_ = 0, increment_ = 0;
};

}  // namespace

std::string_view congestionAlgorithmName(CongestionAlgorithm a)
{
    return a == CongestionAlgorithm::Cubic ? "cubic" : "newreno";
}

bool congestionAlgorithmFromName(std::string_view name, CongestionAlgorithm &out)
{
    if (name == "newreno" || name == "reno") out = CongestionAlgorithm::NewReno;
    else if (name == "cubic") out = CongestionAlgorithm::Cubic;
    else return false;
    return true;
}

std::unique_ptr<CongestionControl> makeCongestionControl(CongestionAlgorithm a, std::uint32_t mss)
{
    std::unique_ptr<CongestionControl> cc;
    if (a == CongestionAlgorithm::Cubic) cc = std::make_unique<Cubic>();
    else cc = std::make_unique<NewReno>();
    cc->setMss(mss);
    // RFC 6928 section 2: "min (10*MSS, max (2*MSS, 14600))".
    cc->setCwnd(std::min(10 * mss, std::max(2 * mss, 14600u)));
    return cc;
}

}  // namespace tcplab

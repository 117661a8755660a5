// Congestion control behind one interface: NewReno (RFC 5681, RFC 6582) and CUBIC (RFC 9438).
// The connection owns loss detection and recovery; an algorithm only decides cwnd and ssthresh.
#pragma once

#include <cstdint>
#include <memory>
#include <string_view>

#include "core/time.h"

namespace tcplab {

enum class CongestionAlgorithm : std::uint8_t { NewReno, Cubic };
std::string_view congestionAlgorithmName(CongestionAlgorithm a);  // "newreno", "cubic"
bool congestionAlgorithmFromName(std::string_view name, CongestionAlgorithm &out);

class CongestionControl {
public:
    virtual ~CongestionControl() = default;
    virtual std::string_view name() const = 0;
    // New data acknowledged outside recovery.
    virtual void onAck(Instant now, std::uint32_t ackedBytes, Duration srtt) = 0;
    // Loss detected by duplicate ACKs / SACK: entering fast recovery. Sets ssthresh.
    virtual void onLoss(Instant now, std::uint32_t flightSize) = 0;
    // Recovery finished (full ACK): RFC 6582 section 3.2 step 3, "Set cwnd to min (ssthresh, FlightSize + SMSS)".
    virtual void onRecoveryExit(Instant now, std::uint32_t flightSize) = 0;
    // Retransmission timeout: RFC 5681 section 3.1 equation (4) and "cwnd = 1 full-sized segment".
    virtual void onRto(Instant now, std::uint32_t flightSize) = 0;

    std::uint32_t cwnd() const { return cwnd_; }
    std::uint32_t ssthresh() const { return ssthresh_; }
    void setCwnd(std::uint32_t c) { cwnd_ = c; }
    void setMss(std::uint32_t mss) { mss_ = mss; }
    std::uint32_t mss() const { return mss_; }

protected:
    std::uint32_t mss_ = 536;
    std::uint32_t cwnd_ = 0;
    std::uint32_t ssthresh_ = 0x7fffffff;  // RFC 5681: "arbitrarily high"
};

// RFC 5681 section 3.1 (3): "IW = min (10*MSS, max (2*MSS, 14600))" is RFC 6928's initial window,
// which is what peers today expect.
std::unique_ptr<CongestionControl> makeCongestionControl(CongestionAlgorithm a, std::uint32_t mss);

}  // namespace tcplab

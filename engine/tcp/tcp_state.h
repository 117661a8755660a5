// The eleven RFC 9293 states (section 3.3.2), plus NONE for "no TCB" (what a rule sees when a
// segment matches no connection), and a read-only snapshot of a TCB for rules and views.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

#include "wire/addresses.h"
#include "wire/seq.h"

namespace tcplab {

enum class TcpState : std::uint8_t {
    None,  // no TCB: the segment matched no connection and no listener
    Closed,
    Listen,
    SynSent,
    SynReceived,
    Established,
    FinWait1,
    FinWait2,
    CloseWait,
    Closing,
    LastAck,
    TimeWait,
};
inline constexpr int kTcpStateCount = 12;

// RFC spelling: "SYN-RECEIVED", "TIME-WAIT", ... and "NONE".
std::string_view tcpStateName(TcpState s);
// Accepts the RFC spelling, case-insensitively, with '-' or '_' ("syn_received").
std::optional<TcpState> tcpStateFromName(std::string_view name);

// A set of states as bit flags, so that membership is one test.
class TcpStateSet {
public:
    constexpr TcpStateSet() = default;
    constexpr TcpStateSet(std::initializer_list<TcpState> states)
    {
        for (auto s : states) insert(s);
    }
    constexpr void insert(TcpState s) { bits_ |= bit(s); }
    constexpr bool contains(TcpState s) const { return bits_ & bit(s); }
    constexpr bool empty() const { return bits_ == 0; }
    constexpr std::uint16_t bits() const { return bits_; }
    constexpr bool operator==(const TcpStateSet &) const = default;

private:
    static constexpr std::uint16_t bit(TcpState s) { return std::uint16_t(1u << static_cast<unsigned>(s)); }
    std::uint16_t bits_ = 0;
};

// What a rule expression (tcb.snd_nxt, ...) and a view may read of a connection.
struct TcbSnapshot {
    TcpState state = TcpState::None;
    Endpoint local;
    Endpoint remote;
    SeqNum iss, irs;
    SeqNum sndUna, sndNxt;
    std::uint32_t sndWnd = 0;
    SeqNum rcvNxt;
    std::uint32_t rcvWnd = 0;
    std::uint32_t cwnd = 0, ssthresh = 0;
    std::int64_t srttNs = 0, rtoNs = 0;
    std::uint32_t retransmits = 0;
};

}  // namespace tcplab

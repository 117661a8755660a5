// Wireshark-style TCP analysis of any packet sequence seen at one capture point: the labels users
// know from Wireshark's Info column ("TCP Retransmission", "TCP Dup ACK 5#1", ...), computed by the
// same rules (per direction: highest sequence seen, last ACK and window, duplicate-ACK count), so
// that an imported capture shows the labels Wireshark would show. The engine's own facts (the TCP
// layer knows when it retransmits) are added by the Recorder; this file only looks at packets.
#pragma once

#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

#include "capture/tcp_segment.h"
#include "core/time.h"

namespace tcplab {

// One bit per label, named after Wireshark's tcp.analysis.* fields.
namespace analysis {
inline constexpr std::uint32_t kRetransmission = 1u << 0;         // tcp.analysis.retransmission
inline constexpr std::uint32_t kFastRetransmission = 1u << 1;     // tcp.analysis.fast_retransmission
inline constexpr std::uint32_t kSpuriousRetransmission = 1u << 2; // tcp.analysis.spurious_retransmission
inline constexpr std::uint32_t kOutOfOrder = 1u << 3;             // tcp.analysis.out_of_order
inline constexpr std::uint32_t kLostSegment = 1u << 4;            // tcp.analysis.lost_segment
inline constexpr std::uint32_t kAckLostSegment = 1u << 5;         // tcp.analysis.ack_lost_segment
inline constexpr std::uint32_t kDuplicateAck = 1u << 6;           // tcp.analysis.duplicate_ack
inline constexpr std::uint32_t kZeroWindow = 1u << 7;             // tcp.analysis.zero_window
inline constexpr std::uint32_t kZeroWindowProbe = 1u << 8;        // tcp.analysis.zero_window_probe
inline constexpr std::uint32_t kZeroWindowProbeAck = 1u << 9;     // tcp.analysis.zero_window_probe_ack
inline constexpr std::uint32_t kWindowFull = 1u << 10;            // tcp.analysis.window_full
inline constexpr std::uint32_t kWindowUpdate = 1u << 11;          // tcp.analysis.window_update
inline constexpr std::uint32_t kKeepAlive = 1u << 12;             // tcp.analysis.keep_alive
inline constexpr std::uint32_t kKeepAliveAck = 1u << 13;          // tcp.analysis.keep_alive_ack
inline constexpr std::uint32_t kReusedPorts = 1u << 14;           // tcp.analysis.reused_ports
inline constexpr int kCount = 15;
} // namespace analysis

struct TcpAnalysis {
    std::uint32_t flags = 0;
    std::uint32_t dupAckNumber = 0; // n in "Dup ACK f#n"
    std::uint64_t dupAckOf = 0;     // f: frame number of the ACK being duplicated
    bool any() const { return flags != 0; }
};

// "retransmission", "duplicate_ack", ... (the tcp.analysis.* field suffix) for bit i.
const char *analysisFieldName(std::uint32_t bit);
// Labels as Wireshark prints them, in Wireshark's order ("TCP Dup ACK 5#1", "TCP ZeroWindow").
std::vector<std::string> analysisLabels(const TcpAnalysis &a);
// Bits named by a label ("TCP Dup ACK 5#1" -> kDuplicateAck), 0 for text that is no label.
std::uint32_t analysisBitOfLabel(const std::string &label);

// Analysis state for every conversation seen at one capture point. Feed frames in capture order.
class TcpAnalyzer {
public:
    TcpAnalyzer() = default;
    // Not copyable: it keeps a pointer into its own map (moving keeps the map's nodes, and so it).
    TcpAnalyzer(const TcpAnalyzer &) = delete;
    TcpAnalyzer &operator=(const TcpAnalyzer &) = delete;
    TcpAnalyzer(TcpAnalyzer &&) = default;
    TcpAnalyzer &operator=(TcpAnalyzer &&) = default;

    // `frameNumber` is what a Dup ACK label will cite for this frame (1-based, like Wireshark).
    TcpAnalysis analyze(Instant time, const TcpSegmentFacts &seg, std::uint64_t frameNumber);

private:
    struct Direction {
        bool baseSet = false;
        std::uint32_t base = 0;
        std::uint32_t nextSeq = 0; // relative; 0 = nothing seen yet (as in Wireshark)
        Instant nextSeqTime{};
        std::uint32_t maxSeqToBeAcked = 0;
        std::uint32_t lastAck = 0;
        Instant lastAckTime{};
        std::uint64_t lastNonDupAck = 0;
        std::uint32_t dupAckNum = 0;
        std::uint16_t window = 0;
        bool windowFromSyn = false;
        int winScale = -1; // -1 unknown (no SYN seen), -2 no scaling, else the shift
        std::uint32_t lastSegmentFlags = 0;
    };
    struct Conversation {
        Endpoint lo; // direction 0 is traffic from lo
        Direction dir[2];
        bool haveSynTime = false, haveSynAck = false;
        Instant synTime{};
        Duration firstRtt{0};
    };
    struct Key {
        Endpoint lo, hi;
        bool operator==(const Key &) const = default;
    };
    struct KeyHash {
        std::size_t operator()(const Key &k) const noexcept;
    };

    static void setBases(Conversation &c, Direction &fwd, Direction &rev, const TcpSegmentFacts &seg);
    static void noteHandshake(Conversation &c, Instant time, const TcpSegmentFacts &seg);
    static void checkRetransmission(TcpAnalysis &a, const Conversation &c, const Direction &fwd,
                                    const Direction &rev, Instant time, std::uint32_t seq,
                                    std::uint32_t seglen, std::uint8_t flags);
    static void update(Direction &fwd, const TcpAnalysis &a, Instant time, std::uint32_t seq,
                       std::uint32_t ack, std::uint32_t seglen, const TcpSegmentFacts &seg);

    std::unordered_map<Key, Conversation, KeyHash> conversations_;
    Key lastKey_;
    Conversation *last_ = nullptr; // the conversation of lastKey_, or nullptr
};

} // namespace tcplab

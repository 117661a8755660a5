// TCP header (RFC 9293 section 3.1) and options (RFC 9293 section 3.2, RFC 7323, RFC 2018): a
// checked view over received bytes, a value type for the stack's own logic, and the builder that
// fills the checksum over the IPv4/IPv6 pseudo-header.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/bytes.h"
#include "core/expected.h"
#include "wire/addresses.h"
#include "wire/seq.h"

namespace tcplab {

// The control bits (RFC 9293 section 3.1, RFC 3168 for ECE/CWR), in wire bit order.
struct TcpFlags {
    static constexpr std::uint8_t kFin = 0x01;
    static constexpr std::uint8_t kSyn = 0x02;
    static constexpr std::uint8_t kRst = 0x04;
    static constexpr std::uint8_t kPsh = 0x08;
    static constexpr std::uint8_t kAck = 0x10;
    static constexpr std::uint8_t kUrg = 0x20;
    static constexpr std::uint8_t kEce = 0x40;
    static constexpr std::uint8_t kCwr = 0x80;

    std::uint8_t bits = 0;

    constexpr TcpFlags() = default;
    constexpr explicit TcpFlags(std::uint8_t b) : bits(b) {}

    constexpr bool fin() const { return bits & kFin; }
    constexpr bool syn() const { return bits & kSyn; }
    constexpr bool rst() const { return bits & kRst; }
    constexpr bool psh() const { return bits & kPsh; }
    constexpr bool ack() const { return bits & kAck; }
    constexpr bool urg() const { return bits & kUrg; }
    constexpr bool ece() const { return bits & kEce; }
    constexpr bool cwr() const { return bits & kCwr; }
    constexpr bool has(std::uint8_t mask) const { return (bits & mask) == mask; }
    constexpr TcpFlags &set(std::uint8_t mask, bool on = true)
    {
        bits = on ? std::uint8_t(bits | mask) : std::uint8_t(bits & ~mask);
        return *this;
    }
    constexpr bool operator==(const TcpFlags &) const = default;

    // Wireshark's spelling: "SYN, ACK", "FIN, PSH, ACK", "<None>" when no bit is set. The order is
    // Wireshark's (CWR ECE URG ACK PSH RST SYN FIN reversed to the familiar reading order).
    std::string toString() const;
    // Parses "SYN, ACK", "syn|ack", "S." (tcpdump letters S F R P . U E W), "0x12".
    static std::optional<TcpFlags> parse(std::string_view text);
};

// Option kinds (IANA "TCP Option Kind Numbers").
namespace tcpopt {
inline constexpr std::uint8_t kEol = 0;
inline constexpr std::uint8_t kNop = 1;
inline constexpr std::uint8_t kMss = 2;
inline constexpr std::uint8_t kWindowScale = 3;
inline constexpr std::uint8_t kSackPermitted = 4;
inline constexpr std::uint8_t kSack = 5;
inline constexpr std::uint8_t kTimestamps = 8;
inline constexpr std::size_t kMaxSpace = 40;  // 60-byte header minus the fixed 20
inline constexpr std::size_t kMaxSackBlocks = 4;
}  // namespace tcpopt

// RFC 2018 section 3: "Left Edge of Block ... Right Edge of Block: the sequence number
// immediately following the last sequence number of this block."
struct TcpSackBlock {
    SeqNum left, right;
    bool operator==(const TcpSackBlock &) const = default;
};

// RFC 7323 section 3.2: TSval and TSecr.
struct TcpTimestamps {
    std::uint32_t value = 0;
    std::uint32_t echo = 0;
    bool operator==(const TcpTimestamps &) const = default;
};

// An option the stack does not interpret (or a known kind with a length the stack would not send),
// kept byte for byte so a header can be rebuilt as it was.
struct TcpRawOption {
    std::uint8_t kind = 0;
    Bytes data;  // the value bytes, without kind and length
    bool operator==(const TcpRawOption &) const = default;
};

// The options of one segment as values. Parsing never allocates unless unknown options are present
// (SACK blocks live in a fixed array), so the receive path can parse every segment.
struct TcpOptions {
    std::optional<std::uint16_t> mss;
    std::optional<std::uint8_t> windowScale;  // shift count as sent (RFC 7323 caps its use at 14)
    bool sackPermitted = false;
    std::array<TcpSackBlock, tcpopt::kMaxSackBlocks> sackBlocks{};
    std::uint8_t sackCount = 0;
    std::optional<TcpTimestamps> timestamps;
    std::vector<TcpRawOption> unknown;  // in the order they appeared
    std::uint8_t nopCount = 0;          // padding seen (informational)
    bool sawEol = false;

    void addSack(TcpSackBlock b)
    {
        if (sackCount < tcpopt::kMaxSackBlocks) sackBlocks[sackCount++] = b;
    }
    bool empty() const
    {
        return !mss && !windowScale && !sackPermitted && sackCount == 0 && !timestamps && unknown.empty();
    }
    // Bytes serializeOptions() will produce (multiple of 4, at most 40).
    std::size_t encodedLength() const;
    // "mss=1460 ws=7 sackOK ts=1/0 sack=[100-200] kind253(2 bytes)" for logs and the packet view.
    std::string toString() const;
    bool operator==(const TcpOptions &) const;
};

// Walks the option list without reading past it, calling visit(kind, value) for every option other
// than NOP and EOL (value excludes kind and length). Returns "" when well formed, else the problem.
// RFC 9293 section 3.1: "the option-length counts the two octets of option-kind and option-length
// as well as the option-data octets".
template <class Visit>
std::string_view walkTcpOptions(ByteView options, Visit &&visit)
{
    std::size_t i = 0;
    while (i < options.size()) {
        const std::uint8_t kind = options[i];
        if (kind == tcpopt::kEol) return {};
        if (kind == tcpopt::kNop) {
            ++i;
            continue;
        }
        if (i + 1 >= options.size()) return "TCP option has no length byte";
        const std::size_t len = options[i + 1];
        if (len < 2) return "TCP option length below 2";
        if (i + len > options.size()) return "TCP option runs past the header";
        visit(kind, options.subspan(i + 2, len - 2));
        i += len;
    }
    return {};
}

// Parses an option list. Known kinds with a wrong length are an error (RFC 9293 section 3.2: "a TCP
// implementation MUST be prepared to handle an illegal option length (e.g., zero)").
Expected<TcpOptions> parseTcpOptions(ByteView options);
// Appends the options in the layout Linux uses (MSS, SACK-permitted+TS, NOP+WS; NOP NOP TS and
// NOP NOP SACK on data segments), padded with EOL to a multiple of 4. SACK blocks that would not
// fit in 40 bytes are left out. Returns the number of bytes appended.
std::size_t serializeOptions(Bytes &out, const TcpOptions &options);

// A checked view over a TCP segment. parse() guarantees 20 <= data offset * 4 <= segment size, so
// every accessor below reads inside the bytes. Options are walked only on request.
class TcpView {
public:
    static constexpr std::size_t kMinHeaderLength = 20;

    static Expected<TcpView> parse(ByteView segment);
    // Only for bytes that passed parse().
    static TcpView unchecked(ByteView segment) { return TcpView(segment); }

    std::uint16_t sourcePort() const { return loadBe16(b_.data()); }
    std::uint16_t destinationPort() const { return loadBe16(b_.data() + 2); }
    SeqNum seq() const { return SeqNum(loadBe32(b_.data() + 4)); }
    SeqNum ack() const { return SeqNum(loadBe32(b_.data() + 8)); }
    std::uint8_t dataOffset() const { return b_[12] >> 4; }  // 32-bit words
    std::size_t headerLength() const { return std::size_t(dataOffset()) * 4; }
    std::uint8_t reserved() const { return b_[12] & 0x0f; }  // includes AE (RFC 9768) as bit 0
    TcpFlags flags() const { return TcpFlags(b_[13]); }
    std::uint16_t window() const { return loadBe16(b_.data() + 14); }
    std::uint16_t checksum() const { return loadBe16(b_.data() + 16); }
    std::uint16_t urgentPointer() const { return loadBe16(b_.data() + 18); }
    ByteView optionBytes() const { return b_.subspan(kMinHeaderLength, headerLength() - kMinHeaderLength); }
    ByteView header() const { return b_.first(headerLength()); }
    ByteView payload() const { return b_.subspan(headerLength()); }
    ByteView bytes() const { return b_; }
    // RFC 9293 section 3.4 SEG.LEN: "the number of octets occupied by the data in the segment
    // (counting SYN and FIN)".
    std::uint32_t segmentLength() const
    {
        return static_cast<std::uint32_t>(payload().size()) + (flags().syn() ? 1 : 0) + (flags().fin() ? 1 : 0);
    }

    Expected<TcpOptions> options() const { return parseTcpOptions(optionBytes()); }
    // RFC legality beyond integrity: "" when fine, else why not (SYN with FIN or RST, reserved bits,
    // zero ports, malformed options, urgent pointer without URG is only informational and allowed).
    std::string_view sanityIssue() const;

private:
    explicit TcpView(ByteView b) : b_(b) {}
    ByteView b_;
};

// The header as values. dataOffset is computed by the builder unless `dataOffsetOverride` is set
// (rules may want a lying offset).
struct TcpHeader {
    std::uint16_t sourcePort = 0;
    std::uint16_t destinationPort = 0;
    SeqNum seq;
    SeqNum ack;
    std::uint8_t reserved = 0;
    TcpFlags flags;
    std::uint16_t window = 0;
    std::uint16_t checksum = 0;  // as received; the builder computes its own
    std::uint16_t urgentPointer = 0;
    TcpOptions options;
    std::optional<std::uint8_t> dataOffsetOverride;

    // Fails only when the options are malformed.
    static Expected<TcpHeader> from(const TcpView &view);
    bool operator==(const TcpHeader &) const = default;
};

// Appends header + payload to `out` with the checksum computed over the pseudo-header of src/dst
// (RFC 9293 section 3.1 for IPv4, RFC 8200 section 8.1 for IPv6). Returns the segment's offset.
std::size_t appendTcp(Bytes &out, const TcpHeader &header, ByteView payload, const IpAddr &src, const IpAddr &dst);
Bytes serializeTcp(const TcpHeader &header, ByteView payload, const IpAddr &src, const IpAddr &dst);

// The checksum a segment should carry (its checksum field is treated as zero).
std::uint16_t computeTcpChecksum(ByteView segment, const IpAddr &src, const IpAddr &dst);
// True when the ones'-complement sum over pseudo-header and segment verifies.
bool verifyTcpChecksum(ByteView segment, const IpAddr &src, const IpAddr &dst);
// Rewrites the checksum field in place (segment must be at least 20 bytes).
void fixTcpChecksum(MutableByteView segment, const IpAddr &src, const IpAddr &dst);

}  // namespace tcplab

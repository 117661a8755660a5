// IPv4 (RFC 791): header with options, header checksum, fragment fields.
#pragma once

#include <cstdint>
#include <string_view>

#include "core/bytes.h"
#include "core/expected.h"
#include "wire/addresses.h"
#include "wire/drop_reason.h"

namespace tcplab {

// A checked view over an IPv4 packet. check() guarantees version 4, 5 <= IHL, IHL*4 <= total
// length <= bytes received; the view then covers exactly `total length` bytes (link padding cut
// off), so header(), options() and payload() are always inside it. Checksum and fragment fields
// are reported, not judged: a rule may want to look at a packet with a wrong checksum.
class Ipv4View {
public:
    static constexpr std::size_t kMinHeaderLength = 20;

    static DropReason check(ByteView packet);
    static Expected<Ipv4View> parse(ByteView packet);
    // Only for bytes that passed check(); trims to total length.
    static Ipv4View unchecked(ByteView packet) { return Ipv4View(packet.first(loadBe16(packet.data() + 2))); }

    std::uint8_t version() const { return b_[0] >> 4; }
    std::uint8_t ihl() const { return b_[0] & 0x0f; } // in 32-bit words
    std::size_t headerLength() const { return std::size_t(ihl()) * 4; }
    std::uint8_t tos() const { return b_[1]; }
    std::uint8_t dscp() const { return b_[1] >> 2; }
    std::uint8_t ecn() const { return b_[1] & 3; }
    std::uint16_t totalLength() const { return loadBe16(b_.data() + 2); }
    std::uint16_t identification() const { return loadBe16(b_.data() + 4); }
    std::uint8_t flags() const { return b_[6] >> 5; } // bit 0 reserved, DF, MF
    bool reservedFlag() const { return b_[6] & 0x80; }
    bool dontFragment() const { return b_[6] & 0x40; }
    bool moreFragments() const { return b_[6] & 0x20; }
    std::uint16_t fragmentOffset() const { return loadBe16(b_.data() + 6) & 0x1fff; } // 8-byte units
    bool isFragment() const { return moreFragments() || fragmentOffset() != 0; }
    std::uint8_t ttl() const { return b_[8]; }
    std::uint8_t protocol() const { return b_[9]; }
    std::uint16_t checksum() const { return loadBe16(b_.data() + 10); }
    Ip4Addr source() const { return {loadBe32(b_.data() + 12)}; }
    Ip4Addr destination() const { return {loadBe32(b_.data() + 16)}; }
    ByteView header() const { return b_.first(headerLength()); }
    ByteView options() const { return b_.subspan(kMinHeaderLength, headerLength() - kMinHeaderLength); }
    ByteView payload() const { return b_.subspan(headerLength()); }
    ByteView bytes() const { return b_; }

    // RFC 791 section 3.1: "The checksum field is the 16 bit one's complement of the one's
    // complement sum of all 16 bit words in the header."
    bool checksumOk() const;
    // RFC legality beyond integrity: "" when fine, else why not (reserved flag set, DF with a
    // fragment offset, malformed options, multicast/broadcast source, TTL 0).
    std::string_view sanityIssue() const;

private:
    explicit Ipv4View(ByteView b) : b_(b) {}
    ByteView b_;
};

// RFC 791 section 3.1 options: walks type/length/value items without ever reading past `options`.
// Returns "" when the list is well formed, else what is wrong. `visit(type, offset, length)` is
// called for each option (offset into `options`, length of the whole option).
template <class Visit> std::string_view walkIpv4Options(ByteView options, Visit &&visit)
{
    std::size_t i = 0;
    while (i < options.size()) {
        const std::uint8_t type = options[i];
        if (type == 0) { // End of Option List: the rest is padding
            visit(type, i, std::size_t(1));
            return {};
        }
        if (type == 1) { // No Operation
            visit(type, i, std::size_t(1));
            ++i;
            continue;
        }
        if (i + 1 >= options.size()) return "IPv4 option has no length byte";
        const std::size_t len = options[i + 1];
        if (len < 2) return "IPv4 option length below 2";
        if (i + len > options.size()) return "IPv4 option runs past the header";
        visit(type, i, len);
        i += len;
    }
    return {};
}

struct Ipv4Header {
    std::uint8_t tos = 0;
    std::uint16_t identification = 0;
    bool dontFragment = true;
    bool moreFragments = false;
    std::uint16_t fragmentOffset = 0; // 8-byte units
    std::uint8_t ttl = 64;
    std::uint8_t protocol = 0;
    Ip4Addr source;
    Ip4Addr destination;
    Bytes options;             // padded with zeros (End of Option List) to a multiple of 4 by the builder
    bool reservedFlag = false; // must be zero (RFC 791); kept so a header rebuilds as received

    static Ipv4Header from(const Ipv4View &view);
    bool operator==(const Ipv4Header &) const = default;
};

// The header (IHL, total length and checksum filled in) followed by payload. The caller keeps the
// total under 65536 bytes; longer payloads are cut to fit so the length field never lies.
Bytes buildIpv4(const Ipv4Header &header, ByteView payload);
void appendIpv4(Bytes &out, const Ipv4Header &header, ByteView payload);
// The header alone, for a payload of payloadLength bytes the caller puts behind it (a transport that
// built its payload first). Returns the payload length the header announces (cut like buildIpv4's).
std::size_t appendIpv4Header(Bytes &out, const Ipv4Header &header, std::size_t payloadLength);
// Rewrites the header checksum of the IPv4 header at the start of `packet` (needs IHL readable).
void fixIpv4HeaderChecksum(MutableByteView packet);

} // namespace tcplab

// IPv6 (RFC 8200): fixed header, extension-header chain, fragment header.
#pragma once

#include <array>
#include <cstdint>
#include <string_view>

#include "core/bytes.h"
#include "core/expected.h"
#include "wire/addresses.h"
#include "wire/drop_reason.h"

namespace tcplab {

// A checked view over an IPv6 packet: check() guarantees the 40-byte header, version 6, and
// 40 + payload length <= bytes received; the view covers exactly 40 + payload length bytes.
class Ipv6View {
public:
    static constexpr std::size_t kHeaderLength = 40;

    static DropReason check(ByteView packet);
    static Expected<Ipv6View> parse(ByteView packet);
    static Ipv6View unchecked(ByteView packet)
    {
        return Ipv6View(packet.first(kHeaderLength + loadBe16(packet.data() + 4)));
    }

    std::uint8_t version() const { return b_[0] >> 4; }
    std::uint8_t trafficClass() const { return static_cast<std::uint8_t>((b_[0] << 4) | (b_[1] >> 4)); }
    std::uint32_t flowLabel() const { return loadBe32(b_.data()) & 0xfffff; }
    std::uint16_t payloadLength() const { return loadBe16(b_.data() + 4); }
    std::uint8_t nextHeader() const { return b_[6]; }
    std::uint8_t hopLimit() const { return b_[7]; }
    Ip6Addr source() const;
    Ip6Addr destination() const;
    ByteView header() const { return b_.first(kHeaderLength); }
    ByteView payload() const { return b_.subspan(kHeaderLength); } // extension headers included
    ByteView bytes() const { return b_; }

    // RFC legality beyond integrity: "" when fine (multicast source, hop limit 0, ...).
    std::string_view sanityIssue() const;

private:
    explicit Ipv6View(ByteView b) : b_(b) {}
    ByteView b_;
};

// One extension header found by walkIpv6Extensions.
struct Ipv6ExtHeader {
    std::uint8_t type = 0;    // the Next Header value that announced it (0, 43, 44, 51, 60)
    std::uint16_t offset = 0; // from the start of the IPv6 header
    std::uint16_t length = 0; // in bytes, whole header
};

// Result of walking the extension-header chain. No allocation: at most kMaxExtHeaders headers are
// accepted (a longer chain is refused as Ipv6TooManyExtHeaders: no legitimate packet needs more,
// and an attacker's chain of hundreds of tiny headers must not cost us more than this).
struct Ipv6Extensions {
    static constexpr std::size_t kMaxExtHeaders = 8;

    DropReason drop = DropReason::None;
    std::uint8_t upperProtocol = 0; // Next Header after the last extension header
    std::uint16_t upperOffset = 0;  // where the upper-layer header starts, from the IPv6 header
    std::uint8_t count = 0;
    std::array<Ipv6ExtHeader, kMaxExtHeaders> headers{};

    // From a Fragment header (RFC 8200 section 4.5), when there is one.
    bool hasFragmentHeader = false;
    std::uint16_t fragmentOffset = 0; // 8-byte units
    bool moreFragments = false;
    std::uint32_t fragmentId = 0;
    // A fragment that is not the whole packet (RFC 6946: an "atomic fragment", offset 0 and M 0,
    // is processed as a whole packet).
    bool isFragment() const { return hasFragmentHeader && (fragmentOffset != 0 || moreFragments); }

    std::uint8_t routingSegmentsLeft = 0;
};

// Walks Hop-by-Hop, Routing, Fragment, Destination Options and AH headers. Stops (with a drop
// reason, never reading out of bounds) on a truncated header, a malformed option TLV, or a
// Hop-by-Hop header anywhere but first. After a non-first fragment's header it stops: what follows
// is the middle of someone's payload, not a header.
Ipv6Extensions walkIpv6Extensions(const Ipv6View &packet);

// RFC 8200 section 4.2 option TLVs of a Hop-by-Hop or Destination Options header (`options` is
// the header minus its first 2 bytes). `visit(type, offset, length)` per option. "" when well formed.
template <class Visit> std::string_view walkIpv6Options(ByteView options, Visit &&visit)
{
    std::size_t i = 0;
    while (i < options.size()) {
        if (options[i] == 0) { // Pad1
            visit(std::uint8_t(0), i, std::size_t(1));
            ++i;
            continue;
        }
        if (i + 1 >= options.size()) return "IPv6 option has no length byte";
        const std::size_t len = std::size_t(options[i + 1]) + 2;
        if (i + len > options.size()) return "IPv6 option runs past its header";
        visit(options[i], i, len);
        i += len;
    }
    return {};
}

struct Ipv6Header {
    std::uint8_t trafficClass = 0;
    std::uint32_t flowLabel = 0;
    std::uint8_t nextHeader = 0; // first header of the payload (extension headers belong to it)
    std::uint8_t hopLimit = 64;
    Ip6Addr source;
    Ip6Addr destination;

    static Ipv6Header from(const Ipv6View &view);
    bool operator==(const Ipv6Header &) const = default;
};

// The header (payload length filled in) followed by payload (cut to 65535 bytes: no jumbograms).
Bytes buildIpv6(const Ipv6Header &header, ByteView payload);
void appendIpv6(Bytes &out, const Ipv6Header &header, ByteView payload);
// The header alone, for a payload of payloadLength bytes the caller puts behind it. Returns the
// payload length the header announces (at most 65535).
std::size_t appendIpv6Header(Bytes &out, const Ipv6Header &header, std::size_t payloadLength);

} // namespace tcplab

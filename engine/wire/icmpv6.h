// ICMPv6 (RFC 4443) and the Neighbor Discovery messages the stack needs (RFC 4861: Neighbor
// Solicitation and Advertisement with source/target link-layer address options).
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

#include "core/bytes.h"
#include "core/expected.h"
#include "wire/addresses.h"
#include "wire/drop_reason.h"

namespace tcplab {

namespace icmpv6 {
inline constexpr std::uint8_t kDestUnreachable = 1;
inline constexpr std::uint8_t kPacketTooBig = 2;
inline constexpr std::uint8_t kTimeExceeded = 3;
inline constexpr std::uint8_t kParameterProblem = 4;
inline constexpr std::uint8_t kEchoRequest = 128;
inline constexpr std::uint8_t kEchoReply = 129;
inline constexpr std::uint8_t kRouterSolicitation = 133;
inline constexpr std::uint8_t kRouterAdvertisement = 134;
inline constexpr std::uint8_t kNeighborSolicitation = 135;
inline constexpr std::uint8_t kNeighborAdvertisement = 136;
// Destination Unreachable codes (RFC 4443 section 3.1).
inline constexpr std::uint8_t kNoRoute = 0;
inline constexpr std::uint8_t kAddressUnreachable = 3;
inline constexpr std::uint8_t kPortUnreachable = 4;
// ND option types (RFC 4861 section 4.6).
inline constexpr std::uint8_t kOptSourceLinkLayer = 1;
inline constexpr std::uint8_t kOptTargetLinkLayer = 2;
}  // namespace icmpv6

// A checked view over an ICMPv6 message: check() guarantees the 8-byte header; for NS and NA also
// the 24-byte fixed part and an option list whose every option has a non-zero length inside it.
class Icmpv6View {
public:
    static constexpr std::size_t kHeaderLength = 8;
    static constexpr std::size_t kNdFixedLength = 24;  // NS/NA: header + target address

    static DropReason check(ByteView message);
    static Expected<Icmpv6View> parse(ByteView message);
    static Icmpv6View unchecked(ByteView message) { return Icmpv6View(message); }

    std::uint8_t type() const { return b_[0]; }
    std::uint8_t code() const { return b_[1]; }
    std::uint16_t checksum() const { return loadBe16(b_.data() + 2); }
    std::uint32_t restOfHeader() const { return loadBe32(b_.data() + 4); }
    std::uint16_t identifier() const { return loadBe16(b_.data() + 4); }  // echo
    std::uint16_t sequence() const { return loadBe16(b_.data() + 6); }    // echo
    std::uint32_t mtu() const { return restOfHeader(); }                  // packet too big
    bool isEcho() const { return type() == icmpv6::kEchoRequest || type() == icmpv6::kEchoReply; }
    bool isNeighborDiscovery() const
    {
        return type() == icmpv6::kNeighborSolicitation || type() == icmpv6::kNeighborAdvertisement;
    }
    ByteView body() const { return b_.subspan(kHeaderLength); }
    ByteView bytes() const { return b_; }

    // NS/NA only (isNeighborDiscovery()):
    Ip6Addr targetAddress() const;
    bool routerFlag() const { return b_[4] & 0x80; }     // NA
    bool solicitedFlag() const { return b_[4] & 0x40; }  // NA
    bool overrideFlag() const { return b_[4] & 0x20; }   // NA
    ByteView ndOptions() const { return b_.subspan(kNdFixedLength); }
    // The link-layer address in the first option of `optionType` (source or target) of 8 bytes.
    std::optional<MacAddr> linkLayerOption(std::uint8_t optionType) const;

    // RFC 4443 section 2.3 checksum over the IPv6 pseudo-header.
    bool checksumOk(const Ip6Addr &source, const Ip6Addr &destination) const;
    // "" when fine. `hopLimit` is the IPv6 header's: RFC 4861 section 7.1.1 says NS/NA with a hop
    // limit other than 255 (they came through a router) must be discarded.
    std::string_view sanityIssue(std::uint8_t hopLimit) const;

private:
    explicit Icmpv6View(ByteView b) : b_(b) {}
    ByteView b_;
};

// RFC 4861 section 4.6 option list: visit(type, offset, lengthInBytes). Returns false (after
// visiting the good ones) when an option has length 0 or runs past the list.
template <class Visit>
bool walkNdOptions(ByteView options, Visit &&visit)
{
    std::size_t i = 0;
    while (i < options.size()) {
        if (options.size() - i < 2) return false;
        const std::size_t len = std::size_t(options[i + 1]) * 8;
        // "Nodes MUST silently discard an ND packet that contains an option with length zero."
        if (len == 0 || len > options.size() - i) return false;
        visit(options[i], i, len);
        i += len;
    }
    return true;
}

struct Icmpv6Message {
    std::uint8_t type = 0;
    std::uint8_t code = 0;
    std::uint32_t restOfHeader = 0;
    Bytes body;

    static Icmpv6Message from(const Icmpv6View &view);
    static Icmpv6Message echo(bool request, std::uint16_t identifier, std::uint16_t sequence, ByteView data);
    // RFC 4443 section 2.4 (c): quote "as much of invoking packet as possible without the ICMPv6
    // packet exceeding the minimum IPv6 MTU" (1280).
    static Icmpv6Message destUnreachable(std::uint8_t code, ByteView originalPacket);
    bool operator==(const Icmpv6Message &) const = default;
};

struct NeighborSolicitation {
    Ip6Addr target;
    std::optional<MacAddr> sourceLinkLayer;  // absent when the source is :: (DAD)

    static NeighborSolicitation from(const Icmpv6View &view);
    Icmpv6Message toMessage() const;
    bool operator==(const NeighborSolicitation &) const = default;
};

struct NeighborAdvertisement {
    bool router = false;
    bool solicited = false;
    bool override = false;
    Ip6Addr target;
    std::optional<MacAddr> targetLinkLayer;

    static NeighborAdvertisement from(const Icmpv6View &view);
    Icmpv6Message toMessage() const;
    bool operator==(const NeighborAdvertisement &) const = default;
};

// The message with its checksum (over the pseudo-header for source/destination) filled in.
Bytes buildIcmpv6(const Icmpv6Message &message, const Ip6Addr &source, const Ip6Addr &destination);

}  // namespace tcplab

// ICMP for IPv4 (RFC 792): echo request/reply, destination unreachable, and the rest as raw type,
// code, 4 header bytes and body.
#pragma once

#include <cstdint>
#include <string_view>

#include "core/bytes.h"
#include "core/expected.h"
#include "wire/drop_reason.h"

namespace tcplab {

namespace icmpv4 {
inline constexpr std::uint8_t kEchoReply = 0;
inline constexpr std::uint8_t kDestUnreachable = 3;
inline constexpr std::uint8_t kEchoRequest = 8;
inline constexpr std::uint8_t kTimeExceeded = 11;
inline constexpr std::uint8_t kParameterProblem = 12;
// Destination Unreachable codes (RFC 792, RFC 1191).
inline constexpr std::uint8_t kNetUnreachable = 0;
inline constexpr std::uint8_t kHostUnreachable = 1;
inline constexpr std::uint8_t kProtocolUnreachable = 2;
inline constexpr std::uint8_t kPortUnreachable = 3;
inline constexpr std::uint8_t kFragmentationNeeded = 4;
}  // namespace icmpv4

// A checked view over an ICMPv4 message: check() guarantees the 8-byte header.
class Icmpv4View {
public:
    static constexpr std::size_t kHeaderLength = 8;

    static DropReason check(ByteView message);
    static Expected<Icmpv4View> parse(ByteView message);
    static Icmpv4View unchecked(ByteView message) { return Icmpv4View(message); }

    std::uint8_t type() const { return b_[0]; }
    std::uint8_t code() const { return b_[1]; }
    std::uint16_t checksum() const { return loadBe16(b_.data() + 2); }
    std::uint32_t restOfHeader() const { return loadBe32(b_.data() + 4); }
    std::uint16_t identifier() const { return loadBe16(b_.data() + 4); }  // echo
    std::uint16_t sequence() const { return loadBe16(b_.data() + 6); }    // echo
    std::uint16_t nextHopMtu() const { return loadBe16(b_.data() + 6); }  // unreachable, code 4
    bool isEcho() const { return type() == icmpv4::kEchoRequest || type() == icmpv4::kEchoReply; }
    ByteView body() const { return b_.subspan(kHeaderLength); }  // echo data, or the original datagram
    ByteView bytes() const { return b_; }

    bool checksumOk() const;
    // "" when fine: echo with a non-zero code, unreachable with an unknown code, ...
    std::string_view sanityIssue() const;

private:
    explicit Icmpv4View(ByteView b) : b_(b) {}
    ByteView b_;
};

struct Icmpv4Message {
    std::uint8_t type = 0;
    std::uint8_t code = 0;
    std::uint32_t restOfHeader = 0;  // identifier << 16 | sequence for echo
    Bytes body;

    static Icmpv4Message from(const Icmpv4View &view);
    static Icmpv4Message echo(bool request, std::uint16_t identifier, std::uint16_t sequence, ByteView data);
    // RFC 1812 section 4.3.2.3: quote as much of the offending datagram as fits in 576 bytes
    // (at least its IP header plus 8 bytes, RFC 792).
    static Icmpv4Message destUnreachable(std::uint8_t code, ByteView originalDatagram,
                                         std::uint16_t nextHopMtu = 0);
    bool operator==(const Icmpv4Message &) const = default;
};

// The message with its checksum filled in.
Bytes buildIcmpv4(const Icmpv4Message &message);

}  // namespace tcplab

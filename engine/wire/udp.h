// UDP (RFC 768).
#pragma once

#include <cstdint>
#include <string_view>

#include "core/bytes.h"
#include "core/expected.h"
#include "wire/addresses.h"
#include "wire/drop_reason.h"

namespace tcplab {

// A checked view over a UDP datagram: check() guarantees 8 <= length field <= bytes received; the
// view covers exactly `length` bytes.
class UdpView {
public:
    static constexpr std::size_t kHeaderLength = 8;

    static DropReason check(ByteView datagram);
    static Expected<UdpView> parse(ByteView datagram);
    static UdpView unchecked(ByteView datagram) { return UdpView(datagram.first(loadBe16(datagram.data() + 4))); }

    std::uint16_t sourcePort() const { return loadBe16(b_.data()); }
    std::uint16_t destinationPort() const { return loadBe16(b_.data() + 2); }
    std::uint16_t length() const { return loadBe16(b_.data() + 4); }
    std::uint16_t checksum() const { return loadBe16(b_.data() + 6); }
    ByteView header() const { return b_.first(kHeaderLength); }
    ByteView payload() const { return b_.subspan(kHeaderLength); }
    ByteView bytes() const { return b_; }

    // RFC 768: a zero checksum over IPv4 means "none computed"; RFC 8200 section 8.1: over IPv6 a
    // zero checksum is invalid.
    bool checksumOk(const IpAddr &source, const IpAddr &destination) const;
    // "" when fine (port 0 as source or destination is reserved).
    std::string_view sanityIssue() const;

private:
    explicit UdpView(ByteView b) : b_(b) {}
    ByteView b_;
};

struct UdpHeader {
    std::uint16_t sourcePort = 0;
    std::uint16_t destinationPort = 0;

    static UdpHeader from(const UdpView &view) { return {view.sourcePort(), view.destinationPort()}; }
    bool operator==(const UdpHeader &) const = default;
};

// The datagram with length and checksum filled in (payload cut to fit 65535 bytes).
Bytes buildUdp(const UdpHeader &header, ByteView payload, const IpAddr &source, const IpAddr &destination);

}  // namespace tcplab

// Transport checksums over an IP pseudo-header (TCP, UDP, ICMPv6). ICMPv4 has none.
#pragma once

#include <cstdint>

#include "core/bytes.h"
#include "core/checksum.h"
#include "wire/addresses.h"

namespace tcplab {

// RFC 9293 section 3.1 / RFC 768: source, destination, zero, protocol, TCP/UDP length.
void addPseudoHeader(ChecksumAccumulator &acc, Ip4Addr source, Ip4Addr destination, std::uint8_t protocol,
                     std::uint16_t length);
// RFC 8200 section 8.1: source, destination, 32-bit upper-layer length, 3 zero bytes, next header.
void addPseudoHeader(ChecksumAccumulator &acc, const Ip6Addr &source, const Ip6Addr &destination,
                     std::uint8_t nextHeader, std::uint32_t length);
// Either family; source and destination must be of the same family (else the IPv6 form is used
// with the v4 one mapped, which never verifies: a mixed pair is a caller bug, not a packet).
void addPseudoHeader(ChecksumAccumulator &acc, const IpAddr &source, const IpAddr &destination,
                     std::uint8_t protocol, std::uint32_t length);

// The checksum of `segment` (its checksum field included as it is) under the pseudo-header.
// With the field zeroed this is the value to store; with a correct value stored it is 0.
std::uint16_t transportChecksum(const IpAddr &source, const IpAddr &destination, std::uint8_t protocol,
                                ByteView segment);

// Zeroes the 16-bit checksum at `checksumOffset` in `segment`, computes it and stores it.
// For UDP, a computed 0 is stored as 0xffff (RFC 768: "If the computed checksum is zero, it is
// transmitted as all ones"); pass udp = true.
void fillTransportChecksum(const IpAddr &source, const IpAddr &destination, std::uint8_t protocol,
                           MutableByteView segment, std::size_t checksumOffset, bool udp = false);

}  // namespace tcplab

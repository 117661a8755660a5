// Reading and writing the fields rules may touch, directly in the bytes of an IPv4 or IPv6 packet
// carrying TCP. Rules work on bytes, not on validated values, so they can produce what the stack
// never would (a lying data offset, a bad checksum); fixPacket() puts lengths and checksums right
// again when the rule did not ask otherwise.
//
// (wire/fields.h will hold the lab-wide field registry; this is the small subset rules edit, kept
// here so the rule engine's hot path is a switch on an enum, not a name lookup.)
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

#include "core/bytes.h"
#include "wire/addresses.h"

namespace tcplab {

// Where the TCP segment sits inside an IP packet.
struct TcpLocation {
    std::uint8_t ipVersion = 4;
    std::size_t tcpOffset = 0;  // IP header (and IPv6 extension headers) length
    std::size_t tcpLength = 0;  // header + payload bytes the IP header says belong to TCP
    std::size_t headerLength = 20;  // TCP data offset * 4, clamped to tcpLength
    std::size_t payloadLength() const { return tcpLength - headerLength; }
};

// Nullopt when the bytes are not IPv4/IPv6 + a TCP header of at least 20 bytes.
std::optional<TcpLocation> locateTcp(ByteView ip);

IpAddr ipSource(ByteView ip);
IpAddr ipDestination(ByteView ip);

enum class PacketField : std::uint8_t {
    TcpSrcPort, TcpDstPort, TcpSeq, TcpAck, TcpDataOffset, TcpFlags, TcpWindow, TcpChecksum, TcpUrgent,
    IpTtl,  // IPv6: hop limit
    IpTos,  // IPv6: traffic class
    IpDscp, IpEcn,
    IpId,  // IPv4 only
    IpDf,  // IPv4 only
};

struct PacketFieldInfo {
    PacketField field;
    std::string_view name;  // Wireshark-style display filter name, the spelling scenarios use
    std::string_view alias; // a shorter spelling also accepted
    unsigned bits;
};

// Accepts both the name and the alias ("tcp.window_size_value" or "tcp.window").
std::optional<PacketField> packetFieldFromName(std::string_view name);
const PacketFieldInfo &packetFieldInfo(PacketField field);
// All fields, in a stable order (for help text and error messages).
std::string_view packetFieldNames();

// Reads a field; nullopt when the packet has no such field (IP ID on IPv6).
std::optional<std::uint32_t> readPacketField(ByteView ip, const TcpLocation &loc, PacketField field);
// Writes a field; false when the packet has no such field or the value does not fit its bits.
bool writePacketField(MutableByteView ip, const TcpLocation &loc, PacketField field, std::uint32_t value);

// Sets the IPv4 total length / IPv6 payload length from the buffer size, then the IPv4 header
// checksum and the TCP checksum (RFC 9293 section 3.1) unless the caller keeps a corrupt one.
void fixPacketLengths(Bytes &ip, const TcpLocation &loc);
void fixPacketChecksums(Bytes &ip, const TcpLocation &loc);

// A minimal IPv4 (20-byte) or IPv6 (40-byte) header + TCP segment, checksums filled; for crafted
// replies and injected segments. `tcp` is header + payload with any checksum.
Bytes buildIpPacket(const IpAddr &src, const IpAddr &dst, std::uint8_t ttl, ByteView tcp);

}  // namespace tcplab

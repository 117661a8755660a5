// The field registry shared by the packet inspector (GUI) and the rule engine: every header field
// the lab can show or edit, named as in Wireshark's display filters ("ip.ttl", "tcp.flags.syn",
// "tcp.options.mss_val"), with its position, width and how to print it.
//
// Positions are relative to the start of the field's layer (the Ethernet header, the ARP or IP
// header, the TCP/UDP/ICMP header). TCP option fields are relative to the option (kind byte) and
// found by walking the option list. Bits are numbered from the most significant bit of the first
// byte, as RFC diagrams do.
//
// Labels are English; the GUI translates them (context "FieldLabel").
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/bytes.h"
#include "core/expected.h"

namespace tcplab {

enum class FieldLayer : std::uint8_t { Ethernet, Arp, Ipv4, Ipv6, Tcp, TcpOption, Udp, Icmp, Icmpv6 };

enum class FieldFormat : std::uint8_t {
    Decimal,
    Hex,        // 0x.. padded to the field's width
    Flag,       // "Set" / "Not set"
    Mac,
    Ipv4,
    Ipv6,
    EtherType,  // "IPv4 (0x0800)"
    IpProto,    // "TCP (6)"
    ArpOpcode,  // "request (1)"
    TcpFlags,   // "0x012 (SYN, ACK)"
    IcmpType,   // "Echo (ping) request (8)"
    Icmpv6Type,
};

// When a field exists in a header of its layer (ICMP fields depend on the message type).
enum class FieldWhen : std::uint8_t { Always, IcmpEcho, IcmpFragNeeded, Icmpv6Echo, NdSolicit, NdAdvert };

struct FieldDescriptor {
    std::string_view name;   // Wireshark display-filter name
    std::string_view label;  // human label (English)
    FieldLayer layer = FieldLayer::Ethernet;
    std::uint16_t byteOffset = 0;
    std::uint8_t bitOffset = 0;   // 0..7 from the MSB of the byte at byteOffset
    std::uint8_t bitWidth = 0;    // 1..64 integer fields; 128 for IPv6 addresses (no integer value)
    FieldFormat format = FieldFormat::Decimal;
    std::uint8_t scale = 1;       // shown value = raw * scale (ip.hdr_len is in bytes: raw IHL * 4)
    std::uint8_t optionKind = 0;  // TcpOption fields: the option kind
    FieldWhen when = FieldWhen::Always;

    bool isInteger() const { return bitWidth <= 64; }
    // Bytes covered, from byteOffset.
    std::size_t byteLength() const { return (std::size_t(bitOffset) + bitWidth + 7) / 8; }
};

// Every field, in header order, layer by layer.
std::span<const FieldDescriptor> fieldRegistry();
// nullptr when no field has that name.
const FieldDescriptor *findField(std::string_view name);
// "64", "0x0800", "SYN, ACK" and so on, for an integer field's (scaled) value.
std::string formatFieldValue(const FieldDescriptor &field, std::uint64_t value);

// What the bytes given to the helpers below start with.
enum class Framing : std::uint8_t { Ethernet, Ip };

// Where a field is in a frame or packet: absolute byte range plus bit position inside it.
struct FieldLocation {
    const FieldDescriptor *field = nullptr;
    std::size_t offset = 0;  // absolute, from the start of the bytes
    std::size_t length = 0;
    std::uint8_t bitOffset = 0;
    std::uint8_t bitWidth = 0;
};

// Finds `name` in the frame/packet: fails with a reason when the name is unknown, the layer is
// absent, or the header is too short to hold the field.
Expected<FieldLocation> locateField(ByteView bytes, std::string_view name, Framing framing = Framing::Ethernet);
// The (scaled) value of a fixed-width integer field, or nullopt when absent or not an integer.
std::optional<std::uint64_t> readField(ByteView bytes, std::string_view name, Framing framing = Framing::Ethernet);
// Stores `value` (divided by the field's scale) into the field; fails when the field is absent,
// not an integer, or the value does not fit its width. Checksums are not touched: call
// recomputeChecksums() when the edit should stay valid.
Status writeField(MutableByteView bytes, std::string_view name, std::uint64_t value,
                  Framing framing = Framing::Ethernet);
// The same with a descriptor from the registry (a rule resolves its field name once, up front).
Expected<FieldLocation> locateField(ByteView bytes, const FieldDescriptor &field, Framing framing = Framing::Ethernet);
std::optional<std::uint64_t> readField(ByteView bytes, const FieldDescriptor &field,
                                       Framing framing = Framing::Ethernet);
Status writeField(MutableByteView bytes, const FieldDescriptor &field, std::uint64_t value,
                  Framing framing = Framing::Ethernet);

// For an IPv4 or IPv6 packet carrying TCP, UDP, ICMP or ICMPv6: sets the IP total length (payload
// length) to the packet's size, the UDP length to the datagram's, and recomputes the IPv4 header
// checksum and the transport checksum. Fragments get only the IP-level fixes. Fails (changing
// nothing) when the IP header itself cannot be read.
Status recomputeChecksums(Bytes &ipPacket);
Status recomputeChecksums(MutableByteView ipPacket);

// One row of the inspector's tree.
struct DecodedField {
    std::string_view name;   // field name, or protocol name ("eth", "ip", "tcp") for a layer row
    std::string_view label;  // field label, or the protocol's full name
    std::size_t offset = 0;  // byte range in the bytes decoded
    std::size_t length = 0;
    std::uint8_t bitOffset = 0;  // bit position inside the range (0 and length*8 for whole bytes)
    std::uint8_t bitWidth = 0;
    int parent = -1;         // index of the parent row, -1 for layer rows
    std::uint8_t depth = 0;
    std::optional<std::uint64_t> value;  // when the field is an integer
    std::string text;        // "Time to Live: 64"
};

// The whole tree: one row per layer, its fields below it, a "_ws.malformed" row when a layer is
// cut short or inconsistent, and a "data" row for the payload. Never reads out of bounds.
std::vector<DecodedField> decodeFrame(ByteView frame);
std::vector<DecodedField> decodeIpPacket(ByteView packet);

}  // namespace tcplab

// ARP for IPv4 over Ethernet (RFC 826): the only hardware/protocol pair the stack resolves.
#pragma once

#include <cstdint>
#include <string_view>

#include "core/bytes.h"
#include "core/expected.h"
#include "wire/addresses.h"
#include "wire/drop_reason.h"

namespace tcplab {

enum class ArpOp : std::uint16_t { Request = 1, Reply = 2 };

// A checked view over an Ethernet/IPv4 ARP packet: check() guarantees the 28 fixed bytes and
// hardware type 1, protocol type 0x0800, sizes 6 and 4, so every accessor reads inside them.
class ArpView {
public:
    static constexpr std::size_t kLength = 28;

    static DropReason check(ByteView packet);
    static Expected<ArpView> parse(ByteView packet);
    static ArpView unchecked(ByteView packet) { return ArpView(packet); }

    std::uint16_t hardwareType() const { return loadBe16(b_.data()); }
    std::uint16_t protocolType() const { return loadBe16(b_.data() + 2); }
    std::uint8_t hardwareSize() const { return b_[4]; }
    std::uint8_t protocolSize() const { return b_[5]; }
    std::uint16_t operation() const { return loadBe16(b_.data() + 6); }
    MacAddr senderMac() const;
    Ip4Addr senderIp() const { return {loadBe32(b_.data() + 14)}; }
    MacAddr targetMac() const;
    Ip4Addr targetIp() const { return {loadBe32(b_.data() + 24)}; }
    ByteView bytes() const { return b_; }  // the 28 bytes (trailing padding excluded)

    // RFC legality beyond integrity: "" when fine, else why not (unknown opcode, multicast
    // sender hardware address, ...). A host may still choose to learn from such a packet.
    std::string_view sanityIssue() const;

private:
    explicit ArpView(ByteView b) : b_(b) {}
    ByteView b_;
};

struct ArpPacket {
    ArpOp op = ArpOp::Request;
    MacAddr senderMac;
    Ip4Addr senderIp;
    MacAddr targetMac;
    Ip4Addr targetIp;

    static ArpPacket from(const ArpView &view);
    // RFC 5227 section 3: a gratuitous ARP (announcement) is a request whose sender and target
    // protocol addresses are both the sender's.
    bool isGratuitous() const { return senderIp == targetIp; }
    bool operator==(const ArpPacket &) const = default;
};

Bytes buildArp(const ArpPacket &packet);
void appendArp(Bytes &out, const ArpPacket &packet);

}  // namespace tcplab

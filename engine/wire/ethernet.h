// Ethernet II (IEEE 802.3 framing with an EtherType, RFC 894): destination, source, type, payload.
// No 802.1Q tags: a tagged frame reports EtherType 0x8100 and is not ours to interpret.
#pragma once

#include <cstdint>

#include "core/bytes.h"
#include "core/expected.h"
#include "wire/addresses.h"
#include "wire/drop_reason.h"

namespace tcplab {

// A checked view over an Ethernet II frame (without FCS). Once made by parse(), accessors never
// read outside the 14-byte header. The payload may carry padding up to the 60-byte minimum; the
// IP layer trims it with its own length field.
class EthernetView {
public:
    static constexpr std::size_t kHeaderLength = 14;
    static constexpr std::size_t kMinFrameLength = 60;  // without FCS (IEEE 802.3 clause 4.4.2)

    static DropReason check(ByteView frame);
    static Expected<EthernetView> parse(ByteView frame);
    // Only for bytes that passed check().
    static EthernetView unchecked(ByteView frame) { return EthernetView(frame); }

    MacAddr destination() const;
    MacAddr source() const;
    std::uint16_t etherType() const { return loadBe16(b_.data() + 12); }
    ByteView header() const { return b_.first(kHeaderLength); }
    ByteView payload() const { return b_.subspan(kHeaderLength); }
    ByteView bytes() const { return b_; }

private:
    explicit EthernetView(ByteView b) : b_(b) {}
    ByteView b_;
};

struct EthernetHeader {
    MacAddr destination;
    MacAddr source;
    std::uint16_t etherType = 0;

    static EthernetHeader from(const EthernetView &view);
    bool operator==(const EthernetHeader &) const = default;
};

// header + payload; with padToMinimum, zero bytes are added up to 60 bytes as a NIC would.
Bytes buildEthernet(const EthernetHeader &header, ByteView payload, bool padToMinimum = false);
void appendEthernetHeader(Bytes &out, const EthernetHeader &header);

}  // namespace tcplab

#include "link/vnet_hdr.h"

#include <string>

#include "core/checksum.h"

namespace tcplab::vnet {

namespace {

std::uint16_t loadLe16(const std::uint8_t *p)
{
    return static_cast<std::uint16_t>(p[0] | p[1] << 8);
}
void storeLe16(std::uint8_t *p, std::uint16_t v)
{
    p[0] = static_cast<std::uint8_t>(v);
    p[1] = static_cast<std::uint8_t>(v >> 8);
}

constexpr std::size_t kEth = 14;
constexpr std::uint16_t kEtherIpv4 = 0x0800, kEtherIpv6 = 0x86dd;
constexpr std::uint8_t kTcp = 6;

}  // namespace

Header parse(ByteView b)
{
    Header h;
    if (b.size() < kHeaderLegacy) return h;
    h.flags = b[0];
    h.gsoType = b[1];
    h.hdrLen = loadLe16(&b[2]);
    h.gsoSize = loadLe16(&b[4]);
    h.csumStart = loadLe16(&b[6]);
    h.csumOffset = loadLe16(&b[8]);
    return h;
}

void store(const Header &h, std::uint8_t *out, std::size_t size)
{
    out[0] = h.flags;
    out[1] = h.gsoType;
    storeLe16(out + 2, h.hdrLen);
    storeLe16(out + 4, h.gsoSize);
    storeLe16(out + 6, h.csumStart);
    storeLe16(out + 8, h.csumOffset);
    if (size >= kHeaderV1) storeLe16(out + 10, 0); // num_buffers: the device's to set
}

Status completeChecksum(const Header &h, MutableByteView frame)
{
    const std::size_t start = h.csumStart, field = std::size_t(h.csumStart) + h.csumOffset;
    if (start >= frame.size() || field + 2 > frame.size())
        return Error{"virtio-net header: checksum at " + std::to_string(start) + "+" +
                     std::to_string(h.csumOffset) + " lies beyond the " + std::to_string(frame.size()) +
                     "-byte frame"};
    ChecksumAccumulator acc;
    acc.add(frame.subspan(start));
    storeBe16(&frame[field], acc.finish());
    return okStatus();
}

Expected<GsoPlan> planTcpGso(ByteView frame, std::uint16_t mss)
{
    if (mss == 0) return Error{"GSO: segment size 0"};
    if (frame.size() < kEth + 20) return Error{"GSO: frame too short for an IP header"};
    const std::uint16_t etherType = loadBe16(&frame[12]);
    const std::uint8_t *ip = &frame[kEth];
    std::size_t ipHeader = 0, ipPayload = 0;
    ChecksumAccumulator pseudo;
    GsoPlan plan;
    if (etherType == kEtherIpv4 && (ip[0] >> 4) == 4) {
        ipHeader = std::size_t(ip[0] & 0x0f) * 4;
        const std::size_t total = loadBe16(ip + 2);
        if (ip[9] != kTcp || ipHeader < 20 || total < ipHeader || kEth + total > frame.size())
            return Error{"GSO: not a whole IPv4 TCP packet"};
        // A fragment cannot be segmented (RFC 791: MF or an offset).
        if (loadBe16(ip + 6) & 0x3fff) return Error{"GSO: an IPv4 fragment"};
        ipPayload = total - ipHeader;
        pseudo.add(ByteView(ip + 12, 8));
        plan.header.gsoType = kGsoTcpV4;
    } else if (etherType == kEtherIpv6 && (ip[0] >> 4) == 6 && frame.size() >= kEth + 40) {
        ipHeader = 40;
        ipPayload = loadBe16(ip + 4);
        // Extension headers are not produced by the stack's TCP: only a TCP next header is planned.
        if (ip[6] != kTcp || kEth + 40 + ipPayload > frame.size())
            return Error{"GSO: not a whole IPv6 TCP packet"};
        pseudo.add(ByteView(ip + 8, 32));
        plan.header.gsoType = kGsoTcpV6;
    } else {
        return Error{"GSO: neither IPv4 nor IPv6"};
    }
    const std::size_t tcpAt = kEth + ipHeader;
    if (ipPayload < 20) return Error{"GSO: TCP header missing"};
    const std::size_t tcpHeader = std::size_t(frame[tcpAt + 12] >> 4) * 4;
    if (tcpHeader < 20 || tcpHeader > ipPayload) return Error{"GSO: bad TCP data offset"};
    if (ipPayload - tcpHeader <= mss) return Error{"GSO: the segment fits in one MSS"};
    // RFC 9293 section 3.1: the pseudo-header holds the TCP length; NEEDS_CSUM wants its sum,
    // folded and not complemented, in the checksum field (Linux's ~tcp_v4_check(len, ...)).
    pseudo.addBe16(kTcp);
    pseudo.addBe16(static_cast<std::uint16_t>(ipPayload));
    plan.partialChecksum = static_cast<std::uint16_t>(~pseudo.finish());
    plan.header.flags = kNeedsCsum;
    plan.header.hdrLen = static_cast<std::uint16_t>(tcpAt + tcpHeader);
    plan.header.gsoSize = mss;
    plan.header.csumStart = static_cast<std::uint16_t>(tcpAt);
    plan.header.csumOffset = 16;
    return plan;
}

}  // namespace tcplab::vnet

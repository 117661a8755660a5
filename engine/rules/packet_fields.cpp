#include "rules/packet_fields.h"

#include <algorithm>

#include "core/checksum.h"
#include "wire/tcp.h"

namespace tcplab {

namespace {

constexpr std::uint8_t kProtoTcp = 6;

constexpr PacketFieldInfo kFields[] = {
    {PacketField::TcpSrcPort, "tcp.srcport", "tcp.sport", 16},
    {PacketField::TcpDstPort, "tcp.dstport", "tcp.dport", 16},
    {PacketField::TcpSeq, "tcp.seq", "tcp.seq_raw", 32},
    {PacketField::TcpAck, "tcp.ack", "tcp.ack_raw", 32},
    {PacketField::TcpDataOffset, "tcp.data_offset", "tcp.doff", 4},
    {PacketField::TcpFlags, "tcp.flags", "tcp.flags", 8},
    {PacketField::TcpWindow, "tcp.window_size_value", "tcp.window", 16},
    {PacketField::TcpChecksum, "tcp.checksum", "tcp.checksum", 16},
    {PacketField::TcpUrgent, "tcp.urgent_pointer", "tcp.urgent", 16},
    {PacketField::IpTtl, "ip.ttl", "ipv6.hlim", 8},
    {PacketField::IpTos, "ip.dsfield", "ip.tos", 8},
    {PacketField::IpDscp, "ip.dsfield.dscp", "ip.dscp", 6},
    {PacketField::IpEcn, "ip.dsfield.ecn", "ip.ecn", 2},
    {PacketField::IpId, "ip.id", "ip.id", 16},
    {PacketField::IpDf, "ip.flags.df", "ip.df", 1},
};

bool isExtensionHeader(std::uint8_t next)
{
    // RFC 8200 section 4: Hop-by-Hop (0), Routing (43), Destination Options (60).
    return next == 0 || next == 43 || next == 60;
}

std::uint8_t ipTos(ByteView ip)
{
    if ((ip[0] >> 4) == 4) return ip[1];
    return static_cast<std::uint8_t>((ip[0] & 0x0f) << 4 | ip[1] >> 4);
}

void setIpTos(MutableByteView ip, std::uint8_t tos)
{
    if ((ip[0] >> 4) == 4) {
        ip[1] = tos;
        return;
    }
    ip[0] = static_cast<std::uint8_t>((ip[0] & 0xf0) | tos >> 4);
    ip[1] = static_cast<std::uint8_t>((ip[1] & 0x0f) | (tos & 0x0f) << 4);
}

}  // namespace

std::optional<TcpLocation> locateTcp(ByteView ip)
{
    if (ip.empty()) return std::nullopt;
    TcpLocation loc;
    loc.ipVersion = ip[0] >> 4;
    std::size_t end = ip.size();
    if (loc.ipVersion == 4) {
        if (ip.size() < 20) return std::nullopt;
        const std::size_t ihl = std::size_t(ip[0] & 0x0f) * 4;
        if (ihl < 20 || ihl > ip.size() || ip[9] != kProtoTcp) return std::nullopt;
        end = std::min<std::size_t>(end, loadBe16(ip.data() + 2));
        if (end < ihl) return std::nullopt;
        loc.tcpOffset = ihl;
    } else if (loc.ipVersion == 6) {
        if (ip.size() < 40) return std::nullopt;
        end = std::min<std::size_t>(end, 40 + std::size_t(loadBe16(ip.data() + 4)));
        std::uint8_t next = ip[6];
        std::size_t off = 40;
        while (isExtensionHeader(next)) {
            if (off + 8 > end) return std::nullopt;
            next = ip[off];
            off += (std::size_t(ip[off + 1]) + 1) * 8;
        }
        if (next != kProtoTcp || off > end) return std::nullopt;
        loc.tcpOffset = off;
    } else {
        return std::nullopt;
    }
    loc.tcpLength = end - loc.tcpOffset;
    if (loc.tcpLength < 20) return std::nullopt;
    loc.headerLength = std::clamp<std::size_t>(std::size_t(ip[loc.tcpOffset + 12] >> 4) * 4, 20, loc.tcpLength);
    return loc;
}

IpAddr ipSource(ByteView ip)
{
    if ((ip[0] >> 4) == 4) return Ip4Addr{loadBe32(ip.data() + 12)};
    Ip6Addr a;
    std::copy_n(ip.begin() + 8, 16, a.b.begin());
    return a;
}

IpAddr ipDestination(ByteView ip)
{
    if ((ip[0] >> 4) == 4) return Ip4Addr{loadBe32(ip.data() + 16)};
    Ip6Addr a;
    std::copy_n(ip.begin() + 24, 16, a.b.begin());
    return a;
}

std::optional<PacketField> packetFieldFromName(std::string_view name)
{
    for (const auto &f : kFields)
        if (f.name == name || f.alias == name) return f.field;
    return std::nullopt;
}

const PacketFieldInfo &packetFieldInfo(PacketField field) { return kFields[static_cast<std::size_t>(field)]; }

std::string_view packetFieldNames()
{
    return "tcp.srcport tcp.dstport tcp.seq tcp.ack tcp.data_offset tcp.flags tcp.window_size_value (tcp.window) "
           "tcp.checksum tcp.urgent_pointer (tcp.urgent) ip.ttl (ipv6.hlim) ip.dsfield (ip.tos) ip.dsfield.dscp "
           "(ip.dscp) ip.dsfield.ecn (ip.ecn) ip.id ip.flags.df (ip.df)";
}

std::optional<std::uint32_t> readPacketField(ByteView ip, const TcpLocation &loc, PacketField field)
{
    const std::uint8_t *t = ip.data() + loc.tcpOffset;
    const bool v4 = loc.ipVersion == 4;
    switch (field) {
    case PacketField::TcpSrcPort: return loadBe16(t);
    case PacketField::TcpDstPort: return loadBe16(t + 2);
    case PacketField::TcpSeq: return loadBe32(t + 4);
    case PacketField::TcpAck: return loadBe32(t + 8);
    case PacketField::TcpDataOffset: return t[12] >> 4;
    case PacketField::TcpFlags: return t[13];
    case PacketField::TcpWindow: return loadBe16(t + 14);
    case PacketField::TcpChecksum: return loadBe16(t + 16);
    case PacketField::TcpUrgent: return loadBe16(t + 18);
    case PacketField::IpTtl: return v4 ? ip[8] : ip[7];
    case PacketField::IpTos: return ipTos(ip);
    case PacketField::IpDscp: return ipTos(ip) >> 2;
    case PacketField::IpEcn: return ipTos(ip) & 3;
    case PacketField::IpId: return v4 ? std::optional<std::uint32_t>(loadBe16(ip.data() + 4)) : std::nullopt;
    case PacketField::IpDf: return v4 ? std::optional<std::uint32_t>((ip[6] >> 6) & 1) : std::nullopt;
    }
    return std::nullopt;
}

bool writePacketField(MutableByteView ip, const TcpLocation &loc, PacketField field, std::uint32_t value)
{
    const unsigned bits = packetFieldInfo(field).bits;
    if (bits < 32 && value >> bits) return false;
    std::uint8_t *t = ip.data() + loc.tcpOffset;
    const bool v4 = loc.ipVersion == 4;
    const auto v8 = static_cast<std::uint8_t>(value);
    const auto v16 = static_cast<std::uint16_t>(value);
    switch (field) {
    case PacketField::TcpSrcPort: storeBe16(t, v16); return true;
    case PacketField::TcpDstPort: storeBe16(t + 2, v16); return true;
    case PacketField::TcpSeq: storeBe32(t + 4, value); return true;
    case PacketField::TcpAck: storeBe32(t + 8, value); return true;
    case PacketField::TcpDataOffset: t[12] = static_cast<std::uint8_t>((t[12] & 0x0f) | v8 << 4); return true;
    case PacketField::TcpFlags: t[13] = v8; return true;
    case PacketField::TcpWindow: storeBe16(t + 14, v16); return true;
    case PacketField::TcpChecksum: storeBe16(t + 16, v16); return true;
    case PacketField::TcpUrgent: storeBe16(t + 18, v16); return true;
    case PacketField::IpTtl: (v4 ? ip[8] : ip[7]) = v8; return true;
    case PacketField::IpTos: setIpTos(ip, v8); return true;
    case PacketField::IpDscp: setIpTos(ip, static_cast<std::uint8_t>((ipTos(ip) & 3) | v8 << 2)); return true;
    case PacketField::IpEcn: setIpTos(ip, static_cast<std::uint8_t>((ipTos(ip) & 0xfc) | v8)); return true;
    case PacketField::IpId:
        if (!v4) return false;
        storeBe16(ip.data() + 4, v16);
        return true;
    case PacketField::IpDf:
        if (!v4) return false;
        ip[6] = static_cast<std::uint8_t>((ip[6] & ~0x40) | (v8 << 6));
        return true;
    }
    return false;
}

void fixPacketLengths(Bytes &ip, const TcpLocation &loc)
{
    if (loc.ipVersion == 4)
        storeBe16(ip.data() + 2, static_cast<std::uint16_t>(ip.size()));
    else
        storeBe16(ip.data() + 4, static_cast<std::uint16_t>(ip.size() - 40));
}

void fixPacketChecksums(Bytes &ip, const TcpLocation &loc)
{
    if (loc.ipVersion == 4) {
        // RFC 791 section 3.1: "the 16 bit one's complement of the one's complement sum of all 16
        // bit words in the header. For purposes of computing the checksum, the value of the
        // checksum field is zero."
        storeBe16(ip.data() + 10, 0);
        storeBe16(ip.data() + 10, internetChecksum(ByteView(ip).first(loc.tcpOffset)));
    }
    fixTcpChecksum(MutableByteView(ip).subspan(loc.tcpOffset), ipSource(ip), ipDestination(ip));
}

Bytes buildIpPacket(const IpAddr &src, const IpAddr &dst, std::uint8_t ttl, ByteView tcp)
{
    Bytes out;
    if (src.isV4()) {
        out = {0x45, 0, 0, 0, 0, 0, 0x40, 0, ttl, kProtoTcp, 0, 0};  // DF set, like Linux
        appendBe32(out, src.v4().value);
        appendBe32(out, dst.isV4() ? dst.v4().value : 0);
    } else {
        out = {0x60, 0, 0, 0, 0, 0, kProtoTcp, ttl};
        out.insert(out.end(), src.v6().b.begin(), src.v6().b.end());
        const Ip6Addr d = dst.isV6() ? dst.v6() : Ip6Addr{};
        out.insert(out.end(), d.b.begin(), d.b.end());
    }
    const TcpLocation loc{static_cast<std::uint8_t>(src.isV4() ? 4 : 6), out.size(), tcp.size(), 20};
    out.insert(out.end(), tcp.begin(), tcp.end());
    fixPacketLengths(out, loc);
    fixPacketChecksums(out, loc);
    return out;
}

}  // namespace tcplab

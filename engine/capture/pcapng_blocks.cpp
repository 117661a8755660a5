#include "capture/pcapng_blocks.h"

#include <cstring>

namespace tcplab::pcapng {

namespace {

// pcapng is written in the writer's byte order; we write little-endian.
void put16(Bytes &o, std::uint16_t v)
{
    o.push_back(static_cast<std::uint8_t>(v));
    o.push_back(static_cast<std::uint8_t>(v >> 8));
}
void put32(Bytes &o, std::uint32_t v)
{
    put16(o, static_cast<std::uint16_t>(v));
    put16(o, static_cast<std::uint16_t>(v >> 16));
}
void pad4(Bytes &o)
{
    while (o.size() % 4)
        o.push_back(0);
}
void option(Bytes &o, std::uint16_t code, const void *value, std::size_t len)
{
    put16(o, code);
    put16(o, static_cast<std::uint16_t>(len));
    const auto *p = static_cast<const std::uint8_t *>(value);
    o.insert(o.end(), p, p + len);
    pad4(o);
}
void option(Bytes &o, std::uint16_t code, const std::string &s)
{
    // An option's length field is 16 bits: longer text is cut (comments are one line each).
    option(o, code, s.data(), std::min<std::size_t>(s.size(), 0xfff0));
}
void endOptions(Bytes &o)
{
    put16(o, kOptEnd);
    put16(o, 0);
}
// Patches the block's total length at `start` and appends the trailing copy.
void closeBlock(Bytes &o, std::size_t start)
{
    const std::uint32_t len = static_cast<std::uint32_t>(o.size() - start + 4);
    std::memcpy(o.data() + start + 4, &len, 4); // little-endian host (x86, arm64 Linux)
    put32(o, len);
}
std::size_t openBlock(Bytes &o, std::uint32_t type)
{
    const std::size_t start = o.size();
    put32(o, type);
    put32(o, 0);
    return start;
}

} // namespace

std::string interfaceDescription(HostId host, LinkId link)
{
    return "TCP Lab host " + std::to_string(host) + " link " + std::to_string(link);
}

bool parseInterfaceDescription(const std::string &text, HostId &host, LinkId &link)
{
    unsigned long h = 0, l = 0;
    int used = 0;
    if (std::sscanf(text.c_str(), "TCP Lab host %lu link %lu%n", &h, &l, &used) != 2 ||
        used != static_cast<int>(text.size()) || h > 0xffffffffUL || l > 0xffff)
        return false;
    host = static_cast<HostId>(h);
    link = static_cast<LinkId>(l);
    return true;
}

void appendSectionHeader(Bytes &out, const std::string &application, const std::string &os,
                         const std::string &comment)
{
    const std::size_t start = openBlock(out, kSectionHeader);
    put32(out, kByteOrderMagic);
    put16(out, 1);           // major
    put16(out, 0);           // minor
    put32(out, 0xffffffffu); // section length: not specified
    put32(out, 0xffffffffu);
    option(out, 3, os);          // shb_os
    option(out, 4, application); // shb_userappl
    if (!comment.empty()) option(out, kOptComment, comment);
    endOptions(out);
    closeBlock(out, start);
}

void appendInterface(Bytes &out, const InterfaceInfo &info)
{
    const std::size_t start = openBlock(out, kInterface);
    put16(out, info.linkType);
    put16(out, 0);
    put32(out, info.snapLength);
    if (!info.name.empty()) option(out, 2, info.name);          // if_name
    option(out, 3, interfaceDescription(info.host, info.link)); // if_description
    for (const auto &prefix : info.addresses) {
        if (prefix.addr.isV4()) {
            std::uint8_t v[8];
            storeBe32(v, prefix.addr.v4().value);
            const std::uint32_t mask = prefix.length ? ~std::uint32_t(0) << (32 - prefix.length) : 0;
            storeBe32(v + 4, mask);
            option(out, 4, v, 8); // if_IPv4addr: address and netmask
        } else {
            std::uint8_t v[17];
            std::memcpy(v, prefix.addr.v6().b.data(), 16);
            v[16] = prefix.length;
            option(out, 5, v, 17); // if_IPv6addr: address and prefix length
        }
    }
    if (info.mac != MacAddr{}) option(out, 6, info.mac.b.data(), 6); // if_MACaddr
    const std::uint8_t tsresol = 9;                                  // 10^-9 s
    option(out, 9, &tsresol, 1);
    endOptions(out);
    closeBlock(out, start);
}

void appendEnhancedPacket(Bytes &out, const EnhancedPacket &p)
{
    const std::size_t start = openBlock(out, kEnhancedPacket);
    put32(out, p.interfaceId);
    put32(out, static_cast<std::uint32_t>(p.timestampNs >> 32));
    put32(out, static_cast<std::uint32_t>(p.timestampNs));
    put32(out, static_cast<std::uint32_t>(p.bytes.size()));
    put32(out, p.originalLength ? p.originalLength : static_cast<std::uint32_t>(p.bytes.size()));
    out.insert(out.end(), p.bytes.begin(), p.bytes.end());
    pad4(out);
    for (const auto &c : p.comments)
        option(out, kOptComment, c);
    if (p.flags) {
        Bytes v;
        put32(v, p.flags);
        option(out, 2, v.data(), 4); // epb_flags
    }
    if (!p.customJson.empty()) {
        Bytes v;
        put32(v, kPen);
        v.insert(v.end(), p.customJson.begin(), p.customJson.end());
        option(out, kOptCustomStringCopy, v.data(), std::min<std::size_t>(v.size(), 0xfff0));
    }
    if (!p.comments.empty() || p.flags || !p.customJson.empty()) endOptions(out);
    closeBlock(out, start);
}

void appendPcapHeader(Bytes &out, std::uint16_t linkType, std::uint32_t snapLength)
{
    put32(out, 0xa1b23c4d); // nanosecond-resolution magic
    put16(out, 2);
    put16(out, 4);
    put32(out, 0); // thiszone
    put32(out, 0); // sigfigs
    put32(out, snapLength);
    put32(out, linkType);
}

void appendPcapRecord(Bytes &out, std::uint64_t timestampNs, ByteView bytes, std::uint32_t originalLength)
{
    put32(out, static_cast<std::uint32_t>(timestampNs / 1000000000u));
    put32(out, static_cast<std::uint32_t>(timestampNs % 1000000000u));
    put32(out, static_cast<std::uint32_t>(bytes.size()));
    put32(out, originalLength ? originalLength : static_cast<std::uint32_t>(bytes.size()));
    out.insert(out.end(), bytes.begin(), bytes.end());
}

} // namespace tcplab::pcapng

// The pcapng block reader (see pcapng_blocks.h). Every length is checked against what is left of
// the block before it is used; errors name the file, the block's offset and what is wrong.
#include <cstring>

#include "capture/pcapng_blocks.h"

namespace tcplab::pcapng {

namespace {

class Cursor {
public:
    Cursor(ByteView b, bool swap) : b_(b), swap_(swap) {}
    std::uint32_t u32(std::size_t at) const
    {
        std::uint32_t v;
        std::memcpy(&v, b_.data() + at, 4);
        return swap_ ? __builtin_bswap32(v) : v;
    }
    std::uint16_t u16(std::size_t at) const
    {
        std::uint16_t v;
        std::memcpy(&v, b_.data() + at, 2);
        return swap_ ? __builtin_bswap16(v) : v;
    }
    bool swapped() const { return swap_; }

private:
    ByteView b_;
    bool swap_;
};

struct Option {
    std::uint16_t code;
    ByteView value;
};

std::string at(const std::string &name, std::uint64_t offset)
{
    return name + ": block at offset " + std::to_string(offset) + ": ";
}

// Options from `from` to the end of the block body; calls visit(option).
template <class Visit>
Status walkOptions(ByteView body, std::size_t from, const Cursor &c, const std::string &where, Visit &&visit)
{
    std::size_t i = from;
    while (i + 4 <= body.size()) {
        const std::uint16_t code = c.u16(i), len = c.u16(i + 2);
        if (code == kOptEnd) return okStatus();
        const std::size_t padded = (std::size_t(len) + 3) & ~std::size_t(3);
        if (i + 4 + padded > body.size())
            return Error{where + "option " + std::to_string(code) + " at block offset " + std::to_string(i) +
                         " runs past the end of its block"};
        visit(Option{code, body.subspan(i + 4, len)});
        i += 4 + padded;
    }
    if (i != body.size()) return Error{where + "options end in the middle of an option header"};
    return okStatus();
}

std::string text(ByteView v)
{
    return std::string(reinterpret_cast<const char *>(v.data()), v.size());
}

Status readSectionHeader(ByteView body, const Cursor &c, const std::string &where, FileContents &out)
{
    if (body.size() < 16) return Error{where + "section header shorter than 16 bytes"};
    if (c.u16(4) != 1) return Error{where + "unsupported pcapng major version " + std::to_string(c.u16(4))};
    return walkOptions(body, 16, c, where, [&](const Option &o) {
        if (o.code == 3) out.os = text(o.value);
        if (o.code == 4) out.application = text(o.value);
    });
}

Status readInterface(ByteView body, const Cursor &c, const std::string &where, FileContents &out)
{
    if (body.size() < 8) return Error{where + "interface description shorter than 8 bytes"};
    FileInterface fi;
    fi.info.linkType = c.u16(0);
    fi.info.snapLength = c.u32(4);
    fi.info.host = static_cast<HostId>(out.interfaces.size());
    fi.info.link = 0;
    auto st = walkOptions(body, 8, c, where, [&](const Option &o) {
        switch (o.code) {
        case 2: fi.info.name = text(o.value); break;
        case 3: fi.fromTcpLab = parseInterfaceDescription(text(o.value), fi.info.host, fi.info.link); break;
        case 4:
            if (o.value.size() == 8) {
                const std::uint32_t mask = loadBe32(o.value.data() + 4);
                fi.info.addresses.push_back(
                    {Ip4Addr{loadBe32(o.value.data())}, static_cast<std::uint8_t>(__builtin_popcount(mask))});
            }
            break;
        case 5:
            if (o.value.size() == 17) {
                Ip6Addr a;
                std::memcpy(a.b.data(), o.value.data(), 16);
                fi.info.addresses.push_back({a, o.value[16]});
            }
            break;
        case 6:
            if (o.value.size() == 6) std::memcpy(fi.info.mac.b.data(), o.value.data(), 6);
            break;
        case 9:
            if (o.value.size() == 1) fi.tsresol = o.value[0];
            break;
        default: break;
        }
    });
    if (!st) return st;
    out.interfaces.push_back(std::move(fi));
    return okStatus();
}

Status readPacketOptions(ByteView body, std::size_t from, const Cursor &c, const std::string &where,
                         FilePacket &p)
{
    return walkOptions(body, from, c, where, [&](const Option &o) {
        if (o.code == kOptComment) p.comments.push_back(text(o.value));
        if (o.code == 2 && o.value.size() == 4) {
            p.hasFlags = true;
            p.flags = c.u32(static_cast<std::size_t>(o.value.data() - body.data()));
        }
        if (o.code == kOptCustomStringCopy && o.value.size() >= 4 &&
            c.u32(static_cast<std::size_t>(o.value.data() - body.data())) == kPen)
            p.customJson = text(o.value.subspan(4));
    });
}

Status readPacket(std::uint32_t type, ByteView body, std::uint64_t bodyOffset, const Cursor &c,
                  const std::string &where, FileContents &out, FilePacket &p)
{
    std::size_t dataAt = 0;
    if (type == kEnhancedPacket || type == kObsoletePacket) {
        if (body.size() < 20) return Error{where + "packet block shorter than 20 bytes"};
        p.interfaceId = type == kEnhancedPacket ? c.u32(0) : c.u16(0);
        p.timestamp = std::uint64_t(c.u32(4)) << 32 | c.u32(8);
        p.capturedLength = c.u32(12);
        p.originalLength = c.u32(16);
        dataAt = 20;
    } else { // simple packet block: original length, then as much as the snap length allows
        if (body.size() < 4) return Error{where + "simple packet block shorter than 4 bytes"};
        p.originalLength = c.u32(0);
        p.capturedLength =
            static_cast<std::uint32_t>(std::min<std::uint64_t>(p.originalLength, body.size() - 4));
        if (!out.interfaces.empty())
            p.capturedLength = std::min(p.capturedLength, out.interfaces.front().info.snapLength);
        dataAt = 4;
    }
    if (p.interfaceId >= out.interfaces.size())
        return Error{where + "packet names interface " + std::to_string(p.interfaceId) + " but only " +
                     std::to_string(out.interfaces.size()) + " were described before it"};
    const std::size_t padded = (std::size_t(p.capturedLength) + 3) & ~std::size_t(3);
    if (p.capturedLength > body.size() || dataAt + padded > body.size())
        return Error{where + "captured length " + std::to_string(p.capturedLength) +
                     " runs past the end of its block"};
    p.dataOffset = bodyOffset + dataAt;
    if (type == kSimplePacket) return okStatus();
    return readPacketOptions(body, dataAt + padded, c, where, p);
}

} // namespace

Expected<FileContents> readBlocks(ByteView file, const std::string &name)
{
    FileContents out;
    std::size_t off = 0;
    bool swap = false;
    bool sawSection = false;
    while (off < file.size()) {
        const std::string where = at(name, off);
        if (file.size() - off < 12)
            return Error{where + "truncated: " + std::to_string(file.size() - off) +
                         " bytes left, a block needs 12"};
        std::uint32_t type;
        std::memcpy(&type, file.data() + off, 4);
        if (type == kSectionHeader) {
            std::uint32_t bom;
            std::memcpy(&bom, file.data() + off + 8, 4);
            if (bom == kByteOrderMagic)
                swap = false;
            else if (bom == __builtin_bswap32(kByteOrderMagic))
                swap = true;
            else
                return Error{where + "section header with an unknown byte-order magic"};
            sawSection = true;
            out.interfaces.clear(); // interface ids are per section
        } else if (!sawSection) {
            return Error{where + "not a pcapng file (no section header block first)"};
        }
        const Cursor c(file.subspan(off), swap);
        type = c.u32(0);
        const std::uint32_t total = c.u32(4);
        if (total < 12 || total % 4 != 0)
            return Error{where + "block length " + std::to_string(total) +
                         " is not a multiple of 4 of at least 12"};
        if (total > file.size() - off)
            return Error{where + "truncated: block length " + std::to_string(total) + " but only " +
                         std::to_string(file.size() - off) + " bytes left"};
        if (c.u32(total - 4) != total)
            return Error{where + "trailing block length " + std::to_string(c.u32(total - 4)) +
                         " differs from the leading one " + std::to_string(total)};
        const ByteView block = file.subspan(off, total);
        const ByteView body = block.subspan(8, total - 12);
        const Cursor bc(body, swap);
        Status st = okStatus();
        if (type == kSectionHeader) {
            st = readSectionHeader(body, bc, where, out);
        } else if (type == kInterface) {
            st = readInterface(body, bc, where, out);
        } else if (type == kEnhancedPacket || type == kObsoletePacket || type == kSimplePacket) {
            FilePacket p;
            p.offset = off;
            st = readPacket(type, body, off + 8, bc, where, out, p);
            if (st) out.packets.push_back(std::move(p));
        } // other blocks (name resolution, statistics, ...) are skipped
        if (!st) return st.error();
        off += total;
    }
    if (!sawSection) return Error{name + ": empty file (no pcapng section header)"};
    return out;
}

} // namespace tcplab::pcapng

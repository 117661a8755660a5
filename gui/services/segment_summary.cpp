#include "services/segment_summary.h"

#include <algorithm>

#include "core/checksum.h"

namespace tcplab::gui {
namespace {

constexpr std::uint16_t kEtherIpv4 = 0x0800, kEtherIpv6 = 0x86dd, kEtherVlan = 0x8100;
constexpr std::uint8_t kProtoTcp = 6;

void readOptions(SegmentSummary &s, const std::uint8_t *p, std::size_t len)
{
    std::size_t i = 0;
    while (i < len) {
        const std::uint8_t kind = p[i];
        if (kind == 0) break;  // EOL
        if (kind == 1) { ++i; continue; }  // NOP
        if (i + 1 >= len) break;
        const std::uint8_t olen = p[i + 1];
        if (olen < 2 || i + olen > len) break;
        const std::uint8_t *v = p + i + 2;
        switch (kind) {
        case 2: if (olen == 4) s.mss = loadBe16(v); break;
        case 3: if (olen == 3) s.windowScale = v[0]; break;
        case 4: s.sackPermitted = true; break;
        case 5:
            for (std::size_t b = 0; b + 8 <= std::size_t(olen - 2) && s.sackCount < 4; b += 8)
                s.sack[s.sackCount++] = {loadBe32(v + b), loadBe32(v + b + 4)};
            break;
        case 8:
            if (olen == 10) {
                s.hasTimestamps = true;
                s.tsVal = loadBe32(v);
                s.tsEcr = loadBe32(v + 4);
            }
            break;
        default: break;
        }
        i += olen;
    }
}

}  // namespace

SegmentSummary summarizeFrame(ByteView frame, std::size_t wireLength)
{
    SegmentSummary s;
    const auto *p = frame.data();
    std::size_t n = frame.size(), off = 14;
    const std::size_t wire = std::max(n, wireLength); // where the IP packet may end
    if (n < 14) return s;
    std::uint16_t type = loadBe16(p + 12);
    if (type == kEtherVlan && n >= 18) {
        type = loadBe16(p + 16);
        off = 18;
    }
    std::size_t ipEnd = n, l4 = 0;
    std::uint8_t proto = 0;
    if (type == kEtherIpv4) {
        if (n < off + 20) return s;
        const std::size_t ihl = std::size_t(p[off] & 0x0f) * 4;
        const std::size_t total = loadBe16(p + off + 2);
        if (ihl < 20 || n < off + ihl || total < ihl) return s;
        ipEnd = std::min(wire, off + total);
        proto = p[off + 9];
        s.src = Ip4Addr{loadBe32(p + off + 12)};
        s.dst = Ip4Addr{loadBe32(p + off + 16)};
        l4 = off + ihl;
    } else if (type == kEtherIpv6) {
        if (n < off + 40) return s;
        ipEnd = std::min(wire, off + 40 + loadBe16(p + off + 4));
        proto = p[off + 6];  // extension headers are not walked for display
        Ip6Addr a, b;
        std::copy(p + off + 8, p + off + 24, a.b.begin());
        std::copy(p + off + 24, p + off + 40, b.b.begin());
        s.src = a;
        s.dst = b;
        l4 = off + 40;
    } else {
        return s;
    }
    if (proto != kProtoTcp || ipEnd < l4 + 20 || n < l4 + 20) return s;
    const std::uint8_t *t = p + l4;
    const std::size_t thl = std::size_t(t[12] >> 4) * 4;
    if (thl < 20 || l4 + thl > ipEnd || l4 + thl > n) return s;
    s.isTcp = true;
    s.ipOffset = static_cast<std::uint16_t>(off);
    s.tcpOffset = static_cast<std::uint16_t>(l4);
    s.tcpHeaderLength = static_cast<std::uint16_t>(thl);
    s.srcPort = loadBe16(t);
    s.dstPort = loadBe16(t + 2);
    s.seq = loadBe32(t + 4);
    s.ack = loadBe32(t + 8);
    s.flags = t[13];
    s.window = loadBe16(t + 14);
    s.payloadLength = static_cast<std::uint32_t>(ipEnd - l4 - thl);
    readOptions(s, t + 20, thl - 20);
    return s;
}

std::string SegmentSummary::flagText() const
{
    static constexpr std::pair<std::uint8_t, const char *> names[] = {
        {kSyn, "SYN"}, {kFin, "FIN"}, {kRst, "RST"}, {kPsh, "PSH"},
        {kAck, "ACK"}, {kUrg, "URG"}, {kEce, "ECE"}, {kCwr, "CWR"}};
    std::string out;
    for (auto [bit, name] : names) {
        if (!(flags & bit)) continue;
        if (!out.empty()) out += ", ";
        out += name;
    }
    return out.empty() ? "<none>" : out;
}

std::string SegmentSummary::optionText() const
{
    std::string out;
    auto add = [&out](const std::string &part) {
        if (!out.empty()) out += ", ";
        out += part;
    };
    if (mss >= 0) add("mss " + std::to_string(mss));
    if (windowScale >= 0) add("ws " + std::to_string(windowScale));
    if (sackPermitted) add("sackOK");
    if (hasTimestamps) add("ts");
    for (int i = 0; i < sackCount; ++i) add("sack " + std::to_string(sack[i][0]) + "-" + std::to_string(sack[i][1]));
    return out;
}

Bytes buildSegmentFrame(const SegmentSpec &spec)
{
    Bytes opts;
    if (spec.mss >= 0) { opts.insert(opts.end(), {2, 4}); appendBe16(opts, std::uint16_t(spec.mss)); }
    if (spec.sackPermitted) opts.insert(opts.end(), {4, 2});
    if (spec.timestamps) {
        opts.insert(opts.end(), {8, 10});
        appendBe32(opts, spec.tsVal);
        appendBe32(opts, spec.tsEcr);
    }
    if (spec.windowScale >= 0) opts.insert(opts.end(), {1, 3, 3, std::uint8_t(spec.windowScale)});
    while (opts.size() % 4) opts.push_back(1);
    const std::size_t tcpLen = 20 + opts.size() + spec.payloadLength;
    Bytes f;
    f.reserve(14 + 20 + tcpLen);
    f.insert(f.end(), spec.dstMac.b.begin(), spec.dstMac.b.end());
    f.insert(f.end(), spec.srcMac.b.begin(), spec.srcMac.b.end());
    appendBe16(f, kEtherIpv4);
    const std::size_t ip = f.size();
    f.insert(f.end(), {0x45, 0});
    appendBe16(f, std::uint16_t(20 + tcpLen));
    f.insert(f.end(), {0, 0, 0x40, 0, 64, kProtoTcp, 0, 0});
    appendBe32(f, spec.src.value);
    appendBe32(f, spec.dst.value);
    storeBe16(f.data() + ip + 10, internetChecksum(ByteView(f.data() + ip, 20)));
    const std::size_t tcp = f.size();
    appendBe16(f, spec.srcPort);
    appendBe16(f, spec.dstPort);
    appendBe32(f, spec.seq);
    appendBe32(f, spec.ack);
    f.push_back(std::uint8_t(((20 + opts.size()) / 4) << 4));
    f.push_back(spec.flags);
    appendBe16(f, spec.window);
    f.insert(f.end(), {0, 0, 0, 0});
    f.insert(f.end(), opts.begin(), opts.end());
    for (std::uint32_t i = 0; i < spec.payloadLength; ++i) f.push_back(std::uint8_t('a' + i % 26));
    // RFC 9293 section 3.1: the checksum covers a pseudo-header of addresses, protocol and length.
    ChecksumAccumulator sum;
    sum.addBe32(spec.src.value);
    sum.addBe32(spec.dst.value);
    sum.addBe16(kProtoTcp);
    sum.addBe16(std::uint16_t(tcpLen));
    sum.add(ByteView(f.data() + tcp, tcpLen));
    storeBe16(f.data() + tcp + 16, sum.finish());
    return f;
}

}  // namespace tcplab::gui

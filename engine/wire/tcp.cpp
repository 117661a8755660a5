#include "wire/tcp.h"

#include <algorithm>
#include <cctype>
#include <charconv>

#include "core/checksum.h"

namespace tcplab {

namespace {

struct FlagName {
    std::uint8_t bit;
    const char *name;
    char letter;  // tcpdump's letter
};
// Wireshark lists the flags in this order in its Info column ("FIN, PSH, ACK").
constexpr FlagName kFlagNames[] = {
    {TcpFlags::kFin, "FIN", 'F'}, {TcpFlags::kSyn, "SYN", 'S'}, {TcpFlags::kRst, "RST", 'R'},
    {TcpFlags::kPsh, "PSH", 'P'}, {TcpFlags::kAck, "ACK", '.'}, {TcpFlags::kUrg, "URG", 'U'},
    {TcpFlags::kEce, "ECE", 'E'}, {TcpFlags::kCwr, "CWR", 'W'},
};

std::string upper(std::string_view s)
{
    std::string out(s);
    for (char &c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return out;
}

std::string_view trim(std::string_view s)
{
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
    return s;
}

void addTcpPseudoHeader(ChecksumAccumulator &acc, const IpAddr &src, const IpAddr &dst, std::size_t length)
{
    if (src.isV4()) {
        // RFC 9293 section 3.1: "The pseudo-header ... contains the Source Address, the Destination
        // Address, the Protocol number, and the TCP length."
        acc.addBe32(src.v4().value);
        acc.addBe32(dst.isV4() ? dst.v4().value : 0);
        acc.addBe16(6);
        acc.addBe16(static_cast<std::uint16_t>(length));
    } else {
        // RFC 8200 section 8.1: source, destination, 32-bit upper-layer packet length, 24 zero
        // bits, next header.
        acc.add(ByteView(src.v6().b));
        if (dst.isV6()) acc.add(ByteView(dst.v6().b));
        acc.addBe32(static_cast<std::uint32_t>(length));
        acc.addBe32(6);
    }
}

}  // namespace

std::string TcpFlags::toString() const
{
    if (bits == 0) return "<None>";
    std::string out;
    for (const auto &f : kFlagNames) {
        if (!(bits & f.bit)) continue;
        if (!out.empty()) out += ", ";
        out += f.name;
    }
    return out;
}

std::optional<TcpFlags> TcpFlags::parse(std::string_view text)
{
    text = trim(text);
    if (text.empty()) return std::nullopt;
    if (text.size() > 2 && text[0] == '0' && (text[1] == 'x' || text[1] == 'X')) {
        unsigned v = 0;
        auto [p, ec] = std::from_chars(text.data() + 2, text.data() + text.size(), v, 16);
        if (ec != std::errc() || p != text.data() + text.size() || v > 0xff) return std::nullopt;
        return TcpFlags(static_cast<std::uint8_t>(v));
    }
    const std::string u = upper(text);
    if (u == "<NONE>" || u == "NONE") return TcpFlags();
    TcpFlags flags;
    // Named form: words separated by ',', '|', '+' or spaces.
    const bool oneName = std::any_of(std::begin(kFlagNames), std::end(kFlagNames), [&](const FlagName &f) { return u == f.name; });
    if (u.find_first_of(",|+ ") != std::string::npos || oneName) {
        std::size_t i = 0;
        while (i < u.size()) {
            const std::size_t j = u.find_first_of(",|+ ", i);
            const std::string_view word = trim(std::string_view(u).substr(i, j == std::string::npos ? j : j - i));
            i = j == std::string::npos ? u.size() : j + 1;
            if (word.empty()) continue;
            bool found = false;
            for (const auto &f : kFlagNames)
                if (word == f.name) {
                    flags.set(f.bit);
                    found = true;
                }
            if (!found) return std::nullopt;
        }
        return flags;
    }
    // tcpdump letters: "S", "S.", "FP.".
    for (char c : u) {
        bool found = false;
        for (const auto &f : kFlagNames)
            if (c == f.letter) {
                flags.set(f.bit);
                found = true;
            }
        if (!found) return std::nullopt;
    }
    return flags;
}

Expected<TcpOptions> parseTcpOptions(ByteView bytes)
{
    TcpOptions o;
    std::string_view problem;
    // Padding is counted separately since walkTcpOptions skips it.
    for (std::size_t i = 0; i < bytes.size();) {
        if (bytes[i] == tcpopt::kEol) {
            o.sawEol = true;
            break;
        }
        if (bytes[i] == tcpopt::kNop) {
            ++o.nopCount;
            ++i;
            continue;
        }
        if (i + 1 >= bytes.size() || bytes[i + 1] < 2) break;
        i += bytes[i + 1];
    }
    const std::string_view walkIssue = walkTcpOptions(bytes, [&](std::uint8_t kind, ByteView v) {
        if (!problem.empty()) return;
        switch (kind) {
        case tcpopt::kMss:
            if (v.size() != 2) problem = "TCP MSS option length is not 4";
            else o.mss = loadBe16(v.data());
            return;
        case tcpopt::kWindowScale:
            if (v.size() != 1) problem = "TCP window scale option length is not 3";
            else o.windowScale = v[0];
            return;
        case tcpopt::kSackPermitted:
            if (!v.empty()) problem = "TCP SACK-permitted option length is not 2";
            else o.sackPermitted = true;
            return;
        case tcpopt::kSack:
            // RFC 2018 section 3: "a SACK option that specifies n blocks will have a length of 8*n+2".
            if (v.empty() || v.size() % 8 != 0 || v.size() / 8 > tcpopt::kMaxSackBlocks)
                problem = "TCP SACK option length is not 8*n+2 with 1 <= n <= 4";
            else
                for (std::size_t k = 0; k < v.size(); k += 8)
                    o.addSack({SeqNum(loadBe32(v.data() + k)), SeqNum(loadBe32(v.data() + k + 4))});
            return;
        case tcpopt::kTimestamps:
            if (v.size() != 8) problem = "TCP timestamps option length is not 10";
            else o.timestamps = TcpTimestamps{loadBe32(v.data()), loadBe32(v.data() + 4)};
            return;
        default: o.unknown.push_back({kind, Bytes(v.begin(), v.end())});
        }
    });
    if (!walkIssue.empty()) return Error{std::string(walkIssue)};
    if (!problem.empty()) return Error{std::string(problem)};
    return o;
}

namespace {

void appendOptionsRaw(Bytes &out, const TcpOptions &o)
{
    auto put = [&](std::initializer_list<std::uint8_t> b) { out.insert(out.end(), b); };
    if (o.mss) put({tcpopt::kMss, 4, std::uint8_t(*o.mss >> 8), std::uint8_t(*o.mss)});
    if (o.timestamps) {
        if (o.sackPermitted) put({tcpopt::kSackPermitted, 2});
        else put({tcpopt::kNop, tcpopt::kNop});
        put({tcpopt::kTimestamps, 10});
        appendBe32(out, o.timestamps->value);
        appendBe32(out, o.timestamps->echo);
    } else if (o.sackPermitted) {
        put({tcpopt::kNop, tcpopt::kNop, tcpopt::kSackPermitted, 2});
    }
    if (o.windowScale) put({tcpopt::kNop, tcpopt::kWindowScale, 3, *o.windowScale});
}

std::size_t fixedPartLength(const TcpOptions &o)
{
    std::size_t n = 0;
    if (o.mss) n += 4;
    if (o.timestamps) n += 12;
    else if (o.sackPermitted) n += 4;
    if (o.windowScale) n += 4;
    for (const auto &u : o.unknown) n += 2 + u.data.size();
    return n;
}

std::size_t sackBlocksThatFit(const TcpOptions &o)
{
    const std::size_t fixed = fixedPartLength(o);
    std::size_t n = o.sackCount;
    while (n > 0 && fixed + 4 + 8 * n > tcpopt::kMaxSpace) --n;
    return n;
}

}  // namespace

std::size_t TcpOptions::encodedLength() const
{
    const std::size_t sacks = sackBlocksThatFit(*this);
    std::size_t n = fixedPartLength(*this) + (sacks ? 4 + 8 * sacks : 0);
    n = (n + 3) & ~std::size_t(3);
    return std::min(n, tcpopt::kMaxSpace);
}

std::size_t serializeOptions(Bytes &out, const TcpOptions &o)
{
    const std::size_t start = out.size();
    appendOptionsRaw(out, o);
    if (const std::size_t sacks = sackBlocksThatFit(o)) {
        out.insert(out.end(), {tcpopt::kNop, tcpopt::kNop, tcpopt::kSack, std::uint8_t(2 + 8 * sacks)});
        for (std::size_t i = 0; i < sacks; ++i) {
            appendBe32(out, o.sackBlocks[i].left.raw());
            appendBe32(out, o.sackBlocks[i].right.raw());
        }
    }
    for (const auto &u : o.unknown) {
        if (out.size() - start + 2 + u.data.size() > tcpopt::kMaxSpace) break;
        out.push_back(u.kind);
        out.push_back(static_cast<std::uint8_t>(2 + u.data.size()));
        out.insert(out.end(), u.data.begin(), u.data.end());
    }
    while ((out.size() - start) % 4) out.push_back(tcpopt::kEol);
    return out.size() - start;
}

std::string TcpOptions::toString() const
{
    std::string s;
    auto add = [&](const std::string &part) {
        if (!s.empty()) s += ' ';
        s += part;
    };
    if (mss) add("mss=" + std::to_string(*mss));
    if (windowScale) add("ws=" + std::to_string(*windowScale));
    if (sackPermitted) add("sackOK");
    if (timestamps) add("ts=" + std::to_string(timestamps->value) + "/" + std::to_string(timestamps->echo));
    if (sackCount) {
        std::string b = "sack=";
        for (std::size_t i = 0; i < sackCount; ++i)
            b += "[" + std::to_string(sackBlocks[i].left.raw()) + "-" + std::to_string(sackBlocks[i].right.raw()) + "]";
        add(b);
    }
    for (const auto &u : unknown) add("kind" + std::to_string(u.kind) + "(" + std::to_string(u.data.size()) + " bytes)");
    return s;
}

bool TcpOptions::operator==(const TcpOptions &o) const
{
    return mss == o.mss && windowScale == o.windowScale && sackPermitted == o.sackPermitted &&
           sackCount == o.sackCount &&
           std::equal(sackBlocks.begin(), sackBlocks.begin() + sackCount, o.sackBlocks.begin()) &&
           timestamps == o.timestamps && unknown == o.unknown;
}

Expected<TcpView> TcpView::parse(ByteView segment)
{
    if (segment.size() < kMinHeaderLength)
        return Error{"TCP segment: shorter than a TCP header (" + std::to_string(segment.size()) + " bytes)"};
    const std::size_t headerLength = std::size_t(segment[12] >> 4) * 4;
    if (headerLength < kMinHeaderLength)
        return Error{"TCP segment: data offset " + std::to_string(headerLength / 4) + " is below 5"};
    if (headerLength > segment.size())
        return Error{"TCP segment: data offset " + std::to_string(headerLength / 4) + " runs past the " +
                     std::to_string(segment.size()) + " bytes received"};
    return TcpView(segment);
}

std::string_view TcpView::sanityIssue() const
{
    const TcpFlags f = flags();
    if (f.syn() && f.fin()) return "TCP SYN and FIN both set";
    if (f.syn() && f.rst()) return "TCP SYN and RST both set";
    if (sourcePort() == 0 || destinationPort() == 0) return "TCP port 0";
    if (!f.ack() && ack().raw() != 0 && !f.rst()) return "TCP acknowledgment number set without ACK";
    if (reserved() & 0x0e) return "TCP reserved bits set";
    return walkTcpOptions(optionBytes(), [](std::uint8_t, ByteView) {});
}

Expected<TcpHeader> TcpHeader::from(const TcpView &view)
{
    TcpHeader h;
    h.sourcePort = view.sourcePort();
    h.destinationPort = view.destinationPort();
    h.seq = view.seq();
    h.ack = view.ack();
    h.reserved = view.reserved();
    h.flags = view.flags();
    h.window = view.window();
    h.checksum = view.checksum();
    h.urgentPointer = view.urgentPointer();
    auto options = view.options();
    if (!options) return options.error();
    h.options = std::move(options.value());
    return h;
}

std::size_t appendTcp(Bytes &out, const TcpHeader &h, ByteView payload, const IpAddr &src, const IpAddr &dst)
{
    const std::size_t start = out.size();
    out.resize(start + TcpView::kMinHeaderLength);
    std::uint8_t *p = out.data() + start;
    storeBe16(p, h.sourcePort);
    storeBe16(p + 2, h.destinationPort);
    storeBe32(p + 4, h.seq.raw());
    storeBe32(p + 8, h.ack.raw());
    p[13] = h.flags.bits;
    storeBe16(p + 14, h.window);
    storeBe16(p + 16, 0);
    storeBe16(p + 18, h.urgentPointer);
    const std::size_t optionLength = h.options.empty() ? 0 : serializeOptions(out, h.options);
    const std::uint8_t offset = h.dataOffsetOverride ? *h.dataOffsetOverride
                                                     : std::uint8_t((TcpView::kMinHeaderLength + optionLength) / 4);
    out[start + 12] = static_cast<std::uint8_t>(offset << 4 | (h.reserved & 0x0f));
    out.insert(out.end(), payload.begin(), payload.end());
    fixTcpChecksum(MutableByteView(out).subspan(start), src, dst);
    return start;
}

Bytes serializeTcp(const TcpHeader &header, ByteView payload, const IpAddr &src, const IpAddr &dst)
{
    Bytes out;
    out.reserve(TcpView::kMinHeaderLength + tcpopt::kMaxSpace + payload.size());
    appendTcp(out, header, payload, src, dst);
    return out;
}

std::uint16_t computeTcpChecksum(ByteView segment, const IpAddr &src, const IpAddr &dst)
{
    ChecksumAccumulator acc;
    addTcpPseudoHeader(acc, src, dst, segment.size());
    if (segment.size() < 18) {
        acc.add(segment);
        return acc.finish();
    }
    acc.add(segment.first(16));
    acc.add(segment.subspan(18));
    return acc.finish();
}

bool verifyTcpChecksum(ByteView segment, const IpAddr &src, const IpAddr &dst)
{
    ChecksumAccumulator acc;
    addTcpPseudoHeader(acc, src, dst, segment.size());
    acc.add(segment);
    // finish() returns the complement of the folded sum: 0 when everything (checksum included)
    // sums to 0xffff.
    return acc.finish() == 0;
}

void fixTcpChecksum(MutableByteView segment, const IpAddr &src, const IpAddr &dst)
{
    if (segment.size() < 18) return;
    storeBe16(segment.data() + 16, computeTcpChecksum(segment, src, dst));
}

}  // namespace tcplab

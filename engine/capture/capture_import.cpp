#include "capture/capture_import.h"

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <memory>
#include <pcap/pcap.h>
#include <unordered_map>

#include "capture/annotation_json.h"
#include "capture/label_worker.h"
#include "capture/pcapng_blocks.h"
#include "capture/tcp_analysis.h"
#include "capture/tcp_segment.h"

namespace tcplab {

namespace {

struct PcapCloser {
    void operator()(pcap_t *p) const { pcap_close(p); }
};

// Record offsets of a classic pcap file, checked before libpcap reads it, so a truncated record is
// reported with its offset.
Expected<std::vector<std::uint64_t>> walkPcap(ByteView data, const std::string &name)
{
    if (data.size() < 24)
        return Error{name + ": truncated pcap file header at offset 0 (" + std::to_string(data.size()) +
                     " bytes, need 24)"};
    std::uint32_t magic;
    std::memcpy(&magic, data.data(), 4);
    const bool swap = magic == 0xd4c3b2a1u || magic == 0x4d3cb2a1u;
    const auto u32 = [&](std::size_t at) {
        std::uint32_t v;
        std::memcpy(&v, data.data() + at, 4);
        return swap ? __builtin_bswap32(v) : v;
    };
    std::vector<std::uint64_t> offsets;
    std::size_t off = 24;
    while (off < data.size()) {
        if (data.size() - off < 16)
            return Error{name + ": truncated record header at offset " + std::to_string(off) + " (packet " +
                         std::to_string(offsets.size() + 1) + ")"};
        const std::uint32_t caplen = u32(off + 8);
        if (caplen > data.size() - off - 16)
            return Error{name + ": truncated packet at offset " + std::to_string(off) + " (packet " +
                         std::to_string(offsets.size() + 1) + "): captured length " + std::to_string(caplen) +
                         " but only " + std::to_string(data.size() - off - 16) + " bytes left"};
        offsets.push_back(off);
        off += 16 + caplen;
    }
    return offsets;
}

// "not on the wire: dropped by rule x" and friends back to a fate; nullopt for other comments.
std::optional<FrameFate> fateOfComment(const std::string &c)
{
    if (c.rfind("not on the wire: ", 0) != 0 && c.rfind("fate: ", 0) != 0) return std::nullopt;
    if (c.find("lost on the virtual wire") != std::string::npos) return FrameFate::LostOnWire;
    if (c.find("malformed") != std::string::npos) return FrameFate::Malformed;
    if (c.find("consumed by") != std::string::npos || c.find("answered by") != std::string::npos)
        return FrameFate::ConsumedByRule;
    return FrameFate::DroppedByRule;
}

std::pair<AnnotationKind, std::string> annotationOfComment(const std::string &c)
{
    static constexpr AnnotationKind kKinds[] = {AnnotationKind::Analysis, AnnotationKind::RuleHit,
                                                AnnotationKind::StateChange, AnnotationKind::Timer,
                                                AnnotationKind::Note};
    for (AnnotationKind k : kKinds) {
        const std::string prefix = std::string(annotationKindName(k)) + ": ";
        if (c.rfind(prefix, 0) == 0) return {k, c.substr(prefix.size())};
    }
    return {AnnotationKind::Note, c};
}

struct Importer {
    const std::string &name;
    PacketStore &store;
    FlowTracker &flows;
    const ImportOptions &options;
    ImportResult result;
    TcpAnalyzerSet analyzers;

    void addPacket(FrameInfo info, ByteView bytes, std::uint32_t origLen, std::uint16_t linkType,
                   const pcapng::FilePacket *side)
    {
        const auto seg = tcpSegmentOf(bytes, linkType, origLen);
        if (seg) {
            ++result.tcpSegments;
            info.session = flows.observe(info.time, seg->src, seg->dst, seg->flags, seg->seq).session;
        }
        std::vector<JsonAnnotation> notes;
        if (side) {
            for (const auto &c : side->comments) {
                if (auto fate = fateOfComment(c)) {
                    info.fate = *fate;
                } else {
                    auto [kind, text] = annotationOfComment(c);
                    notes.push_back({kind, std::move(text), {}});
                }
            }
            // Our JSON copy, when there is one, also has the machine-readable fields.
            if (!side->customJson.empty()) {
                auto parsed = annotationsFromJson(side->customJson);
                if (parsed)
                    notes = std::move(parsed.value());
                else
                    ++result.badJson;
            }
        }
        const std::uint64_t index = store.append(info, bytes, origLen);
        if (index == Event::kNoPacket) return;
        ++result.packets;
        // Bytes as on the wire, as Wireshark's conversations count them (a cut capture kept fewer).
        if (seg) flows.countFrame(info.session, seg->src, std::max<std::size_t>(origLen, bytes.size()));
        for (auto &n : notes)
            store.addAnnotation(index, n.kind, std::move(n.text), std::move(n.fields));
        if (seg && options.analyze && !result.ownFile)
            addAnalysisLabels(store, index, analyzers.at(info.host).analyze(info.time, *seg, index + 1));
    }
};

} // namespace

Expected<ImportResult> importCaptureBytes(ByteView data, const std::string &name, PacketStore &store,
                                          FlowTracker &flows, const ImportOptions &options)
{
    if (data.size() < 4)
        return Error{name + ": not a capture file (" + std::to_string(data.size()) + " bytes)"};
    std::uint32_t magic;
    std::memcpy(&magic, data.data(), 4);
    const bool ng = magic == pcapng::kSectionHeader;
    std::optional<pcapng::FileContents> blocks;
    std::vector<std::uint64_t> offsets;
    if (ng) {
        auto b = pcapng::readBlocks(data, name);
        if (!b) return b.error();
        blocks = std::move(b.value());
        for (const auto &p : blocks->packets)
            offsets.push_back(p.offset);
    } else if (magic == 0xa1b2c3d4u || magic == 0xa1b23c4du || magic == 0xd4c3b2a1u || magic == 0x4d3cb2a1u) {
        auto o = walkPcap(data, name);
        if (!o) return o.error();
        offsets = std::move(o.value());
    } else {
        return Error{name + ": not a pcap or pcapng file (magic " + toHex(data.first(4)) + " at offset 0)"};
    }

    // libpcap reads from a FILE*; fmemopen spares a temporary file.
    std::FILE *f = ::fmemopen(const_cast<std::uint8_t *>(data.data()), data.size(), "rb");
    if (!f) return Error{name + ": cannot open in memory: " + std::strerror(errno)};
    char errbuf[PCAP_ERRBUF_SIZE] = {};
    std::unique_ptr<pcap_t, PcapCloser> pcap(
        pcap_fopen_offline_with_tstamp_precision(f, PCAP_TSTAMP_PRECISION_NANO, errbuf));
    if (!pcap) {
        std::fclose(f);
        return Error{name + ": libpcap cannot read it: " + errbuf};
    }
    const auto linkType = static_cast<std::uint16_t>(pcap_datalink(pcap.get()));

    Importer imp{name, store, flows, options, {}, {}};
    if (blocks) {
        imp.result.application = blocks->application;
        imp.result.os = blocks->os;
        imp.result.ownFile = blocks->application.rfind("TCP Lab", 0) == 0;
        for (const auto &i : blocks->interfaces)
            store.describeInterface(i.info);
    } else {
        InterfaceInfo info;
        info.host = 0;
        info.name = name.substr(name.find_last_of('/') + 1);
        info.linkType = linkType;
        store.describeInterface(info);
    }

    std::uint64_t k = 0;
    for (;; ++k) {
        pcap_pkthdr *hdr = nullptr;
        const u_char *bytes = nullptr;
        const int rc = pcap_next_ex(pcap.get(), &hdr, &bytes);
        if (rc == PCAP_ERROR_BREAK) break;
        const std::string off = k < offsets.size() ? std::to_string(offsets[k]) : std::to_string(data.size());
        if (rc != 1)
            return Error{name + ": packet " + std::to_string(k + 1) + " at offset " + off + ": " +
                         pcap_geterr(pcap.get())};
        // Nanoseconds since 1970 fit an int64 until the year 2262; a corrupt header can say anything.
        if (hdr->ts.tv_sec < 0 || hdr->ts.tv_sec > 9'000'000'000 || hdr->ts.tv_usec < 0)
            return Error{name + ": packet " + std::to_string(k + 1) + " at offset " + off + ": timestamp " +
                         std::to_string(hdr->ts.tv_sec) + " s is out of range"};
        FrameInfo info;
        info.time = instantFromNanos(std::int64_t(hdr->ts.tv_sec) * 1000000000 + hdr->ts.tv_usec);
        info.host = 0;
        const pcapng::FilePacket *side = blocks && k < blocks->packets.size() ? &blocks->packets[k] : nullptr;
        if (side) {
            const auto &iface = blocks->interfaces[side->interfaceId].info;
            info.host = iface.host;
            info.link = iface.link;
            if (side->hasFlags && (side->flags & 3) == 2) info.direction = Direction::Outbound;
        }
        imp.addPacket(info, ByteView(bytes, hdr->caplen), hdr->len, linkType, side);
        if (options.progress && (k % 1024) == 1023 && k < offsets.size() &&
            !options.progress(offsets[k], data.size()))
            return Error{name + ": import cancelled at packet " + std::to_string(k + 1)};
    }
    if (store.framesNotRecorded())
        return Error{name + ": the packet store is full after " + std::to_string(imp.result.packets) +
                     " packets (" + std::to_string(store.framesNotRecorded()) + " not imported)"};
    if (options.progress) options.progress(data.size(), data.size());
    return imp.result;
}

Expected<ImportResult> importCapture(const std::string &path, PacketStore &store, FlowTracker &flows,
                                     const ImportOptions &options)
{
    std::FILE *f = std::fopen(path.c_str(), "rb");
    if (!f) return Error{"cannot open \"" + path + "\": " + std::strerror(errno)};
    Bytes data;
    std::uint8_t buf[1 << 16];
    std::size_t n;
    while ((n = std::fread(buf, 1, sizeof buf, f)) > 0)
        data.insert(data.end(), buf, buf + n);
    const bool failed = std::ferror(f);
    std::fclose(f);
    if (failed) return Error{"cannot read \"" + path + "\": " + std::strerror(errno)};
    return importCaptureBytes(data, path, store, flows, options);
}

} // namespace tcplab

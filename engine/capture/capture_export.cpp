#include "capture/capture_export.h"

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <map>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "capture/annotation_json.h"
#include "capture/pcapng_blocks.h"

namespace tcplab {

namespace {

std::string ruleNameOf(const PacketView &p)
{
    for (const Annotation *n = p.firstNote; n; n = n->nextNote()) {
        if (n->kind != AnnotationKind::RuleHit || n->text.rfind("rule ", 0) != 0) continue;
        const std::size_t end = n->text.find_first_of(":;", 5);
        return "rule " + n->text.substr(5, end == std::string::npos ? std::string::npos : end - 5);
    }
    return "a rule";
}

std::string fateComment(const PacketView &p)
{
    const bool out = p.direction == Direction::Outbound;
    switch (p.fate) {
    case FrameFate::Delivered: return {};
    case FrameFate::DroppedByRule:
        return out ? "not on the wire: dropped by " + ruleNameOf(p)
                   : "fate: dropped by " + ruleNameOf(p) + " at ingress, never reached the stack";
    case FrameFate::ConsumedByRule:
        return out ? "not on the wire: consumed by " + ruleNameOf(p)
                   : "fate: answered by " + ruleNameOf(p) + " at ingress, never reached the stack";
    case FrameFate::LostOnWire: return "not on the wire: lost on the virtual wire";
    case FrameFate::Malformed: return "fate: malformed, dropped by the stack";
    }
    return {};
}

std::string defaultOs()
{
    utsname u{};
    if (::uname(&u) != 0) return "Linux";
    return std::string(u.sysname) + " " + u.release + " " + u.machine;
}

// Writes to "<path>.partial-XXXXXX" and renames over `path` on commit().
class AtomicFile {
public:
    ~AtomicFile()
    {
        if (f_) std::fclose(f_);
        if (!tmp_.empty()) ::unlink(tmp_.c_str());
    }
    Status open(const std::string &path)
    {
        path_ = path;
        tmp_ = path + ".partial-XXXXXX";
        const int fd = ::mkstemp(tmp_.data());
        if (fd < 0) {
            const std::string why = std::strerror(errno);
            tmp_.clear();
            return Error{"cannot write \"" + path + "\": " + why};
        }
        ::fchmod(fd, 0644);
        f_ = ::fdopen(fd, "wb");
        return okStatus();
    }
    Status write(const Bytes &b)
    {
        if (!b.empty() && std::fwrite(b.data(), 1, b.size(), f_) != b.size())
            return Error{"cannot write \"" + path_ + "\": " + std::strerror(errno)};
        written_ += b.size();
        return okStatus();
    }
    Status commit()
    {
        const bool ok = std::fflush(f_) == 0 && ::fsync(::fileno(f_)) == 0;
        const std::string why = std::strerror(errno);
        std::fclose(f_);
        f_ = nullptr;
        if (!ok) return Error{"cannot write \"" + path_ + "\": " + why};
        if (::rename(tmp_.c_str(), path_.c_str()) != 0)
            return Error{"cannot rename the export to \"" + path_ + "\": " + std::strerror(errno)};
        tmp_.clear();
        return okStatus();
    }
    std::uint64_t written() const { return written_; }

private:
    std::string path_, tmp_;
    std::FILE *f_ = nullptr;
    std::uint64_t written_ = 0;
};

} // namespace

bool notOnWire(const PacketView &p)
{
    if (p.fate == FrameFate::LostOnWire) return true;
    return p.direction == Direction::Outbound &&
           (p.fate == FrameFate::DroppedByRule || p.fate == FrameFate::ConsumedByRule);
}

std::vector<std::string> frameComments(const PacketView &p)
{
    std::vector<std::string> out;
    if (std::string fate = fateComment(p); !fate.empty()) out.push_back(std::move(fate));
    for (const Annotation *n = p.firstNote; n; n = n->nextNote())
        out.push_back(std::string(annotationKindName(n->kind)) + ": " + n->text);
    return out;
}

std::string viewsComment(FrameViews views)
{
    return views == FrameViews::Once
               ? "Each frame once, as its sender sent it (egress view); a frame that crossed a virtual wire "
                 "carries its receiver's notes as \"at <interface>: ...\" comments."
               : "Every host's view: a frame that crossed a virtual wire is here twice, as sent and as "
                 "received "
                 "(Wireshark labels the second copy a retransmission).";
}

namespace {

bool isReceivedCopy(const PacketView &p)
{
    return p.direction == Direction::Inbound && p.sentAs != Event::kNoPacket;
}

// The selection, and (FrameViews::Once) the received copies left out, by the index of the frame
// they are a copy of.
std::vector<std::uint64_t> selectWithCopies(const PacketStore &store, const ExportOptions &options,
                                            std::map<std::uint64_t, std::vector<std::uint64_t>> *copies)
{
    std::vector<std::uint64_t> picked;
    const auto keep = [&](std::uint64_t i) {
        const PacketView p = store.packet(i);
        if (!options.includeNotOnWire && notOnWire(p)) return false;
        return options.hosts.empty() ||
               std::find(options.hosts.begin(), options.hosts.end(), p.host) != options.hosts.end();
    };
    if (options.sessions.empty()) {
        const std::uint64_t n = store.size();
        for (std::uint64_t i = 0; i < n; ++i)
            if (keep(i)) picked.push_back(i);
    } else {
        for (SessionId s : options.sessions) {
            const SessionIndexView idx = store.sessionPackets(s);
            for (std::uint64_t k = 0; k < idx.size(); ++k)
                if (keep(idx[k])) picked.push_back(idx[k]);
        }
        std::sort(picked.begin(), picked.end());
        picked.erase(std::unique(picked.begin(), picked.end()), picked.end());
    }
    if (options.views == FrameViews::Every) return picked;
    // A received copy goes only when the transmission it copies is written too (a selection of the
    // receiving host alone keeps its view).
    std::vector<std::uint64_t> once;
    once.reserve(picked.size());
    for (std::uint64_t i : picked) {
        const PacketView p = store.packet(i);
        if (isReceivedCopy(p) && std::binary_search(picked.begin(), picked.end(), p.sentAs)) {
            if (copies) (*copies)[p.sentAs].push_back(i);
            continue;
        }
        once.push_back(i);
    }
    return once;
}

// What the receiver noted about its copy, for the frame written once (see capture_export.h).
std::vector<JsonAnnotation> receiverNotes(const PacketView &copy, const std::string &where)
{
    std::vector<JsonAnnotation> out;
    const std::string at = "at " + where + ": ";
    if (std::string fate = fateComment(copy); !fate.empty())
        out.push_back({AnnotationKind::Note, at + fate, {}});
    for (const Annotation *n = copy.firstNote; n; n = n->nextNote())
        if (n->kind != AnnotationKind::Analysis) out.push_back({n->kind, at + n->text, n->fields});
    return out;
}

} // namespace

std::vector<std::uint64_t> selectFrames(const PacketStore &store, const ExportOptions &options)
{
    return selectWithCopies(store, options, nullptr);
}

Expected<ExportStats> exportCapture(const PacketStore &store, const std::string &path,
                                    const ExportOptions &options)
{
    std::map<std::uint64_t, std::vector<std::uint64_t>> copies;
    const std::vector<std::uint64_t> frames = selectWithCopies(store, options, &copies);
    const bool ng = options.format == CaptureFormat::Pcapng;

    // One interface per (host, link) that has a frame in the export, in the store's description order.
    std::vector<InterfaceInfo> described = store.interfaces();
    std::map<std::pair<HostId, LinkId>, std::uint32_t> ifaceId;
    std::vector<InterfaceInfo> ifaces;
    for (std::uint64_t i : frames) {
        const PacketView p = store.packet(i);
        if (ifaceId.count({p.host, p.link})) continue;
        InterfaceInfo info;
        info.host = p.host;
        info.link = p.link;
        info.name = "host" + std::to_string(p.host) + "/link" + std::to_string(p.link);
        for (const auto &d : described)
            if (d.host == p.host && d.link == p.link) info = d;
        ifaceId[{p.host, p.link}] = 0;
        ifaces.push_back(info);
    }
    std::stable_sort(ifaces.begin(), ifaces.end(), [&](const InterfaceInfo &a, const InterfaceInfo &b) {
        const auto pos = [&](const InterfaceInfo &x) {
            for (std::size_t k = 0; k < described.size(); ++k)
                if (described[k].host == x.host && described[k].link == x.link) return k;
            return described.size() + (std::size_t(x.host) << 16) + x.link;
        };
        return pos(a) < pos(b);
    });
    for (std::uint32_t k = 0; k < ifaces.size(); ++k)
        ifaceId[{ifaces[k].host, ifaces[k].link}] = k;
    if (!ng) {
        for (const auto &i : ifaces)
            if (i.linkType != ifaces.front().linkType)
                return Error{"cannot export \"" + path +
                             "\" as pcap: its interfaces have different link types "
                             "(pcap holds one; use pcapng)"};
    }

    AtomicFile file;
    if (auto st = file.open(path); !st) return st.error();
    Bytes buf;
    if (ng) {
        pcapng::appendSectionHeader(
            buf, options.application.empty() ? "TCP Lab " TCPLAB_VERSION : options.application,
            options.os.empty() ? defaultOs() : options.os, viewsComment(options.views));
        for (const auto &i : ifaces)
            pcapng::appendInterface(buf, i);
    } else {
        pcapng::appendPcapHeader(buf, ifaces.empty() ? std::uint16_t(1) : ifaces.front().linkType);
    }

    ExportStats stats;
    stats.interfaces = static_cast<std::uint32_t>(ifaces.size());
    for (std::size_t k = 0; k < frames.size(); ++k) {
        const PacketView p = store.packet(frames[k]);
        const std::uint64_t ts = static_cast<std::uint64_t>(nanosOf(p.time) + options.timeOffsetNs);
        if (ng) {
            pcapng::EnhancedPacket e;
            e.interfaceId = ifaceId[{p.host, p.link}];
            e.timestampNs = ts;
            e.bytes = p.bytes;
            e.originalLength = p.originalLength;
            e.flags = p.direction == Direction::Inbound ? 1u : 2u; // epb_flags bits 0-1
            e.comments = frameComments(p);
            std::vector<JsonAnnotation> extra;
            if (auto c = copies.find(frames[k]); c != copies.end()) {
                for (std::uint64_t i : c->second) {
                    const PacketView copy = store.packet(i);
                    InterfaceInfo where;
                    const std::string name =
                        store.interfaceFor(copy.host, copy.link, where)
                            ? where.name
                            : "host" + std::to_string(copy.host) + "/link" + std::to_string(copy.link);
                    for (auto &n : receiverNotes(copy, name))
                        extra.push_back(std::move(n));
                }
                for (const auto &n : extra)
                    e.comments.push_back(std::string(annotationKindName(n.kind)) + ": " + n.text);
            }
            if (options.jsonAnnotations) e.customJson = annotationsToJson(p, extra);
            pcapng::appendEnhancedPacket(buf, e);
        } else {
            pcapng::appendPcapRecord(buf, ts, p.bytes, p.originalLength);
        }
        ++stats.packets;
        if (buf.size() >= (1u << 20) || k + 1 == frames.size()) {
            if (auto st = file.write(buf); !st) return st.error();
            buf.clear();
            if (options.progress && !options.progress(k + 1, frames.size()))
                return Error{"export to \"" + path + "\" cancelled"};
        }
    }
    if (auto st = file.write(buf); !st) return st.error();
    stats.bytes = file.written();
    if (auto st = file.commit(); !st) return st.error();
    if (options.progress) options.progress(frames.size(), frames.size());
    return stats;
}

} // namespace tcplab

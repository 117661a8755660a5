#include "capture/recorder.h"

#include <algorithm>
#include <charconv>

#include "capture/label_worker.h"
#include "capture/tcp_analysis.h"
#include "capture/tcp_segment.h"

namespace tcplab {

namespace {

std::string field(const Event &e, const std::string &key)
{
    for (const auto &[k, v] : e.fields)
        if (k == key) return v;
    return {};
}

bool hasNote(const PacketStore &store, std::uint64_t index, AnnotationKind kind, const std::string &text)
{
    for (const Annotation *n = store.packet(index).firstNote; n; n = n->nextNote())
        if (n->kind == kind && (text.empty() || n->text == text)) return true;
    return false;
}

} // namespace

std::optional<std::uint32_t> RecorderConfig::parseSnapLength(std::string_view text)
{
    std::uint32_t n = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
    if (text.empty() || ec != std::errc() || end != text.data() + text.size() || n < kMinSnapLength ||
        n > kMaxSnapLength)
        return std::nullopt;
    return n;
}

Recorder::Recorder(PacketStore &store, FlowTracker &flows, RecorderConfig config)
    : store_(store), flows_(flows), config_(config)
{
    if (config_.analysis == RecorderConfig::Analysis::Inline) analyzers_ = std::make_unique<TcpAnalyzerSet>();
    if (config_.analysis == RecorderConfig::Analysis::Background)
        labels_ = std::make_unique<LabelWorker>(store_);
}

Recorder::~Recorder() = default; // the LabelWorker labels what was recorded, then stops

void Recorder::settle()
{
    if (labels_) labels_->settle();
}

void Recorder::describeHost(const InterfaceInfo &info)
{
    for (auto &t : hostTemplates_) {
        if (t.host == info.host) {
            t = info;
            return;
        }
    }
    hostTemplates_.push_back(info);
}

std::uint64_t Recorder::onFrame(const FrameInfo &info, ByteView frame)
{
    const std::pair<HostId, LinkId> where{info.host, info.link};
    if (!(haveLastLink_ && where == lastLink_) &&
        std::find(describedLinks_.begin(), describedLinks_.end(), where) == describedLinks_.end()) {
        describedLinks_.push_back(where);
        InterfaceInfo known;
        if (!store_.interfaceFor(info.host, info.link, known)) {
            for (const auto &t : hostTemplates_) {
                if (t.host != info.host) continue;
                InterfaceInfo i = t;
                i.link = info.link;
                if (i.name.find('/') == std::string::npos) i.name += "/link" + std::to_string(info.link);
                if (config_.snapLength) i.snapLength = config_.snapLength;
                store_.describeInterface(i);
            }
        }
    }
    lastLink_ = where;
    haveLastLink_ = true;
    // The segment's facts serve the session lookup, the summary (counted on the sent copy) and
    // inline labels. A frame whose session the host named needs none of them when the summary
    // need not count it (a received copy of a sent frame: every other frame in demo mode) or the
    // host said which end sent it (every frame TCP sends or receives without a rule in the way).
    const bool counted = info.sentAs == Event::kNoPacket; // once per frame on the wire
    const bool needFacts =
        info.session == kNoSession || (counted && info.side == SessionSide::Unknown) || analyzers_;
    const auto seg = needFacts ? tcpSegmentOf(frame, linktype::kEthernet) : std::nullopt;
    FrameInfo fi = info;
    if (seg && fi.session == kNoSession) // the host did not ask the tracker: ask it here
        fi.session = flows_.observe(fi.time, seg->src, seg->dst, seg->flags, seg->seq).session;
    const ByteView kept =
        config_.snapLength && frame.size() > config_.snapLength ? frame.first(config_.snapLength) : frame;
    const std::uint64_t index = store_.append(fi, kept, static_cast<std::uint32_t>(frame.size()));
    if (index == Event::kNoPacket) return index;
    if (labels_) labels_->framesAppended();
    // A frame seen leaving one host and arriving at the other counts once in the summary.
    if (counted && fi.side != SessionSide::Unknown)
        flows_.countFrame(fi.session, fi.side, frame.size());
    else if (counted && seg)
        flows_.countFrame(fi.session, seg->src, frame.size());
    if (!seg) return index;
    if (analyzers_ && analyzedAsOnWire(fi.direction, fi.fate))
        addAnalysisLabels(store_, index, analyzers_->at(fi.host).analyze(fi.time, *seg, index + 1));
    return index;
}

void Recorder::annotate(std::uint64_t packetIndex, const Event &event)
{
    if (packetIndex >= store_.size() || !annotatesPacket(event)) return;
    const AnnotationKind kind = annotationKind(event);
    std::string text = annotationText(event);
    if (hasNote(store_, packetIndex, kind, text)) return; // same event through both paths
    store_.addAnnotation(packetIndex, kind, std::move(text), event.fields);
    // The engine knows it retransmitted; say so the way Wireshark would if its heuristics missed it.
    if (event.kind == EventKind::Retransmit && config_.analysis != RecorderConfig::Analysis::Off) {
        const bool fast = field(event, "cause").find("fast") != std::string::npos;
        if (labels_)
            labels_->engineRetransmitted(packetIndex, fast);
        else
            labelEngineRetransmission(store_, packetIndex, fast);
    }
}

void Recorder::setFate(std::uint64_t packetIndex, FrameFate fate)
{
    store_.setFate(packetIndex, fate);
}

void Recorder::onEvent(const Event &event)
{
    onEventAt(event, event.packetIndex);
}

bool Recorder::onEventAt(const Event &event, std::uint64_t packetIndex)
{
    if (event.session != kNoSession) {
        if (event.kind == EventKind::StateChange) {
            const std::string to = field(event, "to");
            flows_.noteState(event.session, to.empty() ? event.name : to);
        } else if (event.kind == EventKind::RuleHit) {
            flows_.noteRuleHit(event.session, event.name);
        }
    }
    if (packetIndex != Event::kNoPacket) annotate(packetIndex, event);
    return true;
}

bool Recorder::annotatesPacket(const Event &event)
{
    // Measurement streams come with nearly every ACK: the plots and the event log read them from
    // the events; as packet comments they would bury the ones that explain something, and copying
    // their text and fields into the store on every ACK is a large part of what recording costs.
    if (event.kind == EventKind::WindowChange || event.kind == EventKind::Counter) return false;
    return event.name != "rtt-sample";
}

AnnotationKind Recorder::annotationKind(const Event &event)
{
    switch (event.kind) {
    case EventKind::RuleHit: return AnnotationKind::RuleHit;
    case EventKind::StateChange: return AnnotationKind::StateChange;
    case EventKind::TimerStart:
    case EventKind::TimerExpire:
    case EventKind::Retransmit: return AnnotationKind::Timer;
    default: return AnnotationKind::Note;
    }
}

std::string Recorder::annotationText(const Event &e)
{
    switch (e.kind) {
    case EventKind::StateChange: {
        const std::string from = field(e, "from"), to = field(e, "to"), cause = field(e, "cause");
        std::string text = from.empty() ? e.name : from + " → " + (to.empty() ? e.name : to);
        if (!cause.empty()) text += " (" + cause + ")";
        return text;
    }
    case EventKind::RuleHit: {
        std::string text = "rule " + e.name;
        std::string changes, action;
        for (const auto &[k, v] : e.fields) {
            if (k == "action") {
                action = v;
                continue;
            }
            changes += (changes.empty() ? "" : ", ") + k + " " + v;
        }
        if (!changes.empty()) text += ": " + changes;
        if (!action.empty()) text += "; " + action;
        return text;
    }
    case EventKind::Retransmit: {
        const std::string cause = field(e, "cause");
        return "retransmission" + (cause.empty() ? std::string() : " after " + cause) +
               (e.detail.empty() ? std::string() : " (" + e.detail + ")");
    }
    case EventKind::TimerExpire:
        return "timer " + e.name + " expired" + (e.detail.empty() ? "" : ": " + e.detail);
    case EventKind::TimerStart:
        return "timer " + e.name + " started" + (e.detail.empty() ? "" : ": " + e.detail);
    default: return e.detail.empty() ? e.name : e.detail;
    }
}

} // namespace tcplab

#include "services/scripted_lab.h"

#include <algorithm>
#include <cmath>
#include <numeric>

#include "services/segment_summary.h"

namespace tcplab::gui {
namespace {

constexpr int kClient = 0, kServer = 1;
constexpr SessionId kSession = 1;

struct Opts {
    int mss = -1, ws = -1;
    bool sackOk = false;
};

Event makeEvent(Instant t, EventKind kind, int host, std::string name, std::string detail,
                std::vector<std::pair<std::string, std::string>> fields = {})
{
    Event e;
    e.time = t;
    e.kind = kind;
    e.host = HostId(host);
    e.session = kSession;
    e.name = std::move(name);
    e.detail = std::move(detail);
    e.fields = std::move(fields);
    return e;
}

// Writes a two-host conversation as script items: one transmission record on the sender and one
// reception record on the receiver (unless the frame never arrives).
class Conversation {
public:
    explicit Conversation(const WireSettings &wire) : wire_(wire) {}

    struct Send {
        Instant t{};
        int from = kClient;
        std::uint8_t flags = 0;
        std::uint32_t seq = 0, ack = 0, len = 0;
        std::uint16_t window = 502;
        Opts opts;
        FrameFate sentFate = FrameFate::Delivered;     // DroppedByRule (egress), LostOnWire
        FrameFate arrivalFate = FrameFate::Delivered;  // ConsumedByRule (ingress)
        Duration extraDelay{};                         // a delay rule
        std::vector<Event> sentNotes, arrivalNotes;
        std::string analysis;  // on both records
    };

    Instant send(Send s)
    {
        SegmentSpec spec;
        const bool c = s.from == kClient;
        spec.srcMac = c ? kMacC : kMacS;
        spec.dstMac = c ? kMacS : kMacC;
        spec.src = c ? kIpC : kIpS;
        spec.dst = c ? kIpS : kIpC;
        spec.srcPort = c ? 40000 : 80;
        spec.dstPort = c ? 80 : 40000;
        spec.seq = s.seq;
        spec.ack = s.ack;
        spec.flags = s.flags;
        spec.window = s.window;
        spec.mss = s.opts.mss;
        spec.windowScale = s.opts.ws;
        spec.sackPermitted = s.opts.sackOk;
        spec.timestamps = true;
        spec.tsVal = std::uint32_t(nanosOf(s.t) / 1'000'000) + (c ? 7000 : 91000);
        spec.tsEcr = (s.flags & kAck) ? lastTs_[1 - s.from] : 0;
        lastTs_[s.from] = spec.tsVal;
        spec.payloadLength = s.len;
        Bytes frame = buildSegmentFrame(spec);

        ScriptItem out;
        out.time = s.t;
        out.isFrame = true;
        out.info = {s.t, HostId(s.from), 0, Direction::Outbound, s.sentFate, kSession, Event::kNoPacket};
        out.frame = frame;
        out.annotations = std::move(s.sentNotes);
        out.analysis = s.analysis;
        items_.push_back(std::move(out));
        const int sentItem = int(items_.size()) - 1;
        const Duration serialization(std::int64_t(frame.size()) * 8 * 1'000'000'000 /
                                     std::int64_t(std::max<std::uint64_t>(wire_.bandwidthBitsPerSecond, 1)));
        const Instant arrival = s.t + Duration(wire_.latencyNs) + serialization + s.extraDelay;
        if (s.sentFate != FrameFate::Delivered) return arrival;
        ScriptItem in;
        in.time = arrival;
        in.isFrame = true;
        in.info = {arrival, HostId(1 - s.from), 0, Direction::Inbound, s.arrivalFate, kSession, Event::kNoPacket};
        in.frame = std::move(frame);
        in.sentAsItem = sentItem;
        in.annotations = std::move(s.arrivalNotes);
        in.analysis = s.analysis;
        items_.push_back(std::move(in));
        return arrival;
    }

    void event(Event e)
    {
        ScriptItem item;
        item.time = e.time;
        item.event = std::move(e);
        items_.push_back(std::move(item));
    }

    void state(Instant t, int host, const char *from, const char *to, const char *cause)
    {
        Event e = makeEvent(t, EventKind::StateChange, host, to, std::string(from) + " → " + to,
                            {{"from", from}, {"to", to}, {"cause", cause}});
        // A listener and a connecting socket have no session yet, as in the engine.
        if (std::string_view(to) == "LISTEN" || std::string_view(to) == "SYN-SENT") e.session = kNoSession;
        event(std::move(e));
    }

    void window(Instant t, int host, const char *which, std::int64_t before, std::int64_t after)
    {
        event(makeEvent(t, EventKind::WindowChange, host, which, {},
                        {{"which", which}, {"before", std::to_string(before)}, {"after", std::to_string(after)}}));
    }

    // An RTT sample as the engine reports it (milliseconds in, nanoseconds in the fields).
    void rtt(Instant t, int host, double sampleMs, double srttMs, double rttvarMs, double rtoMs)
    {
        auto ns = [](double v) { return std::to_string(std::int64_t(v * 1e6)); };
        event(makeEvent(t, EventKind::RttSample, host, "rtt-sample", {},
                        {{"sample_ns", ns(sampleMs)},
                         {"srtt_ns", ns(srttMs)},
                         {"rttvar_ns", ns(rttvarMs)},
                         {"rto_ns", ns(rtoMs)},
                         {"source", "timestamps"}}));
    }

    // Items in time order; a reception keeps pointing at its transmission.
    std::vector<ScriptItem> take()
    {
        std::vector<int> order(items_.size());
        std::iota(order.begin(), order.end(), 0);
        std::stable_sort(order.begin(), order.end(), [&](int a, int b) { return items_[a].time < items_[b].time; });
        std::vector<int> newIndex(items_.size());
        for (std::size_t i = 0; i < order.size(); ++i) newIndex[order[i]] = int(i);
        std::vector<ScriptItem> out;
        out.reserve(items_.size());
        for (int i : order) {
            out.push_back(std::move(items_[i]));
            if (out.back().sentAsItem >= 0) out.back().sentAsItem = newIndex[out.back().sentAsItem];
        }
        return out;
    }

    static inline const MacAddr kMacC{{0x02, 0x00, 0x5e, 0x10, 0x00, 0x01}};
    static inline const MacAddr kMacS{{0x02, 0x00, 0x5e, 0x10, 0x00, 0x02}};
    static constexpr Ip4Addr kIpC{0xc6120001u};  // 198.18.0.1
    static constexpr Ip4Addr kIpS{0xc6120002u};  // 198.18.0.2

private:
    WireSettings wire_;
    std::vector<ScriptItem> items_;
    std::uint32_t lastTs_[2] = {0, 0};
};

constexpr std::uint32_t kIsnC = 0x1a2b3c4d, kIsnS = 0x5e6f7081;
constexpr Opts kSynOpts{1460, 7, true};

// How the Recorder files an event that names a packet.
AnnotationKind annotationKindOf(const Event &e)
{
    switch (e.kind) {
    case EventKind::RuleHit: return AnnotationKind::RuleHit;
    case EventKind::StateChange: return AnnotationKind::StateChange;
    case EventKind::Retransmit: return AnnotationKind::Timer;
    default: return AnnotationKind::Note;
    }
}

Conversation::Send mk(Instant t, int from, std::uint8_t flags, std::uint32_t seq, std::uint32_t ack, std::uint32_t len,
                      std::uint16_t window = 502, Opts opts = {})
{
    Conversation::Send s;
    s.t = t;
    s.from = from;
    s.flags = flags;
    s.seq = seq;
    s.ack = ack;
    s.len = len;
    s.window = window;
    s.opts = opts;
    return s;
}

Instant ms(double v) { return instantFromNanos(std::int64_t(v * 1'000'000)); }

Event ruleHit(Instant t, int host, const char *rule, const char *action,
              std::vector<std::pair<std::string, std::string>> changes = {})
{
    changes.insert(changes.begin(), {"action", action});
    changes.insert(changes.begin(), {"rule", rule});
    return makeEvent(t, EventKind::RuleHit, host, rule, std::string(rule) + ": " + action, std::move(changes));
}

// Handshake, an upload with one segment lost and fast-retransmitted, a reply, and a graceful close.
std::vector<ScriptItem> handshakeDataClose(const WireSettings &w)
{
    Conversation cv(w);
    const double L = double(w.latencyNs) / 1e6 + 0.01;
    cv.state(ms(0), kServer, "CLOSED", "LISTEN", "listen");
    cv.state(ms(0.1), kClient, "CLOSED", "SYN-SENT", "connect");
    double t = cv.send(mk(ms(0.1), kClient, kSyn, kIsnC, 0, 0, 64240 >> 0, kSynOpts)).time_since_epoch().count() / 1e6;
    cv.state(ms(t), kServer, "LISTEN", "SYN-RECEIVED", "SYN received");
    t = nanosOf(cv.send(mk(ms(t), kServer, kSyn | kAck, kIsnS, kIsnC + 1, 0, 65160, kSynOpts))) / 1e6;
    cv.state(ms(t), kClient, "SYN-SENT", "ESTABLISHED", "SYN-ACK received");
    // The SYN's round trip is the first RTT sample (RFC 6298 section 2.2: SRTT = R, RTTVAR = R/2,
    // RTO = max(SRTT + 4 RTTVAR, 200 ms)).
    cv.rtt(ms(t), kClient, t, t, t / 2, std::max(200.0, 3 * t));
    cv.window(ms(t), kClient, "cwnd", 14600, 14600);
    double t1 = nanosOf(cv.send(mk(ms(t), kClient, kAck, kIsnC + 1, kIsnS + 1, 0))) / 1e6;
    cv.state(ms(t1), kServer, "SYN-RECEIVED", "ESTABLISHED", "ACK received");

    // Upload: six segments of 1448 bytes; the third is lost on the wire.
    std::uint32_t seq = kIsnC + 1;
    std::vector<double> arrive;
    for (int i = 0; i < 6; ++i) {
        Conversation::Send s = mk(ms(t + 0.2 * (i + 1)), kClient, std::uint8_t(kAck | kPsh), seq, kIsnS + 1, 1448);
        if (i == 2) s.sentFate = FrameFate::LostOnWire;
        if (i == 4) {
            s.extraDelay = std::chrono::milliseconds(6);
            s.sentNotes.push_back(ruleHit(s.t, kClient, "delay-6ms", "delay", {{"delay", "6 ms"}}));
        }
        arrive.push_back(nanosOf(cv.send(s)) / 1e6);
        seq += 1448;
    }
    const std::uint32_t hole = kIsnC + 1 + 2 * 1448;
    std::uint32_t cwnd = 14600;
    int dup = 0;
    for (int i = 0; i < 6; ++i) {
        if (i == 2) continue;
        const std::uint32_t ackNo = i < 2 ? kIsnC + 1 + 1448 * (i + 1) : hole;
        Conversation::Send a = mk(ms(arrive[i] + 0.05), kServer, kAck, kIsnS + 1, ackNo, 0, 509);
        if (i == 1) {
            a.window = 64;
            a.sentNotes.push_back(ruleHit(a.t, kServer, "shrink-window", "set", {{"tcp.window_size_value", "509→64"}}));
        }
        if (i > 2) {
            ++dup;
            a.analysis = "TCP Dup ACK #" + std::to_string(dup);
        }
        const double back = nanosOf(cv.send(a)) / 1e6;
        if (i < 2) {
            cv.window(ms(back), kClient, "cwnd", cwnd, cwnd + 1448);
            cwnd += 1448;
        }
        if (dup == 3) {
            // RFC 5681 section 3.2: on the third duplicate ACK, retransmit and halve.
            cv.window(ms(back), kClient, "ssthresh", 0xffffffff, cwnd / 2);
            cv.window(ms(back), kClient, "cwnd", cwnd, cwnd / 2 + 3 * 1448);
            Conversation::Send r = mk(ms(back + 0.05), kClient, std::uint8_t(kAck | kPsh), hole, kIsnS + 1, 1448);
            r.sentNotes.push_back(makeEvent(r.t, EventKind::Retransmit, kClient, "retransmit", "fast retransmit",
                                            {{"seq", std::to_string(hole)}, {"len", "1448"}, {"cause", "fast retransmit"}}));
            r.arrivalNotes = r.sentNotes;
            r.analysis = "TCP Fast Retransmission";
            const double got = nanosOf(cv.send(r)) / 1e6;
            Conversation::Send full = mk(ms(got + 0.05), kServer, kAck, kIsnS + 1, seq, 0, 509);
            const double done = nanosOf(cv.send(full)) / 1e6;
            cv.window(ms(done), kClient, "cwnd", cwnd / 2 + 3 * 1448, cwnd / 2);
            {
                const double r = done - back - 0.05, srtt = t * 0.875 + r * 0.125;
                const double rttvar = t / 2 * 0.75 + std::abs(t - r) * 0.25;
                cv.rtt(ms(done), kClient, r, srtt, rttvar, std::max(200.0, srtt + 4 * rttvar));
            }
            // Reply and graceful close (RFC 9293 section 3.6).
            const double r1 = nanosOf(cv.send(mk(ms(done + 1), kServer, std::uint8_t(kAck | kPsh), kIsnS + 1, seq, 300, 509))) / 1e6;
            cv.send(mk(ms(r1 + 0.05), kClient, kAck, seq, kIsnS + 301, 0));
            cv.state(ms(r1 + 2), kClient, "ESTABLISHED", "FIN-WAIT-1", "close");
            const double f1 = nanosOf(cv.send(mk(ms(r1 + 2), kClient, std::uint8_t(kFin | kAck), seq, kIsnS + 301, 0))) / 1e6;
            cv.state(ms(f1), kServer, "ESTABLISHED", "CLOSE-WAIT", "FIN received");
            const double a1 = nanosOf(cv.send(mk(ms(f1 + 0.05), kServer, kAck, kIsnS + 301, seq + 1, 0, 509))) / 1e6;
            cv.state(ms(a1), kClient, "FIN-WAIT-1", "FIN-WAIT-2", "ACK of FIN");
            cv.state(ms(f1 + 1), kServer, "CLOSE-WAIT", "LAST-ACK", "close");
            const double f2 = nanosOf(cv.send(mk(ms(f1 + 1), kServer, std::uint8_t(kFin | kAck), kIsnS + 301, seq + 1, 0, 509))) / 1e6;
            cv.state(ms(f2), kClient, "FIN-WAIT-2", "TIME-WAIT", "FIN received");
            const double a2 = nanosOf(cv.send(mk(ms(f2 + 0.05), kClient, kAck, seq + 1, kIsnS + 302, 0))) / 1e6;
            cv.state(ms(a2), kServer, "LAST-ACK", "CLOSED", "ACK of FIN");
        }
    }
    (void)L;
    return cv.take();
}

// The seed article's puzzle: a listener answers every SYN with a bare ACK whose number the client
// never sent; the client answers with RST (RFC 9293 section 3.10.7.3, SYN-SENT: "If SEG.ACK =< ISS
// or SEG.ACK > SND.NXT, send a reset <SEQ=SEG.ACK><CTL=RST>") and retransmits its SYN on RTO.
std::vector<ScriptItem> synAnsweredByAck(const WireSettings &w)
{
    Conversation cv(w);
    cv.state(ms(0), kServer, "CLOSED", "LISTEN", "listen");
    cv.state(ms(0.1), kClient, "CLOSED", "SYN-SENT", "connect");
    double rto = 1000;
    double t = 0.1;
    const std::uint32_t oddAck = 0x0badcafe;
    for (int attempt = 0; attempt < 3; ++attempt) {
        Conversation::Send syn = mk(ms(t), kClient, kSyn, kIsnC, 0, 0, 64240, kSynOpts);
        if (attempt > 0) {
            syn.sentNotes.push_back(makeEvent(syn.t, EventKind::Retransmit, kClient, "retransmit", "RTO",
                                              {{"seq", std::to_string(kIsnC)}, {"cause", "rto #" + std::to_string(attempt)}}));
            syn.arrivalNotes = syn.sentNotes;
            syn.analysis = "TCP Retransmission";
        }
        syn.arrivalFate = FrameFate::ConsumedByRule;
        const double arrived = nanosOf(ms(t) + Duration(w.latencyNs)) / 1e6;
        syn.arrivalNotes.push_back(ruleHit(ms(arrived), kServer, "answer-syn-with-ack", "reply",
                                           {{"reply", "ACK ack=0x0badcafe"}}));
        const double at = nanosOf(cv.send(syn)) / 1e6;
        Conversation::Send reply = mk(ms(at + 0.02), kServer, kAck, kIsnS, oddAck, 0, 509);
        reply.sentNotes.push_back(ruleHit(reply.t, kServer, "answer-syn-with-ack", "crafted"));
        const double back = nanosOf(cv.send(reply)) / 1e6;
        Conversation::Send rst = mk(ms(back + 0.02), kClient, kRst, oddAck, 0, 0, 0);
        cv.send(rst);
        cv.event(makeEvent(ms(t + rto), EventKind::RttSample, kClient, "rto", {},
                           {{"before_ns", std::to_string(std::int64_t(rto * 1e6))},
                            {"after_ns", std::to_string(std::int64_t(rto * 2e6))},
                            {"cause", "backoff"}}));
        t += rto;
        rto *= 2;
    }
    return cv.take();
}

}  // namespace

std::vector<ScriptItem> ScriptedLab::script(const std::string &name, const WireSettings &wire)
{
    if (name == "syn-answered-by-ack") return synAnsweredByAck(wire);
    return handshakeDataClose(wire);
}

ScriptedLab::ScriptedLab() : store_(std::make_unique<PacketStore>()) { items_ = script(scenario_, wire_); }

std::vector<std::string> ScriptedLab::scenarioNames() const { return {"handshake-data-close", "syn-answered-by-ack"}; }

bool ScriptedLab::loadScenario(const std::string &nameOrPath, std::string *error)
{
    const auto names = scenarioNames();
    if (std::find(names.begin(), names.end(), nameOrPath) == names.end()) {
        if (error) *error = "unknown scenario \"" + nameOrPath + "\" (the stand-in lab knows only the built-in ones)";
        return false;
    }
    scenario_ = nameOrPath;
    stop();
    return true;
}

void ScriptedLab::start()
{
    if (running_) return;
    previous_ = std::exchange(store_, std::make_unique<PacketStore>());
    ++generation_;
    storeIndexOfItem_.assign(items_.size(), Event::kNoPacket);
    next_ = 0;
    now_ = {};
    sent_ = received_ = dropped_ = 0;
    running_ = true;
    pending_.push_back(makeEvent(now_, EventKind::LinkState, kNoHost, "wire", "virtual wire up"));
}

void ScriptedLab::stop()
{
    running_ = false;
    items_ = script(scenario_, wire_);
}

void ScriptedLab::setWire(const WireSettings &wire)
{
    wire_ = wire;
    if (!running_) items_ = script(scenario_, wire_);
}

void ScriptedLab::publish(ScriptItem &item)
{
    if (!item.isFrame) {
        pending_.push_back(item.event);
        return;
    }
    if (item.sentAsItem >= 0) item.info.sentAs = storeIndexOfItem_[std::size_t(item.sentAsItem)];
    const auto index = store_->append(item.info, item.frame);
    storeIndexOfItem_[std::size_t(&item - items_.data())] = index;
    if (index == Event::kNoPacket) return;
    if (!item.analysis.empty()) store_->addAnnotation(index, AnnotationKind::Analysis, item.analysis);
    (item.info.direction == Direction::Outbound ? sent_ : received_)++;
    if (item.info.fate != FrameFate::Delivered) ++dropped_;
    for (auto e : item.annotations) {
        e.packetIndex = index;
        store_->addAnnotation(index, annotationKindOf(e), e.detail, e.fields);
        pending_.push_back(e);
    }
}

void ScriptedLab::advanceTo(Instant t)
{
    while (next_ < items_.size() && items_[next_].time <= t) publish(items_[next_++]);
    now_ = std::max(now_, t);
}

void ScriptedLab::step()
{
    if (!running_) start();
    while (next_ < items_.size()) {
        const bool frame = items_[next_].isFrame;
        advanceTo(items_[next_].time);
        if (frame) break;
    }
}

void ScriptedLab::runFor(Duration virtualTime)
{
    if (!running_) start();
    advanceTo(now_ + virtualTime);
}

void ScriptedLab::tick(Duration wallElapsed)
{
    if (!running_ || paused_) return;
    advanceTo(now_ + Duration(std::int64_t(double(wallElapsed.count()) * speed_)));
}

std::uint64_t ScriptedLab::drainEvents(std::vector<Event> &out)
{
    out.insert(out.end(), std::make_move_iterator(pending_.begin()), std::make_move_iterator(pending_.end()));
    pending_.clear();
    return 0;
}

LabStatus ScriptedLab::status() const
{
    LabStatus s;
    s.running = running_;
    s.paused = paused_;
    s.speed = speed_;
    s.now = now_;
    s.linkState = running_ ? "virtual wire up (stand-in lab)" : "stopped";
    s.framesSent = sent_;
    s.framesReceived = received_;
    s.framesDropped = dropped_;
    return s;
}

}  // namespace tcplab::gui

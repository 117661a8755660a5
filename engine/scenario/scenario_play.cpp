#include "scenario/scenario_play.h"

#include <algorithm>

namespace tcplab {

// ---- ScenarioRateReader ------------------------------------------------------------------------

Status ScenarioRateReader::listen(std::uint16_t port, std::uint32_t backlog, bool accept)
{
    auto l = tcp_.listen(Endpoint{IpAddr{}, port}, backlog, [this, accept](TcpSocketId, std::uint32_t bits) {
        if (accept && (bits & tcpready::kAcceptable)) acceptAll();
    });
    if (!l) return l.error();
    listener_ = *l;
    return okStatus();
}

void ScenarioRateReader::poll(Instant now)
{
    if (now < next_) return;
    next_ = now + std::chrono::milliseconds(100);
    std::uint8_t buf[4096];
    for (TcpSocketId s : conns_) {
        std::uint64_t budget = rate_ / 10;
        while (budget > 0) {
            auto r = tcp_.recv(now, s, MutableByteView(buf, std::min<std::uint64_t>(budget, sizeof buf)));
            if (!r || *r == 0) break;
            budget -= *r;
        }
    }
}

void ScenarioRateReader::acceptAll()
{
    for (TcpSocketId s; (s = tcp_.accept(listener_)) != kNoSocket;)
        conns_.push_back(s);
    if (next_ == Instant{}) next_ = tcp_.now() + std::chrono::milliseconds(100);
}

// ---- TimelinePlayer ----------------------------------------------------------------------------

// Data a timeline step queued that the send buffer has not taken yet.
struct TimelinePlayer::Pending {
    TcpLayer *tcp = nullptr;
    Bytes data;
    std::uint64_t repeatLeft = 0;
    std::size_t offset = 0;
    bool shutdownAfter = false, closeAfter = false;
};

TimelinePlayer::TimelinePlayer(std::vector<TimelineStep> steps, HostLookup lookup, EventSink &events)
    : steps_(std::move(steps)), lookup_(std::move(lookup)), events_(events)
{
    std::stable_sort(steps_.begin(), steps_.end(), [](const auto &a, const auto &b) { return a.at < b.at; });
}

TimelinePlayer::~TimelinePlayer() = default;

void TimelinePlayer::start(Instant now)
{
    if (!start_) start_ = now;
}

Instant TimelinePlayer::pollAt() const
{
    if (done()) return kNever;
    if (!start_) return Instant{}; // start at the first poll
    return *start_ + steps_[next_].at;
}

void TimelinePlayer::poll(Instant now)
{
    start(now);
    while (!done() && *start_ + steps_[next_].at <= now)
        runStep(now, steps_[next_++]);
}

void TimelinePlayer::runStep(Instant now, const TimelineStep &step)
{
    const HostRef h = lookup_(step.host);
    if (!h.host || !h.tcp) return;
    auto fail = [&](const std::string &message) {
        results_[step.connection].error = message;
        Event e;
        e.time = now;
        e.kind = EventKind::Error;
        e.host = h.host->id();
        e.name = "timeline";
        e.detail = "timeline step " + std::string(timelineVerbName(step.verb)) + " (connection " +
                   std::to_string(step.connection) + "): " + message;
        events_.onEvent(e);
    };
    if (step.verb == TimelineVerb::Connect) {
        const auto src = h.host->sourceFor(step.to->addr);
        if (!src) return fail("no local address to reach " + step.to->toString());
        const std::uint32_t id = step.connection;
        auto s = h.tcp->connect(now, Endpoint{*src, step.localPort.value_or(0)}, *step.to,
                                [this, id, tcp = h.tcp](TcpSocketId, std::uint32_t bits) {
                                    auto &r = results_[id];
                                    if (bits & tcpready::kConnected) r.connected = true;
                                    if (bits & tcpready::kClosed) r.closed = true;
                                    // Called from the TCP layer while it runs: its clock is current.
                                    pump(id, tcp->now());
                                });
        if (!s) return fail(s.error().message);
        results_[id].socket = *s;
        auto p = std::make_unique<Pending>();
        p->tcp = h.tcp;
        pending_[id] = std::move(p);
        return;
    }
    auto it = pending_.find(step.connection);
    if (it == pending_.end()) return fail("no such connection");
    Pending &p = *it->second;
    if (step.verb == TimelineVerb::Send) {
        if (p.repeatLeft == 0) {
            p.data = step.data;
            p.offset = 0;
            p.repeatLeft = step.repeat;
        } else {
            fail("previous send still queued; this one is skipped");
        }
    } else if (step.verb == TimelineVerb::Shutdown) {
        p.shutdownAfter = true;
    } else {
        p.closeAfter = true;
    }
    pump(step.connection, now);
}

// Moves queued timeline data into the send buffer, then half-closes or closes when asked and done.
void TimelinePlayer::pump(std::uint32_t connection, Instant now)
{
    auto it = pending_.find(connection);
    if (it == pending_.end()) return;
    Pending &p = *it->second;
    auto &r = results_[connection];
    TcpLayer &tcp = *p.tcp;
    std::uint8_t buf[4096];
    while (r.connected) {
        auto n = tcp.recv(now, r.socket, MutableByteView(buf, sizeof buf));
        if (!n || *n == 0) break;
        r.bytesReceived += *n;
    }
    while (r.connected && p.repeatLeft > 0) {
        auto n = tcp.send(now, r.socket, ByteView(p.data).subspan(p.offset));
        if (!n || *n == 0) break;
        r.bytesSent += *n;
        p.offset += *n;
        if (p.offset == p.data.size()) p.offset = 0, --p.repeatLeft;
    }
    if (!r.connected || p.repeatLeft > 0) return;
    if (p.closeAfter) {
        p.closeAfter = p.shutdownAfter = false;
        (void)tcp.close(now, r.socket);
    } else if (p.shutdownAfter) {
        p.shutdownAfter = false;
        (void)tcp.shutdown(now, r.socket);
    }
}

// ---- ScenarioHook -------------------------------------------------------------------------------

Instant ScenarioHook::pollAt() const
{
    Instant next = rules_.pollAt();
    if (timeline_) next = std::min(next, timeline_->pollAt());
    for (const auto *r : readers_)
        next = std::min(next, r->pollAt());
    return next;
}

void ScenarioHook::poll(Instant now, HookActions &actions)
{
    if (rules_.pollAt() <= now) rules_.poll(now, actions);
    if (timeline_ && timeline_->pollAt() <= now) timeline_->poll(now);
    for (auto *r : readers_)
        if (r->pollAt() <= now) r->poll(now);
}

} // namespace tcplab

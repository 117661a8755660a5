// TcpLayer: construction, demultiplexing, events, handle lifetime (the socket API: tcp_socket_api.cpp).
#include "tcp/tcp_layer.h"

#include <algorithm>
#include <charconv>
#include <cstdio>

#include "tcp/tcp_segment.h"

namespace tcplab {

TcpLayer::TcpLayer(HostId host, TcpConfig config, IpOutput &output, EventSink &events, Rng &rng)
    : host_(host), config_(std::move(config)), out_(output), events_(events), rng_(rng), isn_(rng)
{
    nextEphemeral_ = static_cast<std::uint16_t>(
        rng_.uniform(config_.ephemeralLow, std::max(config_.ephemeralLow, config_.ephemeralHigh)));
}

TcpLayer::~TcpLayer() = default;

Tcb *TcpLayer::find(TcpSocketId s)
{
    auto it = tcbs_.find(s);
    return it == tcbs_.end() ? nullptr : it->second.get();
}

const Tcb *TcpLayer::find(TcpSocketId s) const
{
    auto it = tcbs_.find(s);
    return it == tcbs_.end() ? nullptr : it->second.get();
}

Tcb *TcpLayer::findConnection(const Endpoint &local, const Endpoint &remote)
{
    if (lastHit_ && lastHit_->local == local && lastHit_->remote == remote) return lastHit_;
    auto it = connections_.find(Key{local, remote});
    if (it == connections_.end()) return nullptr;
    lastHit_ = find(it->second);
    return lastHit_;
}

Tcb *TcpLayer::findListener(const Endpoint &local)
{
    if (auto it = listeners_.find(local); it != listeners_.end()) return find(it->second);
    Endpoint any{local.addr.isV4() ? IpAddr(Ip4Addr::any()) : IpAddr(Ip6Addr::any()), local.port};
    if (auto it = listeners_.find(any); it != listeners_.end()) return find(it->second);
    // An IPv4 wildcard listener also takes IPv6 (and the other way round): one `--listen 80:http`.
    Endpoint other{local.addr.isV4() ? IpAddr(Ip6Addr::any()) : IpAddr(Ip4Addr::any()), local.port};
    if (auto it = listeners_.find(other); it != listeners_.end()) return find(it->second);
    return nullptr;
}

Tcb &TcpLayer::newTcb(Instant now, const Endpoint &local, const Endpoint &remote, const TcpSocketOptions &opt)
{
    auto t = std::make_unique<Tcb>();
    t->id = nextId_++;
    if (nextId_ == kNoSocket) ++nextId_;
    t->local = local;
    t->remote = remote;
    t->opt = opt;
    t->rtt = RttEstimator(config_.rto);
    t->lastActivity = now;
    t->tsOffset = rng_.next32();
    Tcb &ref = *t;
    tcbs_.emplace(ref.id, std::move(t));
    return ref;
}

void TcpLayer::setupBuffers(Tcb &t)
{
    t.sendBuf.resize(std::max<std::uint32_t>(t.opt.sendBuffer, 4096));
    t.recvBuf.resize(std::max<std::uint32_t>(t.opt.recvBuffer, 4096));
}

void TcpLayer::notify(Tcb &t, std::uint32_t bits)
{
    if (bits == 0) return;
    if (t.pendingReady == 0) readyQueue_.push_back(t.id);
    t.pendingReady |= bits;
}

void TcpLayer::flushReady()
{
    if (inCallback_) return;
    inCallback_ = true;
    // Inside a batch, a socket that only became writable hears it once, at the end of the batch
    // (what it sends then waits for the batch's output anyway; its bits accumulate meanwhile).
    // Everything else is told at once: received data above all, since an application that reads
    // only at the end of a burst of large segments would let its receive window close.
    std::size_t kept = 0;
    // Callbacks may call back into the API (send, recv, close), which may queue more.
    for (std::size_t i = 0; i < readyQueue_.size(); ++i) {
        Tcb *t = find(readyQueue_[i]);
        if (!t) continue;
        if (batching_ && t->pendingReady == tcpready::kWritable) {
            readyQueue_[kept++] = readyQueue_[i];
            continue;
        }
        const std::uint32_t bits = std::exchange(t->pendingReady, 0);
        if (bits && t->ready) {
            auto cb = t->ready; // the callback may replace itself
            cb(t->id, bits);
        }
    }
    readyQueue_.resize(kept);
    inCallback_ = false;
}

void TcpLayer::maybeRelease(Tcb &t)
{
    const bool over = t.state == TcpState::Closed;
    const bool unowned = t.userClosed || !t.accepted;
    if (over && unowned && !t.listener) releaseQueue_.push_back(t.id);
}

void TcpLayer::release(Tcb &t)
{
    if (lastHit_ == &t) lastHit_ = nullptr;
    if (t.listener) {
        for (auto it = listeners_.begin(); it != listeners_.end();)
            it = it->second == t.id ? listeners_.erase(it) : std::next(it);
        // Children not yet accepted die with their listener.
        for (auto &[id, c] : tcbs_)
            if (c->parent == t.id && !c->accepted) {
                c->parent = kNoSocket;
                c->userClosed = true;
                if (c->state != TcpState::Closed && c->state != TcpState::TimeWait)
                    releaseQueue_.push_back(c->id);
            }
    } else {
        connections_.erase(Key{t.local, t.remote});
    }
    if (Tcb *l = t.parent ? find(t.parent) : nullptr) {
        if (!t.accepted) std::erase(l->acceptQueue, t.id);
        if (t.state == TcpState::SynReceived && l->synQueue) --l->synQueue;
    }
    tcbs_.erase(t.id);
}

void TcpLayer::finish()
{
    flushReady();
    while (!releaseQueue_.empty()) {
        const TcpSocketId id = releaseQueue_.back();
        releaseQueue_.pop_back();
        if (Tcb *t = find(id)) release(*t);
    }
}

std::optional<TcbSnapshot> TcpLayer::lookup(const Endpoint &local, const Endpoint &remote) const
{
    const Tcb *t = nullptr;
    if (auto it = connections_.find(Key{local, remote}); it != connections_.end()) t = find(it->second);
    if (!t) {
        auto self = const_cast<TcpLayer *>(this);
        t = self->findListener(local);
        if (t) {
            TcbSnapshot s;
            s.state = TcpState::Listen;
            s.local = t->local;
            return s;
        }
        return std::nullopt;
    }
    TcbSnapshot s;
    s.state = t->state;
    s.local = t->local;
    s.remote = t->remote;
    s.iss = t->iss;
    s.irs = t->irs;
    s.sndUna = t->sndUna;
    s.sndNxt = t->sndNxt;
    s.sndWnd = t->sndWnd;
    s.rcvNxt = t->rcvNxt;
    s.rcvWnd = static_cast<std::uint32_t>(t->recvBuf.free());
    s.cwnd = t->cc ? t->cc->cwnd() : 0;
    s.ssthresh = t->cc ? t->cc->ssthresh() : 0;
    s.srttNs = nanosOf(t->rtt.srtt());
    s.rtoNs = nanosOf(t->rtt.rto());
    s.retransmits = t->retransmits;
    return s;
}

// ---------------------------------------------------------------- events

void TcpLayer::note(Instant now, Tcb *t, EventKind kind, std::string name, std::string detail,
                    std::vector<std::pair<std::string, std::string>> fields)
{
    Event e;
    e.time = now;
    e.kind = kind;
    e.host = host_;
    if (t) {
        if (t->session == kNoSession && resolver_ && t->remote.port)
            t->session = resolver_(t->local, t->remote);
        e.session = t->session;
    }
    e.name = std::move(name);
    e.detail = std::move(detail);
    e.fields = std::move(fields);
    events_.onEvent(e);
}

void TcpLayer::setState(Instant now, Tcb &t, TcpState to, std::string_view cause)
{
    if (t.state == to) return;
    const TcpState from = t.state;
    t.state = to;
    note(now, &t, EventKind::StateChange, std::string(tcpStateName(to)),
         std::string(tcpStateName(from)) + " → " + std::string(tcpStateName(to)) + ": " + std::string(cause),
         {{"from", std::string(tcpStateName(from))},
          {"to", std::string(tcpStateName(to))},
          {"cause", std::string(cause)}});
    // TIME-WAIT: both FINs are exchanged and acknowledged, the conversation is over for the user.
    if (to == TcpState::TimeWait) notify(t, tcpready::kClosed);
    if (to == TcpState::Closed) {
        for (auto &deadline : t.timers)
            deadline = kNever;
        notify(t, tcpready::kClosed | tcpready::kReadable);
        maybeRelease(t);
    }
}

void TcpLayer::windowEvent(Instant now, Tcb &t, const char *which, std::uint32_t before, std::uint32_t after)
{
    if (before == after) return;
    note(now, &t, EventKind::WindowChange, which,
         std::string(which) + " " + std::to_string(before) + " → " + std::to_string(after),
         {{"which", which}, {"before", std::to_string(before)}, {"after", std::to_string(after)}});
}

namespace {
// Writes "%.3f ms" of `d` at `p` (room for 40 characters), returns the end. Every RTT sample (with
// timestamps: every ACK of a bulk transfer) formats four of these, so the usual case goes without
// floating-point formatting: whole microseconds, rounded half up, print the same digits as %.3f
// does. A remainder of exactly 500 ns (a tie, where the double's own rounding decides) and negative
// values go through snprintf.
char *putMillis(char *p, Duration d)
{
    const std::int64_t ns = nanosOf(d);
    if (ns < 0 || ns % 1000 == 500) {
        const int n = std::snprintf(p, 40, "%.3f ms", double(ns) / 1e6);
        return p + std::clamp(n, 0, 39);
    }
    const std::int64_t us = (ns + 500) / 1000;
    p = std::to_chars(p, p + 24, us / 1000).ptr;
    const auto frac = static_cast<int>(us % 1000);
    *p++ = '.';
    *p++ = static_cast<char>('0' + frac / 100);
    *p++ = static_cast<char>('0' + frac / 10 % 10);
    *p++ = static_cast<char>('0' + frac % 10);
    *p++ = ' ';
    *p++ = 'm';
    *p++ = 's';
    return p;
}

char *put(char *p, std::string_view text)
{
    return std::copy(text.begin(), text.end(), p);
}

std::string millis(Duration d)
{
    char buf[40];
    return std::string(buf, putMillis(buf, d));
}
} // namespace

void TcpLayer::takeRttSample(Instant now, Tcb &t, Duration r, const char *source)
{
    if (r < Duration(0)) return;
    t.rtt.sample(r);
    ++t.rttSamples;
    // With timestamps every new ACK is a sample (RFC 7323 section 4.1): on a fast path, mostly the
    // same value again, once the estimator has settled leaving SRTT, RTTVAR and RTO where they
    // were. An event for such a repeat would say exactly what the previous one said, only later,
    // and cost a fifth of a bulk sender's work per ACK. So a sample makes an event when anything
    // the event shows differs from the last one (sample, SRTT, RTTVAR, RTO or how R was measured),
    // and a repeat still makes one when the last event is an SRTT (at least 1 ms) old: the RTT
    // plot's series stay flat between points never further apart than that, as they would be
    // with every repeat drawn, and the log shows the same values. The estimator takes every sample.
    Tcb::RttShown &shown = t.rttShown;
    const bool repeat = r == shown.sample && t.rtt.srtt() == shown.srtt && t.rtt.rttvar() == shown.rttvar &&
                        t.rtt.rto() == shown.rto && std::string_view(source) == shown.source;
    if (repeat && now - shown.at < std::max<Duration>(t.rtt.srtt(), std::chrono::milliseconds(1))) return;
    shown = Tcb::RttShown{r, t.rtt.srtt(), t.rtt.rttvar(), t.rtt.rto(), source, now};
    // Formatted into one buffer and made a string once: this runs for every ACK of a bulk transfer.
    const std::string_view from(source);
    char buf[4 * 40 + 96];
    char *p = putMillis(put(buf, "RTT "), r);
    p = putMillis(put(put(put(p, " ("), from.substr(0, 48)), "): SRTT "), t.rtt.srtt());
    p = putMillis(put(p, ", RTTVAR "), t.rtt.rttvar());
    p = putMillis(put(p, ", RTO "), t.rtt.rto());
    std::vector<std::pair<std::string, std::string>> fields;
    fields.reserve(5);
    fields.emplace_back("sample_ns", std::to_string(nanosOf(r)));
    fields.emplace_back("srtt_ns", std::to_string(nanosOf(t.rtt.srtt())));
    fields.emplace_back("rttvar_ns", std::to_string(nanosOf(t.rtt.rttvar())));
    fields.emplace_back("rto_ns", std::to_string(nanosOf(t.rtt.rto())));
    fields.emplace_back("source", source);
    note(now, &t, EventKind::RttSample, "rtt-sample", std::string(buf, p), std::move(fields));
}

void TcpLayer::backOffRto(Instant now, Tcb &t)
{
    const Duration before = t.rtt.rto();
    t.rtt.backOff();
    if (t.rtt.rto() == before) return; // already at the configured maximum
    const std::string cause = "backoff #" + std::to_string(t.rtt.backoffs());
    note(now, &t, EventKind::RttSample, "rto",
         "RTO " + millis(before) + " → " + millis(t.rtt.rto()) + " (" + cause + ")",
         {{"before_ns", std::to_string(nanosOf(before))},
          {"after_ns", std::to_string(nanosOf(t.rtt.rto()))},
          {"cause", cause}});
}

void TcpLayer::listenerEvent(Instant now, const Tcb &l, SessionId session, const Endpoint &remote,
                             std::string name, std::string detail)
{
    Event e;
    e.time = now;
    e.kind = EventKind::Log;
    e.host = host_;
    e.session = session;
    e.name = std::move(name);
    e.detail = std::move(detail);
    e.fields = {{"listener", l.local.toString()},
                {"remote", remote.toString()},
                {"syn_queue", std::to_string(l.synQueue)},
                {"syn_queue_limit", std::to_string(config_.synQueueLimit)},
                {"accept_queue", std::to_string(l.acceptQueue.size())},
                {"backlog", std::to_string(l.backlog)}};
    events_.onEvent(e);
}

void TcpLayer::resetConnection(Instant now, Tcb &t, std::string_view why)
{
    if (t.error.empty()) t.error = std::string(why);
    ++counters_.resets;
    setState(now, t, TcpState::Closed, why);
}

} // namespace tcplab

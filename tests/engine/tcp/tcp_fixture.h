// Packetdrill-style helpers for TCP tests on a TcpLayer alone: a fake IP output that records every
// segment, a fixture that builds a connection in any state, inject() and expect() with sequence
// numbers relative to the two ISNs, and virtual time that only moves when the test says so.
// TcpPair joins two layers through a small lossy wire for engine-to-engine tests.
#pragma once

#include <QtTest>

#include <deque>
#include <memory>

#include "tcp/tcp_layer.h"

namespace tcplab::test {

struct Sent {
    Instant at;
    IpAddr src, dst;
    Bytes bytes;
    std::uint16_t segmentMss = 0;  // sent for the link to cut into segments of this size (TSO)
    TcpView view() const { return TcpView::unchecked(bytes); }
    TcpFlags flags() const { return view().flags(); }
    TcpOptions options() const { return view().options().value(); }
};

class FakeIp final : public IpOutput {
public:
    void sendIp(Instant now, const IpAddr &src, const IpAddr &dst, std::uint8_t, Bytes payload) override
    {
        sent.push_back({now, src, dst, std::move(payload)});
    }
    // TSO as a tap with IFF_VNET_HDR offers it (0: none).
    std::uint32_t segmentationLimit() const override { return tsoLimit; }
    void sendIpSegmented(Instant now, const IpAddr &src, const IpAddr &dst, std::uint8_t, Bytes payload,
                         std::uint16_t mss) override
    {
        sent.push_back({now, src, dst, std::move(payload), mss});
    }
    std::deque<Sent> sent;
    std::uint32_t tsoLimit = 0;
};

class EventLog final : public EventSink {
public:
    void onEvent(const Event &e) override { events.push_back(e); }
    bool has(EventKind kind, std::string_view name) const
    {
        for (const auto &e : events)
            if (e.kind == kind && e.name == name) return true;
        return false;
    }
    std::size_t count(EventKind kind, std::string_view name = {}) const
    {
        std::size_t n = 0;
        for (const auto &e : events)
            if (e.kind == kind && (name.empty() || e.name == name)) ++n;
        return n;
    }
    std::vector<Event> events;
};

inline IpAddr ip(const char *text) { return *IpAddr::parse(text); }

// An event's field by key ("" when absent).
inline std::string field(const Event &e, std::string_view key)
{
    for (const auto &[k, v] : e.fields)
        if (k == key) return v;
    return {};
}

// One TcpLayer under test ("local"), talking to a scripted peer ("remote").
class TcpFixture {
public:
    explicit TcpFixture(TcpConfig config = defaultConfig()) { reset(std::move(config)); }

    static TcpConfig defaultConfig()
    {
        TcpConfig c;
        c.msl = 1s;
        c.socket.congestion = CongestionAlgorithm::NewReno;
        return c;
    }

    void reset(TcpConfig config)
    {
        rng = std::make_unique<Rng>(42);
        layer = std::make_unique<TcpLayer>(1, std::move(config), ipOut, events, *rng);
        ipOut.sent.clear();
        events.events.clear();
        now = instantFromNanos(1'000'000'000);
    }

    // A connection in `state`, our ISS 1000 and the peer's 5000, no handshake.
    TcpSocketId build(TcpState state, TcpLayer::Fabricated f = {})
    {
        f.state = state;
        f.local = local;
        f.remote = remote;
        iss = f.iss;
        irs = f.irs;
        sock = layer->fabricate(now, f, [this](TcpSocketId, std::uint32_t bits) { ready |= bits; });
        return sock;
    }

    // Peer → us. seq is relative to the peer's ISN, ack to ours (packetdrill style).
    void inject(std::uint8_t flags, std::uint32_t relSeq, std::uint32_t relAck, std::uint16_t window = 65535,
                ByteView payload = {}, const TcpOptions &options = {})
    {
        TcpHeader h;
        h.sourcePort = remote.port;
        h.destinationPort = local.port;
        h.seq = irs + relSeq;
        h.ack = (flags & TcpFlags::kAck) ? iss + relAck : SeqNum(0);
        h.flags = TcpFlags(flags);
        h.window = window;
        h.options = options;
        injectRaw(serializeTcp(h, payload, remote.addr, local.addr));
    }
    void injectRaw(const Bytes &segment)
    {
        IpMeta meta;
        meta.src = remote.addr;
        meta.dst = local.addr;
        meta.protocol = kIpProtoTcp;
        meta.session = 7;
        layer->input(now, meta, segment);
    }

    // The next segment we sent, checked against flags and relative seq/ack (ack ignored when the
    // segment has no ACK). Fails the test when nothing was sent.
    Sent expect(std::uint8_t flags, std::uint32_t relSeq, std::optional<std::uint32_t> relAck = std::nullopt,
                std::optional<std::size_t> len = std::nullopt)
    {
        if (ipOut.sent.empty()) {
            QTest::qFail("expected a segment, none was sent", __FILE__, __LINE__);
            return {};
        }
        Sent s = std::move(ipOut.sent.front());
        ipOut.sent.pop_front();
        const TcpView v = s.view();
        const std::string what = "sent " + v.flags().toString() + " seq " + std::to_string(v.seq() - iss) + " ack " +
                                 std::to_string(v.ack() - irs) + " len " + std::to_string(v.payload().size());
        if (v.flags().bits != flags) QTest::qFail(("wrong flags: " + what).c_str(), __FILE__, __LINE__);
        if (static_cast<std::uint32_t>(v.seq() - iss) != relSeq) QTest::qFail(("wrong seq: " + what).c_str(), __FILE__, __LINE__);
        if (relAck && static_cast<std::uint32_t>(v.ack() - irs) != *relAck)
            QTest::qFail(("wrong ack: " + what).c_str(), __FILE__, __LINE__);
        if (len && v.payload().size() != *len) QTest::qFail(("wrong length: " + what).c_str(), __FILE__, __LINE__);
        if (!verifyTcpChecksum(s.bytes, s.src, s.dst)) QTest::qFail("bad checksum on a sent segment", __FILE__, __LINE__);
        return s;
    }
    bool nothingSent() const { return ipOut.sent.empty(); }

    // Moves virtual time forward, running every timer that falls due on the way.
    void advance(Duration d)
    {
        const Instant end = now + d;
        for (;;) {
            const Instant next = layer->pollAt();
            if (next > end) break;
            now = std::max(now, next);
            layer->poll(now);
        }
        now = end;
    }
    // Runs timers until the layer sends something (or `limit` passes); returns when it did.
    std::optional<Instant> advanceUntilSent(Duration limit)
    {
        const Instant end = now + limit;
        while (ipOut.sent.empty()) {
            const Instant next = layer->pollAt();
            if (next > end) {
                now = end;
                return std::nullopt;
            }
            now = std::max(now, next);
            layer->poll(now);
        }
        return now;
    }

    TcpState state() const
    {
        auto i = layer->info(sock);
        return i ? i->tcb.state : TcpState::None;
    }

    std::unique_ptr<Rng> rng;
    FakeIp ipOut;
    EventLog events;
    std::unique_ptr<TcpLayer> layer;
    Instant now{};
    Endpoint local{ip("198.18.0.1"), 80};
    Endpoint remote{ip("198.18.0.2"), 40000};
    SeqNum iss{1000}, irs{5000};
    TcpSocketId sock = kNoSocket;
    std::uint32_t ready = 0;
};

// Two layers joined by a wire with latency, loss, duplication and reordering, all from one seeded
// Rng, run in virtual time.
struct WireConfig {
    Duration latency = 5ms;
    double loss = 0, duplicate = 0, reorder = 0;
    Duration reorderExtra = 3ms;
};

class TcpPair {
public:

    class Side final : public IpOutput {
    public:
        TcpPair *pair = nullptr;
        int index = 0;
        void sendIp(Instant now, const IpAddr &src, const IpAddr &dst, std::uint8_t, Bytes payload) override
        {
            pair->transmit(now, index, src, dst, std::move(payload));
        }
    };

    explicit TcpPair(TcpConfig a = TcpFixture::defaultConfig(), TcpConfig b = TcpFixture::defaultConfig(),
                     WireConfig wire = WireConfig(), std::uint64_t seed = 1)
        : wire_(wire), rng_(seed), rngA_(seed * 3 + 1), rngB_(seed * 5 + 2)
    {
        sides_[0].pair = sides_[1].pair = this;
        sides_[1].index = 1;
        layers_[0] = std::make_unique<TcpLayer>(0, std::move(a), sides_[0], events[0], rngA_);
        layers_[1] = std::make_unique<TcpLayer>(1, std::move(b), sides_[1], events[1], rngB_);
    }

    TcpLayer &a() { return *layers_[0]; }
    TcpLayer &b() { return *layers_[1]; }
    Instant now = instantFromNanos(1'000'000'000);
    EventLog events[2];
    std::uint64_t delivered = 0, dropped = 0;

    // Runs until `done()` or `limit` of virtual time passes; returns whether done() became true.
    template <class Done>
    bool runUntil(Done &&done, Duration limit)
    {
        const Instant end = now + limit;
        while (!done()) {
            Instant next = std::min(layers_[0]->pollAt(), layers_[1]->pollAt());
            if (!inFlight_.empty()) next = std::min(next, inFlight_.front().at);
            if (next > end) {
                now = end;
                return done();
            }
            now = std::max(now, next);
            while (!inFlight_.empty() && inFlight_.front().at <= now) {
                Packet p = std::move(inFlight_.front());
                inFlight_.pop_front();
                IpMeta meta;
                meta.src = p.src;
                meta.dst = p.dst;
                meta.protocol = kIpProtoTcp;
                ++delivered;
                layers_[1 - p.from]->input(now, meta, p.bytes);
            }
            for (auto &l : layers_) l->poll(now);
        }
        return true;
    }
    void run(Duration d)
    {
        runUntil([] { return false; }, d);
    }

private:
    struct Packet {
        Instant at;
        int from;
        IpAddr src, dst;
        Bytes bytes;
    };
    void transmit(Instant now, int from, const IpAddr &src, const IpAddr &dst, Bytes bytes)
    {
        if (rng_.chance(wire_.loss)) {
            ++dropped;
            return;
        }
        Instant at = now + wire_.latency;
        if (rng_.chance(wire_.reorder)) at += wire_.reorderExtra;
        if (rng_.chance(wire_.duplicate)) insert({at + 1ms, from, src, dst, bytes});
        insert({at, from, src, dst, std::move(bytes)});
    }
    void insert(Packet p)
    {
        auto it = inFlight_.end();
        while (it != inFlight_.begin() && std::prev(it)->at > p.at) --it;
        inFlight_.insert(it, std::move(p));
    }
    WireConfig wire_;
    Rng rng_, rngA_, rngB_;
    Side sides_[2];
    std::unique_ptr<TcpLayer> layers_[2];
    std::deque<Packet> inFlight_;
};

}  // namespace tcplab::test

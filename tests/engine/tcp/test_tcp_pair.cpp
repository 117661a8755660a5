// Two TcpLayers talking through a lossy, reordering, duplicating wire in virtual time: option
// negotiation in every combination, bulk transfer both ways intact, congestion control choices,
// and a SYN flood that must leave memory bounded while a legitimate client still connects.
#include <cstdio>

#include "tcp_fixture.h"

using namespace tcplab;
using namespace tcplab::test;

namespace {

std::uint8_t patternByte(std::uint64_t i) { return static_cast<std::uint8_t>(i * 131 + (i >> 9) * 7 + 3); }

// Sends `total` pattern bytes and checks every byte it receives against the same pattern.
struct Pump {
    TcpLayer *layer = nullptr;
    TcpPair *pair = nullptr;
    TcpSocketId sock = kNoSocket;
    std::uint64_t total = 0, sent = 0, received = 0, mismatches = 0;
    bool shutdownDone = false, eof = false;
    bool paused = false;  // an application that stopped reading

    void onReady(std::uint32_t bits)
    {
        if (bits & (tcpready::kWritable | tcpready::kConnected)) write();
        if (bits & tcpready::kReadable) read();
    }
    void write()
    {
        std::uint8_t chunk[16384];
        while (sent < total) {
            const std::size_t n = static_cast<std::size_t>(std::min<std::uint64_t>(sizeof chunk, total - sent));
            for (std::size_t i = 0; i < n; ++i) chunk[i] = patternByte(sent + i);
            auto r = layer->send(pair->now, sock, ByteView(chunk, n));
            if (!r.ok() || *r == 0) return;
            sent += *r;
        }
        if (!shutdownDone) {
            shutdownDone = true;
            (void)layer->shutdown(pair->now, sock);
        }
    }
    void read()
    {
        if (paused) return;
        std::uint8_t buf[16384];
        for (;;) {
            auto r = layer->recv(pair->now, sock, buf);
            if (!r.ok() || *r == 0) break;
            for (std::size_t i = 0; i < *r; ++i)
                if (buf[i] != patternByte(received + i)) ++mismatches;
            received += *r;
        }
        if (layer->peerClosed(sock)) eof = true;
    }
};

struct Transfer {
    Pump client, server;
    TcpSocketId listener = kNoSocket;
};

// Client on a, server on b; each sends `bytes` to the other.
void startTransfer(TcpPair &pair, Transfer &x, std::uint64_t bytes, const Endpoint &server, const Endpoint &client)
{
    x.client = {&pair.a(), &pair, kNoSocket, bytes};
    x.server = {&pair.b(), &pair, kNoSocket, bytes};
    x.listener = *pair.b().listen(server, 16, [&pair, &x](TcpSocketId l, std::uint32_t bits) {
        if (!(bits & tcpready::kAcceptable)) return;
        x.server.sock = pair.b().accept(l, [&x](TcpSocketId, std::uint32_t b) { x.server.onReady(b); });
    });
    x.client.sock = *pair.a().connect(pair.now, client, server, [&x](TcpSocketId, std::uint32_t b) { x.client.onReady(b); });
}

const Endpoint kServer{ip("198.18.0.2"), 5001};
const Endpoint kClient{ip("198.18.0.1"), 0};

}  // namespace

class TestTcpPair : public QObject {
    Q_OBJECT
private slots:
    void optionNegotiationAllCombinations()
    {
        for (int mask = 0; mask < 64; ++mask) {
            auto ca = TcpFixture::defaultConfig(), cb = TcpFixture::defaultConfig();
            ca.socket.windowScale = mask & 1;
            ca.socket.timestamps = mask & 2;
            ca.socket.sack = mask & 4;
            cb.socket.windowScale = mask & 8;
            cb.socket.timestamps = mask & 16;
            cb.socket.sack = mask & 32;
            TcpPair pair(ca, cb);
            Transfer x;
            startTransfer(pair, x, 200'000, kServer, kClient);
            QVERIFY2(pair.runUntil([&] { return x.client.eof && x.server.eof; }, 60s), qPrintable(QString::number(mask)));
            QCOMPARE(x.client.received, std::uint64_t(200'000));
            QCOMPARE(x.server.received, std::uint64_t(200'000));
            QCOMPARE(x.client.mismatches + x.server.mismatches, std::uint64_t(0));
            for (TcpLayer *l : {&pair.a(), &pair.b()}) {
                const TcpSocketId s = l == &pair.a() ? x.client.sock : x.server.sock;
                const auto info = l->info(s);
                QVERIFY(info);
                QCOMPARE(info->wscaleOk, bool((mask & 1) && (mask & 8)));
                QCOMPARE(info->tsOk, bool((mask & 2) && (mask & 16)));
                QCOMPARE(info->sackOk, bool((mask & 4) && (mask & 32)));
            }
        }
    }

    void tenMegabytesEachWayThroughLossReorderDuplication_data()
    {
        QTest::addColumn<QString>("cc");
        QTest::addColumn<bool>("sack");
        QTest::addColumn<bool>("ipv6");
        QTest::newRow("cubic+sack v4") << "cubic" << true << false;
        QTest::newRow("newreno no-sack v6") << "newreno" << false << true;
    }
    void tenMegabytesEachWayThroughLossReorderDuplication()
    {
        QFETCH(QString, cc);
        QFETCH(bool, sack);
        QFETCH(bool, ipv6);
        auto c = TcpFixture::defaultConfig();
        QVERIFY(congestionAlgorithmFromName(cc.toStdString(), c.socket.congestion));
        c.socket.sack = sack;
        c.socket.noDelay = true;
        c.rto.min = 200ms;
        WireConfig wire;
        wire.latency = 2ms;
        wire.loss = 0.01;
        wire.reorder = 0.01;
        wire.duplicate = 0.01;
        TcpPair pair(c, c, wire, 11);
        Transfer x;
        const Endpoint server = ipv6 ? Endpoint{ip("2001:db8::2"), 5001} : kServer;
        const Endpoint client = ipv6 ? Endpoint{ip("2001:db8::1"), 0} : kClient;
        const std::uint64_t total = 10'000'000;
        startTransfer(pair, x, total, server, client);
        QVERIFY(pair.runUntil([&] { return x.client.eof && x.server.eof; }, 600s));
        QCOMPARE(x.client.received, total);
        QCOMPARE(x.server.received, total);
        QCOMPARE(x.client.mismatches + x.server.mismatches, std::uint64_t(0));
        QVERIFY(pair.dropped > 0);
        const auto info = pair.a().info(x.client.sock);
        QVERIFY(info->tcb.retransmits > 0);
        QCOMPARE(info->congestion, cc.toStdString());
        if (sack) QVERIFY(pair.a().counters().retransmits + pair.b().counters().retransmits > 0);
        // Both ends reach CLOSED (the active closer through TIME-WAIT).
        pair.run(10s);
        QVERIFY(pair.a().info(x.client.sock)->tcb.state == TcpState::Closed ||
                pair.a().info(x.client.sock)->tcb.state == TcpState::TimeWait);
    }

    void synFloodKeepsMemoryBoundedAndLegitClientConnects()
    {
        auto cfg = TcpFixture::defaultConfig();
        cfg.synQueueLimit = 64;
        TcpFixture fx(cfg);
        auto l = fx.layer->listen(fx.local, 16);
        QVERIFY(l.ok());
        for (std::uint32_t i = 0; i < 20000; ++i) {
            fx.remote = {Ip4Addr{0xc6120000u + (i % 250) + 10}, static_cast<std::uint16_t>(1024 + i % 60000)};
            fx.irs = SeqNum(i * 7919u);
            fx.inject(TcpFlags::kSyn, 0, 0);
            fx.ipOut.sent.clear();
        }
        QVERIFY(fx.layer->connectionCount() <= 64 + 1);
        QVERIFY(fx.layer->counters().synCookiesSent >= 20000 - 64);
        // Every SYN answered with a cookie is an event naming the full SYN queue.
        QCOMPARE(fx.events.count(EventKind::Log, "syn-cookie"),
                 std::size_t(fx.layer->counters().synCookiesSent));
        for (const auto &e : fx.events.events)
            if (e.name == "syn-cookie") {
                QCOMPARE(field(e, "syn_queue"), std::string("64"));
                QCOMPARE(field(e, "syn_queue_limit"), std::string("64"));
                QCOMPARE(e.session, SessionId(7));
                QVERIFY(e.detail.find("SYN queue full") != std::string::npos);
                break;
            }
        // A real client: SYN, SYN-ACK carrying a cookie, ACK -> ESTABLISHED and acceptable.
        fx.remote = {ip("198.18.0.9"), 33333};
        fx.irs = SeqNum(424242);
        TcpOptions mss;
        mss.mss = 1460;
        fx.inject(TcpFlags::kSyn, 0, 0, 65535, {}, mss);
        QCOMPARE(fx.ipOut.sent.size(), std::size_t(1));
        fx.iss = fx.ipOut.sent.front().view().seq();
        fx.expect(TcpFlags::kSyn | TcpFlags::kAck, 0, 1);
        const Bytes hello{'h', 'i'};
        fx.inject(TcpFlags::kAck | TcpFlags::kPsh, 1, 1, 65535, hello);
        QCOMPARE(fx.layer->lookup(fx.local, fx.remote)->state, TcpState::Established);
        QCOMPARE(fx.layer->counters().synCookiesAccepted, std::uint64_t(1));
        QCOMPARE(fx.events.count(EventKind::Log, "syn-cookie-accepted"), std::size_t(1));
        const TcpSocketId c = fx.layer->accept(*l);
        QVERIFY(c != kNoSocket);
        QCOMPARE(fx.layer->recvAvailable(c), std::size_t(2));
        QCOMPARE(fx.layer->info(c)->sndMss, std::uint16_t(1460));
        // A forged ACK with a wrong cookie is refused with RST.
        fx.remote = {ip("198.18.0.10"), 4444};
        fx.ipOut.sent.clear();
        fx.inject(TcpFlags::kAck, 1, 12345);
        fx.expect(TcpFlags::kRst, 12345);
        // Half-open children time out: memory goes back down.
        fx.advance(300s);
        QVERIFY(fx.layer->connectionCount() <= 2);
    }

    // A SYN cookie holds only the MSS; with timestamps in the SYN, the low 5 bits of our TSval carry
    // the peer's window scale and SACK-permitted and come back in the ACK's TSecr.
    void synCookieKeepsWindowScaleAndSackInTheTimestamp()
    {
        auto cfg = TcpFixture::defaultConfig();
        cfg.synQueueLimit = 0; // every SYN answered with a cookie
        TcpFixture fx(cfg);
        auto l = fx.layer->listen(fx.local, 16);
        QVERIFY(l.ok());
        fx.remote = {ip("198.18.0.9"), 33333};
        fx.irs = SeqNum(424242);
        TcpOptions o;
        o.mss = 1460;
        o.windowScale = 9;
        o.sackPermitted = true;
        o.timestamps = TcpTimestamps{777, 0};
        fx.inject(TcpFlags::kSyn, 0, 0, 65535, {}, o);
        QCOMPARE(fx.layer->connectionCount(), std::size_t(1)); // the listener only: nothing kept
        QCOMPARE(fx.layer->counters().synCookiesSent, std::uint64_t(1));
        QVERIFY(!fx.ipOut.sent.empty());
        fx.iss = fx.ipOut.sent.front().view().seq();
        const TcpOptions got = fx.expect(TcpFlags::kSyn | TcpFlags::kAck, 0, 1).options();
        QVERIFY(got.timestamps && got.windowScale && got.sackPermitted);
        QCOMPARE(got.timestamps->echo, 777u);
        QCOMPARE(got.timestamps->value & 0x1fu, 9u | 0x10u);
        fx.advance(30ms);
        TcpOptions ack;
        ack.timestamps = TcpTimestamps{800, got.timestamps->value};
        fx.inject(TcpFlags::kAck, 1, 1, 100, {}, ack);
        const TcpSocketId c = fx.layer->accept(*l);
        QVERIFY(c != kNoSocket);
        const auto info = fx.layer->info(c);
        QVERIFY(info->tsOk && info->sackOk && info->wscaleOk);
        QCOMPARE(int(info->sndWscale), 9);
        QCOMPARE(int(info->rcvWscale), int(*got.windowScale));
        QCOMPARE(info->sndMss, std::uint16_t(1460 - 12));
        QCOMPARE(info->tcb.sndWnd, 100u << 9); // RFC 7323 section 2.2: the ACK's window is scaled
        // Our clock goes on from the SYN-ACK's TSval (the peer's PAWS never sees it go back).
        QCOMPARE(*fx.layer->send(fx.now, c, Bytes(10, 'x')), std::size_t(10));
        const TcpOptions data = fx.expect(TcpFlags::kPsh | TcpFlags::kAck, 1, 1, 10).options();
        QVERIFY(data.timestamps);
        QVERIFY(std::int32_t(data.timestamps->value - got.timestamps->value) >= 0);
        QCOMPARE(data.timestamps->echo, 800u);

        // Without timestamps in the SYN: the MSS only, as before.
        fx.remote = {ip("198.18.0.10"), 33334};
        TcpOptions plain;
        plain.mss = 1460;
        plain.windowScale = 9;
        plain.sackPermitted = true;
        fx.inject(TcpFlags::kSyn, 0, 0, 65535, {}, plain);
        fx.iss = fx.ipOut.sent.front().view().seq();
        const TcpOptions bare = fx.expect(TcpFlags::kSyn | TcpFlags::kAck, 0, 1).options();
        QVERIFY(!bare.timestamps && !bare.windowScale && !bare.sackPermitted);
        fx.inject(TcpFlags::kAck, 1, 1, 100);
        const TcpSocketId c2 = fx.layer->accept(*l);
        QVERIFY(c2 != kNoSocket);
        const auto info2 = fx.layer->info(c2);
        QVERIFY(!info2->tsOk && !info2->sackOk && !info2->wscaleOk);
        QCOMPARE(info2->tcb.sndWnd, 100u);
    }

    void fullSynQueueWithoutCookiesDropsTheSynVisibly()
    {
        auto cfg = TcpFixture::defaultConfig();
        cfg.synQueueLimit = 4;
        cfg.synCookies = false;
        TcpFixture fx(cfg);
        QVERIFY(fx.layer->listen(fx.local, 16).ok());
        for (std::uint32_t i = 0; i < 10; ++i) {
            fx.remote = {ip("198.18.0.2"), static_cast<std::uint16_t>(2000 + i)};
            fx.inject(TcpFlags::kSyn, 0, 0);
        }
        QCOMPARE(fx.ipOut.sent.size(), std::size_t(4)); // four SYN-ACKs, six SYNs dropped
        QCOMPARE(fx.layer->counters().synDropped, std::uint64_t(6));
        QCOMPARE(fx.events.count(EventKind::Log, "syn-dropped"), std::size_t(6));
        QCOMPARE(fx.events.count(EventKind::Log, "syn-cookie"), std::size_t(0));
        for (const auto &e : fx.events.events)
            if (e.name == "syn-dropped") {
                QCOMPARE(field(e, "remote"), std::string("198.18.0.2:2004"));
                QVERIFY2(e.detail.find("SYN queue full (4 of 4)") != std::string::npos, e.detail.c_str());
                break;
            }
    }

    // Every RTT sample of a real transfer is an event, and the last one agrees with the TCB.
    void rttSamplesOfATransferAreEvents_data()
    {
        QTest::addColumn<bool>("timestamps");
        QTest::newRow("timestamps") << true;
        QTest::newRow("timed segments") << false;
    }
    void rttSamplesOfATransferAreEvents()
    {
        QFETCH(bool, timestamps);
        auto cfg = TcpFixture::defaultConfig();
        cfg.socket.timestamps = timestamps;
        TcpPair pair(cfg, cfg);
        Transfer x;
        startTransfer(pair, x, 500'000, kServer, kClient);
        QVERIFY(pair.runUntil([&] { return x.server.received == 500'000; }, 60s));
        const auto info = pair.a().info(x.client.sock);
        const Event *last = nullptr;
        std::size_t samples = 0;
        for (const auto &e : pair.events[0].events) {
            if (e.kind != EventKind::RttSample || e.name != "rtt-sample") continue;
            ++samples;
            // An event repeating the previous one's values comes an SRTT (at least 1 ms) after it.
            if (last && field(e, "sample_ns") == field(*last, "sample_ns") &&
                field(e, "srtt_ns") == field(*last, "srtt_ns") &&
                field(e, "rttvar_ns") == field(*last, "rttvar_ns") &&
                field(e, "rto_ns") == field(*last, "rto_ns") && field(e, "source") == field(*last, "source"))
                QVERIFY(e.time - last->time >=
                        std::max<Duration>(std::chrono::nanoseconds(std::stoll(field(e, "srtt_ns"))), 1ms));
            last = &e;
            const char *source = samples == 1 ? "timed SYN" : timestamps ? "timestamps" : "timed segment";
            QCOMPARE(field(e, "source"), std::string(source));
            const long long r = std::stoll(field(e, "sample_ns"));
            QVERIFY2(r >= 10'000'000 && r < 100'000'000,
                     field(e, "sample_ns").c_str()); // 2 x 5 ms and queueing
            // The text says what the fields say, in milliseconds as printf's "%.3f" writes them.
            auto ms = [&](const char *key) {
                char b[40];
                std::snprintf(b, sizeof b, "%.3f ms", double(std::stoll(field(e, key))) / 1e6);
                return std::string(b);
            };
            QCOMPARE(e.detail, "RTT " + ms("sample_ns") + " (" + source + "): SRTT " + ms("srtt_ns") +
                                   ", RTTVAR " + ms("rttvar_ns") + ", RTO " + ms("rto_ns"));
        }
        QVERIFY(last);
        // With timestamps every new ACK is a sample (RFC 7323 section 4.1); without, one per RTT.
        // The estimator takes every sample; the events show those that changed what an event
        // shows, and a repeat at most once per SRTT, so the last one still shows the final state.
        QVERIFY2(timestamps ? info->rttSamples > 100 : (info->rttSamples > 5 && info->rttSamples < 200),
                 std::to_string(info->rttSamples).c_str());
        QVERIFY2(samples > 5 && samples <= info->rttSamples, std::to_string(samples).c_str());
        QCOMPARE(std::stoll(field(*last, "srtt_ns")), (long long)info->tcb.srttNs);
        QCOMPARE(std::stoll(field(*last, "rto_ns")), (long long)info->tcb.rtoNs);
    }

    // RFC 9293 section 3.8.6: the reader stops, the window closes to zero (never a sliver), the
    // sender probes it with backoff; the reader drains the buffer, the window update goes out at
    // once and the transfer completes intact.
    void zeroWindowStallEndsWhenTheReaderResumes()
    {
        auto server = TcpFixture::defaultConfig();
        server.socket.recvBuffer = 8192;
        TcpPair pair(TcpFixture::defaultConfig(), server);
        Transfer x;
        constexpr std::uint64_t kBytes = 100'000;
        startTransfer(pair, x, 0, kServer, kClient);
        x.client.total = kBytes;
        x.server.paused = true;
        pair.run(std::chrono::seconds(5));
        QVERIFY(x.server.sock != kNoSocket);
        QVERIFY(pair.a().info(x.client.sock)->sendQueued > kBytes / 2);  // stalled at the sender
        QVERIFY(pair.events[1].has(EventKind::WindowChange, "rcv_wnd"));
        QVERIFY(pair.events[0].count(EventKind::Retransmit, "zero-window-probe") >= 3);
        const auto info = pair.b().info(x.server.sock);
        QVERIFY(info && info->recvQueued <= 8192 && info->recvQueued > 4096);
        x.server.paused = false;
        x.server.read();
        QVERIFY(pair.runUntil([&] { return x.server.received == kBytes; }, std::chrono::seconds(5)));
        QCOMPARE(x.server.mismatches, std::uint64_t(0));
    }

    void cwndGrowsAndInfoIsReported()
    {
        TcpPair pair;
        Transfer x;
        startTransfer(pair, x, 2'000'000, kServer, kClient);
        QVERIFY(pair.runUntil([&] { return x.server.received == 2'000'000; }, 60s));
        const auto info = pair.a().info(x.client.sock);
        QVERIFY(info->tcb.cwnd > 14600u);
        QVERIFY(info->tcb.srttNs >= 10'000'000);  // 2 x 5 ms latency
        QVERIFY(info->tcb.srttNs < 50'000'000);
        QCOMPARE(info->tcb.retransmits, 0u);
    }
};

QTEST_GUILESS_MAIN(TestTcpPair)
#include "test_tcp_pair.moc"

// Two TcpLayers talking through a lossy, reordering, duplicating wire in virtual time: option
// negotiation in every combination, bulk transfer both ways intact, congestion control choices,
// and a SYN flood that must leave memory bounded while a legitimate client still connects.
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

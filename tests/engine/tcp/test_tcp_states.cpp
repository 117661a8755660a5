// RFC 9293 state machine, driven packetdrill style on one TcpLayer: every transition, RST in every
// state (RFC 5961 section 3), challenge ACKs, simultaneous open and close, TIME-WAIT, closed ports.
#include "tcp_fixture.h"

using namespace tcplab;
using namespace tcplab::test;

namespace {

constexpr std::uint8_t S = TcpFlags::kSyn, A = TcpFlags::kAck, F = TcpFlags::kFin, R = TcpFlags::kRst,
                       P = TcpFlags::kPsh;

TcpOptions linuxSynOptions()
{
    TcpOptions o;
    o.mss = 1460;
    o.windowScale = 7;
    o.sackPermitted = true;
    o.timestamps = TcpTimestamps{100, 0};
    return o;
}

const Bytes kHello{'h', 'e', 'l', 'l', 'o'};

}  // namespace

class TestTcpStates : public QObject {
    Q_OBJECT
private slots:
    void passiveOpenListenToEstablished()
    {
        TcpFixture fx;
        std::uint32_t listenerReady = 0;
        auto l = fx.layer->listen({ip("0.0.0.0"), 80}, 8, [&](TcpSocketId, std::uint32_t b) { listenerReady |= b; });
        QVERIFY(l.ok());
        QCOMPARE(fx.layer->lookup(fx.local, fx.remote)->state, TcpState::Listen);
        fx.inject(S, 0, 0, 64240, {}, linuxSynOptions());
        QVERIFY(!fx.nothingSent());
        fx.iss = fx.ipOut.sent.front().view().seq();
        const Sent synAck = fx.expect(S | A, 0, 1);
        const TcpOptions o = synAck.options();
        QCOMPARE(*o.mss, std::uint16_t(1460));
        QVERIFY(o.windowScale.has_value());
        QVERIFY(o.sackPermitted);
        QCOMPARE(o.timestamps->echo, 100u);
        QCOMPARE(fx.layer->lookup(fx.local, fx.remote)->state, TcpState::SynReceived);
        TcpOptions ts;
        ts.timestamps = TcpTimestamps{101, o.timestamps->value};
        fx.inject(A, 1, 1, 502, {}, ts);
        QCOMPARE(fx.layer->lookup(fx.local, fx.remote)->state, TcpState::Established);
        QVERIFY(listenerReady & tcpready::kAcceptable);
        const TcpSocketId c = fx.layer->accept(*l);
        QVERIFY(c != kNoSocket);
        const auto info = fx.layer->info(c);
        QVERIFY(info->tsOk && info->sackOk && info->wscaleOk);
        QCOMPARE(info->sndWscale, std::uint8_t(7));
        QCOMPARE(info->tcb.sndWnd, 502u << 7);
        QCOMPARE(info->sndMss, std::uint16_t(1460 - 12));
        QVERIFY(fx.events.has(EventKind::StateChange, "SYN-RECEIVED"));
        QVERIFY(fx.events.has(EventKind::StateChange, "ESTABLISHED"));
        for (const auto &e : fx.events.events)
            if (e.kind == EventKind::StateChange) QCOMPARE(e.session, SessionId(7));
    }

    void activeOpenSynSentToEstablished()
    {
        TcpFixture fx;
        std::uint32_t ready = 0;
        auto c = fx.layer->connect(fx.now, fx.local, fx.remote, [&](TcpSocketId, std::uint32_t b) { ready |= b; });
        QVERIFY(c.ok());
        fx.sock = *c;
        QCOMPARE(fx.state(), TcpState::SynSent);
        fx.iss = fx.ipOut.sent.front().view().seq();
        const Sent syn = fx.expect(S, 0);
        QVERIFY(syn.options().mss && syn.options().sackPermitted && syn.options().timestamps && syn.options().windowScale);
        // A SYN-ACK without options: no scaling, no timestamps, no SACK; MSS falls back to 536.
        fx.inject(S | A, 0, 1, 8192);
        QCOMPARE(fx.state(), TcpState::Established);
        fx.expect(A, 1, 1, 0);
        QVERIFY(ready & tcpready::kConnected);
        const auto info = fx.layer->info(fx.sock);
        QVERIFY(!info->tsOk && !info->sackOk && !info->wscaleOk);
        QCOMPARE(info->sndMss, std::uint16_t(536));
    }

    void synSentBadAckGetsRst()
    {
        TcpFixture fx;
        fx.sock = *fx.layer->connect(fx.now, fx.local, fx.remote);
        fx.iss = fx.ipOut.sent.front().view().seq();
        fx.expect(S, 0);
        // "If SEG.ACK =< ISS or SEG.ACK > SND.NXT, send a reset <SEQ=SEG.ACK><CTL=RST>"
        fx.inject(S | A, 0, 5);
        fx.expect(R, 5);
        QCOMPARE(fx.state(), TcpState::SynSent);
        // RST with an acceptable ACK: connection refused.
        fx.inject(R | A, 0, 1);
        QCOMPARE(fx.state(), TcpState::Closed);
        QCOMPARE(fx.layer->info(fx.sock)->error, std::string("connection refused"));
    }

    void simultaneousOpen()
    {
        TcpFixture fx;
        fx.sock = *fx.layer->connect(fx.now, fx.local, fx.remote);
        fx.iss = fx.ipOut.sent.front().view().seq();
        fx.expect(S, 0);
        // The peer's SYN crosses ours: SYN-SENT -> SYN-RECEIVED, we answer SYN,ACK with our ISS.
        fx.inject(S, 0, 0);
        QCOMPARE(fx.state(), TcpState::SynReceived);
        fx.expect(S | A, 0, 1);
        // Its SYN,ACK arrives: SYN-RECEIVED -> ESTABLISHED.
        fx.inject(S | A, 0, 1);
        fx.inject(A, 1, 1);
        QCOMPARE(fx.state(), TcpState::Established);
    }

    void activeCloseThroughTimeWait()
    {
        TcpFixture fx;
        fx.build(TcpState::Established);
        QVERIFY(fx.layer->close(fx.now, fx.sock).ok());
        QCOMPARE(fx.state(), TcpState::FinWait1);
        fx.expect(F | A, 1, 1);
        fx.inject(A, 1, 2);
        QCOMPARE(fx.state(), TcpState::FinWait2);
        fx.inject(F | A, 1, 2);
        QCOMPARE(fx.state(), TcpState::TimeWait);
        fx.expect(A, 2, 2);
        // A retransmitted FIN in TIME-WAIT is acknowledged and restarts 2MSL.
        fx.advance(1500ms);
        fx.inject(F | A, 1, 2);
        fx.expect(A, 2, 2);
        fx.advance(1900ms);
        QCOMPARE(fx.layer->connectionCount(), std::size_t(1));
        fx.advance(200ms);
        // 2*MSL (MSL = 1 s here) after the last FIN: the TCB is gone (the user closed it).
        QCOMPARE(fx.layer->connectionCount(), std::size_t(0));
        QVERIFY(fx.events.has(EventKind::TimerExpire, "time-wait"));
    }

    void passiveCloseThroughLastAck()
    {
        TcpFixture fx;
        fx.build(TcpState::Established);
        fx.inject(F | A, 1, 1);
        QCOMPARE(fx.state(), TcpState::CloseWait);
        fx.expect(A, 1, 2);
        QVERIFY(fx.layer->peerClosed(fx.sock));
        // Half-close: we may still send in CLOSE-WAIT.
        QCOMPARE(*fx.layer->send(fx.now, fx.sock, kHello), std::size_t(5));
        fx.expect(P | A, 1, 2, 5);
        fx.inject(A, 2, 6);
        QVERIFY(fx.layer->close(fx.now, fx.sock).ok());
        QCOMPARE(fx.state(), TcpState::LastAck);
        fx.expect(F | A, 6, 2);
        fx.inject(A, 2, 7);
        QCOMPARE(fx.layer->connectionCount(), std::size_t(0));
    }

    void simultaneousCloseThroughClosing()
    {
        TcpFixture fx;
        fx.build(TcpState::Established);
        QVERIFY(fx.layer->shutdown(fx.now, fx.sock).ok());
        fx.expect(F | A, 1, 1);
        // The peer's FIN crosses ours: FIN-WAIT-1 -> CLOSING.
        fx.inject(F | A, 1, 1);
        QCOMPARE(fx.state(), TcpState::Closing);
        fx.expect(A, 2, 2);
        fx.inject(A, 2, 2);
        QCOMPARE(fx.state(), TcpState::TimeWait);
        fx.advance(2100ms);
        QCOMPARE(fx.state(), TcpState::Closed);
    }

    void finWait1ToTimeWaitWhenFinAndAckTogether()
    {
        TcpFixture fx;
        fx.build(TcpState::Established);
        (void)fx.layer->shutdown(fx.now, fx.sock);
        fx.expect(F | A, 1, 1);
        fx.inject(F | A, 1, 2);
        QCOMPARE(fx.state(), TcpState::TimeWait);
    }

    void halfCloseKeepsReceiving()
    {
        TcpFixture fx;
        fx.build(TcpState::Established);
        (void)fx.layer->shutdown(fx.now, fx.sock);
        fx.expect(F | A, 1, 1);
        fx.inject(A, 1, 2);
        QCOMPARE(fx.state(), TcpState::FinWait2);
        fx.inject(P | A, 1, 2, 65535, kHello);
        std::uint8_t buf[16];
        QCOMPARE(*fx.layer->recv(fx.now, fx.sock, buf), std::size_t(5));
        QVERIFY(!fx.layer->peerClosed(fx.sock));
    }

    void rstInEveryState_data()
    {
        QTest::addColumn<int>("state");
        QTest::addColumn<int>("after");  // TcpState after an exact RST
        QTest::newRow("SYN-RECEIVED") << int(TcpState::SynReceived) << int(TcpState::Closed);
        QTest::newRow("ESTABLISHED") << int(TcpState::Established) << int(TcpState::Closed);
        QTest::newRow("FIN-WAIT-1") << int(TcpState::FinWait1) << int(TcpState::Closed);
        QTest::newRow("FIN-WAIT-2") << int(TcpState::FinWait2) << int(TcpState::Closed);
        QTest::newRow("CLOSE-WAIT") << int(TcpState::CloseWait) << int(TcpState::Closed);
        QTest::newRow("CLOSING") << int(TcpState::Closing) << int(TcpState::Closed);
        QTest::newRow("LAST-ACK") << int(TcpState::LastAck) << int(TcpState::Closed);
        QTest::newRow("TIME-WAIT (RFC 1337)") << int(TcpState::TimeWait) << int(TcpState::TimeWait);
    }
    void rstInEveryState()
    {
        QFETCH(int, state);
        QFETCH(int, after);
        const auto s = static_cast<TcpState>(state);
        // Out of window: silently dropped (RFC 5961 section 3.2 case 1).
        {
            TcpFixture fx;
            fx.build(s);
            const std::uint32_t rcv = s == TcpState::SynReceived || fx.layer->info(fx.sock)->tcb.rcvNxt == fx.irs + 1 ? 1 : 2;
            fx.inject(R, rcv + 200000, 0);
            QCOMPARE(fx.state(), s);
            QVERIFY(fx.nothingSent());
        }
        // In window but not RCV.NXT: challenge ACK, state unchanged (case 3).
        {
            TcpFixture fx;
            fx.build(s);
            const std::uint32_t rcv = static_cast<std::uint32_t>(fx.layer->info(fx.sock)->tcb.rcvNxt - fx.irs);
            fx.inject(R, rcv + 100, 0);
            QCOMPARE(fx.state(), s);
            if (s != TcpState::SynReceived || true) {
                QVERIFY(!fx.nothingSent());
                QCOMPARE(fx.ipOut.sent.front().flags().bits, A);
            }
            QCOMPARE(fx.layer->counters().challengeAcks, std::uint64_t(1));
        }
        // Exactly RCV.NXT: the connection is reset (case 2), except TIME-WAIT under RFC 1337.
        {
            TcpFixture fx;
            fx.build(s);
            const std::uint32_t rcv = static_cast<std::uint32_t>(fx.layer->info(fx.sock)->tcb.rcvNxt - fx.irs);
            fx.inject(R, rcv, 0);
            QCOMPARE(int(fx.state()), after);
            QVERIFY(fx.nothingSent());
        }
    }

    void rstInTimeWaitWithoutRfc1337Closes()
    {
        auto cfg = TcpFixture::defaultConfig();
        cfg.rfc1337 = false;
        TcpFixture fx(cfg);
        fx.build(TcpState::TimeWait);
        fx.inject(R, 2, 0);
        QCOMPARE(fx.state(), TcpState::Closed);
    }

    void rstInSynSentWithoutAckIgnored()
    {
        TcpFixture fx;
        fx.build(TcpState::SynSent);
        fx.inject(R, 0, 0);
        QCOMPARE(fx.state(), TcpState::SynSent);
    }

    void listenIgnoresRstAndResetsAck()
    {
        TcpFixture fx;
        (void)fx.layer->listen(fx.local);
        fx.inject(R, 0, 0);
        QVERIFY(fx.nothingSent());
        fx.inject(A, 0, 77);
        fx.expect(R, 77);
    }

    void synInEstablishedGetsChallengeAck()
    {
        TcpFixture fx;
        fx.build(TcpState::Established);
        fx.inject(S, 1000, 0);
        fx.expect(A, 1, 1);
        QCOMPARE(fx.state(), TcpState::Established);
        QCOMPARE(fx.layer->counters().challengeAcks, std::uint64_t(1));
    }

    void challengeAcksAreRateLimited()
    {
        auto cfg = TcpFixture::defaultConfig();
        cfg.challengeAckLimit = 5;
        TcpFixture fx(cfg);
        fx.build(TcpState::Established);
        for (int i = 0; i < 20; ++i) fx.inject(R, 10 + i, 0);
        QCOMPARE(fx.ipOut.sent.size(), std::size_t(5));
        QCOMPARE(fx.layer->counters().challengeAcksSuppressed, std::uint64_t(15));
        fx.advance(1100ms);
        fx.ipOut.sent.clear();
        fx.inject(R, 10, 0);
        QCOMPARE(fx.ipOut.sent.size(), std::size_t(1));
    }

    void ackOutsideValidRangeIsChallenged()
    {
        TcpFixture fx;
        fx.build(TcpState::Established);
        // RFC 5961 section 5.2: an ACK for data never sent is answered with an ACK and dropped.
        fx.inject(P | A, 1, 500, 65535, kHello);
        fx.expect(A, 1, 1);
        QCOMPARE(fx.layer->recvAvailable(fx.sock), std::size_t(0));
    }

    void unacceptableSegmentGetsAck()
    {
        TcpFixture fx;
        fx.build(TcpState::Established);
        fx.inject(P | A, 1'000'000, 1, 65535, kHello);
        fx.expect(A, 1, 1);
        QCOMPARE(fx.layer->counters().unacceptable, std::uint64_t(1));
    }

    void closedPortAnswersRst()
    {
        TcpFixture fx;
        fx.inject(S, 0, 0);
        // "<SEQ=0><ACK=SEG.SEQ+SEG.LEN><CTL=RST,ACK>"
        QCOMPARE(fx.ipOut.sent.size(), std::size_t(1));
        const TcpView v = fx.ipOut.sent.front().view();
        QCOMPARE(v.flags().bits, std::uint8_t(R | A));
        QCOMPARE(v.seq().raw(), 0u);
        QCOMPARE(v.ack(), fx.irs + 1);
        fx.ipOut.sent.clear();
        fx.inject(A, 0, 33);
        fx.expect(R, 33);
        fx.inject(R, 0, 0);
        QVERIFY(fx.nothingSent());
    }

    void closedPortSilentPolicy()
    {
        auto cfg = TcpFixture::defaultConfig();
        cfg.closedPort = ClosedPortPolicy::Silent;
        TcpFixture fx(cfg);
        fx.inject(S, 0, 0);
        QVERIFY(fx.nothingSent());
    }

    void synReceivedResendsSynAckOnSynRetransmission()
    {
        TcpFixture fx;
        (void)fx.layer->listen(fx.local);
        fx.inject(S, 0, 0);
        fx.iss = fx.ipOut.sent.front().view().seq();
        fx.expect(S | A, 0, 1);
        fx.inject(S, 0, 0);
        fx.expect(S | A, 0, 1);
    }

    void synAckRetransmittedThenGivesUp()
    {
        auto cfg = TcpFixture::defaultConfig();
        cfg.synRetries = 2;
        TcpFixture fx(cfg);
        (void)fx.layer->listen(fx.local);
        fx.inject(S, 0, 0);
        fx.ipOut.sent.clear();
        QVERIFY(fx.advanceUntilSent(10s));
        QCOMPARE(fx.ipOut.sent.front().flags().bits, std::uint8_t(S | A));
        fx.advance(30s);
        QCOMPARE(fx.layer->connectionCount(), std::size_t(1));  // only the listener
    }

    void badChecksumDropped()
    {
        TcpFixture fx;
        fx.build(TcpState::Established);
        TcpHeader h;
        h.sourcePort = fx.remote.port;
        h.destinationPort = fx.local.port;
        h.seq = fx.irs + 1;
        h.ack = fx.iss + 1;
        h.flags = TcpFlags(R);
        Bytes seg = serializeTcp(h, {}, fx.remote.addr, fx.local.addr);
        seg[16] ^= 0xff;
        fx.injectRaw(seg);
        QCOMPARE(fx.state(), TcpState::Established);
        QCOMPARE(fx.layer->counters().badChecksum, std::uint64_t(1));
    }

    void urgentPointerReported()
    {
        TcpFixture fx;
        fx.build(TcpState::Established);
        TcpHeader h;
        h.sourcePort = fx.remote.port;
        h.destinationPort = fx.local.port;
        h.seq = fx.irs + 1;
        h.ack = fx.iss + 1;
        h.flags = TcpFlags(TcpFlags::kUrg | A | P);
        h.window = 1000;
        h.urgentPointer = 3;
        fx.injectRaw(serializeTcp(h, kHello, fx.remote.addr, fx.local.addr));
        QVERIFY(fx.events.has(EventKind::Log, "urgent"));
        QCOMPARE(fx.layer->recvAvailable(fx.sock), std::size_t(5));
    }

    void abortSendsRst()
    {
        TcpFixture fx;
        fx.build(TcpState::Established);
        QVERIFY(fx.layer->abort(fx.now, fx.sock).ok());
        fx.expect(R, 1);
        QCOMPARE(fx.layer->connectionCount(), std::size_t(0));
    }

    void stateNamesRoundTrip()
    {
        for (int i = 0; i < kTcpStateCount; ++i) {
            const auto s = static_cast<TcpState>(i);
            QCOMPARE(*tcpStateFromName(tcpStateName(s)), s);
        }
        QCOMPARE(*tcpStateFromName("syn_received"), TcpState::SynReceived);
        QCOMPARE(tcpStateName(TcpState::TimeWait), std::string_view("TIME-WAIT"));
        QVERIFY(!tcpStateFromName("bogus"));
    }
};

QTEST_GUILESS_MAIN(TestTcpStates)
#include "test_tcp_states.moc"

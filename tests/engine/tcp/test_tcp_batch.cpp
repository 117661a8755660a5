// Receive batching (TcpLayer::beginBatch/endBatch): a burst of segments is processed one by one,
// the output they call for goes out once at the end, and every ACK owed is still sent with the
// values it had when it became due (RFC 9293 section 3.8.6.3, RFC 5681 section 4.2).
#include "tcp_fixture.h"

using namespace tcplab;
using namespace tcplab::test;

namespace {

constexpr std::uint8_t A = TcpFlags::kAck, P = TcpFlags::kPsh, S = TcpFlags::kSyn, F = TcpFlags::kFin;

Bytes pattern(std::size_t n, std::uint8_t seed = 0)
{
    Bytes b(n);
    for (std::size_t i = 0; i < n; ++i)
        b[i] = static_cast<std::uint8_t>(i * 7 + seed);
    return b;
}

} // namespace

class TestTcpBatch : public QObject {
    Q_OBJECT
private slots:
    // RFC 5681 section 4.2: "an ACK SHOULD be generated for at least every second full-sized
    // segment". Four full-sized segments in one batch still get two ACKs, acknowledging 2 and 4
    // segments, exactly as without the batch.
    void everySecondSegmentIsStillAckedInABatch()
    {
        for (const bool batch : {false, true}) {
            TcpFixture fx;
            fx.build(TcpState::Established);
            const Bytes d = pattern(1460);
            if (batch) fx.layer->beginBatch();
            for (std::uint32_t i = 0; i < 4; ++i)
                fx.inject(A, 1 + i * 1460, 1, 65535, d);
            if (batch) fx.layer->endBatch(fx.now);
            fx.expect(A, 1, 1 + 2 * 1460, 0);
            fx.expect(A, 1, 1 + 4 * 1460, 0);
            QVERIFY(fx.nothingSent());
        }
    }

    // RFC 5681 section 4.2: "A TCP receiver SHOULD send an immediate duplicate ACK when an out-of-
    // order segment arrives." Three out-of-order segments in one batch: three duplicate ACKs, each
    // with the SACK blocks of its moment.
    void eachOutOfOrderSegmentGetsItsDuplicateAckInABatch()
    {
        TcpLayer::Fabricated f;
        f.sack = true;
        TcpFixture fx;
        fx.build(TcpState::Established, f);
        const Bytes d = pattern(1000);
        fx.layer->beginBatch();
        for (std::uint32_t i = 1; i <= 3; ++i)
            fx.inject(A, 1 + i * 1000, 1, 65535, d);
        fx.layer->endBatch(fx.now);
        for (std::uint32_t i = 1; i <= 3; ++i) {
            const Sent s = fx.expect(A, 1, 1, 0);
            const TcpOptions o = s.options();
            QCOMPARE(int(o.sackCount), 1);
            QCOMPARE(std::uint32_t(o.sackBlocks[0].left - fx.irs), 1 + 1000u);
            QCOMPARE(std::uint32_t(o.sackBlocks[0].right - fx.irs), 1 + (i + 1) * 1000u);
        }
        QVERIFY(fx.nothingSent());
    }

    // A sender clocked by a burst of ACKs answers the burst once: nothing leaves while the batch
    // runs, then the data the window allows, in order, and the readiness callback runs once.
    void aBurstOfAcksIsAnsweredOnceAtTheEnd()
    {
        TcpFixture fx;
        fx.build(TcpState::Established);
        QCOMPARE(*fx.layer->send(fx.now, fx.sock, pattern(20 * 1460)), std::size_t(20 * 1460));
        std::uint32_t sent = 0;
        while (!fx.nothingSent()) {
            const Sent s = fx.expect(A, 1 + sent);
            sent += static_cast<std::uint32_t>(s.view().payload().size());
        }
        QVERIFY(sent > 0 && sent < 20 * 1460); // the initial window
        fx.ready = 0;
        fx.layer->beginBatch();
        for (std::uint32_t i = 1; i <= 4; ++i)
            fx.inject(A, 1, i * 1460);
        QVERIFY(fx.nothingSent());
        QCOMPARE(fx.ready, 0u);
        fx.layer->endBatch(fx.now);
        QVERIFY(!fx.nothingSent());
        std::uint32_t next = sent;
        while (!fx.nothingSent()) {
            const Sent s = fx.expect(A, 1 + next);
            next += static_cast<std::uint32_t>(s.view().payload().size());
        }
        QVERIFY(next > sent);
        QVERIFY(fx.ready & tcpready::kWritable);
    }

    // Received data is told at once inside a batch: an application reading only at the end of a
    // burst of large segments would let its receive window close.
    void receivedDataIsToldAtOnceInABatch()
    {
        TcpFixture fx;
        fx.build(TcpState::Established);
        fx.ready = 0;
        fx.layer->beginBatch();
        fx.inject(A | P, 1, 1, 65535, pattern(100));
        QVERIFY(fx.ready & tcpready::kReadable);
        fx.layer->endBatch(fx.now);
    }

    // A FIN in a batch is acknowledged at once (it changes the state), before the next segment.
    void aFinIsAnsweredAtOnceInABatch()
    {
        TcpFixture fx;
        fx.build(TcpState::Established);
        fx.layer->beginBatch();
        fx.inject(A | F, 1, 1);
        fx.expect(A, 1, 2, 0);
        fx.layer->endBatch(fx.now);
        QCOMPARE(fx.state(), TcpState::CloseWait);
        QVERIFY(fx.nothingSent());
    }

    // A passive open inside batches: SYN, then the handshake's ACK and data, each in a batch.
    void aHandshakeAndDataInBatches()
    {
        TcpFixture fx;
        TcpSocketId accepted = kNoSocket;
        auto l = fx.layer->listen(fx.local, 8, [&](TcpSocketId s, std::uint32_t bits) {
            if (bits & tcpready::kAcceptable) accepted = fx.layer->accept(s);
        });
        QVERIFY(l.ok());
        fx.layer->beginBatch();
        fx.inject(S, 0, 0);
        fx.layer->endBatch(fx.now);
        QCOMPARE(fx.ipOut.sent.size(), std::size_t(1));
        QCOMPARE(fx.ipOut.sent.front().flags().bits, std::uint8_t(S | A));
        fx.iss = fx.ipOut.sent.front().view().seq();
        fx.ipOut.sent.clear();
        fx.layer->beginBatch();
        fx.inject(A, 1, 1);
        fx.inject(A | P, 1, 1, 65535, pattern(100));
        fx.layer->endBatch(fx.now);
        QVERIFY(accepted != kNoSocket);
        fx.sock = accepted;
        QCOMPARE(fx.state(), TcpState::Established);
        QCOMPARE(fx.layer->recvAvailable(accepted), std::size_t(100));
    }
};

QTEST_APPLESS_MAIN(TestTcpBatch)
#include "test_tcp_batch.moc"

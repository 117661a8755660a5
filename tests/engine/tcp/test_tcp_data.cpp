// Data transfer on one TcpLayer with a scripted peer: RTO backoff in virtual time, fast retransmit
// and NewReno, SACK recovery, zero window and persist probes, keep-alive, delayed ACK, Nagle,
// out-of-order reassembly with SACK blocks, PAWS.
#include "tcp_fixture.h"

using namespace tcplab;
using namespace tcplab::test;

namespace {

constexpr std::uint8_t A = TcpFlags::kAck, P = TcpFlags::kPsh, F = TcpFlags::kFin;

Bytes pattern(std::size_t n, std::uint8_t seed = 0)
{
    Bytes b(n);
    for (std::size_t i = 0; i < n; ++i) b[i] = static_cast<std::uint8_t>(i * 7 + seed);
    return b;
}

TcpOptions sack(std::uint32_t l, std::uint32_t r, SeqNum base)
{
    TcpOptions o;
    o.addSack({base + l, base + r});
    return o;
}

}  // namespace

class TestTcpData : public QObject {
    Q_OBJECT
private slots:
    // RFC 9293 section 3.8.1 / RFC 6298 section 5.4: a timeout retransmits "the earliest segment that
    // has not been acknowledged", i.e. bytes already sent. Data written after it (held back by
    // Nagle) must not ride along unaccounted: an ACK covering bytes beyond SND.MAX would be refused as
    // acknowledging "something not yet sent" and the transfer would stall.
    void rtoRetransmitsOnlyWhatWasSent()
    {
        TcpFixture fx;
        fx.build(TcpState::Established);
        QCOMPARE(*fx.layer->send(fx.now, fx.sock, pattern(10)), std::size_t(10));
        fx.expect(P | A, 1, 1, 10);
        QCOMPARE(*fx.layer->send(fx.now, fx.sock, pattern(1000)), std::size_t(1000));
        QVERIFY(fx.nothingSent());  // Nagle: a small segment is outstanding
        QVERIFY(fx.advanceUntilSent(5s));
        fx.expect(P | A, 1, 1, 10);  // the RTO resends the 10 bytes, not 1010
        fx.inject(A, 1, 11);
        fx.expect(P | A, 11, 1, 1000);  // the held data follows the ACK
        fx.inject(A, 1, 1011);
        QCOMPARE(fx.layer->info(fx.sock)->sendQueued, std::size_t(0));
    }

    void rtoBacksOffExponentially()
    {
        TcpFixture fx;
        fx.build(TcpState::Established);
        QCOMPARE(*fx.layer->send(fx.now, fx.sock, pattern(100)), std::size_t(100));
        const Instant t0 = fx.now;
        fx.expect(P | A, 1, 1, 100);
        // No RTT sample yet: RTO starts at 1 s (RFC 6298 section 2.1) and doubles (5.5).
        std::vector<std::int64_t> at;
        for (int i = 0; i < 4; ++i) {
            auto when = fx.advanceUntilSent(100s);
            QVERIFY(when);
            at.push_back((*when - t0) / 1ms);
            fx.expect(P | A, 1, 1, 100);
        }
        QCOMPARE(at, (std::vector<std::int64_t>{1000, 3000, 7000, 15000}));
        QCOMPARE(fx.layer->info(fx.sock)->tcb.retransmits, 4u);
        QVERIFY(fx.events.count(EventKind::Retransmit) >= 4);
        // Every backoff is an "rto" event with the doubled value.
        std::vector<std::string> rtoSteps;
        for (const auto &e : fx.events.events)
            if (e.kind == EventKind::RttSample && e.name == "rto")
                rtoSteps.push_back(field(e, "before_ns") + ">" + field(e, "after_ns") + " " +
                                   field(e, "cause"));
        QCOMPARE(rtoSteps, (std::vector<std::string>{
                               "1000000000>2000000000 backoff #1", "2000000000>4000000000 backoff #2",
                               "4000000000>8000000000 backoff #3", "8000000000>16000000000 backoff #4"}));
        // An ACK ends it: the estimator takes no sample from retransmitted data (Karn).
        fx.inject(A, 1, 101);
        QVERIFY(!fx.layer->info(fx.sock)->tcb.srttNs);
        QCOMPARE(fx.events.count(EventKind::RttSample, "rtt-sample"), std::size_t(0));
    }

    // TCP segmentation offload: with a link that cuts segments, the sender hands over whole
    // multiples of the MSS (only the tail of the queued data shorter, PSH on it), each marked with
    // the MSS; the window and cwnd still bound what goes out; retransmissions stay one MSS.
    void segmentationOffloadSendsMultiplesOfTheMss()
    {
        TcpFixture fx;
        fx.ipOut.tsoLimit = 65000;
        TcpLayer::Fabricated f;
        f.mss = 1000;
        f.peerWindow = 65535;
        fx.build(TcpState::Established, f);
        const auto cwnd = fx.layer->info(fx.sock)->tcb.cwnd;
        QVERIFY(cwnd >= 2000);
        const std::uint64_t before = fx.layer->counters().segmentsOut;
        QCOMPARE(*fx.layer->send(fx.now, fx.sock, pattern(cwnd + 500)), std::size_t(cwnd + 500));
        // All of cwnd in one segment for the link to cut into 1000-byte ones.
        Sent s = fx.expect(A, 1, 1, cwnd);
        QCOMPARE(s.segmentMss, std::uint16_t(1000));
        QVERIFY(fx.nothingSent());
        QCOMPARE(fx.layer->counters().segmentsOut - before, std::uint64_t((cwnd + 999) / 1000));
        // The ACK opens cwnd again: the rest (500 bytes, one MSS or less) goes as a plain segment.
        fx.inject(A, 1, 1 + cwnd);
        s = fx.expect(P | A, 1 + cwnd, 1, 500);
        QCOMPARE(s.segmentMss, std::uint16_t(0));
        // All the queued data fits: one segment, its last piece shorter, with PSH.
        fx.inject(A, 1, 1 + cwnd + 500);
        QVERIFY(fx.layer->info(fx.sock)->tcb.cwnd > 2500);
        (void)fx.layer->send(fx.now, fx.sock, pattern(2500));
        s = fx.expect(P | A, 1 + cwnd + 500, 1, 2500);
        QCOMPARE(s.segmentMss, std::uint16_t(1000));
        // A timeout resends one MSS (RFC 6298 section 5.4: "the earliest segment").
        auto when = fx.advanceUntilSent(10s);
        QVERIFY(when);
        s = fx.expect(A, 1 + cwnd + 500, 1, 1000);
        QCOMPARE(s.segmentMss, std::uint16_t(0));
    }

    // A segment larger than our MSS (the peer's segmentation was offloaded: GRO) is ACKed at once.
    void aLargeReceivedSegmentIsAckedAtOnce()
    {
        TcpFixture fx;
        fx.build(TcpState::Established);
        fx.inject(A, 1, 1, 65535, pattern(500));
        QVERIFY(fx.nothingSent()); // one small segment: the ACK is delayed (RFC 5681 section 4.2)
        TcpFixture big;
        big.build(TcpState::Established);
        big.inject(A, 1, 1, 65535, pattern(20000));
        big.expect(A, 1, 20001);
    }

    // With timestamps every ACK is an RTT sample (RFC 7323 section 4.1). The estimator takes each
    // one; an event is made when what it shows changed, and a repeat of the last event's values
    // at most once per SRTT.
    void repeatedRttSamplesMakeOneEventPerSrtt()
    {
        TcpLayer::Fabricated f;
        f.ts = true;
        TcpFixture fx;
        fx.build(TcpState::Established, f);
        std::uint32_t tsPeer = 1, acked = 0;
        auto round = [&](Duration rtt) {
            for (int i = 0; i < 10; ++i) (void)fx.layer->send(fx.now, fx.sock, pattern(100));
            std::vector<std::uint32_t> echoes;
            while (!fx.nothingSent()) {
                const Sent s = fx.expect(P | A, 1 + acked + 100 * std::uint32_t(echoes.size()));
                echoes.push_back(s.options().timestamps->value);
            }
            fx.advance(rtt);
            for (std::uint32_t e : echoes) {
                acked += 100;
                TcpOptions o;
                o.timestamps = TcpTimestamps{++tsPeer, e};
                fx.inject(A, 1, 1 + acked, 65535, {}, o);
            }
            QVERIFY(fx.nothingSent());
        };
        auto noDelay = *fx.layer->options(fx.sock);
        noDelay.noDelay = true;
        QVERIFY(fx.layer->setOptions(fx.sock, noDelay).ok());
        for (int i = 0; i < 12; ++i)
            round(100ms); // 120 samples of 100 ms: the estimator settles
        const std::size_t before = fx.events.count(EventKind::RttSample, "rtt-sample");
        round(100ms);
        // Ten samples, all the same as the last event, the first an SRTT after it: one event.
        QCOMPARE(fx.events.count(EventKind::RttSample, "rtt-sample"), before + 1);
        const auto info = fx.layer->info(fx.sock);
        QCOMPARE(info->tcb.srttNs, std::int64_t(100'000'000));
        QCOMPARE(info->rttSamples, 130u); // the estimator took every one
        // A different sample is shown at once, and so is each that moves the estimator after it.
        round(120ms);
        QCOMPARE(fx.events.count(EventKind::RttSample, "rtt-sample"), before + 1 + 10);
    }

    void rtoFollowsMeasuredRtt()
    {
        TcpFixture fx;
        fx.build(TcpState::Established);
        (void)fx.layer->send(fx.now, fx.sock, pattern(100));
        fx.expect(P | A, 1, 1, 100);
        fx.advance(100ms);
        fx.inject(A, 1, 101);
        const auto info = fx.layer->info(fx.sock);
        // First sample R = 100 ms: SRTT = R, RTTVAR = R/2, RTO = SRTT + 4*RTTVAR = 300 ms.
        QCOMPARE(info->tcb.srttNs, std::int64_t(100'000'000));
        QCOMPARE(info->tcb.rtoNs, std::int64_t(300'000'000));
        // The sample is an event carrying the estimator after the update.
        QCOMPARE(fx.events.count(EventKind::RttSample, "rtt-sample"), std::size_t(1));
        const Event *e = nullptr;
        for (const auto &ev : fx.events.events)
            if (ev.kind == EventKind::RttSample) e = &ev;
        QCOMPARE(field(*e, "sample_ns"), std::string("100000000"));
        QCOMPARE(field(*e, "srtt_ns"), std::string("100000000"));
        QCOMPARE(field(*e, "rttvar_ns"), std::string("50000000"));
        QCOMPARE(field(*e, "rto_ns"), std::string("300000000"));
        QCOMPARE(field(*e, "source"), std::string("timed segment"));
        QCOMPARE(eventKindName(e->kind), "rtt");
        // A second sample of 200 ms (RFC 6298 section 2.3): RTTVAR = 3/4*50 + 1/4*100 = 62.5 ms,
        // SRTT = 7/8*100 + 1/8*200 = 112.5 ms, RTO = 112.5 + 4*62.5 = 362.5 ms.
        (void)fx.layer->send(fx.now, fx.sock, pattern(100));
        fx.expect(P | A, 101, 1, 100);
        fx.advance(200ms);
        fx.inject(A, 1, 201);
        QCOMPARE(fx.events.count(EventKind::RttSample, "rtt-sample"), std::size_t(2));
        for (const auto &ev : fx.events.events)
            if (ev.kind == EventKind::RttSample) e = &ev;
        QCOMPARE(field(*e, "sample_ns"), std::string("200000000"));
        QCOMPARE(field(*e, "rttvar_ns"), std::string("62500000"));
        QCOMPARE(field(*e, "srtt_ns"), std::string("112500000"));
        QCOMPARE(field(*e, "rto_ns"), std::string("362500000"));
    }

    void connectionTimesOutAfterRetries()
    {
        auto cfg = TcpFixture::defaultConfig();
        cfg.dataRetries = 3;
        TcpFixture fx(cfg);
        fx.build(TcpState::Established);
        (void)fx.layer->send(fx.now, fx.sock, pattern(10));
        fx.advance(60s);
        QCOMPARE(fx.state(), TcpState::Closed);
        QCOMPARE(fx.layer->info(fx.sock)->error, std::string("connection timed out"));
    }

    void synRetransmissionBacksOff()
    {
        TcpFixture fx;
        fx.sock = *fx.layer->connect(fx.now, fx.local, fx.remote);
        const Instant t0 = fx.now;
        fx.ipOut.sent.clear();
        auto first = fx.advanceUntilSent(10s);
        QVERIFY(first);
        QCOMPARE((*first - t0) / 1ms, std::int64_t(1000));
        fx.ipOut.sent.clear();
        auto second = fx.advanceUntilSent(10s);
        QCOMPARE((*second - t0) / 1ms, std::int64_t(3000));
    }

    void fastRetransmitAfterThreeDupAcks()
    {
        TcpFixture fx;
        fx.build(TcpState::Established);
        (void)fx.layer->send(fx.now, fx.sock, pattern(1460 * 6));
        for (int i = 0; i < 6; ++i) fx.expect(i == 5 ? (P | A) : A, 1 + 1460 * i, 1, 1460);
        // Segment 1 lost: the peer ACKs 1 three more times.
        fx.inject(A, 1, 1);
        fx.inject(A, 1, 1);
        QVERIFY(fx.nothingSent());
        fx.inject(A, 1, 1);
        fx.expect(A, 1, 1, 1460);
        QCOMPARE(fx.layer->info(fx.sock)->fastRetransmits, 1u);
        QVERIFY(fx.events.has(EventKind::Retransmit, "retransmit"));
        // Partial ACK (NewReno, RFC 6582): retransmit the next hole immediately.
        fx.inject(A, 1, 1 + 1460 * 2);
        fx.expect(A, 1 + 1460 * 2, 1, 1460);
        // Full ACK ends recovery with cwnd = ssthresh-ish.
        fx.inject(A, 1, 1 + 1460 * 6);
        const auto info = fx.layer->info(fx.sock);
        QCOMPARE(info->tcb.sndUna, fx.iss + 1 + 1460 * 6);
        QVERIFY(info->tcb.cwnd <= info->tcb.ssthresh + 1460);
    }

    void sackRecoveryRetransmitsOnlyHoles()
    {
        TcpLayer::Fabricated f;
        f.sack = true;
        TcpFixture fx;
        fx.build(TcpState::Established, f);
        (void)fx.layer->send(fx.now, fx.sock, pattern(1460 * 8));
        for (int i = 0; i < 8; ++i) fx.expect(i == 7 ? (P | A) : A, 1 + 1460 * i, 1, 1460);
        // Segments 2 and 5 (0-based 1 and 4) lost: SACK says the rest arrived.
        const SeqNum b = fx.iss;
        fx.inject(A, 1, 1 + 1460, 65535, {}, sack(1 + 1460 * 2, 1 + 1460 * 4, b));
        TcpOptions o;
        o.addSack({b + (1 + 1460 * 2), b + (1 + 1460 * 4)});
        o.addSack({b + (1 + 1460 * 5), b + (1 + 1460 * 8)});
        fx.inject(A, 1, 1 + 1460, 65535, {}, o);
        // Enough SACKed to declare the holes lost: exactly the two holes are resent, nothing else.
        QVERIFY(!fx.nothingSent());
        std::vector<std::uint32_t> resent;
        while (!fx.nothingSent()) {
            const Sent s = fx.expect(A, static_cast<std::uint32_t>(fx.ipOut.sent.front().view().seq() - fx.iss));
            resent.push_back(static_cast<std::uint32_t>(s.view().seq() - fx.iss));
        }
        QCOMPARE(resent, (std::vector<std::uint32_t>{1 + 1460, 1 + 1460 * 4}));
        fx.inject(A, 1, 1 + 1460 * 8);
        QCOMPARE(fx.layer->info(fx.sock)->tcb.sndUna, fx.iss + 1 + 1460 * 8);
    }

    void zeroWindowPersistProbes()
    {
        TcpFixture fx;
        fx.build(TcpState::Established);
        fx.inject(A, 1, 1, 0);  // the peer closes its window
        (void)fx.layer->send(fx.now, fx.sock, pattern(500));
        QVERIFY(fx.nothingSent());
        // Probes after RTO, backing off: old sequence number, no data.
        const Instant t0 = fx.now;
        auto p1 = fx.advanceUntilSent(10s);
        QVERIFY(p1);
        QCOMPARE((*p1 - t0) / 1ms, std::int64_t(1000));
        fx.expect(A, 0, 1, 0);
        auto p2 = fx.advanceUntilSent(10s);
        QCOMPARE((*p2 - *p1) / 1ms, std::int64_t(2000));
        fx.expect(A, 0, 1, 0);
        QVERIFY(fx.events.has(EventKind::Retransmit, "zero-window-probe"));
        // The window opens (the peer's answer to a probe): data flows.
        fx.inject(A, 1, 1, 1000);
        fx.expect(P | A, 1, 1, 500);
        QVERIFY(fx.events.has(EventKind::WindowChange, "snd_wnd"));
    }

    // RFC 9293 section 3.8.6.2.2 (receiver SWS avoidance): the window is offered in whole segments,
    // so once less than one segment of buffer is free the receiver advertises 0, not a sliver.
    void receiverAdvertisesZeroBelowOneSegment()
    {
        auto cfg = TcpFixture::defaultConfig();
        cfg.socket.recvBuffer = 8192;
        TcpFixture fx(cfg);
        auto l = fx.layer->listen(fx.local, 4, {});
        QVERIFY(l.ok());
        TcpOptions syn;
        syn.mss = 1460;
        fx.inject(TcpFlags::kSyn, 0, 0, 65535, {}, syn);
        QCOMPARE(fx.ipOut.sent.size(), std::size_t(1));
        fx.iss = fx.ipOut.sent.front().view().seq();
        Sent synAck = fx.expect(TcpFlags::kSyn | A, 0, 1);
        QCOMPARE(synAck.view().window(), std::uint16_t(5 * 1460));  // 8192 in whole segments
        fx.inject(A, 1, 1);
        for (std::uint32_t i = 0; i < 5; ++i) fx.inject(A, 1 + i * 1460, 1, 65535, pattern(1460));
        fx.advance(1s);  // the delayed ACK, if any
        QVERIFY(!fx.ipOut.sent.empty());
        std::uint16_t last = 1;
        while (!fx.ipOut.sent.empty()) {
            Sent s = std::move(fx.ipOut.sent.front());
            fx.ipOut.sent.pop_front();
            const std::uint16_t w = s.view().window();
            QVERIFY2(w == 0 || w >= 1460, "no window below one segment");
            last = w;
        }
        QCOMPARE(last, std::uint16_t(0));  // 892 bytes free, below one segment: zero window
        QVERIFY(fx.events.has(EventKind::WindowChange, "rcv_wnd"));
    }

    // RFC 9293 section 3.8.6.2.1 (sender SWS avoidance): no segment smaller than Eff.SND.MSS into a
    // window below half the largest one offered, until the override timeout; then what fits.
    void senderSwsWaitsForOverrideTimeout()
    {
        TcpFixture fx;
        fx.build(TcpState::Established);
        fx.inject(A, 1, 1, 500);  // the peer offers 500 bytes after 65535
        (void)fx.layer->send(fx.now, fx.sock, pattern(3000));
        QVERIFY(fx.nothingSent());
        fx.advance(100ms);
        QVERIFY(fx.nothingSent());
        const Instant t0 = fx.now - 100ms;
        auto when = fx.advanceUntilSent(2s);
        QVERIFY(when);
        QCOMPARE((*when - t0) / 1ms, std::int64_t(200));  // TcpConfig::swsOverride
        fx.expect(A, 1, 1, 500);
        QVERIFY(fx.events.has(EventKind::TimerExpire, "sws-override"));
        // A window of a full segment goes at once.
        fx.inject(A, 1, 501, 1460);
        fx.expect(A, 501, 1, 1460);
    }

    // RFC 9293 section 3.8.6.1: probes back off exponentially and never time the connection out,
    // also when the window closed with data outstanding (the RTO hands over to the persist timer).
    void persistProbesBackOffWithDataOutstanding()
    {
        auto cfg = TcpFixture::defaultConfig();
        cfg.dataRetries = 3;
        TcpFixture fx(cfg);
        fx.build(TcpState::Established);
        (void)fx.layer->send(fx.now, fx.sock, pattern(2920));
        fx.expect(A, 1, 1, 1460);
        fx.expect(P | A, 1461, 1, 1460);
        fx.inject(A, 1, 1461, 0);  // first segment acknowledged, window closed
        std::vector<std::int64_t> gaps;
        Instant prev = fx.now;
        for (int i = 0; i < 6; ++i) {
            auto when = fx.advanceUntilSent(200s);
            QVERIFY(when);
            fx.expect(A, 1460, 1, 0);  // SND.UNA - 1, no data
            gaps.push_back((*when - prev) / 1ms);
            prev = *when;
            fx.inject(A, 1, 1461, 0);  // the receiver answers: still closed
        }
        for (std::size_t i = 1; i < gaps.size(); ++i) QVERIFY(gaps[i] >= gaps[i - 1]);
        QVERIFY(gaps.back() >= 4 * gaps.front());
        QCOMPARE(fx.state(), TcpState::Established);  // more probes than dataRetries, still alive
        fx.inject(A, 1, 1461, 4000);  // the window opens: the outstanding data goes again
        fx.expect(P | A, 1461, 1, 1460);
    }

    // A receiver that stops answering zero-window probes altogether is given up on.
    void unansweredPersistProbesTimeOut()
    {
        auto cfg = TcpFixture::defaultConfig();
        cfg.dataRetries = 3;
        TcpFixture fx(cfg);
        fx.build(TcpState::Established);
        fx.inject(A, 1, 1, 0);
        (void)fx.layer->send(fx.now, fx.sock, pattern(100));
        fx.advance(std::chrono::seconds(600));
        std::size_t probes = 0;
        while (!fx.ipOut.sent.empty() && !(fx.ipOut.sent.front().flags().bits & TcpFlags::kRst)) {
            fx.expect(A, 0, 1, 0);
            ++probes;
        }
        QCOMPARE(probes, std::size_t(3));
        QVERIFY(!fx.ipOut.sent.empty());  // the RST
        QVERIFY(fx.state() == TcpState::Closed || fx.state() == TcpState::None);
    }

    void keepAliveProbesThenGivesUp()
    {
        auto cfg = TcpFixture::defaultConfig();
        cfg.socket.keepAlive = true;
        cfg.socket.keepAliveIdle = 10s;
        cfg.socket.keepAliveInterval = 1s;
        cfg.socket.keepAliveProbes = 3;
        TcpFixture fx(cfg);
        fx.build(TcpState::Established);
        fx.inject(A, 1, 1);  // activity arms the timer
        const Instant t0 = fx.now;
        auto p1 = fx.advanceUntilSent(20s);
        QVERIFY(p1);
        QCOMPARE((*p1 - t0) / 1ms, std::int64_t(10000));
        fx.expect(A, 0, 1, 0);  // SEG.SEQ = SND.NXT - 1
        // An answer resets the count.
        fx.inject(A, 1, 1);
        fx.advance(30s);
        QCOMPARE(fx.state(), TcpState::Closed);
        QCOMPARE(fx.layer->info(fx.sock)->error, std::string("keep-alive timed out"));
    }

    void delayedAckEverySecondSegment()
    {
        TcpFixture fx;
        fx.build(TcpState::Established);
        fx.inject(A, 1, 1, 65535, pattern(1000));
        QVERIFY(fx.nothingSent());
        fx.inject(A, 1001, 1, 65535, pattern(1000));
        fx.expect(A, 1, 2001);
        fx.inject(A, 2001, 1, 65535, pattern(10));
        QVERIFY(fx.nothingSent());
        auto when = fx.advanceUntilSent(1s);
        QVERIFY(when);
        fx.expect(A, 1, 2011);
    }

    void nagleHoldsSmallSegments()
    {
        TcpFixture fx;
        fx.build(TcpState::Established);
        (void)fx.layer->send(fx.now, fx.sock, pattern(10));
        fx.expect(P | A, 1, 1, 10);
        (void)fx.layer->send(fx.now, fx.sock, pattern(10));
        QVERIFY(fx.nothingSent());  // held: unacknowledged data outstanding
        fx.inject(A, 1, 11);
        fx.expect(P | A, 11, 1, 10);
        // With nodelay it goes at once.
        auto o = *fx.layer->options(fx.sock);
        o.noDelay = true;
        QVERIFY(fx.layer->setOptions(fx.sock, o).ok());
        (void)fx.layer->send(fx.now, fx.sock, pattern(10));
        fx.expect(P | A, 21, 1, 10);
    }

    void outOfOrderReassemblyWithSackBlocks()
    {
        TcpLayer::Fabricated f;
        f.sack = true;
        TcpFixture fx;
        fx.build(TcpState::Established, f);
        const Bytes data = pattern(3000, 3);
        fx.inject(A, 1001, 1, 65535, ByteView(data).subspan(1000, 1000));
        Sent dup = fx.expect(A, 1, 1);  // immediate duplicate ACK
        QCOMPARE(dup.options().sackCount, std::uint8_t(1));
        QCOMPARE(dup.options().sackBlocks[0].left, fx.irs + 1001);
        fx.inject(A, 2001, 1, 65535, ByteView(data).subspan(2000, 1000));
        Sent dup2 = fx.expect(A, 1, 1);
        QCOMPARE(dup2.options().sackBlocks[0].right, fx.irs + 3001);
        fx.inject(A, 1, 1, 65535, ByteView(data).first(1000));
        fx.expect(A, 1, 3001);  // hole filled: ACK at once, no SACK
        Bytes got(4000);
        QCOMPARE(*fx.layer->recv(fx.now, fx.sock, got), std::size_t(3000));
        got.resize(3000);
        QCOMPARE(got, data);
    }

    void pawsDropsOldTimestamps()
    {
        TcpLayer::Fabricated f;
        f.ts = true;
        TcpFixture fx;
        fx.build(TcpState::Established, f);
        TcpOptions o;
        o.timestamps = TcpTimestamps{1000, 0};
        fx.inject(A, 1, 1, 65535, pattern(10), o);
        QCOMPARE(fx.layer->recvAvailable(fx.sock), std::size_t(10));
        fx.ipOut.sent.clear();
        o.timestamps = TcpTimestamps{900, 0};  // older than TS.Recent: a wrapped old duplicate
        fx.inject(A, 11, 1, 65535, pattern(10), o);
        QCOMPARE(fx.layer->recvAvailable(fx.sock), std::size_t(10));
        QCOMPARE(fx.layer->counters().pawsRejected, std::uint64_t(1));
        fx.expect(A, 1, 11);
    }

    void receiveWindowClosesAndReopens()
    {
        auto cfg = TcpFixture::defaultConfig();
        cfg.socket.recvBuffer = 4096;
        TcpFixture fx(cfg);
        fx.build(TcpState::Established);
        fx.inject(A, 1, 1, 65535, pattern(1460));
        fx.inject(A, 1461, 1, 65535, pattern(1460));
        Sent ack = fx.expect(A, 1, 2921);
        QVERIFY(ack.view().window() < 4096 - 2920 + 1);
        fx.inject(A, 2921, 1, 65535, pattern(1176));
        QVERIFY(fx.advanceUntilSent(1s));
        Sent full = fx.expect(A, 1, 4097);
        QCOMPARE(full.view().window(), std::uint16_t(0));
        // Data beyond a zero window is not accepted.
        fx.inject(A, 4097, 1, 65535, pattern(100));
        QCOMPARE(fx.layer->recvAvailable(fx.sock), std::size_t(4096));
        fx.ipOut.sent.clear();
        Bytes sink(4096);
        (void)fx.layer->recv(fx.now, fx.sock, sink);
        Sent update = fx.expect(A, 1, 4097);  // window update once the application read
        QVERIFY(update.view().window() > 0);
    }

    // RFC 9293 section 3.8.6.2.2: the window update "combines with the delayed ACK algorithm". A read
    // sends one at once only when the window the peer knows is down to half the buffer or less;
    // with more left, the delayed ACK carries the new window.
    void readSendsAWindowUpdateOnlyWhenTheWindowIsHalfClosed()
    {
        auto cfg = TcpFixture::defaultConfig();
        cfg.socket.recvBuffer = 16384;
        TcpFixture fx(cfg);
        fx.build(TcpState::Established);
        Bytes sink(16384);
        fx.inject(A, 1, 1, 65535, pattern(1460));
        QVERIFY(fx.ipOut.sent.empty()); // one segment: the ACK is delayed
        QCOMPARE(*fx.layer->recv(fx.now, fx.sock, sink), std::size_t(1460));
        QVERIFY(fx.ipOut.sent.empty()); // 14 924 of 16 384 bytes still offered: no update
        QVERIFY(fx.advanceUntilSent(1s));
        Sent delayed = fx.expect(A, 1, 1461);
        QCOMPARE(delayed.view().window(), std::uint16_t(16384 - 16384 % 1460)); // the whole buffer again
        // Six more segments, unread: the window the peer knows falls to 16 384 - 8 760 bytes.
        for (std::uint32_t i = 0; i < 6; ++i)
            fx.inject(A, 1461 + i * 1460, 1, 65535, pattern(1460));
        QCOMPARE(fx.ipOut.sent.size(), std::size_t(3)); // every second segment is ACKed
        Sent last = fx.ipOut.sent.back();
        QVERIFY(last.view().window() <= 16384 / 2);
        fx.ipOut.sent.clear();
        QCOMPARE(*fx.layer->recv(fx.now, fx.sock, sink), std::size_t(8760));
        Sent update = fx.expect(A, 1, 1461 + 8760); // at once, without waiting for a timer
        QCOMPARE(update.view().window(), std::uint16_t(16384 - 16384 % 1460));
    }
};

QTEST_GUILESS_MAIN(TestTcpData)
#include "test_tcp_data.moc"

// VirtualWire statistics with a fixed seed, in virtual time: latency, jitter bounds, loss,
// duplication, reordering, bandwidth (serialisation delay and tail drop), tags, determinism.
#include <QtTest>

#include "link/virtual_wire.h"

using namespace tcplab;

namespace {

struct Arrival {
    Instant at;
    Bytes frame;
    std::uint64_t tag;
};

// Sends `count` frames from A, one every `spacing`, then drains B at every due instant.
std::vector<Arrival> sendAndCollect(VirtualWire &wire, int count, Duration spacing, std::size_t size,
                                    std::vector<TxResult> *results = nullptr)
{
    std::vector<Arrival> got;
    Link &a = wire.end(VirtualWire::A);
    Link &b = wire.end(VirtualWire::B);
    auto drainUpTo = [&](Instant t) {
        while (b.pollAt() <= t) {
            const Instant due = b.pollAt();
            b.drain(due, 1000, [&](const ReceivedFrame &f) {
                got.push_back({due, Bytes(f.bytes.begin(), f.bytes.end()), f.sentAs});
            });
        }
    };
    for (int i = 0; i < count; ++i) {
        const Instant now = Instant(spacing * i);
        drainUpTo(now);
        Bytes frame(size, 0);
        storeBe32(frame.data(), static_cast<std::uint32_t>(i));
        const TxResult r = a.transmit(now, frame, static_cast<std::uint64_t>(i));
        if (results) results->push_back(r);
    }
    drainUpTo(kNever - Duration(1));
    return got;
}

std::uint32_t seqOf(const Arrival &a)
{
    return loadBe32(a.frame.data());
}

} // namespace

class TestVirtualWire : public QObject {
    Q_OBJECT
private slots:
    void latencyDelaysEveryFrameExactly()
    {
        Rng rng(1);
        WireConditions c;
        c.latency = 7ms;
        VirtualWire wire("w", rng, c);
        const auto got = sendAndCollect(wire, 10, 1ms, 100);
        QCOMPARE(got.size(), 10u);
        for (std::size_t i = 0; i < got.size(); ++i) {
            QCOMPARE(seqOf(got[i]), std::uint32_t(i));
            QCOMPARE(got[i].at, Instant(1ms * int(i) + 7ms));
            QCOMPARE(got[i].tag, std::uint64_t(i)); // the sender's tag travels with the frame
        }
        QCOMPARE(wire.end(VirtualWire::B).counters().rxFrames, 10u);
        QCOMPARE(wire.end(VirtualWire::A).counters().txFrames, 10u);
    }

    void framesGoOnlyToTheOtherEnd()
    {
        Rng rng(1);
        VirtualWire wire("w", rng);
        QCOMPARE(wire.end(VirtualWire::A).transmit(Instant{}, Bytes(60, 1)), TxResult::Sent);
        std::size_t atA = wire.end(VirtualWire::A).drain(Instant(1s), 10, [](const ReceivedFrame &) {});
        std::size_t atB = wire.end(VirtualWire::B).drain(Instant(1s), 10, [](const ReceivedFrame &) {});
        QCOMPARE(atA, 0u);
        QCOMPARE(atB, 1u);
    }

    void jitterStaysWithinBounds()
    {
        Rng rng(3);
        WireConditions c;
        c.latency = 10ms;
        c.jitter = 2ms;
        VirtualWire wire("w", rng, c);
        const auto got = sendAndCollect(wire, 1000, 5ms, 64);
        QCOMPARE(got.size(), 1000u);
        Duration lo = Duration::max(), hi = Duration::min();
        for (const auto &a : got) {
            const Duration delay = a.at - Instant(5ms * int(seqOf(a)));
            lo = std::min(lo, delay);
            hi = std::max(hi, delay);
        }
        QVERIFY(lo >= 8ms && hi <= 12ms);
        QVERIFY(hi - lo > 3ms); // it does vary
    }

    void lossRateMatchesAndIsReported()
    {
        Rng rng(42);
        WireConditions c;
        c.loss = 0.1;
        VirtualWire wire("w", rng, c);
        std::vector<TxResult> results;
        const auto got = sendAndCollect(wire, 10000, 1us, 64, &results);
        const auto lost = std::count(results.begin(), results.end(), TxResult::Lost);
        QCOMPARE(std::size_t(got.size() + lost), 10000u);
        QCOMPARE(wire.end(VirtualWire::A).counters().txLost, std::uint64_t(lost));
        QVERIFY2(lost > 900 && lost < 1100, qPrintable(QString::number(lost)));
    }

    // The wire changes no bytes: the receiving end vouches, with each frame it hands over, that it
    // is the one transmitted with that tag (a duplicate too), so a recorder may share its bytes. A
    // frame sent without a tag has nothing to be the same as.
    void receivingEndVouchesForUnchangedFrames()
    {
        Rng rng(3);
        WireConditions c;
        c.duplicate = 1.0;
        VirtualWire wire("w", rng, c);
        Link &a = wire.end(VirtualWire::A);
        Link &b = wire.end(VirtualWire::B);
        const Bytes frame(80, 0x5a);
        QCOMPARE(a.transmit(Instant(0ns), frame, 7), TxResult::Sent);
        QCOMPARE(a.transmit(Instant(0ns), frame), TxResult::Sent); // no tag: nothing to share with
        std::vector<std::pair<std::uint64_t, bool>> seen;
        b.drain(kNever - Duration(1), 10,
                [&](const ReceivedFrame &f) { seen.emplace_back(f.sentAs, f.unchanged); });
        QCOMPARE(seen.size(), 4u);
        for (const auto &[tag, unchanged] : seen)
            QCOMPARE(unchanged, tag == 7);
    }

    // A lent frame (a recorder's copy) is carried as it is, a duplicate too; a frame sent the usual
    // way is copied at once. returnLentFrames() copies what is still in flight from that end, so
    // the lender may then scribble over or free its bytes.
    void lentFramesAreCarriedUntilReturned()
    {
        Rng rng(4);
        WireConditions c;
        c.latency = 1ms;
        c.duplicate = 1.0;
        VirtualWire wire("w", rng, c, c);
        Link &a = wire.end(VirtualWire::A);
        Link &b = wire.end(VirtualWire::B);
        QVERIFY(a.borrowsLentFrames() && b.borrowsLentFrames());
        Bytes lender(80, 0x11), usual(80, 0x22), towardA(80, 0x33);
        QCOMPARE(a.transmitLent(Instant(0ns), lender, 1), TxResult::Sent);
        QCOMPARE(a.transmit(Instant(0ns), usual, 2), TxResult::Sent);
        QCOMPARE(b.transmitLent(Instant(0ns), towardA, 3), TxResult::Sent);
        usual.assign(80, 0xee); // the wire copied it: nothing it carries changes
        std::vector<std::pair<std::uint64_t, const std::uint8_t *>> seen;
        const auto collect = [&](Link &end, Instant at) {
            end.drain(at, 10, [&](const ReceivedFrame &r) {
                const ByteView f = r.bytes;
                const std::uint64_t tag = r.sentAs;
                QCOMPARE(f.size(), 80u);
                QCOMPARE(int(f[0]), tag == 2   ? 0x22
                                    : tag == 3 ? 0x33
                                               : 0x11); // tag 4: as lent, not as overwritten
                seen.emplace_back(tag, f.data());
            });
        };
        collect(b, Instant(1ms));
        QCOMPARE(seen.size(), 4u); // two copies of each (duplicate = 1)
        for (const auto &[tag, data] : seen)
            QCOMPARE(data == lender.data(), tag == 1);

        // Sent again from A and B; then A's lender takes its bytes back before they arrive.
        seen.clear();
        QCOMPARE(a.transmitLent(Instant(1ms), lender, 4), TxResult::Sent);
        a.returnLentFrames();
        const std::uint8_t *const old = lender.data();
        lender.assign(80, 0xff);
        collect(b, Instant(2ms));
        QCOMPARE(seen.size(), 2u);
        for (const auto &[tag, data] : seen) {
            QCOMPARE(tag, 4u);
            QVERIFY(data != old);
        }
        // B's frame is still lent: returning A's frames left it alone.
        seen.clear();
        collect(a, Instant(2ms));
        QCOMPARE(seen.size(), 2u);
        QCOMPARE(seen[0].second, static_cast<const std::uint8_t *>(towardA.data()));
    }

    void duplicationDeliversExtraCopies()
    {
        Rng rng(5);
        WireConditions c;
        c.duplicate = 0.2;
        c.latency = 1ms;
        VirtualWire wire("w", rng, c);
        const auto got = sendAndCollect(wire, 5000, 10us, 64);
        const auto dup = wire.end(VirtualWire::B).counters().duplicated;
        QCOMPARE(got.size(), 5000u + dup);
        QVERIFY2(dup > 900 && dup < 1100, qPrintable(QString::number(dup)));
    }

    void reorderingLetsLaterFramesOvertake()
    {
        Rng rng(9);
        WireConditions c;
        c.latency = 1ms;
        c.reorder = 0.1;
        c.reorderDelay = 3ms;
        VirtualWire wire("w", rng, c);
        const auto got = sendAndCollect(wire, 2000, 1ms, 64);
        QCOMPARE(got.size(), 2000u);
        std::size_t late = 0;
        std::uint32_t highest = 0;
        for (const auto &a : got) {
            if (seqOf(a) < highest) ++late;
            highest = std::max(highest, seqOf(a));
        }
        QCOMPARE(wire.end(VirtualWire::B).counters().reordered, std::uint64_t(late));
        QVERIFY2(late > 150 && late < 250, qPrintable(QString::number(late)));
    }

    void bandwidthSerialisesAndTailDrops()
    {
        Rng rng(1);
        WireConditions c;
        c.bandwidthBps = 1'000'000; // 1250 bytes take 10 ms
        c.queueLimitBytes = 5000;   // 4 frames of 1250 bytes, the one on the wire included
        VirtualWire wire("w", rng, c);
        std::vector<TxResult> results;
        // Ten frames at once: four fit the queue, the rest are dropped at the tail.
        const auto got = sendAndCollect(wire, 10, 0ns, 1250, &results);
        QCOMPARE(std::count(results.begin(), results.end(), TxResult::Sent), 4);
        QCOMPARE(std::count(results.begin(), results.end(), TxResult::QueueFull), 6);
        QCOMPARE(wire.end(VirtualWire::A).counters().txQueueDrops, 6u);
        QCOMPARE(got.size(), 4u);
        for (std::size_t i = 0; i < got.size(); ++i)
            QCOMPARE(got[i].at, Instant(10ms * int(i + 1)));
    }

    void bandwidthPacedTrafficIsNotDropped()
    {
        Rng rng(1);
        WireConditions c;
        c.bandwidthBps = 8'000'000; // 1000 bytes per ms
        c.latency = 2ms;
        VirtualWire wire("w", rng, c);
        std::vector<TxResult> results;
        const auto got = sendAndCollect(wire, 100, 1ms, 1000, &results);
        QCOMPARE(got.size(), 100u);
        QCOMPARE(got.back().at, Instant(99ms + 1ms + 2ms));
    }

    void sameSeedSameOutcome()
    {
        auto run = [](std::uint64_t seed) {
            Rng rng(seed);
            WireConditions c;
            c.latency = 5ms;
            c.jitter = 1ms;
            c.loss = 0.05;
            c.duplicate = 0.05;
            c.reorder = 0.05;
            VirtualWire wire("w", rng, c);
            std::vector<std::pair<std::int64_t, std::uint32_t>> trace;
            for (const auto &a : sendAndCollect(wire, 500, 100us, 64))
                trace.emplace_back(nanosOf(a.at), seqOf(a));
            return trace;
        };
        QCOMPARE(run(77), run(77));
        QVERIFY(run(77) != run(78));
    }
};

QTEST_GUILESS_MAIN(TestVirtualWire)
#include "test_virtual_wire.moc"

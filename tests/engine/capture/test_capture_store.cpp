// The packet store, the flow tracker and the recorder: sessions by 4-tuple and SYN incarnation,
// lock-free readers seeing only complete records, the memory bound (stop or spill, never silent),
// annotations from events.
#include <atomic>
#include <thread>

#include <QtTest>

#include "capture/flow_tracker.h"
#include "capture/packet_store.h"
#include "capture/recorder.h"
#include "capture/tcp_segment.h"
#include "capture_fixtures.h"

using namespace tcplab;
using namespace tcplab::test;

namespace {

constexpr std::uint8_t SYN = TcpFlags::kSyn, ACK = TcpFlags::kAck, FIN = TcpFlags::kFin, RST = TcpFlags::kRst,
                       PSH = TcpFlags::kPsh;

Instant ms(std::int64_t v)
{
    return instantFromNanos(v * 1000000);
}

struct Collector : EventSink {
    std::vector<Event> events;
    void onEvent(const Event &e) override { events.push_back(e); }
};

// A frame whose bytes say which index it should have, so a reader can check it is complete.
Bytes patterned(std::uint64_t i)
{
    Bytes b(20 + i % 1500);
    for (std::size_t k = 0; k < b.size(); ++k)
        b[k] = static_cast<std::uint8_t>(i * 31 + k);
    return b;
}

bool matchesPattern(ByteView b, std::uint64_t i)
{
    if (b.size() != 20 + i % 1500) return false;
    for (std::size_t k = 0; k < b.size(); ++k)
        if (b[k] != static_cast<std::uint8_t>(i * 31 + k)) return false;
    return true;
}

} // namespace

class TestCaptureStore : public QObject {
    Q_OBJECT
private slots:
    void segmentFactsOfAFrameTheCaptureCut()
    {
        // A capture cut after 96 bytes (tcpdump -s 96): headers whole, lengths from the headers.
        for (const char *family : {"v4", "v6"}) {
            const bool v6 = std::string(family) == "v6";
            const Endpoint c = ep(v6 ? "2001:db8::1" : "198.18.0.1", 40000),
                           s = ep(v6 ? "2001:db8::2" : "198.18.0.2", 80);
            const Bytes frame = tcpFrame(c, s, 0x18, 1000, 5000, 1400);
            const auto whole = tcpSegmentOf(frame);
            QVERIFY(whole);
            QCOMPARE(whole->payloadLength, 1400u);
            const auto cut = tcpSegmentOf(ByteView(frame).first(96), linktype::kEthernet, frame.size());
            QVERIFY2(cut, family);
            QCOMPARE(cut->payloadLength, 1400u);
            QCOMPARE(cut->seq, whole->seq);
            QCOMPARE(cut->src, c);
            // Without the wire length the same bytes are a broken packet, not a segment.
            QVERIFY(!tcpSegmentOf(ByteView(frame).first(96)));
            // Cut inside the TCP header: nothing to read the segment from.
            const std::size_t tcpAt = whole->ipPayloadOffset;
            QVERIFY(!tcpSegmentOf(ByteView(frame).first(tcpAt + 10), linktype::kEthernet, frame.size()));
        }
        // A wire length no capture could have cut from: refused, not decoded from zeros.
        const Bytes small = tcpFrame(ep("198.18.0.1", 1), ep("198.18.0.2", 2), 0x10, 1, 1);
        QVERIFY(!tcpSegmentOf(small, linktype::kEthernet, 1u << 30));
    }
    void sameSegmentSeenByBothHostsIsOneSession()
    {
        FlowTracker flows;
        const Endpoint c = ep("198.18.0.1", 40000), s = ep("198.18.0.2", 80);
        const auto a = flows.observe(ms(0), c, s, SYN, SeqNum(100)); // client sends
        const auto b = flows.observe(ms(1), c, s, SYN, SeqNum(100)); // server receives
        const auto r = flows.observe(ms(2), s, c, SYN | ACK, SeqNum(900));
        QVERIFY(a.isNew);
        QVERIFY(!b.isNew);
        QCOMPARE(b.session, a.session);
        QCOMPARE(r.session, a.session);
        QCOMPARE(r.ordinal, std::uint64_t(3));
        QCOMPARE(r.start, ms(0));
        QCOMPARE(flows.sessionCount(), std::size_t(1));
    }

    // The tracker keeps the last tuple's entry (no hash lookup for a run of one conversation); a
    // copy must not keep using the original's entry, and interleaved tuples keep their sessions.
    void lastTupleShortcutKeepsSessionsApartAndCopiesIndependent()
    {
        FlowTracker flows;
        const Endpoint c = ep("198.18.0.1", 40000), s = ep("198.18.0.2", 80), c2 = ep("198.18.0.1", 40001);
        const SessionId one = flows.observe(ms(0), c, s, SYN, SeqNum(100)).session;
        const SessionId two = flows.observe(ms(1), c2, s, SYN, SeqNum(500)).session;
        QVERIFY(one != two);
        QCOMPARE(flows.observe(ms(2), s, c, SYN | ACK, SeqNum(900)).session, one);
        QCOMPARE(flows.observe(ms(3), s, c2, SYN | ACK, SeqNum(901)).session, two);
        QCOMPARE(flows.sessionFor(ms(4), c2, s), two);
        FlowTracker copy = flows;
        copy.observe(ms(5), s, c2, RST, SeqNum(902)); // closes `two` in the copy only
        QVERIFY(copy.summary(two)->reset);
        QVERIFY(!flows.summary(two)->reset);
        const auto again = copy.observe(ms(6), c2, s, SYN, SeqNum(7000));
        QVERIFY(again.isNew && again.session == 3);
        QCOMPARE(flows.observe(ms(6), c2, s, ACK, SeqNum(501)).session, two);
        QCOMPARE(flows.sessionCount(), std::size_t(2));
    }

    // Events placed on a packet reach the sinks with the index beside them: the recorder takes it
    // as is, a sink without onEventAt gets one placed copy (shared by all such sinks).
    void placedEventsReachEverySinkWithTheirPacket()
    {
        PacketStore store;
        FlowTracker flows;
        Recorder rec(store, flows);
        FrameInfo out;
        out.direction = Direction::Outbound;
        const std::uint64_t i = rec.onFrame(out, patterned(80));
        struct Collect final : EventSink {
            std::vector<Event> got;
            void onEvent(const Event &e) override { got.push_back(e); }
        } plain1, plain2;
        EventFanout fan;
        fan.add(&plain1);
        fan.add(&rec);
        fan.add(&plain2);
        Event e;
        e.kind = EventKind::TimerExpire;
        e.name = "rto";
        e.fields = {{"deadline", "5"}};
        QVERIFY(fan.onEventAt(e, i));
        QCOMPARE(e.packetIndex, Event::kNoPacket); // the emitter's event is left alone
        for (auto *c : {&plain1, &plain2}) {
            QCOMPARE(c->got.size(), std::size_t(1));
            QCOMPARE(c->got[0].packetIndex, i);
            QCOMPARE(c->got[0].name, std::string("rto"));
            QCOMPARE(c->got[0].fields, e.fields);
        }
        const Annotation *a = store.packet(i).firstNote;
        QVERIFY(a);
        QCOMPARE(a->text, std::string("timer rto expired"));
        QVERIFY(!a->nextNote());
    }

    void retransmittedSynWithSameIsnStaysInSession()
    {
        FlowTracker flows;
        const Endpoint c = ep("198.18.0.1", 40000), s = ep("198.18.0.2", 80);
        const auto a = flows.observe(ms(0), c, s, SYN, SeqNum(100));
        flows.observe(ms(1), s, c, RST | ACK, SeqNum(0));               // refused...
        const auto b = flows.observe(ms(1000), c, s, SYN, SeqNum(100)); // ...and the same SYN again
        QCOMPARE(b.session, a.session);
        QVERIFY(!b.isNew);
    }

    void newIsnAfterCloseOrResetStartsNewSession()
    {
        FlowTracker flows;
        const Endpoint c = ep("2001:db8::1", 40000), s = ep("2001:db8::2", 80);
        const auto first = flows.observe(ms(0), c, s, SYN, SeqNum(100));
        flows.observe(ms(1), s, c, SYN | ACK, SeqNum(500));
        flows.observe(ms(2), c, s, FIN | ACK, SeqNum(101));
        // A SYN with a new ISN before both FINs: the session is not over, so it stays (a rule may
        // be sending odd SYNs into a live connection).
        QCOMPARE(flows.observe(ms(3), c, s, SYN, SeqNum(7777)).session, first.session);
        flows.observe(ms(4), s, c, FIN | ACK, SeqNum(501));
        const auto second = flows.observe(ms(5), c, s, SYN, SeqNum(9000));
        QVERIFY(second.isNew);
        QVERIFY(second.session != first.session);
        flows.observe(ms(6), s, c, RST, SeqNum(0));
        const auto third = flows.observe(ms(7), c, s, SYN, SeqNum(12000));
        QVERIFY(third.isNew);
        QCOMPARE(third.session, second.session + 1);
        QCOMPARE(flows.summary(first.session)->finFromInitiator, true);
        QVERIFY(flows.summary(second.session)->reset);
    }

    void longIdleTupleStartsNewSessionOnNewSyn()
    {
        FlowTrackerConfig cfg;
        cfg.idleTimeout = std::chrono::seconds(60);
        FlowTracker flows(cfg);
        const Endpoint c = ep("198.18.0.1", 40000), s = ep("198.18.0.2", 80);
        const auto a = flows.observe(ms(0), c, s, SYN, SeqNum(1));
        flows.observe(ms(1), s, c, SYN | ACK, SeqNum(2));
        QCOMPARE(flows.observe(ms(59000), c, s, SYN, SeqNum(50)).session, a.session);
        const auto b = flows.observe(ms(59000 + 61000), c, s, SYN, SeqNum(60));
        QVERIFY(b.isNew);
    }

    void synAnsweredWithoutTcbFormsOneSession()
    {
        // A rule answers the SYN with a bare ACK; no TCB ever exists, but the diagram shows one session.
        FlowTracker flows;
        const Endpoint c = ep("198.18.0.1", 40001), s = ep("198.18.0.2", 81);
        const auto a = flows.observe(ms(0), c, s, SYN, SeqNum(10));
        const auto b = flows.observe(ms(1), s, c, ACK, SeqNum(0));
        const auto r = flows.observe(ms(2), c, s, RST, SeqNum(0));
        QCOMPARE(b.session, a.session);
        QCOMPARE(r.session, a.session);
        QCOMPARE(flows.summary(a.session)->initiator, c);
    }

    void storeKeepsFactsAnnotationsAndSessionIndex()
    {
        PacketStore store;
        FrameInfo info;
        info.time = ms(5);
        info.host = 1;
        info.link = 2;
        info.direction = Direction::Outbound;
        info.session = 3;
        const Bytes f = patterned(7);
        const std::uint64_t i = store.append(info, f);
        QCOMPARE(i, std::uint64_t(0));
        store.addAnnotation(i, AnnotationKind::RuleHit, "rule r1: tcp.window 64240→0",
                            {{"tcp.window", "64240→0"}});
        store.addAnnotation(i, AnnotationKind::Analysis, "TCP ZeroWindow");
        store.setFate(i, FrameFate::DroppedByRule);
        const PacketView p = store.packet(i);
        QCOMPARE(p.time, ms(5));
        QCOMPARE(p.host, HostId(1));
        QCOMPARE(p.link, LinkId(2));
        QCOMPARE(p.direction, Direction::Outbound);
        QCOMPARE(p.fate, FrameFate::DroppedByRule);
        QCOMPARE(p.session, SessionId(3));
        QVERIFY(matchesPattern(p.bytes, 7));
        QVERIFY(p.firstNote);
        // Analysis labels go ahead of the other notes (see addAnnotation).
        QCOMPARE(p.firstNote->text, std::string("TCP ZeroWindow"));
        QCOMPARE(p.firstNote->nextNote()->text, std::string("rule r1: tcp.window 64240→0"));
        QVERIFY(!p.firstNote->nextNote()->nextNote());

        // A session index across several of its growing chunks (16, 32, 64, ...).
        for (int k = 0; k < 1000; ++k) {
            info.session = 3 + (k % 2) * 1000; // interleaved with a far-away session id
            store.append(info, patterned(k));
        }
        const SessionIndexView s3 = store.sessionPackets(3), s1003 = store.sessionPackets(1003);
        QCOMPARE(s3.size(), std::uint64_t(501));
        QCOMPARE(s1003.size(), std::uint64_t(500));
        for (std::uint64_t k = 0; k < s3.size(); ++k)
            QCOMPARE(store.packet(s3[k]).session, SessionId(3));
        QCOMPARE(s1003[499], std::uint64_t(1000));
        QCOMPARE(store.sessionPackets(999).size(), std::uint64_t(0));
        QCOMPARE(store.sessionCount(), SessionId(1003));
    }

    // Readers on other threads (the GUI, a LabelWorker) follow the writer without locks: every record
    // below size() is whole, shared bytes included, and the session index never runs ahead.
    void readersSeeOnlyCompleteRecordsWhileOneWriterAppends()
    {
        PacketStore store;
        constexpr std::uint64_t kFrames = 120000;
        std::atomic<bool> done{false};
        std::atomic<std::uint64_t> checked{0}, bad{0};
        auto reader = [&] {
            std::uint64_t from = 0;
            while (true) {
                const bool finished = done.load(std::memory_order_acquire);
                const std::uint64_t n = store.size();
                for (std::uint64_t i = from; i < n; ++i) {
                    const PacketView p = store.packet(i);
                    const std::uint64_t pattern = p.sentAs == Event::kNoPacket ? i : p.sentAs;
                    if (!matchesPattern(p.bytes, pattern) || p.time != instantFromNanos(std::int64_t(i)) ||
                        p.session != SessionId(i % 7 + 1))
                        bad.fetch_add(1);
                }
                checked.fetch_add(n - from);
                from = n;
                // The session index never runs ahead of the store.
                const SessionIndexView s = store.sessionPackets(1 + (n % 7));
                for (std::uint64_t k = 0; k < s.size(); ++k)
                    if (s[k] >= store.size() || store.packet(s[k]).session != 1 + (n % 7)) bad.fetch_add(1);
                if (finished && from == kFrames) break;
            }
        };
        std::vector<std::thread> readers;
        for (int r = 0; r < 3; ++r)
            readers.emplace_back(reader);
        for (std::uint64_t i = 0; i < kFrames; ++i) {
            FrameInfo info;
            info.time = instantFromNanos(std::int64_t(i));
            info.session = i % 7 + 1;
            // Every third frame is the frame before arriving unchanged: its record shares those bytes.
            if (i % 3 == 2) {
                info.sentAs = i - 1;
                info.sameBytesAsSent = true;
            }
            const Bytes b = patterned(i % 3 == 2 ? i - 1 : i);
            QCOMPARE(store.append(info, b), i);
        }
        done.store(true, std::memory_order_release);
        for (auto &t : readers)
            t.join();
        QCOMPARE(bad.load(), std::uint64_t(0));
        QCOMPARE(checked.load(), 3 * kFrames);
    }

    void fullStoreStopsRecordingWithOneWarningAndCountsWhatItRefused()
    {
        StoreConfig cfg;
        cfg.memoryLimit = 6u << 20; // one record chunk and a few 1 MiB frame chunks
        cfg.onFull = StoreConfig::OnFull::Stop;
        PacketStore store(cfg);
        Collector warnings;
        store.setWarningSink(&warnings);
        std::uint64_t stored = 0;
        for (std::uint64_t i = 0; i < 20000; ++i) {
            FrameInfo info;
            info.time = instantFromNanos(std::int64_t(i));
            if (store.append(info, patterned(i)) != Event::kNoPacket) ++stored;
        }
        QVERIFY(stored > 1000 && stored < 20000);
        QCOMPARE(store.size(), stored);
        QCOMPARE(store.framesNotRecorded(), 20000 - stored);
        QCOMPARE(warnings.events.size(), std::size_t(1));
        QCOMPARE(warnings.events[0].kind, EventKind::StoreWarning);
        QVERIFY(warnings.events[0].detail.find("recording stopped") != std::string::npos);
        QVERIFY(store.memoryBytes() <= cfg.memoryLimit);
        for (std::uint64_t i = 0; i < stored; ++i)
            QVERIFY(matchesPattern(store.packet(i).bytes, i));
    }

    // Frames of many sessions, the bound reached by a session's index rather than by the frames:
    // recording stops once, with one warning, and every frame kept is in its session's list (none
    // kept where the diagram cannot find it).
    void fullSessionIndexStopsRecordingOnceAndLosesNoFrameFromItsSession()
    {
        StoreConfig cfg;
        // The record chunk, one frame chunk, the first block of session lists and a few KiB: the
        // sessions' indices run out while the frame chunk still has room.
        cfg.memoryLimit = (2u << 20) + (220u << 10);
        cfg.onFull = StoreConfig::OnFull::Stop;
        PacketStore store(cfg);
        Collector warnings;
        store.setWarningSink(&warnings);
        for (std::uint64_t i = 0; i < 5000; ++i) {
            FrameInfo info;
            info.time = instantFromNanos(std::int64_t(i));
            info.session = 1 + i % 40;
            store.append(info, patterned(i));
        }
        QVERIFY(store.size() > 0 && store.framesNotRecorded() > 0);
        QCOMPARE(warnings.events.size(), std::size_t(1));
        QVERIFY2(warnings.events[0].detail.find("recording stopped") != std::string::npos,
                 warnings.events[0].detail.c_str());
        std::uint64_t listed = 0;
        for (SessionId s = 1; s <= 40; ++s) {
            const SessionIndexView v = store.sessionPackets(s);
            for (std::uint64_t k = 0; k < v.size(); ++k)
                QCOMPARE(store.packet(v[k]).session, s);
            listed += v.size();
        }
        QCOMPARE(listed, store.size());
        QVERIFY(store.memoryBytes() <= cfg.memoryLimit);
    }

    void fullStoreSpillsToAFileAndKeepsEverything()
    {
        QTemporaryDir dir;
        StoreConfig cfg;
        cfg.memoryLimit = 6u << 20;
        cfg.onFull = StoreConfig::OnFull::Spill;
        cfg.spillDirectory = dir.path().toStdString();
        PacketStore store(cfg);
        Collector warnings;
        store.setWarningSink(&warnings);
        constexpr std::uint64_t kFrames = 20000;
        for (std::uint64_t i = 0; i < kFrames; ++i) {
            FrameInfo info;
            info.session = 1;
            QCOMPARE(store.append(info, patterned(i)), i);
        }
        QCOMPARE(store.framesNotRecorded(), std::uint64_t(0));
        QVERIFY(store.spilledBytes() > 0);
        QVERIFY(store.memoryBytes() <= cfg.memoryLimit);
        QCOMPARE(warnings.events.size(), std::size_t(1));
        QVERIFY(warnings.events[0].detail.find("temporary file") != std::string::npos);
        for (std::uint64_t i = 0; i < kFrames; ++i)
            QVERIFY(matchesPattern(store.packet(i).bytes, i));
        QCOMPARE(store.sessionPackets(1).size(), kFrames);
        // The spill file is unlinked at once: nothing is left in the directory.
        QCOMPARE(QDir(dir.path()).entryList(QDir::Files).size(), 0);
    }

    // The spill directory a user names is checked before a store uses it: missing, not a directory
    // or empty is refused with the path and the reason; one in memory (tmpfs) is said so.
    void spillDirectoryIsCheckedAndOneInMemoryIsSaid()
    {
        const auto shm = checkSpillDirectory("/dev/shm"); // tmpfs wherever glibc's shm_open works
        QVERIFY(shm.ok());
        QVERIFY(shm->inMemory);
        QCOMPARE(shm->inMemory, "tmpfs");
        const auto build = checkSpillDirectory(QCoreApplication::applicationDirPath().toStdString());
        QVERIFY(build.ok());
        QVERIFY(!build->inMemory); // the build tree is on disk
        const auto missing = checkSpillDirectory("/nonexistent/tcplab");
        QVERIFY(!missing.ok());
        QCOMPARE(missing.error().message,
                 std::string("spill directory \"/nonexistent/tcplab\": No such file or directory"));
        QTemporaryFile file;
        QVERIFY(file.open());
        const auto notDir = checkSpillDirectory(file.fileName().toStdString());
        QVERIFY(!notDir.ok());
        QCOMPARE(notDir.error().message,
                 "spill directory \"" + file.fileName().toStdString() + "\": not a directory");
        QCOMPARE(checkSpillDirectory("").error().message, std::string("spill directory \"\": empty"));
    }

    // A reserve is mapped and faulted in on the helper thread before any frame comes, within the
    // bound (whole 1 MiB chunks), and is not counted as the store's memory until frames use it.
    void reserveIsPreparedBeforeTheFirstFrameWithinTheBound()
    {
        StoreConfig cfg;
        cfg.memoryLimit = 8u << 20;
        cfg.reserve = (5u << 20) + 1000;
        PacketStore store(cfg);
        const ChunkAllocator::ReserveState r = store.awaitReserve([] { return false; });
        QVERIFY(r.done());
        QCOMPARE(r.asked, std::uint64_t(5u << 20));
        QCOMPARE(r.prepared, r.asked);
        QVERIFY(r.error.empty());
        QCOMPARE(store.memoryBytes(), std::uint64_t(0));
        constexpr std::uint64_t kFrames = 3000; // about 2.3 MiB of frames
        for (std::uint64_t i = 0; i < kFrames; ++i)
            QCOMPARE(store.append(FrameInfo{}, patterned(i)), i);
        QVERIFY(store.memoryBytes() > 0 && store.memoryBytes() <= cfg.memoryLimit);
        for (std::uint64_t i = 0; i < kFrames; ++i)
            QVERIFY(matchesPattern(store.packet(i).bytes, i));

        cfg.reserve = 64u << 20; // more than the bound: the bound
        PacketStore bounded(cfg);
        QCOMPARE(bounded.awaitReserve([] { return false; }).prepared, cfg.memoryLimit);
        QCOMPARE(PacketStore().reserveState().asked, std::uint64_t(0)); // none by default
    }

    void sizesReadLikeTheCommandLineWritesThem()
    {
        QCOMPARE(StoreConfig::parseSize("4G"), std::optional<std::uint64_t>(4ull << 30));
        QCOMPARE(StoreConfig::parseSize("4GiB"), std::optional<std::uint64_t>(4ull << 30));
        QCOMPARE(StoreConfig::parseSize("512M"), std::optional<std::uint64_t>(512ull << 20));
        QCOMPARE(StoreConfig::parseSize("64K"), std::optional<std::uint64_t>(64ull << 10));
        QCOMPARE(StoreConfig::parseSize("1T"), std::optional<std::uint64_t>(1ull << 40));
        QCOMPARE(StoreConfig::parseSize("123"), std::optional<std::uint64_t>(123));
        for (const char *bad :
             {"", "G", "4X", "4GB", "-1", "4 G", "1.5G", "99999999T", "18446744073709551616"})
            QVERIFY2(!StoreConfig::parseSize(bad), bad);
    }

    // Offloaded segments (16 KiB and more) are copied another way than ordinary frames (streamed
    // past the cache): every byte arrives, whatever the size and wherever the arena's cursor is,
    // also for a frame larger than a quarter arena (a chunk of its own).
    void largeFramesAreKeptWholeWhereverTheyLand()
    {
        PacketStore store;
        std::vector<Bytes> sent;
        for (std::size_t k = 0; k < 80; ++k) {
            Bytes small(1 + k % 15); // moves the cursor off any alignment
            Bytes large(k == 40 ? 300000 : 16384 - 8 + k * 713);
            for (Bytes *b : {&small, &large})
                for (std::size_t i = 0; i < b->size(); ++i)
                    (*b)[i] = static_cast<std::uint8_t>(i * 7 + k + b->size());
            sent.push_back(small);
            sent.push_back(large);
        }
        for (std::size_t i = 0; i < sent.size(); ++i)
            QCOMPARE(store.append(FrameInfo{}, sent[i]), std::uint64_t(i));
        for (std::size_t i = 0; i < sent.size(); ++i) {
            const ByteView kept = store.packet(i).bytes;
            QCOMPARE(kept.size(), sent[i].size());
            QVERIFY2(std::equal(kept.begin(), kept.end(), sent[i].begin()), qPrintable(QString::number(i)));
        }
    }

    void memoryPerPacketBeyondItsBytesIsUnder64()
    {
        PacketStore store;
        constexpr std::uint64_t kFrames = 500000;
        const Bytes frame(60, 0xab);
        for (std::uint64_t i = 0; i < kFrames; ++i) {
            FrameInfo info;
            info.session = 1 + i / 1000; // 500 sessions
            store.append(info, frame);
        }
        const double overhead = double(store.memoryBytes() - store.frameBytes()) / kFrames;
        qInfo("store overhead: %.1f bytes per packet beyond its bytes", overhead);
        QVERIFY(overhead < 64.0);
    }

    // A frame received off a virtual wire names the record of its transmission (sentAs). When the
    // link vouches that it arrived unchanged (sameBytesAsSent), the store keeps its bytes once,
    // without comparing them or even reading the sender's record (the reader follows sentAs);
    // without that word (a tap, an edited frame) it keeps both copies, even of equal bytes. The
    // link's word covers the length: a reader never reads past the sender's bytes, so a vouched
    // frame longer than them reads as cut to them, with its own length as the length on the wire.
    void receivedFrameSharesItsSentRecordsBytesOnlyWhenTheLinkVouches()
    {
        PacketStore store;
        const Bytes sent = patterned(700);
        FrameInfo out;
        out.direction = Direction::Outbound;
        const std::uint64_t s = store.append(out, sent);
        FrameInfo in;
        in.host = 1;
        in.sentAs = s;
        in.sameBytesAsSent = true;
        const std::uint64_t same = store.append(in, sent);
        FrameInfo unvouched = in;
        unvouched.sameBytesAsSent = false;
        const std::uint64_t equalButCopied = store.append(unvouched, sent);
        Bytes changed = sent;
        changed[30] ^= 0xff;
        const std::uint64_t other = store.append(unvouched, changed);
        Bytes longer = sent;
        longer.push_back(0x55);
        const std::uint64_t cut = store.append(in, longer);
        QCOMPARE(store.size(), std::uint64_t(5));
        QVERIFY(std::ranges::equal(store.packet(same).bytes, sent));
        QCOMPARE(store.packet(same).bytes.data(), store.packet(s).bytes.data());
        QVERIFY(std::ranges::equal(store.packet(equalButCopied).bytes, sent));
        QVERIFY(store.packet(equalButCopied).bytes.data() != store.packet(s).bytes.data());
        QVERIFY(std::ranges::equal(store.packet(other).bytes, changed));
        QVERIFY(store.packet(other).bytes.data() != store.packet(s).bytes.data());
        QVERIFY(std::ranges::equal(store.packet(cut).bytes, sent));
        QCOMPARE(store.packet(cut).originalLength, std::uint32_t(longer.size()));
        QVERIFY(std::ranges::equal(store.packet(s).bytes, sent)); // the sender's record is untouched
        QCOMPARE(store.frameBytes(), std::uint64_t(2 * sent.size() + changed.size()));
    }

    // A link reads received frames into the store's room (as a tap does through drainInto): each
    // such frame is kept where it was read, frames appended before it (replies sent while it was
    // handled) go after it and never over it, a frame longer than the room is copied as before.
    void receivedFramesAreKeptWhereTheLinkReadThem()
    {
        PacketStore store;
        constexpr std::size_t kMaxFrame = 65550;
        std::vector<std::uint64_t> expected; // pattern number of each record
        std::uint64_t inPlace = 0, copied = 0;
        for (std::uint64_t i = 0; i < 3000; ++i) {
            const Bytes frame = patterned(i);
            const MutableByteView room = store.receiveRoom(kMaxFrame);
            QVERIFY(!room.empty());
            QVERIFY(room.size() <= kMaxFrame);
            if (room.size() < frame.size()) { // did not fit: the link's own buffer, then a copy
                FrameInfo info;
                expected.push_back(i);
                store.append(info, frame);
                ++copied;
                continue;
            }
            std::copy(frame.begin(), frame.end(), room.begin()); // the read
            store.receivedInRoom(frame.size());
            if (i % 3 == 0) { // a reply recorded before the frame that caused it
                FrameInfo reply;
                reply.direction = Direction::Outbound;
                expected.push_back(i + 100000);
                store.append(reply, patterned(i + 100000));
            }
            if (i % 500 == 7) continue; // a frame nobody recorded: its room is simply not reused
            FrameInfo info;
            const std::uint64_t index = store.append(info, ByteView(room.data(), frame.size()));
            expected.push_back(i);
            QCOMPARE(store.packet(index).bytes.data(), static_cast<const std::uint8_t *>(room.data()));
            ++inPlace;
        }
        QCOMPARE(store.size(), std::uint64_t(expected.size()));
        for (std::uint64_t k = 0; k < store.size(); ++k)
            QVERIFY2(matchesPattern(store.packet(k).bytes, expected[k]), qPrintable(QString::number(k)));
        QVERIFY(inPlace > 2900);
        QVERIFY(copied >= 1); // 3000 frames of ~770 bytes fill two arenas: one ended in a short room
    }

    void noRoomOnceRecordingStoppedOrWithASnapLength()
    {
        StoreConfig cfg;
        cfg.memoryLimit = 4u << 20;
        cfg.onFull = StoreConfig::OnFull::Stop;
        PacketStore store(cfg);
        FlowTracker flows;
        Recorder recorder(store, flows);
        QVERIFY(recorder.receiveRoom() != nullptr);
        RecorderConfig cut;
        cut.snapLength = 128;
        Recorder cutting(store, flows, cut);
        QVERIFY(cutting.receiveRoom() == nullptr); // a cut frame is cheaper to copy
        std::uint64_t i = 0;
        FrameInfo info;
        while (store.append(info, patterned(i)) != Event::kNoPacket)
            ++i;
        QVERIFY(store.receiveRoom(1514).empty());
        QVERIFY(recorder.receiveRoom()->room(1514).empty());
    }

    void recorderTurnsEventsIntoAnnotationsAndSummaries()
    {
        PacketStore store;
        FlowTracker flows;
        Recorder rec(store, flows);
        const Endpoint c = ep("198.18.0.1", 40000), s = ep("198.18.0.2", 80);
        FrameInfo out;
        out.host = 0;
        out.direction = Direction::Outbound;
        out.time = ms(0);
        out.session = flows.observe(out.time, c, s, SYN, SeqNum(100)).session;
        const Bytes syn = tcpFrame(c, s, SYN, 100, 0);
        const std::uint64_t sent = rec.onFrame(out, syn);
        // The same frame arriving at the server: counted once in the summary.
        FrameInfo in = out;
        in.host = 1;
        in.direction = Direction::Inbound;
        in.time = ms(1);
        in.sentAs = sent;
        const std::uint64_t arrived = rec.onFrame(in, syn);
        QCOMPARE(store.packet(arrived).sentAs, sent);

        Event st;
        st.kind = EventKind::StateChange;
        st.session = out.session;
        st.name = "SYN-SENT";
        st.fields = {{"from", "CLOSED"}, {"to", "SYN-SENT"}, {"cause", "connect"}};
        st.packetIndex = sent;
        rec.onEvent(st);
        Event hit;
        hit.kind = EventKind::RuleHit;
        hit.session = out.session;
        hit.name = "shrink-window";
        hit.fields = {{"tcp.window", "64240→0"}, {"action", "rewrite"}};
        hit.packetIndex = sent;
        rec.onEvent(hit);
        rec.annotate(sent, hit); // the same event through the FrameSink: not added twice
        Event rtx;
        rtx.kind = EventKind::Retransmit;
        rtx.session = out.session;
        rtx.fields = {{"cause", "RTO #2"}};
        rtx.packetIndex = sent;
        rec.onEvent(rtx);
        // Measurement streams stay events (plots, event log), not packet comments.
        Event rtt;
        rtt.kind = EventKind::Log; // the RTT estimator's kind; its name is what marks a sample
        rtt.name = "rtt-sample";
        rtt.detail = "RTT 10.000 ms";
        rtt.packetIndex = arrived;
        rec.onEvent(rtt);
        Event wnd;
        wnd.kind = EventKind::WindowChange;
        wnd.name = "rcv_wnd";
        wnd.packetIndex = arrived;
        rec.onEvent(wnd);
        rec.annotate(arrived, wnd);
        QVERIFY(!Recorder::annotatesPacket(rtt) && !Recorder::annotatesPacket(wnd));
        for (const Annotation *a = store.packet(arrived).firstNote; a; a = a->nextNote())
            QVERIFY2(a->kind == AnnotationKind::Analysis, a->text.c_str());

        std::vector<std::string> notes;
        for (const Annotation *a = store.packet(sent).firstNote; a; a = a->nextNote())
            notes.push_back(a->text);
        const std::vector<std::string> expected{"TCP Retransmission", "CLOSED → SYN-SENT (connect)",
                                                "rule shrink-window: tcp.window 64240→0; rewrite",
                                                "retransmission after RTO #2"};
        QCOMPARE(notes, expected);
        const SessionSummary *sum = flows.summary(out.session);
        QCOMPARE(sum->packetsFromInitiator, std::uint64_t(1));
        QCOMPARE(sum->bytesFromInitiator, std::uint64_t(syn.size()));
        QCOMPARE(sum->statesReached, std::vector<std::string>{"SYN-SENT"});
        QCOMPARE(sum->ruleHits.size(), std::size_t(1));
        QCOMPARE(sum->ruleHits[0].second, std::uint64_t(1));
    }

    void recorderLabelsEachHostsViewSeparately()
    {
        // Demo mode: both hosts record the same segments; neither view is a retransmission.
        PacketStore store;
        FlowTracker flows;
        Recorder rec(store, flows);
        const Endpoint c = ep("198.18.0.1", 40000), s = ep("198.18.0.2", 80);
        std::int64_t t = 0;
        const auto both = [&](const Endpoint &from, const Endpoint &to, std::uint8_t flags, std::uint32_t seq,
                              std::uint32_t ack, std::size_t len) {
            const Bytes f = tcpFrame(from, to, flags, seq, ack, len);
            FrameInfo a;
            a.time = ms(t++);
            a.host = from == c ? 0 : 1;
            a.direction = Direction::Outbound;
            const std::uint64_t i = rec.onFrame(a, f);
            FrameInfo b = a;
            b.host = 1 - a.host;
            b.direction = Direction::Inbound;
            b.sentAs = i;
            rec.onFrame(b, f);
        };
        both(c, s, SYN, 100, 0, 0);
        both(s, c, SYN | ACK, 900, 101, 0);
        both(c, s, ACK, 101, 901, 0);
        both(c, s, PSH | ACK, 101, 901, 100);
        both(c, s, PSH | ACK, 101, 901, 100); // a real retransmission, seen by both
        for (std::uint64_t i = 0; i < store.size(); ++i) {
            const Annotation *a = store.packet(i).firstNote;
            if (i < 8)
                QVERIFY2(!a,
                         qPrintable(QString("frame %1 labelled %2").arg(i).arg(a ? a->text.c_str() : "")));
            else
                QCOMPARE(a->text, std::string("TCP Retransmission"));
        }
        QCOMPARE(flows.sessionCount(), std::size_t(1));
        QCOMPARE(flows.summary(1)->packetsFromInitiator, std::uint64_t(4));
        QCOMPARE(flows.summary(1)->packetsFromResponder, std::uint64_t(1));
    }
};

QTEST_GUILESS_MAIN(TestCaptureStore)
#include "test_capture_store.moc"

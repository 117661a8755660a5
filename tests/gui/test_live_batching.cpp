// Live batching from an engine thread to the GUI: a producer thread plays the engine (frames into a
// PacketStore, events into the engine's bounded EventQueue, 10^5 of them), the GUI thread drains
// through EngineBridge like its 60 Hz timer does. Each drain is one batch: at most
// HostLab::kMaxEventsPerDrain events, at most one row insertion per model, models consistent under
// QAbstractItemModelTester, and at the end every frame is in its session and every event was
// either delivered or counted as dropped.
#include <atomic>
#include <thread>

#include <QAbstractItemModelTester>
#include <QLabel>
#include <QProgressDialog>
#include <QSignalSpy>
#include <QTimer>
#include <QtTest>

#include "app/main_window.h"
#include "capture/packet_store.h"
#include "host/event_queue.h"
#include "models/log_model.h"
#include "models/session_list_model.h"
#include "services/engine_bridge.h"
#include "services/engine_lab.h"
#include "services/host_lab.h"
#include "services/lab_switch.h"
#include "services/segment_summary.h"

using namespace tcplab;
using namespace tcplab::gui;

namespace {

constexpr int kEvents = 100'000;

// A tun clone device that does not exist, so that no test here makes a tap, and settings naming one.
constexpr const char *kNoTun = "/nonexistent/net/tun";
TapSettings settingsWithoutDevice()
{
    TapSettings s;
    s.tap = "tcplabnotap0";
    s.ip4 = "198.18.0.2/24";
    return s;
}
constexpr int kSessions = 50;

// The engine's side of a live lab, without a tap: what HostLab does with EngineHost's queue.
class FakeQueueLab final : public LabDriver {
public:
    explicit FakeQueueLab(std::size_t capacity) : queue(capacity) {}
    const PacketStore &packets() const override { return store; }
    std::uint64_t generation() const override { return 1; }
    void start() override {}
    void stop() override {}
    void setPaused(bool) override {}
    void step() override {}
    void setSpeed(double) override {}
    void setWire(const gui::WireSettings &) override {}
    bool loadScenario(const std::string &, std::string *) override { return false; }
    void runFor(Duration) override {}
    void tick(Duration) override {}
    std::uint64_t drainEvents(std::vector<Event> &out) override
    {
        auto batch = queue.drain(HostLab::kMaxEventsPerDrain);
        out.insert(out.end(), batch.begin(), batch.end());
        const auto total = queue.dropped();
        const auto fresh = total - seen;
        seen = total;
        return fresh;
    }
    LabStatus status() const override { return {}; }
    std::vector<std::string> scenarioNames() const override { return {}; }
    std::string scenarioName() const override { return {}; }

    PacketStore store;
    EventQueue queue;
    std::uint64_t seen = 0;
};

void produce(FakeQueueLab &lab, std::atomic<bool> &done)
{
    for (int i = 0; i < kEvents; ++i) {
        const int k = i % kSessions;
        SegmentSpec spec;
        spec.src = Ip4Addr{0xc6120002}; // 198.18.0.2
        spec.dst = Ip4Addr{0xc6120001};
        spec.srcPort = 80;
        spec.dstPort = std::uint16_t(40000 + k);
        spec.seq = std::uint32_t(i);
        spec.flags = kAck;
        spec.payloadLength = 100;
        FrameInfo info;
        info.time = Instant(Duration(std::int64_t(i) * 1000));
        info.host = 0;
        info.direction = Direction::Outbound;
        info.session = SessionId(k + 1);
        const Bytes frame = buildSegmentFrame(spec);
        lab.store.append(info, ByteView(frame.data(), frame.size()));
        Event e;
        e.time = info.time;
        e.kind = EventKind::ServiceNote;
        e.session = info.session;
        e.name = "note";
        e.detail = "note " + std::to_string(i);
        lab.queue.onEvent(e);
        if (i % 4096 == 0) std::this_thread::yield();
    }
    done = true;
}

} // namespace

class TestLiveBatching : public QObject {
    Q_OBJECT
private slots:
    void drainsInBoundedBatchesAndModelsStayConsistent();
    void labSwitchGenerationGrowsAcrossModes();
    void tapSettingsAreChecked();
    void tapErrorNamesTheDevice();
    void captureReserveIsMadeForTheNextStart();
    void cancellingTheCaptureReserveDoesNotAttach();
    void statusBarShowsTheCaptureMemory();
    void demoCaptureSpillsIntoTmpdir();
    void labelsArrivingAfterTheirFramesMakeABatch();
};

void TestLiveBatching::labelsArrivingAfterTheirFramesMakeABatch()
{
    // The tap lab's labels come from a LabelWorker a moment after their frames: the views must hear
    // of them even when no new frame or event comes with them.
    auto owned = std::make_unique<FakeQueueLab>(64);
    FakeQueueLab &lab = *owned;
    EngineBridge bridge(std::move(owned));
    QSignalSpy batches(&bridge, &EngineBridge::batchIngested);
    SegmentSpec spec;
    spec.src = Ip4Addr{0xc6120002};
    spec.dst = Ip4Addr{0xc6120001};
    spec.srcPort = 80;
    spec.dstPort = 40000;
    spec.flags = kAck;
    FrameInfo info;
    info.session = 1;
    const Bytes frame = buildSegmentFrame(spec);
    const std::uint64_t index = lab.store.append(info, ByteView(frame.data(), frame.size()));
    bridge.drain();
    QCOMPARE(batches.size(), 1);
    bridge.drain(); // nothing new: no batch
    QCOMPARE(batches.size(), 1);
    lab.store.addAnnotation(index, AnnotationKind::Analysis, "TCP Dup ACK 1#1");
    bridge.drain();
    QCOMPARE(batches.size(), 2);
    bridge.drain();
    QCOMPARE(batches.size(), 2);
}

void TestLiveBatching::drainsInBoundedBatchesAndModelsStayConsistent()
{
    for (const std::size_t capacity : {std::size_t(1) << 17, std::size_t(4096)}) {
        auto owned = std::make_unique<FakeQueueLab>(capacity);
        FakeQueueLab &lab = *owned;
        EngineBridge bridge(std::move(owned));
        SessionListModel sessions(bridge.sessions());
        LogModel log(10000);
        QAbstractItemModelTester sessionsTester(&sessions,
                                                QAbstractItemModelTester::FailureReportingMode::Fatal);
        QAbstractItemModelTester logTester(&log, QAbstractItemModelTester::FailureReportingMode::Fatal);
        connect(&bridge, &EngineBridge::batchIngested, &sessions, &SessionListModel::onBatch);
        connect(&bridge, &EngineBridge::eventsArrived, &log, &LogModel::appendEvents);
        QSignalSpy sessionInserts(&sessions, &QAbstractItemModel::rowsInserted);
        QSignalSpy logInserts(&log, &QAbstractItemModel::rowsInserted);
        std::size_t notes = 0, largestBatch = 0, dropReports = 0;
        connect(&bridge, &EngineBridge::eventsArrived, this, [&](const std::vector<Event> &events) {
            largestBatch = std::max(largestBatch, events.size());
            for (const auto &e : events) {
                if (e.kind == EventKind::ServiceNote) ++notes;
                if (e.name == "events-dropped") ++dropReports;
            }
        });

        std::atomic<bool> done{false};
        std::thread producer(produce, std::ref(lab), std::ref(done));
        int drains = 0;
        for (;;) {
            const bool finished = done.load();
            const int sessionsBefore = int(sessionInserts.size()), logBefore = int(logInserts.size());
            bridge.drain();
            ++drains;
            // One batch per drain: at most one insertion per model.
            QVERIFY(sessionInserts.size() - sessionsBefore <= 1);
            QVERIFY(logInserts.size() - logBefore <= 1);
            if (finished && lab.queue.size() == 0 && bridge.sessions().seen() == lab.store.size()) {
                bridge.drain(); // a drop report may still wait
                break;
            }
            QVERIFY2(drains < 100'000, "the drain never caught up");
        }
        producer.join();

        QVERIFY(largestBatch <= HostLab::kMaxEventsPerDrain);
        // Every event delivered or counted, none lost silently.
        QCOMPARE(notes + lab.queue.dropped(), std::size_t(kEvents));
        if (lab.queue.dropped() > 0) QVERIFY(dropReports > 0);
        if (capacity > std::size_t(kEvents)) {
            QCOMPARE(lab.queue.dropped(), std::uint64_t(0));
            // 10^5 events need at least this many batches.
            QVERIFY(drains >= int((kEvents + HostLab::kMaxEventsPerDrain - 1) / HostLab::kMaxEventsPerDrain));
        }
        // Frames never drop: every one is in its session.
        QCOMPARE(sessions.rowCount(), kSessions);
        QCOMPARE(bridge.sessions().sessions().size(), std::size_t(kSessions));
        for (const auto &s : bridge.sessions().sessions())
            QCOMPARE(s.packets, std::uint64_t(kEvents / kSessions));
        QCOMPARE(log.rowCount(), 10000); // the log keeps its newest rows
        qInfo("capacity %zu: %d drains, largest batch %zu, %llu events dropped", capacity, drains,
              largestBatch, static_cast<unsigned long long>(lab.queue.dropped()));
    }
}

void TestLiveBatching::labSwitchGenerationGrowsAcrossModes()
{
    LabSwitch labs(std::make_unique<FakeQueueLab>(16));
    const auto g0 = labs.generation();
    QCOMPARE(labs.mode(), LabMode::Demo);
    labs.setMode(LabMode::Tap);
    QCOMPARE(labs.mode(), LabMode::Tap);
    const auto g1 = labs.generation();
    QVERIFY(g1 > g0);
    labs.setMode(LabMode::Demo);
    QVERIFY(labs.generation() > g1);
    labs.setMode(LabMode::Demo); // no switch, no new generation
    QCOMPARE(labs.generation(), g1 + 1);
}

void TestLiveBatching::tapSettingsAreChecked()
{
    TapSettings ok;
    ok.tap = "tap7";
    ok.ip4 = "198.18.0.2/24";
    ok.ip6 = "2001:db8::2/64";
    ok.listens = splitListens("80:http, 9000:sink");
    auto parsed = parseTapSettings(ok);
    QVERIFY2(parsed, parsed ? "" : parsed.error().message.c_str());
    QCOMPARE(parsed.value().listens.size(), std::size_t(2));
    QCOMPARE(parsed.value().listens[1].port, std::uint16_t(9000));
    QCOMPARE(parsed.value().lab.host.addresses.size(), std::size_t(2));

    struct Bad {
        void (*change)(TapSettings &);
        const char *mentions;
    };
    const Bad bad[] = {
        {[](TapSettings &s) { s.tap = "a-name-far-too-long"; }, "tap name"},
        {[](TapSettings &s) { s.tap = "tap 7"; }, "tap name"},
        {[](TapSettings &s) { s.ip4 = "198.18.0.2"; }, "IPv4"},
        {[](TapSettings &s) { s.ip4 = "2001:db8::2/64"; }, "IPv4"},
        {[](TapSettings &s) { s.ip6 = "198.18.0.2/24"; }, "IPv6"},
        {[](TapSettings &s) { s.mac = "01:00:5e:00:00:01"; }, "MAC"},
        {[](TapSettings &s) { s.gateway4 = "gw"; }, "gateway"},
        {[](TapSettings &s) { s.listens = {"80"}; }, "PORT:SERVICE"},
        {[](TapSettings &s) { s.listens = {"70000:http"}; }, "1 to 65535"},
        {[](TapSettings &s) {
             s.listens = {"80:http", "80:sink"};
         },
         "already taken"},
        {[](TapSettings &s) { s.listens = {"80:Http;rm"}; }, "not a service name"},
        {[](TapSettings &s) {
             s.captureMemory = "16M";
             s.captureReserve = "64M";
         },
         "capture reserve \"64M\": more than the capture memory (16 MiB)"},
    };
    for (const auto &b : bad) {
        TapSettings s = ok;
        b.change(s);
        auto r = parseTapSettings(s);
        QVERIFY(!r);
        QVERIFY2(r.error().message.find(b.mentions) != std::string::npos, r.error().message.c_str());
    }
}

void TestLiveBatching::tapErrorNamesTheDevice()
{
    // No tun device (a missing node, so no device gets created here): start fails in words.
    HostLab lab;
    lab.setTunPath(kNoTun);
    const TapSettings s = settingsWithoutDevice();
    std::string error;
    QVERIFY(lab.configure(s, &error));
    lab.start();
    QVERIFY(!lab.status().running);
    QVERIFY2(lab.lastError().find("tcplabnotap0") != std::string::npos, lab.lastError().c_str());
    std::vector<Event> events;
    lab.drainEvents(events);
    QCOMPARE(events.size(), std::size_t(1));
    QCOMPARE(events[0].kind, EventKind::Error);
    // An unknown scenario is refused and the settings stay as they were.
    QVERIFY(!lab.loadScenario("no-such-scenario", &error));
    QVERIFY(!error.empty());
    QCOMPARE(lab.settings().scenario, std::string());
}

void TestLiveBatching::captureReserveIsMadeForTheNextStart()
{
    HostLab lab;
    lab.setTunPath(kNoTun);
    TapSettings s = settingsWithoutDevice();
    std::string error;
    QVERIFY(lab.configure(s, &error));
    lab.reserveCapture(); // none asked for: nothing made
    QCOMPARE(lab.captureReserve().asked, std::uint64_t(0));

    s.captureMemory = "64M";
    s.captureReserve = "8M";
    QVERIFY2(lab.configure(s, &error), error.c_str());
    lab.reserveCapture();
    QCOMPARE(lab.captureReserve().asked, std::uint64_t(8) << 20);
    QTRY_VERIFY_WITH_TIMEOUT(lab.captureReserve().done(), 30000);
    QCOMPARE(lab.captureReserve().prepared, std::uint64_t(8) << 20);
    QVERIFY(lab.captureReserve().error.empty());
    lab.reserveCapture(); // the same store, still waiting for start()
    QCOMPARE(lab.captureReserve().prepared, std::uint64_t(8) << 20);
    // A failed start (no tun device) leaves it for the next one; new settings drop it.
    lab.start();
    QVERIFY(!lab.status().running);
    QCOMPARE(lab.captureReserve().prepared, std::uint64_t(8) << 20);
    QVERIFY(lab.configure(s, &error));
    QCOMPARE(lab.captureReserve().asked, std::uint64_t(0));
    lab.reserveCapture();
    lab.dropCaptureReserve();
    QCOMPARE(lab.captureReserve().asked, std::uint64_t(0));
}

void TestLiveBatching::cancellingTheCaptureReserveDoesNotAttach()
{
    MainWindow window(std::make_unique<LabSwitch>(makeDefaultLab(LabMode::Demo)));
    auto &labs = dynamic_cast<LabSwitch &>(window.bridge().lab());
    labs.tapLab().setTunPath(kNoTun); // no device is made here, whatever happens
    TapSettings s = settingsWithoutDevice();
    s.captureMemory = "2G";
    s.captureReserve = "1G"; // far longer to map than the first turn of the dialog's event loop
    QString shown;
    QTimer::singleShot(0, &window, [&] {
        auto *progress = window.findChild<QProgressDialog *>(QStringLiteral("CaptureReserveProgress"));
        if (!progress) return;
        shown = progress->labelText();
        progress->cancel();
    });
    QVERIFY(!window.attachTap(s));
    QVERIFY2(shown.contains(QStringLiteral("1024 MiB")) && shown.contains(QStringLiteral("tcplabnotap0")),
             qPrintable(shown));
    QCOMPARE(labs.mode(), LabMode::Demo);
    QCOMPARE(labs.tapLab().captureReserve().asked, std::uint64_t(0)); // dropped, its memory freed
}

void TestLiveBatching::statusBarShowsTheCaptureMemory()
{
    MainWindow window(std::make_unique<LabSwitch>(makeDefaultLab(LabMode::Demo)));
    window.bridge().lab().start();
    window.bridge().lab().runFor(std::chrono::seconds(4));
    window.bridge().drain();
    auto *label = window.findChild<QLabel *>(QStringLiteral("captureMemory"));
    QVERIFY(label);
    const PacketStore &store = window.bridge().packets();
    QVERIFY(store.size() > 0 && store.memoryBytes() > 0);
    QCOMPARE(label->text(), QStringLiteral("capture %1 of 2048 MiB").arg(store.memoryBytes() >> 20));
}

void TestLiveBatching::demoCaptureSpillsIntoTmpdir()
{
    // Like the tap lab's default: the demo lab's capture spills into $TMPDIR when it is set.
    QTemporaryDir dir;
    const QByteArray before = qgetenv("TMPDIR");
    qputenv("TMPDIR", dir.path().toUtf8());
    {
        MainWindow window(std::make_unique<LabSwitch>(makeDefaultLab(LabMode::Demo)));
        QCOMPARE(window.bridge().packets().config().spillDirectory, dir.path().toStdString());
    }
    qunsetenv("TMPDIR");
    {
        MainWindow window(std::make_unique<LabSwitch>(makeDefaultLab(LabMode::Demo)));
        QCOMPARE(window.bridge().packets().config().spillDirectory, std::string("/tmp"));
    }
    if (!before.isNull()) qputenv("TMPDIR", before);
}

QTEST_MAIN(TestLiveBatching)
#include "test_live_batching.moc"

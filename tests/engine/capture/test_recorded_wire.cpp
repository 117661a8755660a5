// A recorded demo lab: each frame is copied once, into the store, and the virtual wire carries that
// copy (Link::transmitLent). A recorder taken away while frames are in flight loses none of them:
// the wire copies what it still holds before the store may go.
#include <memory>
#include <numeric>

#include <QtTest>

#include "capture/packet_store.h"
#include "capture/recorder.h"
#include "host/lab.h"
#include "services/tcp_services.h"
#include "tcp/tcp_layer.h"

using namespace tcplab;
using namespace std::chrono_literals;

namespace {

// Passes every frame to the recorder and notes, for each received copy of a recorded frame,
// whether its bytes are the store's copy of the sent frame (the same memory, not equal bytes).
struct WhereBytesCameFrom final : FrameSink {
    Recorder &recorder;
    const PacketStore &store;
    int received = 0, fromStore = 0;

    WhereBytesCameFrom(Recorder &r, const PacketStore &s) : recorder(r), store(s) {}
    std::uint64_t onFrame(const FrameInfo &info, ByteView frame) override
    {
        if (info.direction == Direction::Inbound && info.sentAs != Event::kNoPacket) {
            ++received;
            fromStore += frame.data() == store.wholeFrameCopy(info.sentAs).data();
        }
        return recorder.onFrame(info, frame);
    }
    void annotate(std::uint64_t i, const Event &e) override { recorder.annotate(i, e); }
    void setFate(std::uint64_t i, FrameFate f) override { recorder.setFate(i, f); }
    ByteView keptFrame(std::uint64_t i) const override { return recorder.keptFrame(i); }
};

// The client sends `bytes` to the server's discard service over the demo wire (10 ms each way).
struct Transfer {
    std::unique_ptr<Lab> lab = Lab::demo({});
    std::unique_ptr<TcpService> discard;
    Bytes data;
    std::uint64_t sent = 0;
    TcpSocketId socket = kNoSocket;
    TcpLayer *client = nullptr;

    explicit Transfer(std::size_t bytes) : data(bytes)
    {
        std::iota(data.begin(), data.end(), std::uint8_t(0));
        client = &lab->addTcp(lab->host(0));
        TcpLayer &server = lab->addTcp(lab->host(1));
        const Instant now = Instant{} + 1s;
        lab->start(now);
        discard = std::move(startTcpService(server, lab->events(), 1, 9, "discard").value());
        socket = *client->connect(now, {lab->host(0).config().addresses.front().addr, 0},
                                  {lab->host(1).config().addresses.front().addr, 9},
                                  [this](TcpSocketId, std::uint32_t bits) {
                                      if (bits & (tcpready::kConnected | tcpready::kWritable)) pump();
                                  });
    }
    void pump()
    {
        while (sent < data.size()) {
            auto r = client->send(lab->now(), socket, ByteView(data).subspan(sent));
            if (!r.ok() || *r == 0) break;
            sent += *r;
        }
    }
    // Polls until `done` or 30 s of lab time.
    template <typename Done> void runUntil(Done done)
    {
        const Instant end = lab->now() + 30s;
        while (!done() && lab->pollAt() <= end)
            lab->poll(lab->pollAt());
    }
    std::uint64_t malformedAtServer() const
    {
        const auto &m = lab->host(1).counters().malformed;
        return std::accumulate(m.begin(), m.end(), std::uint64_t(0));
    }
};

} // namespace

class TestRecordedWire : public QObject {
    Q_OBJECT
private slots:
    void everyRecordedFrameCrossesTheWireAsTheStoresCopy()
    {
        Transfer t(256 * 1024);
        PacketStore store;
        Recorder recorder(store, t.lab->flows(), {RecorderConfig::Analysis::Off});
        WhereBytesCameFrom sink(recorder, store);
        t.lab->setFrameSink(&sink);
        t.runUntil([&] { return t.discard->bytesIn() == t.data.size(); });
        t.lab->setFrameSink(nullptr);
        QCOMPARE(t.discard->bytesIn(), std::uint64_t(t.data.size()));
        QVERIFY(sink.received > 200);
        QCOMPARE(sink.fromStore, sink.received);
        QCOMPARE(t.malformedAtServer(), 0u);
    }

    // A snap length keeps part of each frame: the store's copy is not the frame, so the wire copies.
    void aCutFrameIsCopiedByTheWire()
    {
        Transfer t(64 * 1024);
        PacketStore store;
        RecorderConfig config{RecorderConfig::Analysis::Off};
        config.snapLength = 128;
        Recorder recorder(store, t.lab->flows(), config);
        WhereBytesCameFrom sink(recorder, store);
        t.lab->setFrameSink(&sink);
        t.runUntil([&] { return t.discard->bytesIn() == t.data.size(); });
        t.lab->setFrameSink(nullptr);
        QCOMPARE(t.discard->bytesIn(), std::uint64_t(t.data.size()));
        QVERIFY(sink.received > 50);
        QVERIFY(sink.fromStore < sink.received); // small frames (SYN, ACKs) are kept whole
    }

    // The recorder and its store go while the wire still carries their copies: the frames arrive
    // intact (the server's checksums pass) and the transfer completes.
    void recorderGoingMidTransferLosesNoFrameInFlight()
    {
        Transfer t(1024 * 1024);
        auto store = std::make_unique<PacketStore>();
        auto recorder =
            std::make_unique<Recorder>(*store, t.lab->flows(), RecorderConfig{RecorderConfig::Analysis::Off});
        t.lab->setFrameSink(recorder.get());
        VirtualWire &wire = *t.lab->wire();
        t.runUntil([&] { return t.discard->bytesIn() > 0 && wire.inFlight(VirtualWire::B) >= 20; });
        QVERIFY(wire.inFlight(VirtualWire::B) >= 20);
        const std::uint64_t recorded = store->size();
        t.lab->setFrameSink(nullptr);
        recorder.reset();
        store.reset(); // its memory is unmapped: a frame still pointing there would fault
        t.runUntil([&] { return t.discard->bytesIn() == t.data.size(); });
        QCOMPARE(t.discard->bytesIn(), std::uint64_t(t.data.size()));
        QCOMPARE(t.malformedAtServer(), 0u);
        QVERIFY(recorded > 20);
    }
};

QTEST_GUILESS_MAIN(TestRecordedWire)
#include "test_recorded_wire.moc"

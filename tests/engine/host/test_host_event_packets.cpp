// Events carry the FlowTracker's session and are attached to the packets they explain: on the demo
// network (Lab::demo, TCP layers made by Lab::addTcp, a Recorder), a connect/send/close exchange,
// then the same with one data segment dropped at the client's egress. Plus tcplab-cli --pcap read
// back by tshark (skipped with exit 77 when tshark is missing).
#include <cstdio>

#include "capture/packet_store.h"
#include "capture/recorder.h"
#include "host/lab.h"
#include "tcp/tcp_layer.h"
#include "wire/frame.h"
#include "../stack/lab_fixture.h"

#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using namespace tcplab;
using namespace std::chrono_literals;

namespace {

using testing::EventLog;
using testing::runUntil;

// Drops the client's first data segment at egress (once), like a rule would.
struct DropFirstData final : PacketHook {
    bool dropped = false;
    HookVerdict onPacket(Instant, HookPacket &p, HookActions &) override
    {
        if (dropped || p.point != HookPoint::Egress) return HookVerdict::Pass;
        const ParsedFrame f = parseIpPacket(p.ip, FrameParseOptions{false});
        if (!f.tcp || f.tcp->payload().empty()) return HookVerdict::Pass;
        dropped = true;
        return HookVerdict::Drop;
    }
};

std::vector<std::string> notesOf(const PacketView &v, AnnotationKind kind)
{
    std::vector<std::string> out;
    for (const Annotation *a = v.firstNote; a; a = a->nextNote())
        if (a->kind == kind) out.push_back(a->text);
    return out;
}

bool hasNote(const PacketView &v, AnnotationKind kind, const std::string &part)
{
    for (const auto &t : notesOf(v, kind))
        if (t.find(part) != std::string::npos) return true;
    return false;
}

struct Exchange {
    std::unique_ptr<Lab> lab = Lab::demo();
    PacketStore store;
    std::unique_ptr<Recorder> recorder;
    EventLog log;
    TcpLayer *client = nullptr, *server = nullptr;
    DropFirstData drop;
    std::uint64_t received = 0;

    explicit Exchange(bool dropOne)
    {
        recorder = std::make_unique<Recorder>(store, lab->flows());
        lab->setFrameSink(recorder.get());
        lab->events().add(recorder.get());
        lab->events().add(&log);
        Host &c = lab->host(0), &s = lab->host(1);
        client = &lab->addTcp(c);
        server = &lab->addTcp(s);
        if (dropOne) c.setPacketHook(&drop);
        lab->start(Instant{});
    }

    // connect, send `bytes`, close on both sides, run until everything is over.
    void run(std::size_t bytes)
    {
        auto l = server->listen({IpAddr(Ip4Addr{}), 9}, 8, [this](TcpSocketId ls, std::uint32_t) {
            for (TcpSocketId a; (a = server->accept(ls, [this](TcpSocketId s, std::uint32_t) { drain(s); })) != kNoSocket;)
                drain(a);
        });
        QVERIFY(l.ok());
        const Instant t0 = lab->now() + 1ms;
        runUntil(*lab, t0);
        auto cs = client->connect(t0, {*IpAddr::parse("198.18.0.1"), 0}, {*IpAddr::parse("198.18.0.2"), 9});
        QVERIFY(cs.ok());
        runUntil(*lab, t0 + 100ms);
        Bytes data(bytes, std::uint8_t('x'));
        auto sent = client->send(lab->now(), *cs, data);
        QVERIFY(sent.ok());
        QCOMPARE(*sent, bytes);
        QVERIFY(client->close(lab->now(), *cs).ok());
        runUntil(*lab, lab->now() + 5s);
        QCOMPARE(received, std::uint64_t(bytes));
        runUntil(*lab, lab->now() + 120s);  // TIME-WAIT over
    }

    void drain(TcpSocketId s)
    {
        std::uint8_t buf[4096];
        for (;;) {
            auto n = server->recv(server->now(), s, MutableByteView(buf, sizeof buf));
            if (!n || *n == 0) break;
            received += *n;
        }
        if (server->peerClosed(s)) (void)server->close(server->now(), s);
    }

    // The index of the first frame recorded by `host` going `dir` whose TCP flags are exactly `flags`.
    std::optional<PacketView> frame(HostId host, Direction dir, std::uint8_t flags, bool withPayload = false,
                                    std::size_t nth = 0)
    {
        for (std::uint64_t i = 0; i < store.size(); ++i) {
            const PacketView v = store.packet(i);
            if (v.host != host || v.direction != dir) continue;
            const ParsedFrame f = parseFrame(v.bytes);
            if (!f.tcp || f.tcp->flags().bits != flags || f.tcp->payload().empty() == withPayload) continue;
            if (nth-- == 0) return v;
        }
        return std::nullopt;
    }
};

constexpr std::uint8_t kSyn = TcpFlags::kSyn, kAck = TcpFlags::kAck, kFin = TcpFlags::kFin;

}  // namespace

class TestEventPackets : public QObject {
    Q_OBJECT
private slots:
    void sessionsWithoutCapture()
    {
        // No Recorder, no source installed by anyone: the lab's own FlowTracker names sessions.
        auto lab = Lab::demo();
        EventLog log;
        lab->events().add(&log);
        TcpLayer &c = lab->addTcp(lab->host(0));
        TcpLayer &s = lab->addTcp(lab->host(1));
        QVERIFY(s.listen({IpAddr(Ip4Addr{}), 9}).ok());
        lab->start(Instant{});
        QVERIFY(c.connect(Instant{} + 1ms, {*IpAddr::parse("198.18.0.1"), 0}, {*IpAddr::parse("198.18.0.2"), 9}).ok());
        runUntil(*lab, Instant{} + 1s);
        int states = 0;
        for (const Event &e : log.events) {
            if (e.kind != EventKind::StateChange) continue;
            ++states;
            QCOMPARE(e.session, SessionId(1));
        }
        QVERIFY(states >= 4);
        QCOMPARE(lab->flows().sessionCount(), std::size_t(1));
    }

    void connectSendClose()
    {
        Exchange x(false);
        x.run(20000);
        QCOMPARE(x.lab->flows().sessionCount(), std::size_t(1));
        const SessionId session = 1;
        int explained = 0;
        for (const Event &e : x.log.events) {
            if (e.kind != EventKind::StateChange && e.kind != EventKind::Retransmit && e.kind != EventKind::TimerExpire)
                continue;
            ++explained;
            if (e.session != session) QFAIL(qPrintable(QString("event without its session: %1 %2").arg(e.name.c_str()).arg(e.detail.c_str())));
        }
        QVERIFY(explained >= 8);
        for (std::uint64_t i = 0; i < x.store.size(); ++i) {
            const PacketView v = x.store.packet(i);
            if (parseFrame(v.bytes).tcp) QCOMPARE(v.session, session);
        }
        // Events with a packet name one of the session's frames.
        for (const Event &e : x.log.events)
            if (e.packetIndex != Event::kNoPacket) {
                QVERIFY(e.packetIndex < x.store.size());
                QCOMPARE(x.store.packet(e.packetIndex).session, e.session);
            }

        const auto synOut = x.frame(0, Direction::Outbound, kSyn);
        QVERIFY(synOut);
        QVERIFY2(hasNote(*synOut, AnnotationKind::StateChange, "CLOSED → SYN-SENT"), "SYN as the client sent it");
        const auto synIn = x.frame(1, Direction::Inbound, kSyn);
        QVERIFY(synIn);
        QVERIFY2(hasNote(*synIn, AnnotationKind::StateChange, "SYN-RECEIVED"), "SYN as the server received it");
        const auto synAckOut = x.frame(1, Direction::Outbound, kSyn | kAck);
        QVERIFY(synAckOut);
        QVERIFY2(hasNote(*synAckOut, AnnotationKind::StateChange, "SYN-RECEIVED"), "SYN-ACK the server sent");
        const auto synAckIn = x.frame(0, Direction::Inbound, kSyn | kAck);
        QVERIFY(synAckIn);
        QVERIFY(hasNote(*synAckIn, AnnotationKind::StateChange, "SYN-SENT → ESTABLISHED"));
        // The client's FIN carries the close that caused it.
        bool finWithClose = false;
        for (std::uint64_t i = 0; i < x.store.size(); ++i) {
            const PacketView v = x.store.packet(i);
            const ParsedFrame f = parseFrame(v.bytes);
            if (v.host == 0 && v.direction == Direction::Outbound && f.tcp && f.tcp->flags().fin())
                finWithClose = hasNote(v, AnnotationKind::StateChange, "FIN-WAIT-1");
        }
        QVERIFY2(finWithClose, "the client's FIN carries ESTABLISHED → FIN-WAIT-1");
        // The server's FIN (from its close) carries CLOSE-WAIT → LAST-ACK.
        bool serverFin = false;
        for (std::uint64_t i = 0; i < x.store.size(); ++i) {
            const PacketView v = x.store.packet(i);
            const ParsedFrame f = parseFrame(v.bytes);
            if (v.host == 1 && v.direction == Direction::Outbound && f.tcp && f.tcp->flags().fin())
                serverFin = hasNote(v, AnnotationKind::StateChange, "LAST-ACK");
        }
        QVERIFY(serverFin);
    }

    void retransmissionOnItsFrame()
    {
        Exchange x(true);
        x.run(4000);
        QVERIFY(x.drop.dropped);
        QCOMPARE(x.lab->flows().sessionCount(), std::size_t(1));
        for (const Event &e : x.log.events)
            if (e.kind == EventKind::StateChange || e.kind == EventKind::Retransmit || e.kind == EventKind::TimerExpire)
                QCOMPARE(e.session, SessionId(1));
        // The dropped segment is kept, never on the wire; a later copy of the same bytes is the retransmission.
        std::optional<std::uint32_t> droppedSeq;
        for (std::uint64_t i = 0; i < x.store.size() && !droppedSeq; ++i) {
            const PacketView v = x.store.packet(i);
            if (v.fate == FrameFate::DroppedByRule) droppedSeq = parseFrame(v.bytes).tcp->seq().raw();
        }
        QVERIFY(droppedSeq);
        int retransmitted = 0;
        for (std::uint64_t i = 0; i < x.store.size(); ++i) {
            const PacketView v = x.store.packet(i);
            const ParsedFrame f = parseFrame(v.bytes);
            if (v.host != 0 || v.direction != Direction::Outbound || v.fate != FrameFate::Delivered || !f.tcp) continue;
            if (f.tcp->seq().raw() != *droppedSeq || f.tcp->payload().empty()) continue;
            ++retransmitted;
            QVERIFY2(!notesOf(v, AnnotationKind::Timer).empty(), "the retransmitted frame says why it was sent");
        }
        QVERIFY(retransmitted >= 1);
        int retransmitEvents = 0;
        for (const Event &e : x.log.events)
            if (e.kind == EventKind::Retransmit) {
                ++retransmitEvents;
                QVERIFY(e.packetIndex != Event::kNoPacket);
                QCOMPARE(x.store.packet(e.packetIndex).direction, Direction::Outbound);
            }
        QVERIFY(retransmitEvents >= 1);
    }

    void cliPcapComments()
    {
        if (QStandardPaths::findExecutable("tshark").isEmpty()) QSKIP("tshark is not installed");
        QTemporaryDir dir;
        const QString pcap = dir.filePath("run.pcapng");
        QProcess cli;
        cli.start(TCPLAB_CLI_PATH, {"--demo", "--listen", "9:discard", "--connect", "198.18.0.2:9", "--send-bytes",
                                    "20000", "--duration", "2", "--pcap", pcap});
        QVERIFY(cli.waitForFinished(30000));
        QCOMPARE(cli.exitCode(), 0);
        QProcess tshark;
        tshark.start("tshark", {"-r", pcap, "-T", "fields", "-e", "frame.comment"});
        QVERIFY(tshark.waitForFinished(60000));
        const QString out = QString::fromUtf8(tshark.readAllStandardOutput());
        QVERIFY2(out.contains("CLOSED → SYN-SENT"), qPrintable(out.left(2000)));
        QVERIFY(out.contains("SYN-RECEIVED"));
        QVERIFY(out.contains("ESTABLISHED → FIN-WAIT-1"));
    }

    void cliPcapSnapLength()
    {
        // --pcap-snaplen 96: every frame cut to 96 bytes, its length on the wire kept; Wireshark and
        // our own reader still see every segment whole (lengths from the headers).
        if (QStandardPaths::findExecutable("tshark").isEmpty()) QSKIP("tshark is not installed");
        QTemporaryDir dir;
        const QString pcap = dir.filePath("cut.pcapng");
        QProcess cli;
        cli.start(TCPLAB_CLI_PATH, {"--demo", "--listen", "9:discard", "--connect", "198.18.0.2:9", "--send-bytes",
                                    "100000", "--duration", "2", "--pcap", pcap, "--pcap-snaplen", "96"});
        QVERIFY(cli.waitForFinished(30000));
        QCOMPARE(cli.exitCode(), 0);
        QProcess tshark;
        tshark.start("tshark", {"-r", pcap, "-T", "fields", "-e", "frame.cap_len", "-e", "frame.len", "-e", "tcp.len",
                                "-e", "ip.src", "-e", "_ws.malformed"});
        QVERIFY(tshark.waitForFinished(60000));
        std::uint64_t cut = 0, fromClient = 0, clientBytes = 0, serverBytes = 0;
        for (const QString &line : QString::fromUtf8(tshark.readAllStandardOutput()).split('\n', Qt::SkipEmptyParts)) {
            const QStringList f = line.split('\t');
            QCOMPARE(f.size(), 5);
            QVERIFY2(f[4].isEmpty(), qPrintable("malformed: " + line));
            QVERIFY(f[0].toUInt() <= 96);
            if (f[1].toUInt() > f[0].toUInt()) ++cut;
            if (f[3].isEmpty()) continue; // ARP: no session
            (f[3] == "198.18.0.1" ? clientBytes : serverBytes) += f[1].toULongLong();
            if (f[3] == "198.18.0.1") fromClient += f[2].toULongLong();
        }
        QVERIFY(cut > 50);
        QCOMPARE(fromClient, std::uint64_t(100000));
        // Our reader: the session carries the bytes on the wire each way, as tshark counted them.
        QProcess inspect;
        inspect.start(TCPLAB_CLI_PATH, {"inspect", "--max-frames", "1", pcap});
        QVERIFY(inspect.waitForFinished(30000));
        QCOMPARE(inspect.exitCode(), 0);
        const QString text = QString::fromUtf8(inspect.readAllStandardOutput());
        QVERIFY2(text.contains(QString("frames, %1 bytes").arg(clientBytes)), qPrintable(text.left(500)));
        QVERIFY2(text.contains(QString("frames, %1 bytes").arg(serverBytes)), qPrintable(text.left(500)));
    }

    void cliPcapReserveIsReadyBeforeTheRun()
    {
        // --pcap-reserve: the store's memory is mapped before the ready line; the run then records
        // as without it (every frame), within --pcap-memory.
        QTemporaryDir dir;
        const QString pcap = dir.filePath("reserved.pcapng");
        QProcess cli;
        cli.start(TCPLAB_CLI_PATH,
                  {"--demo", "--listen", "9:discard", "--connect", "198.18.0.2:9", "--send-bytes", "200000",
                   "--duration", "1", "--pcap", pcap, "--pcap-memory", "256M", "--pcap-reserve", "64M"});
        QVERIFY(cli.waitForFinished(30000));
        QCOMPARE(cli.exitCode(), 0);
        const QString err = QString::fromUtf8(cli.readAllStandardError());
        QVERIFY2(err.contains("--pcap-reserve: mapping 64 MiB for the capture store"), qPrintable(err));
        QVERIFY2(err.contains("--pcap-reserve: 64 MiB ready in "), qPrintable(err));
        const QString out = QString::fromUtf8(cli.readAllStandardOutput());
        QVERIFY2(out.contains(QRegularExpression("pcap \\S+ frames=[1-9][0-9]+ not_recorded=0")),
                 qPrintable(out.right(500)));
        QVERIFY(QFileInfo(pcap).size() > 200000);
    }
};

// Exit 77 (skipped) when tshark is missing, so ctest does not count the CLI check as passed.
int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    TestEventPackets test;
    const int rc = QTest::qExec(&test, argc, argv);
    if (rc == 0 && QStandardPaths::findExecutable("tshark").isEmpty()) {
        std::puts("SKIP: tshark is not installed: the tcplab-cli --pcap comment check did not run");
        return 77;
    }
    return rc;
}
#include "test_host_event_packets.moc"

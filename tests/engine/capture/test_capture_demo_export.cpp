// The export of a real demo-network run (Lab::demo, both hosts recorded, 10 ms of wire latency, no
// loss): by default each frame is written once, as its sender sent it, so Wireshark finds no
// retransmission in a loss-free run; the receiver's notes follow as "at <interface>: ..." comments;
// with FrameViews::Every each frame is there twice and Wireshark does label the second copies
// (which is what the default avoids). tshark is the judge; skipped (77) without it.
#include <cstdio>

#include <QtTest>

#include "capture/capture_export.h"
#include "capture/capture_import.h"
#include "capture/packet_store.h"
#include "recorded_demo_run.h"
#include "tshark_run.h"

using namespace tcplab;
using namespace std::chrono_literals;

namespace {

using test::Tshark;
using test::tshark;

int lineCount(const QString &s)
{
    return int(s.split('\n', Qt::SkipEmptyParts).size());
}

// A client sends 64 KiB to the server's discard service and closes; everything recorded.
struct DemoRun : test::RecordedDemoRun {
    DemoRun() : RecordedDemoRun({}) {}
};

} // namespace

class TestCaptureDemoExport : public QObject {
    Q_OBJECT
    QTemporaryDir dir_;
    QString path(const char *name) const { return dir_.filePath(name); }

private slots:
    void defaultExportShowsEachFrameOnceWithoutRetransmissions()
    {
        DemoRun run;
        std::uint64_t copies = 0;
        for (std::uint64_t i = 0; i < run.store.size(); ++i)
            if (run.store.packet(i).sentAs != Event::kNoPacket) ++copies;
        QVERIFY2(copies > 50, "the run has received copies of sent frames");
        // The virtual wire vouched for every received copy: it holds its sender's bytes, not a copy.
        for (std::uint64_t i = 0; i < run.store.size(); ++i) {
            const PacketView p = run.store.packet(i);
            if (p.sentAs == Event::kNoPacket) continue;
            QCOMPARE(p.bytes.data(), run.store.packet(p.sentAs).bytes.data());
        }

        ExportOptions once;
        once.jsonAnnotations = true;
        auto r = exportCapture(run.store, path("once.pcapng").toStdString(), once);
        QVERIFY2(r, r ? "" : r.error().message.c_str());
        QCOMPARE(r->packets, run.store.size() - copies);

        const Tshark rtx =
            tshark({"-r", path("once.pcapng"), "-Y",
                    "tcp.analysis.retransmission || "
                    "tcp.analysis.fast_retransmission || tcp.analysis.spurious_retransmission || "
                    "tcp.analysis.duplicate_ack",
                    "-T", "fields", "-e", "frame.number"});
        QCOMPARE(rtx.exitCode, 0);
        QVERIFY2(rtx.out.trimmed().isEmpty(), qPrintable("frames labelled: " + rtx.out));
        const Tshark all = tshark({"-r", path("once.pcapng"), "-T", "fields", "-E", "separator=|", "-e",
                                   "frame.packet_flags_direction", "-e", "frame.comment"});
        QCOMPARE(lineCount(all.out), int(r->packets));
        // Only egress views (epb_flags direction 2 = outbound), and the server's state change on
        // the SYN it received rides on the client's SYN, named after the server's interface.
        for (const QString &line : all.out.split('\n', Qt::SkipEmptyParts))
            QVERIFY2(line.split('|')[0].toUInt(nullptr, 16) == 2u, qPrintable(line));
        QVERIFY2(
            all.out.contains("state: at server/wire: CLOSED → SYN-RECEIVED (SYN received on a listener)"),
            qPrintable(all.out.left(2000)));

        // The section header says which view the file holds.
        QProcess capinfos;
        capinfos.start("capinfos", {path("once.pcapng")});
        capinfos.waitForFinished(30000);
        const QString info = QString::fromUtf8(capinfos.readAllStandardOutput());
        QVERIFY2(info.contains("Each frame once, as its sender sent it"), qPrintable(info));

        // Export -> import -> export keeps the merged notes byte for byte.
        PacketStore again;
        FlowTracker flows;
        once.os = "Linux test";
        QVERIFY(exportCapture(run.store, path("a.pcapng").toStdString(), once));
        QVERIFY(importCapture(path("a.pcapng").toStdString(), again, flows));
        QVERIFY(exportCapture(again, path("b.pcapng").toStdString(), once));
        QFile a(path("a.pcapng")), b(path("b.pcapng"));
        QVERIFY(a.open(QIODevice::ReadOnly) && b.open(QIODevice::ReadOnly));
        QVERIFY(a.readAll() == b.readAll());
    }

    void bothViewsOnRequestAndWiresharkSeesTheCopies()
    {
        DemoRun run;
        ExportOptions every;
        every.views = FrameViews::Every;
        auto r = exportCapture(run.store, path("every.pcapng").toStdString(), every);
        QVERIFY(r);
        QCOMPARE(r->packets, run.store.size());
        const Tshark rtx = tshark({"-r", path("every.pcapng"), "-Y", "tcp.analysis.retransmission", "-T",
                                   "fields", "-e", "frame.number"});
        QCOMPARE(rtx.exitCode, 0);
        QVERIFY2(lineCount(rtx.out) > 10, qPrintable(rtx.out.left(200))); // why Once is the default
        QProcess capinfos;
        capinfos.start("capinfos", {path("every.pcapng")});
        capinfos.waitForFinished(30000);
        QVERIFY(QString::fromUtf8(capinfos.readAllStandardOutput()).contains("Every host's view"));
        // One host chosen: that host's view, both directions, copies included.
        ExportOptions server;
        server.hosts = {1};
        auto s = exportCapture(run.store, path("server.pcapng").toStdString(), server);
        QVERIFY(s);
        std::uint64_t serverFrames = 0;
        for (std::uint64_t i = 0; i < run.store.size(); ++i)
            if (run.store.packet(i).host == 1 && !notOnWire(run.store.packet(i))) ++serverFrames;
        QCOMPARE(s->packets, serverFrames);
    }
};

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    if (QStandardPaths::findExecutable("tshark").isEmpty()) {
        std::puts("SKIP: tshark is not installed (installer/dev installs it)");
        return 77;
    }
    TestCaptureDemoExport test;
    return QTest::qExec(&test, argc, argv);
}
#include "test_capture_demo_export.moc"

// The analysis labels match Wireshark's: reference captures made with scapy
// (make_reference_captures.py: one scenario per label plus seeded random flows with loss,
// duplication and reordering, each also cut to 96 bytes per packet as `tcpdump -s 96` writes it) are
// read by tshark and by our importer, and the tcp.analysis.* fields of every frame are compared.
#include <QtTest>

#include <cstdio>

#include "capture/capture_import.h"
#include "capture/flow_text.h"
#include "capture/flow_tracker.h"
#include "capture/packet_store.h"
#include "cli/cli_capture.h"

using namespace tcplab;

namespace {

const QStringList kFields = {"retransmission", "fast_retransmission", "spurious_retransmission", "out_of_order",
                             "lost_segment", "ack_lost_segment", "duplicate_ack", "zero_window",
                             "zero_window_probe", "zero_window_probe_ack", "window_full", "window_update",
                             "keep_alive", "keep_alive_ack", "reused_ports"};

// Where Wireshark 4.0 and our rules part ways, with the reason. Keep this list short and explained.
const QSet<QString> kKnownDifferences = {
    // tshark 4.0 does not repeat "ACKed unseen segment" on a window update that repeats the ACK
    // which already got the label, while it does repeat it after a data segment from the other
    // side (random_8 frame 41); we repeat it in both cases (the rule Wireshark's user guide gives).
    "random_3.pcap#23",
    "snap_random_3.pcap#23", // the same frame, in the copy cut to 96 bytes per packet
};

// "frame<TAB>field,field" lines, fields sorted.
QStringList tsharkLabels(const QString &file)
{
    QStringList args{"-r", file, "-T", "fields", "-E", "separator=/t", "-e", "frame.number"};
    for (const auto &f : kFields) args << "-e" << "tcp.analysis." + f;
    QProcess p;
    p.start("tshark", args);
    p.waitForFinished(60000);
    QStringList out;
    for (const QString &line : QString::fromUtf8(p.readAllStandardOutput()).split('\n', Qt::SkipEmptyParts)) {
        const QStringList cols = line.split('\t');
        QStringList present;
        for (int i = 0; i < kFields.size(); ++i)
            if (i + 1 < cols.size() && !cols[i + 1].isEmpty()) present << kFields[i];
        present.sort();
        out << cols[0] + "\t" + present.join(',');
    }
    return out;
}

}  // namespace

class TestCaptureAnalysis : public QObject {
    Q_OBJECT
    QTemporaryDir dir_;
    QMap<QString, QStringList> tshark_;  // per file, computed once

    const QStringList &wireshark(const QString &file)
    {
        if (!tshark_.contains(file)) tshark_[file] = tsharkLabels(dir_.filePath(file));
        return tshark_[file];
    }

private slots:
    void initTestCase()
    {
        QProcess py;
        py.start("/usr/bin/python3", {QString(TCPLAB_CAPTURE_TEST_DIR) + "/make_reference_captures.py", dir_.path()});
        py.waitForFinished(120000);
        if (py.exitCode() != 0) {
            const QString err = QString::fromUtf8(py.readAllStandardError());
            QFAIL(qPrintable("make_reference_captures.py failed: " + err));
        }
    }

    void labelsMatchWireshark_data()
    {
        QTest::addColumn<QString>("file");
        const QStringList files = QDir(dir_.path()).entryList({"*.pcap"}, QDir::Files, QDir::Name);
        QVERIFY(files.size() >= 34); // every scenario whole and cut to 96 bytes (snap_*)
        for (const QString &f : files) QTest::newRow(qPrintable(f)) << f;
    }
    void labelsMatchWireshark()
    {
        QFETCH(QString, file);
        const QString path = dir_.filePath(file);
        const QStringList expected = wireshark(file);
        QVERIFY(!expected.isEmpty());
        PacketStore store;
        FlowTracker flows;
        auto r = importCapture(path.toStdString(), store, flows);
        QVERIFY2(r, r ? "" : r.error().message.c_str());
        const QStringList ours = QString::fromStdString(cli::analysisFieldLines(store)).split('\n', Qt::SkipEmptyParts);
        QCOMPARE(ours.size(), expected.size());
        int labelled = 0;
        for (int i = 0; i < ours.size(); ++i) {
            if (!expected[i].endsWith('\t')) ++labelled;
            if (ours[i] == expected[i] || kKnownDifferences.contains(file + "#" + QString::number(i + 1))) continue;
            QFAIL(qPrintable(QString("%1 frame %2: Wireshark says [%3], we say [%4]")
                                 .arg(file).arg(i + 1).arg(expected[i].section('\t', 1)).arg(ours[i].section('\t', 1))));
        }
        // Every scenario exists to make Wireshark say something.
        QVERIFY2(labelled > 0, "a reference capture without any label tests nothing");
    }

    void aCaptureCutAfterTheHeadersReadsLikeTheWholeOne_data()
    {
        QTest::addColumn<QString>("file");
        for (const QString &f : QDir(dir_.path()).entryList({"snap_*.pcap"}, QDir::Files, QDir::Name))
            QTest::newRow(qPrintable(f)) << f.mid(5);
    }
    void aCaptureCutAfterTheHeadersReadsLikeTheWholeOne()
    {
        // tcpdump -s 96 keeps the headers of every packet and little of its payload: the sessions,
        // their frames, lengths, sequence numbers and labels are those of the whole capture.
        QFETCH(QString, file);
        const auto flows = [&](const QString &name) {
            PacketStore store;
            FlowTracker tracker;
            auto r = importCapture(dir_.filePath(name).toStdString(), store, tracker);
            if (!r) return QString::fromStdString("cannot import: " + r.error().message);
            return QString::fromStdString(renderAllFlows(store, tracker));
        };
        const QString whole = flows(file), cut = flows("snap_" + file);
        QVERIFY(whole.contains("Session 1"));
        QCOMPARE(cut, whole);
    }

    void eachLabelKindIsCovered()
    {
        // The scenarios together must exercise every label we claim to compute like Wireshark.
        QSet<QString> seen;
        for (const QString &f : QDir(dir_.path()).entryList({"*.pcap"}, QDir::Files))
            for (const QString &line : wireshark(f))
                for (const QString &field : line.section('\t', 1).split(',', Qt::SkipEmptyParts)) seen << field;
        for (const QString &f : kFields) QVERIFY2(seen.contains(f), qPrintable("no reference capture has " + f));
    }
};

// Skipped (exit 77, which ctest reports as skipped) when the tools the comparison needs are missing.
int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    if (QStandardPaths::findExecutable("tshark").isEmpty()) {
        std::puts("SKIP: tshark is not installed (installer/dev installs it)");
        return 77;
    }
    QProcess py;
    py.start("/usr/bin/python3", {"-c", "import scapy.all"});
    py.waitForFinished(60000);
    if (py.exitStatus() != QProcess::NormalExit || py.exitCode() != 0) {
        std::puts("SKIP: /usr/bin/python3 cannot import scapy (installer/dev installs python3-scapy)");
        return 77;
    }
    TestCaptureAnalysis test;
    return QTest::qExec(&test, argc, argv);
}
#include "test_capture_analysis.moc"

// The GUI's models under QAbstractItemModelTester, fed by a scripted demo session, and the rows
// that session must produce.
#include <QAbstractItemModelTester>
#include <QTest>
#include <qcustomplot.h>

#include "models/field_tree_model.h"
#include "models/log_model.h"
#include "models/session_list_model.h"
#include "plots/tcp_plots.h"
#include "services/engine_bridge.h"
#include "services/engine_lab.h"
#include "services/scripted_lab.h"
#include "services/segment_summary.h"
#include "views/sequence_labels.h"

using namespace tcplab;
using namespace tcplab::gui;

namespace {

std::unique_ptr<EngineBridge> bridgeFor(const char *scenario)
{
    auto lab = std::make_unique<ScriptedLab>();
    std::string error;
    if (!lab->loadScenario(scenario, &error)) qFatal("%s", error.c_str());
    return std::make_unique<EngineBridge>(std::move(lab));
}

std::vector<std::uint8_t> flagsOf(const EngineBridge &b, const SessionData &s)
{
    std::vector<std::uint8_t> out;
    for (const auto &a : s.arrows) out.push_back(summarizeFrame(b.packets().packet(a.sent).bytes).flags);
    return out;
}

}  // namespace

class TestGuiModels : public QObject {
    Q_OBJECT
private slots:
    void aFrameCutByTheCaptureKeepsItsLengthFromTheHeaders()
    {
        // An imported `tcpdump -s` capture: the diagram shows the segment's length from its IP
        // header, not the bytes the capture kept; a cut inside the TCP header is not a segment.
        SegmentSpec spec;
        spec.src = Ip4Addr{0xc6120001};
        spec.dst = Ip4Addr{0xc6120002};
        spec.srcPort = 40000;
        spec.dstPort = 80;
        spec.flags = kAck;
        spec.timestamps = true; // a 32-byte TCP header: 14 + 20 + 32 = 66 bytes of headers
        spec.payloadLength = 1000;
        const Bytes frame = buildSegmentFrame(spec);
        QCOMPARE(summarizeFrame(frame).payloadLength, 1000u);
        const ByteView cut = ByteView(frame).first(96);
        QVERIFY(summarizeFrame(cut, frame.size()).isTcp);
        QCOMPARE(summarizeFrame(cut, frame.size()).payloadLength, 1000u);
        QCOMPARE(summarizeFrame(cut, frame.size()).tsVal, spec.tsVal);
        QVERIFY(!summarizeFrame(ByteView(frame).first(60), frame.size()).isTcp);
    }
    void handshakeDataCloseRows()
    {
        auto bridge = bridgeFor("handshake-data-close");
        SessionListModel model(bridge->sessions());
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        connect(bridge.get(), &EngineBridge::batchIngested, &model, &SessionListModel::onBatch);
        bridge->lab().start();
        // Several batches, as the timer would deliver them.
        for (int i = 0; i < 50; ++i) bridge->runFor(std::chrono::milliseconds(5));
        bridge->runFor(std::chrono::seconds(5));
        QCOMPARE(model.rowCount(), 1);
        QCOMPARE(model.index(0, SessionListModel::Client).data().toString(), QStringLiteral("198.18.0.1:40000"));
        QCOMPARE(model.index(0, SessionListModel::Server).data().toString(), QStringLiteral("198.18.0.2:80"));
        QCOMPARE(model.index(0, SessionListModel::ClientState).data().toString(), QStringLiteral("TIME-WAIT"));
        QCOMPARE(model.index(0, SessionListModel::ServerState).data().toString(), QStringLiteral("CLOSED"));
        QCOMPARE(model.index(0, SessionListModel::RuleHits).data().toULongLong(), 2ull);

        const SessionData &s = bridge->sessions().sessions()[0];
        const auto flags = flagsOf(*bridge, s);
        QVERIFY(flags.size() >= 8);
        QCOMPARE(flags[0], std::uint8_t(kSyn));
        QCOMPARE(flags[1], std::uint8_t(kSyn | kAck));
        QCOMPARE(flags[2], std::uint8_t(kAck));
        QCOMPARE(flags.back(), std::uint8_t(kAck));
        QCOMPARE(flags[flags.size() - 2], std::uint8_t(kFin | kAck));
        QCOMPARE(s.retransmits.size(), std::size_t(1));
        // The third data segment was lost: its arrow never arrives and the retransmission says so.
        const auto lost = describeArrow(bridge->packets(), s, 5);
        QVERIFY(lost.lost);
        QCOMPARE(lost.arrivedNs, std::int64_t(-1));
        const auto rexmit = describeArrow(bridge->packets(), s, s.retransmits[0]);
        QCOMPARE(rexmit.analysis, QStringLiteral("TCP Fast Retransmission"));
        QCOMPARE(rexmit.colors.background, QColor(0x12, 0x27, 0x2e));  // Wireshark's "Bad TCP"
        // Relative numbers, as Wireshark shows them.
        QVERIFY(describeArrow(bridge->packets(), s, 1).label.startsWith(QStringLiteral("SYN, ACK  Seq=0 Ack=1 Win=65160 Len=0")));
        QCOMPARE(describeArrow(bridge->packets(), s, 0).options, QStringLiteral("mss 1460, ws 7, sackOK, ts"));
        // States along both lifelines, in order.
        QStringList client, server;
        for (const auto &m : s.states) (m.left ? client : server) << QString::fromStdString(m.name);
        QCOMPARE(client, (QStringList{"SYN-SENT", "ESTABLISHED", "FIN-WAIT-1", "FIN-WAIT-2", "TIME-WAIT"}));
        QCOMPARE(server, (QStringList{"SYN-RECEIVED", "ESTABLISHED", "CLOSE-WAIT", "LAST-ACK", "CLOSED"}));
        QVERIFY(!s.series.cwnd.empty());
        QVERIFY(!s.series.srtt.empty());
    }

    void synAnsweredByAckRows()
    {
        auto bridge = bridgeFor("syn-answered-by-ack");
        bridge->lab().start();
        bridge->runFor(std::chrono::seconds(4));
        QCOMPARE(bridge->sessions().sessions().size(), std::size_t(1));
        const SessionData &s = bridge->sessions().sessions()[0];
        const auto flags = flagsOf(*bridge, s);
        const std::vector<std::uint8_t> expected{kSyn, kAck, kRst, kSyn, kAck, kRst, kSyn, kAck, kRst};
        QCOMPARE(flags, expected);
        const auto syn = describeArrow(bridge->packets(), s, 0);
        QVERIFY(syn.consumed);  // the rule took the SYN: the server's stack never saw it
        QVERIFY(syn.rules.contains(QStringLiteral("answer-syn-with-ack")));
        const auto ack = describeArrow(bridge->packets(), s, 1);
        QVERIFY(ack.crafted);
        QCOMPARE(s.resets, (std::vector<std::uint32_t>{2, 5, 8}));
        QCOMPARE(s.retransmits, (std::vector<std::uint32_t>{3, 6}));
        QCOMPARE(s.ruleHits.front(), 0u);
    }

    // The real engine (ScenarioRun on the VirtualWire, Recorder, FlowTracker) behind the same models.
    void engineLabPlaysSynAnsweredByAck()
    {
        auto lab = std::make_unique<EngineLab>();
        std::string error;
        QVERIFY2(lab->loadScenario("syn-answered-by-ack", &error), error.c_str());
        EngineBridge bridge(std::move(lab));
        SessionListModel model(bridge.sessions());
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        connect(&bridge, &EngineBridge::batchIngested, &model, &SessionListModel::onBatch);
        bridge.lab().start();
        for (int i = 0; i < 40; ++i) bridge.runFor(std::chrono::milliseconds(100));
        QCOMPARE(model.rowCount(), 1);
        QVERIFY(model.index(0, SessionListModel::Server).data().toString().endsWith(QStringLiteral(":8000")));
        QCOMPARE(model.index(0, SessionListModel::ClientState).data().toString(), QStringLiteral("SYN-SENT"));
        const SessionData &s = bridge.sessions().sessions()[0];
        const auto flags = flagsOf(bridge, s);
        // SYN, the rule's bare ACK, the client's RST; again on each SYN retransmission (RTO 1 s, 2 s).
        const std::vector<std::uint8_t> expected{kSyn, kAck, kRst, kSyn, kAck, kRst, kSyn, kAck, kRst};
        QCOMPARE(flags, expected);
        const auto syn = describeArrow(bridge.packets(), s, 0);
        QVERIFY(syn.consumed || syn.dropped);  // the server's state machine never saw it
        QVERIFY(syn.rules.contains(QStringLiteral("syn-gets-bare-ack")));
        QVERIFY(describeArrow(bridge.packets(), s, 1).crafted);
        QVERIFY(describeArrow(bridge.packets(), s, 2).dropped);  // drop-unmatched at the server
        QCOMPARE(s.resets, (std::vector<std::uint32_t>{2, 5, 8}));
        QCOMPARE(describeArrow(bridge.packets(), s, 3).analysis, QStringLiteral("TCP Retransmission"));
    }

    // The RTT plot of a real engine transfer: the engine's RttSample events reach the plot.
    void rttPlotHasPointsAfterAnEngineTransfer()
    {
        auto lab = std::make_unique<EngineLab>();
        std::string error;
        QVERIFY2(lab->loadScenario("loss-and-retransmission", &error), error.c_str());
        EngineBridge bridge(std::move(lab));
        bridge.lab().start();
        for (int i = 0; i < 30; ++i) bridge.runFor(std::chrono::milliseconds(100));
        QVERIFY(!bridge.sessions().sessions().empty());
        const SessionData &s = bridge.sessions().sessions()[0];
        // As the main window does once the lab runs: the store of this run, then the session.
        TcpPlots plots;
        plots.setSource(&bridge.packets(), &bridge.sessions());
        plots.setSession(s.id);
        QVERIFY(s.series.rtt.size() > 10);
        QCOMPARE(s.series.srtt.size(), s.series.rtt.size());
        QVERIFY(s.series.rto.size() >= s.series.rtt.size());
        // 10 ms each way on the wire: every sample is at least the 20 ms round trip.
        for (const auto &p : s.series.rtt)
            QVERIFY2(p.v >= 20 && p.v < 1000, QByteArray::number(p.v));
        // The 200 ms floor on RTO (RFC 6298 (2.4) allows a lower one; Linux and we use 200 ms).
        for (const auto &p : s.series.rto)
            QVERIFY(p.v >= 200);
        QCustomPlot *rtt = plots.rttPlot();
        QCOMPARE(rtt->graph(0)->name(), QStringLiteral("RTT samples"));
        QCOMPARE(rtt->graph(0)->dataCount(), int(s.series.rtt.size()));
        QCOMPARE(rtt->graph(1)->dataCount(), int(s.series.srtt.size()));
        QCOMPARE(rtt->graph(2)->dataCount(), int(s.series.rto.size()));
    }

    // Tap mode: the peer is outside the lab, its frames are only seen arriving; its states are
    // inferred from what it sent and marked so.
    void remoteStatesAreInferred()
    {
        PacketStore store;
        SegmentSpec syn, synAck;
        syn.src = synAck.dst = Ip4Addr{0xc6120065u};  // the kernel's end
        syn.dst = synAck.src = Ip4Addr{0xc6120064u};  // the lab's end
        syn.srcPort = synAck.dstPort = 51000;
        syn.dstPort = synAck.srcPort = 80;
        syn.flags = kSyn;
        synAck.flags = kSyn | kAck;
        FrameInfo in{instantFromNanos(1000), 0, 0, Direction::Inbound, FrameFate::Delivered, 7, Event::kNoPacket};
        store.append(in, buildSegmentFrame(syn));
        FrameInfo out{instantFromNanos(2000), 0, 0, Direction::Outbound, FrameFate::Delivered, 7, Event::kNoPacket};
        store.append(out, buildSegmentFrame(synAck));
        Event listen;
        listen.time = instantFromNanos(1500);
        listen.kind = EventKind::StateChange;
        listen.host = 0;
        listen.session = 7;
        listen.name = "SYN-RECEIVED";
        SessionIndex index;
        index.ingest(store, {listen});
        const SessionData *s = index.find(7);
        QVERIFY(s);
        QCOMPARE(s->arrows.size(), std::size_t(2));
        QCOMPARE(s->left.toString(), std::string("198.18.0.101:51000"));  // the initiator is on the left
        QCOMPARE(s->leftState, std::string("SYN-SENT"));
        QVERIFY(s->leftInferred && !s->rightInferred);
        QCOMPARE(s->rightState, std::string("SYN-RECEIVED"));
        QCOMPARE(s->states.size(), std::size_t(2));
        QVERIFY(s->states[0].inferred && s->states[0].left);
        QVERIFY(!s->states[1].inferred && !s->states[1].left);
        const auto a = describeArrow(store, *s, 0);
        QVERIFY(a.seenOnlyOnArrival);
        QVERIFY(a.fromLeft);
    }

    void sessionFilterModel()
    {
        auto bridge = bridgeFor("handshake-data-close");
        SessionListModel model(bridge->sessions());
        SessionFilterModel filter;
        filter.setSourceModel(&model);
        QAbstractItemModelTester tester(&filter, QAbstractItemModelTester::FailureReportingMode::QtTest);
        connect(bridge.get(), &EngineBridge::batchIngested, &model, &SessionListModel::onBatch);
        bridge->lab().start();
        bridge->runFor(std::chrono::seconds(1));
        QCOMPARE(filter.rowCount(), 1);
        filter.setFilterRegularExpression(QRegularExpression(QStringLiteral("198.18.0.2:80")));
        QCOMPARE(filter.rowCount(), 1);
        filter.setFilterRegularExpression(QRegularExpression(QStringLiteral("192.0.2.99")));
        QCOMPARE(filter.rowCount(), 0);
        filter.setFilterRegularExpression(QRegularExpression());
        filter.sort(SessionListModel::Packets, Qt::DescendingOrder);
        QCOMPARE(filter.rowCount(), 1);
        model.reset();
    }

    void logModelKeepsItsCapacity()
    {
        LogModel model(5);
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        std::vector<LogLine> lines;
        for (int i = 0; i < 3; ++i) lines.push_back({1000 * i, 2, "tcp", "line " + std::to_string(i)});
        model.appendLines(lines);
        QCOMPARE(model.rowCount(), 3);
        Event e;
        e.kind = EventKind::StateChange;
        e.session = 4;
        e.detail = "SYN-SENT → ESTABLISHED";
        model.appendEvents({e, e, e});
        QCOMPARE(model.rowCount(), 5);  // the oldest went
        QCOMPARE(model.index(0, LogModel::Message).data().toString(), QStringLiteral("line 1"));
        QVERIFY(model.index(4, LogModel::Message).data().toString().contains(QStringLiteral("ESTABLISHED")));
        lines.assign(12, {0, 4, "gui", "many"});
        model.appendLines(lines);
        QCOMPARE(model.rowCount(), 5);
        model.clear();
        QCOMPARE(model.rowCount(), 0);
    }

    void fieldTreeModelShowsRuleChanges()
    {
        FieldTreeModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        SegmentSpec spec;
        spec.src = Ip4Addr{0xc6120001u};
        spec.dst = Ip4Addr{0xc6120002u};
        spec.srcPort = 40000;
        spec.dstPort = 80;
        spec.flags = kSyn;
        spec.window = 64;
        spec.mss = 1460;
        const Bytes frame = buildSegmentFrame(spec);
        model.setFrame(frame, {{"tcp.window_size_value", "509→64"}});
        QVERIFY(model.rowCount() >= 3);  // eth, ip, tcp
        const QModelIndex port = model.findField(QStringLiteral("tcp.srcport"));
        QVERIFY(port.isValid());
        QVERIFY(port.parent().isValid());
        QCOMPARE(port.data(FieldTreeModel::OffsetRole).toULongLong(), 34ull);  // 14 + 20
        QCOMPARE(port.data(FieldTreeModel::LengthRole).toULongLong(), 2ull);
        const QModelIndex win = model.findField(QStringLiteral("tcp.window_size_value"));
        QVERIFY(win.isValid());
        QCOMPARE(win.data(FieldTreeModel::RuleChangeRole).toString(), QStringLiteral("509→64"));
        QVERIFY(win.data().toString().contains(QStringLiteral("509→64")));
        model.setFrame(ByteView{}, {});
        model.clear();
        QCOMPARE(model.rowCount(), 0);
    }
};

QTEST_MAIN(TestGuiModels)
#include "test_gui_models.moc"

// The rule editor: its model under QAbstractItemModelTester, rule text round trips through the
// scenario saver, invalid text refused with line and column, undo/redo, live apply to the lab.
#include <QAbstractItemModelTester>
#include <QLabel>
#include <QPlainTextEdit>
#include <QRegularExpression>
#include <QTest>
#include <QUndoStack>

#include "models/rule_list_model.h"
#include "services/engine_lab.h"
#include "services/rule_from_packet.h"
#include "services/segment_summary.h"
#include "views/explanation_panel.h"
#include "views/rule_editor.h"

using namespace tcplab;
using namespace tcplab::gui;

class TestRuleEditor : public QObject {
    Q_OBJECT
private slots:
    void modelUnderTester()
    {
        RuleListModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        auto scenario = loadScenarioByNameOrFile("syn-answered-by-ack");
        QVERIFY(scenario);
        std::uint64_t hits = 0;
        model.setHitSource([&](const std::string &, const std::string &) { return hits; });
        model.setRules(scenario.value().rules);
        QCOMPARE(model.rowCount(), 2);
        QCOMPARE(model.index(0, RuleListModel::Name).data().toString(), QStringLiteral("syn-gets-bare-ack"));
        QCOMPARE(model.index(0, RuleListModel::Enabled).data(Qt::CheckStateRole).toInt(), int(Qt::Checked));
        QVERIFY(model.index(0, RuleListModel::Summary).data().toString().contains(QStringLiteral("reply")));
        hits = 5;
        model.refreshHits();
        QCOMPARE(model.index(1, RuleListModel::Hits).data().toULongLong(), 5ull);
        model.setRules({});
        QCOMPARE(model.rowCount(), 0);
    }

    // Every rule of the library reads back from its editor text as the same rule.
    void textRoundTrip_data()
    {
        QTest::addColumn<int>("scenario");
        QTest::addColumn<int>("rule");
        int si = 0;
        for (const auto &b : builtinScenarios()) {
            auto s = loadScenario(b.text, b.name);
            if (s) {
                for (std::size_t ri = 0; ri < s.value().rules.size(); ++ri)
                    QTest::addRow("%s/%s", std::string(b.name).c_str(), s.value().rules[ri].rule.name.c_str()) << si << int(ri);
            }
            ++si;
        }
    }
    void textRoundTrip()
    {
        QFETCH(int, scenario);
        QFETCH(int, rule);
        const auto &b = builtinScenarios()[std::size_t(scenario)];
        const ScenarioRule r = loadScenario(b.text, b.name).value().rules[std::size_t(rule)];
        const std::string text = ruleToml(r);
        auto back = ruleFromToml(text);
        QVERIFY2(back, back ? "" : (text + "\n" + back.error().message).c_str());
        QVERIFY2(back.value() == r, text.c_str());
    }

    void invalidExpressionRefusedWithColumn()
    {
        EngineLab lab;
        RuleEditor editor(&lab);
        QCOMPARE(editor.model()->rowCount(), 2);
        const auto before = editor.model()->rules();
        editor.selectRow(0);
        QString text = editor.textEdit()->toPlainText();
        QVERIFY(text.contains(QStringLiteral("seg.seq + 1")));
        text.replace(QStringLiteral("seg.seq + 1"), QStringLiteral("seg.seq + * 1"));
        editor.textEdit()->setPlainText(text);
        // Shown as you type, before any apply.
        QVERIFY2(QRegularExpression(QStringLiteral("rule:\\d+:\\d+: ")).match(editor.errorLabel()->text()).hasMatch(),
                 qPrintable(editor.errorLabel()->text()));
        QVERIFY(!editor.applyText());
        QVERIFY2(editor.lastError().contains(QStringLiteral("column")) || editor.lastError().contains(QStringLiteral(":")),
                 qPrintable(editor.lastError()));
        QVERIFY(editor.model()->rules() == before);
        QVERIFY(lab.rules() == before);
    }

    void editorBuildsTheRuleOfTheText()
    {
        EngineLab lab;
        RuleEditor editor(&lab);
        editor.selectRow(1);
        const std::string text = "name = \"drop-third-data\"\nhost = \"client\"\nhook = \"egress\"\n[match]\n"
                                 "flags = \"ACK && !SYN\"\nstate = [\"ESTABLISHED\"]\nremote_port = 8000\n"
                                 "[[actions]]\ndo = \"delay\"\nby = \"200ms\"\n";
        editor.textEdit()->setPlainText(QString::fromStdString(text));
        QVERIFY2(editor.applyText(), qPrintable(editor.lastError()));
        QVERIFY(editor.model()->rules()[1] == ruleFromToml(text).value());
        QVERIFY(lab.rules()[1] == ruleFromToml(text).value());
    }

    void undoRedoRoundTrip()
    {
        EngineLab lab;
        lab.start();
        lab.runFor(std::chrono::seconds(1));
        RuleEditor editor(&lab);
        const auto original = editor.model()->rules();
        ScenarioRule extra;
        extra.host = "server";
        extra.rule.name = "extra";
        extra.rule.actions.push_back(DropAction{});
        QVERIFY(editor.addRule(extra));
        QCOMPARE(editor.model()->rowCount(), 3);
        auto moved = editor.model()->rules();
        std::swap(moved[0], moved[2]);
        QVERIFY(editor.changeRules(moved, QStringLiteral("move")));
        QVERIFY(lab.rules() == moved);
        editor.undoStack()->undo();
        editor.undoStack()->undo();
        QVERIFY(editor.model()->rules() == original);
        QVERIFY(lab.rules() == original);
        editor.undoStack()->redo();
        editor.undoStack()->redo();
        QVERIFY(editor.model()->rules() == moved);
        QVERIFY(lab.rules() == moved);
        // A rule for a host the scenario does not have is refused, and nothing changes.
        auto bad = moved;
        bad[0].host = "nobody";
        QVERIFY(!editor.changeRules(bad, QStringLiteral("bad")));
        QVERIFY(editor.lastError().contains(QStringLiteral("nobody")));
        QVERIFY(lab.rules() == moved);
    }

    // The rule made from a packet matches it, and of the packets through the same hook of the same
    // host only those with the same flags and ports.
    void ruleFromPacketMatchesThatPacket()
    {
        EngineLab lab;
        std::string error;
        QVERIFY(lab.loadScenario("handshake", &error));
        lab.start();
        lab.runFor(std::chrono::seconds(3));
        const PacketStore &store = lab.packets();
        std::uint64_t syn = store.size();
        for (std::uint64_t i = 0; i < store.size() && syn == store.size(); ++i) {
            const auto p = store.packet(i);
            if (p.direction == Direction::Inbound && summarizeFrame(p.bytes).flags == kSyn) syn = i;
        }
        QVERIFY(syn < store.size());
        auto rule = ruleFromPacket(store, syn, PacketRuleKind::Drop, lab.scenarioHosts());
        QVERIFY(rule);
        QCOMPARE(rule->host, std::string("server"));
        QVERIFY(rule->rule.hook == HookPoint::Ingress);
        int matched = 0;
        for (std::uint64_t i = 0; i < store.size(); ++i) {
            const auto p = store.packet(i);
            const auto s = summarizeFrame(p.bytes);
            if (p.host != store.packet(syn).host || p.direction != Direction::Inbound || !s.isTcp) continue;
            const Match &m = rule->rule.match;
            const bool hit = (s.flags & m.flagsSet) == m.flagsSet && (s.flags & m.flagsClear) == 0 &&
                             m.localPort->contains(s.dstPort) && m.remotePort->contains(s.srcPort);
            QCOMPARE(hit, s.flags == kSyn);
            matched += hit;
        }
        QVERIFY(matched >= 1);
        // The classroom explanation of that SYN.
        const QStringList why = ExplanationPanel::explainPacket(store, syn);
        QVERIFY(!why.isEmpty());
        QVERIFY2(why.front().startsWith(QStringLiteral("SYN:")), qPrintable(why.join('|')));
        // The bare-ACK reply only on a SYN, and it is the library's syn-answered-by-ack rule.
        auto bare = ruleFromPacket(store, syn, PacketRuleKind::BareAckReply, lab.scenarioHosts());
        QVERIFY(bare);
        QVERIFY(std::holds_alternative<ReplyAction>(bare->rule.actions.at(0)));
        QCOMPARE(std::get<ReplyAction>(bare->rule.actions[0]).flags, std::uint8_t(kAck));
        for (std::uint64_t i = 0; i < store.size(); ++i) {
            if ((summarizeFrame(store.packet(i).bytes).flags & (kSyn | kAck)) != kSyn)
                QVERIFY(!ruleFromPacket(store, i, PacketRuleKind::BareAckReply, lab.scenarioHosts()));
        }
        // It applies to the running lab through the editor.
        RuleEditor editor(&lab);
        QVERIFY2(editor.addRule(*bare), qPrintable(editor.lastError()));
        QCOMPARE(lab.rules().back().rule.name, std::string("syn-gets-bare-ack"));
    }
};

QTEST_MAIN(TestRuleEditor)
#include "test_rule_editor.moc"

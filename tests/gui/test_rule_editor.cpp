// The rule editor: its model under QAbstractItemModelTester, rule text round trips through the
// scenario saver, invalid text refused with line and column, undo/redo, live apply to the lab; the
// action form builds exactly the rule of the scenario text for every action kind, refuses bad input
// with the reason, drag reorder through the model's mime data, open/save with the modified marker
// and the prompt, and the library browser.
#include <QAbstractItemModelTester>
#include <QApplication>
#include <QCheckBox>
#include <QComboBox>
#include <QDropEvent>
#include <QFile>
#include <QFileInfo>
#include <QImage>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QMimeData>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QRegularExpression>
#include <QSet>
#include <QSpinBox>
#include <QStatusBar>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>
#include <QUndoStack>

#include "app/main_window.h"
#include "app/scenario_actions.h"
#include "models/rule_list_model.h"
#include "services/engine_bridge.h"
#include "services/engine_lab.h"
#include "services/lab_switch.h"
#include "services/rule_from_packet.h"
#include "services/segment_summary.h"
#include "views/action_list_editor.h"
#include "views/explanation_panel.h"
#include "views/library_browser.h"
#include "views/rule_editor.h"

using namespace tcplab;
using namespace tcplab::gui;

namespace {

// Sets a form widget found by object name the way a user would, with the signals a user's edit
// gives: "text" for line edits, "#2" or "text" for combo boxes, a number for spin boxes, and
// set/clear/any or on/off for check boxes. False when the widget does not exist.
bool setField(QWidget *root, const QString &name, const QString &value)
{
    QWidget *w = root->findChild<QWidget *>(name);
    if (!w) return false;
    if (auto *e = qobject_cast<QLineEdit *>(w)) {
        e->setText(value);
        emit e->textEdited(value);
        emit e->editingFinished();
    } else if (auto *c = qobject_cast<QComboBox *>(w)) {
        const int i = value.startsWith(QLatin1Char('#')) ? value.mid(1).toInt() : c->findText(value);
        if (i >= 0) {
            c->setCurrentIndex(i);
        } else {
            if (!c->isEditable()) return false;
            c->setEditText(value);
            emit c->lineEdit()->textEdited(value);
            emit c->lineEdit()->editingFinished();
        }
    } else if (auto *sp = qobject_cast<QSpinBox *>(w)) {
        sp->setValue(value.toInt());
    } else if (auto *b = qobject_cast<QCheckBox *>(w)) {
        if (b->isTristate())
            b->setCheckState(value == QLatin1String("set")     ? Qt::Checked
                             : value == QLatin1String("clear") ? Qt::Unchecked
                                                               : Qt::PartiallyChecked);
        else
            b->setChecked(value == QLatin1String("on"));
    } else {
        return false;
    }
    return true;
}

// The rule with its actions replaced by the [[actions]] tables in `actionsToml`, through the parser.
ScenarioRule withActions(const ScenarioRule &rule, const std::string &actionsToml)
{
    std::string text = ruleToml(rule);
    text.erase(text.find("[[actions]]"));
    auto parsed = ruleFromToml(text + actionsToml);
    if (!parsed) qFatal("%s", (text + actionsToml + "\n" + parsed.error().message).c_str());
    return parsed.value();
}

std::size_t kindIndex(const char *word)
{
    const auto names = ActionListEditor::kindNames();
    for (std::size_t i = 0; i < names.size(); ++i)
        if (names[i] == QLatin1String(word)) return i;
    qFatal("no action kind %s", word);
}

// A rule that drops, for the reorder tests (the editor starts with two rules).
ScenarioRule dropRuleNamed(const char *name)
{
    ScenarioRule r;
    r.host = "server";
    r.rule.name = name;
    r.rule.actions.push_back(DropAction{});
    return r;
}

QStringList ruleNames(const RuleListModel &model)
{
    QStringList n;
    for (const auto &r : model.rules())
        n << QString::fromStdString(r.rule.name);
    return n;
}

} // namespace

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
                    QTest::addRow("%s/%s", std::string(b.name).c_str(), s.value().rules[ri].rule.name.c_str())
                        << si << int(ri);
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
        QVERIFY2(QRegularExpression(QStringLiteral("rule:\\d+:\\d+: "))
                     .match(editor.errorLabel()->text())
                     .hasMatch(),
                 qPrintable(editor.errorLabel()->text()));
        QVERIFY(!editor.applyText());
        QVERIFY2(editor.lastError().contains(QStringLiteral("column")) ||
                     editor.lastError().contains(QStringLiteral(":")),
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
        QVERIFY(editor.addRule(dropRuleNamed("extra")));
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
    // The action form builds exactly the rule the scenario text gives, for every kind of action
    // (compared as values and as the engine's TOML text).
    void actionFormBuildsTheRuleOfTheText_data()
    {
        QTest::addColumn<QString>("kind");
        QTest::addColumn<QStringList>("edits");
        QTest::addColumn<QString>("toml");
        QTest::newRow("drop") << "drop" << QStringList{} << "do = \"drop\"\n";
        QTest::newRow("delay") << "delay" << QStringList{"delayBy=250ms"}
                               << "do = \"delay\"\nby = \"250ms\"\n";
        QTest::newRow("duplicate") << "duplicate" << QStringList{"duplicateCount=3"}
                                   << "do = \"duplicate\"\ncount = 3\n";
        QTest::newRow("hold (reorder)") << "hold" << QStringList{"holdSegments=2", "holdTimeout=500ms"}
                                        << "do = \"hold\"\nsegments = 2\ntimeout = \"500ms\"\n";
        QTest::newRow("set a field")
            << "set" << QStringList{"setField=tcp.window_size_value", "setValue=seg.win / 2"}
            << "do = \"set\"\nfield = \"tcp.window_size_value\"\nvalue = \"seg.win / 2\"\n";
        QTest::newRow("set by alias") << "set" << QStringList{"setField=ip.ttl", "setValue=1"}
                                      << "do = \"set\"\nfield = \"ip.ttl\"\nvalue = \"1\"\n";
        QTest::newRow("flags") << "flags"
                               << QStringList{"actionFlagPSH=set", "actionFlagURG=clear", "actionFlagECE=set"}
                               << "do = \"flags\"\nset = \"PSH|ECE\"\nclear = \"URG\"\n";
        QTest::newRow("options")
            << "options"
            << QStringList{"remove_timestamps=on", "remove_sack=on", "optionsMss=536", "optionsWscale=0",
                           "optionsSackPermitted=#2"}
            << "do = \"options\"\nremove = [\"sack\", \"timestamps\"]\nmss = 536\nwscale = 0\n"
               "sack_permitted = false\n";
        QTest::newRow("options: remove all")
            << "options" << QStringList{"removeAll=on"} << "do = \"options\"\nremove = [\"all\"]\n";
        QTest::newRow("payload replace") << "payload" << QStringList{"payloadMode=#0", "payloadData=HELLO"}
                                         << "do = \"payload\"\nreplace = \"HELLO\"\n";
        QTest::newRow("payload append hex")
            << "payload" << QStringList{"payloadMode=#2", "payloadHex=on", "payloadData=de ad be ef"}
            << "do = \"payload\"\nappend_hex = \"de ad be ef\"\n";
        QTest::newRow("payload truncate") << "payload" << QStringList{"payloadMode=#1", "payloadKeep=10"}
                                          << "do = \"payload\"\ntruncate = 10\n";
        QTest::newRow("corrupt checksum")
            << "corrupt_checksum" << QStringList{} << "do = \"corrupt_checksum\"\n";
        QTest::newRow("reply RST") << "reply"
                                   << QStringList{"replyFlags=RST|ACK", "replySeq=0",
                                                  "replyAck=seg.seq + seg.len", "replyWindow=0"}
                                   << "do = \"reply\"\nflags = \"RST|ACK\"\nseq = \"0\"\nack = \"seg.seq + "
                                      "seg.len\"\nwindow = \"0\"\n";
        QTest::newRow("reply SYN-ACK with options and payload")
            << "reply" << QStringList{"replyFlags=SYN, ACK", "replySeq=rand(1, 9)", "replyAck=seg.seq + 1",
                                      "replyWindow=1024",    "replyMss=1460",       "replySackPermitted=#1",
                                      "replyTimestamps=5 7", "replyPayload=hi"}
            << "do = \"reply\"\nflags = \"SYN|ACK\"\nseq = \"rand(1, 9)\"\nack = \"seg.seq + 1\"\nwindow = "
               "\"1024\"\n"
               "options = { mss = 1460, sack_permitted = true, timestamps = [5, 7] }\npayload = \"hi\"\n";
        QTest::newRow("inject RST") << "inject" << QStringList{}
                                    << "do = \"inject\"\nflags = \"RST\"\ntoward = \"sender\"\n";
        QTest::newRow("inject FIN")
            << "inject" << QStringList{"injectFlags=#1", "injectToward=#1", "injectSeq=seg.seq"}
            << "do = \"inject\"\nflags = \"FIN\"\ntoward = \"receiver\"\nseq = \"seg.seq\"\n";
    }
    void actionFormBuildsTheRuleOfTheText()
    {
        QFETCH(QString, kind);
        QFETCH(QStringList, edits);
        QFETCH(QString, toml);
        EngineLab lab;
        RuleEditor editor(&lab);
        editor.selectRow(1);
        const ScenarioRule original = editor.model()->rules()[1];
        ActionListEditor *actions = editor.actionEditor();
        const std::size_t before = actions->actions().size();
        actions->addAction(kindIndex(kind.toLatin1().constData()));
        QCOMPARE(actions->currentAction(), int(before));
        for (const QString &edit : edits) {
            const QString name = edit.section(QLatin1Char('='), 0, 0),
                          value = edit.section(QLatin1Char('='), 1);
            QVERIFY2(setField(&editor, name, value), qPrintable(name));
            QVERIFY2(actions->error().isEmpty(), qPrintable(name + QStringLiteral(": ") + actions->error()));
        }
        // The rule's other actions go; the edited one stays.
        for (std::size_t i = 0; i < before; ++i) {
            actions->selectAction(0);
            actions->removeAction();
        }
        const ScenarioRule expected = withActions(original, "[[actions]]\n" + toml.toStdString());
        const ScenarioRule &built = editor.model()->rules()[1];
        QCOMPARE(QString::fromStdString(ruleToml(built)), QString::fromStdString(ruleToml(expected)));
        QVERIFY(built == expected);
        QVERIFY(lab.rules()[1] == expected);
        // The text view follows the form.
        QCOMPARE(editor.textEdit()->toPlainText(), QString::fromStdString(ruleToml(expected)));
        // And the form shows what the text holds: reading it back changes nothing.
        editor.selectRow(0);
        editor.selectRow(1);
        QCOMPARE(editor.actionEditor()->actions().size(), std::size_t(1));
        QVERIFY(editor.actionEditor()->actions()[0] == expected.rule.actions[0]);
    }

    // Bad input is refused with the reason (and the column for expressions) as you type; nothing is
    // applied.
    void actionFormRefusesBadInput_data()
    {
        QTest::addColumn<QString>("kind");
        QTest::addColumn<QString>("edit");
        QTest::addColumn<QString>("message");
        QTest::newRow("bad expression") << "set"
                                        << "setValue=seg.seq + * 1"
                                        << "value: column 11: ";
        QTest::newRow("unknown name in expression") << "set"
                                                    << "setValue=seg.sqe"
                                                    << "value: column 1: ";
        QTest::newRow("unknown field") << "set"
                                       << "setField=tcp.nonsense"
                                       << "unknown field 'tcp.nonsense' (known: tcp.srcport";
        QTest::newRow("negative delay") << "delay"
                                        << "delayBy=-5ms"
                                        << "a delay cannot be negative";
        QTest::newRow("not a duration") << "delay"
                                        << "delayBy=soon"
                                        << "\"soon\" is not a duration";
        QTest::newRow("bad reply flags") << "reply"
                                         << "replyFlags=SYN|BOGUS"
                                         << "reply flags: column 5: ";
        QTest::newRow("bad reply seq") << "reply"
                                       << "replySeq=seg.seq +"
                                       << "sequence number: column ";
        QTest::newRow("bad MSS") << "options"
                                 << "optionsMss=70000"
                                 << "MSS must be a number from 0 to 65535";
        QTest::newRow("bad timestamps") << "reply"
                                        << "replyTimestamps=1"
                                        << "timestamps must be two numbers";
        QTest::newRow("bad hex bytes") << "payload"
                                       << "payloadHex=on;payloadData=zz"
                                       << "payload: \"zz\" is not hex bytes";
        QTest::newRow("text is not hex") << "payload"
                                         << "payloadData=zz"
                                         << ""; // text mode: any text
        QTest::newRow("no hex bytes") << "payload"
                                      << "payloadHex=on"
                                      << ""; // empty is empty
    }
    void actionFormRefusesBadInput()
    {
        QFETCH(QString, kind);
        QFETCH(QString, edit);
        QFETCH(QString, message);
        EngineLab lab;
        RuleEditor editor(&lab);
        editor.selectRow(0);
        editor.actionEditor()->addAction(kindIndex(kind.toLatin1().constData()));
        // Every edit but the last is good; the last is the one refused.
        const QStringList edits = edit.split(QLatin1Char(';'));
        for (const QString &one : edits.mid(0, edits.size() - 1))
            QVERIFY(setField(&editor, one.section(QLatin1Char('='), 0, 0), one.section(QLatin1Char('='), 1)));
        const auto before = editor.model()->rules();
        QVERIFY(setField(&editor, edits.back().section(QLatin1Char('='), 0, 0),
                         edits.back().section(QLatin1Char('='), 1)));
        if (message.isEmpty()) {
            QVERIFY2(editor.actionEditor()->error().isEmpty(), qPrintable(editor.actionEditor()->error()));
            return;
        }
        QVERIFY2(editor.actionEditor()->error().contains(message),
                 qPrintable(editor.actionEditor()->error()));
        QVERIFY2(editor.lastError().startsWith(QStringLiteral("Not applied: ")),
                 qPrintable(editor.lastError()));
        QVERIFY(editor.errorLabel()->text().contains(message));
        QVERIFY(editor.model()->rules() == before);
        QVERIFY(lab.rules() == before);
    }

    void matchFormRefusesBadInput()
    {
        EngineLab lab;
        RuleEditor editor(&lab);
        editor.selectRow(0);
        const auto before = editor.model()->rules();
        QVERIFY(setField(&editor, QStringLiteral("ruleName"), QString()));
        QCOMPARE(editor.lastError(), QStringLiteral("Not applied: a rule needs a name"));
        QVERIFY(editor.model()->rules() == before);
        editor.selectRow(0);
        QVERIFY(setField(&editor, QStringLiteral("localPort"), QStringLiteral("80-70000")));
        QVERIFY(editor.lastError().contains(QStringLiteral("not a number or a range")));
        QVERIFY(editor.model()->rules() == before);
        // The last action cannot go: a rule without actions does not load.
        editor.selectRow(1);
        ActionListEditor *actions = editor.actionEditor();
        while (actions->actions().size() > 1)
            actions->removeAction();
        const auto one = editor.model()->rules();
        actions->removeAction();
        QVERIFY(actions->error().contains(QStringLiteral("at least one action")));
        QVERIFY(editor.model()->rules() == one);
    }

    // The payload match in the form: text as typed, or 0x and hex bytes (as the scenario's
    // payload_contains and payload_contains_hex), shown in the list's summary and in the rule's text,
    // applied to the lab; bad hex is refused with the reason; cleared, the rule matches any payload.
    void payloadMatchInTheForm()
    {
        EngineLab lab;
        RuleEditor editor(&lab);
        editor.selectRow(0);
        const Bytes get{'G', 'E', 'T'};
        QVERIFY(setField(&editor, QStringLiteral("payloadContains"), QStringLiteral("GET")));
        QVERIFY2(editor.lastError().isEmpty(), qPrintable(editor.lastError()));
        QVERIFY(editor.model()->rules()[0].rule.match.payloadContains == get);
        QVERIFY(editor.model()->rules()[0].rule.match.payloadContainsText);
        QVERIFY(lab.rules()[0].rule.match.payloadContains == get);
        QVERIFY2(editor.textEdit()->toPlainText().contains(
                     QRegularExpression(QStringLiteral("payload_contains = [\"']GET[\"']"))),
                 qPrintable(editor.textEdit()->toPlainText()));
        const QString summary = editor.model()->index(0, RuleListModel::Summary).data().toString();
        QVERIFY2(summary.contains(QStringLiteral("payload \"GET\"")), qPrintable(summary));
        QVERIFY(setField(&editor, QStringLiteral("payloadContains"), QStringLiteral("0x474554")));
        QVERIFY(editor.model()->rules()[0].rule.match.payloadContains == get);
        QVERIFY(!editor.model()->rules()[0].rule.match.payloadContainsText);
        QVERIFY2(editor.textEdit()->toPlainText().contains(QStringLiteral("payload_contains_hex")),
                 qPrintable(editor.textEdit()->toPlainText()));
        QCOMPARE(editor.findChild<QLineEdit *>(QStringLiteral("payloadContains"))->text(),
                 QStringLiteral("0x474554"));
        const auto before = editor.model()->rules();
        QVERIFY(setField(&editor, QStringLiteral("payloadContains"), QStringLiteral("0x4745G")));
        QVERIFY2(editor.lastError().contains(QStringLiteral("hex")), qPrintable(editor.lastError()));
        QVERIFY(editor.model()->rules() == before);
        editor.selectRow(0);
        QVERIFY(setField(&editor, QStringLiteral("payloadContains"), QString()));
        QVERIFY(editor.model()->rules()[0].rule.match.payloadContains.empty());
        QVERIFY(lab.rules()[0].rule.match.payloadContains.empty());
    }

    // Every kind of change is one undo step, and undoing all of them gives the original back (in the
    // model and in the lab); redoing all gives the edited list back.
    void undoRedoEveryKindOfChange()
    {
        EngineLab lab;
        RuleEditor editor(&lab);
        QAbstractItemModelTester tester(editor.model(),
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        const auto original = editor.model()->rules();
        std::vector<std::vector<ScenarioRule>> states{original};
        auto changed = [&](const char *what) {
            QVERIFY2(editor.model()->rules() != states.back(), what);
            states.push_back(editor.model()->rules());
            QCOMPARE(editor.undoStack()->index(), int(states.size()) - 1);
        };
        editor.selectRow(0);
        QVERIFY(setField(&editor, QStringLiteral("matchFlagPSH"),
                         QStringLiteral("clear"))); // match flag (rule form)
        changed("match flag");
        editor.showPage(1);
        editor.actionEditor()->addAction(kindIndex("delay"));
        changed("add action");
        QVERIFY(setField(&editor, QStringLiteral("delayBy"), QStringLiteral("1s")));
        changed("edit action");
        editor.actionEditor()->moveAction(-1);
        changed("move action");
        editor.actionEditor()->selectAction(1);
        editor.actionEditor()->removeAction();
        changed("remove action");
        QVERIFY(editor.model()->setData(editor.model()->index(1, RuleListModel::Enabled), Qt::Unchecked,
                                        Qt::CheckStateRole));
        changed("disable");
        QVERIFY(editor.moveRule(1, 0));
        changed("drag");
        QVERIFY(setField(&editor, QStringLiteral("ruleName"), QStringLiteral("renamed")));
        changed("rename");
        for (std::size_t i = states.size() - 1; i > 0; --i) {
            editor.undoStack()->undo();
            QVERIFY(editor.model()->rules() == states[i - 1]);
            QVERIFY(lab.rules() == states[i - 1]);
        }
        for (std::size_t i = 1; i < states.size(); ++i) {
            editor.undoStack()->redo();
            QVERIFY(editor.model()->rules() == states[i]);
            QVERIFY(lab.rules() == states[i]);
        }
    }

    // Drag and drop reorders through the model's mime data: between rows, onto a row, to the end.
    void dragReorderThroughMimeData()
    {
        EngineLab lab;
        RuleEditor editor(&lab);
        RuleListModel *model = editor.model();
        QAbstractItemModelTester tester(model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QVERIFY(editor.addRule(dropRuleNamed("third")));
        auto names = [&] { return ruleNames(*model).join(QLatin1Char(',')); };
        const QString start = names();
        const QStringList first = start.split(QLatin1Char(','));
        QCOMPARE(first.size(), 3);
        QVERIFY(model->mimeTypes().contains(QString::fromLatin1(RuleListModel::kRowMimeType)));
        QVERIFY(model->flags(model->index(0, RuleListModel::Name)) & Qt::ItemIsDragEnabled);
        QVERIFY(model->supportedDropActions() & Qt::MoveAction);
        const int undoBefore = editor.undoStack()->index();
        // Row 0 to the end.
        std::unique_ptr<QMimeData> data(
            model->mimeData({model->index(0, 0), model->index(0, RuleListModel::Summary)}));
        QVERIFY(data);
        QVERIFY(model->canDropMimeData(data.get(), Qt::MoveAction, 3, 0, {}));
        QVERIFY(model->dropMimeData(data.get(), Qt::MoveAction, -1, -1, {}));
        QCOMPARE(names(), QStringList({first[1], first[2], first[0]}).join(QLatin1Char(',')));
        QCOMPARE(editor.undoStack()->index(), undoBefore + 1); // one undoable step
        QCOMPARE(lab.rules()[2].rule.name, first[0].toStdString());
        QCOMPARE(editor.selectedRow(), 2); // the moved rule stays selected
        // The last row onto the first row: it goes before it.
        data.reset(model->mimeData({model->index(2, 1)}));
        QVERIFY(model->dropMimeData(data.get(), Qt::MoveAction, -1, -1, model->index(0, 1)));
        QCOMPARE(names(), start);
        // Between rows 0 and 1 (row 1), the row 2 rule.
        data.reset(model->mimeData({model->index(2, 1)}));
        QVERIFY(model->dropMimeData(data.get(), Qt::MoveAction, 1, 0, {}));
        QCOMPARE(names(), QStringList({first[0], first[2], first[1]}).join(QLatin1Char(',')));
        // Onto itself or right after itself: nothing to do, nothing recorded.
        const int index = editor.undoStack()->index();
        data.reset(model->mimeData({model->index(1, 1)}));
        QVERIFY(!model->dropMimeData(data.get(), Qt::MoveAction, 2, 0, {}));
        QCOMPARE(editor.undoStack()->index(), index);
        // Two rows at once or foreign data are refused.
        QVERIFY(!model->mimeData({model->index(0, 1), model->index(1, 1)}));
        QMimeData foreign;
        foreign.setText(QStringLiteral("0"));
        QVERIFY(!model->canDropMimeData(&foreign, Qt::MoveAction, 0, 0, {}));
        QVERIFY(!model->dropMimeData(&foreign, Qt::MoveAction, 0, 0, {}));
        // Undo walks the moves back.
        editor.undoStack()->undo();
        editor.undoStack()->undo();
        editor.undoStack()->undo();
        QCOMPARE(names(), start);
        // Without an editor the model moves the row itself (moveRows with begin/endMoveRows).
        RuleListModel plain;
        QAbstractItemModelTester plainTester(&plain, QAbstractItemModelTester::FailureReportingMode::QtTest);
        plain.setRules(model->rules());
        QVERIFY(plain.moveRows({}, 0, 1, {}, 3));
        QCOMPARE(plain.rules().back().rule.name, first[0].toStdString());
    }

    // Drag and drop in the editor's table: a mouse press selects the row (the view drags the
    // selection, as the model's mime data); the view accepts the drag over the lower edge of a row
    // (between rows) and over the empty space below the last one, which it does only because the
    // list itself is drop-enabled; the drop makes the move one undoable, live-applied step; undo
    // restores the order in the list and the lab, redo re-applies it. The view is set up for internal
    // moves only.
    //
    // Limits offscreen: the platform's drag ends at once (QDrag::exec returns IgnoreAction without
    // a drag loop), so a started mouse drag is checked to change nothing; the drag-over and drop
    // events are then sent to the view in DragDrop mode (an internal move needs the drag loop's
    // source): the view's own drop handling turns the position into the model's row and parent.
    void dragReorderInTheView()
    {
        EngineLab lab;
        RuleEditor editor(&lab);
        RuleListModel *model = editor.model();
        QAbstractItemModelTester tester(model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QVERIFY(editor.addRule(dropRuleNamed("third")));
        QTableView *table = editor.table();
        QCOMPARE(table->dragDropMode(), QAbstractItemView::InternalMove);
        QVERIFY(table->dragEnabled());
        QVERIFY(table->acceptDrops() && table->viewport()->acceptDrops());
        QCOMPARE(table->defaultDropAction(), Qt::MoveAction);
        QVERIFY(!table->dragDropOverwriteMode());
        QCOMPARE(table->selectionBehavior(), QAbstractItemView::SelectRows);
        // The view removes the dragged rows after a successful move unless the model refuses: the
        // model moved them already, so it must refuse.
        QVERIFY(!model->removeRows(0, 1));
        QVERIFY(model->flags(QModelIndex()) & Qt::ItemIsDropEnabled);
        table->setMinimumHeight(220); // room below the rows to drop on
        editor.resize(900, 700);
        editor.show();
        QVERIFY(QTest::qWaitForWindowExposed(&editor));
        auto names = [&] { return ruleNames(*model); };
        const QStringList start = names();
        QCOMPARE(start.size(), 3);
        auto centre = [&](int row) {
            return table->visualRect(model->index(row, RuleListModel::Name)).center();
        };

        // A real mouse drag of row 0: the press selects it; offscreen, the drag ends at once.
        QTest::mousePress(table->viewport(), Qt::LeftButton, {}, centre(0));
        QCOMPARE(editor.selectedRow(), 0);
        const QPoint far = centre(2) + QPoint(0, 2);
        for (int step = 1; step <= 4; ++step)
            QTest::mouseMove(table->viewport(), centre(0) + (far - centre(0)) * step / 4);
        QTest::mouseRelease(table->viewport(), Qt::LeftButton, {}, far);
        QCOMPARE(names(), start);
        QCOMPARE(lab.rules().size(), std::size_t(3));

        // Does the view take the dragged selection over this point? (Row 0 dragged again: the mouse
        // moves above may have moved the selection.)
        table->setDragDropMode(QAbstractItemView::DragDrop);
        table->selectRow(0);
        QCOMPARE(editor.selectedRow(), 0);
        // Drag enter and move of the selection at this point: whether the view took each.
        struct Taken {
            bool enter = false, move = false;
        };
        auto dragOver = [&](QPoint at, const QMimeData *data) {
            // Without a platform drag the proposed action is a copy: the user's move is set.
            QDragEnterEvent enter(at, Qt::MoveAction, data, Qt::LeftButton, {});
            enter.setDropAction(Qt::MoveAction);
            QApplication::sendEvent(table->viewport(), &enter);
            QDragMoveEvent move(at, Qt::MoveAction, data, Qt::LeftButton, {});
            move.setDropAction(Qt::MoveAction);
            QApplication::sendEvent(table->viewport(), &move);
            return Taken{enter.isAccepted(), move.isAccepted()};
        };
        auto takes = [&](QPoint at) {
            std::unique_ptr<QMimeData> data(model->mimeData(table->selectionModel()->selectedIndexes()));
            if (!data) return false;
            const Taken taken = dragOver(at, data.get());
            QDragLeaveEvent leave;
            QApplication::sendEvent(table->viewport(), &leave);
            return taken.enter && taken.move;
        };
        // The whole drop at this point, through the view's own drop handling.
        auto dropAt = [&](QPoint at) {
            std::unique_ptr<QMimeData> data(model->mimeData(table->selectionModel()->selectedIndexes()));
            if (!data) return false;
            const Taken taken = dragOver(at, data.get());
            QDropEvent drop(at, Qt::MoveAction, data.get(), Qt::LeftButton, {});
            drop.setDropAction(Qt::MoveAction);
            drop.ignore(); // as the platform sends it: nobody took it yet
            QApplication::sendEvent(table->viewport(), &drop);
            return taken.move && drop.isAccepted();
        };
        auto dropSelection = [&](int row, const QModelIndex &parent) {
            std::unique_ptr<QMimeData> data(model->mimeData(table->selectionModel()->selectedIndexes()));
            return data && model->dropMimeData(data.get(), Qt::MoveAction, row, 0, parent);
        };
        const int undoBefore = editor.undoStack()->index();
        // Row 0 over the lower edge of row 2 (between row 2 and the end): taken; dropped there, it
        // goes to the end.
        const QRect last = table->visualRect(model->index(2, RuleListModel::Name));
        QVERIFY(takes(QPoint(last.center().x(), last.bottom() - 1)));
        QVERIFY(dropAt(QPoint(last.center().x(), last.bottom() - 1)));
        const QStringList moved{start[1], start[2], start[0]};
        QCOMPARE(names(), moved);
        QCOMPARE(editor.undoStack()->index(), undoBefore + 1);
        QCOMPARE(QString::fromStdString(lab.rules()[2].rule.name), start[0]);
        QCOMPARE(editor.selectedRow(), 2);
        // The moved row (now last) over the middle of row 0: taken; dropped onto it, before it.
        QVERIFY(takes(centre(0)));
        QVERIFY(dropAt(centre(0)));
        QCOMPARE(names(), start);
        // Undo restores the order (in the list and the lab), redo re-applies it.
        editor.undoStack()->undo();
        QCOMPARE(names(), moved);
        QCOMPARE(QString::fromStdString(lab.rules()[2].rule.name), start[0]);
        editor.undoStack()->undo();
        QCOMPARE(names(), start);
        QCOMPARE(QString::fromStdString(lab.rules()[0].rule.name), start[0]);
        editor.undoStack()->redo();
        QCOMPARE(names(), moved);
        QCOMPARE(QString::fromStdString(lab.rules()[0].rule.name), start[1]);
        editor.undoStack()->redo();
        QCOMPARE(names(), start);
        // Row 0 over the empty space below the last row: taken; dropped there, to the end.
        table->selectRow(0);
        const QPoint below(last.center().x(), last.bottom() + last.height());
        QVERIFY2(table->viewport()->rect().contains(below),
                 qPrintable(QStringLiteral("viewport %1 px high").arg(table->viewport()->height())));
        QVERIFY(takes(below));
        QVERIFY(dropAt(below));
        QCOMPARE(names(), moved);
        // Onto itself: nothing moves, nothing is recorded.
        table->selectRow(1);
        const int index = editor.undoStack()->index();
        QVERIFY(!dropSelection(-1, model->index(1, RuleListModel::Name)));
        QCOMPARE(names(), moved);
        QCOMPARE(editor.undoStack()->index(), index);
    }

    // A modified editor going away says nothing: its undo stack (a child, deleted after the editor's
    // own destructor) must not make a half-destroyed editor emit documentChanged.
    void destroyingAModifiedEditorEmitsNothing()
    {
        EngineLab lab;
        auto editor = std::make_unique<RuleEditor>(&lab);
        int documentSignals = 0;
        connect(editor.get(), &RuleEditor::documentChanged, this, [&] { ++documentSignals; });
        editor->selectRow(0);
        QVERIFY(setField(editor.get(), QStringLiteral("ruleName"), QStringLiteral("edited")));
        QVERIFY(editor->isModified());
        const int before = documentSignals;
        QVERIFY(before > 0);
        editor.reset();
        QCOMPARE(documentSignals, before);
    }

    // Save, save as, open: the modified marker follows the undo stack's clean state, a saved file
    // opens with the edited rules, errors name file:line:col, and unsaved changes are asked about.
    void openSaveAndTheModifiedMarker()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        EngineLab lab;
        RuleEditor editor(&lab);
        int documentSignals = 0;
        connect(&editor, &RuleEditor::documentChanged, this, [&] { ++documentSignals; });
        QVERIFY(!editor.isModified());
        QCOMPARE(editor.documentTitle(), QStringLiteral("syn-answered-by-ack (library)"));
        editor.selectRow(0);
        QVERIFY(setField(&editor, QStringLiteral("ruleName"), QStringLiteral("edited")));
        QVERIFY(editor.isModified());
        QVERIFY(documentSignals > 0);
        const auto edited = editor.model()->rules();
        // Refused open: the prompt says Cancel, nothing changes.
        int asked = 0;
        editor.setUnsavedChangesPrompt([&] { return ++asked, int(QMessageBox::Cancel); });
        QVERIFY(!editor.openScenario(QStringLiteral("handshake")));
        QCOMPARE(asked, 1);
        QVERIFY(editor.model()->rules() == edited);
        QCOMPARE(lab.scenarioName(), std::string("syn-answered-by-ack"));
        // Save as a file.
        const QString path = dir.filePath(QStringLiteral("mine.toml"));
        QVERIFY2(editor.saveAs(path), qPrintable(editor.lastError()));
        QVERIFY(!editor.isModified());
        QCOMPARE(editor.documentTitle(), QStringLiteral("mine.toml"));
        auto reread = loadScenarioFile(path.toStdString());
        QVERIFY2(reread, reread ? "" : reread.error().message.c_str());
        QVERIFY(reread.value().rules == edited);
        QCOMPARE(reread.value().description.ja,
                 loadScenarioByNameOrFile("syn-answered-by-ack").value().description.ja);
        // Opening another scenario with nothing unsaved asks nothing.
        QVERIFY(editor.openScenario(QStringLiteral("handshake")));
        QCOMPARE(asked, 1);
        QCOMPARE(lab.scenarioName(), std::string("handshake"));
        // Opening the saved file gives the edited rules back; Save writes to it.
        QVERIFY(editor.openScenario(path));
        QCOMPARE(editor.filePath(), QFileInfo(path).absoluteFilePath());
        QVERIFY(editor.model()->rules() == edited);
        QVERIFY(lab.rules() == edited);
        editor.selectRow(1);
        QVERIFY(setField(&editor, QStringLiteral("matchFlagURG"), QStringLiteral("clear")));
        QVERIFY(editor.isModified());
        const auto edited2 = editor.model()->rules();
        // Discard: the change is lost on purpose.
        editor.setUnsavedChangesPrompt([&] { return ++asked, int(QMessageBox::Discard); });
        QVERIFY(editor.openScenario(path));
        QCOMPARE(asked, 2);
        QVERIFY(editor.model()->rules() == edited);
        // Save from the prompt.
        editor.selectRow(1);
        QVERIFY(setField(&editor, QStringLiteral("matchFlagURG"), QStringLiteral("clear")));
        editor.setUnsavedChangesPrompt([&] { return ++asked, int(QMessageBox::Save); });
        QVERIFY(editor.maybeSave());
        QVERIFY(!editor.isModified());
        QVERIFY(loadScenarioFile(path.toStdString()).value().rules == edited2);
        // A broken file: the error names file:line:col, nothing changes.
        const QString broken = dir.filePath(QStringLiteral("broken.toml"));
        QFile f(broken);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("name = \"broken\"\n[[hosts]]\nname = \"server\"\naddresses = [\"198.18.0.2/24\"]\n"
                "[[rules]]\nname = \"x\"\nhost = \"server\"\n[[rules.actions]]\ndo = \"explode\"\n");
        f.close();
        QVERIFY(!editor.openScenario(broken));
        QVERIFY2(editor.lastError().contains(broken + QStringLiteral(":9:")), qPrintable(editor.lastError()));
        QVERIFY(editor.errorLabel()->text().contains(QStringLiteral("explode")));
        QVERIFY(editor.model()->rules() == edited2);
        QCOMPARE(editor.filePath(), QFileInfo(path).absoluteFilePath());
        // A file that cannot be written: the reason, still modified.
        editor.selectRow(0);
        QVERIFY(setField(&editor, QStringLiteral("matchFlagURG"), QStringLiteral("clear")));
        QVERIFY(!editor.saveAs(dir.filePath(QStringLiteral("no/such/dir/x.toml"))));
        QVERIFY(editor.lastError().contains(QStringLiteral("no/such/dir/x.toml")));
        QVERIFY(editor.isModified());
    }

    // The library browser lists every built-in scenario with its description in the UI language
    // (every one has a Japanese description) and a preview of its rules; loading asks for the target.
    void libraryBrowserListsTheLibrary()
    {
        LibraryBrowser ja(QStringLiteral("ja"));
        LibraryBrowser en(QStringLiteral("en"));
        const auto library = builtinScenarios();
        QCOMPARE(ja.count(), int(library.size()));
        QVERIFY(library.size() >= 4);
        for (int i = 0; i < ja.count(); ++i) {
            const auto s = loadScenario(library[std::size_t(i)].text, library[std::size_t(i)].name);
            QVERIFY2(s, s ? "" : s.error().message.c_str());
            ja.select(i);
            en.select(i);
            QCOMPARE(ja.selectedName(), QString::fromUtf8(library[std::size_t(i)].name.data(),
                                                          qsizetype(library[std::size_t(i)].name.size())));
            QVERIFY2(!s.value().description.ja.empty(), library[std::size_t(i)].name.data());
            QVERIFY2(
                ja.description().contains(QString::fromStdString(s.value().description.ja).toHtmlEscaped()),
                qPrintable(ja.description()));
            QVERIFY(
                en.description().contains(QString::fromStdString(s.value().description.en).toHtmlEscaped()));
            for (const auto &r : s.value().rules)
                QVERIFY2(ja.preview().contains(QString::fromStdString(ruleToml(r))),
                         qPrintable(ja.preview()));
        }
        // No tap lab: the button says why it is off.
        QVERIFY(!ja.tapButton()->isEnabled());
        QVERIFY(!ja.tapButton()->toolTip().isEmpty());
        ja.setTapAvailable(true);
        QVERIFY(ja.tapButton()->isEnabled());
        QString asked;
        LibraryBrowser::Target target = LibraryBrowser::Target::Demo;
        connect(&ja, &LibraryBrowser::loadRequested, this,
                [&](const QString &name, LibraryBrowser::Target t) {
                    asked = name;
                    target = t;
                });
        ja.select(0);
        ja.tapButton()->click();
        QCOMPARE(asked, ja.selectedName());
        QVERIFY(target == LibraryBrowser::Target::Tap);
    }

    // Library > Load into tap lab: off with the way to attach while on the demo network; on a tap,
    // it asks about unsaved rules (Cancel keeps everything), then restarts the tap lab on the same
    // tap settings with the chosen scenario's rules and services, and says the timeline is not
    // played. No tap device is needed: the tun path points nowhere, so each (re)start is seen as
    // its error naming the path it tried.
    void libraryLoadsIntoTheTapLab()
    {
        MainWindow window(std::make_unique<LabSwitch>(makeDefaultLab(LabMode::Demo)));
        auto &labs = dynamic_cast<LabSwitch &>(window.bridge().lab());
        {
            LibraryBrowser *demo = openLibraryBrowser(window);
            QVERIFY(!demo->tapButton()->isEnabled());
            QVERIFY2(demo->tapButton()->toolTip().contains(QStringLiteral("Tap device")),
                     qPrintable(demo->tapButton()->toolTip()));
            demo->close();
        }
        TapSettings settings;
        settings.tap = "tcplabt9";
        settings.ip4 = "198.18.0.2/24";
        settings.listens = {"80:http"};
        settings.scenario = "syn-answered-by-ack";
        labs.tapLab().setTunPath("/nonexistent/first/tun");
        QVERIFY(!window.attachTap(settings));
        QVERIFY(labs.mode() == LabMode::Tap);
        // An unsaved edit in the rule editor.
        RuleEditor *editor = window.ruleEditor();
        QCOMPARE(editor->model()->rowCount(), 2);
        editor->selectRow(0);
        QVERIFY(setField(editor, QStringLiteral("matchFlagURG"), QStringLiteral("clear")));
        QVERIFY(editor->isModified());
        const auto edited = editor->model()->rules();

        LibraryBrowser *browser = openLibraryBrowser(window);
        QVERIFY(browser->tapButton()->isEnabled());
        QVERIFY2(browser->tapNote().contains(QStringLiteral("timeline is not played")),
                 qPrintable(browser->tapNote()));
        int row = -1;
        for (int i = 0; i < browser->count(); ++i) {
            browser->select(i);
            if (browser->selectedName() == QLatin1String("time-wait-assassination")) row = i;
        }
        QVERIFY(row >= 0);
        browser->select(row);
        labs.tapLab().setTunPath("/nonexistent/second/tun");
        int asked = 0;
        // Cancel: nothing changes, the browser stays open.
        editor->setUnsavedChangesPrompt([&] { return ++asked, int(QMessageBox::Cancel); });
        browser->tapButton()->click();
        QCOMPARE(asked, 1);
        QCOMPARE(labs.tapLab().settings().scenario, std::string("syn-answered-by-ack"));
        QVERIFY(editor->model()->rules() == edited);
        QVERIFY(editor->isModified());
        QVERIFY(browser->isVisible());
        // Discard: the tap lab restarts on the same settings with the chosen scenario.
        editor->setUnsavedChangesPrompt([&] { return ++asked, int(QMessageBox::Discard); });
        browser->tapButton()->click();
        QCOMPARE(asked, 2);
        QVERIFY(labs.mode() == LabMode::Tap);
        TapSettings expected = settings;
        expected.scenario = "time-wait-assassination";
        QVERIFY(labs.tapLab().settings() == expected);
        const Scenario chosen = loadScenarioByNameOrFile("time-wait-assassination").value();
        QVERIFY(labs.rules() == chosen.rules);
        QCOMPARE(labs.scenarioName(), std::string("time-wait-assassination"));
        QVERIFY(editor->model()->rules() == chosen.rules);
        QVERIFY(!editor->isModified());
        QVERIFY2(QString::fromStdString(labs.tapLab().lastError())
                     .contains(QStringLiteral("/nonexistent/second/tun")),
                 labs.tapLab().lastError().c_str());
        // It could not attach here: the browser stays open and says why, and so does the status bar.
        QVERIFY(browser->isVisible());
        QVERIFY2(browser->tapNote().contains(QStringLiteral("/nonexistent/second/tun")),
                 qPrintable(browser->tapNote()));
        QVERIFY(window.statusBar()->currentMessage().contains(QStringLiteral("tcplabt9")));
        browser->close();
        window.useDemo();
        QVERIFY(labs.mode() == LabMode::Demo);
    }

    // The editor with its action form, rendered: not blank (several colours, text drawn).
    void actionFormRendersNotBlank()
    {
        EngineLab lab;
        RuleEditor editor(&lab);
        editor.resize(700, 700);
        editor.selectRow(0);
        editor.showPage(1);
        editor.show();
        QApplication::processEvents();
        const QImage image = editor.grab().toImage();
        QVERIFY(!image.isNull());
        QSet<QRgb> colours;
        for (int y = 0; y < image.height(); y += 3)
            for (int x = 0; x < image.width(); x += 3)
                colours.insert(image.pixel(x, y));
        QVERIFY2(colours.size() > 8, qPrintable(QString::number(colours.size())));
        QVERIFY(editor.findChild<QLineEdit *>(QStringLiteral("replySeq"))->isVisible());
    }
};

QTEST_MAIN(TestRuleEditor)
#include "test_rule_editor.moc"

// The Setup panel's logic (plans from layouts, teardown of exactly what was created, the commands
// to run by hand, field checks) as plain functions, then the panel itself offscreen against a fake
// helper: Apply runs the plan, Tear down undoes it, the layout and what was created survive a restart.
#include <QLabel>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QtTest>

#include "views/setup_panel.h"

using namespace tcplab::gui;

namespace {

QList<QStringList> argsOf(const QList<HelperStep> &steps)
{
    QList<QStringList> out;
    for (const auto &s : steps) out << s.args;
    return out;
}

QStringList readLog(const QString &path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly)) return {};
    return QString::fromUtf8(f.readAll()).split('\n', Qt::SkipEmptyParts);
}

} // namespace

class TestSetupPanel : public QObject {
    Q_OBJECT
private slots:
    void initTestCase();
    void presetsAreValid();
    void tapAndBridgePlanIsTheClassicLayout();
    void customPlanSetsMtuThenRoutesAfterUp();
    void teardownUndoesOnlyWhatWasCreated();
    void manualCommandsMatchThePlan();
    void problemsNameTheField_data();
    void problemsNameTheField();
    void networkOfMasksHostBits();
    void panelAppliesTearsDownAndRemembers();
    void panelWithoutHelperShowsCommands();

private:
    QTemporaryDir dir_;
};

void TestSetupPanel::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    QCoreApplication::setOrganizationName("TCP Lab tests");
    QCoreApplication::setApplicationName("test_setup_panel");
    QSettings().clear();
    qputenv("FAKE_NETSETUP_LOG", dir_.filePath("calls.log").toLocal8Bit());
}

void TestSetupPanel::presetsAreValid()
{
    QVERIFY(NetLayout::tapOnly().problems().isEmpty());
    QVERIFY(NetLayout::tapAndBridge().problems().isEmpty());
    QCOMPARE(NetLayout::tapOnly().hostDevice(), QStringLiteral("tap7"));
    QCOMPARE(NetLayout::tapAndBridge().hostDevice(), QStringLiteral("br3"));
}

void TestSetupPanel::tapAndBridgePlanIsTheClassicLayout()
{
    const auto plan = SetupPlan::apply(NetLayout::tapAndBridge());
    const QList<QStringList> expected{
        {"create-tap", "tap7"},
        {"create-bridge", "br3"},
        {"attach", "tap7", "br3"},
        {"address", "add", "br3", "198.18.0.101/24"},
        {"address", "add", "br3", "2001:db8::101/64"},
        {"up", "tap7"},
        {"up", "br3"},
        // The preset's route 198.18.0.0/24 is the kernel's own route for 198.18.0.101/24: left out.
    };
    QCOMPARE(argsOf(plan), expected);
    QCOMPARE(plan[0].creates, true);
    QCOMPARE(plan[1].creates, true);
    QCOMPARE(plan[2].creates, false);
}

void TestSetupPanel::customPlanSetsMtuThenRoutesAfterUp()
{
    NetLayout l = NetLayout::tapOnly();
    l.tap = "lab0";
    l.hostAddresses = {"198.18.4.1/24"};
    l.routes = {"198.18.5.0/24"};
    l.mtu = 1400;
    const QList<QStringList> expected{
        {"create-tap", "lab0"},
        {"mtu", "lab0", "1400"},
        {"address", "add", "lab0", "198.18.4.1/24"},
        {"up", "lab0"},
        {"route", "add", "198.18.5.0/24", "dev", "lab0"},
    };
    QCOMPARE(argsOf(SetupPlan::apply(l)), expected);
}

void TestSetupPanel::teardownUndoesOnlyWhatWasCreated()
{
    const auto plan = SetupPlan::apply(NetLayout::tapAndBridge());
    QCOMPARE(argsOf(SetupPlan::teardown(plan)), (QList<QStringList>{{"delete-bridge", "br3"}, {"delete-tap", "tap7"}}));
    // Apply stopped after the tap: only the tap is removed.
    QCOMPARE(argsOf(SetupPlan::teardown(plan.mid(0, 1))), (QList<QStringList>{{"delete-tap", "tap7"}}));
    QVERIFY(SetupPlan::teardown({}).isEmpty());
}

void TestSetupPanel::manualCommandsMatchThePlan()
{
    NetLayout l = NetLayout::tapAndBridge();
    l.routes = {"198.18.9.0/24"};
    const QString text = SetupPlan::manualCommands(l, "alice");
    QVERIFY(text.startsWith("sudo ip tuntap add name tap7 mode tap user alice\n"));
    QVERIFY(text.contains("sudo ip link add name br3 type bridge\n"));
    QVERIFY(text.contains("sudo ip link set dev tap7 master br3\n"));
    QVERIFY(text.contains("sudo ip address add 198.18.0.101/24 dev br3\n"));
    QVERIFY(text.contains("sudo ip link set dev br3 alias tcplab-managed\n")); // so the helper can remove it later
    QVERIFY(text.indexOf("up") < text.indexOf("sudo ip route add 198.18.9.0/24 dev br3"));
    QCOMPARE(SetupPlan::manualTeardown(l), QStringLiteral("sudo ip link delete br3\nsudo ip link delete tap7\n"));
}

void TestSetupPanel::problemsNameTheField_data()
{
    QTest::addColumn<QString>("field");
    QTest::addColumn<QString>("value");
    QTest::addColumn<QString>("mentions");
    QTest::newRow("tap too long") << "tap" << "abcdefghijklmnop" << "Tap name";
    QTest::newRow("tap shell") << "tap" << "tap;rm" << "Tap name";
    QTest::newRow("bridge same as tap") << "bridge" << "tap7" << "different names";
    QTest::newRow("host address") << "host" << "198.18.0.101" << "Host address";
    QTest::newRow("route") << "route" << "nonsense" << "Route";
    QTest::newRow("v4 given v6") << "v4" << "2001:db8::1/64" << "Lab IPv4";
    QTest::newRow("mac multicast") << "mac" << "01:00:5e:00:00:01" << "Lab MAC";
    QTest::newRow("mtu") << "mtu" << "50" << "MTU 50";
}

void TestSetupPanel::problemsNameTheField()
{
    QFETCH(QString, field);
    QFETCH(QString, value);
    QFETCH(QString, mentions);
    NetLayout l = NetLayout::tapAndBridge();
    if (field == "tap") l.tap = value;
    if (field == "bridge") l.bridge = value;
    if (field == "host") l.hostAddresses = {value};
    if (field == "route") l.routes = {value};
    if (field == "v4") l.engineIpv4 = value;
    if (field == "mac") l.engineMac = value;
    if (field == "mtu") l.mtu = value.toInt();
    const QStringList problems = l.problems();
    QCOMPARE(problems.size(), 1);
    QVERIFY2(problems[0].contains(mentions), qPrintable(problems[0]));
}

void TestSetupPanel::networkOfMasksHostBits()
{
    QCOMPARE(networkOf("198.18.0.101/24"), QStringLiteral("198.18.0.0/24"));
    QCOMPARE(networkOf("2001:db8::101/64"), QStringLiteral("2001:db8::/64"));
    QCOMPARE(networkOf("198.18.0.101"), QString());
}

void TestSetupPanel::panelAppliesTearsDownAndRemembers()
{
    const QString log = dir_.filePath("calls.log");
    QFile::remove(log);
    NetLayout custom = NetLayout::tapAndBridge();
    custom.tap = "tap9";
    {
        SetupPanel panel;
        panel.client().setHelperPath(FAKE_NETSETUP);
        panel.client().setElevation({});
        panel.setLayout(custom);
        QSignalSpy attach(&panel, &SetupPanel::attachRequested);
        QSignalSpy busy(&panel, &SetupPanel::busyChanged);
        panel.apply();
        QTRY_COMPARE_WITH_TIMEOUT(attach.size(), 1, 10000);
        QCOMPARE(attach.at(0).at(0).value<NetLayout>().tap, QStringLiteral("tap9"));
        QCOMPARE(panel.created().size(), 2);
        QTRY_VERIFY_WITH_TIMEOUT(readLog(log).contains("status"), 10000); // live state refreshed
    }
    QStringList calls = readLog(log);
    QCOMPARE(calls.first(), QStringLiteral("create-tap tap9"));
    QVERIFY(calls.contains("attach tap9 br3"));

    QFile::remove(log);
    SetupPanel again; // a restart: the layout and what was created come back from QSettings
    again.client().setHelperPath(FAKE_NETSETUP);
    again.client().setElevation({});
    QCOMPARE(again.layout(), custom);
    QCOMPARE(again.created().size(), 2);
    QSignalSpy detach(&again, &SetupPanel::detachRequested);
    again.tearDown();
    QCOMPARE(detach.size(), 1);
    QCOMPARE(detach.at(0).at(0).toString(), QStringLiteral("tap9"));
    QTRY_VERIFY_WITH_TIMEOUT(again.created().isEmpty(), 10000);
    QTRY_VERIFY_WITH_TIMEOUT(readLog(log).contains("status"), 10000);
    calls = readLog(log);
    QCOMPARE(calls.mid(0, 2), (QStringList{"delete-bridge br3", "delete-tap tap9"}));
}

void TestSetupPanel::panelWithoutHelperShowsCommands()
{
    SetupPanel panel;
    panel.client().setHelperPath("/nonexistent/tcplab-netsetup");
    panel.setLayout(NetLayout::tapAndBridge());
    auto *apply = panel.findChild<QPushButton *>();
    QVERIFY(apply);
    QVERIFY(!apply->isEnabled());
    bool noticeSaysWhy = false;
    for (auto *label : panel.findChildren<QLabel *>())
        noticeSaysWhy |= label->text().contains("/nonexistent/tcplab-netsetup");
    QVERIFY(noticeSaysWhy);
    auto *manual = panel.findChild<QPlainTextEdit *>();
    QVERIFY(manual->toPlainText().contains("sudo ip link add name br3 type bridge"));
    // For a person to look at: TCPLAB_SCREENSHOT_DIR=/tmp ctest -R test_setup_panel
    if (const QString dir = qEnvironmentVariable("TCPLAB_SCREENSHOT_DIR"); !dir.isEmpty()) {
        panel.resize(520, 820);
        QVERIFY(panel.grab().save(dir + "/setup_panel.png"));
    }
}

QTEST_MAIN(TestSetupPanel)
#include "test_setup_panel.moc"

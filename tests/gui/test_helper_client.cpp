// HelperClient: how a finished helper run is read (helper JSON, pkexec's own exit codes, crashes),
// steps run in order and stop at the first failure, and status comes from the real helper, which
// needs no privileges for it.
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest>

#include "services/helper_client.h"

using namespace tcplab::gui;

class TestHelperClient : public QObject {
    Q_OBJECT
private slots:
    void readsHelperSuccess();
    void readsHelperRefusal();
    void explainsPkexecExitCodes();
    void fallsBackToStderr();
    void stopsAtFirstFailedStep();
    void statusFromRealHelper();
    void reportsMissingHelper();
};

void TestHelperClient::readsHelperSuccess()
{
    auto r = HelperClient::interpret(0, QProcess::NormalExit, "{\"ok\":true,\"verb\":\"create-tap\",\"owner\":1000}\n",
                                     "", true);
    QVERIFY(r.ok);
    QVERIFY(r.error.isEmpty());
    QCOMPARE(r.json.value("owner").toInt(), 1000);
}

void TestHelperClient::readsHelperRefusal()
{
    auto r = HelperClient::interpret(1, QProcess::NormalExit,
                                     "{\"ok\":false,\"verb\":\"up\",\"error\":\"refusing to touch \\\"eth0\\\"\"}\n",
                                     "tcplab-netsetup: refusing\n", true);
    QVERIFY(!r.ok);
    QCOMPARE(r.error, QStringLiteral("refusing to touch \"eth0\""));
}

void TestHelperClient::explainsPkexecExitCodes()
{
    auto dismissed = HelperClient::interpret(126, QProcess::NormalExit, "", "", true);
    QVERIFY(!dismissed.ok);
    QVERIFY(dismissed.error.contains("dismissed"));
    auto refused = HelperClient::interpret(127, QProcess::NormalExit, "", "Error executing command as another user: Not authorized\n", true);
    QVERIFY(refused.error.contains("Not authorized"));
    QVERIFY(refused.error.contains("Error executing command"));
    // Without pkexec in between, 126 is just the program's exit code.
    auto direct = HelperClient::interpret(126, QProcess::NormalExit, "", "something odd\n", false);
    QCOMPARE(direct.error, QStringLiteral("something odd"));
}

void TestHelperClient::fallsBackToStderr()
{
    QVERIFY(HelperClient::interpret(0, QProcess::CrashExit, "", "", false).error.contains("crashed"));
    QVERIFY(HelperClient::interpret(3, QProcess::NormalExit, "not json", "", false).error.contains("exit code 3"));
}

void TestHelperClient::stopsAtFirstFailedStep()
{
    QTemporaryDir dir;
    const QString log = dir.filePath("calls.log");
    qputenv("FAKE_NETSETUP_LOG", log.toLocal8Bit());
    HelperClient client;
    client.setHelperPath(QStringLiteral(FAKE_NETSETUP));
    client.setElevation({});
    QVERIFY(client.unavailableReason().isEmpty());
    QSignalSpy started(&client, &HelperClient::stepStarted);
    QSignalSpy finished(&client, &HelperClient::stepFinished);
    QSignalSpy done(&client, &HelperClient::stepsFinished);
    client.runSteps({{{"create-tap", "tap7"}, "create", true}, {{"up", "fail0"}, "up", false}, {{"up", "tap7"}, "up", false}});
    QVERIFY(client.busy());
    QVERIFY(done.wait(10000));
    QCOMPARE(done.at(0).at(0).toBool(), false);
    QCOMPARE(done.at(0).at(1).toInt(), 1);
    QCOMPARE(started.size(), 2);
    QCOMPARE(finished.size(), 2);
    const auto second = finished.at(1).at(1).value<HelperResult>();
    QVERIFY(second.error.contains("fail0"));
    QFile f(log);
    QVERIFY(f.open(QIODevice::ReadOnly));
    QCOMPARE(QString::fromUtf8(f.readAll()), QStringLiteral("create-tap tap7\nup fail0\n"));
    QVERIFY(!client.busy());
}

void TestHelperClient::statusFromRealHelper()
{
    HelperClient client;
    client.setHelperPath(QStringLiteral(REAL_NETSETUP));
    QSignalSpy ready(&client, &HelperClient::statusReady);
    client.queryStatus();
    QVERIFY(ready.wait(10000));
    QCOMPARE(ready.at(0).at(1).toString(), QString()); // no error: status needs no privileges
}

void TestHelperClient::reportsMissingHelper()
{
    HelperClient client;
    client.setHelperPath(QStringLiteral("/nonexistent/tcplab-netsetup"));
    QVERIFY(client.unavailableReason().contains("/nonexistent/tcplab-netsetup"));
    client.setElevation({});
    QSignalSpy done(&client, &HelperClient::stepsFinished);
    QSignalSpy finished(&client, &HelperClient::stepFinished);
    client.runSteps({{{"create-tap", "tap7"}, "create", true}});
    if (done.isEmpty()) QVERIFY(done.wait(10000));
    QVERIFY(finished.at(0).at(1).value<HelperResult>().error.contains("Cannot start"));
}

QTEST_GUILESS_MAIN(TestHelperClient)
#include "test_helper_client.moc"

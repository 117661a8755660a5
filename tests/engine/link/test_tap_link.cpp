// TapLink's failures name the device, the errno text and what to do. (Attaching for real needs
// root and a namespace: see tests/interop.)
#include <QtTest>

#include "link/tap_link.h"

using namespace tcplab;

class TestTapLink : public QObject {
    Q_OBJECT
private slots:
    void missingTunDeviceSaysWhatToDo()
    {
        TapOptions o;
        o.name = "tap7";
        o.tunPath = "/nonexistent/tun";
        auto link = TapLink::open(o);
        QVERIFY(!link.ok());
        const QString msg = QString::fromStdString(link.error().message);
        QVERIFY2(msg.startsWith("cannot attach to tap \"tap7\": "), qPrintable(msg));
        QVERIFY2(msg.contains("No such file or directory"), qPrintable(msg));
        QVERIFY2(msg.contains("modprobe tun"), qPrintable(msg));
    }

    void nameTooLongIsRefusedBeforeTouchingTheKernel()
    {
        TapOptions o;
        o.name = "a-name-much-too-long-for-linux";
        auto link = TapLink::open(o);
        QVERIFY(!link.ok());
        QVERIFY(QString::fromStdString(link.error().message).contains("1 to 15 characters"));
    }

    void permissionAdviceNamesTheHelper()
    {
        const std::string advice = tapAdvice("tap7", EPERM);
        QVERIFY(advice.find("tcplab-netsetup create-tap tap7") != std::string::npos);
        QVERIFY(advice.find("Setup") != std::string::npos);
        QVERIFY(tapAdvice("tap7", EBUSY).find("another program") != std::string::npos);
    }
};

QTEST_GUILESS_MAIN(TestTapLink)
#include "test_tap_link.moc"

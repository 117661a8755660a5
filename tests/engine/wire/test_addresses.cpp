// Endpoint::parse, the one parser of "ADDR:PORT" text (tcplab-cli --connect, scenario timelines'
// "to"), against Endpoint::toString: round trips, and every refusal names the text and the reason.
#include <QTest>

#include "wire/addresses.h"

using namespace tcplab;

class TestAddresses : public QObject {
    Q_OBJECT
private slots:
    void endpointRoundTrips_data()
    {
        QTest::addColumn<QString>("text");
        QTest::newRow("v4") << "198.18.0.2:80";
        QTest::newRow("v4 highest port") << "198.18.0.2:65535";
        QTest::newRow("v6") << "[2001:db8::2]:8000";
        QTest::newRow("v6 any") << "[::]:1";
    }
    void endpointRoundTrips()
    {
        QFETCH(QString, text);
        auto ep = Endpoint::parse(text.toStdString());
        QVERIFY2(ep.ok(), ep.ok() ? "" : ep.error().message.c_str());
        QCOMPARE(QString::fromStdString(ep->toString()), text);
        QCOMPARE(*Endpoint::parse(ep->toString()), *ep);
    }

    void endpointValues()
    {
        const auto v4 = Endpoint::parse("198.18.0.2:8000");
        QVERIFY(v4.ok());
        QVERIFY(v4->addr.isV4());
        QCOMPARE(v4->addr.v4().value, 0xc6120002u);
        QCOMPARE(v4->port, std::uint16_t(8000));
        const auto v6 = Endpoint::parse("[2001:db8::2]:80");
        QVERIFY(v6.ok());
        QCOMPARE(v6->addr, *IpAddr::parse("2001:db8::2"));
        QCOMPARE(v6->port, std::uint16_t(80));
    }

    void endpointRefusals_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("reason"); // a part of the message
        QTest::newRow("empty") << ""
                               << "no port";
        QTest::newRow("no port") << "198.18.0.2"
                                 << "no port";
        QTest::newRow("empty port") << "198.18.0.2:"
                                    << "not a number from 1 to 65535";
        QTest::newRow("port 0") << "198.18.0.2:0"
                                << "not a number from 1 to 65535";
        QTest::newRow("port too big") << "198.18.0.2:65536"
                                      << "not a number from 1 to 65535";
        QTest::newRow("huge port") << "198.18.0.2:99999999999999999999"
                                   << "not a number from 1 to 65535";
        QTest::newRow("signed port") << "198.18.0.2:+80"
                                     << "not a number from 1 to 65535";
        QTest::newRow("port with space") << "198.18.0.2:80 "
                                         << "not a number from 1 to 65535";
        QTest::newRow("bad v4") << "198.18.0.256:80"
                                << "is not an IPv4 address";
        QTest::newRow("name") << "localhost:80"
                              << "is not an IPv4 address";
        QTest::newRow("v6 without brackets") << "2001:db8::2:80"
                                             << "in brackets";
        QTest::newRow("v6 unclosed") << "[2001:db8::2:80"
                                     << "no \"]:\"";
        QTest::newRow("v6 no port") << "[2001:db8::2]"
                                    << "no \"]:\"";
        QTest::newRow("v4 in brackets") << "[198.18.0.2]:80"
                                        << "is not an IPv6 address";
        QTest::newRow("bad v6") << "[2001:db8:::2]:80"
                                << "is not an IPv6 address";
    }
    void endpointRefusals()
    {
        QFETCH(QString, text);
        QFETCH(QString, reason);
        auto ep = Endpoint::parse(text.toStdString());
        QVERIFY(!ep.ok());
        const QString message = QString::fromStdString(ep.error().message);
        QVERIFY2(message.contains("\"" + text + "\""), qPrintable(message)); // names the text
        QVERIFY2(message.contains(reason), qPrintable(message));
    }
};

QTEST_APPLESS_MAIN(TestAddresses)
#include "test_addresses.moc"

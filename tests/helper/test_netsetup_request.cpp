// The command-line reading of tcplab-netsetup, without root: each accepted form yields the request it
// should, each refusal names its reason, and pkexec's caller decides the tap's owner.
#include <QtTest>

#include "netsetup_request.h"

using namespace tcplab::netsetup;

namespace {

std::vector<std::string_view> split(const QString &line, std::vector<std::string> &storage)
{
    storage.clear();
    for (const QString &w : line.split(' ', Qt::SkipEmptyParts)) storage.push_back(w.toStdString());
    return {storage.begin(), storage.end()};
}

const UidLookup kKnownUids = [](std::uint32_t uid) { return uid == 0 || uid == 1000 || uid == 65534; };

} // namespace

class TestNetsetupRequest : public QObject {
    Q_OBJECT
private slots:
    void acceptsWellFormedRequests_data();
    void acceptsWellFormedRequests();
    void refusesWithReason_data();
    void refusesWithReason();
    void ownerComesFromPkexecCaller();
    void interfaceNamesFollowKernelRules();
    void quotedShowsUntrustedBytesSafely();
};

void TestNetsetupRequest::acceptsWellFormedRequests_data()
{
    QTest::addColumn<QString>("line");
    QTest::addColumn<QString>("device");
    QTest::addColumn<QString>("prefix");
    QTest::newRow("create-tap") << "create-tap tap7" << "tap7" << "";
    QTest::newRow("create-tap owner") << "create-tap tap7 --owner 1000" << "tap7" << "";
    QTest::newRow("bridge") << "create-bridge br3" << "br3" << "";
    QTest::newRow("attach") << "attach tap7 br3" << "tap7" << "";
    QTest::newRow("v4 address") << "address add br3 198.18.0.101/24" << "br3" << "198.18.0.101/24";
    QTest::newRow("v4 /31") << "address add br3 198.18.0.0/31" << "br3" << "198.18.0.0/31";
    QTest::newRow("v6 address") << "address del br3 2001:DB8::1/64" << "br3" << "2001:db8::1/64";
    QTest::newRow("v4 route") << "route add 198.18.1.0/24 dev br3" << "br3" << "198.18.1.0/24";
    QTest::newRow("v6 route") << "route del 2001:db8:1::/48 dev br3" << "br3" << "2001:db8:1::/48";
    QTest::newRow("mtu") << "mtu tap7 9000" << "tap7" << "";
    QTest::newRow("status") << "status" << "" << "";
}

void TestNetsetupRequest::acceptsWellFormedRequests()
{
    QFETCH(QString, line);
    QFETCH(QString, device);
    QFETCH(QString, prefix);
    std::vector<std::string> storage;
    auto r = parseRequest(split(line, storage), Caller{0, std::nullopt}, kKnownUids);
    QVERIFY2(r.ok(), r.ok() ? "" : r.error().message.c_str());
    QCOMPARE(QString::fromStdString(r->device), device);
    QCOMPARE(QString::fromStdString(r->prefix.text), prefix);
}

void TestNetsetupRequest::refusesWithReason_data()
{
    QTest::addColumn<QString>("line");
    QTest::addColumn<QString>("reason");
    QTest::newRow("unknown verb") << "frobnicate" << "unknown verb";
    QTest::newRow("missing") << "attach tap7" << "missing arguments";
    QTest::newRow("extra") << "up tap7 now" << "extra arguments";
    QTest::newRow("16 bytes") << "create-tap abcdefghijklmnop" << "16 bytes";
    QTest::newRow("shell") << "create-tap t;ls" << "not allowed";
    QTest::newRow("slash") << "up a/b" << "kernel forbids";
    QTest::newRow("leading dash") << "up -x" << "must start";
    QTest::newRow("no prefix") << "address add br3 198.18.0.1" << "ADDRESS/PREFIX-LENGTH";
    QTest::newRow("prefix 33") << "address add br3 198.18.0.1/33" << "prefix length";
    QTest::newRow("multicast") << "address add br3 239.0.0.1/24" << "multicast";
    QTest::newRow("subnet bcast") << "address add br3 198.18.0.255/24" << "broadcast address";
    QTest::newRow("v6 anycast") << "address add br3 2001:db8::/64" << "anycast";
    QTest::newRow("route host bits") << "route add 198.18.1.1/24 dev br3" << "bits set";
    QTest::newRow("default route") << "route add 0.0.0.0/0 dev br3" << "prefix length";
    QTest::newRow("route via") << "route add 198.18.1.0/24 via br3" << "expected \"dev\"";
    QTest::newRow("mtu low") << "mtu tap7 67" << "not a number from 68";
    QTest::newRow("negative owner") << "create-tap tap7 --owner -1" << "not a user id";
    QTest::newRow("foreign owner") << "create-tap tap7 --owner 4242" << "has no account";
    QTest::newRow("nobody sentinel") << "create-tap tap7 --owner 4294967295" << "out of range";
}

void TestNetsetupRequest::refusesWithReason()
{
    QFETCH(QString, line);
    QFETCH(QString, reason);
    std::vector<std::string> storage;
    auto r = parseRequest(split(line, storage), Caller{0, std::nullopt}, kKnownUids);
    QVERIFY(!r.ok());
    QVERIFY2(QString::fromStdString(r.error().message).contains(reason), r.error().message.c_str());
}

void TestNetsetupRequest::ownerComesFromPkexecCaller()
{
    std::vector<std::string> storage;
    auto viaPkexec = parseRequest(split("create-tap tap7", storage), Caller{0, "1000"}, kKnownUids);
    QVERIFY(viaPkexec.ok());
    QCOMPARE(*viaPkexec->owner, 1000u);
    auto rootDirect = parseRequest(split("create-tap tap7", storage), Caller{0, std::nullopt}, kKnownUids);
    QCOMPARE(*rootDirect->owner, 0u);
    auto forged = parseRequest(split("create-tap tap7 --owner 0", storage), Caller{0, "1000"}, kKnownUids);
    QVERIFY(!forged.ok());
    QVERIFY(QString::fromStdString(forged.error().message).contains("pkexec"));
    auto unprivileged = parseRequest(split("create-tap tap7", storage), Caller{1000, std::nullopt}, kKnownUids);
    QVERIFY(!unprivileged.ok());
    QVERIFY(QString::fromStdString(unprivileged.error().message).contains("needs root"));
    QVERIFY(parseRequest(split("status", storage), Caller{1000, std::nullopt}, kKnownUids).ok());
}

void TestNetsetupRequest::interfaceNamesFollowKernelRules()
{
    QVERIFY(checkInterfaceName("tap7").ok());
    QVERIFY(checkInterfaceName("br-lab_0.1").ok());
    QVERIFY(checkInterfaceName("abcdefghijklmno").ok()); // 15 bytes: the kernel's limit
    QVERIFY(!checkInterfaceName("abcdefghijklmnop").ok());
    QVERIFY(!checkInterfaceName("").ok());
    QVERIFY(!checkInterfaceName(".").ok());
    QVERIFY(!checkInterfaceName("..").ok());
    QVERIFY(!checkInterfaceName("a b").ok());
    QVERIFY(!checkInterfaceName("a:1").ok());
    QVERIFY(!checkInterfaceName(std::string_view("a\0b", 3)).ok());
}

void TestNetsetupRequest::quotedShowsUntrustedBytesSafely()
{
    QCOMPARE(tcplab::netsetup::quoted("tap\n7\"\\"), std::string("\"tap\\x0a7\\\"\\\\\""));
    QCOMPARE(tcplab::netsetup::quoted(std::string(50, 'a')), "\"" + std::string(40, 'a') + "...\"");
}

QTEST_GUILESS_MAIN(TestNetsetupRequest)
#include "test_netsetup_request.moc"

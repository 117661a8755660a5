// Lab > Lab mode > Tap device: the dialog refuses bad input with an error that names the field and
// the reason (and stays open), accepts good input, hands back the settings it shows (trimmed, the
// services split) and remembers them for the next time.
#include <QApplication>
#include <QComboBox>
#include <QLabel>
#include <QLineEdit>
#include <QSettings>
#include <QStandardPaths>
#include <QTest>

#include "views/tap_settings_dialog.h"

using namespace tcplab::gui;

namespace {

struct Fields {
    QLineEdit *tap, *ip4, *ip6, *mac, *gateway, *services, *snapLength, *captureMemory, *captureReserve,
        *captureSpillDirectory;
    QComboBox *scenario;
    QLabel *error;
};

Fields fieldsOf(TapSettingsDialog &d)
{
    Fields f{d.findChild<QLineEdit *>(QStringLiteral("tap")),
             d.findChild<QLineEdit *>(QStringLiteral("ip4")),
             d.findChild<QLineEdit *>(QStringLiteral("ip6")),
             d.findChild<QLineEdit *>(QStringLiteral("mac")),
             d.findChild<QLineEdit *>(QStringLiteral("gateway")),
             d.findChild<QLineEdit *>(QStringLiteral("services")),
             d.findChild<QLineEdit *>(QStringLiteral("snapLength")),
             d.findChild<QLineEdit *>(QStringLiteral("captureMemory")),
             d.findChild<QLineEdit *>(QStringLiteral("captureReserve")),
             d.findChild<QLineEdit *>(QStringLiteral("captureSpillDirectory")),
             d.findChild<QComboBox *>(QStringLiteral("scenario")),
             d.findChild<QLabel *>(QStringLiteral("error"))};
    if (!f.tap || !f.ip4 || !f.ip6 || !f.mac || !f.gateway || !f.services || !f.snapLength ||
        !f.captureMemory || !f.captureReserve || !f.captureSpillDirectory || !f.scenario || !f.error)
        qFatal("TapSettingsDialog: a field is missing (object names changed?)");
    return f;
}

void fillValid(const Fields &f)
{
    f.tap->setText(QStringLiteral("tap7"));
    f.ip4->setText(QStringLiteral("198.18.0.2/24"));
    f.ip6->clear();
    f.mac->clear();
    f.gateway->clear();
    f.services->setText(QStringLiteral("80:http, 9000:sink"));
    f.scenario->setCurrentText(QString());
    f.snapLength->clear();
    f.captureMemory->clear();
    f.captureReserve->clear();
    f.captureSpillDirectory->clear();
}

} // namespace

class TestTapSettingsDialog : public QObject {
    Q_OBJECT
private slots:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QCoreApplication::setOrganizationName(QStringLiteral("tcplab-test"));
        QCoreApplication::setApplicationName(QStringLiteral("test_tap_settings_dialog"));
        QSettings().clear();
    }

    void firstRunShowsDefaults()
    {
        QSettings().clear();
        TapSettingsDialog d({"handshake", "zero-window"});
        const auto s = d.settings();
        QCOMPARE(s.tap, std::string("tap7"));
        QCOMPARE(s.ip4, std::string("198.18.0.2/24"));
        QCOMPARE(s.listens, (std::vector<std::string>{"80:http", "9000:sink"}));
        QVERIFY(s.ip6.empty() && s.mac.empty() && s.gateway4.empty() && s.scenario.empty());
        QVERIFY(s.snapLength.empty()); // whole frames
        QCOMPARE(parseTapSettings(s).value().snapLength, std::uint32_t(0));
        // The capture's memory: the store's default bound, nothing reserved.
        QVERIFY(s.captureMemory.empty() && s.captureReserve.empty());
        QCOMPARE(parseTapSettings(s).value().store.memoryLimit, tcplab::StoreConfig{}.memoryLimit);
        QCOMPARE(parseTapSettings(s).value().store.reserve, std::uint64_t(0));
        // Spilling past it: into $TMPDIR, else /tmp, shown as the field's placeholder.
        QVERIFY(s.captureSpillDirectory.empty());
        QCOMPARE(parseTapSettings(s).value().store.spillDirectory, qEnvironmentVariableIsEmpty("TMPDIR")
                                                                       ? std::string("/tmp")
                                                                       : qgetenv("TMPDIR").toStdString());
        const Fields f = fieldsOf(d);
        QCOMPARE(f.captureSpillDirectory->placeholderText(),
                 QString::fromStdString(parseTapSettings(s).value().store.spillDirectory));
        QCOMPARE(s.captureWhenFull, std::string("spill"));
        QVERIFY(parseTapSettings(s).value().store.onFull == tcplab::StoreConfig::OnFull::Spill);
        QVERIFY(f.captureSpillDirectory->isEnabled());
        QCOMPARE(f.scenario->count(), 3); // none, then the scenarios offered
        QCOMPARE(f.scenario->itemText(1), QStringLiteral("handshake"));
        QVERIFY(f.error->isHidden());
    }

    void badInputIsRefusedWithTheFieldAndTheReason_data()
    {
        QTest::addColumn<QString>("field");
        QTest::addColumn<QString>("text");
        QTest::addColumn<QStringList>("errorSays");
        QTest::newRow("empty tap name") << "tap"
                                        << "" << QStringList{"tap name", "1 to 15 characters"};
        QTest::newRow("tap name too long")
            << "tap"
            << "a-name-far-too-long" << QStringList{"tap name \"a-name-far-too-long\"", "1 to 15 characters"};
        QTest::newRow("tap name with a slash") << "tap"
                                               << "tap/7" << QStringList{"tap name \"tap/7\"", "no '/'"};
        QTest::newRow("tap name with a space") << "tap"
                                               << "tap 7" << QStringList{"tap name \"tap 7\"", "no spaces"};
        QTest::newRow("IPv4 without prefix")
            << "ip4"
            << "198.18.0.2" << QStringList{"IPv4 address \"198.18.0.2\"", "ADDRESS/PREFIX"};
        QTest::newRow("IPv4 not an address")
            << "ip4"
            << "lab.example/24" << QStringList{"IPv4 address \"lab.example/24\"", "ADDRESS/PREFIX"};
        QTest::newRow("IPv6 in the IPv4 field") << "ip4"
                                                << "2001:db8::2/64" << QStringList{"IPv4 address"};
        QTest::newRow("IPv4 in the IPv6 field")
            << "ip6"
            << "198.18.0.2/24" << QStringList{"IPv6 address \"198.18.0.2/24\"", "ADDRESS/PREFIX"};
        QTest::newRow("multicast MAC")
            << "mac"
            << "01:00:5e:00:00:01" << QStringList{"MAC address \"01:00:5e:00:00:01\"", "unicast"};
        QTest::newRow("MAC too short") << "mac"
                                       << "02:54:4c" << QStringList{"MAC address \"02:54:4c\"", "six"};
        QTest::newRow("gateway not an address")
            << "gateway"
            << "gw" << QStringList{"gateway \"gw\"", "not an IPv4 address"};
        QTest::newRow("service without port") << "services"
                                              << "http" << QStringList{"PORT:SERVICE"};
        QTest::newRow("service port out of range") << "services"
                                                   << "70000:http" << QStringList{"1 to 65535"};
        QTest::newRow("unknown service") << "services"
                                         << "80:Http;rm" << QStringList{"not a service name"};
        QTest::newRow("port taken twice")
            << "services"
            << "80:http, 80:sink" << QStringList{"service \"80:sink\"", "port already taken by http"};
        QTest::newRow("snap length too small")
            << "snapLength"
            << "10" << QStringList{"snap length \"10\"", "from 64 to 262144", "nothing for whole frames"};
        QTest::newRow("snap length too large") << "snapLength"
                                               << "300000" << QStringList{"snap length \"300000\""};
        QTest::newRow("snap length not a number") << "snapLength"
                                                  << "96 bytes" << QStringList{"snap length \"96 bytes\""};
        QTest::newRow("capture memory not a size")
            << "captureMemory"
            << "4GB" << QStringList{"capture memory \"4GB\"", "512M, 4G or 4GiB", "nothing for 2G"};
        QTest::newRow("capture memory zero") << "captureMemory"
                                             << "0" << QStringList{"capture memory \"0\"", "a size like"};
        QTest::newRow("capture reserve not a size")
            << "captureReserve"
            << "1.5G" << QStringList{"capture reserve \"1.5G\"", "a size like", "nothing for none"};
        QTest::newRow("capture reserve under a chunk")
            << "captureReserve"
            << "512K" << QStringList{"capture reserve \"512K\"", "at least 1M", "1 MiB chunks"};
        QTest::newRow("capture reserve over the default bound")
            << "captureReserve"
            << "3G"
            << QStringList{"capture reserve \"3G\"", "more than the capture memory (2048 MiB)",
                           "raise the capture memory"};
        QTest::newRow("spill directory missing")
            << "captureSpillDirectory"
            << "/nonexistent/tcplab"
            << QStringList{"capture spill directory \"/nonexistent/tcplab\"", "No such file or directory"};
        QTest::newRow("spill directory a file")
            << "captureSpillDirectory"
            << "/etc/passwd" << QStringList{"capture spill directory \"/etc/passwd\": not a directory"};
    }
    void badInputIsRefusedWithTheFieldAndTheReason()
    {
        QFETCH(QString, field);
        QFETCH(QString, text);
        QFETCH(QStringList, errorSays);
        QSettings().clear();
        TapSettingsDialog d({});
        const Fields f = fieldsOf(d);
        fillValid(f);
        d.findChild<QLineEdit *>(field)->setText(text);
        d.show();
        QVERIFY(QTest::qWaitForWindowExposed(&d));
        d.accept();
        QVERIFY2(d.isVisible(), "the dialog closed on bad input");
        QCOMPARE(d.result(), int(QDialog::Rejected));
        QVERIFY(f.error->isVisible());
        for (const QString &words : errorSays)
            QVERIFY2(f.error->text().contains(words),
                     qPrintable(QStringLiteral("error \"%1\" lacks \"%2\"").arg(f.error->text(), words)));
        // Nothing was remembered.
        QVERIFY(!QSettings().contains(QStringLiteral("tap/device")));

        // Fixing the field lets the dialog close.
        fillValid(f);
        d.accept();
        QCOMPARE(d.result(), int(QDialog::Accepted));
        QVERIFY(!d.isVisible());
    }

    void goodInputGivesTheOptionsShown()
    {
        QSettings().clear();
        TapSettingsDialog d({"handshake"});
        const Fields f = fieldsOf(d);
        f.tap->setText(QStringLiteral("  tap9 "));
        f.ip4->setText(QStringLiteral("10.9.0.2/16 "));
        f.ip6->setText(QStringLiteral("2001:db8::2/64"));
        f.mac->setText(QStringLiteral("02:54:4c:00:00:09"));
        f.gateway->setText(QStringLiteral("10.9.0.1"));
        f.services->setText(QStringLiteral("80:http 7:echo,9000:sink"));
        f.scenario->setCurrentText(QStringLiteral("handshake"));
        f.snapLength->setText(QStringLiteral(" 128"));
        f.captureMemory->setText(QStringLiteral("8G "));
        f.captureReserve->setText(QStringLiteral(" 4GiB"));
        QTemporaryDir spill;
        f.captureSpillDirectory->setText(spill.path() + QStringLiteral(" "));
        const auto s = d.settings();
        QCOMPARE(s.tap, std::string("tap9"));
        QCOMPARE(s.ip4, std::string("10.9.0.2/16"));
        QCOMPARE(s.ip6, std::string("2001:db8::2/64"));
        QCOMPARE(s.mac, std::string("02:54:4c:00:00:09"));
        QCOMPARE(s.gateway4, std::string("10.9.0.1"));
        QCOMPARE(s.listens, (std::vector<std::string>{"80:http", "7:echo", "9000:sink"}));
        QCOMPARE(s.scenario, std::string("handshake"));
        QCOMPARE(s.snapLength, std::string("128"));
        QCOMPARE(s.captureMemory, std::string("8G"));
        QCOMPARE(s.captureReserve, std::string("4GiB"));
        QCOMPARE(s.captureSpillDirectory, spill.path().toStdString());
        const auto parsed = parseTapSettings(s);
        QVERIFY2(parsed.ok(), parsed ? "" : parsed.error().message.c_str());
        QCOMPARE(parsed.value().snapLength, std::uint32_t(128));
        QCOMPARE(parsed.value().store.memoryLimit, std::uint64_t(8) << 30);
        QCOMPARE(parsed.value().store.reserve, std::uint64_t(4) << 30);
        QCOMPARE(parsed.value().store.spillDirectory, spill.path().toStdString());
        QCOMPARE(parsed.value().listens.size(), std::size_t(3));
        QCOMPARE(parsed.value().listens[1].port, std::uint16_t(7));
        QCOMPARE(parsed.value().listens[1].service, std::string("echo"));

        d.accept();
        QCOMPARE(d.result(), int(QDialog::Accepted));
        QVERIFY(f.error->isHidden());
        // Remembered: the next dialog opens with the same settings.
        QCOMPARE(TapSettingsDialog::saved(), s);
        TapSettingsDialog again({"handshake"});
        QCOMPARE(again.settings(), s);
    }

    void setSettingsShowsThem()
    {
        TapSettings s;
        s.tap = "tap3";
        s.ip4 = "198.18.3.2/24";
        s.listens = {"22:discard", "19:chargen"};
        s.snapLength = "96";
        s.captureMemory = "512M";
        s.captureReserve = "256M";
        s.captureSpillDirectory = "/var/tmp";
        s.captureWhenFull = "stop";
        TapSettingsDialog d({});
        d.setSettings(s);
        const Fields f = fieldsOf(d);
        QCOMPARE(f.services->text(), QStringLiteral("22:discard, 19:chargen"));
        QCOMPARE(f.snapLength->text(), QStringLiteral("96"));
        QCOMPARE(f.captureMemory->text(), QStringLiteral("512M"));
        QCOMPARE(f.captureReserve->text(), QStringLiteral("256M"));
        QCOMPARE(f.captureSpillDirectory->text(), QStringLiteral("/var/tmp"));
        QCOMPARE(d.findChild<QComboBox *>(QStringLiteral("captureWhenFull"))->currentText(),
                 QStringLiteral("Stop recording"));
        QCOMPARE(d.settings(), s);
    }

    // "Stop recording" when the memory is full: the spill directory is not used, so its field is
    // disabled and not checked; the capture stops at its bound.
    void stoppingAtTheBoundNeedsNoSpillDirectory()
    {
        QSettings().clear();
        TapSettingsDialog d({});
        const Fields f = fieldsOf(d);
        fillValid(f);
        auto *whenFull = d.findChild<QComboBox *>(QStringLiteral("captureWhenFull"));
        QVERIFY(whenFull);
        f.captureSpillDirectory->setText(QStringLiteral("/nonexistent/tcplab"));
        whenFull->setCurrentIndex(1);
        QVERIFY(!f.captureSpillDirectory->isEnabled());
        const auto s = d.settings();
        QCOMPARE(s.captureWhenFull, std::string("stop"));
        const auto parsed = parseTapSettings(s);
        QVERIFY2(parsed.ok(), parsed ? "" : parsed.error().message.c_str());
        QVERIFY(parsed.value().store.onFull == tcplab::StoreConfig::OnFull::Stop);
        d.accept();
        QCOMPARE(d.result(), int(QDialog::Accepted));
        QCOMPARE(TapSettingsDialog::saved().captureWhenFull, std::string("stop"));
        // Back to spilling: the same directory is refused, naming it.
        TapSettings spill = s;
        spill.captureWhenFull = "spill";
        QVERIFY(!parseTapSettings(spill).ok());
        QVERIFY(parseTapSettings(spill).error().message.find("\"/nonexistent/tcplab\"") != std::string::npos);
        spill.captureWhenFull = "later";
        QCOMPARE(parseTapSettings(spill).error().message,
                 std::string("capture when full \"later\": spill or stop"));
    }
};

int main(int argc, char **argv)
{
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM")) qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    TestTapSettingsDialog t;
    return QTest::qExec(&t, argc, argv);
}

#include "test_tap_settings_dialog.moc"

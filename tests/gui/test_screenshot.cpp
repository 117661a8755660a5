// `tcplab --screenshot` in English and Japanese, after the demo ran a scenario: the PNG must exist,
// have the requested size and show a real window (many colours, most pixels not one flat colour),
// and the Japanese one must differ from the English one (the strings were translated).
#include <QCryptographicHash>
#include <QDir>
#include <QImage>
#include <QProcess>
#include <QSet>
#include <QTemporaryDir>
#include <QTest>

namespace {

struct ImageFacts {
    int distinctColours = 0;
    double dominantShare = 1;  // share of the most common colour
};

ImageFacts factsOf(const QImage &image)
{
    QHash<QRgb, int> counts;
    for (int y = 0; y < image.height(); y += 2)
        for (int x = 0; x < image.width(); x += 2) ++counts[image.pixel(x, y)];
    int total = 0, top = 0;
    for (int c : counts) {
        total += c;
        top = std::max(top, c);
    }
    return {int(counts.size()), total ? double(top) / total : 1.0};
}

}  // namespace

class TestScreenshot : public QObject {
    Q_OBJECT
private slots:
    void screenshotIsNotBlank_data()
    {
        QTest::addColumn<QString>("lang");
        QTest::addColumn<QString>("scenario");
        QTest::addColumn<QString>("panel");
        QTest::addColumn<QString>("size");
        QTest::newRow("en, syn-answered-by-ack") << "en" << "syn-answered-by-ack" << "" << "1280x800";
        QTest::newRow("ja, syn-answered-by-ack") << "ja" << "syn-answered-by-ack" << "" << "1280x800";
        QTest::newRow("en, loss-and-retransmission") << "en" << "loss-and-retransmission" << "" << "1280x800";
        QTest::newRow("ja, loss-and-retransmission") << "ja" << "loss-and-retransmission" << "" << "1280x800";
        // The rule editor and the classroom explanation in front.
        QTest::newRow("en, rules") << "en" << "syn-answered-by-ack" << "rules" << "1280x800";
        QTest::newRow("ja, rules") << "ja" << "syn-answered-by-ack" << "rules" << "1280x800";
        QTest::newRow("en, explanation") << "en" << "syn-answered-by-ack" << "explanation" << "1280x800";
        QTest::newRow("ja, explanation") << "ja" << "syn-answered-by-ack" << "explanation" << "1280x800";
        // Classroom: stepped into the handshake lesson, the state machine and the lesson note shown;
        // and presentation mode (the diagram and the state machine only).
        QTest::newRow("en, classroom") << "en" << "handshake" << "classroom" << "1280x800";
        QTest::newRow("ja, classroom") << "ja" << "handshake" << "classroom" << "1280x800";
        QTest::newRow("en, presentation") << "en" << "handshake" << "presentation" << "1280x800";
        QTest::newRow("ja, presentation") << "ja" << "handshake" << "presentation" << "1280x800";
        // Classroom on a small screen (test_narrow_layouts checks that nothing is cut there).
        QTest::newRow("en, classroom 1024x640") << "en" << "handshake" << "classroom" << "1024x640";
        QTest::newRow("ja, classroom 1024x640") << "ja" << "handshake" << "classroom" << "1024x640";
    }
    void screenshotIsNotBlank()
    {
        QFETCH(QString, lang);
        QFETCH(QString, scenario);
        QFETCH(QString, panel);
        QFETCH(QString, size);
        const QString file = dir_.filePath(QStringLiteral("shot-%1-%2%3-%4.png").arg(lang, scenario, panel, size));
        QProcess p;
        p.setProcessChannelMode(QProcess::ForwardedChannels);
        QStringList args{QStringLiteral("--screenshot"), file, QStringLiteral("--scenario"), scenario,
                         QStringLiteral("--lang"), lang, QStringLiteral("--size"), size};
        if (!panel.isEmpty()) args << QStringLiteral("--panel") << panel;
        p.start(QStringLiteral(TCPLAB_BINARY), args);
        QVERIFY(p.waitForFinished(60000));
        QCOMPARE(p.exitStatus(), QProcess::NormalExit);
        QCOMPARE(p.exitCode(), 0);
        QImage image(file);
        QVERIFY2(!image.isNull(), qPrintable(file));
        // The window may grow past the requested size to fit its docks' minimum sizes.
        const QStringList wh = size.split(QLatin1Char('x'));
        QVERIFY(image.width() >= wh[0].toInt() && image.height() >= wh[1].toInt());
        const auto facts = factsOf(image);
        QVERIFY2(facts.distinctColours > 200, qPrintable(QStringLiteral("only %1 colours").arg(facts.distinctColours)));
        // Classroom shows two diagrams on the base colour (the sequence and the state machine, the
        // other docks tabbed behind the explanation on a small screen): more of it is that colour.
        const bool classroom = panel == QLatin1String("classroom");
        QVERIFY2(facts.dominantShare < (classroom ? 0.7 : 0.6),
                 qPrintable(QStringLiteral("%1 of the pixels are one colour").arg(facts.dominantShare)));
        // The language comparison below is at one size.
        if (size == QLatin1String("1280x800"))
            hashes_[lang + scenario + panel] = QCryptographicHash::hash(QByteArray(reinterpret_cast<const char *>(image.constBits()), image.sizeInBytes()),
                                                                     QCryptographicHash::Sha1);
        if (panel == QLatin1String("classroom") || panel == QLatin1String("presentation")) {
            // Stepped to the SYN-ACK: the state machine highlights the client's state (SYN-SENT) and
            // the server's (SYN-RECEIVED) in their own colours, so both colours fill boxes.
            int client = 0, server = 0;
            const QImage rgb = image.convertToFormat(QImage::Format_RGB32);
            for (int y = 0; y < rgb.height(); ++y)
                for (int x = 0; x < rgb.width(); ++x) {
                    const QRgb c = rgb.pixel(x, y) & 0xffffff;
                    client += c == 0x1f77d4;
                    server += c == 0xe06c10;
                }
            QVERIFY2(client > 300 && server > 300, qPrintable(QStringLiteral("state colours: %1 client, %2 server pixels").arg(client).arg(server)));
        }
    }

    void japaneseDiffersFromEnglish()
    {
        for (const char *scenario : {"syn-answered-by-ack", "loss-and-retransmission", "handshakeclassroom", "handshakepresentation"}) {
            const QString s = QString::fromLatin1(scenario);
            QVERIFY(hashes_.contains(QStringLiteral("en") + s) && hashes_.contains(QStringLiteral("ja") + s));
            QVERIFY(hashes_[QStringLiteral("en") + s] != hashes_[QStringLiteral("ja") + s]);
        }
    }

    // Refused before any window or device: exit 2 and a line naming the option.
    void badArgumentsAreRefused_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QByteArray>("named");
        const QStringList tap{QStringLiteral("--tap"), QStringLiteral("tcplab-none0"),
                              QStringLiteral("--ip4"), QStringLiteral("198.18.0.2/24")};
        QTest::newRow("unknown language")
            << QStringList{QStringLiteral("--screenshot"), dir_.filePath(QStringLiteral("x.png")),
                           QStringLiteral("--lang"), QStringLiteral("klingon")}
            << QByteArray("--lang");
        QTest::newRow("snap length below 64")
            << (tap + QStringList{QStringLiteral("--snaplen"), QStringLiteral("20")})
            << QByteArray("--snaplen wants a number of bytes from 64 to 262144");
        QTest::newRow("snap length not a number")
            << (tap + QStringList{QStringLiteral("--snaplen"), QStringLiteral("96k")})
            << QByteArray("not \"96k\"");
        QTest::newRow("snap length without a tap")
            << QStringList{QStringLiteral("--snaplen"), QStringLiteral("128")}
            << QByteArray("go with --tap NAME");
        QTest::newRow("capture memory not a size")
            << (tap + QStringList{QStringLiteral("--capture-memory"), QStringLiteral("8GB")})
            << QByteArray("capture memory \"8GB\": a size like 512M, 4G or 4GiB");
        QTest::newRow("capture reserve over the bound")
            << (tap + QStringList{QStringLiteral("--capture-memory"), QStringLiteral("1G"),
                                  QStringLiteral("--capture-reserve"), QStringLiteral("2G")})
            << QByteArray("capture reserve \"2G\": more than the capture memory (1024 MiB)");
        QTest::newRow("capture reserve without a tap")
            << QStringList{QStringLiteral("--capture-reserve"), QStringLiteral("1G")}
            << QByteArray("go with --tap NAME");
        QTest::newRow("capture spill directory missing")
            << (tap +
                QStringList{QStringLiteral("--capture-spill-dir"), QStringLiteral("/nonexistent/tcplab")})
            << QByteArray("capture spill directory \"/nonexistent/tcplab\": No such file or directory");
        QTest::newRow("capture when full, a word")
            << (tap + QStringList{QStringLiteral("--capture-when-full"), QStringLiteral("drop")})
            << QByteArray("capture when full \"drop\": spill or stop");
        QTest::newRow("capture spill directory without a tap")
            << QStringList{QStringLiteral("--capture-spill-dir"), QStringLiteral("/var/tmp")}
            << QByteArray("go with --tap NAME");
    }
    void badArgumentsAreRefused()
    {
        QFETCH(QStringList, args);
        QFETCH(QByteArray, named);
        QProcess p;
        p.start(QStringLiteral(TCPLAB_BINARY), args);
        QVERIFY(p.waitForFinished(30000));
        QCOMPARE(p.exitStatus(), QProcess::NormalExit);
        QCOMPARE(p.exitCode(), 2);
        const QByteArray err = p.readAllStandardError();
        QVERIFY2(err.contains(named), err.constData());
    }

private:
    QTemporaryDir dir_;
    QHash<QString, QByteArray> hashes_;
};

QTEST_GUILESS_MAIN(TestScreenshot)
#include "test_screenshot.moc"

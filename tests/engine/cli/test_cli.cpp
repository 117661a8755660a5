// tcplab-cli's argument contract: what is accepted, what is refused (with a one-line reason), and
// the process-level behaviour scripts rely on (exit codes, one error line, --help, --version,
// the ready line and the stats at exit in demo mode).
#include "cli/cli_options.h"

#include <QProcess>
#include <QtTest>

using namespace tcplab;

namespace {

Expected<CliOptions> parse(std::initializer_list<const char *> args)
{
    std::vector<CliExtension> none;
    return parseCliArgs(std::vector<std::string>(args.begin(), args.end()), none);
}

struct Run {
    int exitCode;
    QString out, err;
};

Run runCli(const QStringList &args, const QProcessEnvironment &env = QProcessEnvironment::systemEnvironment())
{
    QProcess p;
    p.setProcessEnvironment(env);
    p.start(QStringLiteral(TCPLAB_CLI_PATH), args);
    if (!p.waitForFinished(30000)) p.kill();
    return {p.exitCode(), QString::fromUtf8(p.readAllStandardOutput()), QString::fromUtf8(p.readAllStandardError())};
}

}  // namespace

class TestCli : public QObject {
    Q_OBJECT
private slots:
    void fullTapCommandLineParses()
    {
        auto o = parse({"--tap", "tap7", "--ip4", "198.18.0.2/24", "--ip6", "2001:db8::2/64", "--mac", "02:00:00:00:00:02",
                        "--gateway4", "198.18.0.1", "--gateway6", "fe80::1", "--listen", "7/udp:echo", "--listen", "80:http", "--events", "ev.jsonl",
                        "--duration", "2.5", "--log-level", "debug", "--seed", "9"});
        QVERIFY2(o.ok(), o.ok() ? "" : o.error().message.c_str());
        QCOMPARE(int(o->mode), int(CliOptions::Mode::Tap));
        QCOMPARE(o->tap, std::string("tap7"));
        QCOMPARE(o->ip4->toString(), std::string("198.18.0.2/24"));
        QCOMPARE(o->gateway6->toString(), std::string("fe80::1"));
        auto inPrefix = parse({"--tap", "t0", "--ip4", "198.18.0.2/24", "--ip6", "2001:db8::2/64", "--gateway6", "2001:db8::1"});
        QVERIFY2(inPrefix.ok(), inPrefix.ok() ? "" : inPrefix.error().message.c_str());
        QCOMPARE(*inPrefix->gateway6, *Ip6Addr::parse("2001:db8::1"));
        QCOMPARE(o->listens.size(), 2u);
        QVERIFY(o->listens[0].udp && o->listens[0].port == 7 && o->listens[0].service == "echo");
        QVERIFY(!o->listens[1].udp && o->listens[1].port == 80 && o->listens[1].service == "http");
        QCOMPARE(*o->durationSeconds, 2.5);
        QCOMPARE(o->seed, 9u);
        QVERIFY(parse({"--demo", "--duration=1"}).ok());
    }

    void badArgumentsAreRefusedWithTheReason_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QString>("reason");
        QTest::newRow("nothing") << QStringList{} << "choose --tap NAME or --demo";
        QTest::newRow("no ip4") << QStringList{"--tap", "t0"} << "--tap needs --ip4";
        QTest::newRow("bad ip4") << QStringList{"--tap", "t0", "--ip4", "198.18.0.2"} << "--ip4: expected";
        QTest::newRow("v6 as ip4") << QStringList{"--tap", "t0", "--ip4", "2001:db8::2/64"} << "--ip4: expected";
        QTest::newRow("bad mac") << QStringList{"--tap", "t0", "--ip4", "198.18.0.2/24", "--mac", "01:00:5e:00:00:01"} << "--mac";
        QTest::newRow("gateway outside") << QStringList{"--tap", "t0", "--ip4", "198.18.0.2/24", "--gateway4", "10.0.0.1"}
                                         << "not inside";
        QTest::newRow("gateway6 outside")
            << QStringList{"--tap", "t0", "--ip4", "198.18.0.2/24", "--ip6", "2001:db8::2/64", "--gateway6", "2001:db8:1::1"}
            << "nor link-local";
        QTest::newRow("gateway6 without ip6") << QStringList{"--tap", "t0", "--ip4", "198.18.0.2/24", "--gateway6", "fe80::1"}
                                              << "needs --ip6";
        QTest::newRow("gateway6 multicast")
            << QStringList{"--tap", "t0", "--ip4", "198.18.0.2/24", "--ip6", "2001:db8::2/64", "--gateway6", "ff02::1"}
            << "--gateway6: expected a unicast IPv6 address";
        QTest::newRow("gateway6 v4") << QStringList{"--tap", "t0", "--ip4", "198.18.0.2/24", "--gateway6", "198.18.0.1"}
                                     << "--gateway6: expected";
        QTest::newRow("gateway6 with demo") << QStringList{"--demo", "--gateway6", "fe80::1"} << "apply to --tap only";
        QTest::newRow("port 0") << QStringList{"--demo", "--listen", "0/udp:echo"} << "port must be 1 to 65535";
        QTest::newRow("no service") << QStringList{"--demo", "--listen", "7/udp"} << "--listen: expected";
        QTest::newRow("bad proto") << QStringList{"--demo", "--listen", "7/sctp:echo"} << "protocol must be";
        QTest::newRow("negative duration") << QStringList{"--demo", "--duration", "-1"} << "--duration";
        QTest::newRow("bad level") << QStringList{"--demo", "--log-level", "loud"} << "--log-level";
        QTest::newRow("unknown") << QStringList{"--demo", "--frobnicate"} << "unknown option --frobnicate";
        QTest::newRow("missing value") << QStringList{"--demo", "--events"} << "needs a value";
        QTest::newRow("both modes") << QStringList{"--demo", "--tap", "t0"} << "exclude each other";
        QTest::newRow("ip4 with demo") << QStringList{"--demo", "--ip4", "198.18.0.2/24"} << "apply to --tap only";
        QTest::newRow("stray word") << QStringList{"--demo", "extra"} << "unexpected argument";
    }

    void badArgumentsAreRefusedWithTheReason()
    {
        QFETCH(QStringList, args);
        QFETCH(QString, reason);
        std::vector<std::string> v;
        for (const auto &a : args) v.push_back(a.toStdString());
        std::vector<CliExtension> none;
        auto o = parseCliArgs(v, none);
        QVERIFY(!o.ok());
        QVERIFY2(QString::fromStdString(o.error().message).contains(reason), o.error().message.c_str());
        // The process: exit code 2 and exactly one line on stderr.
        const Run r = runCli(args);
        QCOMPARE(r.exitCode, 2);
        QCOMPARE(r.err.count('\n'), 1);
        QVERIFY2(r.err.startsWith("tcplab-cli: ") && r.err.contains(reason), qPrintable(r.err));
        QVERIFY(r.out.isEmpty());
    }

    void numbersAreCheckedNotGuessed_data()
    {
        // Options of the extensions and of `inspect`, given numbers they cannot take: a clear line,
        // exit 2, never an abort or a silently wrapped "-5".
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QString>("reason");
        QTest::newRow("snaplen small") << QStringList{"--demo", "--pcap", "x.pcapng", "--pcap-snaplen", "10"}
                                       << "--pcap-snaplen: expected a number of bytes from 64 to 262144, got \"10\"";
        QTest::newRow("snaplen negative") << QStringList{"--demo", "--pcap", "x.pcapng", "--pcap-snaplen", "-5"}
                                          << "--pcap-snaplen: expected";
        QTest::newRow("snaplen without pcap")
            << QStringList{"--demo", "--pcap-snaplen", "128"} << "--pcap-snaplen: needs --pcap FILE";
        QTest::newRow("memory word")
            << QStringList{"--demo", "--pcap", "x.pcapng", "--pcap-memory", "lots"}
            << "--pcap-memory: expected a size like 512M, 4G or 4GiB (powers of 1024), got \"lots\"";
        QTest::newRow("memory zero") << QStringList{"--demo", "--pcap", "x.pcapng", "--pcap-memory", "0"}
                                     << "--pcap-memory: expected a size";
        QTest::newRow("reserve decimal")
            << QStringList{"--demo", "--pcap", "x.pcapng", "--pcap-reserve", "1.5G"}
            << "--pcap-reserve: expected a size";
        QTest::newRow("reserve under a chunk")
            << QStringList{"--demo", "--pcap", "x.pcapng", "--pcap-reserve", "64K"}
            << "--pcap-reserve: at least 1M (the capture takes memory in 1 MiB chunks), got \"64K\"";
        QTest::newRow("reserve overflow")
            << QStringList{"--demo", "--pcap", "x.pcapng", "--pcap-reserve", "99999999999T"}
            << "--pcap-reserve: expected a size";
        QTest::newRow("reserve over the bound")
            << QStringList{"--demo", "--pcap", "x.pcapng", "--pcap-memory", "1G", "--pcap-reserve", "2G"}
            << "--pcap-reserve: 2048 MiB is more than the capture's memory (1024 MiB); raise --pcap-memory";
        QTest::newRow("reserve over the default bound")
            << QStringList{"--demo", "--pcap", "x.pcapng", "--pcap-reserve", "3G"} << "(2048 MiB by default)";
        QTest::newRow("reserve without pcap")
            << QStringList{"--demo", "--pcap-reserve", "1G"} << "--pcap-reserve: needs --pcap FILE";
        QTest::newRow("memory without pcap")
            << QStringList{"--demo", "--pcap-memory", "1G"} << "--pcap-memory: needs --pcap FILE";
        QTest::newRow("spill dir missing")
            << QStringList{"--demo", "--pcap", "x.pcapng", "--pcap-spill-dir", "/nonexistent/tcplab"}
            << "--pcap-spill-dir: spill directory \"/nonexistent/tcplab\": No such file or directory";
        QTest::newRow("spill dir a file")
            << QStringList{"--demo", "--pcap", "x.pcapng", "--pcap-spill-dir", "/etc/passwd"}
            << "--pcap-spill-dir: spill directory \"/etc/passwd\": not a directory";
        QTest::newRow("spill dir without pcap")
            << QStringList{"--demo", "--pcap-spill-dir", "/tmp"} << "--pcap-spill-dir: needs --pcap FILE";
        QTest::newRow("when full, a word")
            << QStringList{"--demo", "--pcap", "x.pcapng", "--pcap-when-full", "drop"}
            << "--pcap-when-full: expected spill or stop, got \"drop\"";
        QTest::newRow("when full without pcap")
            << QStringList{"--demo", "--pcap-when-full", "stop"} << "--pcap-when-full: needs --pcap FILE";
        QTest::newRow("spill dir when stopping")
            << QStringList{"--demo", "--pcap",           "x.pcapng", "--pcap-when-full",
                           "stop",   "--pcap-spill-dir", "/tmp"}
            << "--pcap-spill-dir: not used with --pcap-when-full stop";
        QTest::newRow("both views without pcap")
            << QStringList{"--demo", "--pcap-both-views"} << "--pcap-both-views: needs --pcap FILE";
        QTest::newRow("send-bytes negative")
            << QStringList{"--demo", "--connect", "198.18.0.2:9", "--send-bytes", "-5"} << "--send-bytes: expected a byte count";
        QTest::newRow("send-bytes words") << QStringList{"--demo", "--connect", "198.18.0.2:9", "--send-bytes", "12abc"}
                                          << "--send-bytes: expected a byte count";
        QTest::newRow("inspect max-frames word") << QStringList{"inspect", "--max-frames", "abc", "x.pcap"}
                                                 << "inspect: --max-frames: expected a number of frames";
        QTest::newRow("inspect max-frames zero") << QStringList{"inspect", "--max-frames", "0", "x.pcap"}
                                                 << "inspect: --max-frames: expected a number of frames";
        QTest::newRow("inspect max-frames missing") << QStringList{"inspect", "--max-frames"}
                                                    << "inspect: --max-frames needs a number of frames";
    }
    void numbersAreCheckedNotGuessed()
    {
        QFETCH(QStringList, args);
        QFETCH(QString, reason);
        const Run r = runCli(args);
        QCOMPARE(r.exitCode, 2);
        QCOMPARE(r.err.count('\n'), 1);
        QVERIFY2(r.err.contains(reason), qPrintable(r.err));
    }

    // The capture spills past --pcap-memory into $TMPDIR (else /tmp) unless --pcap-spill-dir says
    // where: a TMPDIR that is not there is refused before the run; a directory in memory (tmpfs) is
    // accepted with a warning that spilling there still takes RAM; a spill lands where it was told;
    // with --pcap-when-full stop, recording stops there instead.
    void spillDirectoryComesFromTmpdirAndTmpfsIsWarned()
    {
        QTemporaryDir dir;
        const QString pcap = dir.filePath("run.pcapng");
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("TMPDIR"), QStringLiteral("/nonexistent/tcplab-tmp"));
        const Run missing = runCli({"--demo", "--duration", "0.1", "--pcap", pcap}, env);
        QCOMPARE(missing.exitCode, 2);
        QVERIFY2(missing.err.contains("--pcap: spill directory \"/nonexistent/tcplab-tmp\": No such file or "
                                      "directory ($TMPDIR, or /tmp); give --pcap-spill-dir DIR"),
                 qPrintable(missing.err));
        QVERIFY(!QFile::exists(pcap));

        // /dev/shm is tmpfs wherever glibc's shm_open works.
        const Run shm =
            runCli({"--demo", "--duration", "0.1", "--pcap", pcap, "--pcap-spill-dir", "/dev/shm"});
        QCOMPARE(shm.exitCode, 0);
        QVERIFY2(shm.err.contains("tcplab-cli: warning: --pcap: the spill directory /dev/shm is in memory "
                                  "(tmpfs): frames past --pcap-memory (2048 MiB) would still take RAM"),
                 qPrintable(shm.err));
        QVERIFY(QFile::exists(pcap));

        // 1 MiB of memory and 3 MB sent: the store spills, and its warning names TMPDIR (a
        // directory in the build tree: on disk, where /tmp may not be).
        QTemporaryDir spill(QCoreApplication::applicationDirPath() + QStringLiteral("/spill-XXXXXX"));
        env.insert(QStringLiteral("TMPDIR"), spill.path());
        const QString events = dir.filePath("events.jsonl");
        const Run spilled =
            runCli({"--demo", "--listen", "9:discard", "--connect", "198.18.0.2:9", "--send-bytes", "3000000",
                    "--duration", "2", "--pcap", pcap, "--pcap-memory", "1M", "--events", events},
                   env);
        QCOMPARE(spilled.exitCode, 0);
        QVERIFY2(!spilled.err.contains("warning"), qPrintable(spilled.err)); // a directory on disk
        QFile f(events);
        QVERIFY(f.open(QIODevice::ReadOnly));
        const QByteArray log = f.readAll();
        QVERIFY2(log.contains("new frames are kept in a temporary file in " + spill.path().toUtf8()),
                 log.right(2000).constData());
        QCOMPARE(QDir(spill.path()).entryList(QDir::Files).size(), 0); // unlinked at once

        // --pcap-when-full stop: no spill directory is needed (TMPDIR points nowhere again); past the
        // bound recording stops, the warning says so, the file holds what was recorded and the
        // stats line counts the rest.
        env.insert(QStringLiteral("TMPDIR"), QStringLiteral("/nonexistent/tcplab-tmp"));
        const QString stoppedEvents = dir.filePath("stopped.jsonl");
        const Run stopped =
            runCli({"--demo", "--listen", "9:discard", "--connect", "198.18.0.2:9", "--send-bytes", "3000000",
                    "--duration", "2", "--pcap", pcap, "--pcap-memory", "2M", "--pcap-when-full", "stop",
                    "--events", stoppedEvents},
                   env);
        QCOMPARE(stopped.exitCode, 0);
        QFile s(stoppedEvents);
        QVERIFY(s.open(QIODevice::ReadOnly));
        const QByteArray stopLog = s.readAll();
        QVERIFY2(stopLog.contains("packet store full: recording stopped"), stopLog.right(2000).constData());
        const QRegularExpression stats(QStringLiteral("pcap \\S+ frames=(\\d+) not_recorded=(\\d+)"));
        const auto m = stats.match(stopped.out);
        QVERIFY2(m.hasMatch(), qPrintable(stopped.out));
        QVERIFY(m.captured(1).toULongLong() > 0 && m.captured(2).toULongLong() > 0);
    }

    void unusableTapIsOneLineAndNonZero()
    {
        const Run r = runCli({"--tap", "a-name-much-too-long-for-linux", "--ip4", "198.18.0.2/24"});
        QCOMPARE(r.exitCode, 1);
        QCOMPARE(r.err.count('\n'), 1);
        QVERIFY2(r.err.contains("cannot attach to tap \"a-name-much-too-long-for-linux\""), qPrintable(r.err));
        QVERIFY(!r.out.contains("ready"));
    }

    void extensionsAddOptionsWithoutTouchingTheTable()
    {
        std::string seen;
        CliExtension ext;
        ext.name = "test";
        ext.options.push_back({"pcap", "FILE", "write frames", [&](CliOptions &, std::string_view v) -> Status {
                                   seen = std::string(v);
                                   return okStatus();
                               }});
        std::vector<CliExtension> exts{ext};
        auto o = parseCliArgs({"--demo", "--pcap", "out.pcapng"}, exts);
        QVERIFY(o.ok());
        QCOMPARE(seen, std::string("out.pcapng"));
        QVERIFY(QString::fromStdString(cliUsage(exts)).contains("--pcap FILE"));
    }

    void helpAndVersion()
    {
        const Run help = runCli({"--help"});
        QCOMPARE(help.exitCode, 0);
        QVERIFY(help.out.contains("--tap NAME") && help.out.contains("--listen PORT[/udp]:SERVICE"));
        const Run version = runCli({"--version"});
        QCOMPARE(version.exitCode, 0);
        QVERIFY(version.out.startsWith("tcplab-cli "));
    }

    void demoRunPrintsReadyThenStatsAndWritesEvents()
    {
        QTemporaryDir dir;
        const QString events = dir.filePath("events.jsonl");
        const Run r = runCli({"--demo", "--duration", "0.2", "--listen", "7/udp:echo", "--events", events});
        QCOMPARE(r.exitCode, 0);
        const QStringList lines = r.out.split('\n', Qt::SkipEmptyParts);
        QVERIFY(lines.size() >= 3);
        QVERIFY(lines[0].startsWith("ready mode=demo"));
        QVERIFY(lines[0].contains("listen=7/udp:echo"));
        QVERIFY(lines[1].startsWith("stats {\"host\":\"client\""));
        QFile f(events);
        QVERIFY(f.open(QIODevice::ReadOnly));
        int counters = 0;
        for (const QByteArray &line : f.readAll().split('\n')) {
            if (line.isEmpty()) continue;
            QJsonParseError err;
            const auto doc = QJsonDocument::fromJson(line, &err);
            QVERIFY2(err.error == QJsonParseError::NoError, line.constData());
            const auto obj = doc.object();
            for (const char *key : {"time", "kind", "host", "session", "name", "detail", "fields"})
                QVERIFY2(obj.contains(key), key);
            if (obj["name"].toString() == "host-counters") ++counters;
        }
        QCOMPARE(counters, 2);
    }
};

QTEST_GUILESS_MAIN(TestCli)
#include "test_cli.moc"

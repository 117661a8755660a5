// Cross-check against Wireshark: every registry name must be a Wireshark display-filter field, and
// for every golden frame the value readField() gives must equal what tshark decodes from the same
// bytes (an independent dissector, so this is not our output compared with itself).
// Skipped (exit 77) when tshark is not installed.
#include <QtTest>

#include <cstdio>
#include <map>
#include <set>
#include <string>

#include "engine/wire/golden_index.h"
#include "wire/fields.h"

using namespace tcplab;

namespace {

// Our tcp.seq/tcp.ack are the raw numbers; Wireshark's are relative, its raw ones have _raw names.
QString wiresharkName(std::string_view name)
{
    if (name == "tcp.seq") return "tcp.seq_raw";
    if (name == "tcp.ack") return "tcp.ack_raw";
    return QString::fromLatin1(name.data(), qsizetype(name.size()));
}

void appendLe32(QByteArray &out, quint32 v)
{
    for (int i = 0; i < 4; ++i) out.append(char(v >> (8 * i)));
}

// A classic pcap file (Ethernet link type) holding the golden frames in order.
QByteArray pcapOfGoldenFrames()
{
    QByteArray out;
    appendLe32(out, 0xa1b2c3d4);
    appendLe32(out, 0x00040002);  // version 2.4
    appendLe32(out, 0);
    appendLe32(out, 0);
    appendLe32(out, 65535);
    appendLe32(out, 1);  // LINKTYPE_ETHERNET
    quint32 second = 0;
    for (const auto &g : golden::all()) {
        appendLe32(out, ++second);
        appendLe32(out, 0);
        appendLe32(out, quint32(g.bytes->size()));
        appendLe32(out, quint32(g.bytes->size()));
        out.append(reinterpret_cast<const char *>(g.bytes->data()), qsizetype(g.bytes->size()));
    }
    return out;
}

QString runTshark(const QStringList &args)
{
    QProcess p;
    p.start("tshark", args);
    if (!p.waitForFinished(120000) || p.exitCode() != 0) {
        qWarning("tshark %s failed: %s", qPrintable(args.join(' ')), p.readAllStandardError().constData());
        return {};
    }
    return QString::fromUtf8(p.readAllStandardOutput());
}

std::optional<quint64> parseValue(const QString &text)
{
    bool ok = false;
    quint64 v = 0;
    if (text == "True") return 1;
    if (text == "False") return 0;
    if (text.count(':') == 5) {  // MAC
        for (const QString &part : text.split(':')) v = v << 8 | part.toULongLong(&ok, 16);
        return ok ? std::optional(v) : std::nullopt;
    }
    if (text.count('.') == 3) {  // IPv4
        for (const QString &part : text.split('.')) v = v << 8 | part.toULongLong(&ok, 10);
        return ok ? std::optional(v) : std::nullopt;
    }
    v = text.startsWith("0x") ? text.mid(2).toULongLong(&ok, 16) : text.toULongLong(&ok, 10);
    return ok ? std::optional(v) : std::nullopt;
}

// Where we knowingly differ from Wireshark, and why.
bool knownDifference(std::string_view frame, std::string_view field, bool oursPresent)
{
    const std::string_view f(frame);
    // Wireshark's IPv6 dissector also fills ip.version; ours are per protocol.
    if (field == "ip.version" && f.substr(0, 5) == "ipv6_" && !oursPresent) return true;
    // Wireshark dissects the datagram quoted inside ICMP errors; readField reads the outer packet.
    if (f.find("unreachable") != std::string_view::npos && field.substr(0, 4) == "udp." && !oursPresent) return true;
    // Wireshark leaves a first fragment's transport header to reassembly; a rule may still read it.
    if (f.find("fragment") != std::string_view::npos && f.find("atomic") == std::string_view::npos && oursPresent)
        return true;
    return false;
}

}  // namespace

class TestWireTshark : public QObject {
    Q_OBJECT
private slots:
    void initTestCase()
    {
        QVERIFY(dir_.isValid());
        QFile f(dir_.filePath("golden.pcap"));
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(pcapOfGoldenFrames());
        f.close();
        const QString all = runTshark({"-G", "fields"});
        QVERIFY(!all.isEmpty());
        for (const QString &line : all.split('\n')) {
            const QStringList cols = line.split('\t');
            if (cols.size() > 2 && cols[0] == "F") known_.insert(cols[2]);
        }
    }

    void registryNamesAreWiresharkFields()
    {
        for (const FieldDescriptor &f : fieldRegistry())
            QVERIFY2(known_.count(wiresharkName(f.name)), std::string(f.name).c_str());
    }

    void readFieldAgreesWithTshark()
    {
        QStringList args{"-r", dir_.filePath("golden.pcap"), "-T", "fields", "-E", "occurrence=f", "-e", "frame.number"};
        std::vector<const FieldDescriptor *> fields;
        for (const FieldDescriptor &f : fieldRegistry()) {
            if (!f.isInteger()) continue;
            fields.push_back(&f);
            args << "-e" << wiresharkName(f.name);
        }
        const QStringList lines = runTshark(args).split('\n', Qt::SkipEmptyParts);
        QCOMPARE(lines.size(), qsizetype(golden::all().size()));
        int compared = 0;
        QStringList mismatches;
        for (qsizetype i = 0; i < lines.size(); ++i) {
            const QStringList cols = lines[i].split('\t');
            QCOMPARE(cols.size(), qsizetype(fields.size() + 1));
            const auto &g = golden::all()[std::size_t(i)];
            for (std::size_t k = 0; k < fields.size(); ++k) {
                const QString theirs = cols[qsizetype(k + 1)];
                const std::optional<std::uint64_t> ours = readField(*g.bytes, *fields[k]);
                const std::optional<quint64> theirValue = theirs.isEmpty() ? std::nullopt : parseValue(theirs);
                if (!ours && !theirValue) continue;
                ++compared;
                if (ours && theirValue && *ours == *theirValue) continue;
                if ((!ours || !theirValue) && knownDifference(g.name, fields[k]->name, ours.has_value())) continue;
                mismatches << QString("%1 %2: ours %3, tshark %4")
                                  .arg(g.name, wiresharkName(fields[k]->name),
                                       ours ? QString::number(*ours) : QString("absent"),
                                       theirs.isEmpty() ? QString("absent") : theirs);
            }
        }
        for (const QString &m : mismatches) qWarning("%s", qPrintable(m));
        QVERIFY(mismatches.isEmpty());
        QVERIFY(compared > 300);
    }

private:
    QTemporaryDir dir_;
    std::set<QString> known_;
};

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    if (QStandardPaths::findExecutable("tshark").isEmpty()) {
        std::puts("SKIP: tshark is not installed (installer/dev installs it); cannot cross-check with Wireshark");
        return 77;
    }
    TestWireTshark test;
    return QTest::qExec(&test, argc, argv);
}

#include "test_wire_tshark.moc"

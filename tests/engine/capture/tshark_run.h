// Runs tshark for capture tests and keeps its exit code and both outputs.
#pragma once

#include <QProcess>
#include <QStandardPaths>
#include <QString>
#include <QStringList>

namespace tcplab::test {

struct Tshark {
    int exitCode = -1;
    QString out, err;
};

inline Tshark tshark(const QStringList &args)
{
    QProcess p;
    p.start("tshark", args);
    p.waitForFinished(60000);
    return {p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1, QString::fromUtf8(p.readAllStandardOutput()),
            QString::fromUtf8(p.readAllStandardError())};
}

inline bool haveTshark() { return !QStandardPaths::findExecutable("tshark").isEmpty(); }

}  // namespace tcplab::test

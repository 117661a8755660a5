// Runs tcplab-netsetup for the GUI: privileged verbs through pkexec (which asks the user for an
// administrator password through the desktop's polkit agent), `status` directly since it needs no
// privileges. One process at a time, steps in order, stopping at the first failure; each result is
// read from the helper's JSON line and turned into words.
#pragma once

#include <QJsonArray>
#include <QJsonObject>
#include <QObject>
#include <QProcess>
#include <QStringList>

#include "services/setup_plan.h"

namespace tcplab::gui {

struct HelperResult {
    bool ok = false;
    int exitCode = -1;
    QString error;     // why it failed, in words (empty when ok)
    QJsonObject json;  // the helper's result object, when it printed one
};

class HelperClient : public QObject {
    Q_OBJECT
public:
    static QString defaultHelperPath() { return QStringLiteral("/usr/libexec/tcplab/tcplab-netsetup"); }
    static QString policyPath() { return QStringLiteral("/usr/share/polkit-1/actions/org.tcplab.netsetup.policy"); }

    explicit HelperClient(QObject *parent = nullptr);
    ~HelperClient() override;

    void setHelperPath(const QString &path) { helperPath_ = path; }
    QString helperPath() const { return helperPath_; }
    // The command that elevates the helper: {"/usr/bin/pkexec"} by default; empty runs it directly
    // (tests as root). Setting it also turns off the pkexec/polkit availability checks.
    void setElevation(const QStringList &prefix);
    QStringList elevation() const { return elevation_; }

    // Why privileged steps cannot run on this machine (pkexec, polkit policy, system bus or the
    // helper missing), in words; empty when they can.
    QString unavailableReason() const;
    bool busy() const { return process_ != nullptr; }

    // Runs the steps one after another; stops at the first failure.
    void runSteps(const QList<HelperStep> &steps);
    // Asks the helper for the interfaces it manages (no privileges needed).
    void queryStatus();

    // Reads one finished run. `elevated`: pkexec's own exit codes (126, 127) mean it never ran.
    static HelperResult interpret(int exitCode, QProcess::ExitStatus status, const QByteArray &out,
                                  const QByteArray &err, bool elevated);

signals:
    void stepStarted(int index);
    void stepFinished(int index, const tcplab::gui::HelperResult &result);
    void stepsFinished(bool ok, int succeeded);
    void statusReady(const QJsonArray &interfaces, const QString &error);

private:
    void startNext();
    void onFinished(int exitCode, QProcess::ExitStatus status);
    void startProcess(const QStringList &args, bool elevated);

    QString helperPath_;
    QStringList elevation_;
    bool checkElevation_ = true;
    QProcess *process_ = nullptr;
    bool processElevated_ = false;
    bool statusRun_ = false;
    QList<HelperStep> steps_;
    int next_ = 0;
};

} // namespace tcplab::gui

Q_DECLARE_METATYPE(tcplab::gui::HelperResult)

#include "services/helper_client.h"

#include <QFileInfo>
#include <QJsonDocument>
#include <QStandardPaths>

namespace tcplab::gui {
namespace {

// pkexec(1): "Upon successful completion, the return value is the return value of PROGRAM. If the
// calling process is not authorized or an authorization could not be obtained through
// authentication or an error occurred, pkexec exits with a return value of 127. If the
// authorization could not be obtained because the user dismissed the authentication dialog, pkexec
// exits with a return value of 126."
constexpr int kPkexecDismissed = 126;
constexpr int kPkexecNotAuthorized = 127;

QString findPkexec()
{
    if (QFileInfo(QStringLiteral("/usr/bin/pkexec")).isExecutable()) return QStringLiteral("/usr/bin/pkexec");
    return QStandardPaths::findExecutable(QStringLiteral("pkexec"));
}

} // namespace

HelperClient::HelperClient(QObject *parent) : QObject(parent), helperPath_(defaultHelperPath())
{
    qRegisterMetaType<tcplab::gui::HelperResult>();
    const QString pkexec = findPkexec();
    if (!pkexec.isEmpty()) elevation_ = {pkexec};
}

HelperClient::~HelperClient()
{
    if (process_) {
        process_->disconnect(this);
        process_->kill();
        process_->waitForFinished(2000);
    }
}

void HelperClient::setElevation(const QStringList &prefix)
{
    elevation_ = prefix;
    checkElevation_ = false;
}

QString HelperClient::unavailableReason() const
{
    if (!QFileInfo(helperPath_).isExecutable())
        return tr("The network helper %1 is not installed.").arg(helperPath_);
    if (!checkElevation_) return {};
    if (elevation_.isEmpty()) return tr("pkexec is not installed (Debian package \"pkexec\"), so TCP Lab cannot ask for administrator rights.");
    if (!QFileInfo::exists(policyPath()))
        return tr("The polkit policy %1 is not installed, so pkexec cannot authorize the helper.").arg(policyPath());
    if (!QFileInfo::exists(QStringLiteral("/run/dbus/system_bus_socket")))
        return tr("The system D-Bus is not running, so polkit cannot authorize the helper.");
    return {};
}

HelperResult HelperClient::interpret(int exitCode, QProcess::ExitStatus status, const QByteArray &out,
                                     const QByteArray &err, bool elevated)
{
    HelperResult r;
    r.exitCode = exitCode;
    const QList<QByteArray> lines = out.trimmed().split('\n');
    const QJsonDocument doc = QJsonDocument::fromJson(lines.isEmpty() ? QByteArray() : lines.last());
    if (doc.isObject()) r.json = doc.object();
    const QString stderrText = QString::fromUtf8(err).trimmed().section(QLatin1Char('\n'), 0, 0);
    if (status != QProcess::NormalExit) {
        r.error = tr("The helper crashed.");
    } else if (!r.json.isEmpty()) {
        r.ok = exitCode == 0 && r.json.value(QLatin1String("ok")).toBool();
        if (!r.ok) {
            r.error = r.json.value(QLatin1String("error")).toString();
            if (r.error.isEmpty()) r.error = tr("The helper failed (exit code %1).").arg(exitCode);
        }
    } else if (elevated && exitCode == kPkexecDismissed) {
        r.error = tr("The authentication dialog was dismissed; nothing was changed.");
    } else if (elevated && exitCode == kPkexecNotAuthorized) {
        r.error = tr("Not authorized: pkexec could not obtain administrator rights (is polkit running and an "
                     "authentication agent available?). %1").arg(stderrText).trimmed();
    } else {
        r.error = stderrText.isEmpty() ? tr("The helper gave no answer (exit code %1).").arg(exitCode) : stderrText;
    }
    return r;
}

void HelperClient::startProcess(const QStringList &args, bool elevated)
{
    process_ = new QProcess(this);
    process_->setProcessChannelMode(QProcess::SeparateChannels);
    processElevated_ = elevated && !elevation_.isEmpty();
    connect(process_, &QProcess::finished, this, &HelperClient::onFinished);
    connect(process_, &QProcess::errorOccurred, this, [this](QProcess::ProcessError e) {
        if (e == QProcess::FailedToStart) onFinished(-1, QProcess::CrashExit);
    });
    QStringList argv = processElevated_ ? elevation_ : QStringList();
    argv << helperPath_ << args;
    const QString program = argv.takeFirst();
    process_->start(program, argv);
}

void HelperClient::runSteps(const QList<HelperStep> &steps)
{
    if (busy()) return;
    steps_ = steps;
    next_ = 0;
    statusRun_ = false;
    startNext();
}

void HelperClient::startNext()
{
    if (next_ >= steps_.size()) {
        emit stepsFinished(true, next_);
        return;
    }
    emit stepStarted(next_);
    startProcess(steps_[next_].args, true);
}

void HelperClient::queryStatus()
{
    if (busy()) return;
    statusRun_ = true;
    startProcess({QStringLiteral("status")}, false);
}

void HelperClient::onFinished(int exitCode, QProcess::ExitStatus status)
{
    QProcess *p = process_;
    if (!p) return;
    process_ = nullptr;
    const bool started = p->error() != QProcess::FailedToStart;
    HelperResult r = interpret(exitCode, status, started ? p->readAllStandardOutput() : QByteArray(),
                               started ? p->readAllStandardError() : QByteArray(), processElevated_);
    if (!started) r.error = tr("Cannot start %1: %2").arg(p->program(), p->errorString());
    p->deleteLater();
    if (statusRun_) {
        statusRun_ = false;
        emit statusReady(r.json.value(QLatin1String("interfaces")).toArray(), r.ok ? QString() : r.error);
        return;
    }
    const int index = next_;
    emit stepFinished(index, r);
    if (!r.ok) {
        emit stepsFinished(false, index);
        return;
    }
    ++next_;
    startNext();
}

} // namespace tcplab::gui

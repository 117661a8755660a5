// End-to-end driver for the pkexec test (tests/helper/test_pkexec_e2e.sh): the GUI's HelperClient,
// with its default elevation (pkexec) and helper path (/usr/libexec/tcplab/tcplab-netsetup), builds
// the tap + bridge preset, or tears it down with --teardown. One line per step on stdout; exit 0 when
// every step succeeded, 1 otherwise, 77 when this machine cannot run privileged steps.
#include <QCoreApplication>
#include <QJsonDocument>
#include <cstdio>

#include "services/helper_client.h"

using namespace tcplab::gui;

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    const bool teardown = app.arguments().contains(QStringLiteral("--teardown"));
    HelperClient client;
    if (const QString reason = client.unavailableReason(); !reason.isEmpty()) {
        std::printf("unavailable: %s\n", qPrintable(reason));
        return 77;
    }
    const QList<HelperStep> applied = SetupPlan::apply(NetLayout::tapAndBridge());
    const QList<HelperStep> plan = teardown ? SetupPlan::teardown(applied) : applied;
    int exitCode = 1;
    QObject::connect(&client, &HelperClient::stepFinished, [&](int i, const HelperResult &r) {
        std::printf("step %d %s: pkexec %s: %s\n", i + 1, r.ok ? "ok" : "FAILED",
                    qPrintable(plan[i].args.join(QLatin1Char(' '))), r.ok ? "done" : qPrintable(r.error));
    });
    QObject::connect(&client, &HelperClient::stepsFinished, [&](bool ok, int) {
        exitCode = ok ? 0 : 1;
        client.queryStatus();
    });
    QObject::connect(&client, &HelperClient::statusReady, [&](const QJsonArray &interfaces, const QString &error) {
        std::printf("status: %s%s\n", QJsonDocument(interfaces).toJson(QJsonDocument::Compact).constData(),
                    qPrintable(error));
        app.exit(exitCode);
    });
    client.runSteps(plan);
    return app.exec();
}

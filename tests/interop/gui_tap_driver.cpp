// The GUI's tap mode, driven by tests/interop/test_gui_tap.sh: the real main window (offscreen)
// with its lab switched to the tap lab on --tap, the engine on its worker thread, the bridge
// draining at most 60 times a second. A probe timer ticks every --tick-ms on the GUI thread, so
// the script can tell whether the event loop kept turning while the kernel pushed traffic through.
//
// stdin, one command a line:  mark   (start counting ticks)
//                             report (print one JSON line: ticks since mark, time since mark,
//                                     sessions with payload bytes, dropped events, frames, the
//                                     capture's memory and spill file, the status bar's capture
//                                     text, the store's warnings in the log panel, the status
//                                     bar's passing message)
//                             library NAME (File > Scenario library…, NAME selected, "Load into
//                                     tap lab" clicked: "library ok scenario=… rules=…" or
//                                     "library error <why>")
//                             hits   (one line: "hits" and name=count for each rule in the rule
//                                     editor's list, its live hit counters)
//                             quit
// --snaplen, --capture-memory, --capture-reserve, --capture-spill-dir and --capture-when-full are
// the tap dialog's capture fields.
// stdout: "ready" once attached (or "error <message>" and exit 1), then the reports.
#include <algorithm>
#include <cstdio>
#include <iostream>
#include <string>
#include <unistd.h>

#include <QApplication>
#include <QCommandLineParser>
#include <QElapsedTimer>
#include <QLabel>
#include <QPointer>
#include <QPushButton>
#include <QSocketNotifier>
#include <QStatusBar>
#include <QTimer>

#include "app/main_window.h"
#include "app/scenario_actions.h"
#include "cli/json_lines.h"
#include "models/log_model.h"
#include "models/rule_list_model.h"
#include "models/session_index.h"
#include "services/engine_bridge.h"
#include "services/engine_lab.h"
#include "services/lab_switch.h"
#include "services/segment_summary.h"
#include "views/library_browser.h"
#include "views/rule_editor.h"

using namespace tcplab;
using namespace tcplab::gui;

namespace {

// Payload per direction, and the sequence span (highest end - ISN - 1): the bytes really carried,
// retransmissions counted once.
struct Direction2 {
    std::uint64_t payload = 0;
    bool haveIsn = false;
    std::uint32_t isn = 0;
    std::uint64_t span = 0;
};

std::string sessionsJson(const EngineBridge &bridge)
{
    const PacketStore &store = bridge.packets();
    std::string out = "[";
    bool first = true;
    for (const SessionData &s : bridge.sessions().sessions()) {
        Direction2 dir[2];
        for (const Arrow &a : s.arrows) {
            const std::uint32_t index = a.sent != Arrow::kNone ? a.sent : a.received;
            const PacketView p = store.packet(index);
            const SegmentSummary seg = summarizeFrame(p.bytes, p.originalLength); // cut or whole
            if (!seg.isTcp) continue;
            Direction2 &d = dir[(Endpoint{seg.src, seg.srcPort} == s.left) ? 0 : 1];
            d.payload += seg.payloadLength;
            if (seg.flags & kSyn) {
                d.haveIsn = true;
                d.isn = seg.seq;
            }
            if (d.haveIsn && seg.payloadLength) {
                const std::uint64_t end = std::uint32_t(seg.seq + seg.payloadLength - d.isn - 1);
                d.span = std::max(d.span, end);
            }
        }
        out += std::string(first ? "" : ",") + "{\"id\":" + std::to_string(s.id) + ",\"left\":\"" +
               s.left.toString() + "\",\"right\":\"" + s.right.toString() +
               "\",\"packets\":" + std::to_string(s.packets) +
               ",\"left_payload\":" + std::to_string(dir[0].payload) +
               ",\"left_span\":" + std::to_string(dir[0].span) +
               ",\"right_payload\":" + std::to_string(dir[1].payload) +
               ",\"right_span\":" + std::to_string(dir[1].span) + ",\"left_state\":\"" + s.leftState +
               "\",\"right_state\":\"" + s.rightState + "\"}";
        first = false;
    }
    return out + "]";
}

// A GUI text as a JSON string.
std::string jsonString(const QString &text)
{
    return tcplab::jsonString(text.toStdString());
}

// The log panel's messages from the packet store (its memory bound reached: spilling or stopped).
std::string storeWarningsJson(const LogModel &log)
{
    std::string out = "[";
    for (int row = 0; row < log.rowCount(); ++row)
        if (log.index(row, LogModel::Source).data().toString() == QLatin1String("store"))
            out +=
                (out.size() > 1 ? "," : "") + jsonString(log.index(row, LogModel::Message).data().toString());
    return out + "]";
}

// The library browser as a user drives it: open it, select `name`, click "Load into tap lab". On
// success the browser closes and the tap lab runs the scenario; on failure it stays open and says why.
std::string loadFromLibrary(MainWindow &window, const QString &name)
{
    // Accepting closes and deletes it: a guarded pointer.
    QPointer<LibraryBrowser> browser = openLibraryBrowser(window);
    int row = -1;
    for (int i = 0; i < browser->count(); ++i) {
        browser->select(i);
        if (browser->selectedName() == name) row = i;
    }
    if (row >= 0) browser->select(row);
    std::string answer;
    if (row < 0) {
        answer = "library error no scenario named " + name.toStdString() + " in the library";
    } else if (!browser->tapButton()->isEnabled()) {
        answer =
            "library error Load into tap lab is disabled: " + browser->tapButton()->toolTip().toStdString();
    } else {
        browser->tapButton()->click();
        QApplication::processEvents();
        auto &labs = dynamic_cast<LabSwitch &>(window.bridge().lab());
        if (browser && browser->isVisible())
            answer = "library error " + browser->tapNote().toStdString();
        else
            answer = "library ok scenario=" + labs.scenarioName() +
                     " rules=" + std::to_string(window.ruleEditor()->model()->rowCount());
    }
    if (browser && browser->isVisible()) browser->close();
    return answer;
}

} // namespace

int main(int argc, char **argv)
{
    Q_INIT_RESOURCE(tcplab);
    QApplication app(argc, argv);
    QApplication::setOrganizationName(QStringLiteral("TCP Lab test"));
    QApplication::setApplicationName(QStringLiteral("gui_tap_driver"));
    QCommandLineParser parser;
    const QCommandLineOption tap(QStringLiteral("tap"), QString(), QStringLiteral("name"));
    const QCommandLineOption ip4(QStringLiteral("ip4"), QString(), QStringLiteral("addr/len"));
    const QCommandLineOption ip6(QStringLiteral("ip6"), QString(), QStringLiteral("addr/len"));
    const QCommandLineOption mac(QStringLiteral("mac"), QString(), QStringLiteral("mac"));
    const QCommandLineOption listen(QStringLiteral("listen"), QString(), QStringLiteral("port:service"));
    const QCommandLineOption tickMs(QStringLiteral("tick-ms"), QString(), QStringLiteral("ms"),
                                    QStringLiteral("10"));
    const QCommandLineOption hidden(QStringLiteral("hidden")); // no painting: to tell painting from ingesting
    const QCommandLineOption snapLength(QStringLiteral("snaplen"), QString(), QStringLiteral("bytes"));
    const QCommandLineOption captureMemory(QStringLiteral("capture-memory"), QString(),
                                           QStringLiteral("size"));
    const QCommandLineOption captureReserve(QStringLiteral("capture-reserve"), QString(),
                                            QStringLiteral("size"));
    const QCommandLineOption captureSpillDirectory(QStringLiteral("capture-spill-dir"), QString(),
                                                   QStringLiteral("dir"));
    const QCommandLineOption captureWhenFull(QStringLiteral("capture-when-full"), QString(),
                                             QStringLiteral("spill|stop"));
    parser.addOptions({tap, ip4, ip6, mac, listen, tickMs, hidden, snapLength, captureMemory, captureReserve,
                       captureSpillDirectory, captureWhenFull});
    parser.process(app);

    MainWindow window(std::make_unique<LabSwitch>(makeDefaultLab(LabMode::Demo)));
    window.resize(1280, 800);
    if (!parser.isSet(hidden)) window.show();
    TapSettings settings;
    settings.tap = parser.value(tap).toStdString();
    settings.ip4 = parser.value(ip4).toStdString();
    settings.ip6 = parser.value(ip6).toStdString();
    settings.mac = parser.value(mac).toStdString();
    for (const auto &l : parser.values(listen))
        settings.listens.push_back(l.toStdString());
    settings.snapLength = parser.value(snapLength).toStdString(); // the dialog's "Snap length" field
    settings.captureMemory = parser.value(captureMemory).toStdString();   // "Capture memory"
    settings.captureReserve = parser.value(captureReserve).toStdString(); // "Reserve before attaching"
    settings.captureSpillDirectory = parser.value(captureSpillDirectory).toStdString(); // "Spill directory"
    settings.captureWhenFull = parser.value(captureWhenFull).toStdString(); // "When the memory is full"
    if (!window.attachTap(settings)) {
        auto *labs = dynamic_cast<LabSwitch *>(&window.bridge().lab());
        std::printf("error %s\n", labs ? labs->tapLab().lastError().c_str() : "no tap lab");
        return 1;
    }
    auto &tapLab = dynamic_cast<LabSwitch &>(window.bridge().lab()).tapLab();

    std::uint64_t ticks = 0, drains = 0;
    QTimer probe;
    probe.setTimerType(Qt::PreciseTimer);
    probe.setInterval(parser.value(tickMs).toInt());
    QObject::connect(&probe, &QTimer::timeout, [&] { ++ticks; });
    probe.start();
    // Time the GUI thread spends in the bridge's batches (drain + models + views), for the report.
    std::int64_t drainNs = 0, drainNsAtMark = 0;
    QElapsedTimer drainClock;
    QObject::connect(&window.bridge(), &EngineBridge::batchIngested, [&] { drainClock.start(); });
    QObject::connect(&window.bridge(), &EngineBridge::statusChanged, [&] {
        ++drains;
        if (drainClock.isValid()) drainNs += drainClock.nsecsElapsed();
        drainClock.invalidate();
    });
    QElapsedTimer sinceMark;
    std::uint64_t ticksAtMark = 0, drainsAtMark = 0;
    sinceMark.start();

    QSocketNotifier input(STDIN_FILENO, QSocketNotifier::Read);
    std::string buffer;
    QObject::connect(&input, &QSocketNotifier::activated, [&] {
        char chunk[256];
        const ssize_t n = ::read(STDIN_FILENO, chunk, sizeof chunk);
        if (n <= 0) {
            app.quit();
            return;
        }
        buffer.append(chunk, std::size_t(n));
        for (auto nl = buffer.find('\n'); nl != std::string::npos; nl = buffer.find('\n')) {
            const std::string line = buffer.substr(0, nl);
            buffer.erase(0, nl + 1);
            if (line == "mark") {
                ticksAtMark = ticks;
                drainsAtMark = drains;
                drainNsAtMark = drainNs;
                sinceMark.restart();
                std::printf("marked\n");
            } else if (line == "report") {
                window.bridge().drain();
                const auto status = tapLab.status();
                std::uint64_t largestStored = 0, largestOnWire = 0;
                for (std::uint64_t i = 0; i < window.bridge().packets().size(); ++i) {
                    const PacketView p = window.bridge().packets().packet(i);
                    largestStored = std::max<std::uint64_t>(largestStored, p.bytes.size());
                    largestOnWire = std::max<std::uint64_t>(largestOnWire, p.originalLength);
                }
                std::printf(
                    "report {\"ticks\":%llu,\"elapsed_ns\":%lld,\"tick_ms\":%d,\"drains\":%llu,"
                    "\"batch_ns\":%lld,\"dropped_events\":%llu,\"frames\":%llu,\"received\":%llu,"
                    "\"sent\":%llu,\"largest_stored\":%llu,\"largest_on_wire\":%llu,\"memory_limit\":%llu,"
                    "\"memory_bytes\":%llu,\"reserve_asked\":%llu,\"reserve_prepared\":%llu,"
                    "\"spilled_bytes\":%llu,\"capture_status\":%s,\"store_warnings\":%s,"
                    "\"status_message\":%s,\"not_recorded\":%llu,\"sessions\":%s}"
                    "\n",
                    static_cast<unsigned long long>(ticks - ticksAtMark),
                    static_cast<long long>(sinceMark.nsecsElapsed()), probe.interval(),
                    static_cast<unsigned long long>(drains - drainsAtMark),
                    static_cast<long long>(drainNs - drainNsAtMark),
                    static_cast<unsigned long long>(tapLab.droppedEvents()),
                    static_cast<unsigned long long>(window.bridge().packets().size()),
                    static_cast<unsigned long long>(status.framesReceived),
                    static_cast<unsigned long long>(status.framesSent),
                    static_cast<unsigned long long>(largestStored),
                    static_cast<unsigned long long>(largestOnWire),
                    static_cast<unsigned long long>(window.bridge().packets().config().memoryLimit),
                    static_cast<unsigned long long>(window.bridge().packets().memoryBytes()),
                    static_cast<unsigned long long>(window.bridge().packets().reserveState().asked),
                    static_cast<unsigned long long>(window.bridge().packets().reserveState().prepared),
                    static_cast<unsigned long long>(window.bridge().packets().spilledBytes()),
                    jsonString(window.findChild<QLabel *>(QStringLiteral("captureMemory"))->text()).c_str(),
                    storeWarningsJson(*window.logModel()).c_str(),
                    jsonString(window.statusBar()->currentMessage()).c_str(),
                    static_cast<unsigned long long>(window.bridge().packets().framesNotRecorded()),
                    sessionsJson(window.bridge()).c_str());
            } else if (line.rfind("library ", 0) == 0) {
                std::printf("%s\n", loadFromLibrary(window, QString::fromStdString(line.substr(8))).c_str());
            } else if (line == "hits") {
                RuleListModel *model = window.ruleEditor()->model();
                model->refreshHits();
                std::string out = "hits";
                for (int row = 0; row < model->rowCount(); ++row)
                    out += " " + model->index(row, RuleListModel::Name).data().toString().toStdString() +
                           "=" + model->index(row, RuleListModel::Hits).data().toString().toStdString();
                std::printf("%s\n", out.c_str());
            } else if (line == "quit") {
                app.quit();
            }
            std::fflush(stdout);
        }
    });
    std::printf("ready tap=%s\n", settings.tap.c_str());
    std::fflush(stdout);
    const int rc = app.exec();
    window.useDemo(); // releases the tap before the process goes
    return rc;
}

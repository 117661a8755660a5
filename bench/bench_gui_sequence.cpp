// Sequence diagram benchmark: a synthetic session of 10^6 packets (500 000 segments, each recorded
// when sent and when received). Prints JSON: time to append it to the GUI's session index, GUI
// bytes per packet beyond the packet store, and the cost of one repaint at several scroll
// positions and zooms as ratios to painting an empty view in the same run (offscreen platform).
#include <algorithm>
#include <cstdio>
#include <ctime>

#include <QApplication>
#include <QElapsedTimer>
#include <QImage>
#include <QPainter>
#include <QScrollBar>

#include "capture/packet_store.h"
#include "models/session_index.h"
#include "services/segment_summary.h"
#include "views/sequence_view.h"

using namespace tcplab;
using namespace tcplab::gui;

namespace {

constexpr std::size_t kSegments = 500'000;

void fillStore(PacketStore &store)
{
    SegmentSpec data, ack;
    data.src = ack.dst = Ip4Addr{0xc6120001u};
    data.dst = ack.src = Ip4Addr{0xc6120002u};
    data.srcPort = ack.dstPort = 40000;
    data.dstPort = ack.srcPort = 80;
    data.flags = kAck | kPsh;
    ack.flags = kAck;
    data.window = ack.window = 502;
    data.payloadLength = 64;
    std::int64_t t = 0;
    for (std::size_t i = 0; i < kSegments; ++i) {
        const bool isData = i % 2 == 0;
        SegmentSpec &s = isData ? data : ack;
        s.seq = isData ? 1 + std::uint32_t(i / 2) * 64 : 1;
        s.ack = isData ? 1 : 1 + std::uint32_t(i / 2 + 1) * 64;
        const Bytes frame = buildSegmentFrame(s);
        FrameInfo sent{instantFromNanos(t), HostId(isData ? 0 : 1), 0,
                       Direction::Outbound, FrameFate::Delivered,   1,
                       Event::kNoPacket};
        const auto idx = store.append(sent, frame);
        FrameInfo got = sent;
        got.time = instantFromNanos(t + 50'000);
        got.host = HostId(isData ? 1 : 0);
        got.direction = Direction::Inbound;
        got.sentAs = idx;
        store.append(got, frame);
        if (i % 1000 == 7) store.addAnnotation(idx, AnnotationKind::Analysis, "TCP Retransmission");
        t += 12'000; // ~1 Gbit/s of full-size segments would be 12 us apart
    }
}

double threadCpuMs()
{
    timespec ts{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return double(ts.tv_sec) * 1e3 + double(ts.tv_nsec) / 1e6;
}

// Median wall time of `repeats` paints; `cpuMs` gets the median CPU time of the painting thread
// (on a busy machine a single paint's wall time includes time the thread waited for a core).
double paintMs(SequenceView &view, QImage &image, double scrollY, int repeats, double *cpuMs = nullptr)
{
    std::vector<double> ms, cpu;
    for (int r = 0; r < repeats; ++r) {
        QPainter p(&image);
        QElapsedTimer timer;
        const double cpu0 = threadCpuMs();
        timer.start();
        view.paintDiagram(p, QRectF(0, 0, image.width(), image.height()), scrollY);
        ms.push_back(double(timer.nsecsElapsed()) / 1e6);
        cpu.push_back(threadCpuMs() - cpu0);
    }
    std::sort(ms.begin(), ms.end());
    std::sort(cpu.begin(), cpu.end());
    if (cpuMs) *cpuMs = cpu[cpu.size() / 2];
    return ms[ms.size() / 2];
}

} // namespace

int main(int argc, char **argv)
{
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM")) qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    PacketStore store;
    fillStore(store);
    const auto packets = store.size();

    SessionIndex index;
    QElapsedTimer timer;
    timer.start();
    const std::vector<Event> none;
    index.ingest(store, none);
    const double appendMs = double(timer.nsecsElapsed()) / 1e6;
    const SessionData &s = index.sessions().front();
    const double guiBytes =
        double(index.arrowBytes() + s.inFlight.size() * 32 + s.retransmits.capacity() * 4 +
               s.resets.capacity() * 4 + s.ruleHits.capacity() * 4);

    SequenceView view;
    view.resize(1280, 800);
    view.setSource(&store, &index);
    view.setSession(kNoSession);
    QImage image(1280, 800, QImage::Format_ARGB32_Premultiplied);
    double emptyCpu = 0;
    const double empty = paintMs(view, image, 0, 21, &emptyCpu);
    view.setSession(s.id);

    std::printf("{\n  \"bench\": \"gui_sequence\",\n  \"packets\": %llu,\n  \"arrows\": %zu,\n",
                (unsigned long long)packets, s.arrows.size());
    std::printf("  \"append_ms\": %.1f,\n  \"append_ns_per_packet\": %.1f,\n", appendMs,
                appendMs * 1e6 / double(packets));
    std::printf("  \"gui_bytes_per_packet\": %.2f,\n  \"gui_bytes_per_arrow\": %.2f,\n",
                guiBytes / double(packets), guiBytes / double(s.arrows.size()));
    std::printf("  \"empty_paint_ms\": %.3f,\n  \"empty_paint_cpu_ms\": %.3f,\n  \"repaints\": [\n", empty,
                emptyCpu);
    bool first = true;
    for (double rowHeight : {30.0, 8.0, 0.25}) {
        view.setRowHeight(rowHeight);
        const double content = SequenceLayout(SequenceGeometry{rowHeight}).contentHeight(s.arrows.size());
        for (double at : {0.0, 0.25, 0.5, 0.75, 1.0}) {
            const double y = std::max(0.0, (content - 800) * at);
            double cpu = 0;
            const double ms = paintMs(view, image, y, 11, &cpu);
            std::printf("%s    {\"row_height\": %.2f, \"position\": %.2f, \"paint_ms\": %.3f, "
                        "\"ratio_to_empty\": %.1f, \"cpu_ms\": %.3f}",
                        first ? "" : ",\n", rowHeight, at, ms, ms / empty, cpu);
            first = false;
        }
    }
    // The first paint after a scroll: 21 positions at each zoom, each painted once (nothing of a
    // position's rows was painted before it), as when dragging the scroll bar.
    std::printf("\n  ],\n  \"first_paint_after_scroll\": [\n");
    first = true;
    for (double rowHeight : {30.0, 8.0, 0.25, 0.05}) {
        view.setRowHeight(rowHeight);
        const double content = SequenceLayout(SequenceGeometry{rowHeight}).contentHeight(s.arrows.size());
        std::vector<double> ms, cpu;
        for (int k = 0; k <= 20; ++k) {
            const double y = std::max(0.0, (content - 800) * (0.013 + 0.047 * k));
            double c = 0;
            ms.push_back(paintMs(view, image, std::min(y, content - 800), 1, &c));
            cpu.push_back(c);
        }
        std::sort(ms.begin(), ms.end());
        std::sort(cpu.begin(), cpu.end());
        std::printf("%s    {\"row_height\": %.2f, \"paints\": %zu, \"median_ms\": %.3f, \"max_ms\": %.3f, "
                    "\"max_ratio_to_empty\": %.1f, \"cpu_median_ms\": %.3f, \"cpu_max_ms\": %.3f}",
                    first ? "" : ",\n", rowHeight, ms.size(), ms[ms.size() / 2], ms.back(), ms.back() / empty,
                    cpu[cpu.size() / 2], cpu.back());
        first = false;
    }
    double load[3] = {0, 0, 0};
    if (std::FILE *f = std::fopen("/proc/loadavg", "r")) {
        if (std::fscanf(f, "%lf %lf %lf", &load[0], &load[1], &load[2]) != 3) load[0] = -1;
        std::fclose(f);
    }
    std::printf("\n  ],\n  \"load_average\": [%.2f, %.2f, %.2f],\n", load[0], load[1], load[2]);
    std::printf("  \"target\": \"paint_ms < 5, gui_bytes_per_packet < 32\"\n}\n");
    return 0;
}

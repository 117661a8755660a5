#include "cli/cli_capture.h"

#include <algorithm>
#include <set>

#include "capture/capture_import.h"
#include "capture/flow_text.h"
#include "capture/tcp_analysis.h"
#include "cli/cli_options.h"

namespace tcplab::cli {

std::string analysisFieldLines(const PacketStore &store)
{
    std::string out;
    const std::uint64_t n = store.size();
    for (std::uint64_t i = 0; i < n; ++i) {
        std::set<std::string> fields;
        for (const Annotation *a = store.packet(i).firstNote; a; a = a->nextNote()) {
            if (a->kind != AnnotationKind::Analysis) continue;
            const std::uint32_t bit = analysisBitOfLabel(a->text);
            if (!bit) continue;
            fields.insert(analysisFieldName(bit));
            if (bit & (analysis::kFastRetransmission | analysis::kSpuriousRetransmission))
                fields.insert(analysisFieldName(analysis::kRetransmission));
        }
        out += std::to_string(i + 1) + "\t";
        bool first = true;
        for (const auto &f : fields) {
            out += (first ? "" : ",") + f;
            first = false;
        }
        out += "\n";
    }
    return out;
}

int runInspect(const std::vector<std::string> &args, std::ostream &out, std::ostream &err)
{
    InspectOptions opt;
    std::string path;
    for (std::size_t i = 0; i < args.size(); ++i) {
        const std::string &a = args[i];
        if (a == "--labels") opt.labelsOnly = true;
        else if (a == "--no-annotations") opt.annotations = false;
        else if (a == "--max-frames") {
            if (i + 1 == args.size()) {
                err << "inspect: --max-frames needs a number of frames\n";
                return 2;
            }
            const std::string &v = args[++i];
            const auto n = parseCount(v);
            if (!n || *n == 0) {
                err << "inspect: --max-frames: expected a number of frames of 1 or more, got \"" << v << "\"\n";
                return 2;
            }
            opt.maxFrames = *n;
        } else if (!a.empty() && a[0] == '-') {
            err << "inspect: unknown option \"" << a << "\" (use --labels, --no-annotations, --max-frames N)\n";
            return 2;
        } else if (path.empty()) path = a;
        else {
            err << "inspect: one file at a time (got \"" << path << "\" and \"" << a << "\")\n";
            return 2;
        }
    }
    if (path.empty()) {
        err << "inspect: which file? usage: tcplab-cli inspect [--labels] [--no-annotations] [--max-frames N] FILE\n";
        return 2;
    }
    StoreConfig cfg;
    cfg.onFull = StoreConfig::OnFull::Spill;
    PacketStore store(cfg);
    FlowTracker flows;
    auto result = importCapture(path, store, flows);
    if (!result) {
        err << "inspect: " << result.error().message << "\n";
        return 1;
    }
    if (opt.labelsOnly) {
        out << analysisFieldLines(store);
        return 0;
    }
    if (!result->application.empty()) out << path << ": written by " << result->application << " on " << result->os << "\n";
    FlowTextOptions fo;
    fo.annotations = opt.annotations;
    fo.maxFramesPerSession = opt.maxFrames;
    out << renderAllFlows(store, flows, fo);
    return 0;
}

Status writeRunCapture(const PacketStore &store, const std::string &path, std::int64_t timeOffsetNs, FrameViews views)
{
    ExportOptions o;
    o.views = views;
    o.format = path.size() >= 5 && path.compare(path.size() - 5, 5, ".pcap") == 0 ? CaptureFormat::Pcap
                                                                                  : CaptureFormat::Pcapng;
    o.jsonAnnotations = o.format == CaptureFormat::Pcapng;
    o.timeOffsetNs = timeOffsetNs;
    auto r = exportCapture(store, path, o);
    if (!r) return r.error();
    return okStatus();
}

}  // namespace tcplab::cli

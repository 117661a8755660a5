#include "capture/label_worker.h"

#include <chrono>

namespace tcplab {

TcpAnalyzer &TcpAnalyzerSet::at(HostId host)
{
    if (host < kDirect) {
        if (direct_.size() <= host) direct_.resize(std::size_t(host) + 1);
        auto &a = direct_[host];
        if (!a) a = std::make_unique<TcpAnalyzer>();
        return *a;
    }
    return others_[host];
}

bool analyzedAsOnWire(Direction direction, FrameFate fateWhenRecorded)
{
    return !(direction == Direction::Outbound && fateWhenRecorded == FrameFate::DroppedByRule);
}

void addAnalysisLabels(PacketStore &store, std::uint64_t index, const TcpAnalysis &analysis)
{
    if (!analysis.any()) return;
    for (auto &label : analysisLabels(analysis))
        store.addAnnotation(index, AnnotationKind::Analysis, std::move(label));
}

void labelEngineRetransmission(PacketStore &store, std::uint64_t index, bool fast)
{
    constexpr std::uint32_t kAnyRetransmission =
        analysis::kRetransmission | analysis::kFastRetransmission | analysis::kSpuriousRetransmission;
    for (const Annotation *n = store.packet(index).firstNote; n; n = n->nextNote())
        if (n->kind == AnnotationKind::Analysis && (analysisBitOfLabel(n->text) & kAnyRetransmission)) return;
    store.addAnnotation(index, AnnotationKind::Analysis,
                        fast ? "TCP Fast Retransmission" : "TCP Retransmission");
}

LabelWorker::LabelWorker(PacketStore &store) : store_(store)
{
    thread_ = std::thread([this] { run(); });
}

LabelWorker::~LabelWorker()
{
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    work_.notify_one();
    thread_.join(); // run() labels what was published before it returns
}

void LabelWorker::engineRetransmitted(std::uint64_t index, bool fast)
{
    std::lock_guard lock(mutex_);
    if (index < labelled_)
        labelEngineRetransmission(store_, index, fast);
    else
        pending_[index] = fast; // run() adds it right after the heuristics' labels
}

void LabelWorker::wake()
{
    {
        std::lock_guard lock(mutex_);
        sleeping_.store(false, std::memory_order_relaxed);
    }
    work_.notify_one();
}

void LabelWorker::settle()
{
    std::unique_lock lock(mutex_);
    const std::uint64_t target = store_.size();
    if (labelled_ >= target) return;
    sleeping_.store(false, std::memory_order_relaxed);
    work_.notify_one();
    done_.wait(lock, [&] { return labelled_ >= target; });
}

void LabelWorker::run()
{
    using namespace std::chrono_literals;
    // Frames carrying labels, found outside the lock and added under it (few: most frames get none).
    std::vector<std::pair<std::uint64_t, TcpAnalysis>> found;
    int idlePolls = 0;
    std::unique_lock lock(mutex_);
    for (;;) {
        const std::uint64_t from = labelled_, to = store_.size();
        if (from == to) {
            if (stopping_) return;
            // Follow a busy writer by polling (a wake-up per frame would cost the writer more than
            // the labels); after a quiet while, sleep until framesAppended() or settle() wakes us.
            // The timeout only bounds a wake-up lost to the unsynchronised sleeping_ flag.
            if (++idlePolls < 50) {
                work_.wait_for(lock, 1ms);
            } else {
                sleeping_.store(true, std::memory_order_relaxed);
                work_.wait_for(lock, 50ms);
                sleeping_.store(false, std::memory_order_relaxed);
            }
            continue;
        }
        idlePolls = 0;
        lock.unlock();
        const std::uint64_t end = std::min(to, from + 4096); // bounds how long settle() waits for the lock
        found.clear();
        for (std::uint64_t i = from; i < end; ++i) {
            const PacketView p = store_.packet(i);
            if (!analyzedAsOnWire(p.direction, p.fate)) continue;
            const auto seg = tcpSegmentOf(p.bytes, linktype::kEthernet, p.originalLength);
            if (!seg) continue;
            const TcpAnalysis a = analyzers_.at(p.host).analyze(p.time, *seg, i + 1);
            if (a.any()) found.emplace_back(i, a);
        }
        lock.lock();
        for (const auto &[index, a] : found)
            addAnalysisLabels(store_, index, a);
        for (auto it = pending_.begin(); it != pending_.end() && it->first < end; it = pending_.erase(it))
            labelEngineRetransmission(store_, it->first, it->second);
        labelled_ = end;
        done_.notify_all();
    }
}

} // namespace tcplab

// Wireshark-style analysis labels for recorded frames, computed inline by the Recorder or on a
// thread of their own (LabelWorker).
//
// The labels depend only on the frames, in store order, per capture point (host), so they can be
// computed after the fact: the LabelWorker reads the PacketStore like any reader (size(), then the
// records below it), runs the same analyzers the Recorder runs inline and adds the labels through
// PacketStore::addAnnotation, which takes a second writer of notes. The engine thread then only
// stores frames; labels follow within milliseconds, and settle() waits for them (before an export,
// at the end of a run). Either way a frame gets the same labels in the same order.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <thread>
#include <unordered_map>
#include <vector>

#include "capture/packet_store.h"
#include "capture/tcp_analysis.h"

namespace tcplab {

// One analyzer per capture point (host): Wireshark analyzes what one interface saw, and in demo
// mode each segment is seen by both hosts.
class TcpAnalyzerSet {
public:
    TcpAnalyzer &at(HostId host);

private:
    static constexpr HostId kDirect = 256;
    std::vector<std::unique_ptr<TcpAnalyzer>> direct_; // the lab's small host numbers: no hashing
    std::unordered_map<HostId, TcpAnalyzer> others_;   // node-based: addresses stay valid
};

// A frame a rule stopped before it left never reached any capture point: it gets no labels.
bool analyzedAsOnWire(Direction direction, FrameFate fateWhenRecorded);

// Adds the labels of an analysis (analysis notes, in Wireshark's order) to frame `index`.
void addAnalysisLabels(PacketStore &store, std::uint64_t index, const TcpAnalysis &analysis);

// The engine retransmitted frame `index`: says so the way Wireshark would ("TCP Retransmission",
// "TCP Fast Retransmission") unless the heuristics already labelled it a retransmission.
void labelEngineRetransmission(PacketStore &store, std::uint64_t index, bool fast);

class LabelWorker {
public:
    explicit LabelWorker(PacketStore &store);
    ~LabelWorker(); // labels everything published, then stops
    LabelWorker(const LabelWorker &) = delete;
    LabelWorker &operator=(const LabelWorker &) = delete;

    // Writer's thread: the engine retransmitted frame `index` (see labelEngineRetransmission). The
    // label is added after the heuristics ran on that frame, whichever of the two comes first.
    void engineRetransmitted(std::uint64_t index, bool fast);
    // Writer's thread, after each append: wakes the worker if it went to sleep (cheap otherwise).
    void framesAppended()
    {
        if (sleeping_.load(std::memory_order_relaxed)) wake();
    }
    // Blocks until every frame published before the call carries its labels.
    void settle();

private:
    void run();
    void wake();

    PacketStore &store_;
    TcpAnalyzerSet analyzers_; // the worker thread's only
    mutable std::mutex mutex_; // guards labelled_, pending_, stopping_, and orders the two writers' labels
    std::condition_variable work_, done_;
    std::uint64_t labelled_ = 0;            // frames [0, labelled_) carry their labels
    std::map<std::uint64_t, bool> pending_; // engine retransmissions of frames not labelled yet (fast?)
    bool stopping_ = false;
    std::atomic<bool> sleeping_{false};
    std::thread thread_;
};

} // namespace tcplab

// The lab's FrameSink and EventSink: stores every frame in the PacketStore, attaches events that
// name a packet as annotations, keeps the FlowTracker's session summaries up to date, and labels
// frames the way Wireshark would (engine facts first, the tcp_analysis heuristics otherwise).
#pragma once

#include <memory>
#include <optional>
#include <string_view>

#include "capture/flow_tracker.h"
#include "capture/frame_sink.h"
#include "capture/packet_store.h"
#include "core/event.h"
#include "core/receive_room.h"

namespace tcplab {

class LabelWorker;
class TcpAnalyzerSet;

struct RecorderConfig {
    // Wireshark-style labels: computed on the engine thread as frames arrive (Inline: a reader
    // sees them as soon as the frame; deterministic tests), on a LabelWorker thread that follows
    // the store (Background: the engine thread only stores; labels lag by milliseconds, settle()
    // waits for them), or not at all (Off). Both ways give every frame the same labels.
    enum class Analysis : std::uint8_t { Inline, Background, Off } analysis = Analysis::Inline;
    // Keep at most this many bytes of each frame (0: all), like tcpdump -s: its length on the wire
    // is kept, and sessions, summaries and labels are those of the whole frame.
    std::uint32_t snapLength = 0;
    // What a user may ask for: below 64 bytes not even the headers fit; 262144 is pcap's usual
    // maximum. parseSnapLength("96") is 96; nullopt for anything but decimal digits in that range.
    static constexpr std::uint32_t kMinSnapLength = 64, kMaxSnapLength = 262144;
    static std::optional<std::uint32_t> parseSnapLength(std::string_view text);
};

class Recorder final : public FrameSink, public EventSink, private ReceiveRoom {
public:
    Recorder(PacketStore &store, FlowTracker &flows, RecorderConfig config = {});
    ~Recorder() override;

    // FrameSink
    std::uint64_t onFrame(const FrameInfo &info, ByteView frame) override;
    void annotate(std::uint64_t packetIndex, const Event &event) override;
    void setFate(std::uint64_t packetIndex, FrameFate fate) override;
    // The store's copy (chunks live until the store goes, and the store outlives this recorder).
    ByteView keptFrame(std::uint64_t packetIndex) const override
    {
        return store_.wholeFrameCopy(packetIndex);
    }
    // The store's frame arena (PacketStore::receiveRoom): a frame read there is kept without a
    // copy. None with a snap length: a cut frame keeps a few bytes, cheaper to copy than to set a
    // whole frame's room aside for.
    ReceiveRoom *receiveRoom() override { return config_.snapLength ? nullptr : this; }
    // EventSink: events with a packetIndex become annotations (except measurement streams, see
    // annotatesPacket); StateChange and RuleHit with a session feed its summary.
    void onEvent(const Event &event) override;
    bool onEventAt(const Event &event, std::uint64_t packetIndex) override; // no copy needed
    // False for the per-ACK measurement streams (RTT samples, window and counter changes): they
    // stay events (plots, event log), not packet comments. RTO backoffs, state changes, timers,
    // retransmissions, rule hits and notes are annotations.
    static bool annotatesPacket(const Event &event);

    // Name, MAC and addresses of a host, for the interface description of every link it is seen
    // on (the link id comes from its first frame). `info.link` is ignored.
    void describeHost(const InterfaceInfo &info);

    // Returns once every frame recorded so far carries its analysis labels (Background waits for
    // the LabelWorker; otherwise they already do). Call before exporting or reading labels.
    void settle();

    PacketStore &store() { return store_; }
    FlowTracker &flows() { return flows_; }

    // One line for an event as an annotation ("SYN-SENT → ESTABLISHED (rcv SYN,ACK)").
    static std::string annotationText(const Event &event);
    static AnnotationKind annotationKind(const Event &event);

private:
    // ReceiveRoom
    MutableByteView room(std::size_t bytes) override { return store_.receiveRoom(bytes); }
    void filled(std::size_t bytes) override { store_.receivedInRoom(bytes); }

    PacketStore &store_;
    FlowTracker &flows_;
    RecorderConfig config_;
    std::unique_ptr<TcpAnalyzerSet> analyzers_; // Inline
    std::unique_ptr<LabelWorker> labels_;       // Background
    std::vector<InterfaceInfo> hostTemplates_;
    std::vector<std::pair<HostId, LinkId>> describedLinks_; // few: a linear search is fine
    std::pair<HostId, LinkId> lastLink_{}; // described already, when haveLastLink_ (saves the search)
    bool haveLastLink_ = false;
};

} // namespace tcplab

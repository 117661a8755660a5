// Every frame the lab saw, with its facts and annotations. One writer (the engine thread, or an
// importer), any number of readers on other threads without locks or copies: records live in
// fixed-address chunks and a release/acquire length publishes them. A reader calls size() and then
// reads records [0, size): every one of them is complete. Annotations may arrive later (a rule
// hit, a state change, analysis labels from a LabelWorker); a reader sees each one whole.
//
// Memory is bounded (StoreConfig::memoryLimit). Past the bound, new chunks come from an unlinked
// temporary file (Spill) or recording stops (Stop); either way a StoreWarning event says so and
// framesNotRecorded() counts what was not kept. Nothing is dropped silently.
#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "capture/chunk_allocator.h"
#include "capture/frame_sink.h"
#include "core/bytes.h"
#include "core/event.h"
#include "core/time.h"
#include "wire/addresses.h"

namespace tcplab {

enum class AnnotationKind : std::uint8_t {
    Analysis,    // a Wireshark-style label ("TCP Retransmission")
    RuleHit,     // a rule changed, dropped or answered the packet
    StateChange, // a TCB transition caused by or causing the packet
    Timer,       // the timer behind the packet ("retransmission after RTO #2")
    Note,        // anything else (imported comments of unknown origin)
};
const char *annotationKindName(AnnotationKind kind);

// Immutable once published; the next pointer is the only thing the writer changes later.
struct Annotation {
    AnnotationKind kind = AnnotationKind::Note;
    std::string text; // one line, as exported in opt_comment (without the kind prefix)
    std::vector<std::pair<std::string, std::string>> fields; // machine-readable copy
    std::atomic<const Annotation *> next{nullptr};

    const Annotation *nextNote() const { return next.load(std::memory_order_acquire); }
};

// A (host, link) interface as pcapng describes it (one IDB each).
struct InterfaceInfo {
    HostId host = kNoHost;
    LinkId link = 0;
    std::string name; // "client/eth0"
    MacAddr mac;
    std::vector<IpPrefix> addresses;
    std::uint32_t snapLength = 262144;
    std::uint16_t linkType = 1; // pcap LINKTYPE_ (1 = Ethernet); imported captures may differ
};

// What a reader sees of one stored frame.
struct PacketView {
    std::uint64_t index = 0;
    Instant time{};
    HostId host = kNoHost;
    LinkId link = 0;
    Direction direction = Direction::Inbound;
    FrameFate fate = FrameFate::Delivered;
    SessionId session = kNoSession;
    std::uint64_t sentAs = Event::kNoPacket;
    std::uint32_t originalLength = 0; // on the wire; bytes.size() is what was captured
    ByteView bytes;
    const Annotation *firstNote = nullptr; // follow nextNote()
};

// Packet indices of one session, in order; readable like the store (size, then [0, size)).
class SessionIndexView {
public:
    std::uint64_t size() const { return size_; }
    std::uint64_t operator[](std::uint64_t i) const;

private:
    friend class PacketStore;
    const void *list_ = nullptr;
    std::uint64_t size_ = 0;
};

struct StoreConfig {
    std::uint64_t memoryLimit = 2ull << 30; // bytes of RAM for records, frames and indices
    enum class OnFull : std::uint8_t { Spill, Stop } onFull = OnFull::Spill;
    std::string spillDirectory = "/tmp"; // where the unlinked spill file lives
    // Bytes of the bound (whole 1 MiB chunks) mapped and faulted in from the start, on the store's
    // helper thread, for a transfer faster than this machine hands out fresh memory; see
    // awaitReserve() to wait for it. 0: chunks are only prepared a few at a time, as frames come.
    std::uint64_t reserve = 0;
    // The store takes memory in chunks of this size (frame arenas, record chunks); a reserve is
    // whole chunks of it, so one smaller than a chunk reserves nothing.
    static constexpr std::uint64_t kChunk = 1u << 20;
    // How a size for memoryLimit or reserve is written, for messages (tcplab-cli, the tap dialog).
    static constexpr const char *kSizeForm = "a size like 512M, 4G or 4GiB (powers of 1024)";

    // "4G", "512M", "64K", "1T" (powers of 1024; "GiB" and the like too), or plain bytes; nullopt
    // when the text is not such a size or overflows.
    static std::optional<std::uint64_t> parseSize(std::string_view text);
    // "spill" or "stop" (tcplab-cli --pcap-when-full, the tap dialog); nullopt for anything else.
    static std::optional<OnFull> parseOnFull(std::string_view text);
};

class PacketStore {
public:
    explicit PacketStore(StoreConfig config = {});
    ~PacketStore();
    PacketStore(const PacketStore &) = delete;
    PacketStore &operator=(const PacketStore &) = delete;

    // ---- writer side (one thread) ----
    // Returns the new index, or Event::kNoPacket when the store is full (counted, warned).
    std::uint64_t append(const FrameInfo &info, ByteView frame, std::uint32_t originalLength = 0);
    // Annotations may also come from one more thread (a LabelWorker adding analysis labels).
    // Analysis labels are kept ahead of the other notes of a frame, each kind in the order added.
    void addAnnotation(std::uint64_t index, AnnotationKind kind, std::string text,
                       std::vector<std::pair<std::string, std::string>> fields = {});
    void setFate(std::uint64_t index, FrameFate fate);
    // Receives StoreWarning events (spilling started, recording stopped). May be null.
    void setWarningSink(EventSink *sink) { warnings_ = sink; }
    void describeInterface(const InterfaceInfo &info); // replaces an earlier one for (host, link)
    // Receiving in place (a ReceiveRoom, through the Recorder): a link reads the next received
    // frame into receiveRoom() (the free end of the current frame arena, a fresh arena when that
    // one is full; empty once recording stopped), receivedInRoom(n) sets the n bytes it read there
    // aside, and append() of a frame that is exactly those bytes keeps them where they are instead
    // of copying them. Frames appended in between go after them.
    MutableByteView receiveRoom(std::size_t bytes);
    void receivedInRoom(std::size_t bytes);

    // ---- reader side (any thread) ----
    std::uint64_t size() const { return published_.load(std::memory_order_acquire); }
    PacketView packet(std::uint64_t index) const; // index < size()
    // The bytes record `index` (< size()) holds of its own when they are the whole frame, else empty
    // (a cut frame, one sharing its sender's bytes). Like every frame's bytes they never change and
    // stay where they are until the store goes.
    ByteView wholeFrameCopy(std::uint64_t index) const;
    SessionIndexView sessionPackets(SessionId session) const;
    SessionId sessionCount() const { return sessionCount_.load(std::memory_order_acquire); }
    std::vector<InterfaceInfo> interfaces() const; // copy, in order of description
    const InterfaceInfo *interfaceFor(HostId host, LinkId link, InterfaceInfo &out) const;

    std::uint64_t framesNotRecorded() const { return notRecorded_.load(std::memory_order_relaxed); }
    // Annotations added so far: a reader that saw it change repaints what it showed (labels from a
    // LabelWorker arrive after their frames).
    std::uint64_t annotationCount() const { return annotationCount_.load(std::memory_order_acquire); }
    std::uint64_t memoryBytes() const { return alloc_.memoryBytes(); }
    std::uint64_t spilledBytes() const { return alloc_.spilledBytes(); }
    // StoreConfig::reserve, from any thread: how far it is, or wait for it (ChunkAllocator).
    ChunkAllocator::ReserveState reserveState() const { return alloc_.reserveState(); }
    ChunkAllocator::ReserveState awaitReserve(const std::function<bool()> &giveUp) const
    {
        return alloc_.awaitReserve(giveUp);
    }
    // Bytes of frames held: a received frame sharing its sender's record's bytes (see append)
    // does not count them again.
    std::uint64_t frameBytes() const { return frameBytes_.load(std::memory_order_relaxed); }
    const StoreConfig &config() const { return config_; }

    // A record chunk is one frame arena's size (1 MiB of 48-byte records), so both come prepared
    // ahead off the writer's thread.
    static constexpr std::uint32_t kRecordsPerChunk = (1u << 20) / 48;
    static constexpr std::uint32_t kMaxRecordChunks = 1u << 16; // about 1.4 * 2^30 packets
    static constexpr std::uint64_t kMaxPackets = std::uint64_t(kRecordsPerChunk) * kMaxRecordChunks - 1;

private:
    struct Record;
    struct SessionList;
    Record *recordAt(std::uint64_t index) const;
    void *newRecordSlot(std::uint64_t index); // where record `index` goes (nullptr: no memory)
    const std::uint8_t *copyFrame(ByteView frame);
    bool startArena(); // a fresh frame arena in place of the current one; false: none (no memory)
    void prefetchNextFrame() const;
    static bool sharesSentBytes(const FrameInfo &info, std::uint64_t index, ByteView frame);
    // Room in `session`'s index for one more frame (its list and chunk made if need be); false when
    // the memory for it cannot be had (or the session has too many frames).
    bool sessionIndexRoom(SessionId session);
    void indexSession(SessionId session, std::uint64_t index);
    SessionList *sessionList(SessionId session, bool create);
    void warn(const std::string &what, Instant time);
    void refuse(Instant time, const char *why);

    StoreConfig config_;
    ChunkAllocator alloc_;
    EventSink *warnings_ = nullptr;

    // Read by every reader of a packet or a session, written only when a chunk or block is added.
    static constexpr std::uint32_t kSessionBlock = 1024, kSessionBlocks = 4096;
    std::unique_ptr<Record *[]> recordChunks_;
    std::unique_ptr<std::atomic<SessionList *>[]> sessionBlocks_;

    // Readers poll it, the writer moves it on every frame: a cache line of its own, so that neither
    // side's other fields travel between cores with it.
    alignas(64) std::atomic<std::uint64_t> published_{0};

    // The writer's state, changed on every frame, on lines no reader looks at per packet.
    alignas(64) Record *nextRecord_ = nullptr; // the next slot in the current record chunk
    std::uint32_t recordsLeft_ = 0;
    // Frame bytes: consecutive in the current arena chunk (stable addresses).
    std::uint8_t *arena_ = nullptr;
    std::size_t arenaLeft_ = 0;
    const std::uint8_t *held_ = nullptr; // a received frame read into the arena, not yet appended
    std::size_t heldLength_ = 0;
    SessionId lastSession_ = kNoSession; // the last indexed session and its list
    SessionList *lastList_ = nullptr;
    std::uint32_t *lastSlot_ = nullptr; // where its next index goes, with room for lastSlotsLeft_
    std::size_t lastSlotsLeft_ = 0;
    std::atomic<std::uint64_t> frameBytes_{0};

    alignas(64) std::atomic<SessionId> sessionCount_{0};
    std::mutex notesMutex_;        // the frame writer and a LabelWorker both add notes (rarely)
    std::deque<Annotation> notes_; // deque keeps element addresses stable
    std::atomic<std::uint64_t> annotationCount_{0};
    std::atomic<std::uint64_t> notRecorded_{0};
    bool stopped_ = false, spillWarned_ = false;

    mutable std::mutex interfacesMutex_; // rare, never per packet
    std::vector<InterfaceInfo> interfaces_;
};

} // namespace tcplab

#include "capture/packet_store.h"

#include <algorithm>
#include <bit>
#include <cassert>
#include <charconv>
#include <cstring>
#include <limits>
#include <new>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace tcplab {

namespace {
constexpr std::uint32_t kNone32 = 0xffffffffu;
// Small enough that the unused tail of the last one stays cheap.
constexpr std::size_t kArenaChunk = StoreConfig::kChunk;
constexpr std::uint32_t kFirstSessionChunk = 16; // session chunk k holds 16 << k indices
constexpr int kSessionChunks = 26;
} // namespace

const char *annotationKindName(AnnotationKind kind)
{
    switch (kind) {
    case AnnotationKind::Analysis: return "analysis";
    case AnnotationKind::RuleHit: return "rule";
    case AnnotationKind::StateChange: return "state";
    case AnnotationKind::Timer: return "timer";
    case AnnotationKind::Note: return "note";
    }
    return "note";
}

// 48 bytes per frame beyond its bytes (plus 4 in its session's index); see the static_assert in append().
struct PacketStore::Record {
    std::int64_t timeNs;
    const std::uint8_t *data;
    std::atomic<const Annotation *> notes;
    std::uint32_t sentAs;
    std::uint32_t session;
    std::uint32_t length;
    std::uint32_t originalLength;
    HostId host;
    std::uint16_t link;
    Direction direction;
    std::atomic<FrameFate> fate;
};

struct PacketStore::SessionList {
    std::atomic<std::uint64_t> size{0};
    std::array<std::uint32_t *, kSessionChunks> chunks{};
};

namespace {
struct ChunkSlot {
    int chunk;
    std::uint64_t offset;
};
ChunkSlot sessionSlot(std::uint64_t i)
{
    const std::uint64_t p = i / kFirstSessionChunk + 1;
    const int k = std::bit_width(p) - 1;
    return {k, i - kFirstSessionChunk * ((std::uint64_t(1) << k) - 1)};
}
// A frame this large comes from a tap's segmentation offload (64 KB segments). The engine goes on
// with its own buffer and never reads the store's copy again, so it is written with non-temporal
// stores: straight to memory, without reading every destination line into the cache first and
// without pushing out what the engine works on. Measured on 64 KB segments sent to the kernel:
// 0.75 -> 0.80 of the unrecorded engine-thread throughput per CPU second. Ordinary frames are
// copied as usual: on 1514-byte frames the fence below cost more than the stores saved (0.90 -> 0.72).
constexpr std::size_t kStreamedFrame = 16u << 10;

void copyForKeeping(std::uint8_t *dst, ByteView frame)
{
#if defined(__SSE2__)
    if (frame.size() >= kStreamedFrame) {
        const std::uint8_t *src = frame.data();
        std::size_t n = frame.size();
        const std::size_t head = (16 - (reinterpret_cast<std::uintptr_t>(dst) & 15)) & 15;
        std::memcpy(dst, src, head);
        dst += head, src += head, n -= head;
        for (; n >= 64; dst += 64, src += 64, n -= 64)
            for (int k = 0; k < 64; k += 16)
                _mm_stream_si128(reinterpret_cast<__m128i *>(dst + k),
                                 _mm_loadu_si128(reinterpret_cast<const __m128i *>(src + k)));
        std::memcpy(dst, src, n);
        // Streamed stores are weakly ordered: visible to readers before the record is published.
        _mm_sfence();
        return;
    }
#endif
    std::memcpy(dst, frame.data(), frame.size());
}
} // namespace

std::uint64_t SessionIndexView::operator[](std::uint64_t i) const
{
    auto *list = static_cast<const std::array<std::uint32_t *, kSessionChunks> *>(list_);
    const ChunkSlot s = sessionSlot(i);
    return (*list)[s.chunk][s.offset];
}

std::optional<StoreConfig::OnFull> StoreConfig::parseOnFull(std::string_view text)
{
    if (text == "spill") return OnFull::Spill;
    if (text == "stop") return OnFull::Stop;
    return std::nullopt;
}

std::optional<std::uint64_t> StoreConfig::parseSize(std::string_view text)
{
    std::uint64_t n = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
    if (text.empty() || ec != std::errc() || end == text.data()) return std::nullopt;
    std::string_view unit(end, std::size_t(text.data() + text.size() - end));
    if (unit.ends_with("iB")) unit.remove_suffix(2);
    constexpr std::pair<std::string_view, int> kShifts[] = {
        {"", 0}, {"K", 10}, {"M", 20}, {"G", 30}, {"T", 40}};
    const auto *known =
        std::find_if(std::begin(kShifts), std::end(kShifts), [&](auto u) { return u.first == unit; });
    if (known == std::end(kShifts)) return std::nullopt;
    const int shift = known->second;
    if (n > (std::numeric_limits<std::uint64_t>::max() >> shift)) return std::nullopt;
    return n << shift;
}

PacketStore::PacketStore(StoreConfig config)
    : config_(std::move(config)),
      alloc_(config_.memoryLimit, config_.onFull == StoreConfig::OnFull::Spill, config_.spillDirectory),
      recordChunks_(new Record *[kMaxRecordChunks]()),
      sessionBlocks_(new std::atomic<SessionList *>[kSessionBlocks]())
{
    // Frame arenas and record chunks, faulted in off the writer's thread.
    alloc_.prepareAhead(kArenaChunk, 8, config_.reserve);
}

PacketStore::~PacketStore() = default; // chunks belong to alloc_; records hold only trivial data

PacketStore::Record *PacketStore::recordAt(std::uint64_t index) const
{
    return &recordChunks_[index / kRecordsPerChunk][index % kRecordsPerChunk];
}

void *PacketStore::newRecordSlot(std::uint64_t index)
{
    // The writer's cursor walks the current chunk; only a new chunk needs the chunk table.
    if (recordsLeft_ == 0) {
        static_assert(sizeof(void *) != 8 || sizeof(Record) * kRecordsPerChunk <= kArenaChunk);
        void *mem = alloc_.allocate(kArenaChunk);
        if (!mem) return nullptr;
        recordChunks_[index / kRecordsPerChunk] = static_cast<Record *>(mem);
        nextRecord_ = static_cast<Record *>(mem);
        recordsLeft_ = kRecordsPerChunk;
    }
    return nextRecord_;
}

bool PacketStore::startArena()
{
    arena_ = static_cast<std::uint8_t *>(alloc_.allocate(kArenaChunk));
    arenaLeft_ = arena_ ? kArenaChunk : 0;
    return arena_ != nullptr;
}

MutableByteView PacketStore::receiveRoom(std::size_t bytes)
{
    // Without memory, no room: append() says why when the frame comes.
    if (stopped_ || (arenaLeft_ == 0 && !startArena())) return {};
    return {arena_, std::min(bytes, arenaLeft_)};
}

void PacketStore::receivedInRoom(std::size_t bytes)
{
    assert(bytes <= arenaLeft_);
    held_ = arena_;
    heldLength_ = bytes;
    arena_ += bytes;
    arenaLeft_ -= bytes;
    prefetchNextFrame();
}

// The next frame goes to the arena's next bytes. Memory of a reserve was faulted in long before and
// is in no cache any more, so its lines are asked for now (for writing), while the engine handles
// this frame, rather than when the next one is written there. Measured recording 1514-byte frames
// sent to the kernel with a reserve: 0.84 -> 0.90 of the unrecorded engine-thread throughput per
// CPU second (without a reserve: no loss).
void PacketStore::prefetchNextFrame() const
{
    const std::size_t bytes = std::min<std::size_t>(arenaLeft_, 2048);
    for (std::size_t k = 0; k < bytes; k += 64)
        __builtin_prefetch(arena_ + k, 1, 3);
}

const std::uint8_t *PacketStore::copyFrame(ByteView frame)
{
    if (frame.empty()) return nullptr;
    // Read into the arena by the link (receivedInRoom): already where it stays.
    if (frame.data() == held_ && frame.size() <= heldLength_) {
        held_ = nullptr;
        return frame.data();
    }
    std::uint8_t *dst = nullptr;
    if (frame.size() > kArenaChunk / 4) {
        dst = static_cast<std::uint8_t *>(alloc_.allocate(frame.size()));
    } else if (arenaLeft_ >= frame.size() || startArena()) {
        dst = arena_;
        arena_ += frame.size();
        arenaLeft_ -= frame.size();
    }
    if (dst) copyForKeeping(dst, frame);
    prefetchNextFrame();
    return dst;
}

bool PacketStore::sharesSentBytes(const FrameInfo &info, std::uint64_t index, ByteView frame)
{
    // Only on the link's word (FrameInfo::sameBytesAsSent): no comparison of the bytes, and no look
    // at the sender's record either. Written thousands of frames ago (a window's worth of frames is
    // in flight), that record is no longer in the engine thread's caches: reading it here was a
    // quarter of append's time. The reader follows sentAs instead (packet()).
    return info.sameBytesAsSent && info.sentAs < index && !frame.empty();
}

void PacketStore::warn(const std::string &what, Instant time)
{
    if (!warnings_) return;
    Event e;
    e.time = time;
    e.kind = EventKind::StoreWarning;
    e.name = "packet-store";
    e.detail = what;
    e.fields = {{"memory_bytes", std::to_string(alloc_.memoryBytes())},
                {"memory_limit", std::to_string(config_.memoryLimit)},
                {"spilled_bytes", std::to_string(alloc_.spilledBytes())},
                {"frames_not_recorded", std::to_string(framesNotRecorded())}};
    warnings_->onEvent(e);
}

void PacketStore::refuse(Instant time, const char *why)
{
    notRecorded_.fetch_add(1, std::memory_order_relaxed);
    if (stopped_) return;
    stopped_ = true;
    std::string reason = why;
    if (!alloc_.lastError().empty()) reason += " (" + alloc_.lastError() + ")";
    warn("packet store full: recording stopped, " + reason +
             "; frames from now on are counted in frames_not_recorded",
         time);
}

std::uint64_t PacketStore::append(const FrameInfo &info, ByteView frame, std::uint32_t originalLength)
{
    static_assert(sizeof(void *) != 8 || sizeof(Record) == 48, "keep the per-frame overhead small");
    if (stopped_) {
        refuse(info.time, "already stopped");
        return Event::kNoPacket;
    }
    const std::uint64_t index = published_.load(std::memory_order_relaxed);
    if (index >= kMaxPackets) {
        refuse(info.time, "packet count limit reached");
        return Event::kNoPacket;
    }
    void *r = newRecordSlot(index);
    // A frame received off a virtual wire that the wire vouches for as unchanged is, byte for byte,
    // the frame its sender's record already holds: that record's bytes are shared instead of
    // stored a second time (half the memory to fault in and fill in demo mode). Its record has no
    // bytes of its own (data null, length not 0). Anything else (a tap, a frame an impairment
    // edited, no sender record) is copied.
    const bool shared = r && sharesSentBytes(info, index, frame);
    const std::uint8_t *data = r && !shared ? copyFrame(frame) : nullptr;
    if (!r || (!data && !shared && !frame.empty())) {
        refuse(info.time, "memory bound reached");
        return Event::kNoPacket;
    }
    // The session's index must take the frame too: a frame kept but missing from its session's list
    // would be lost to the diagram. Without room for it the store is full like without room for
    // the bytes.
    if (!sessionIndexRoom(info.session)) {
        refuse(info.time, "no room in the index of its session");
        return Event::kNoPacket;
    }
    if (!spillWarned_ && alloc_.spilling()) { // perhaps since receiveRoom(), for this frame
        spillWarned_ = true;
        warn("packet store reached its memory bound of " + std::to_string(config_.memoryLimit) +
                 " bytes: new frames are kept in a temporary file in " + config_.spillDirectory,
             info.time);
    }
    // Written once, whole: the slot is fresh memory no reader looks at before published_ moves.
    const auto length = static_cast<std::uint32_t>(frame.size());
    new (r) Record{nanosOf(info.time),
                   data,
                   {nullptr},
                   info.sentAs == Event::kNoPacket ? kNone32 : static_cast<std::uint32_t>(info.sentAs),
                   static_cast<std::uint32_t>(info.session),
                   length,
                   originalLength ? originalLength : length,
                   info.host,
                   static_cast<std::uint16_t>(info.link),
                   info.direction,
                   {info.fate}};
    ++nextRecord_;
    --recordsLeft_;
    // One writer: a plain relaxed store, not fetch_add (a locked instruction would wait here for the
    // frame copy's stores to cold memory to drain, which measured as most of append's time).
    if (!shared)
        frameBytes_.store(frameBytes_.load(std::memory_order_relaxed) + frame.size(),
                          std::memory_order_relaxed);
    published_.store(index + 1, std::memory_order_release);
    // Most frames belong to the session of the frame before, whose current index chunk has room.
    if (info.session == lastSession_ && lastSlotsLeft_ > 0) {
        *lastSlot_++ = static_cast<std::uint32_t>(index);
        --lastSlotsLeft_;
        lastList_->size.store(lastList_->size.load(std::memory_order_relaxed) + 1, std::memory_order_release);
    } else if (info.session != kNoSession) {
        indexSession(info.session, index); // sessionIndexRoom() made its room
    }
    return index;
}

PacketStore::SessionList *PacketStore::sessionList(SessionId session, bool create)
{
    const std::uint64_t slot = session - 1;
    const std::uint64_t block = slot / kSessionBlock;
    if (block >= kSessionBlocks) return nullptr;
    SessionList *lists = sessionBlocks_[block].load(std::memory_order_acquire);
    if (!lists) {
        if (!create) return nullptr;
        void *mem = alloc_.allocate(sizeof(SessionList) * kSessionBlock);
        if (!mem) return nullptr;
        lists = static_cast<SessionList *>(mem);
        for (std::uint32_t i = 0; i < kSessionBlock; ++i)
            new (&lists[i]) SessionList{};
        sessionBlocks_[block].store(lists, std::memory_order_release);
    }
    return &lists[slot % kSessionBlock];
}

bool PacketStore::sessionIndexRoom(SessionId session)
{
    if (session == kNoSession || (session == lastSession_ && lastSlotsLeft_ > 0)) return true;
    SessionList *list = session == lastSession_ ? lastList_ : sessionList(session, true);
    if (!list) return false;
    const ChunkSlot s = sessionSlot(list->size.load(std::memory_order_relaxed));
    if (s.chunk >= kSessionChunks) return false;
    if (!list->chunks[s.chunk]) {
        const std::size_t entries = std::size_t(kFirstSessionChunk) << s.chunk;
        void *mem = alloc_.allocate(entries * sizeof(std::uint32_t));
        if (!mem) return false;
        list->chunks[s.chunk] = static_cast<std::uint32_t *>(mem);
    }
    return true;
}

void PacketStore::indexSession(SessionId session, std::uint64_t index)
{
    // append() itself takes the common case: the session of the frame before, room in its chunk;
    // sessionIndexRoom() found (or made) the list and its chunk for this one.
    SessionList *list = session == lastSession_ ? lastList_ : sessionList(session, true);
    lastSession_ = session;
    lastList_ = list;
    const std::uint64_t n = list->size.load(std::memory_order_relaxed);
    const ChunkSlot s = sessionSlot(n);
    list->chunks[s.chunk][s.offset] = static_cast<std::uint32_t>(index);
    lastSlot_ = &list->chunks[s.chunk][s.offset + 1];
    lastSlotsLeft_ = (std::size_t(kFirstSessionChunk) << s.chunk) - s.offset - 1;
    list->size.store(n + 1, std::memory_order_release);
    if (session > sessionCount_.load(std::memory_order_relaxed))
        sessionCount_.store(session, std::memory_order_release);
}

SessionIndexView PacketStore::sessionPackets(SessionId session) const
{
    SessionIndexView view;
    if (session == kNoSession) return view;
    auto *self = const_cast<PacketStore *>(this);
    SessionList *list = self->sessionList(session, false);
    if (!list) return view;
    view.size_ = list->size.load(std::memory_order_acquire);
    view.list_ = &list->chunks;
    return view;
}

PacketView PacketStore::packet(std::uint64_t index) const
{
    // Past size() the record chunk may not exist yet: a caller holding a stale row count (a store
    // replaced under it) would read through a null chunk. Loud in Debug and sanitizer builds.
    assert(index < size() && "PacketStore::packet: index past the published records");
    const Record *r = recordAt(index);
    PacketView v;
    v.index = index;
    v.time = instantFromNanos(r->timeNs);
    v.host = r->host;
    v.link = r->link;
    v.direction = r->direction;
    v.fate = r->fate.load(std::memory_order_relaxed);
    v.session = r->session;
    v.sentAs = r->sentAs == kNone32 ? Event::kNoPacket : r->sentAs;
    v.originalLength = r->originalLength;
    if (r->data || r->length == 0) {
        v.bytes = ByteView(r->data, r->length);
    } else {
        // Shares the bytes of its sender's record (see append), which the link vouched are these.
        // The bounds come from that record, so a link vouching for a longer frame cannot make a
        // reader run past them: it would read as cut to the sent length.
        const Record *sent = recordAt(r->sentAs);
        if (sent->data) v.bytes = ByteView(sent->data, std::min(r->length, sent->length));
    }
    v.firstNote = r->notes.load(std::memory_order_acquire);
    return v;
}

ByteView PacketStore::wholeFrameCopy(std::uint64_t index) const
{
    const Record *r = recordAt(index);
    return r->data && r->length == r->originalLength ? ByteView(r->data, r->length) : ByteView();
}

void PacketStore::addAnnotation(std::uint64_t index, AnnotationKind kind, std::string text,
                                std::vector<std::pair<std::string, std::string>> fields)
{
    if (index >= published_.load(std::memory_order_acquire)) return;
    std::lock_guard lock(notesMutex_);
    Annotation &a = notes_.emplace_back();
    a.kind = kind;
    a.text = std::move(text);
    a.fields = std::move(fields);
    // Analysis labels come first, in the order added, then every other note in the order added: the
    // order a reader sees does not depend on whether the labels were computed inline or by a
    // LabelWorker that caught up later. A reader walking the list meanwhile sees the new note or
    // not, never a broken link (its next is set before it is linked in).
    Record *r = recordAt(index);
    std::atomic<const Annotation *> *link = &r->notes;
    const Annotation *after = link->load(std::memory_order_relaxed);
    while (after && (kind != AnnotationKind::Analysis || after->kind == AnnotationKind::Analysis)) {
        link = &const_cast<Annotation *>(after)->next;
        after = link->load(std::memory_order_relaxed);
    }
    a.next.store(after, std::memory_order_relaxed);
    link->store(&a, std::memory_order_release);
    annotationCount_.store(notes_.size(), std::memory_order_release);
}

void PacketStore::setFate(std::uint64_t index, FrameFate fate)
{
    if (index >= published_.load(std::memory_order_relaxed)) return;
    recordAt(index)->fate.store(fate, std::memory_order_relaxed);
}

void PacketStore::describeInterface(const InterfaceInfo &info)
{
    std::lock_guard lock(interfacesMutex_);
    for (auto &i : interfaces_) {
        if (i.host == info.host && i.link == info.link) {
            i = info;
            return;
        }
    }
    interfaces_.push_back(info);
}

std::vector<InterfaceInfo> PacketStore::interfaces() const
{
    std::lock_guard lock(interfacesMutex_);
    return interfaces_;
}

const InterfaceInfo *PacketStore::interfaceFor(HostId host, LinkId link, InterfaceInfo &out) const
{
    std::lock_guard lock(interfacesMutex_);
    for (const auto &i : interfaces_) {
        if (i.host == host && i.link == link) {
            out = i;
            return &out;
        }
    }
    return nullptr;
}

} // namespace tcplab

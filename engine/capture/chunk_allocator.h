// Memory for the packet store: RAM up to a bound, then (optionally) pages of an unlinked temporary
// file mapped into memory, so addresses stay stable and the kernel can write cold chunks to disk.
// Chunks are only freed all at once, when the allocator dies.
//
// Faulting in fresh pages (the kernel zeroes and charges each one) costs as much as everything else
// recording does to a bulk transfer. So chunks of one size (the store's frame arenas) can be
// prepared ahead on a helper thread: prepareAhead(size, n) keeps up to n of them mapped and
// faulted in, within the memory bound, and allocate(size) takes one when it is ready (or maps one
// itself when not). The writer thread never waits for the helper.
//
// Where fresh pages come slowly (a machine short of free memory; a VM whose host takes back what the
// guest frees), the helper cannot keep up with a fast transfer. A reserve is then prepared before
// the traffic comes: prepareAhead(size, n, reserve) starts the helper at once on that many bytes
// of chunks, and a caller that wants them there before it goes on waits with awaitReserve().
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "core/expected.h"

namespace tcplab {

// A directory a spill file may be made in, as a user named it (tcplab-cli --pcap-spill-dir, the
// tap dialog). `inMemory` names its file system ("tmpfs" or "ramfs") when it is in memory, where a
// spill file takes RAM as the store does, so spilling there bounds nothing; null on disk.
struct SpillDirectory {
    const char *inMemory = nullptr;
};
// An existing directory this process may create files in, or an error naming it and the reason.
Expected<SpillDirectory> checkSpillDirectory(const std::string &path);
// Where temporary files go unless a user names a directory: `tmpdir` (the TMPDIR environment
// variable, which the program reads and passes) when set and not empty, else /tmp.
std::string defaultSpillDirectory(const char *tmpdir);

class ChunkAllocator {
public:
    ChunkAllocator(std::uint64_t memoryLimit, bool spill, std::string spillDirectory);
    ~ChunkAllocator();
    ChunkAllocator(const ChunkAllocator &) = delete;
    ChunkAllocator &operator=(const ChunkAllocator &) = delete;

    // Zeroed memory, or nullptr when the bound is reached and spilling is off or failed
    // (lastError() says why).
    void *allocate(std::size_t bytes);
    // Chunks of exactly `bytes` are prepared ahead, up to `count` at a time (0: none). The helper
    // thread starts with the first allocate() of that size, or at once to prepare a `reserve` of
    // that many bytes (within the memory bound), which allocate() then takes first.
    void prepareAhead(std::size_t bytes, int count, std::uint64_t reserve = 0);

    struct ReserveState {
        std::uint64_t asked = 0;    // bytes, rounded down to whole chunks within the bound
        std::uint64_t prepared = 0; // bytes of it mapped and faulted in so far
        std::string error;          // why the helper stopped short of `asked`
        // All prepared, or stopped short.
        bool done() const { return prepared == asked || !error.empty(); }
    };
    ReserveState reserveState() const; // any thread
    // Any thread: waits until the reserve is done, or until giveUp() (asked every 20 ms) is true.
    ReserveState awaitReserve(const std::function<bool()> &giveUp) const;

    // Any thread (the GUI shows them while the engine thread records).
    std::uint64_t memoryBytes() const { return memoryBytes_.load(std::memory_order_relaxed); }
    std::uint64_t spilledBytes() const { return spilledBytes_.load(std::memory_order_relaxed); }
    bool spilling() const { return spillFd_ >= 0; }
    const std::string &lastError() const { return lastError_; }

private:
    void *allocateSpilled(std::size_t bytes);
    void *takePrepared(std::size_t bytes);

    struct Ahead;
    std::unique_ptr<Ahead> ahead_;

    std::uint64_t limit_;
    bool spill_;
    std::string spillDirectory_;
    // Written by the allocating thread only (a plain relaxed store, no locked instruction).
    std::atomic<std::uint64_t> memoryBytes_{0}, spilledBytes_{0};
    int spillFd_ = -1;
    std::uint64_t spillFileSize_ = 0;
    std::string lastError_;
    std::vector<void *> heap_;
    std::vector<std::pair<void *, std::size_t>> mapped_;
};

} // namespace tcplab

#include "capture/chunk_allocator.h"

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <condition_variable>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <linux/magic.h>
#include <mutex>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <thread>
#include <unistd.h>

namespace tcplab {

std::string defaultSpillDirectory(const char *tmpdir)
{
    return tmpdir && *tmpdir ? std::string(tmpdir) : std::string("/tmp");
}

Expected<SpillDirectory> checkSpillDirectory(const std::string &path)
{
    const auto refuse = [&](const std::string &why) {
        return Error{"spill directory \"" + path + "\": " + why};
    };
    if (path.empty()) return refuse("empty");
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0) return refuse(std::strerror(errno));
    if (!S_ISDIR(st.st_mode)) return refuse("not a directory");
    if (::access(path.c_str(), W_OK | X_OK) != 0)
        return refuse(std::string("cannot create files there: ") + std::strerror(errno));
    struct statfs fs {};
    SpillDirectory d;
    if (::statfs(path.c_str(), &fs) == 0)
        d.inMemory = fs.f_type == TMPFS_MAGIC ? "tmpfs" : fs.f_type == RAMFS_MAGIC ? "ramfs" : nullptr;
    return d;
}

ChunkAllocator::ChunkAllocator(std::uint64_t memoryLimit, bool spill, std::string spillDirectory)
    : limit_(memoryLimit), spill_(spill), spillDirectory_(std::move(spillDirectory))
{
}

namespace {

constexpr std::size_t kMappedChunk = 64u << 10;

#ifndef MADV_POPULATE_WRITE
#define MADV_POPULATE_WRITE 23 // Linux 5.14
#endif

// Anonymous memory with every page present, zeroed like calloc. (Transparent huge pages were
// tried: populating 2 MiB pages on the engine thread measured slower than 4 KiB ones.)
void *mapPopulated(std::size_t bytes)
{
    void *p = ::mmap(nullptr, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED) return nullptr;
    // In steps of 64 KiB: populating holds the process's memory-map lock, and the engine thread,
    // growing its malloc heap meanwhile (mprotect), was seen waiting for it; a step bounds the wait.
    bool populated = true;
    for (std::size_t at = 0; at < bytes && populated; at += kMappedChunk)
        populated = ::madvise(static_cast<std::uint8_t *>(p) + at, std::min(kMappedChunk, bytes - at),
                              MADV_POPULATE_WRITE) == 0;
    if (!populated) {
        // Older kernels: touch one byte per page (the memory reads as zeros either way).
        const std::size_t page = static_cast<std::size_t>(::sysconf(_SC_PAGESIZE));
        auto *at = static_cast<volatile std::uint8_t *>(p);
        for (std::size_t k = 0; k < bytes; k += page)
            at[k] = 0;
    }
    return p;
}

} // namespace

// The helper thread and the chunks it prepared (not counted in memoryBytes() until taken).
struct ChunkAllocator::Ahead {
    std::size_t size = 0;
    int count = 0;
    std::mutex mutex;
    std::condition_variable wake;
    std::vector<void *> ready;
    int wanted = 0; // chunks the helper may still prepare (within the memory bound)
    bool stop = false;
    std::thread helper;
    ReserveState reserve{};
    std::condition_variable reserveDone;

    void run()
    {
        std::unique_lock lock(mutex);
        for (;;) {
            wake.wait(lock, [&] { return stop || wanted > 0; });
            if (stop) return;
            --wanted;
            lock.unlock();
            void *p = mapPopulated(size);
            const int mapError = errno;
            lock.lock();
            if (p) ready.push_back(p);
            if (reserve.done()) continue;
            if (p) {
                reserve.prepared += size;
            } else { // the reserve stops here; allocate() asks for more when it needs them
                reserve.error = std::string("cannot map more memory: ") + std::strerror(mapError);
                wanted = 0;
            }
            if (reserve.done()) reserveDone.notify_all();
        }
    }
    ~Ahead()
    {
        {
            std::lock_guard lock(mutex);
            stop = true;
        }
        wake.notify_one();
        if (helper.joinable()) helper.join();
        for (void *p : ready)
            ::munmap(p, size);
    }
};

void ChunkAllocator::prepareAhead(std::size_t bytes, int count, std::uint64_t reserve)
{
    ahead_.reset();
    if (count <= 0 || bytes < kMappedChunk) return;
    ahead_ = std::make_unique<Ahead>();
    Ahead &a = *ahead_;
    a.size = bytes;
    a.count = count;
    const std::uint64_t chunks = std::min(reserve, limit_) / bytes;
    if (chunks == 0) return;
    a.reserve.asked = chunks * bytes;
    a.wanted = int(std::max<std::uint64_t>(chunks, std::uint64_t(count)));
    a.helper = std::thread([&a] { a.run(); });
}

ChunkAllocator::ReserveState ChunkAllocator::reserveState() const
{
    if (!ahead_) return {};
    std::lock_guard lock(ahead_->mutex);
    return ahead_->reserve;
}

ChunkAllocator::ReserveState ChunkAllocator::awaitReserve(const std::function<bool()> &giveUp) const
{
    if (!ahead_) return {};
    Ahead &a = *ahead_;
    std::unique_lock lock(a.mutex);
    while (!a.reserve.done() &&
           !a.reserveDone.wait_for(lock, std::chrono::milliseconds(20), [&] { return a.reserve.done(); })) {
        lock.unlock();
        const bool stop = giveUp();
        lock.lock();
        if (stop) break;
    }
    return a.reserve;
}

void *ChunkAllocator::takePrepared(std::size_t bytes)
{
    Ahead &a = *ahead_;
    void *p = nullptr;
    bool more = false;
    {
        std::lock_guard lock(a.mutex);
        if (!a.ready.empty()) {
            p = a.ready.back();
            a.ready.pop_back();
        }
        // Keep `count` ahead, but never more than what the bound leaves after this one. Topped up
        // once half of them are taken (or none was ready): waking the helper costs the writer a
        // system call, once per few chunks instead of once per chunk.
        const std::uint64_t used = memoryBytes() + (p ? bytes : 0);
        const std::uint64_t room = limit_ > used ? (limit_ - used) / bytes : 0;
        const std::uint64_t pending = a.ready.size() + std::uint64_t(std::max(a.wanted, 0));
        const std::uint64_t target = std::min<std::uint64_t>(std::uint64_t(a.count), room);
        if (target > pending && (!p || pending * 2 <= target)) {
            a.wanted += int(target - pending);
            more = true;
        }
        if (!a.helper.joinable()) a.helper = std::thread([&a] { a.run(); });
    }
    if (more) a.wake.notify_one();
    return p;
}

ChunkAllocator::~ChunkAllocator()
{
    ahead_.reset();
    for (void *p : heap_)
        std::free(p);
    for (auto [p, n] : mapped_)
        ::munmap(p, n);
    if (spillFd_ >= 0) ::close(spillFd_);
}

void *ChunkAllocator::allocate(std::size_t bytes)
{
    if (memoryBytes() + bytes <= limit_) {
        // Chunks of 64 KiB and more (record chunks, frame arenas) are mapped and pre-faulted at
        // once: one kernel call per chunk instead of a page fault every 4 KiB on the engine
        // thread's copy path.
        if (bytes >= kMappedChunk) {
            void *p = ahead_ && bytes == ahead_->size ? takePrepared(bytes) : nullptr;
            if (!p) p = mapPopulated(bytes);
            if (p) {
                mapped_.emplace_back(p, bytes);
                memoryBytes_.store(memoryBytes() + bytes, std::memory_order_relaxed);
                return p;
            }
        } else if (void *p = std::calloc(1, bytes)) {
            heap_.push_back(p);
            memoryBytes_.store(memoryBytes() + bytes, std::memory_order_relaxed);
            return p;
        }
        lastError_ = "out of memory";
    }
    if (!spill_) {
        if (lastError_.empty()) lastError_ = "memory bound reached and spilling is off";
        return nullptr;
    }
    return allocateSpilled(bytes);
}

void *ChunkAllocator::allocateSpilled(std::size_t bytes)
{
    const std::size_t page = static_cast<std::size_t>(::sysconf(_SC_PAGESIZE));
    const std::size_t size = (bytes + page - 1) / page * page;
    if (spillFd_ < 0) {
        std::string path = spillDirectory_ + "/tcplab-store-XXXXXX";
        spillFd_ = ::mkstemp(path.data());
        if (spillFd_ < 0) {
            lastError_ = "cannot create spill file in \"" + spillDirectory_ + "\": " + std::strerror(errno);
            spill_ = false;
            return nullptr;
        }
        ::unlink(path.c_str()); // nothing left behind, whatever happens to the process
    }
    if (::ftruncate(spillFd_, static_cast<off_t>(spillFileSize_ + size)) != 0) {
        lastError_ = std::string("cannot grow spill file: ") + std::strerror(errno);
        return nullptr;
    }
    void *p = ::mmap(nullptr, size, PROT_READ | PROT_WRITE, MAP_SHARED, spillFd_,
                     static_cast<off_t>(spillFileSize_));
    if (p == MAP_FAILED) {
        lastError_ = std::string("cannot map spill file: ") + std::strerror(errno);
        return nullptr;
    }
    spillFileSize_ += size;
    spilledBytes_.store(spilledBytes() + size, std::memory_order_relaxed);
    mapped_.emplace_back(p, size);
    return p; // a fresh file extension reads as zeros
}

} // namespace tcplab

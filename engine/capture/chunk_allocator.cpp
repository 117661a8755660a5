#include "capture/chunk_allocator.h"

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <sys/mman.h>
#include <unistd.h>

namespace tcplab {

ChunkAllocator::ChunkAllocator(std::uint64_t memoryLimit, bool spill, std::string spillDirectory)
    : limit_(memoryLimit), spill_(spill), spillDirectory_(std::move(spillDirectory))
{
}

ChunkAllocator::~ChunkAllocator()
{
    for (void *p : heap_) std::free(p);
    for (auto [p, n] : mapped_) ::munmap(p, n);
    if (spillFd_ >= 0) ::close(spillFd_);
}

void *ChunkAllocator::allocate(std::size_t bytes)
{
    if (memoryBytes_ + bytes <= limit_) {
        // Big chunks are mapped with their pages populated at once: one kernel call instead of a
        // page fault every 4 KiB on the engine thread's copy path.
        if (bytes >= (1u << 20)) {
            void *p = ::mmap(nullptr, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
            if (p != MAP_FAILED) {
                mapped_.emplace_back(p, bytes);
                memoryBytes_ += bytes;
                return p;
            }
        } else if (void *p = std::calloc(1, bytes)) {
            heap_.push_back(p);
            memoryBytes_ += bytes;
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
        ::unlink(path.c_str());  // nothing left behind, whatever happens to the process
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
    spilledBytes_ += size;
    mapped_.emplace_back(p, size);
    return p;  // a fresh file extension reads as zeros
}

}  // namespace tcplab

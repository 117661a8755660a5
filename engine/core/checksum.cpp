#include "core/checksum.h"

#include <cstring>

namespace tcplab {

namespace {

// Sums big-endian 16-bit words of `data` into a 64-bit accumulator, reading 8 bytes at a time.
// Ones'-complement addition is byte-order independent (RFC 1071 section 2(B)), so we sum native
// 64-bit words and swap once at the end.
std::uint64_t sumWords(const std::uint8_t *p, std::size_t n)
{
    std::uint64_t sum = 0;
    while (n >= 8) {
        std::uint64_t w;
        std::memcpy(&w, p, 8);
        sum += w;
        sum += (sum < w);  // end-around carry
        p += 8;
        n -= 8;
    }
    // fold to 32 bits leaving headroom for the tail
    sum = (sum & 0xffffffffULL) + (sum >> 32);
    sum = (sum & 0xffffffffULL) + (sum >> 32);
    while (n >= 2) {
        std::uint16_t w;
        std::memcpy(&w, p, 2);
        sum += w;
        p += 2;
        n -= 2;
    }
    if (n) {
        std::uint8_t last[2] = {*p, 0};
        std::uint16_t w;
        std::memcpy(&w, last, 2);
        sum += w;
    }
    return sum;
}

std::uint16_t foldToNetwork16(std::uint64_t sum)
{
    while (sum >> 16) sum = (sum & 0xffff) + (sum >> 16);
    return static_cast<std::uint16_t>(sum);
}

std::uint16_t nativeToBe(std::uint16_t v)
{
    std::uint8_t b[2];
    std::memcpy(b, &v, 2);
    return static_cast<std::uint16_t>(b[0] << 8 | b[1]);
}

}  // namespace

void ChecksumAccumulator::add(ByteView data)
{
    if (data.empty()) return;
    const std::uint8_t *p = data.data();
    std::size_t n = data.size();
    if (odd_) {
        // This byte is the low half of the word the previous piece started.
        addBe16(p[0]);
        ++p;
        --n;
        odd_ = false;
    }
    // sumWords returns a native-order sum: convert to big-endian word value by folding and swapping.
    const std::uint16_t folded = nativeToBe(foldToNetwork16(sumWords(p, n & ~std::size_t(1))));
    sum_ += folded;
    if (n & 1) {
        addBe16(static_cast<std::uint16_t>(p[n - 1] << 8));
        odd_ = true;
    }
}

void ChecksumAccumulator::addBe16(std::uint16_t v) { sum_ += v; }

void ChecksumAccumulator::addBe32(std::uint32_t v)
{
    sum_ += v >> 16;
    sum_ += v & 0xffff;
}

std::uint16_t ChecksumAccumulator::finish() const
{
    return static_cast<std::uint16_t>(~foldToNetwork16(sum_));
}

std::uint16_t internetChecksum(ByteView data)
{
    ChecksumAccumulator acc;
    acc.add(data);
    return acc.finish();
}

}  // namespace tcplab

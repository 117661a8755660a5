// The internet checksum (RFC 1071), summed 64 bits at a time: at line rate a byte-at-a-time loop
// would cost more than the rest of the stack per frame.
#pragma once

#include <cstdint>

#include "core/bytes.h"

namespace tcplab {

// Accumulates a ones'-complement sum over several pieces (pseudo-header, header, payload).
// Pieces of odd length are handled: the next piece continues at the right byte position.
class ChecksumAccumulator {
public:
    void add(ByteView data);
    void addBe16(std::uint16_t v);
    void addBe32(std::uint32_t v);
    // The final checksum, ready to store big-endian in a header field.
    std::uint16_t finish() const;

private:
    std::uint64_t sum_ = 0;
    bool odd_ = false;  // the previous piece ended mid 16-bit word
};

// Checksum of one buffer.
std::uint16_t internetChecksum(ByteView data);

}  // namespace tcplab

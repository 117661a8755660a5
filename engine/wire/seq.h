// TCP sequence numbers: 32-bit, compared modulo 2^32 (RFC 9293 section 3.4, "it is essential to
// remember that the actual sequence number space is finite ... all arithmetic dealing with sequence
// numbers must be performed modulo 2**32").
#pragma once

#include <cstdint>

namespace tcplab {

class SeqNum {
public:
    constexpr SeqNum() = default;
    constexpr explicit SeqNum(std::uint32_t raw) : raw_(raw) {}

    constexpr std::uint32_t raw() const { return raw_; }

    constexpr SeqNum operator+(std::uint32_t n) const { return SeqNum(raw_ + n); }
    constexpr SeqNum operator-(std::uint32_t n) const { return SeqNum(raw_ - n); }
    constexpr SeqNum &operator+=(std::uint32_t n) { raw_ += n; return *this; }
    constexpr SeqNum &operator-=(std::uint32_t n) { raw_ -= n; return *this; }
    // Signed distance from `other` to this, valid while the two are less than 2^31 apart.
    constexpr std::int32_t operator-(SeqNum other) const { return static_cast<std::int32_t>(raw_ - other.raw_); }

    constexpr bool operator==(const SeqNum &) const = default;
    friend constexpr bool operator<(SeqNum a, SeqNum b) { return (a - b) < 0; }
    friend constexpr bool operator>(SeqNum a, SeqNum b) { return (a - b) > 0; }
    friend constexpr bool operator<=(SeqNum a, SeqNum b) { return (a - b) <= 0; }
    friend constexpr bool operator>=(SeqNum a, SeqNum b) { return (a - b) >= 0; }

    // lo <= this < hi, modulo 2^32.
    constexpr bool inWindow(SeqNum lo, std::uint32_t size) const { return static_cast<std::uint32_t>(raw_ - lo.raw_) < size; }

private:
    std::uint32_t raw_ = 0;
};

constexpr SeqNum seqMax(SeqNum a, SeqNum b) { return a > b ? a : b; }
constexpr SeqNum seqMin(SeqNum a, SeqNum b) { return a < b ? a : b; }

}  // namespace tcplab

#include "core/bytes.h"

namespace tcplab {

std::string toHex(ByteView bytes, std::size_t maxBytes)
{
    static constexpr char digits[] = "0123456789abcdef";
    std::string out;
    const std::size_t n = bytes.size() < maxBytes ? bytes.size() : maxBytes;
    out.reserve(n * 3);
    for (std::size_t i = 0; i < n; ++i) {
        if (i) out.push_back(' ');
        out.push_back(digits[bytes[i] >> 4]);
        out.push_back(digits[bytes[i] & 0xf]);
    }
    if (n < bytes.size()) out += " ...";
    return out;
}

}  // namespace tcplab

// Loading and storing addresses at byte positions inside headers (big-endian, unaligned).
#pragma once

#include <algorithm>
#include <cstdint>

#include "core/bytes.h"
#include "wire/addresses.h"

namespace tcplab {

inline MacAddr loadMac(const std::uint8_t *p)
{
    MacAddr m;
    std::copy_n(p, 6, m.b.begin());
    return m;
}
inline Ip6Addr loadIp6(const std::uint8_t *p)
{
    Ip6Addr a;
    std::copy_n(p, 16, a.b.begin());
    return a;
}
inline void storeMac(std::uint8_t *p, const MacAddr &m) { std::copy(m.b.begin(), m.b.end(), p); }
inline void storeIp6(std::uint8_t *p, const Ip6Addr &a) { std::copy(a.b.begin(), a.b.end(), p); }
inline void appendMac(Bytes &out, const MacAddr &m) { out.insert(out.end(), m.b.begin(), m.b.end()); }
inline void appendIp6(Bytes &out, const Ip6Addr &a) { out.insert(out.end(), a.b.begin(), a.b.end()); }

}  // namespace tcplab

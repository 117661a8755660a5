#include "tcp/isn.h"

#include <array>
#include <cstring>

namespace tcplab {

namespace {

std::uint64_t rotl(std::uint64_t x, int b) { return (x << b) | (x >> (64 - b)); }

// SipHash-2-4 (Aumasson & Bernstein) over a byte string.
std::uint64_t sipHash(std::uint64_t k0, std::uint64_t k1, const std::uint8_t *in, std::size_t len)
{
    std::uint64_t v0 = 0x736f6d6570736575ULL ^ k0, v1 = 0x646f72616e646f6dULL ^ k1;
    std::uint64_t v2 = 0x6c7967656e657261ULL ^ k0, v3 = 0x7465646279746573ULL ^ k1;
    auto round = [&] {
        v0 += v1; v1 = rotl(v1, 13); v1 ^= v0; v0 = rotl(v0, 32);
        v2 += v3; v3 = rotl(v3, 16); v3 ^= v2;
        v0 += v3; v3 = rotl(v3, 21); v3 ^= v0;
        v2 += v1; v1 = rotl(v1, 17); v1 ^= v2; v2 = rotl(v2, 32);
    };
    const std::size_t whole = len & ~std::size_t(7);
    for (std::size_t i = 0; i < whole; i += 8) {
        std::uint64_t m = 0;
        for (int b = 0; b < 8; ++b) m |= std::uint64_t(in[i + b]) << (8 * b);
        v3 ^= m;
        round();
        round();
        v0 ^= m;
    }
    std::uint64_t last = std::uint64_t(len & 0xff) << 56;
    for (std::size_t b = 0; b < (len & 7); ++b) last |= std::uint64_t(in[whole + b]) << (8 * b);
    v3 ^= last;
    round();
    round();
    v0 ^= last;
    v2 ^= 0xff;
    for (int i = 0; i < 4; ++i) round();
    return v0 ^ v1 ^ v2 ^ v3;
}

void putEndpoint(std::array<std::uint8_t, 64> &buf, std::size_t &n, const Endpoint &e)
{
    if (e.addr.isV4()) {
        const std::uint32_t v = e.addr.v4().value;
        std::memcpy(buf.data() + n, &v, 4);
        n += 4;
    } else {
        std::memcpy(buf.data() + n, e.addr.v6().b.data(), 16);
        n += 16;
    }
    buf[n++] = static_cast<std::uint8_t>(e.port >> 8);
    buf[n++] = static_cast<std::uint8_t>(e.port);
}

// MSS classes a cookie can carry in 3 bits (the values Linux uses for its cookies, plus IPv6's).
constexpr std::uint16_t kMssClasses[8] = {536, 1220, 1300, 1440, 1460, 4312, 8960, 9000};
constexpr std::int64_t kSlotNs = 64'000'000'000;  // one cookie time slot: 64 s

}  // namespace

std::uint64_t IsnGenerator::hash(const Endpoint &local, const Endpoint &remote, std::uint64_t extra) const
{
    std::array<std::uint8_t, 64> buf{};
    std::size_t n = 0;
    putEndpoint(buf, n, local);
    putEndpoint(buf, n, remote);
    std::memcpy(buf.data() + n, &extra, 8);
    n += 8;
    return sipHash(k0_, k1_, buf.data(), n);
}

SeqNum IsnGenerator::isn(Instant now, const Endpoint &local, const Endpoint &remote) const
{
    // RFC 6528 section 3: M, "the 4 microsecond timer".
    const auto m = static_cast<std::uint32_t>(nanosOf(now) / 4000);
    return SeqNum(m + static_cast<std::uint32_t>(hash(local, remote, 0)));
}

SeqNum IsnGenerator::cookie(Instant now, const Endpoint &local, const Endpoint &remote, SeqNum peerIsn,
                            std::uint16_t mss) const
{
    const auto slot = static_cast<std::uint32_t>(nanosOf(now) / kSlotNs) & 0x1f;
    std::uint32_t cls = 0;
    for (std::uint32_t i = 0; i < 8; ++i)
        if (kMssClasses[i] <= mss) cls = i;
    const std::uint64_t extra = (std::uint64_t(peerIsn.raw()) << 32) | (slot << 3) | cls;
    const auto h = static_cast<std::uint32_t>(hash(local, remote, extra)) & 0x00ffffffu;
    return SeqNum(slot << 27 | cls << 24 | h);
}

std::uint16_t IsnGenerator::checkCookie(Instant now, const Endpoint &local, const Endpoint &remote, SeqNum peerIsn,
                                        SeqNum c) const
{
    const std::uint32_t slot = c.raw() >> 27, cls = (c.raw() >> 24) & 7;
    const auto current = static_cast<std::uint32_t>(nanosOf(now) / kSlotNs) & 0x1f;
    // Valid for the current slot and the one before it (64 to 128 s).
    if (slot != current && slot != ((current + 31) & 0x1f)) return 0;
    const std::uint64_t extra = (std::uint64_t(peerIsn.raw()) << 32) | (slot << 3) | cls;
    const auto h = static_cast<std::uint32_t>(hash(local, remote, extra)) & 0x00ffffffu;
    return h == (c.raw() & 0x00ffffffu) ? kMssClasses[cls] : 0;
}

}  // namespace tcplab

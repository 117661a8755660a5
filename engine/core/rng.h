// The lab's only source of randomness: seeded explicitly, passed in by reference, so that a run
// with the same seed makes the same choices (ISNs, wire loss, rule probabilities).
#pragma once

#include <cstdint>

namespace tcplab {

// xoshiro256** seeded through splitmix64 (Blackman & Vigna). Small, fast, good enough for
// simulation; not for secrets (RFC 6528 ISNs also mix in a keyed hash, see tcp/isn.h).
class Rng {
public:
    explicit Rng(std::uint64_t seed = 1) { reseed(seed); }

    void reseed(std::uint64_t seed)
    {
        for (auto &word : state_) {
            seed += 0x9e3779b97f4a7c15ULL;
            std::uint64_t z = seed;
            z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
            z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
            word = z ^ (z >> 31);
        }
    }

    std::uint64_t next()
    {
        const std::uint64_t result = rotl(state_[1] * 5, 7) * 9;
        const std::uint64_t t = state_[1] << 17;
        state_[2] ^= state_[0];
        state_[3] ^= state_[1];
        state_[1] ^= state_[2];
        state_[0] ^= state_[3];
        state_[2] ^= t;
        state_[3] = rotl(state_[3], 45);
        return result;
    }

    std::uint32_t next32() { return static_cast<std::uint32_t>(next() >> 32); }

    // Uniform in [lo, hi] (inclusive). lo > hi yields lo.
    std::uint64_t uniform(std::uint64_t lo, std::uint64_t hi)
    {
        if (hi <= lo) return lo;
        const std::uint64_t span = hi - lo + 1;
        if (span == 0) return next();  // full 64-bit range
        return lo + next() % span;
    }

    // Uniform in [0, 1).
    double unit() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }

    // True with probability p (p <= 0: never, p >= 1: always).
    bool chance(double p) { return p > 0.0 && (p >= 1.0 || unit() < p); }

private:
    static std::uint64_t rotl(std::uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
    std::uint64_t state_[4]{};
};

}  // namespace tcplab

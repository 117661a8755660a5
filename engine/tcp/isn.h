// Initial sequence numbers and SYN cookies.
//
// RFC 6528 section 3: "ISN = M + F(localip, localport, remoteip, remoteport, secretkey) where M is
// the 4 microsecond timer, and F() is a pseudorandom function (PRF) of the connection-id". F here
// is SipHash-2-4 keyed from the lab's Rng, so a run with the same seed gives the same ISNs.
#pragma once

#include <cstdint>

#include "core/rng.h"
#include "core/time.h"
#include "wire/addresses.h"
#include "wire/seq.h"

namespace tcplab {

class IsnGenerator {
public:
    explicit IsnGenerator(Rng &rng) : k0_(rng.next()), k1_(rng.next()) {}

    SeqNum isn(Instant now, const Endpoint &local, const Endpoint &remote) const;

    // SYN cookie (the idea of RFC 4987 section 3.6): the ISN encodes a coarse time slot, the MSS
    // class and a keyed hash of the 4-tuple, so the ACK of a SYN-ACK can rebuild the connection
    // without any state having been kept. Returns the MSS the cookie carries, or 0 if invalid.
    SeqNum cookie(Instant now, const Endpoint &local, const Endpoint &remote, SeqNum peerIsn,
                  std::uint16_t mss) const;
    std::uint16_t checkCookie(Instant now, const Endpoint &local, const Endpoint &remote, SeqNum peerIsn,
                              SeqNum cookie) const;

    std::uint64_t hash(const Endpoint &local, const Endpoint &remote, std::uint64_t extra) const;

private:
    std::uint64_t k0_, k1_;
};

}  // namespace tcplab

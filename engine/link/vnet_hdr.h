// The virtio-net header a tap opened with IFF_VNET_HDR puts before every frame (struct
// virtio_net_hdr, virtio 1.x section 5.1.6 "Device Operation", and linux/virtio_net.h), and what the
// engine does with it:
//
// - Receive: the kernel hands over frames whose TCP/UDP checksum it never computed
//   (VIRTIO_NET_HDR_F_NEEDS_CSUM: "the checksum ... starting at csum_start ... must be placed at
//   csum_start + csum_offset", the field holding the pseudo-header sum) and, with TSO offered, one
//   large TCP segment of up to 64 KB standing for gso_size-byte segments (GSO_TCPV4/TCPV6).
//   completeChecksum() finishes the checksum in place, so the stack and the capture see a frame with a
//   valid checksum, exactly as without offloads; a GSO frame goes up as one large segment.
// - Send: a TCP segment longer than one MSS is marked GSO_TCPV4/TCPV6 with gso_size = the MSS and
//   NEEDS_CSUM, its checksum field reset to the pseudo-header sum; the kernel cuts it into MSS-sized
//   segments and fills in each checksum. Anything else goes with an all-zero header (no offload).
//
// Fields are little-endian: the tap is switched to little-endian headers (TUNSETVNETLE) when the
// host is big-endian; on x86 and arm64 native order is little-endian already.
#pragma once

#include <cstddef>
#include <cstdint>

#include "core/bytes.h"
#include "core/expected.h"

namespace tcplab::vnet {

inline constexpr std::uint8_t kNeedsCsum = 1; // VIRTIO_NET_HDR_F_NEEDS_CSUM
inline constexpr std::uint8_t kDataValid = 2; // VIRTIO_NET_HDR_F_DATA_VALID
inline constexpr std::uint8_t kGsoNone = 0, kGsoTcpV4 = 1, kGsoUdp = 3, kGsoTcpV6 = 4;
inline constexpr std::uint8_t kGsoEcn = 0x80;
// struct virtio_net_hdr is 10 bytes; with VIRTIO_NET_F_MRG_RXBUF (and in virtio 1.x) 12, with
// num_buffers last. We ask for 12 and fall back to 10.
inline constexpr std::size_t kHeaderV1 = 12, kHeaderLegacy = 10;

struct Header {
    std::uint8_t flags = 0;
    std::uint8_t gsoType = kGsoNone;
    std::uint16_t hdrLen = 0;     // Ethernet + IP + TCP header bytes of a GSO frame
    std::uint16_t gsoSize = 0;    // payload bytes per segment (the MSS)
    std::uint16_t csumStart = 0;  // offset of the transport header in the frame
    std::uint16_t csumOffset = 0; // offset of the checksum field from csumStart (16 for TCP)

    bool isGso() const { return (gsoType & ~kGsoEcn) != kGsoNone; }
};

// Reads the first `size` (10 or 12) bytes of `bytes`.
Header parse(ByteView bytes);
// Writes `h` as `size` (10 or 12) bytes into `out`.
void store(const Header &h, std::uint8_t *out, std::size_t size);

// Finishes a NEEDS_CSUM frame in place: sums from csumStart to the end (the field holds the
// pseudo-header sum) and stores the complement at csumStart + csumOffset. An error names what is out
// of bounds; the frame is then left alone (and the stack will count a bad checksum).
Status completeChecksum(const Header &h, MutableByteView frame);

// For an Ethernet frame carrying one IPv4 or IPv6 TCP segment with more than `mss` payload bytes:
// the GSO header for it and the pseudo-header sum to put in the TCP checksum field (partial, as
// NEEDS_CSUM expects). Error when the frame is not such a segment (the caller then sends it as is).
struct GsoPlan {
    Header header;
    std::uint16_t partialChecksum = 0; // big-endian value for the TCP checksum field
};
Expected<GsoPlan> planTcpGso(ByteView frame, std::uint16_t mss);

}  // namespace tcplab::vnet

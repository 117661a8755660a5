// Writing the store to pcapng (draft-ietf-opsawg-pcapng) or classic pcap files.
//
// pcapng: a Section Header Block naming the application and OS, one Interface Description Block
// per (host, link) with its name, MAC, addresses and if_tsresol = 9 (nanoseconds), and one
// Enhanced Packet Block per frame with its direction in epb_flags and every annotation as an
// opt_comment ("state: SYN-SENT → ESTABLISHED", "analysis: TCP Retransmission"). Optionally a
// custom option (code 2988, PEN 32473) carries the same annotations as JSON. 32473 is the IANA
// enterprise number reserved for documentation (RFC 5612): a placeholder until the project has a
// number of its own.
//
// A frame that crossed a virtual wire (demo mode) is in the store twice: as its sender sent it and
// as its receiver got it (FrameInfo::sentAs links the two). Written twice, Wireshark would label
// every second copy a retransmission. So by default (FrameViews::Once) a frame is written once, as
// its sender sent it (the sender's egress view); what the receiver noted about its copy (state
// changes, rule hits, timers, an ingress fate; not its analysis labels, which the sender's view
// has) follows as comments "at <receiving interface>: ...". FrameViews::Every writes every host's
// view (tcplab-cli --pcap-both-views). The section header's comment says which one a file holds.
// A capture with one host (a tap) is the same either way.
//
// Frames that never were on the wire (a rule stopped them on the way out, or the virtual wire
// lost them) are left out unless asked for, and then commented "not on the wire: ...".
// The file is written under a temporary name and renamed at the end: a cancelled or failed export
// leaves no file behind.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "capture/packet_store.h"
#include "core/expected.h"

namespace tcplab {

inline constexpr std::uint32_t kAnnotationPen = 32473; // placeholder, see above
inline constexpr std::uint16_t kPcapngCustomStringCopy = 2988;

enum class CaptureFormat : std::uint8_t { Pcapng, Pcap };
enum class FrameViews : std::uint8_t { Once, Every }; // see the file comment

struct ExportOptions {
    CaptureFormat format = CaptureFormat::Pcapng;
    std::vector<SessionId> sessions;     // empty: every frame, sessionless ones (ARP, ICMP) included
    std::vector<HostId> hosts;           // empty: every host's frames
    FrameViews views = FrameViews::Once; // a frame crossing a virtual wire: written once or per host
    bool includeNotOnWire = false;       // frames dropped/consumed by a rule on egress, lost on the wire
    bool jsonAnnotations = false;        // also the custom JSON option (pcapng only)
    std::string application;             // shb_userappl; empty: "TCP Lab <version>"
    std::string os;                      // shb_os; empty: this system's uname
    std::int64_t timeOffsetNs = 0;       // added to every timestamp (lab time 0 -> wall clock)
    // Called now and then with (frames written, frames to write); return false to cancel.
    std::function<bool(std::uint64_t, std::uint64_t)> progress;
};

struct ExportStats {
    std::uint64_t packets = 0;
    std::uint64_t bytes = 0; // file size
    std::uint32_t interfaces = 0;
};

// True when a frame never crossed the wire (see the file comment).
bool notOnWire(const PacketView &p);
// The comments a frame gets in pcapng, in order: its fate (when it matters), then its annotations.
std::vector<std::string> frameComments(const PacketView &p);
// The section header comment for `views` (what a file's frames are: one view or every host's).
std::string viewsComment(FrameViews views);
// The frames an export with these options writes, in store order.
std::vector<std::uint64_t> selectFrames(const PacketStore &store, const ExportOptions &options);

Expected<ExportStats> exportCapture(const PacketStore &store, const std::string &path,
                                    const ExportOptions &options);

} // namespace tcplab

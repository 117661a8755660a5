// A network interface as the engine sees it: frames out, frames in (in batches), a file
// descriptor to wait on (or -1), and timers (pollAt/poll) for links that keep frames in flight.
#pragma once

#include <cstdint>
#include <functional>
#include <string>

#include "core/bytes.h"
#include "core/event.h"
#include "core/receive_room.h"
#include "core/time.h"

namespace tcplab {

// What happened to a frame handed to transmit().
enum class TxResult : std::uint8_t {
    Sent,      // on its way (a virtual wire may still deliver it later)
    Lost,      // the virtual wire's loss model dropped it: record it as LostOnWire
    QueueFull, // the link's transmit queue (or the kernel's) had no room: also never delivered
    Error,     // the link failed (see counters and the log)
};

const char *txResultName(TxResult result);

struct LinkCounters {
    std::uint64_t txFrames = 0, txBytes = 0;
    std::uint64_t rxFrames = 0, rxBytes = 0;
    std::uint64_t txLost = 0;       // loss model (virtual wire)
    std::uint64_t txQueueDrops = 0; // no room in the queue / EAGAIN on write
    std::uint64_t txErrors = 0, rxErrors = 0;
    std::uint64_t duplicated = 0; // extra copies the wire delivered
    std::uint64_t reordered = 0;  // frames that arrived after a frame sent later than them
    // Offloads (a tap with IFF_VNET_HDR): TCP segments sent for the kernel to cut into MSS-sized
    // ones, large segments received as one frame, received checksums the link completed.
    std::uint64_t txGsoFrames = 0, rxGsoFrames = 0, rxChecksumsCompleted = 0;
    // Received frames read straight into the room the host offered (drainInto: its recorder's store).
    std::uint64_t rxIntoRoom = 0;
};

// One received frame as the link hands it over, with what the link knows about it. Valid during
// the RxHandler call only.
struct ReceivedFrame {
    ByteView bytes;
    // The tag the sender passed to transmit(): a virtual wire carries it across; a tap has none.
    std::uint64_t sentAs = Event::kNoPacket;
    // The link itself computed the frame's transport checksum (a tap's checksum offload leaves it
    // to the receiver; see TapLink::drain), so it is right by construction and the host need not
    // sum the bytes again.
    bool checksumComputed = false;
    // The bytes are exactly those its sender passed to transmit() with the `sentAs` tag (nothing on
    // the way changed them), so a recorder may keep one copy for both records. A link that cannot
    // vouch for it (a tap) says false.
    bool unchanged = false;
};

// Called once per received frame.
using RxHandler = std::function<void(const ReceivedFrame &frame)>;

class Link {
public:
    virtual ~Link() = default;

    virtual const std::string &name() const = 0;
    // Sends one Ethernet frame (without FCS). `tag` travels with the frame on a virtual wire.
    virtual TxResult transmit(Instant now, ByteView frame, std::uint64_t tag = Event::kNoPacket) = 0;
    // True for a link that keeps frames after sending them (a virtual wire, until their delivery)
    // and would rather carry lent bytes than a copy of its own (transmitLent). A link that writes
    // frames at once (a tap) says false, and the host does not look for bytes to lend it.
    virtual bool borrowsLentFrames() const { return false; }
    // Sends a frame whose bytes are lent: they stay valid and unchanged until returnLentFrames()
    // (the store's copy of a recorded frame, which lives as long as the recorder stays attached).
    virtual TxResult transmitLent(Instant now, ByteView frame, std::uint64_t tag)
    {
        return transmit(now, frame, tag);
    }
    // The lender's bytes may go after this returns: the link copies the lent frames it still holds.
    virtual void returnLentFrames() {}
    // Hands at most maxFrames received frames (those due by `now`) to `handler`; returns how many.
    virtual std::size_t drain(Instant now, std::size_t maxFrames, const RxHandler &handler) = 0;
    // As drain(), reading each frame into `room` where it fits (a tap: what the kernel hands over
    // then lands in the recorder's store at once). Links that do not read frames from outside the
    // lab ignore the room.
    virtual std::size_t drainInto(Instant now, std::size_t maxFrames, ReceiveRoom & /*room*/,
                                  const RxHandler &handler)
    {
        return drain(now, maxFrames, handler);
    }
    // A descriptor that becomes readable when frames arrive, or -1 (virtual links use pollAt).
    virtual int fd() const { return -1; }
    // True when drain() hands over bursts as they queued up outside the lab (a tap: everything the
    // kernel sent since the last wake-up), so the host may take a burst as one batch (see
    // TcpInput::beginBatch). A virtual link delivers each frame at its own instant: false.
    virtual bool receivesInBursts() const { return false; }
    // When the next received frame becomes due (virtual links); kNever for fd-driven links.
    virtual Instant pollAt() const { return kNever; }
    virtual LinkCounters counters() const = 0;
    // TCP segmentation offload: the largest frame transmitSegmented() takes, 0 when the link sends
    // nothing longer than its MTU (then nobody calls it).
    virtual std::size_t gsoMaxFrame() const { return 0; }
    // Sends a frame carrying one TCP segment with more than `mss` payload bytes, which the link (or
    // the kernel behind it) cuts into segments of `mss` bytes.
    virtual TxResult transmitSegmented(Instant now, ByteView frame, std::uint16_t /*mss*/, std::uint64_t tag)
    {
        return transmit(now, frame, tag);
    }
};

} // namespace tcplab

// A Linux tap device (/dev/net/tun, IFF_TAP | IFF_NO_PI): the engine's Ethernet port into the
// kernel. It attaches to an existing persistent tap the user may use (tcplab-netsetup creates one
// owned by the user), or creates a transient one when the process has CAP_NET_ADMIN.
//
// Offloads (TapOptions::offload, on by default): the tap is opened with IFF_VNET_HDR, asked for
// 12-byte virtio-net headers (TUNSETVNETHDRSZ) and for checksum and TCP segmentation offload
// (TUNSETOFFLOAD TUN_F_CSUM | TUN_F_TSO4 | TUN_F_TSO6). Then the kernel may hand over TCP segments
// of up to 64 KB and frames with a partial checksum, and takes TCP segments of up to 64 KB that it
// cuts into MSS-sized ones (see vnet_hdr.h). When the tap refuses, the link works without them,
// exactly as before, and offloadStatus() says why (a log line, not an error).
#pragma once

#include <memory>
#include <string>

#include "core/expected.h"
#include "link/link.h"

namespace tcplab {

struct TapOptions {
    std::string name; // "tap7"; at most IFNAMSIZ-1 characters
    std::string tunPath = "/dev/net/tun";
    bool bringUp = true; // set IFF_UP when the device is down and we may (best effort)
    bool offload = true; // try IFF_VNET_HDR with checksum and TCP segmentation offload
};

class TapLink final : public Link {
public:
    // Every error names the device, the errno text and what the user can do about it.
    static Expected<std::unique_ptr<TapLink>> open(const TapOptions &options);
    ~TapLink() override;
    TapLink(const TapLink &) = delete;
    TapLink &operator=(const TapLink &) = delete;

    const std::string &name() const override { return name_; }
    TxResult transmit(Instant now, ByteView frame, std::uint64_t tag = Event::kNoPacket) override;
    // Reads until EAGAIN or maxFrames.
    std::size_t drain(Instant now, std::size_t maxFrames, const RxHandler &handler) override;
    // The same, each frame read into the room (one readv) when it fits there.
    std::size_t drainInto(Instant now, std::size_t maxFrames, ReceiveRoom &room,
                          const RxHandler &handler) override;
    int fd() const override { return fd_; }
    bool receivesInBursts() const override { return true; }
    LinkCounters counters() const override { return counters_; }

    // Offloads (IFF_VNET_HDR): a frame of up to gsoMaxFrame() bytes carrying one TCP segment of more
    // than one MSS is sent as one write, the kernel segmenting it.
    std::size_t gsoMaxFrame() const override { return tso_ ? kMaxGsoFrame : 0; }
    TxResult transmitSegmented(Instant now, ByteView frame, std::uint16_t mss, std::uint64_t tag) override;
    bool vnetHeader() const { return vnetHdrSize_ != 0; }
    bool offloading() const { return tso_; }
    // One line for the log: offloads in use, or why not.
    const std::string &offloadStatus() const { return offloadStatus_; }

    // The kernel side's interface flags: false when the tap is administratively down.
    bool isUp() const;
    // The last read/write failure other than EAGAIN ("" when none).
    const std::string &lastError() const { return lastError_; }

private:
    // A virtio-net header, then a frame of at most 14 + 65535 bytes (a 64 KB GSO segment).
    static constexpr std::size_t kMaxGsoFrame = 14 + 65535;
    TapLink(int fd, std::string name) : fd_(fd), name_(std::move(name)), buffer_(16 + kMaxGsoFrame + 64) {}
    void setUpOffloads();
    TxResult write(ByteView header, ByteView frame, std::size_t patchAt, std::uint16_t patch);
    std::size_t receive(std::size_t maxFrames, ReceiveRoom *room, const RxHandler &handler);
    // One read: the virtio-net header into buffer_, the frame into the room when it fits, else into
    // buffer_ after the header. Nothing (EAGAIN, or an error: counted), a read shorter than the
    // header (counted), or a frame.
    enum class Read : std::uint8_t { Nothing, TooShort, Frame };
    Read readFrame(ReceiveRoom *room, MutableByteView &frame);

    int fd_ = -1;
    std::string name_;
    Bytes buffer_;
    std::size_t vnetHdrSize_ = 0; // 0: no IFF_VNET_HDR
    bool tso_ = false;
    std::uint32_t mtu_ = 1500;
    std::string offloadStatus_;
    LinkCounters counters_;
    std::string lastError_;
};

// The advice appended to a failed attach: how to get a usable tap.
std::string tapAdvice(const std::string &name, int err);

} // namespace tcplab

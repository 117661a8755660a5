// A Linux tap device (/dev/net/tun, IFF_TAP | IFF_NO_PI): the engine's Ethernet port into the
// kernel. It attaches to an existing persistent tap the user may use (tcplab-netsetup creates one
// owned by the user), or creates a transient one when the process has CAP_NET_ADMIN.
#pragma once

#include <memory>
#include <string>

#include "core/expected.h"
#include "link/link.h"

namespace tcplab {

struct TapOptions {
    std::string name;                  // "tap7"; at most IFNAMSIZ-1 characters
    std::string tunPath = "/dev/net/tun";
    bool bringUp = true;               // set IFF_UP when the device is down and we may (best effort)
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
    int fd() const override { return fd_; }
    LinkCounters counters() const override { return counters_; }

    // The kernel side's interface flags: false when the tap is administratively down.
    bool isUp() const;
    // The last read/write failure other than EAGAIN ("" when none).
    const std::string &lastError() const { return lastError_; }

private:
    TapLink(int fd, std::string name) : fd_(fd), name_(std::move(name)), buffer_(65536 + 64) {}

    int fd_ = -1;
    std::string name_;
    Bytes buffer_;
    LinkCounters counters_;
    std::string lastError_;
};

// The advice appended to a failed attach: how to get a usable tap.
std::string tapAdvice(const std::string &name, int err);

}  // namespace tcplab

#include "link/tap_link.h"

#include <bit>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <linux/if.h>
#include <linux/if_tun.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

#include "link/vnet_hdr.h"

namespace tcplab {

namespace {

std::string errnoText(int err)
{
    return std::strerror(err);
}

Error tapError(const std::string &name, const std::string &what, int err)
{
    return Error{"cannot attach to tap \"" + name + "\": " + what + errnoText(err) + " (" +
                 tapAdvice(name, err) + ")"};
}

// Sets IFF_UP through an ordinary socket ioctl; needs CAP_NET_ADMIN, so failure is not an error:
// the tap then stays as its owner configured it.
void bringUp(const std::string &name)
{
    const int s = ::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (s < 0) return;
    ifreq ifr{};
    std::strncpy(ifr.ifr_name, name.c_str(), IFNAMSIZ - 1);
    if (::ioctl(s, SIOCGIFFLAGS, &ifr) == 0 && !(ifr.ifr_flags & IFF_UP)) {
        ifr.ifr_flags = static_cast<short>(ifr.ifr_flags | IFF_UP);
        (void)::ioctl(s, SIOCSIFFLAGS, &ifr);
    }
    ::close(s);
}

} // namespace

std::string tapAdvice(const std::string &name, int err)
{
    switch (err) {
    case EPERM:
    case EACCES: return "create it with: tcplab-netsetup create-tap " + name + ", or run Setup… in TCP Lab";
    case ENOENT:
    case ENODEV:
    case ENXIO: return "the tun driver is missing: load it with modprobe tun";
    case EBUSY: return "another program is attached to it; stop that program or use another tap";
    case EINVAL: return "the device exists but is not a tap, or the name is invalid; choose another name";
    default: return "check that /dev/net/tun exists and that the tap is yours";
    }
}

Expected<std::unique_ptr<TapLink>> TapLink::open(const TapOptions &options)
{
    const std::string &name = options.name;
    if (name.empty() || name.size() >= IFNAMSIZ)
        return Error{"cannot attach to tap \"" + name + "\": the name must have 1 to " +
                     std::to_string(IFNAMSIZ - 1) + " characters"};
    const int fd = ::open(options.tunPath.c_str(), O_RDWR | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0) {
        const int err = errno;
        return tapError(name, "opening " + options.tunPath + ": ", err);
    }
    ifreq ifr{};
    ifr.ifr_flags = static_cast<short>(IFF_TAP | IFF_NO_PI | (options.offload ? IFF_VNET_HDR : 0));
    std::strncpy(ifr.ifr_name, name.c_str(), IFNAMSIZ - 1);
    int rc = ::ioctl(fd, TUNSETIFF, &ifr);
    bool vnetRefused = false;
    if (rc < 0 && options.offload && errno == EINVAL) {
        // Some kernels keep a persistent tap's flags: one created without IFF_VNET_HDR then refuses
        // it. Attach without offloads (reported by offloadStatus()).
        vnetRefused = true;
        ifr.ifr_flags = IFF_TAP | IFF_NO_PI;
        rc = ::ioctl(fd, TUNSETIFF, &ifr);
    }
    if (rc < 0) {
        const int err = errno;
        ::close(fd);
        return tapError(name, "", err);
    }
    if (options.bringUp) bringUp(name);
    std::unique_ptr<TapLink> link(new TapLink(fd, ifr.ifr_name));
    // Offloads are a property of the device and outlive the file that set them: a persistent tap
    // left with TSO by its previous user would hand us segments with partial checksums and no
    // header saying so. Without our own offloads, switch them off first.
    if (!options.offload || vnetRefused) (void)::ioctl(fd, TUNSETOFFLOAD, 0);
    if (!options.offload)
        link->offloadStatus_ = "tap \"" + link->name_ + "\": offloads off (as asked)";
    else if (vnetRefused)
        link->offloadStatus_ =
            "tap \"" + link->name_ +
            "\": no offloads: the tap refused IFF_VNET_HDR (a persistent tap created without it); "
            "frames stay within the MTU";
    else
        link->setUpOffloads();
    return link;
}

void TapLink::setUpOffloads()
{
    const std::string who = "tap \"" + name_ + "\": ";
    // The flags the device really has: an old kernel may ignore IFF_VNET_HDR for a persistent tap.
    ifreq ifr{};
    if (::ioctl(fd_, TUNGETIFF, &ifr) == 0 && !(ifr.ifr_flags & IFF_VNET_HDR)) {
        offloadStatus_ =
            who + "no offloads: the tap has no IFF_VNET_HDR (a persistent tap created without it)";
        return;
    }
    if constexpr (std::endian::native == std::endian::big) {
        int le = 1;
        if (::ioctl(fd_, TUNSETVNETLE, &le) < 0) {
            offloadStatus_ =
                who + "no offloads: little-endian virtio-net headers refused: " + errnoText(errno);
            vnetHdrSize_ = vnet::kHeaderLegacy; // keep framing right; nothing offloaded
            return;
        }
    }
    int size = int(vnet::kHeaderV1);
    if (::ioctl(fd_, TUNSETVNETHDRSZ, &size) == 0) {
        vnetHdrSize_ = vnet::kHeaderV1;
    } else {
        vnetHdrSize_ = vnet::kHeaderLegacy; // the default size of an IFF_VNET_HDR tap
    }
    {
        const int s = ::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
        ifreq m{};
        std::strncpy(m.ifr_name, name_.c_str(), IFNAMSIZ - 1);
        if (s >= 0 && ::ioctl(s, SIOCGIFMTU, &m) == 0 && m.ifr_mtu >= 576) mtu_ = std::uint32_t(m.ifr_mtu);
        if (s >= 0) ::close(s);
    }
    if (::ioctl(fd_, TUNSETOFFLOAD, TUN_F_CSUM | TUN_F_TSO4 | TUN_F_TSO6) < 0) {
        offloadStatus_ =
            who + std::to_string(vnetHdrSize_) +
            "-byte virtio-net headers, but no offloads: TUNSETOFFLOAD failed: " + errnoText(errno);
        return;
    }
    tso_ = true;
    offloadStatus_ = who + "offloads on: IFF_VNET_HDR (" + std::to_string(vnetHdrSize_) +
                     "-byte headers), checksum offload, TSO4/TSO6 (TCP segments up to 64 KB each way)";
}

TapLink::~TapLink()
{
    // Leave a persistent tap without our offloads (see open()).
    if (fd_ >= 0 && tso_) (void)::ioctl(fd_, TUNSETOFFLOAD, 0);
    if (fd_ >= 0) ::close(fd_);
}

TxResult TapLink::transmit(Instant now, ByteView frame, std::uint64_t tag)
{
    // A segment longer than the MTU allows (one queued while its next hop was being resolved) still
    // goes segmented, with the MSS the MTU gives.
    if (tso_ && frame.size() > 14 + mtu_) return transmitSegmented(now, frame, 0, tag);
    const std::uint8_t none[vnet::kHeaderV1] = {};
    return write(ByteView(none, vnetHdrSize_), frame, 0, 0);
}

TxResult TapLink::transmitSegmented(Instant, ByteView frame, std::uint16_t mss, std::uint64_t)
{
    std::uint8_t header[vnet::kHeaderV1] = {};
    if (!tso_) return write(ByteView(header, vnetHdrSize_), frame, 0, 0);
    if (mss == 0 && frame.size() > 14 + 20) {
        // The MSS the MTU allows for this segment's headers.
        const bool v4 = (frame[14] >> 4) == 4;
        const std::size_t ipHeader = v4 ? std::size_t(frame[14] & 0x0f) * 4 : 40;
        const std::size_t tcpHeader =
            frame.size() > 14 + ipHeader + 12 ? std::size_t(frame[14 + ipHeader + 12] >> 4) * 4 : 20;
        mss = static_cast<std::uint16_t>(mtu_ > ipHeader + tcpHeader ? mtu_ - ipHeader - tcpHeader : 536);
    }
    auto plan = vnet::planTcpGso(frame, mss);
    if (!plan.ok()) {
        // Not a segment to cut (it fits, or it is not TCP): sent as it is.
        return write(ByteView(header, vnetHdrSize_), frame, 0, 0);
    }
    vnet::store(plan->header, header, vnetHdrSize_);
    const TxResult r =
        write(ByteView(header, vnetHdrSize_), frame,
              std::size_t(plan->header.csumStart) + plan->header.csumOffset, plan->partialChecksum);
    if (r == TxResult::Sent) ++counters_.txGsoFrames;
    return r;
}

// One frame behind its virtio-net header (none without IFF_VNET_HDR); when patchAt is not 0, the two
// bytes there go out as `patch` instead (the partial checksum of a segment the kernel will cut), so
// the caller's frame (the one recorded) keeps its full checksum.
TxResult TapLink::write(ByteView header, ByteView frame, std::size_t patchAt, std::uint16_t patch)
{
    std::uint8_t patched[2] = {static_cast<std::uint8_t>(patch >> 8), static_cast<std::uint8_t>(patch)};
    iovec iov[4];
    int count = 0;
    if (!header.empty()) iov[count++] = {const_cast<std::uint8_t *>(header.data()), header.size()};
    if (patchAt != 0 && patchAt + 2 <= frame.size()) {
        iov[count++] = {const_cast<std::uint8_t *>(frame.data()), patchAt};
        iov[count++] = {patched, 2};
        iov[count++] = {const_cast<std::uint8_t *>(frame.data()) + patchAt + 2, frame.size() - patchAt - 2};
    } else {
        iov[count++] = {const_cast<std::uint8_t *>(frame.data()), frame.size()};
    }
    for (;;) {
        const ssize_t n = ::writev(fd_, iov, count);
        if (n >= 0) {
            ++counters_.txFrames;
            counters_.txBytes += frame.size();
            return TxResult::Sent;
        }
        if (errno == EINTR) continue;
        if (errno == EAGAIN || errno == EWOULDBLOCK || errno == ENOBUFS) {
            ++counters_.txQueueDrops;
            return TxResult::QueueFull;
        }
        // EIO: the kernel side is down (no carrier). Count it; the next frame may pass.
        ++counters_.txErrors;
        lastError_ = "writing to tap \"" + name_ + "\": " + errnoText(errno);
        return TxResult::Error;
    }
}

std::size_t TapLink::drain(Instant, std::size_t maxFrames, const RxHandler &handler)
{
    return receive(maxFrames, nullptr, handler);
}

std::size_t TapLink::drainInto(Instant, std::size_t maxFrames, ReceiveRoom &room, const RxHandler &handler)
{
    return receive(maxFrames, &room, handler);
}

TapLink::Read TapLink::readFrame(ReceiveRoom *room, MutableByteView &frame)
{
    // The room takes at most a frame; a longer read goes on in buffer_, after where the room's part
    // would be, so that a frame which did not fit is copied together there (once per arena at most).
    const std::size_t maxFrame = buffer_.size() - vnetHdrSize_;
    const MutableByteView into = room ? room->room(maxFrame) : MutableByteView();
    std::uint8_t *const after = buffer_.data() + vnetHdrSize_;
    iovec iov[3];
    int count = 0;
    if (vnetHdrSize_) iov[count++] = {buffer_.data(), vnetHdrSize_};
    if (!into.empty()) iov[count++] = {into.data(), into.size()};
    iov[count++] = {after + into.size(), maxFrame - into.size()};
    for (;;) {
        const ssize_t n = ::readv(fd_, iov, count);
        if (n < 0) {
            if (errno == EINTR) continue;
            if (errno != EAGAIN && errno != EWOULDBLOCK) {
                ++counters_.rxErrors;
                lastError_ = "reading from tap \"" + name_ + "\": " + errnoText(errno);
            }
            return Read::Nothing;
        }
        if (static_cast<std::size_t>(n) < vnetHdrSize_) {
            ++counters_.rxErrors;
            lastError_ = "reading from tap \"" + name_ + "\": " + std::to_string(n) +
                         " bytes, shorter than the virtio-net header";
            return Read::TooShort;
        }
        const std::size_t length = static_cast<std::size_t>(n) - vnetHdrSize_;
        if (!into.empty() && length <= into.size()) {
            room->filled(length);
            ++counters_.rxIntoRoom;
            frame = into.first(length);
            return Read::Frame;
        }
        if (!into.empty()) std::memcpy(after, into.data(), into.size());
        frame = MutableByteView(after, length);
        return Read::Frame;
    }
}

std::size_t TapLink::receive(std::size_t maxFrames, ReceiveRoom *room, const RxHandler &handler)
{
    std::size_t count = 0;
    while (count < maxFrames) {
        MutableByteView frame;
        const Read read = readFrame(room, frame);
        if (read == Read::Nothing) break;
        if (read == Read::TooShort) continue;
        bool computed = false;
        if (vnetHdrSize_) {
            const vnet::Header h = vnet::parse(ByteView(buffer_.data(), vnetHdrSize_));
            // A partial checksum (checksum offload) is completed here, so the stack verifies, and
            // the capture shows, a frame exactly as it would be without offloads.
            if (h.flags & vnet::kNeedsCsum) {
                if (auto done = vnet::completeChecksum(h, frame); done.ok()) {
                    ++counters_.rxChecksumsCompleted;
                    computed = true;
                } else
                    lastError_ = "reading from tap \"" + name_ + "\": " + done.error().message;
            }
            // A GSO frame is one large TCP segment: the stack takes it whole.
            if (h.isGso()) ++counters_.rxGsoFrames;
        }
        ++counters_.rxFrames;
        counters_.rxBytes += frame.size();
        ++count;
        handler(ReceivedFrame{.bytes = ByteView(frame.data(), frame.size()), .checksumComputed = computed});
    }
    return count;
}

bool TapLink::isUp() const
{
    const int s = ::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (s < 0) return false;
    ifreq ifr{};
    std::strncpy(ifr.ifr_name, name_.c_str(), IFNAMSIZ - 1);
    const bool up = ::ioctl(s, SIOCGIFFLAGS, &ifr) == 0 && (ifr.ifr_flags & IFF_UP);
    ::close(s);
    return up;
}

} // namespace tcplab

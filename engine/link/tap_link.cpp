#include "link/tap_link.h"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <linux/if.h>
#include <linux/if_tun.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

namespace tcplab {

namespace {

std::string errnoText(int err) { return std::strerror(err); }

Error tapError(const std::string &name, const std::string &what, int err)
{
    return Error{"cannot attach to tap \"" + name + "\": " + what + errnoText(err) + " (" + tapAdvice(name, err) + ")"};
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

}  // namespace

std::string tapAdvice(const std::string &name, int err)
{
    switch (err) {
    case EPERM:
    case EACCES:
        return "create it with: tcplab-netsetup create-tap " + name + ", or run Setup… in TCP Lab";
    case ENOENT:
    case ENODEV:
    case ENXIO:
        return "the tun driver is missing: load it with modprobe tun";
    case EBUSY:
        return "another program is attached to it; stop that program or use another tap";
    case EINVAL:
        return "the device exists but is not a tap, or the name is invalid; choose another name";
    default:
        return "check that /dev/net/tun exists and that the tap is yours";
    }
}

Expected<std::unique_ptr<TapLink>> TapLink::open(const TapOptions &options)
{
    const std::string &name = options.name;
    if (name.empty() || name.size() >= IFNAMSIZ)
        return Error{"cannot attach to tap \"" + name + "\": the name must have 1 to " + std::to_string(IFNAMSIZ - 1) +
                     " characters"};
    const int fd = ::open(options.tunPath.c_str(), O_RDWR | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0) {
        const int err = errno;
        return tapError(name, "opening " + options.tunPath + ": ", err);
    }
    ifreq ifr{};
    ifr.ifr_flags = IFF_TAP | IFF_NO_PI;
    std::strncpy(ifr.ifr_name, name.c_str(), IFNAMSIZ - 1);
    if (::ioctl(fd, TUNSETIFF, &ifr) < 0) {
        const int err = errno;
        ::close(fd);
        return tapError(name, "", err);
    }
    if (options.bringUp) bringUp(name);
    return std::unique_ptr<TapLink>(new TapLink(fd, ifr.ifr_name));
}

TapLink::~TapLink()
{
    if (fd_ >= 0) ::close(fd_);
}

TxResult TapLink::transmit(Instant, ByteView frame, std::uint64_t)
{
    for (;;) {
        const ssize_t n = ::write(fd_, frame.data(), frame.size());
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
    std::size_t count = 0;
    while (count < maxFrames) {
        const ssize_t n = ::read(fd_, buffer_.data(), buffer_.size());
        if (n < 0) {
            if (errno == EINTR) continue;
            if (errno != EAGAIN && errno != EWOULDBLOCK) {
                ++counters_.rxErrors;
                lastError_ = "reading from tap \"" + name_ + "\": " + errnoText(errno);
            }
            break;
        }
        ++counters_.rxFrames;
        counters_.rxBytes += static_cast<std::uint64_t>(n);
        ++count;
        handler(ByteView(buffer_.data(), static_cast<std::size_t>(n)), Event::kNoPacket);
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

}  // namespace tcplab

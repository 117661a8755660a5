// UDP echo (RFC 862, "Echo Protocol", UDP based service): "any received datagram is sent back"
// to its sender, from the address and port it was sent to.
#pragma once

#include <cstdint>
#include <memory>
#include <string_view>

#include "core/expected.h"
#include "stack/host.h"

namespace tcplab {

class UdpEchoService {
public:
    // Binds `port` on `host`; the service answers until destroyed. `host` must outlive it.
    static Expected<std::unique_ptr<UdpEchoService>> start(Host &host, std::uint16_t port);
    ~UdpEchoService();
    UdpEchoService(const UdpEchoService &) = delete;
    UdpEchoService &operator=(const UdpEchoService &) = delete;

    std::uint16_t port() const { return port_; }
    std::uint64_t datagramsEchoed() const { return echoed_; }
    std::uint64_t bytesEchoed() const { return bytes_; }

private:
    UdpEchoService(Host &host, std::uint16_t port) : host_(host), port_(port) {}

    Host &host_;
    std::uint16_t port_;
    UdpSocketId socket_ = 0;
    std::uint64_t echoed_ = 0, bytes_ = 0;
};

// The UDP services `--listen PORT/udp:NAME` can start: "echo".
inline constexpr const char *kUdpServiceNames[] = {"echo"};
Expected<std::unique_ptr<UdpEchoService>> startUdpService(Host &host, std::uint16_t port, std::string_view name);

}  // namespace tcplab

#include "services/udp_echo.h"

#include <string>

namespace tcplab {

Expected<std::unique_ptr<UdpEchoService>> UdpEchoService::start(Host &host, std::uint16_t port)
{
    std::unique_ptr<UdpEchoService> service(new UdpEchoService(host, port));
    UdpEchoService *self = service.get();
    auto socket = host.udpBind(port, [self](Instant now, const UdpDatagram &d) {
        // The reply leaves from the address the datagram was sent to (it may be one of several).
        if (self->host_.udpSend(now, d.local, d.remote, d.payload).ok()) {
            ++self->echoed_;
            self->bytes_ += d.payload.size();
        }
    });
    if (!socket) return Error{"cannot start UDP echo: " + socket.error().message};
    service->socket_ = socket.value();
    return service;
}

Expected<std::unique_ptr<UdpEchoService>> startUdpService(Host &host, std::uint16_t port, std::string_view name)
{
    if (name == "echo") return UdpEchoService::start(host, port);
    return Error{"unknown UDP service \"" + std::string(name) + "\" (known: echo)"};
}

UdpEchoService::~UdpEchoService() { host_.udpClose(socket_); }

}  // namespace tcplab

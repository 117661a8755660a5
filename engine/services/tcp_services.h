// TCP services for `--listen PORT:SERVICE`, each running on a TcpLayer through the socket API:
//   echo (RFC 862), discard (RFC 863), chargen (RFC 864), http (a small HTTP/1.1 responder),
//   sink (reads and discards, reporting the rate and a CRC-32 of what arrived) and
//   source (an endless byte stream, byte i = i mod 256, until the peer closes).
// And the client behind `tcplab-cli --connect`.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>

#include "core/event.h"
#include "core/expected.h"
#include "tcp/tcp_layer.h"

namespace tcplab {

inline constexpr const char *kTcpServiceNames[] = {"echo", "discard", "chargen", "http", "sink", "source"};

// CRC-32 (the IEEE 802.3 / zlib polynomial) over several pieces, so tests can compare with Python's
// zlib.crc32.
class Crc32 {
public:
    void add(ByteView data);
    std::uint32_t value() const { return ~crc_; }

private:
    std::uint32_t crc_ = 0xffffffffu;
};

class TcpService {
public:
    virtual ~TcpService();
    TcpService(const TcpService &) = delete;
    TcpService &operator=(const TcpService &) = delete;

    const std::string &name() const { return name_; }
    std::uint16_t port() const { return port_; }
    std::uint64_t connections() const { return connections_; }
    std::uint64_t bytesIn() const { return bytesIn_; }
    std::uint64_t bytesOut() const { return bytesOut_; }

protected:
    friend Expected<std::unique_ptr<TcpService>> startTcpService(TcpLayer &, EventSink &, HostId,
                                                                 std::uint16_t, std::string_view);
    struct Conn {
        TcpSocketId id = kNoSocket;
        Bytes pending; // echo: received, not yet sent back; http: the request so far
        std::size_t pendingOff = 0;
        std::uint64_t in = 0, out = 0;
        std::uint64_t streamPos = 0; // chargen/source: position in the stream
        Instant start{}, lastReport{};
        std::uint64_t lastReportBytes = 0;
        Crc32 crc;
        bool closing = false;
    };

    TcpService(TcpLayer &tcp, EventSink &events, HostId host, std::string name, std::uint16_t port);
    Status listen();
    // Per connection: called with its readiness bits.
    virtual void onReady(Conn &c, std::uint32_t bits) = 0;
    // Reads everything available into `sink(view)`; returns false when the peer closed.
    template <class Sink> bool drain(Conn &c, Sink &&sink);
    void finish(Conn &c); // close our side once done
    void note(Conn &c, std::string name, std::string detail,
              std::vector<std::pair<std::string, std::string>> fields);
    Instant now() const { return tcp_.now(); }

    TcpLayer &tcp_;
    EventSink &events_;
    HostId host_;
    std::string name_;
    std::uint16_t port_;
    TcpSocketId listener_ = kNoSocket;
    std::unordered_map<TcpSocketId, Conn> conns_;
    std::uint64_t connections_ = 0, bytesIn_ = 0, bytesOut_ = 0;

private:
    void accept();
    void dispatch(TcpSocketId id, std::uint32_t bits);
};

// Starts `name` on `port` (any local address, IPv4 and IPv6).
Expected<std::unique_ptr<TcpService>> startTcpService(TcpLayer &tcp, EventSink &events, HostId host,
                                                      std::uint16_t port, std::string_view name);

// The `--connect` client: connects, sends a text or N pattern bytes, half-closes, reads until the
// peer closes, then reports. `done` runs once, on the engine thread, when the connection is over.
struct TcpClientResult {
    bool connected = false;
    std::string error;
    std::uint64_t bytesSent = 0, bytesReceived = 0;
    std::uint32_t crc32Received = 0;
    std::string receivedText; // the first 64 KiB
    TcpInfo info;
    Duration elapsed{};
};

class TcpClient {
public:
    struct Options {
        Endpoint local; // port 0: ephemeral
        Endpoint remote;
        std::string text;
        std::uint64_t bytes = 0; // when > 0: send this many pattern bytes instead of text
    };
    TcpClient(TcpLayer &tcp, Options options, std::function<void(const TcpClientResult &)> done);
    Status start(Instant now);
    const TcpClientResult &result() const { return result_; }
    bool finished() const { return finished_; }

private:
    void onReady(std::uint32_t bits);
    void write();
    void complete();

    TcpLayer &tcp_;
    Options opt_;
    std::function<void(const TcpClientResult &)> done_;
    TcpSocketId sock_ = kNoSocket;
    std::uint64_t queued_ = 0;
    bool shut_ = false, finished_ = false;
    Instant start_{};
    Crc32 crc_;
    TcpClientResult result_;
};

} // namespace tcplab

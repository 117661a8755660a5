// Fuzz target: the TCP input path. The first byte picks the state a connection is fabricated in
// (every RFC 9293 state, and a listener), the second the options it negotiated; the rest is a
// script of operations: segments from the peer (checksums fixed so they reach the state machine,
// sequence and acknowledgment numbers relative to the connection's so they land near the windows),
// time passing, and application calls. Besides never crashing, the layer must keep its bounds.
#include <cstdint>
#include <cstdio>
#include <cstdlib>

#include "tcp/tcp_layer.h"

using namespace tcplab;

namespace {

class NullIp final : public IpOutput {
public:
    void sendIp(Instant, const IpAddr &, const IpAddr &, std::uint8_t, Bytes payload) override
    {
        if (payload.size() < 20 || payload.size() > 65535) std::abort();  // we only ever send whole segments
        ++sent;
    }
    std::uint64_t sent = 0;
};

class NullEvents final : public EventSink {
public:
    void onEvent(const Event &) override {}
};

void require(bool condition, const char *what)
{
    if (condition) return;
    std::fprintf(stderr, "fuzz_tcp_input invariant broken: %s\n", what);
    std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    if (size < 2) return 0;
    Rng rng(size);
    NullIp ip;
    NullEvents events;
    TcpConfig cfg;
    cfg.synQueueLimit = 4;
    cfg.socket.recvBuffer = 8192;
    cfg.socket.sendBuffer = 8192;
    TcpLayer layer(0, cfg, ip, events, rng);
    Instant now = instantFromNanos(1'000'000'000);
    const Endpoint local{IpAddr(Ip4Addr{0xc6120001u}), 80}, remote{IpAddr(Ip4Addr{0xc6120002u}), 40000};
    TcpLayer::Fabricated f;
    f.local = local;
    f.remote = remote;
    f.ts = data[1] & 1;
    f.sack = data[1] & 2;
    f.sndWscale = (data[1] >> 2) & 15;
    f.rcvWscale = (data[1] >> 6) & 3;
    TcpSocketId sock = kNoSocket;
    const int stateIndex = data[0] % 10;
    if (stateIndex == 9) (void)layer.listen({IpAddr(Ip4Addr::any()), 80});
    else sock = layer.fabricate(now, [&] { f.state = static_cast<TcpState>(stateIndex + 3); return f; }());

    std::size_t i = 2;
    while (i < size) {
        const std::uint8_t op = data[i++];
        switch (op % 8) {
        case 0:
        case 1:
        case 2:
        case 3: {
            // A segment: 2 length bytes, then that many bytes (at least a header's worth is padded).
            if (i + 2 > size) return 0;
            std::size_t len = (std::size_t(data[i]) << 8 | data[i + 1]) % 1600;
            i += 2;
            len = std::min(len, size - i);
            Bytes seg(data + i, data + i + len);
            i += len;
            if (seg.size() < 20) seg.resize(20);
            storeBe16(seg.data(), remote.port);
            storeBe16(seg.data() + 2, local.port);
            if (op & 4) {  // relative sequence numbers near the connection's
                storeBe32(seg.data() + 4, (f.irs + 1 + loadBe32(seg.data() + 4) % 70000).raw());
                storeBe32(seg.data() + 8, (f.iss + loadBe32(seg.data() + 8) % 70000).raw());
            }
            if (!(op & 0x80)) fixTcpChecksum(seg, remote.addr, local.addr);
            IpMeta meta;
            meta.src = remote.addr;
            meta.dst = local.addr;
            meta.protocol = kIpProtoTcp;
            layer.input(now, meta, seg);
            break;
        }
        case 4: {
            const Duration step = std::chrono::milliseconds(op * 37);
            now += step;
            if (layer.pollAt() <= now) layer.poll(now);
            break;
        }
        case 5: {
            Bytes d(op * 11u, 0x5a);
            (void)layer.send(now, sock, d);
            break;
        }
        case 6: {
            std::uint8_t buf[4096];
            (void)layer.recv(now, sock, buf);
            break;
        }
        default:
            if (op & 0x40) (void)layer.abort(now, sock);
            else if (op & 0x20) (void)layer.close(now, sock);
            else (void)layer.shutdown(now, sock);
            break;
        }
        require(layer.connectionCount() <= 4 + 3, "connections stay within the SYN queue bound");
        if (auto info = layer.info(sock)) {
            require(info->recvQueued <= 8192 && info->sendQueued <= 8192, "buffers stay bounded");
            require(info->tcb.sndUna <= info->tcb.sndNxt || info->tcb.state == TcpState::SynSent, "SND.UNA <= SND.NXT");
        }
    }
    // Let every timer run out: everything must wind down.
    for (int k = 0; k < 2000 && layer.pollAt() != kNever; ++k) {
        now = std::max(now, layer.pollAt());
        layer.poll(now);
    }
    return 0;
}

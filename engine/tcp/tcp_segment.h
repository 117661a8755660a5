// One received segment as the state machine reads it (private to the TCP layer).
#pragma once

#include "stack/transport.h"
#include "tcp/tcp_layer.h"

namespace tcplab {

struct TcpLayer::Segment {
    SeqNum seq, ack;
    TcpFlags flags;
    std::uint16_t window = 0;  // as on the wire (unscaled)
    std::uint16_t urgent = 0;
    TcpOptions opts;
    ByteView payload;
    std::uint32_t len = 0;  // SEG.LEN: payload + SYN + FIN
    const IpMeta *meta = nullptr;
};

}  // namespace tcplab

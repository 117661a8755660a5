// Frames per second through the host's receive path (parse + dispatch + the reply it provokes,
// framed and handed to a link that discards it), on synthetic frames: ICMP echo v4 and v6, UDP to
// an echo service, UDP to a closed port (ICMP error, rate-limited), ARP requests. The reference,
// measured in the same run on the same frames, is parseFrame() alone: the ratio says what the
// stack costs on top of parsing. Prints one JSON object.
#include <chrono>
#include <cstdio>
#include <string>
#include <vector>

#include "core/event.h"
#include "link/link.h"
#include "services/udp_echo.h"
#include "stack/host.h"
#include "wire/arp.h"
#include "wire/ethernet.h"
#include "wire/frame.h"
#include "wire/icmpv4.h"
#include "wire/icmpv6.h"
#include "wire/ip_proto.h"
#include "wire/ipv4.h"
#include "wire/ipv6.h"
#include "wire/udp.h"

using namespace tcplab;

namespace {

class DiscardLink final : public Link {
public:
    const std::string &name() const override { return name_; }
    TxResult transmit(Instant, ByteView frame, std::uint64_t) override
    {
        ++c_.txFrames;
        c_.txBytes += frame.size();
        return TxResult::Sent;
    }
    std::size_t drain(Instant, std::size_t, const RxHandler &) override { return 0; }
    LinkCounters counters() const override { return c_; }

private:
    std::string name_ = "discard";
    LinkCounters c_;
};

struct NullEvents final : EventSink {
    void onEvent(const Event &) override {}
};

const MacAddr kPeerMac{{0x02, 0, 0, 0, 0, 0x01}};
const MacAddr kHostMac{{0x02, 0, 0, 0, 0, 0x02}};

std::vector<Bytes> syntheticFrames()
{
    const Ip4Addr peer4 = *Ip4Addr::parse("198.18.0.1"), host4 = *Ip4Addr::parse("198.18.0.2");
    const Ip6Addr peer6 = *Ip6Addr::parse("2001:db8::1"), host6 = *Ip6Addr::parse("2001:db8::2");
    const Bytes data(56, 0xab);
    std::vector<Bytes> frames;
    auto v4 = [&](std::uint8_t proto, const Bytes &payload) {
        Ipv4Header h;
        h.protocol = proto;
        h.source = peer4;
        h.destination = host4;
        return buildEthernet({kHostMac, kPeerMac, 0x0800}, buildIpv4(h, payload));
    };
    auto v6 = [&](std::uint8_t proto, const Bytes &payload) {
        Ipv6Header h;
        h.nextHeader = proto;
        h.source = peer6;
        h.destination = host6;
        return buildEthernet({kHostMac, kPeerMac, 0x86dd}, buildIpv6(h, payload));
    };
    frames.push_back(buildEthernet({MacAddr::broadcast(), kPeerMac, 0x0806},
                                   buildArp({ArpOp::Request, kPeerMac, peer4, MacAddr{}, host4}), true));
    {
        // The peer's Neighbor Solicitation teaches the host its MAC, as the ARP request does for IPv4.
        Ipv6Header h;
        h.nextHeader = ipproto::kIcmpv6;
        h.hopLimit = 255;
        h.source = peer6;
        h.destination = host6.solicitedNodeMulticast();
        const Bytes ns = buildIcmpv6(NeighborSolicitation{host6, kPeerMac}.toMessage(), peer6, h.destination);
        frames.push_back(buildEthernet({h.destination.multicastMac(), kPeerMac, 0x86dd}, buildIpv6(h, ns)));
    }
    frames.push_back(v4(ipproto::kIcmp, buildIcmpv4(Icmpv4Message::echo(true, 1, 1, data))));
    frames.push_back(v4(ipproto::kUdp, buildUdp({4000, 7}, data, IpAddr(peer4), IpAddr(host4))));
    frames.push_back(v4(ipproto::kUdp, buildUdp({4000, 9}, data, IpAddr(peer4), IpAddr(host4))));
    frames.push_back(v6(ipproto::kIcmpv6, buildIcmpv6(Icmpv6Message::echo(true, 1, 1, data), peer6, host6)));
    frames.push_back(v6(ipproto::kUdp, buildUdp({4000, 7}, data, IpAddr(peer6), IpAddr(host6))));
    return frames;
}

template <class F>
double framesPerSecond(const std::vector<Bytes> &frames, std::size_t total, F &&each)
{
    const auto start = std::chrono::steady_clock::now();
    for (std::size_t i = 0; i < total; ++i) each(i, frames[i % frames.size()]);
    const std::chrono::duration<double> took = std::chrono::steady_clock::now() - start;
    return static_cast<double>(total) / took.count();
}

}  // namespace

int main(int argc, char **argv)
{
    const std::size_t total = argc > 1 ? std::stoul(argv[1]) : 2'000'000;
    const auto frames = syntheticFrames();

    NullEvents events;
    HostConfig config;
    config.name = "bench";
    config.mac = kHostMac;
    config.addresses = {*IpPrefix::parse("198.18.0.2/24"), *IpPrefix::parse("2001:db8::2/64")};
    Host host(0, config, events);
    DiscardLink link;
    host.attach(&link, 0);
    auto echo = UdpEchoService::start(host, 7);

    std::uint64_t sink = 0;
    const double parseOnly = framesPerSecond(frames, total, [&](std::size_t, const Bytes &f) {
        sink += static_cast<std::uint64_t>(parseFrame(f).drop);
    });
    const double dispatch = framesPerSecond(frames, total, [&](std::size_t i, const Bytes &f) {
        // Virtual time advances 1 µs per frame (the ICMP error rate limit sees a real rate).
        host.receiveFrame(Instant(std::chrono::microseconds(i)), f);
    });
    std::printf("{\"bench\":\"stack_frames\",\"frames\":%zu,\"frame_kinds\":%zu,"
                "\"parse_frames_per_s\":%.0f,\"dispatch_frames_per_s\":%.0f,\"dispatch_vs_parse\":%.3f,"
                "\"frames_out\":%llu,\"echoed\":%llu,\"checksum_sink\":%llu}\n",
                total, frames.size(), parseOnly, dispatch, dispatch / parseOnly,
                static_cast<unsigned long long>(link.counters().txFrames),
                static_cast<unsigned long long>(echo ? (*echo)->datagramsEchoed() : 0),
                static_cast<unsigned long long>(sink % 7));
    return 0;
}

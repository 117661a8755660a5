// Fuzz target: frame parsing, decoding and field access on arbitrary bytes, as a frame and as a bare
// IP packet. Besides "never crash, never read out of bounds", it checks invariants whose failure
// would be a bug: parsed positions lie inside the input, value types rebuild the bytes they came
// from, and recomputeChecksums() leaves no checksum for the parser to reject.
#include <cstdint>
#include <cstdio>
#include <cstdlib>

#include "wire/fields.h"
#include "wire/frame.h"

using namespace tcplab;

namespace {

volatile std::uint64_t escape = 0;

void require(bool condition, const char *what)
{
    if (condition) return;
    std::fprintf(stderr, "fuzz_frame invariant broken: %s\n", what);
    std::abort();
}

bool isChecksumReason(DropReason r)
{
    return r == DropReason::Ipv4BadChecksum || r == DropReason::TcpBadChecksum || r == DropReason::UdpBadChecksum ||
           r == DropReason::Icmpv4BadChecksum || r == DropReason::Icmpv6BadChecksum;
}

// Reads every accessor of every view that parsed, so a view promising more than it checked trips
// the address sanitizer.
void touchViews(const ParsedFrame &p, ByteView bytes)
{
    require(p.l3Offset + p.l3Length <= bytes.size(), "l3 inside input");
    require(p.l4Offset + p.l4Length <= bytes.size() || !(p.tcp || p.udp || p.icmpv4 || p.icmpv6), "l4 inside input");
    require(p.payloadOffset + p.payloadLength <= bytes.size(), "payload inside input");
    std::uint64_t sink = 0;
    if (p.eth) sink += p.eth->source().b[5] + p.eth->destination().b[0] + p.eth->etherType() + p.eth->payload().size();
    if (p.arp) {
        sink += p.arp->senderIp().value + p.arp->targetMac().b[5] + p.arp->sanityIssue().size();
        require(buildArp(ArpPacket::from(*p.arp)) == Bytes(p.arp->bytes().begin(), p.arp->bytes().end()), "ARP rebuild");
    }
    if (p.ipv4) {
        const Ipv4View &ip = *p.ipv4;
        sink += ip.ttl() + ip.checksumOk() + ip.sanityIssue().size() + ip.options().size() + ip.payload().size();
        require(buildIpv4(Ipv4Header::from(ip), ip.payload()) == Bytes(ip.bytes().begin(), ip.bytes().end()) ||
                    !ip.checksumOk(),
                "IPv4 rebuild");
    }
    if (p.ipv6) {
        const Ipv6View &ip = *p.ipv6;
        sink += ip.flowLabel() + ip.sanityIssue().size() + ip.source().b[15];
        require(buildIpv6(Ipv6Header::from(ip), ip.payload()) == Bytes(ip.bytes().begin(), ip.bytes().end()),
                "IPv6 rebuild");
        for (std::size_t i = 0; i < p.ipv6Ext.count; ++i)
            require(std::size_t(p.ipv6Ext.headers[i].offset) + p.ipv6Ext.headers[i].length <= ip.bytes().size(),
                    "extension header inside packet");
    }
    if (p.tcp) {
        const auto options = p.tcp->options();
        sink += p.tcp->seq().raw() + p.tcp->flags().bits + p.tcp->sanityIssue().size() + options.ok() +
                p.tcp->payload().size();
    }
    if (p.udp) sink += p.udp->length() + p.udp->sanityIssue().size() + p.udp->checksumOk(p.source(), p.destination());
    if (p.icmpv4) sink += p.icmpv4->identifier() + p.icmpv4->sanityIssue().size() + p.icmpv4->body().size();
    if (p.icmpv6) {
        sink += p.icmpv6->sanityIssue(255).size() + p.icmpv6->body().size();
        if (p.icmpv6->isNeighborDiscovery()) {
            const NeighborSolicitation ns = NeighborSolicitation::from(*p.icmpv6);
            const NeighborAdvertisement na = NeighborAdvertisement::from(*p.icmpv6);
            sink += ns.target.b[0] + na.solicited + (ns.sourceLinkLayer ? 1 : 0);
        }
    }
    escape = sink;  // keeps the reads from being optimised away
}

void decodeAll(ByteView bytes, bool frame)
{
    const auto rows = frame ? decodeFrame(bytes) : decodeIpPacket(bytes);
    for (std::size_t i = 0; i < rows.size(); ++i) {
        require(rows[i].offset + rows[i].length <= bytes.size(), "decoded row inside input");
        require(rows[i].parent < int(i), "parent before child");
    }
}

void fieldsAndFixUp(ByteView bytes, bool frame)
{
    const Framing framing = frame ? Framing::Ethernet : Framing::Ip;
    Bytes copy(bytes.begin(), bytes.end());
    for (const FieldDescriptor &f : fieldRegistry()) {
        const auto value = readField(bytes, f, framing);
        if (!value) continue;
        require(writeField(copy, f, *value, framing).ok(), "writing back a value read");
    }
    require(copy == Bytes(bytes.begin(), bytes.end()), "writing read values back changes nothing");
    if (frame || copy.size() > 0xffff) return;
    if (!recomputeChecksums(copy).ok()) return;
    const ParsedFrame fixed = parseIpPacket(copy);
    require(!isChecksumReason(fixed.drop), "recomputeChecksums leaves valid checksums");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    const ByteView bytes(data, size);
    for (const bool frame : {true, false}) {
        const ParsedFrame p = frame ? parseFrame(bytes) : parseIpPacket(bytes);
        touchViews(p, bytes);
        touchViews(frame ? parseFrame(bytes, {.verifyChecksums = false}) : parseIpPacket(bytes, {.verifyChecksums = false}),
                   bytes);
        decodeAll(bytes, frame);
        fieldsAndFixUp(bytes, frame);
        if (p.drop != DropReason::None) (void)dropReasonName(p.drop);
    }
    return 0;
}

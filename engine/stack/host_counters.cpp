#include "stack/host_counters.h"

#include <numeric>

namespace tcplab {

std::string_view stackDropName(StackDrop drop)
{
    switch (drop) {
#define TCPLAB_STACK_NAME(id, name, text) \
    case StackDrop::id: return name;
        TCPLAB_STACK_DROPS(TCPLAB_STACK_NAME)
#undef TCPLAB_STACK_NAME
    }
    return "unknown";
}

std::string_view stackDropText(StackDrop drop)
{
    switch (drop) {
#define TCPLAB_STACK_TEXT(id, name, text) \
    case StackDrop::id: return text;
        TCPLAB_STACK_DROPS(TCPLAB_STACK_TEXT)
#undef TCPLAB_STACK_TEXT
    }
    return "unknown";
}

std::uint64_t HostCounters::malformedTotal() const { return std::accumulate(malformed.begin(), malformed.end(), 0ull); }
std::uint64_t HostCounters::droppedTotal() const { return std::accumulate(dropped.begin(), dropped.end(), 0ull); }

std::vector<std::pair<std::string_view, std::uint64_t>> HostCounters::nonZeroDrops() const
{
    std::vector<std::pair<std::string_view, std::uint64_t>> out;
    for (std::size_t i = 1; i < kDropReasonCount; ++i)
        if (malformed[i]) out.emplace_back(dropReasonName(static_cast<DropReason>(i)), malformed[i]);
    for (std::size_t i = 0; i < kStackDropCount; ++i)
        if (dropped[i]) out.emplace_back(stackDropName(static_cast<StackDrop>(i)), dropped[i]);
    return out;
}

std::vector<std::pair<std::string_view, std::uint64_t>> HostCounters::all() const
{
    std::vector<std::pair<std::string_view, std::uint64_t>> out{
        {"frames-in", framesIn},   {"frames-out", framesOut},
        {"bytes-in", bytesIn},     {"bytes-out", bytesOut},
        {"arp-in", arpIn},         {"arp-out", arpOut},
        {"ipv4-in", ipv4In},       {"ipv4-out", ipv4Out},
        {"ipv6-in", ipv6In},       {"ipv6-out", ipv6Out},
        {"icmp-echo-answered", icmpEchoAnswered}, {"icmpv6-echo-answered", icmpv6EchoAnswered},
        {"icmp-unreachable-sent", icmpUnreachableSent},
        {"icmp-errors-in", icmpErrorsIn}, {"icmp-errors-delivered", icmpErrorsDelivered},
        {"udp-in", udpIn},         {"udp-out", udpOut},
        {"tcp-in", tcpIn},         {"tcp-out", tcpOut},
        {"hook-dropped", hookDropped}, {"hook-taken", hookTaken},
    };
    for (std::size_t i = 1; i < kDropReasonCount; ++i)
        out.emplace_back(dropReasonName(static_cast<DropReason>(i)), malformed[i]);
    for (std::size_t i = 0; i < kStackDropCount; ++i)
        out.emplace_back(stackDropName(static_cast<StackDrop>(i)), dropped[i]);
    return out;
}

}  // namespace tcplab

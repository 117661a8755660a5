#!/bin/bash
# The kernel pings the engine over IPv4 and IPv6, and learns the engine's MAC (ip neigh).
source "$(dirname "$0")/lib.sh"
interop_require ping
interop_setup
interop_start_engine

in_ns ping -c3 -W2 -i0.2 "$ENGINE_IP4" || interop_fail "ping $ENGINE_IP4 got no answer"
in_ns ping -6 -c3 -W2 -i0.2 "$ENGINE_IP6" || interop_fail "ping -6 $ENGINE_IP6 got no answer"

for addr in "$ENGINE_IP4" "$ENGINE_IP6"; do
    neigh=$(in_ns ip neigh show "$addr" dev "$TAP")
    echo "ip neigh: $neigh"
    echo "$neigh" | grep -q "lladdr $ENGINE_MAC" || interop_fail "kernel did not learn $ENGINE_MAC for $addr"
    echo "$neigh" | grep -Eq 'REACHABLE|STALE|DELAY|PROBE' || interop_fail "neighbour entry for $addr not usable: $neigh"
done

interop_stop_engine
expect_ge icmp-echo-answered "$(interop_stat icmp-echo-answered)" 3
expect_ge icmpv6-echo-answered "$(interop_stat icmpv6-echo-answered)" 3
echo "PASS"

#!/bin/bash
# scapy throws junk at the engine: truncated headers, bad checksums, bad lengths, random bytes.
# The engine must keep answering ping and count each kind of junk under its reason.
source "$(dirname "$0")/lib.sh"
interop_require ping scapy
interop_setup
interop_start_engine --listen 7/udp:echo

in_ns ping -c1 -W2 "$ENGINE_IP4" >/dev/null || interop_fail "no answer before the junk"

in_ns "$PYTHON" "$(dirname "$0")/send_junk.py" "$TAP" "$ENGINE_MAC" "$KERNEL_IP4" "$ENGINE_IP4" \
    "$KERNEL_IP6" "$ENGINE_IP6" || interop_fail "send_junk.py failed"

in_ns ping -c3 -W2 -i0.2 "$ENGINE_IP4" || interop_fail "no ping answer after the junk"
in_ns ping -6 -c3 -W2 -i0.2 "$ENGINE_IP6" || interop_fail "no ping -6 answer after the junk"

interop_stop_engine
# send_junk.py sends 3 of each kind below.
for reason in ipv4-truncated ipv4-bad-checksum ipv4-bad-total-length ipv4-bad-header-length \
    ipv4-bad-version udp-bad-checksum udp-bad-length icmp-bad-checksum tcp-bad-checksum \
    ipv6-bad-payload-length icmpv6-bad-checksum arp-truncated ipv4-fragment; do
    expect_ge "$reason" "$(interop_stat "$reason")" 3
done
echo "PASS"

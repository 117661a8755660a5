#!/bin/bash
# Loss, reordering and duplication on the kernel side (tc netem on the tap, or loss alone from
# nftables when the kernel has no netem): the kernel retransmits into the engine's sink (SACK and
# duplicate ACKs must lead it to the holes), and the engine's source keeps going although some of
# the kernel's ACKs are lost. Data checked
# with CRC-32 at both ends; the kernel's retransmission counter must have moved.
source "$(dirname "$0")/lib.sh"
interop_require tc
interop_setup
# Preferred: netem on the tap's egress (loss, duplication, reordering of what the kernel sends).
# Kernels built without sch_netem but with nf_tables get random loss instead, from a netdev table on
# the tap, about 2 % each way. On egress a dropped frame would be reported to the kernel's TCP as not
# sent (it simply sends it again, no retransmission); so egress frames are stolen instead: forwarded
# into a veth pair that leads nowhere, and the kernel's TCP believes they left.
LOSS=""
if in_ns tc qdisc add dev "$TAP" root netem delay 1ms loss 2% duplicate 1% reorder 5% 50% 2>/dev/null; then
    LOSS=netem
    echo "kernel side: tc netem on $TAP (delay 1 ms, loss 2 %, duplicate 1 %, reorder 5 %)"
elif command -v nft >/dev/null && in_ns ip link add tlvoid0 type veth peer name tlvoid1 &&
    in_ns ip link set tlvoid0 up && in_ns ip link set tlvoid1 up && in_ns nft -f - <<EOF
table netdev tcplab_loss {
    chain egress { type filter hook egress device "$TAP" priority 0; policy accept; numgen random mod 100 < 2 counter fwd to "tlvoid0"; }
    chain ingress { type filter hook ingress device "$TAP" priority 0; policy accept; numgen random mod 100 < 2 counter drop; }
}
EOF
then
    LOSS=nft
    echo "kernel side: no sch_netem in this kernel; nftables drops about 2 % each way on $TAP (no duplication or reordering)"
else
    interop_skip "neither tc netem (sch_netem) nor nftables' netdev egress hook is available: cannot drop on the kernel side"
fi
interop_start_engine --listen 5001:sink --listen 5002:source

in_ns "$PYTHON" - "$ENGINE_IP4" "$ENGINE_IP6" "$WORK" <<'PY' || interop_fail "transfers through the kernel-side loss failed"
import socket, sys, zlib, time
v4, v6, work = sys.argv[1], sys.argv[2], sys.argv[3]
PATTERN = bytes(range(256)) * 4096
TOTAL = 20_000_000

def retrans():
    lines = open("/proc/net/snmp").read().splitlines()
    tcp = [l.split() for l in lines if l.startswith("Tcp:")]
    return int(tcp[1][tcp[0].index("RetransSegs")])

r0 = retrans()
s = socket.create_connection((v4, 5001), timeout=60)
sent, crc = 0, 0
while sent < TOTAL:
    n = min(len(PATTERN), TOTAL - sent)
    s.sendall(PATTERN[:n]); crc = zlib.crc32(PATTERN[:n], crc); sent += n
s.shutdown(socket.SHUT_WR)
assert s.recv(10) == b""
s.close()
r1 = retrans()
assert r1 > r0, "the kernel retransmitted nothing: the kernel-side loss did not drop?"
open(f"{work}/sink_crc", "w").write(f"{crc:08x} {TOTAL}\n")
print(f"ok: {TOTAL} bytes into the engine's sink through the kernel-side loss, kernel retransmitted {r1 - r0} segments")

s = socket.create_connection((v6, 5002), timeout=60)
got, crc = 0, 0
while got < TOTAL:
    chunk = s.recv(min(1 << 20, TOTAL - got))
    assert chunk, "source closed early"
    crc = zlib.crc32(chunk, crc); got += len(chunk)
s.close()
want, left = 0, TOTAL
while left:
    n = min(len(PATTERN), left); want = zlib.crc32(PATTERN[:n], want); left -= n
assert crc == want, f"source data corrupted through the kernel-side loss: {crc:08x} != {want:08x}"
print(f"ok: {TOTAL} bytes from the engine's source over IPv6 with the kernel's ACKs lossy, intact")
PY

interop_stop_engine
read -r want total < "$WORK/sink_crc"
grep '"name":"sink-done"' "$ENGINE_EVENTS" | grep -q "\"crc32\":\"$want\"" ||
    interop_fail "the engine's sink did not report crc32 $want"
echo "ok: the engine's sink got every byte in order (crc32 $want)"
if [ "$LOSS" = nft ]; then
    drops=$(in_ns nft list table netdev tcplab_loss | grep -o 'packets [0-9]*' | awk '{s += $2} END {print s + 0}')
    [ "$drops" -gt 0 ] || interop_fail "nftables dropped nothing on $TAP"
    echo "ok: nftables dropped $drops frames on $TAP"
fi
echo "PASS"

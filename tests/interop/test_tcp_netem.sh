#!/bin/bash
# Loss, reordering and duplication on the kernel side (tc netem on the tap, kernel -> engine): the
# kernel retransmits into the engine's sink (SACK and duplicate ACKs must lead it to the holes),
# and the engine's source keeps going although some of the kernel's ACKs are lost. Data checked
# with CRC-32 at both ends; the kernel's retransmission counter must have moved.
source "$(dirname "$0")/lib.sh"
interop_require tc
interop_setup
in_ns tc qdisc add dev "$TAP" root netem delay 1ms loss 2% duplicate 1% reorder 5% 50% ||
    interop_skip "tc netem is not available in this kernel (no sch_netem; cannot drop on the kernel side)"
interop_start_engine --listen 5001:sink --listen 5002:source

in_ns "$PYTHON" - "$ENGINE_IP4" "$ENGINE_IP6" "$WORK" <<'PY' || interop_fail "transfers through netem failed"
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
assert r1 > r0, "the kernel retransmitted nothing: netem did not drop?"
open(f"{work}/sink_crc", "w").write(f"{crc:08x} {TOTAL}\n")
print(f"ok: {TOTAL} bytes into the engine's sink through netem, kernel retransmitted {r1 - r0} segments")

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
assert crc == want, f"source data corrupted through netem: {crc:08x} != {want:08x}"
print(f"ok: {TOTAL} bytes from the engine's source over IPv6 with the kernel's ACKs lossy, intact")
PY

interop_stop_engine
read -r want total < "$WORK/sink_crc"
grep '"name":"sink-done"' "$ENGINE_EVENTS" | grep -q "\"crc32\":\"$want\"" ||
    interop_fail "the engine's sink did not report crc32 $want"
echo "ok: the engine's sink got every byte in order (crc32 $want)"
echo "PASS"

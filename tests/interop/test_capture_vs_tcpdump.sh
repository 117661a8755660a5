#!/bin/bash
# CAPTURE: what `tcplab-cli --pcap` writes is, packet for packet and byte for byte, what an
# independent tcpdump on the same tap saw. The kernel sends ~10 MB to the engine's discard service
# (about 10 000 TCP segments both ways); both captures are filtered to that connection and compared
# per direction (the two capture points may order a request and a reply seen in the same
# microsecond differently; within one direction the order is the wire's). The exported pcapng must
# also read cleanly in tshark.
source "$(dirname "$0")/lib.sh"
interop_require tcpdump tshark
interop_setup

# Not through in_ns: $! must be tcpdump itself (ip netns exec execs it), so that it can be stopped.
ip netns exec "$NS" tcpdump -i "$TAP" -s 0 -B 131072 -U -w "$WORK/tap.pcap" --time-stamp-precision=nano 2>"$WORK/tcpdump.err" &
TCPDUMP_PID=$!
stop_tcpdump() {
    [ -n "${TCPDUMP_PID:-}" ] || return 0
    # tcpdump lags behind the wire on a busy machine, and SIGINT makes it abandon what it has not
    # read yet (without counting it as dropped): let its file stop growing first (at most 30 s).
    local size=-1 stable=0
    for _ in $(seq 300); do
        local now_size
        now_size=$(stat -c %s "$WORK/tap.pcap" 2>/dev/null || echo 0)
        if [ "$now_size" = "$size" ]; then stable=$((stable + 1)); else stable=0; size=$now_size; fi
        [ "$stable" -ge 10 ] && break
        sleep 0.1
    done
    kill -INT "$TCPDUMP_PID" 2>/dev/null
    for _ in $(seq 50); do kill -0 "$TCPDUMP_PID" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$TCPDUMP_PID" 2>/dev/null
    wait "$TCPDUMP_PID" 2>/dev/null
    TCPDUMP_PID=
}
trap 'rc=$?; stop_tcpdump; (exit $rc); interop_cleanup' EXIT
for _ in $(seq 50); do grep -q "listening on" "$WORK/tcpdump.err" 2>/dev/null && break; sleep 0.1; done
grep -q "listening on" "$WORK/tcpdump.err" || interop_fail "tcpdump did not start: $(cat "$WORK/tcpdump.err")"

# Byte for byte needs the same bytes at both points: with offloads (--offload auto) the kernel
# side sees partial TCP checksums where the engine records complete ones (what a wire would carry).
interop_start_engine --offload off --listen 9:discard --pcap "$WORK/engine.pcapng"
grep -q "pcap=$WORK/engine.pcapng" "$ENGINE_OUT" || interop_fail "ready line does not mention the capture"

in_ns timeout 60 "$PYTHON" - "$ENGINE_IP4" <<'PY' || interop_fail "the kernel client failed"
import socket, sys
s = socket.create_connection((sys.argv[1], 9), timeout=20)
s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
chunk = bytes(range(256)) * 4
for _ in range(10_000):
    s.sendall(chunk)
s.shutdown(socket.SHUT_WR)
s.settimeout(20)
while s.recv(65536):
    pass
s.close()
PY
sleep 0.5
interop_stop_engine
stop_tcpdump
# An independent capture that lost frames proves nothing either way.
dropped=$(sed -n 's/^\([0-9]*\) packets dropped by kernel$/\1/p' "$WORK/tcpdump.err")
[ "${dropped:-0}" = 0 ] || interop_fail "tcpdump itself dropped $dropped packets (its buffer was too small); no comparison"

[ -s "$WORK/engine.pcapng" ] || interop_fail "tcplab-cli wrote no capture"
# The frames from the kernel were read straight into the store (ReceiveRoom), all but the few that
# met the end of a frame arena: the comparison below is the check of that path.
rx=$(interop_stat link-rx-frames)
expect_ge link-rx-into-store "$(interop_stat link-rx-into-store)" $((rx * 9 / 10))
malformed=$(tshark -r "$WORK/engine.pcapng" -T fields -e _ws.malformed 2>"$WORK/tshark.err" | grep -c .)
[ "$malformed" = 0 ] || interop_fail "tshark finds $malformed malformed packets in the export"
grep -v "Running as user" "$WORK/tshark.err" | grep -q . && interop_fail "tshark: $(cat "$WORK/tshark.err")"

"$PYTHON" - "$WORK/engine.pcapng" "$WORK/tap.pcap" "$ENGINE_MAC" <<'PY' || interop_fail "captures differ"
# Plain readers (pcapng EPBs, pcap records): scapy takes a minute over 20 000 frames.
import struct, sys

def frames_pcap(path):
    d = open(path, "rb").read()
    magic = struct.unpack("<I", d[:4])[0]
    e = "<" if magic in (0xa1b2c3d4, 0xa1b23c4d) else ">"
    off = 24
    while off + 16 <= len(d):
        incl = struct.unpack(e + "I", d[off + 8:off + 12])[0]
        yield d[off + 16:off + 16 + incl]
        off += 16 + incl

def frames_pcapng(path):
    d = open(path, "rb").read()
    off = 0
    while off + 12 <= len(d):
        t, ln = struct.unpack("<II", d[off:off + 8])
        if t == 6:
            cap = struct.unpack("<I", d[off + 20:off + 24])[0]
            yield d[off + 28:off + 28 + cap]
        off += ln

def tcp9(frames, mac):
    out = {"engine->kernel": [], "kernel->engine": []}
    for f in frames:
        if len(f) < 54 or f[12:14] != b"\x08\x00" or f[23] != 6:
            continue
        ihl = (f[14] & 15) * 4
        sp, dp = struct.unpack(">HH", f[14 + ihl:18 + ihl])
        if 9 not in (sp, dp):
            continue
        key = "engine->kernel" if f[6:12] == mac else "kernel->engine"
        out[key].append(f)
    return out

mac = bytes.fromhex(sys.argv[3].replace(":", ""))
ours, theirs = tcp9(frames_pcapng(sys.argv[1]), mac), tcp9(frames_pcap(sys.argv[2]), mac)
total = sum(len(v) for v in ours.values())
bad = False
for d in ours:
    if len(ours[d]) != len(theirs[d]):
        print(f"{d}: tcplab-cli has {len(ours[d])} frames, tcpdump {len(theirs[d])}")
        bad = True
    for i, (a, b) in enumerate(zip(ours[d], theirs[d])):
        if a != b:
            print(f"{d}: frame {i + 1} differs:\n ours    {a.hex()}\n tcpdump {b.hex()}")
            bad = True
            break
if total < 5000:
    print(f"only {total} frames: the run is too small to mean much")
    bad = True
print(f"{'differ' if bad else 'identical'}: {total} frames ({len(ours['engine->kernel'])} engine->kernel, {len(ours['kernel->engine'])} kernel->engine)")
sys.exit(1 if bad else 0)
PY
echo "PASS"

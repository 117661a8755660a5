#!/bin/bash
# The article's failure on a real kernel: tcplab-cli plays the syn-answered-by-ack scenario on a tap,
# curl inside the namespace connects to port 8000. An independent capture (tshark on the tap) must
# show, for every SYN curl's kernel sends (the first and each retransmission): a bare ACK from the
# lab with seq = SYN.seq + 1, ack = SYN.seq + SYN.win - 1, window 224 and no options, then a RST
# from the kernel with seq = that ACK's ack; and curl must give up with a connect timeout.
source "$(dirname "$0")/lib.sh"
interop_require curl tshark
interop_setup
TSHARK_PID=
trap 'rc=$?; [ -n "$TSHARK_PID" ] && kill -INT "$TSHARK_PID" 2>/dev/null && wait "$TSHARK_PID" 2>/dev/null; (exit $rc); interop_cleanup' EXIT

CAP="$WORK/tap.pcapng"
ip netns exec "$NS" tshark -q -i "$TAP" -f "tcp port 8000" -w "$CAP" >"$WORK/tshark.out" 2>&1 &
TSHARK_PID=$!
for _ in $(seq 100); do grep -q "Capturing on" "$WORK/tshark.out" && break; sleep 0.1; done
grep -q "Capturing on" "$WORK/tshark.out" || interop_fail "tshark did not start: $(cat "$WORK/tshark.out")"

interop_start_engine --scenario syn-answered-by-ack
in_ns curl -s -o /dev/null --connect-timeout 5 "http://$ENGINE_IP4:8000/"
rc=$?
[ "$rc" = 28 ] || interop_fail "curl exited with $rc, expected 28 (connect timeout)"
echo "ok: curl gave up with a connect timeout"
sleep 0.5
kill -INT "$TSHARK_PID"
wait "$TSHARK_PID" 2>/dev/null
TSHARK_PID=
interop_stop_engine

tshark -r "$CAP" -T fields -E separator=, -e ip.src -e tcp.flags -e tcp.seq_raw -e tcp.ack_raw \
    -e tcp.window_size_value -e tcp.hdr_len >"$WORK/fields.csv" 2>/dev/null ||
    interop_fail "tshark could not read its own capture"
"$PYTHON" - "$WORK/fields.csv" "$KERNEL_IP4" "$ENGINE_IP4" <<'PY' || interop_fail "the capture does not show the promised exchange (above)"
import sys
path, kernel, engine = sys.argv[1:]
rows = [l.strip().split(",") for l in open(path) if l.strip()]
pkts = [(src, int(fl, 16), int(seq), int(ack), int(win), int(hl)) for src, fl, seq, ack, win, hl in rows]
syns = [i for i, p in enumerate(pkts) if p[0] == kernel and p[1] == 0x002]
if len(syns) < 3:
    sys.exit(f"expected the SYN and at least two retransmissions within 5 s, saw {len(syns)} SYNs")
if any(p[0] == engine and p[1] & 0x002 for p in pkts):
    sys.exit("the lab sent a SYN-ACK")
for n, i in enumerate(syns):
    syn = pkts[i]
    nxt = pkts[i + 1:syns[n + 1]] if n + 1 < len(syns) else pkts[i + 1:]
    acks = [p for p in nxt if p[0] == engine]
    if len(acks) != 1:
        sys.exit(f"SYN #{n+1}: expected exactly one answer from the lab, got {len(acks)}")
    a = acks[0]
    want = (0x010, (syn[2] + 1) % 2**32, (syn[2] + syn[4] - 1) % 2**32, 224, 20)
    if (a[1], a[2], a[3], a[4], a[5]) != want:
        sys.exit(f"SYN #{n+1}: answer flags/seq/ack/win/hdr_len {a[1:]} != {want}")
    rsts = [p for p in nxt if p[0] == kernel and p[1] & 0x004]
    if not rsts or rsts[0][2] != a[3]:
        sys.exit(f"SYN #{n+1}: expected a RST from the kernel with seq {a[3]}, got {rsts[:1]}")
    print(f"ok: SYN #{n+1} seq={syn[2]} win={syn[4]} -> bare ACK seq={a[2]} ack={a[3]} win=224 -> RST seq={rsts[0][2]}")
PY
hits=$(grep -c '"name":"syn-gets-bare-ack"' "$ENGINE_EVENTS")
expect_ge rule-hit-events "$hits" 3
echo "PASS"

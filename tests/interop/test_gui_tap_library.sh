#!/bin/bash
# Library > "Load into tap lab" on a live tap: the GUI (offscreen, the real main window) attached to
# a tap in a namespace this test creates, serving http on port 80 only. The kernel's SYN to port
# 8000 is refused (RST: no service there). Then the driver opens the scenario library, selects
# syn-answered-by-ack and clicks "Load into tap lab", as a user would. The reloaded lab must do what
# the scenario says, seen from the kernel side: curl's SYN to port 8000 gets a bare ACK (seq = SYN.seq
# + 1, ack = SYN.seq + SYN.win - 1, window 224, no options), never a SYN-ACK; the kernel answers each
# with a RST and curl gives up with a connect timeout (an independent capture, tshark on the tap).
# And from the GUI's side: the rule editor lists the scenario's rules, and the live hit counter of
# syn-gets-bare-ack counts every SYN the capture saw.
source "$(dirname "$0")/lib.sh"
interop_require curl tshark
[ -n "${TCPLAB_GUI_TAP_DRIVER:-}" ] && [ -x "$TCPLAB_GUI_TAP_DRIVER" ] ||
    interop_skip "TCPLAB_GUI_TAP_DRIVER is not set (the GUI is not built)"
interop_setup
TSHARK_PID=
trap 'rc=$?; [ -n "$TSHARK_PID" ] && kill -INT "$TSHARK_PID" 2>/dev/null && wait "$TSHARK_PID" 2>/dev/null; (exit $rc); interop_cleanup' EXIT

mkfifo "$WORK/cmd"
DRIVER_OUT="$WORK/driver.out"
HOME="$WORK" XDG_RUNTIME_DIR="$WORK" QT_QPA_PLATFORM=offscreen ip netns exec "$NS" "$TCPLAB_GUI_TAP_DRIVER" \
    --tap "$TAP" --ip4 "$ENGINE_IP4/$PREFIX4" --ip6 "$ENGINE_IP6/$PREFIX6" --mac "$ENGINE_MAC" \
    --listen 80:http <"$WORK/cmd" >"$DRIVER_OUT" 2>"$WORK/driver.err" &
ENGINE_PID=$!
exec 9>"$WORK/cmd" # keeps the FIFO open for the driver's stdin
ENGINE_ERR="$WORK/driver.err"
for _ in $(seq 150); do
    grep -q '^ready' "$DRIVER_OUT" 2>/dev/null && break
    grep -q '^error' "$DRIVER_OUT" 2>/dev/null && interop_fail "the GUI could not attach: $(cat "$DRIVER_OUT")"
    kill -0 "$ENGINE_PID" 2>/dev/null || interop_fail "the GUI driver exited before ready"
    sleep 0.1
done
grep -q '^ready' "$DRIVER_OUT" || interop_fail "the GUI driver was not ready after 15 s"
echo "ok: GUI attached to $TAP"

command_driver() { # command_driver CMD EXPECTED-PREFIX: sends a line, waits for the answer (in $ANSWER)
    local before
    before=$(grep -c "^$2" "$DRIVER_OUT")
    echo "$1" >&9
    for _ in $(seq 200); do
        if [ "$(grep -c "^$2" "$DRIVER_OUT")" -gt "$before" ]; then
            ANSWER=$(grep "^$2" "$DRIVER_OUT" | tail -n1)
            return 0
        fi
        sleep 0.05
    done
    interop_fail "the GUI driver did not answer \"$1\""
}

# 1. Before: the GUI's own http on port 80 answers; port 8000 is closed (RST: connection refused).
in_ns curl -sS --max-time 10 -o "$WORK/page" "http://$ENGINE_IP4/" || interop_fail "curl to port 80 failed"
grep -q "Hello from TCP Lab" "$WORK/page" || interop_fail "unexpected page: $(head -c 200 "$WORK/page")"
in_ns curl -sS -o /dev/null --connect-timeout 3 "http://$ENGINE_IP4:8000/" 2>"$WORK/curl0.err"
rc=$?
[ "$rc" = 7 ] || interop_fail "before loading: curl to port 8000 exited with $rc, expected 7 (refused): $(cat "$WORK/curl0.err")"
echo "ok: before loading, port 80 serves the GUI's page and port 8000 is refused"

# 2. Library > syn-answered-by-ack > Load into tap lab.
command_driver "library syn-answered-by-ack" "library"
echo "$ANSWER"
case "$ANSWER" in
"library ok scenario=syn-answered-by-ack rules="*) ;;
*) interop_fail "loading from the library failed: $ANSWER" ;;
esac
command_driver hits hits
echo "$ANSWER"
case "$ANSWER" in
*" syn-gets-bare-ack=0"*) ;;
*) interop_fail "the rule editor does not list syn-gets-bare-ack with no hits yet: $ANSWER" ;;
esac

# 3. After: the kernel's SYNs to port 8000, captured on the tap.
CAP="$WORK/tap.pcapng"
ip netns exec "$NS" tshark -q -i "$TAP" -f "tcp port 8000" -w "$CAP" >"$WORK/tshark.out" 2>&1 &
TSHARK_PID=$!
for _ in $(seq 100); do grep -q "Capturing on" "$WORK/tshark.out" && break; sleep 0.1; done
grep -q "Capturing on" "$WORK/tshark.out" || interop_fail "tshark did not start: $(cat "$WORK/tshark.out")"
in_ns curl -s -o /dev/null --connect-timeout 4 "http://$ENGINE_IP4:8000/"
rc=$?
[ "$rc" = 28 ] || interop_fail "after loading: curl to port 8000 exited with $rc, expected 28 (connect timeout)"
echo "ok: after loading, curl to port 8000 gave up with a connect timeout"
sleep 0.5
kill -INT "$TSHARK_PID"
wait "$TSHARK_PID" 2>/dev/null
TSHARK_PID=

tshark -r "$CAP" -T fields -E separator=, -e ip.src -e tcp.flags -e tcp.seq_raw -e tcp.ack_raw \
    -e tcp.window_size_value -e tcp.hdr_len >"$WORK/fields.csv" 2>/dev/null ||
    interop_fail "tshark could not read its own capture"
"$PYTHON" - "$WORK/fields.csv" "$KERNEL_IP4" "$ENGINE_IP4" >"$WORK/syns" <<'PY' || interop_fail "the capture does not show the scenario's exchange (above)"
import sys
path, kernel, engine = sys.argv[1:]
rows = [l.strip().split(",") for l in open(path) if l.strip()]
pkts = [(src, int(fl, 16), int(seq), int(ack), int(win), int(hl)) for src, fl, seq, ack, win, hl in rows]
syns = [i for i, p in enumerate(pkts) if p[0] == kernel and p[1] == 0x002]
if len(syns) < 2:
    sys.exit(f"expected the SYN and at least one retransmission within 4 s, saw {len(syns)} SYNs")
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
    print(f"ok: SYN #{n+1} seq={syn[2]} win={syn[4]} -> bare ACK seq={a[2]} ack={a[3]} win=224 -> RST seq={rsts[0][2]}", file=sys.stderr)
print(len(syns))
PY
syns=$(cat "$WORK/syns")
echo "ok: every one of the kernel's $syns SYNs to port 8000 was answered by the scenario's bare ACK"

# 4. The GUI's own account: the rule's live hit counter counts those SYNs.
hits=0
for _ in $(seq 40); do
    command_driver hits hits
    hits=$(echo "$ANSWER" | tr ' ' '\n' | sed -n 's/^syn-gets-bare-ack=//p')
    [ "${hits:-0}" -ge "$syns" ] && break
    sleep 0.1
done
echo "$ANSWER"
[ "${hits:-0}" = "$syns" ] || interop_fail "the rule editor counts $hits hits of syn-gets-bare-ack, the capture saw $syns SYNs"
echo "ok: the rule editor's hit counter shows $hits hits of syn-gets-bare-ack"

echo quit >&9
exec 9>&-
for _ in $(seq 100); do kill -0 "$ENGINE_PID" 2>/dev/null || break; sleep 0.1; done
wait "$ENGINE_PID"
rc=$?
ENGINE_PID=
[ "$rc" = 0 ] || interop_fail "the GUI driver exited with $rc: $(tail -n 5 "$WORK/driver.err")"
echo "ok: GUI driver released the tap and exited"
echo "PASS"

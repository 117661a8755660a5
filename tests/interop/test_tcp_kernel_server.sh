#!/bin/bash
# The Linux kernel as TCP server, the engine as client (`tcplab-cli --connect`), IPv4 and IPv6:
# a short exchange with a Python echo server, then 100 MB each way (engine -> kernel checked by
# Python with CRC-32, kernel -> engine checked against the engine's own CRC-32 of what it got).
# Everything runs twice: with offloads (--offload auto, IFF_VNET_HDR and 64 KB segments) and
# without (--offload off); the results must be the same.
source "$(dirname "$0")/lib.sh"
interop_require
interop_setup

run_once() {
OFFLOAD=$1
echo "=== --offload $OFFLOAD"
rm -f "$WORK"/ready_* "$WORK"/bulk_*
# The engine needs its own tap host: a listener-free engine started only to resolve nothing; each
# --connect run below is a separate tcplab-cli on the same tap.
in_ns "$PYTHON" - "$KERNEL_IP4" "$KERNEL_IP6" "$WORK" <<'PY' &
import socket, sys, threading, zlib
v4, v6, work = sys.argv[1], sys.argv[2], sys.argv[3]
PATTERN = bytes(range(256)) * 4096

def echo_server(addr, family):
    l = socket.socket(family); l.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    l.bind((addr, 7007)); l.listen()
    open(f"{work}/ready_echo_{family}", "w").close()
    c, _ = l.accept()
    data = b""
    while True:
        chunk = c.recv(65536)
        if not chunk: break
        data += chunk
    c.sendall(b"kernel says: " + data)
    c.close()

def bulk_server(addr, family, total):
    l = socket.socket(family); l.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    l.bind((addr, 7008)); l.listen()
    open(f"{work}/ready_bulk_{family}", "w").close()
    c, _ = l.accept()
    crc, got = 0, 0
    while True:
        chunk = c.recv(1 << 20)
        if not chunk: break
        crc = zlib.crc32(chunk, crc); got += len(chunk)
    want, left = 0, got
    while left:
        n = min(len(PATTERN), left); want = zlib.crc32(PATTERN[:n], want); left -= n
    open(f"{work}/bulk_in_{family}", "w").write(f"{got} {crc:08x} {want:08x}\n")
    sent, out_crc = 0, 0
    while sent < total:
        n = min(len(PATTERN), total - sent)
        c.sendall(PATTERN[:n]); out_crc = zlib.crc32(PATTERN[:n], out_crc); sent += n
    open(f"{work}/bulk_out_{family}", "w").write(f"{sent} {out_crc:08x}\n")
    c.close()

threads = [threading.Thread(target=echo_server, args=(v4, socket.AF_INET)),
           threading.Thread(target=echo_server, args=(v6, socket.AF_INET6)),
           threading.Thread(target=bulk_server, args=(v4, socket.AF_INET, 100_000_000))]
for t in threads: t.start()
for t in threads: t.join()
PY
SERVER_PID=$!
for _ in $(seq 50); do [ -e "$WORK/ready_bulk_2" ] && [ -e "$WORK/ready_echo_10" ] && break; sleep 0.1; done

run_client() {  # run_client OUTFILE tcplab-cli-args...
    local out=$1
    shift
    # Sanitizer builds move bytes several times slower: CMake sets the scale there (3), 1 otherwise.
    local scale=${TCPLAB_TIME_SCALE:-1}
    ip netns exec "$NS" timeout $((100 * scale)) "$TCPLAB_CLI" --tap "$TAP" --ip4 "$ENGINE_IP4/$PREFIX4" \
        --ip6 "$ENGINE_IP6/$PREFIX6" --mac "$ENGINE_MAC" --duration $((90 * scale)) --offload "$OFFLOAD" "$@" \
        >"$out" 2>"$ENGINE_ERR" ||
        interop_fail "tcplab-cli $* exited with $?"
}

for target in "$KERNEL_IP4:7007" "[$KERNEL_IP6]:7007"; do
    run_client "$WORK/echo.out" --connect "$target" --send "hello from the engine"
    grep -q "^kernel says: hello from the engine" "$WORK/echo.out" || interop_fail "echo via $target: $(cat "$WORK/echo.out")"
    grep '^connection ' "$WORK/echo.out" | grep -q '"connected":true,"error":""' || interop_fail "summary: $(grep '^connection' "$WORK/echo.out")"
    echo "ok: engine connected to the kernel at $target and got its answer"
done

run_client "$WORK/bulk.out" --connect "$KERNEL_IP4:7008" --send-bytes 100000000
summary=$(grep '^connection ' "$WORK/bulk.out" | sed 's/^connection //')
echo "engine summary: $summary"
read -r got crc want < "$WORK/bulk_in_2"
[ "$got" = 100000000 ] || interop_fail "kernel received $got bytes, expected 100000000"
[ "$crc" = "$want" ] || interop_fail "kernel received corrupted data: crc32 $crc, expected $want"
echo "ok: kernel received 100000000 bytes from the engine intact (crc32 $crc)"
read -r sent outcrc < "$WORK/bulk_out_2"
echo "$summary" | grep -q "\"bytes_received\":$sent," || interop_fail "engine received a different byte count than the kernel sent ($sent)"
echo "$summary" | grep -q "\"crc32_received\":\"$outcrc\"" || interop_fail "engine's crc32 differs from the kernel's $outcrc"
echo "ok: engine received $sent bytes from the kernel intact (crc32 $outcrc)"
wait "$SERVER_PID" || interop_fail "python server failed"
stat() { grep '^stats ' "$WORK/bulk.out" | sed 's/^stats //' | "$PYTHON" -c "import json,sys; print(json.load(sys.stdin)['counters'].get('$1', 0))"; }
if grep -q '^ready.* offload=on' "$WORK/bulk.out"; then
    expect_ge link-tx-gso-frames "$(stat link-tx-gso-frames)" 100
    expect_ge link-rx-gso-frames "$(stat link-rx-gso-frames)" 100
elif [ "$OFFLOAD" = auto ]; then
    echo "note: the tap gave no offloads: $(grep -o 'tap "[^"]*": .*' "$ENGINE_ERR")"
else
    grep -q '^ready.* offload=off' "$WORK/bulk.out" || interop_fail "--offload off: $(grep '^ready' "$WORK/bulk.out")"
    [ "$(stat link-tx-gso-frames)" = 0 ] && [ "$(stat link-rx-gso-frames)" = 0 ] ||
        interop_fail "GSO frames counted without offloads"
    echo "ok: no GSO frames without offloads"
fi
}

run_once auto
run_once off
echo "PASS"

#!/bin/bash
# The Linux kernel as TCP client of the engine's services, IPv4 and IPv6: curl to http, Python
# sockets to echo, 100 MB into sink (CRC-32 compared with what the engine counted) and 100 MB out
# of source (checked by Python); `ss -tin` on the kernel side shows SACK, window scaling and
# timestamps negotiated. Everything runs twice: with offloads (--offload auto: IFF_VNET_HDR, the
# kernel hands over and takes 64 KB TCP segments, checked through the engine's link counters) and
# without (--offload off: plain 1514-byte frames); the results must be the same. Both runs record
# (--pcap): frames from the kernel are then read straight into the capture's store, and what the
# services read comes from there, so the CRC-32 also checks that path.
source "$(dirname "$0")/lib.sh"
interop_require curl ss
interop_setup

run_once() {
OFFLOAD=$1
echo "=== --offload $OFFLOAD"
rm -f "$WORK/sink_crc" "$WORK/syn.txt" "$WORK/capture.pcapng"
interop_start_engine --offload "$OFFLOAD" --pcap "$WORK/capture.pcapng" --listen 80:http --listen 7:echo --listen 5001:sink --listen 5002:source
if [ "$OFFLOAD" = off ]; then
    grep -q '^ready.* offload=off' "$ENGINE_OUT" || interop_fail "--offload off: ready line says $(head -1 "$ENGINE_OUT")"
elif grep -q '^ready.* offload=on' "$ENGINE_OUT"; then
    echo "ok: offloads on ($(grep -o 'tap "[^"]*": offloads on.*' "$ENGINE_ERR"))"
else
    echo "note: the tap gave no offloads: $(grep -o 'tap "[^"]*": .*' "$ENGINE_ERR")"
fi

# An independent capture of the echo handshake: both SYNs must carry SACK-permitted, timestamps
# and window scale (ss on some kernels does not print ts/sack, so the wire is the witness).
HAVE_TCPDUMP=
if command -v tcpdump >/dev/null; then
    HAVE_TCPDUMP=1
    in_ns timeout 60 tcpdump -lni "$TAP" -c 2 -v 'tcp port 7 and tcp[tcpflags] & tcp-syn != 0' >"$WORK/syn.txt" 2>/dev/null &
    sleep 1
fi

for url in "http://$ENGINE_IP4/lab" "http://[$ENGINE_IP6]/lab6"; do
    body=$(in_ns curl -sS --max-time 10 "$url") || interop_fail "curl $url failed"
    echo "$body" | grep -q "Hello from TCP Lab" || interop_fail "curl $url: unexpected page: $body"
    echo "ok: curl $url"
done
head=$(in_ns curl -sS -I --max-time 10 "http://$ENGINE_IP4/") || interop_fail "curl -I failed"
echo "$head" | grep -q "^HTTP/1.1 200" || interop_fail "HEAD: $head"

in_ns "$PYTHON" - "$ENGINE_IP4" "$ENGINE_IP6" "$WORK" <<'PY' || interop_fail "kernel client checks failed"
import socket, subprocess, sys, zlib, time
v4, v6, work = sys.argv[1], sys.argv[2], sys.argv[3]
PATTERN = bytes(range(256)) * 4096  # 1 MiB of byte i = i mod 256

def ss_info(dst):
    return subprocess.run(["ss", "-tin", "dst", dst], capture_output=True, text=True).stdout

# What this kernel's ss reports for a kernel-to-kernel connection with everything on: some kernels
# (sandboxed ones) never print "ts" and "sack"; we require of the engine what the kernel shows there.
ref_l = socket.socket(); ref_l.bind((v4.rsplit(".", 1)[0] + ".1", 0)); ref_l.listen()
ref_c = socket.create_connection(ref_l.getsockname()); ref_a, _ = ref_l.accept()
ref = ss_info(ref_l.getsockname()[0])
expected_words = [w for w in ("sack", "wscale:", "ts ") if w in ref]
if len(expected_words) < 3:
    print(f"note: this kernel's ss shows only {expected_words} even between two kernel sockets; checking those")
ref_c.close(); ref_a.close(); ref_l.close()

def echo(family, addr):
    s = socket.create_connection((addr, 7), timeout=10)
    for i in range(20):
        msg = (f"line {i} to {addr}\n" * (i * 50 + 1)).encode()
        s.sendall(msg)
        got = b""
        while len(got) < len(msg):
            chunk = s.recv(65536)
            assert chunk, "echo closed early"
            got += chunk
        assert got == msg, "echo differs"
    # While this connection is open, the kernel's view of it.
    ss = ss_info(addr if family == socket.AF_INET else f"[{addr}]")
    for word in expected_words:
        assert word in ss, f"ss -tin does not show {word}: {ss}"
    s.shutdown(socket.SHUT_WR)
    assert s.recv(10) == b"", "echo did not close after our FIN"
    s.close()
    print(f"ok: echo with {addr}, ss -tin shows {expected_words}")

def sink(addr, total):
    s = socket.create_connection((addr, 5001), timeout=30)
    crc, sent = 0, 0
    t0 = time.monotonic()
    while sent < total:
        n = min(len(PATTERN), total - sent)
        s.sendall(PATTERN[:n])
        crc = zlib.crc32(PATTERN[:n], crc)
        sent += n
    s.shutdown(socket.SHUT_WR)
    assert s.recv(10) == b""
    s.close()
    dt = time.monotonic() - t0
    print(f"ok: {total} bytes to sink at {addr} in {dt:.2f} s ({total * 8 / dt / 1e9:.2f} Gbit/s), crc32 {crc:08x}")
    open(f"{work}/sink_crc", "a").write(f"{crc:08x} {total}\n")

def source(addr, total):
    s = socket.create_connection((addr, 5002), timeout=30)
    got, crc = 0, 0
    t0 = time.monotonic()
    while got < total:
        chunk = s.recv(min(1 << 20, total - got))
        assert chunk, "source closed early"
        expect = PATTERN[got % 256: got % 256 + len(chunk)] if len(chunk) <= len(PATTERN) - 256 else None
        crc = zlib.crc32(chunk, crc)
        got += len(chunk)
    s.close()
    want = 0
    left = total
    while left:
        n = min(len(PATTERN), left)
        want = zlib.crc32(PATTERN[:n], want)
        left -= n
    assert crc == want, f"source stream corrupted: crc32 {crc:08x}, expected {want:08x}"
    dt = time.monotonic() - t0
    print(f"ok: {total} bytes from source at {addr} in {dt:.2f} s ({total * 8 / dt / 1e9:.2f} Gbit/s), intact")

echo(socket.AF_INET, v4)
echo(socket.AF_INET6, v6)
sink(v4, 100_000_000)
source(v6, 100_000_000)
PY

interop_stop_engine
if [ -n "$HAVE_TCPDUMP" ]; then
    [ "$(grep -c 'sackOK,TS val' "$WORK/syn.txt")" = 2 ] || interop_fail "SYN/SYN-ACK options: $(cat "$WORK/syn.txt")"
    [ "$(grep -c 'wscale' "$WORK/syn.txt")" = 2 ] || interop_fail "SYN/SYN-ACK without window scale: $(cat "$WORK/syn.txt")"
    grep -q 'Flags \[S\.\].*ecr [1-9]' "$WORK/syn.txt" || interop_fail "SYN-ACK does not echo the kernel's timestamp"
    echo "ok: tcpdump saw SACK-permitted, timestamps and window scale in both SYNs"
else
    echo "note: tcpdump is not installed; SYN options checked through ss only"
fi
# The engine's own CRC-32 of what the sink received must match what Python sent.
read -r want total < "$WORK/sink_crc"
grep '"name":"sink-done"' "$ENGINE_EVENTS" | grep -q "\"crc32\":\"$want\"" ||
    interop_fail "sink-done with crc32 $want not found in the engine's events"
grep '"name":"sink-done"' "$ENGINE_EVENTS" | grep -q "\"bytes\":\"$total\"" || interop_fail "sink byte count differs"
echo "ok: the engine's sink counted $total bytes with crc32 $want"
expect_ge tcp-in "$(interop_stat tcp-in)" 1000
rx=$(interop_stat link-rx-frames)
expect_ge link-rx-into-store "$(interop_stat link-rx-into-store)" $((rx * 3 / 4))
[ -s "$WORK/capture.pcapng" ] || interop_fail "no capture written"
if grep -q '^ready.* offload=on' "$ENGINE_OUT"; then
    # 100 MB each way: the kernel handed over large segments and cut the engine's (TSO both ways).
    expect_ge link-rx-gso-frames "$(interop_stat link-rx-gso-frames)" 100
    expect_ge link-tx-gso-frames "$(interop_stat link-tx-gso-frames)" 100
else
    [ "$(interop_stat link-rx-gso-frames)" = 0 ] && [ "$(interop_stat link-tx-gso-frames)" = 0 ] ||
        interop_fail "GSO frames counted without offloads"
    echo "ok: no GSO frames without offloads"
fi
}

run_once auto
run_once off
echo "PASS"

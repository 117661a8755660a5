#!/bin/bash
# UDP echo round trips from kernel sockets (IPv4 and IPv6), and ICMP port unreachable for a
# closed port (the kernel reports it to a connected socket as ECONNREFUSED).
source "$(dirname "$0")/lib.sh"
interop_require
interop_setup
interop_start_engine --listen 7/udp:echo

in_ns "$PYTHON" - "$ENGINE_IP4" "$ENGINE_IP6" <<'PY' || interop_fail "UDP round trip failed"
import socket, sys
for family, addr in ((socket.AF_INET, sys.argv[1]), (socket.AF_INET6, sys.argv[2])):
    s = socket.socket(family, socket.SOCK_DGRAM)
    s.settimeout(3)
    for i in range(5):
        payload = f"tcplab udp echo {i} over {addr}".encode() * (i + 1)
        s.sendto(payload, (addr, 7))
        data, peer = s.recvfrom(65535)
        assert data == payload, f"echo differs: {data!r}"
        assert peer[0] == addr and peer[1] == 7, f"reply from {peer}"
    print(f"ok: 5 UDP echo round trips with {addr}")
    closed = socket.socket(family, socket.SOCK_DGRAM)
    closed.settimeout(3)
    closed.connect((addr, 9))
    closed.send(b"anyone?")
    try:
        closed.recv(100)
        raise SystemExit("closed port answered")
    except ConnectionRefusedError:
        print(f"ok: port unreachable from {addr}:9")
PY

interop_stop_engine
expect_ge udp-in "$(interop_stat udp-in)" 12
expect_ge udp-port-closed "$(interop_stat udp-port-closed)" 2
echo "PASS"

#!/usr/bin/env python3
"""A minimal IPv4 host on a tap, run as the unprivileged user that owns the tap: attaches with
TUNSETIFF, answers ARP requests and ICMP echo requests for one address, exits when stdin closes or
after a bounded time. Prints "attached" once the tap is open (or "error: ..." and exits 1).

usage: tap_echo_responder.py TAP IPV4 MAC"""
import fcntl
import os
import select
import struct
import sys
import time

TUNSETIFF = 0x400454CA
IFF_TAP, IFF_NO_PI = 0x0002, 0x1000
MAX_SECONDS = 60


def checksum(data):
    if len(data) % 2:
        data += b"\0"
    s = sum(struct.unpack(f"!{len(data) // 2}H", data))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return (~s) & 0xFFFF


def arp_reply(frame, my_ip, my_mac):
    # RFC 826: answer a request (op 1) for our protocol address with op 2, swapping the sender.
    htype, ptype, hlen, plen, op = struct.unpack("!HHBBH", frame[14:22])
    sha, spa, tpa = frame[22:28], frame[28:32], frame[38:42]
    if (htype, ptype, hlen, plen, op) != (1, 0x0800, 6, 4, 1) or tpa != my_ip:
        return None
    arp = struct.pack("!HHBBH", 1, 0x0800, 6, 4, 2) + my_mac + my_ip + sha + spa
    return sha + my_mac + b"\x08\x06" + arp


def echo_reply(frame, my_ip, my_mac):
    ip = frame[14:]
    ihl = (ip[0] & 0x0F) * 4
    if ip[0] >> 4 != 4 or ip[9] != 1 or ip[16:20] != my_ip or len(ip) < ihl + 8:
        return None
    total = struct.unpack("!H", ip[2:4])[0]
    icmp = bytearray(ip[ihl:total])
    if icmp[0] != 8:  # RFC 792: echo request is type 8, the reply type 0 with the same data
        return None
    icmp[0] = 0
    icmp[2:4] = b"\0\0"
    icmp[2:4] = struct.pack("!H", checksum(bytes(icmp)))
    hdr = bytearray(ip[:20])
    hdr[8] = 64
    hdr[12:16], hdr[16:20] = ip[16:20], ip[12:16]
    hdr[10:12] = b"\0\0"
    hdr[0], hdr[2:4] = 0x45, struct.pack("!H", 20 + len(icmp))
    hdr[10:12] = struct.pack("!H", checksum(bytes(hdr)))
    return frame[6:12] + my_mac + b"\x08\x00" + bytes(hdr) + bytes(icmp)


def main():
    name, my_ip, my_mac = sys.argv[1], bytes(map(int, sys.argv[2].split("."))), bytes.fromhex(sys.argv[3].replace(":", ""))
    try:
        fd = os.open("/dev/net/tun", os.O_RDWR)
        fcntl.ioctl(fd, TUNSETIFF, struct.pack("16sH", name.encode(), IFF_TAP | IFF_NO_PI))
    except OSError as e:
        print(f"error: cannot attach to tap {name} as uid {os.getuid()}: {e.strerror}", flush=True)
        sys.exit(1)
    print("attached", flush=True)
    answered = 0
    deadline = time.monotonic() + MAX_SECONDS
    while time.monotonic() < deadline:
        ready, _, _ = select.select([fd, sys.stdin], [], [], 1.0)
        if sys.stdin in ready and not sys.stdin.read(1):
            break
        if fd not in ready:
            continue
        frame = os.read(fd, 65536)
        if len(frame) < 42:
            continue
        ethertype = frame[12:14]
        reply = arp_reply(frame, my_ip, my_mac) if ethertype == b"\x08\x06" else (
            echo_reply(frame, my_ip, my_mac) if ethertype == b"\x08\x00" else None)
        if reply:
            os.write(fd, reply)
            answered += ethertype == b"\x08\x00"
    print(f"answered {answered} echo requests", flush=True)


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Sends malformed frames at the engine through a tap (run inside the test's namespace).

usage: send_junk.py TAP ENGINE_MAC KERNEL_IP4 ENGINE_IP4 KERNEL_IP6 ENGINE_IP6
Three frames of each kind named in test_malformed.sh, then 50 frames of random bytes (seeded).
"""
import random
import sys

from scapy.all import ARP, ICMP, IP, TCP, UDP, Ether, ICMPv6EchoRequest, IPv6, Raw, conf, get_if_hwaddr, sendp

conf.verb = 0
tap, engine_mac, k4, e4, k6, e6 = sys.argv[1:7]
src_mac = get_if_hwaddr(tap)
eth = Ether(src=src_mac, dst=engine_mac)
eth4 = Ether(src=src_mac, dst=engine_mac, type=0x0800)


def raw4(pkt):
    return bytes(pkt)


frames = []
udp_ok = IP(src=k4, dst=e4) / UDP(sport=4000, dport=7) / Raw(b"junk test")
for _ in range(3):
    frames.append(eth4 / Raw(raw4(udp_ok)[:12]))                               # ipv4-truncated
    frames.append(eth / IP(src=k4, dst=e4, chksum=0x1234) / UDP(dport=7) / Raw(b"x"))  # ipv4-bad-checksum
    frames.append(eth / IP(src=k4, dst=e4, len=400) / UDP(dport=7) / Raw(b"x"))        # ipv4-bad-total-length
    frames.append(eth / IP(src=k4, dst=e4, ihl=15) / Raw(b"y" * 8))                    # ipv4-bad-header-length
    frames.append(eth / IP(src=k4, dst=e4, version=5) / UDP(dport=7) / Raw(b"x"))      # ipv4-bad-version
    frames.append(eth / IP(src=k4, dst=e4) / UDP(sport=4000, dport=7, chksum=0x4321) / Raw(b"bad sum"))  # udp-bad-checksum
    frames.append(eth / IP(src=k4, dst=e4) / UDP(sport=4000, dport=7, len=200) / Raw(b"short"))         # udp-bad-length
    frames.append(eth / IP(src=k4, dst=e4) / ICMP(chksum=0x1111) / Raw(b"ping?"))      # icmp-bad-checksum
    frames.append(eth / IP(src=k4, dst=e4) / TCP(sport=4000, dport=80, chksum=0x2222))  # tcp-bad-checksum
    frames.append(eth / IPv6(src=k6, dst=e6, plen=900) / ICMPv6EchoRequest())           # ipv6-bad-payload-length
    frames.append(eth / IPv6(src=k6, dst=e6) / ICMPv6EchoRequest(cksum=0x3333))         # icmpv6-bad-checksum
    frames.append(Ether(src=src_mac, dst="ff:ff:ff:ff:ff:ff", type=0x0806) / Raw(bytes(ARP(pdst=e4, psrc=k4))[:10]))  # arp-truncated
    frames.append(eth / IP(src=k4, dst=e4, flags="MF", frag=0) / UDP(dport=7) / Raw(b"frag"))  # ipv4-fragment

rng = random.Random(2026)
for _ in range(50):
    body = bytes(rng.getrandbits(8) for _ in range(rng.randint(1, 200)))
    frames.append(Ether(src=src_mac, dst=engine_mac, type=rng.choice([0x0800, 0x86DD, 0x0806])) / Raw(body))

sendp(frames, iface=tap)
print(f"sent {len(frames)} junk frames")

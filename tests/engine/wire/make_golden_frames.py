#!/usr/bin/python3
"""Development-time generator of the golden frames used by test_wire.cpp and the frame fuzzer seed
corpus. The tests do not run it: its output is pasted into golden_frames.h and written to
tests/fuzz/corpus/frame/ so the data is reviewable and independent of scapy's version.

    /usr/bin/python3 tests/engine/wire/make_golden_frames.py   # from the repository root (needs python3-scapy)
"""
import os
import sys

from scapy.all import (ARP, ICMP, IP, UDP, Ether, ICMPv6DestUnreach, ICMPv6EchoReply, ICMPv6EchoRequest,
                       ICMPv6ND_NA, ICMPv6ND_NS, ICMPv6NDOptDstLLAddr, ICMPv6NDOptSrcLLAddr, IPOption_Router_Alert,
                       IPv6, IPv6ExtHdrDestOpt, IPv6ExtHdrFragment, IPv6ExtHdrHopByHop, IPv6ExtHdrRouting, TCP, Raw)

M1, M2 = "02:00:00:00:00:01", "02:00:00:00:00:02"
A1, A2 = "198.18.0.1", "198.18.0.2"
B1, B2 = "2001:db8::1", "2001:db8::2"
SYN_OPTS = [("MSS", 1460), ("SAckOK", b""), ("Timestamp", (123456, 0)), ("NOP", None), ("WScale", 7)]

frames = [
    ("arp_request", Ether(src=M1, dst="ff:ff:ff:ff:ff:ff") / ARP(op=1, hwsrc=M1, psrc=A1, pdst=A2)),
    ("arp_reply", Ether(src=M2, dst=M1) / ARP(op=2, hwsrc=M2, psrc=A2, hwdst=M1, pdst=A1)),
    ("ipv4_tcp_syn", Ether(src=M1, dst=M2) / IP(src=A1, dst=A2, id=1, flags="DF") /
     TCP(sport=40000, dport=80, seq=1000, flags="S", window=64240, options=SYN_OPTS)),
    ("ipv4_tcp_synack", Ether(src=M2, dst=M1) / IP(src=A2, dst=A1, id=0, flags="DF") /
     TCP(sport=80, dport=40000, seq=5000, ack=1001, flags="SA", window=65160,
         options=[("MSS", 1460), ("SAckOK", b""), ("Timestamp", (777, 123456)), ("NOP", None), ("WScale", 7)])),
    ("ipv4_tcp_data", Ether(src=M1, dst=M2) / IP(src=A1, dst=A2, id=2, flags="DF") /
     TCP(sport=40000, dport=80, seq=1001, ack=5001, flags="PA", window=502,
         options=[("NOP", None), ("NOP", None), ("Timestamp", (123460, 777))]) / Raw(b"GET / HTTP/1.0\r\n\r\n")),
    ("ipv4_tcp_ack_padded", Ether(src=M1, dst=M2) / IP(src=A1, dst=A2, id=3, flags="DF") /
     TCP(sport=40000, dport=80, seq=1019, ack=5001, flags="A", window=502)),
    ("ipv4_tcp_sack", Ether(src=M1, dst=M2) / IP(src=A1, dst=A2, id=4, flags="DF") /
     TCP(sport=40000, dport=80, seq=1019, ack=5001, flags="A", window=502,
         options=[("NOP", None), ("NOP", None), ("SAck", (6001, 7001, 8001, 9001))])),
    ("ipv6_tcp_syn", Ether(src=M1, dst=M2) / IPv6(src=B1, dst=B2, hlim=64) /
     TCP(sport=40001, dport=443, seq=2000, flags="S", window=64800, options=SYN_OPTS)),
    ("ipv4_udp", Ether(src=M1, dst=M2) / IP(src=A1, dst=A2, id=5) / UDP(sport=5353, dport=7) / Raw(b"hello udp")),
    ("ipv6_udp", Ether(src=M1, dst=M2) / IPv6(src=B1, dst=B2) / UDP(sport=5353, dport=7) / Raw(b"hello udp6")),
    ("ipv4_icmp_echo_request", Ether(src=M1, dst=M2) / IP(src=A1, dst=A2, id=6, flags="DF") /
     ICMP(type=8, id=0x1234, seq=1) / Raw(bytes(range(32)))),
    ("ipv4_icmp_echo_reply", Ether(src=M2, dst=M1) / IP(src=A2, dst=A1, id=7) /
     ICMP(type=0, id=0x1234, seq=1) / Raw(bytes(range(32)))),
    ("ipv4_icmp_port_unreachable", Ether(src=M2, dst=M1) / IP(src=A2, dst=A1, id=8) /
     ICMP(type=3, code=3) / IP(src=A1, dst=A2, id=5) / UDP(sport=5353, dport=9) / Raw(b"x")),
    ("ipv6_icmp_echo_request", Ether(src=M1, dst=M2) / IPv6(src=B1, dst=B2) /
     ICMPv6EchoRequest(id=0x4321, seq=2, data=b"ping6 data")),
    ("ipv6_icmp_echo_reply", Ether(src=M2, dst=M1) / IPv6(src=B2, dst=B1) /
     ICMPv6EchoReply(id=0x4321, seq=2, data=b"ping6 data")),
    ("ipv6_ns", Ether(src=M1, dst="33:33:ff:00:00:02") / IPv6(src=B1, dst="ff02::1:ff00:2", hlim=255) /
     ICMPv6ND_NS(tgt=B2) / ICMPv6NDOptSrcLLAddr(lladdr=M1)),
    ("ipv6_na", Ether(src=M2, dst=M1) / IPv6(src=B2, dst=B1, hlim=255) /
     ICMPv6ND_NA(tgt=B2, R=0, S=1, O=1) / ICMPv6NDOptDstLLAddr(lladdr=M2)),
    ("ipv6_dest_unreachable", Ether(src=M2, dst=M1) / IPv6(src=B2, dst=B1) / ICMPv6DestUnreach(code=4) /
     IPv6(src=B1, dst=B2) / UDP(sport=5353, dport=9)),
    ("ipv6_hbh_dstopts_udp", Ether(src=M1, dst=M2) / IPv6(src=B1, dst=B2) / IPv6ExtHdrHopByHop() /
     IPv6ExtHdrDestOpt() / UDP(sport=1000, dport=7) / Raw(b"ext")),
    ("ipv6_routing_tcp", Ether(src=M1, dst=M2) / IPv6(src=B1, dst=B2) /
     IPv6ExtHdrRouting(type=0, addresses=["2001:db8::3"], segleft=0) /
     TCP(sport=40002, dport=80, seq=3000, flags="S", window=1000)),
    ("ipv6_fragment_first", Ether(src=M1, dst=M2) / IPv6(src=B1, dst=B2) /
     IPv6ExtHdrFragment(offset=0, m=1, id=0xabcd) / UDP(sport=1000, dport=7) / Raw(b"frag")),
    ("ipv6_atomic_fragment_echo", Ether(src=M1, dst=M2) / IPv6(src=B1, dst=B2) /
     IPv6ExtHdrFragment(offset=0, m=0, id=0x1111) / ICMPv6EchoRequest(id=1, seq=1)),
    ("ipv4_fragment", Ether(src=M1, dst=M2) / IP(src=A1, dst=A2, id=9, flags="MF", frag=0) /
     UDP(sport=1000, dport=7, len=1008, chksum=0x1234) / Raw(b"frag")),
    ("ipv4_options_udp", Ether(src=M1, dst=M2) / IP(src=A1, dst=A2, id=10, options=[IPOption_Router_Alert()]) /
     UDP(sport=1000, dport=7) / Raw(b"opt")),
]


def main():
    root = os.path.dirname(os.path.abspath(__file__))
    corpus = os.path.join(root, "..", "..", "fuzz", "corpus", "frame")
    os.makedirs(corpus, exist_ok=True)
    out = ["// Golden frames made by tests/engine/wire/make_golden_frames.py with python3-scapy "
           "(Debian 12),", "// pasted here as data. Do not edit by hand: rerun the script.",
           "#pragma once", "", "#include <cstdint>", "#include <vector>", "", "namespace golden {", ""]
    for name, pkt in frames:
        data = bytes(pkt)
        if name == "ipv4_tcp_ack_padded":
            data = data.ljust(60, b"\0")  # as a NIC pads short frames
        with open(os.path.join(corpus, name), "wb") as f:
            f.write(data)
        out.append("// " + pkt.summary())
        out.append("inline const std::vector<std::uint8_t> %s{" % name)
        for i in range(0, len(data), 16):
            out.append("    " + ", ".join("0x%02x" % b for b in data[i:i + 16]) + ",")
        out.append("};")
        out.append("")
    out.append("}  // namespace golden")
    with open(os.path.join(root, "golden_frames.h"), "w") as f:
        f.write("\n".join(out) + "\n")
    print("wrote %d frames" % len(frames), file=sys.stderr)


if __name__ == "__main__":
    main()

#!/usr/bin/python3
"""Reference captures for the TCP analysis labels: each scenario is a small TCP exchange written
with scapy that should make Wireshark print one kind of label (retransmission, dup ACK, ...), plus
seeded random flows with loss, duplication and reordering. The test compares, frame by frame, the
tcp.analysis.* fields tshark reports with the labels TCP Lab computes. Every capture is also written
cut to 96 bytes per packet (snap_*.pcap), as `tcpdump -s 96` would have recorded it in production:
the headers are all there, the payload mostly not, and the labels must not change.

Usage: make_reference_captures.py OUTDIR
"""
import random
import struct
import sys

from scapy.all import IP, IPv6, TCP, Ether, Raw, wrpcap

C_MAC, S_MAC = "02:00:00:00:00:01", "02:00:00:00:00:02"


class Flow:
    def __init__(self, v6=False, cport=40000, sport=80, cisn=1000, sisn=5000, t0=1700000000.0,
                 win=65535):
        self.v6 = v6
        self.cport, self.sport = cport, sport
        self.cseq, self.sseq = cisn, sisn
        self.t = t0
        self.win = {"c": win, "s": win}
        self.pkts = []

    def _ip(self, frm):
        if self.v6:
            a, b = "2001:db8::1", "2001:db8::2"
            return IPv6(src=a, dst=b) if frm == "c" else IPv6(src=b, dst=a)
        a, b = "198.18.0.1", "198.18.0.2"
        return IP(src=a, dst=b) if frm == "c" else IP(src=b, dst=a)

    def seg(self, frm, flags, seq=None, ack=None, data=b"", win=None, dt=0.001, advance=True,
            options=None):
        """Emit a segment from 'c' or 's'. seq/ack default to the current state."""
        self.t += dt
        if frm == "c":
            sq = self.cseq if seq is None else seq
            ak = self.sseq if ack is None else ack
            sp, dp = self.cport, self.sport
        else:
            sq = self.sseq if seq is None else seq
            ak = self.cseq if ack is None else ack
            sp, dp = self.sport, self.cport
        w = self.win[frm] if win is None else win
        tcp = TCP(sport=sp, dport=dp, flags=flags, seq=sq, ack=ak if "A" in flags else 0, window=w,
                  options=options or [])
        eth = Ether(src=C_MAC if frm == "c" else S_MAC, dst=S_MAC if frm == "c" else C_MAC)
        p = eth / self._ip(frm) / tcp
        if data:
            p = p / Raw(load=data)
        p.time = self.t
        self.pkts.append(p)
        if advance:
            n = len(data) + (1 if ("S" in flags or "F" in flags) else 0)
            if frm == "c":
                self.cseq = max(self.cseq, sq + n) if seq is not None else self.cseq + n
            else:
                self.sseq = max(self.sseq, sq + n) if seq is not None else self.sseq + n
        return p

    def handshake(self):
        self.seg("c", "S")
        self.seg("s", "SA")
        self.seg("c", "A")


def retransmission(out):
    f = Flow()
    f.handshake()
    s0 = f.cseq
    f.seg("c", "PA", data=b"a" * 100)
    f.seg("c", "PA", data=b"a" * 100, seq=s0, dt=0.3)  # RTO retransmission
    f.seg("s", "A", ack=s0 + 100)
    f.seg("c", "PA", data=b"b" * 50, seq=s0, dt=0.3)  # spurious: already acked
    return f.pkts


def dupack_fast_retransmit(out):
    f = Flow()
    f.handshake()
    s0 = f.cseq
    for i in range(5):
        p = f.seg("c", "A", data=bytes([65 + i]) * 100, dt=0.0001)
        if i == 1:
            f.pkts.pop()  # lost before the capture point
    f.seg("s", "A", ack=s0 + 100)
    f.seg("s", "A", ack=s0 + 100, dt=0.0001)
    f.seg("s", "A", ack=s0 + 100, dt=0.0001)
    f.seg("s", "A", ack=s0 + 100, dt=0.0001)
    f.seg("c", "A", data=b"B" * 100, seq=s0 + 100, dt=0.001)  # fast retransmission
    f.seg("s", "A", ack=s0 + 500)
    return f.pkts


def out_of_order(out):
    f = Flow()
    f.handshake()
    s0 = f.cseq
    f.seg("c", "A", data=b"1" * 100, seq=s0, dt=0.01)
    f.seg("c", "A", data=b"3" * 100, seq=s0 + 200, dt=0.0001)
    f.seg("c", "A", data=b"2" * 100, seq=s0 + 100, dt=0.0001)
    f.seg("s", "A", ack=s0 + 300)
    return f.pkts


def zero_window(out):
    f = Flow()
    f.handshake()
    s0 = f.cseq
    f.seg("c", "PA", data=b"x" * 1000)
    f.seg("s", "A", ack=s0 + 1000, win=0)  # ZeroWindow
    f.seg("c", "A", data=b"y", seq=s0 + 1000, dt=0.2, advance=False)  # ZeroWindowProbe
    f.seg("s", "A", ack=s0 + 1000, win=0, dt=0.0005)  # ZeroWindowProbeAck
    f.seg("s", "A", ack=s0 + 1000, win=8000, dt=0.5)  # Window Update
    f.seg("c", "PA", data=b"y" * 10)
    return f.pkts


def keep_alive(out):
    f = Flow()
    f.handshake()
    s0 = f.cseq
    f.seg("c", "PA", data=b"hello")
    f.seg("s", "A", ack=s0 + 5)
    f.seg("c", "A", seq=s0 + 4, dt=60, advance=False)  # Keep-Alive
    f.seg("s", "A", ack=s0 + 5, dt=0.001)  # Keep-Alive ACK
    f.seg("c", "A", seq=s0 + 4, data=b"o", dt=60, advance=False)  # Keep-Alive with one byte
    f.seg("s", "A", ack=s0 + 5, dt=0.001)
    return f.pkts


def window_full(out):
    f = Flow(win=1000)
    f.handshake()
    f.seg("c", "A", data=b"w" * 600, win=65535)
    f.seg("c", "A", data=b"w" * 400, win=65535)  # fills the 1000-byte window
    f.seg("s", "A", win=1000, dt=0.05)
    return f.pkts


def acked_unseen(out):
    f = Flow()
    f.handshake()
    s0 = f.cseq
    f.seg("c", "PA", data=b"q" * 100)
    f.seg("s", "A", ack=s0 + 300)  # acks data never seen
    return f.pkts


def port_reuse(out):
    f = Flow()
    f.handshake()
    f.seg("c", "FA")
    f.seg("s", "FA")
    f.seg("c", "A")
    f.cseq, f.sseq = 900000, 700000
    f.seg("c", "S", dt=2)
    f.seg("s", "SA")
    f.seg("c", "A")
    return f.pkts


def ipv6_lost_and_retrans(out):
    f = Flow(v6=True)
    f.handshake()
    s0 = f.cseq
    f.seg("c", "A", data=b"1" * 200)
    f.seg("c", "A", data=b"3" * 200, seq=s0 + 400, dt=0.01)  # previous segment not captured
    f.seg("s", "A", ack=s0 + 200)
    f.seg("c", "A", data=b"2" * 200, seq=s0 + 200, dt=0.3)  # retransmission of the lost one
    f.seg("s", "A", ack=s0 + 600)
    return f.pkts


def random_flow(seed):
    """A bulk transfer with random loss, duplication, reordering and window changes."""
    rng = random.Random(seed)
    f = Flow(cport=41000 + seed, win=rng.choice([4000, 16000, 65535]))
    f.handshake()
    base = f.cseq
    acked = base
    sent = base
    queue = []
    for _ in range(120):
        r = rng.random()
        if r < 0.55:  # new data
            n = rng.choice([1, 100, 500, 1000])
            p = f.seg("c", "A", data=b"d" * n, seq=sent, dt=rng.choice([0.0001, 0.001, 0.01]))
            sent += n
            if rng.random() < 0.1:
                f.pkts.pop()  # lost before the capture point
            elif rng.random() < 0.1 and len(f.pkts) > 2:
                f.pkts[-1], f.pkts[-2] = f.pkts[-2], f.pkts[-1]  # reordered
                f.pkts[-1].time, f.pkts[-2].time = f.pkts[-2].time, f.pkts[-1].time
        elif r < 0.85:  # an ACK, sometimes repeated, sometimes a window change
            acked = rng.randint(acked, sent) if rng.random() < 0.7 else acked
            w = rng.choice([f.win["s"]] * 4 + [0, 2000, 65535])
            f.seg("s", "A", ack=acked, win=w, dt=rng.choice([0.0001, 0.002, 0.05]))
        elif r < 0.95 and sent > base:  # retransmit something
            start = rng.randint(base, sent - 1)
            n = min(rng.choice([100, 500]), sent - start)
            f.seg("c", "A", data=b"r" * n, seq=start, dt=rng.choice([0.0005, 0.2]))
        else:  # keep-alive-looking segment
            f.seg("c", "A", seq=sent - 1, dt=rng.choice([0.001, 1.0]), advance=False)
    return f.pkts


SCENARIOS = {
    "retransmission": retransmission,
    "dupack_fast_retransmit": dupack_fast_retransmit,
    "out_of_order": out_of_order,
    "zero_window": zero_window,
    "keep_alive": keep_alive,
    "window_full": window_full,
    "acked_unseen": acked_unseen,
    "port_reuse": port_reuse,
    "ipv6_lost_and_retrans": ipv6_lost_and_retrans,
}


SNAPLEN = 96


def cut_copy(src, dst, snaplen=SNAPLEN):
    """Writes the classic pcap `src` again with every packet cut after `snaplen` bytes and its
    original length kept, and the file's snap length set to match (what tcpdump -s writes)."""
    data = open(src, "rb").read()
    endian = "<" if data[:4] in (b"\xd4\xc3\xb2\xa1", b"\x4d\x3c\xb2\xa1") else ">"
    major, minor, zone, sigfigs, _, linktype = struct.unpack(endian + "HHiIII", data[4:24])
    out = [data[:4], struct.pack(endian + "HHiIII", major, minor, zone, sigfigs, snaplen, linktype)]
    at = 24
    while at < len(data):
        sec, frac, caplen, wirelen = struct.unpack(endian + "IIII", data[at:at + 16])
        kept = data[at + 16:at + 16 + min(caplen, snaplen)]
        out.append(struct.pack(endian + "IIII", sec, frac, len(kept), wirelen) + kept)
        at += 16 + caplen
    open(dst, "wb").write(b"".join(out))


def main():
    out = sys.argv[1]
    names = []
    for name, make in SCENARIOS.items():
        wrpcap(f"{out}/{name}.pcap", make(out))
        names.append(name)
    for seed in range(1, 9):
        wrpcap(f"{out}/random_{seed}.pcap", random_flow(seed))
        names.append(f"random_{seed}")
    for name in names:
        cut_copy(f"{out}/{name}.pcap", f"{out}/snap_{name}.pcap")


if __name__ == "__main__":
    main()

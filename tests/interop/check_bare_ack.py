"""The syn-answered-by-ack exchange in a tap capture, checked packet by packet.

Input: `tshark -T fields -E separator=, -e ip.src -e tcp.flags -e tcp.seq_raw -e tcp.ack_raw
-e tcp.window_size_value -e tcp.hdr_len` of a capture on the tap. For every SYN the kernel sent (the
first and each retransmission) the lab must answer with exactly one bare ACK, seq = SYN.seq + 1,
ack = SYN.seq + SYN.win - 1, window 224, no options, and never with a SYN-ACK; the kernel must then
reset with seq = that ACK's ack. Prints one line per SYN on stderr and the number of SYNs on stdout;
exits non-zero with the reason otherwise.

usage: check_bare_ack.py FIELDS.csv KERNEL_IP ENGINE_IP MIN_SYNS
"""
import sys

path, kernel, engine, min_syns = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
rows = [l.strip().split(",") for l in open(path) if l.strip()]
pkts = [(src, int(fl, 16), int(seq), int(ack), int(win), int(hl)) for src, fl, seq, ack, win, hl in rows]
syns = [i for i, p in enumerate(pkts) if p[0] == kernel and p[1] == 0x002]
if len(syns) < min_syns:
    sys.exit(f"expected the SYN and at least {min_syns - 1} retransmission(s), saw {len(syns)} SYNs")
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
    print(f"ok: SYN #{n+1} seq={syn[2]} win={syn[4]} -> bare ACK seq={a[2]} ack={a[3]} win=224 -> RST seq={rsts[0][2]}",
          file=sys.stderr)
print(len(syns))

#!/bin/bash
# The article's failure on a real kernel: tcplab-cli plays the syn-answered-by-ack scenario on a tap,
# curl inside the namespace connects to port 8000. An independent capture (tshark on the tap) must
# show, for every SYN curl's kernel sends (the first and each retransmission): a bare ACK from the
# lab with seq = SYN.seq + 1, ack = SYN.seq + SYN.win - 1, window 224 and no options, then a RST
# from the kernel with seq = that ACK's ack; and curl must give up with a connect timeout.
source "$(dirname "$0")/lib.sh"
interop_require curl tshark
interop_setup

CAP="$WORK/tap.pcapng"
interop_capture_start "tcp port 8000" "$CAP"
interop_start_engine --scenario syn-answered-by-ack
in_ns curl -s -o /dev/null --connect-timeout 5 "http://$ENGINE_IP4:8000/"
rc=$?
[ "$rc" = 28 ] || interop_fail "curl exited with $rc, expected 28 (connect timeout)"
echo "ok: curl gave up with a connect timeout"
interop_capture_stop
interop_stop_engine

syns=$(interop_check_bare_acks "$CAP" 3) || exit 1 # the reason is printed above
echo "ok: every one of the kernel's $syns SYNs was answered by the bare ACK"
hits=$(grep -c '"name":"syn-gets-bare-ack"' "$ENGINE_EVENTS")
expect_ge rule-hit-events "$hits" 3
echo "PASS"

#!/bin/bash
# Library > "Load into tap lab" on a live tap: the GUI (offscreen, the real main window) attached to
# a tap in a namespace this test creates, serving http on port 80 only. The kernel's SYN to port
# 8000 is refused (RST: no service there). Then the driver opens the scenario library, selects
# syn-answered-by-ack and clicks "Load into tap lab", as a user would. The reloaded lab must do what
# the scenario says, seen from the kernel side: curl's SYN to port 8000 gets a bare ACK (seq = SYN.seq
# + 1, ack = SYN.seq + SYN.win - 1, window 224, no options), never a SYN-ACK; the kernel answers each
# with a RST and curl gives up with a connect timeout (an independent capture, tshark on the tap).
# And from the GUI's side: the rule editor lists the scenario's rules, and the live hit counter of
# syn-gets-bare-ack counts every SYN the kernel sent (by its own count, TCPSynRetrans + 1).
source "$(dirname "$0")/lib.sh"
interop_require curl tshark
[ -n "${TCPLAB_GUI_TAP_DRIVER:-}" ] && [ -x "$TCPLAB_GUI_TAP_DRIVER" ] ||
    interop_skip "TCPLAB_GUI_TAP_DRIVER is not set (the GUI is not built)"
interop_setup
interop_start_gui_driver --listen 80:http

# 1. Before: the GUI's own http on port 80 answers; port 8000 is closed (RST: connection refused).
in_ns curl -sS --max-time 10 -o "$WORK/page" "http://$ENGINE_IP4/" || interop_fail "curl to port 80 failed"
grep -q "Hello from TCP Lab" "$WORK/page" || interop_fail "unexpected page: $(head -c 200 "$WORK/page")"
in_ns curl -sS -o /dev/null --connect-timeout 3 "http://$ENGINE_IP4:8000/" 2>"$WORK/curl0.err"
rc=$?
[ "$rc" = 7 ] || interop_fail "before loading: curl to port 8000 exited with $rc, expected 7 (refused): $(cat "$WORK/curl0.err")"
echo "ok: before loading, port 80 serves the GUI's page and port 8000 is refused"

# 2. Library > syn-answered-by-ack > Load into tap lab.
interop_gui_command "library syn-answered-by-ack" "library"
echo "$ANSWER"
case "$ANSWER" in
"library ok scenario=syn-answered-by-ack rules="*) ;;
*) interop_fail "loading from the library failed: $ANSWER" ;;
esac
interop_gui_command hits hits
echo "$ANSWER"
case "$ANSWER" in
*" syn-gets-bare-ack=0"*) ;;
*) interop_fail "the rule editor does not list syn-gets-bare-ack with no hits yet: $ANSWER" ;;
esac

# 3. After: the kernel's SYNs to port 8000, captured on the tap.
CAP="$WORK/tap.pcapng"
interop_capture_start "tcp port 8000" "$CAP"
retrans_before=$(interop_kernel_syn_retransmits)
in_ns curl -s -o /dev/null --connect-timeout 4 "http://$ENGINE_IP4:8000/"
rc=$?
[ "$rc" = 28 ] || interop_fail "after loading: curl to port 8000 exited with $rc, expected 28 (connect timeout)"
echo "ok: after loading, curl to port 8000 gave up with a connect timeout"
retrans_after=$(interop_kernel_syn_retransmits)
interop_capture_stop
# The kernel's own count of the SYNs it sent (the first and its retransmissions): the reference for
# the GUI's counter, which a capture on a loaded machine may fall short of.
sent=$((1 + retrans_after - retrans_before))

syns=$(interop_check_bare_acks "$CAP" 2) || exit 1 # the reason is printed above
echo "ok: every one of the kernel's $syns SYNs to port 8000 was answered by the scenario's bare ACK"

# 4. The GUI's own account: the rule's live hit counter counts every SYN the kernel sent.
[ "$syns" -le "$sent" ] || interop_fail "the capture saw $syns SYNs, the kernel says it sent $sent"
hits=0
for _ in $(seq 40); do
    interop_gui_command hits hits
    hits=$(echo "$ANSWER" | tr ' ' '\n' | sed -n 's/^syn-gets-bare-ack=//p')
    [ "${hits:-0}" -ge "$sent" ] && break
    sleep 0.1
done
echo "$ANSWER"
[ "${hits:-0}" = "$sent" ] ||
    interop_fail "the rule editor counts $hits hits of syn-gets-bare-ack, the kernel sent $sent SYNs (the capture saw $syns)"
echo "ok: the rule editor's hit counter shows $hits hits of syn-gets-bare-ack"

interop_stop_gui_driver
echo "PASS"

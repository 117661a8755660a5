# Shared helpers for interop tests: a private network namespace with a tap inside, the kernel on
# one side (198.18.0.1/24, 2001:db8::1/64) and tcplab-cli on the other (198.18.0.2, 2001:db8::2).
# Everything is removed on exit, also when the test fails.
#
#   #!/bin/bash
#   source "$(dirname "$0")/lib.sh"
#   interop_require ping python3          # root + tools, else SKIP (exit 77) with the reason
#   interop_setup                         # namespace, tap, kernel addresses; trap for clean-up
#   interop_start_engine --listen 7/udp:echo      # tcplab-cli attached, waits for "ready"
#   in_ns ping -c3 -W2 "$ENGINE_IP4"      # run anything inside the namespace
#   interop_stop_engine                   # SIGTERM, waits, checks exit 0; output in $ENGINE_OUT
#   interop_stat icmp-echo-answered       # a counter from the engine's final stats line
#
# Environment: TCPLAB_CLI (path to tcplab-cli; set by ctest). Variables set here: NS, TAP,
# KERNEL_IP4, ENGINE_IP4, KERNEL_IP6, ENGINE_IP6, ENGINE_MAC, WORK (a private temp dir),
# ENGINE_OUT / ENGINE_ERR (the engine's stdout / stderr), ENGINE_EVENTS (its --events file),
# PYTHON (Debian's python3, where python3-scapy lives).

set -u

KERNEL_IP4=198.18.0.1
ENGINE_IP4=198.18.0.2
KERNEL_IP6=2001:db8::1
ENGINE_IP6=2001:db8::2
ENGINE_MAC=02:54:4c:12:00:02
PREFIX4=24
PREFIX6=64
ENGINE_PID=
TSHARK_PID=
NS=
# Debian's python3 (with python3-scapy), not a user's pyenv/virtualenv one, when present.
if [ -x /usr/bin/python3 ]; then PYTHON=/usr/bin/python3; else PYTHON=python3; fi
WORK=

interop_skip() {
    echo "SKIP: $*"
    exit 77
}

interop_fail() {
    echo "FAIL: $*" >&2
    if [ -n "${ENGINE_ERR:-}" ] && [ -s "$ENGINE_ERR" ]; then
        echo "--- engine stderr:" >&2
        tail -n 20 "$ENGINE_ERR" >&2
    fi
    exit 1
}

# interop_require TOOL... : root, network namespaces, /dev/net/tun and each tool, else skip.
interop_require() {
    [ "$(id -u)" = 0 ] || interop_skip "needs root (network namespaces and a tap device)"
    [ -n "${TCPLAB_CLI:-}" ] && [ -x "$TCPLAB_CLI" ] || interop_fail "TCPLAB_CLI is not set to the tcplab-cli binary"
    command -v ip >/dev/null || interop_skip "iproute2 (ip) is not installed"
    [ -c /dev/net/tun ] || interop_skip "/dev/net/tun is missing (modprobe tun)"
    local tool
    for tool in "$@"; do
        case "$tool" in
        scapy) "$PYTHON" -c 'import scapy.all' 2>/dev/null || interop_skip "python3-scapy is not installed" ;;
        *) command -v "$tool" >/dev/null || interop_skip "$tool is not installed" ;;
        esac
    done
}

in_ns() {
    ip netns exec "$NS" "$@"
}

interop_cleanup() {
    local rc=$?
    [ -n "$TSHARK_PID" ] && kill -INT "$TSHARK_PID" 2>/dev/null && wait "$TSHARK_PID" 2>/dev/null
    if [ -n "$ENGINE_PID" ] && kill -0 "$ENGINE_PID" 2>/dev/null; then
        kill -TERM "$ENGINE_PID" 2>/dev/null
        for _ in $(seq 50); do kill -0 "$ENGINE_PID" 2>/dev/null || break; sleep 0.1; done
        kill -KILL "$ENGINE_PID" 2>/dev/null
        wait "$ENGINE_PID" 2>/dev/null
    fi
    [ -n "$NS" ] && ip netns del "$NS" 2>/dev/null
    [ -n "$WORK" ] && [ -z "${INTEROP_KEEP:-}" ] && rm -rf "$WORK"
    exit "$rc"
}

# interop_setup: a namespace named after this test and process, a tap inside it (up, with the
# kernel's addresses), loopback up. The tap persists until the namespace goes.
interop_setup() {
    local base
    base=$(basename "$0" .sh | tr -c 'a-zA-Z0-9\n' '-' | cut -c1-20)
    NS="tcplab-${base}-$$-${RANDOM}"
    TAP="tlab$(printf '%x' $(( ($$ * 32768 + RANDOM) % 0xfffffff )))"
    WORK=$(mktemp -d "/tmp/tcplab-interop.XXXXXX")
    ENGINE_OUT="$WORK/engine.out"
    ENGINE_ERR="$WORK/engine.err"
    ENGINE_EVENTS="$WORK/events.jsonl"
    trap interop_cleanup EXIT
    trap 'exit 130' INT TERM
    ip netns add "$NS" || interop_fail "cannot create network namespace $NS"
    in_ns ip link set lo up
    in_ns ip tuntap add dev "$TAP" mode tap || interop_fail "cannot create tap $TAP in $NS"
    in_ns ip link set "$TAP" up
    in_ns ip addr add "$KERNEL_IP4/$PREFIX4" dev "$TAP"
    in_ns ip -6 addr add "$KERNEL_IP6/$PREFIX6" dev "$TAP" nodad
    # No router solicitations or DAD noise to wait for.
    in_ns sysctl -qw "net.ipv6.conf.$TAP.router_solicitations=0" 2>/dev/null || true
}

# interop_start_engine [tcplab-cli options...]: attaches tcplab-cli to the tap inside the namespace
# (--tap/--ip4/--ip6/--mac/--events given here) and waits up to 10 s for its ready line.
interop_start_engine() {
    # Emptied here, not only by the redirection below: that happens in the child, perhaps after the
    # first look for a ready line, which would then find the previous engine's.
    : >"$ENGINE_OUT"
    # Not through in_ns: $! must be tcplab-cli itself (ip netns exec execs it), not a subshell.
    ip netns exec "$NS" "$TCPLAB_CLI" --tap "$TAP" --ip4 "$ENGINE_IP4/$PREFIX4" --ip6 "$ENGINE_IP6/$PREFIX6" \
        --mac "$ENGINE_MAC" --events "$ENGINE_EVENTS" "$@" >"$ENGINE_OUT" 2>"$ENGINE_ERR" &
    ENGINE_PID=$!
    for _ in $(seq 100); do
        grep -q '^ready' "$ENGINE_OUT" 2>/dev/null && return 0
        kill -0 "$ENGINE_PID" 2>/dev/null || interop_fail "tcplab-cli exited before ready: $(cat "$ENGINE_ERR")"
        sleep 0.1
    done
    interop_fail "tcplab-cli not ready after 10 s"
}

# interop_stop_engine: SIGTERM; the engine must exit 0 within 5 s after printing its stats.
interop_stop_engine() {
    [ -n "$ENGINE_PID" ] || return 0
    kill -TERM "$ENGINE_PID"
    local rc
    for _ in $(seq 50); do kill -0 "$ENGINE_PID" 2>/dev/null || break; sleep 0.1; done
    wait "$ENGINE_PID"
    rc=$?
    ENGINE_PID=
    [ "$rc" = 0 ] || interop_fail "tcplab-cli exited with $rc"
    grep -q '^stats ' "$ENGINE_OUT" || interop_fail "tcplab-cli printed no stats line"
}

# interop_stat NAME [HOST]: a counter from the final stats line (after interop_stop_engine).
interop_stat() {
    local host=${2:-tcplab}
    grep "^stats {\"host\":\"$host\"" "$ENGINE_OUT" | sed 's/^stats //' |
        "$PYTHON" -c "import json,sys; print(json.load(sys.stdin)['counters'].get('$1', 0))"
}

# expect_ge NAME VALUE MIN: fails unless VALUE >= MIN.
expect_ge() {
    [ "$2" -ge "$3" ] || interop_fail "$1 is $2, expected at least $3"
    echo "ok: $1 = $2 (>= $3)"
}

# interop_kernel_syn_retransmits: the namespace kernel's count of retransmitted SYNs (TcpExt
# TCPSynRetrans in its /proc/net/netstat).
interop_kernel_syn_retransmits() {
    in_ns awk '/^TcpExt:/ { if (!h) { for (i = 1; i <= NF; i++) k[i] = $i; h = 1 }
        else for (i = 1; i <= NF; i++) if (k[i] == "TCPSynRetrans") print $i }' /proc/net/netstat
}

# interop_capture_start FILTER FILE: tshark on the tap (inside the namespace) writing FILE, started
# when it says it is capturing. interop_capture_stop ends it (clean-up does too, on failure).
interop_capture_start() {
    ip netns exec "$NS" tshark -q -i "$TAP" -f "$1" -w "$2" >"$WORK/tshark.out" 2>&1 &
    TSHARK_PID=$!
    for _ in $(seq 100); do grep -q "Capturing on" "$WORK/tshark.out" && return 0; sleep 0.1; done
    interop_fail "tshark did not start: $(cat "$WORK/tshark.out")"
}

interop_capture_stop() {
    sleep 0.5 # the last frames reach the file
    kill -INT "$TSHARK_PID"
    wait "$TSHARK_PID" 2>/dev/null
    TSHARK_PID=
}

# interop_check_bare_acks CAPTURE MIN_SYNS: the syn-answered-by-ack exchange, SYN by SYN
# (check_bare_ack.py); prints the number of SYNs the kernel sent. Called in $(...), so follow it
# with `|| exit 1`: a failure there ends only the subshell.
interop_check_bare_acks() {
    tshark -r "$1" -T fields -E separator=, -e ip.src -e tcp.flags -e tcp.seq_raw -e tcp.ack_raw \
        -e tcp.window_size_value -e tcp.hdr_len >"$WORK/fields.csv" 2>/dev/null ||
        interop_fail "tshark could not read its own capture"
    "$PYTHON" "$(dirname "${BASH_SOURCE[0]}")/check_bare_ack.py" "$WORK/fields.csv" "$KERNEL_IP4" "$ENGINE_IP4" "$2" ||
        interop_fail "the capture does not show the scenario's exchange (above)"
}

# interop_start_gui_driver [driver options...]: the GUI tap driver ($TCPLAB_GUI_TAP_DRIVER, the
# offscreen main window) attached to the tap; commands go to it through a FIFO (fd 9), answers land
# in $DRIVER_OUT. Waits up to 15 s for its ready line.
interop_start_gui_driver() {
    rm -f "$WORK/cmd" # a driver started before in this test left it
    mkfifo "$WORK/cmd"
    DRIVER_OUT="$WORK/driver.out"
    ENGINE_ERR="$WORK/driver.err"
    : >"$DRIVER_OUT" # a driver started before left its ready line (see interop_start_engine)
    # Not through in_ns, so $! is the driver.
    HOME="$WORK" XDG_RUNTIME_DIR="$WORK" QT_QPA_PLATFORM=offscreen ip netns exec "$NS" "$TCPLAB_GUI_TAP_DRIVER" \
        --tap "$TAP" --ip4 "$ENGINE_IP4/$PREFIX4" --ip6 "$ENGINE_IP6/$PREFIX6" --mac "$ENGINE_MAC" \
        "$@" <"$WORK/cmd" >"$DRIVER_OUT" 2>"$ENGINE_ERR" &
    ENGINE_PID=$!
    exec 9>"$WORK/cmd" # keeps the FIFO open for the driver's stdin
    for _ in $(seq 150); do
        grep -q '^ready' "$DRIVER_OUT" 2>/dev/null && break
        grep -q '^error' "$DRIVER_OUT" 2>/dev/null && interop_fail "the GUI could not attach: $(cat "$DRIVER_OUT")"
        kill -0 "$ENGINE_PID" 2>/dev/null || interop_fail "the GUI driver exited before ready"
        sleep 0.1
    done
    grep -q '^ready' "$DRIVER_OUT" || interop_fail "the GUI driver was not ready after 15 s"
    echo "ok: GUI attached to $TAP"
}

# interop_gui_command CMD EXPECTED-PREFIX: sends a line to the driver, waits up to 10 s for a new
# answer starting with the prefix; the answer is left in $ANSWER.
interop_gui_command() {
    local before
    before=$(grep -c "^$2" "$DRIVER_OUT")
    echo "$1" >&9
    for _ in $(seq 200); do
        if [ "$(grep -c "^$2" "$DRIVER_OUT")" -gt "$before" ]; then
            ANSWER=$(grep "^$2" "$DRIVER_OUT" | tail -n1)
            return 0
        fi
        sleep 0.05
    done
    interop_fail "the GUI driver did not answer \"$1\""
}

# interop_stop_gui_driver: "quit"; the driver must release the tap and exit 0 within 10 s.
interop_stop_gui_driver() {
    echo quit >&9
    exec 9>&-
    for _ in $(seq 100); do kill -0 "$ENGINE_PID" 2>/dev/null || break; sleep 0.1; done
    wait "$ENGINE_PID"
    local rc=$?
    ENGINE_PID=
    [ "$rc" = 0 ] || interop_fail "the GUI driver exited with $rc: $(tail -n 5 "$ENGINE_ERR")"
    ENGINE_ERR="$WORK/engine.err"
    echo "ok: GUI driver released the tap and exited"
}

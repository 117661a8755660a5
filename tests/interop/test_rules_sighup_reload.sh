#!/bin/bash
# tcplab-cli --scenario FILE on the demo network (no root needed): SIGHUP reloads the file and the
# changed rule applies to the next packets while hit counters carry on by rule name.
set -u
[ -n "${TCPLAB_CLI:-}" ] && [ -x "$TCPLAB_CLI" ] || { echo "FAIL: TCPLAB_CLI is not set"; exit 1; }
SRC="$(dirname "$0")/../../resources/scenarios/syn-answered-by-ack.toml"
WORK=$(mktemp -d /tmp/tcplab-sighup.XXXXXX)
PID=
trap '[ -n "$PID" ] && kill "$PID" 2>/dev/null; rm -rf "$WORK"' EXIT
fail() { echo "FAIL: $*"; cat "$WORK/err" 2>/dev/null; exit 1; }

cp "$SRC" "$WORK/s.toml"
"$TCPLAB_CLI" --demo --scenario "$WORK/s.toml" --duration 6 --events "$WORK/ev.jsonl" >"$WORK/out" 2>"$WORK/err" &
PID=$!
for _ in $(seq 50); do grep -q '^ready' "$WORK/out" 2>/dev/null && break; sleep 0.1; done
grep -q '^ready.*scenario=syn-answered-by-ack' "$WORK/out" || fail "no ready line"
sleep 2  # the SYN at 0 s and its retransmission at 1 s get window 224
sed -i 's/^window = 224$/window = 100/' "$WORK/s.toml"
kill -HUP "$PID"
wait "$PID" || fail "tcplab-cli exited with $?"
PID=
grep -q 'SIGHUP: reloaded scenario "syn-answered-by-ack"' "$WORK/err" || fail "no reload message"
before=$(grep -c '"reply.window":"224"' "$WORK/ev.jsonl")
after=$(grep -c '"reply.window":"100"' "$WORK/ev.jsonl")
[ "$before" -ge 2 ] || fail "expected at least 2 bare ACKs with window 224 before the reload, got $before"
[ "$after" -ge 1 ] || fail "expected a bare ACK with window 100 after the reload, got $after"
hits=$(sed -n 's/^rule {"host":"server","name":"syn-gets-bare-ack","hits":\([0-9]*\)}$/\1/p' "$WORK/out")
[ "$hits" = $((before + after)) ] || fail "hit counter $hits is not $before + $after (not kept across the reload)"
echo "ok: window 224 x$before, then 100 x$after after SIGHUP; hit counter $hits kept"

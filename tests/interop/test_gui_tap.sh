#!/bin/bash
# The GUI's tap mode against the real kernel: the main window (offscreen) attached to a tap in a
# namespace this test creates, the engine on its worker thread. The kernel fetches a page with
# curl and pushes a bulk transfer into the sink service; the sessions must appear in the GUI's
# session index with the right byte counts, and the GUI event loop must keep turning during the
# transfer: a 10 ms probe timer must deliver at least a fifth of its nominal ticks (a GUI thread
# blocked on the engine delivers almost none; a busy 2-core machine legitimately delays some). The
# event-queue drop counter is reported. Then the GUI attaches again with the tap dialog's snap length
# (128 bytes) and capture memory (a 256 MiB bound, 64 MiB reserved before attaching, spilling to
# /dev/shm): frames are stored cut, the http session keeps its whole byte count, the reserve is
# there, and the status bar says that a spill to /dev/shm (tmpfs) would still take RAM. Then with a capture
# memory of 1 MiB, which a page and a short transfer overrun, spilling into the test's own directory
# (the dialog's Spill directory): the capture goes on in the spill file there, the status bar says
# so, the log panel has the store's warning once, and no byte is lost. Then with a capture memory of
# 8 MiB and "Stop recording" when it is full: recording stops at the bound with one warning, the
# frames after it are counted, nothing spills, and the transfer goes on regardless. Then tcplab-cli
# alone takes the same transfer on the same tap, and the two throughputs are printed (a figure, not
# an assertion).
source "$(dirname "$0")/lib.sh"
interop_require curl
[ -n "${TCPLAB_GUI_TAP_DRIVER:-}" ] && [ -x "$TCPLAB_GUI_TAP_DRIVER" ] ||
    interop_skip "TCPLAB_GUI_TAP_DRIVER is not set (the GUI is not built)"
BULK_BYTES=${BULK_BYTES:-200000000}
interop_setup

interop_start_gui_driver --listen 80:http --listen 9000:sink --tick-ms 10 ${GUI_DRIVER_ARGS:-}

# 1. curl: the page, and its size as curl counted it (headers + body).
sizes=$(in_ns curl -sS --max-time 10 -o "$WORK/page" -w '%{size_header} %{size_download}' "http://$ENGINE_IP4/gui") ||
    interop_fail "curl failed"
grep -q "Hello from TCP Lab" "$WORK/page" || interop_fail "unexpected page: $(head -c 200 "$WORK/page")"
read -r header_bytes body_bytes <<<"$sizes"
echo "ok: curl got $header_bytes header + $body_bytes body bytes"

# 2. The bulk transfer into sink, with the GUI's probe timer counted from here.
BULK_PY='
import socket, sys, time
addr, total = sys.argv[1], int(sys.argv[2])
chunk = bytes(range(256)) * 4096
s = socket.create_connection((addr, 9000), timeout=60)
t0 = time.monotonic(); sent = 0
while sent < total:
    n = min(len(chunk), total - sent)
    s.sendall(chunk[:n]); sent += n
s.shutdown(socket.SHUT_WR)
assert s.recv(10) == b"", "sink did not close after our FIN"
dt = time.monotonic() - t0
s.close()
print(f"{total * 8 / dt / 1e6:.0f} {dt:.3f}")
'
interop_gui_command mark marked
gui_rate=$(in_ns timeout 90 "$PYTHON" -c "$BULK_PY" "$ENGINE_IP4" "$BULK_BYTES") || interop_fail "bulk transfer to the GUI's sink failed"
interop_gui_command report report
sleep 0.3  # let the FIN/ACK exchange land in the store, then take the final report
interop_gui_command report report
# The first report closes the transfer's tick count; the last one has the settled sessions.
grep '^report' "$DRIVER_OUT" | tail -n2 | head -n1 | sed 's/^report //' >"$WORK/during.json"
grep '^report' "$DRIVER_OUT" | tail -n1 | sed 's/^report //' >"$WORK/report.json"

"$PYTHON" - "$WORK/report.json" "$WORK/during.json" "$ENGINE_IP4" "$BULK_BYTES" "$header_bytes" "$body_bytes" <<'PY' || interop_fail "GUI report checks failed"
import json, sys
r = json.load(open(sys.argv[1]))
during = json.load(open(sys.argv[2]))
engine, bulk, header, body = sys.argv[3], int(sys.argv[4]), int(sys.argv[5]), int(sys.argv[6])
def session(port):
    for s in r["sessions"]:
        if s["right"] == f"{engine}:{port}" or s["left"] == f"{engine}:{port}":
            return s
    raise SystemExit(f"no session with {engine}:{port} in the GUI: {[(s['left'], s['right']) for s in r['sessions']]}")
http, sink = session(80), session(9000)
# The kernel opened both: it is on the left (first packet), the engine on the right.
assert http["right"] == f"{engine}:80", http
assert http["right_span"] == header + body, f"http: the engine sent {http['right_span']} bytes, curl got {header + body}"
assert http["left_span"] > 0, http
print(f"ok: http session in the GUI: request {http['left_span']} bytes, response {http['right_span']} bytes (= curl's)")
assert sink["left_span"] == bulk, f"sink: the GUI saw {sink['left_span']} bytes from the kernel, expected {bulk}"
assert sink["left_payload"] >= bulk, sink
print(f"ok: sink session in the GUI: {sink['left_span']} bytes in sequence space, {sink['left_payload']} payload bytes "
      f"captured (retransmissions included), {sink['packets']} packets")
nominal = during["elapsed_ns"] / (during["tick_ms"] * 1e6)
d = during
print(f"figure: GUI probe timer delivered {d['ticks']} ticks of {nominal:.0f} nominal during the transfer "
      f"({100 * d['ticks'] / nominal:.0f}%), {d['drains']} bridge drains, "
      f"{d['batch_ns'] / 1e6 / max(1, d['drains']):.2f} ms per batch in models and views")
print(f"figure: event-queue drops {r['dropped_events']}, frames in the store {r['frames']}")
assert d["ticks"] >= nominal / 5, f"the GUI event loop delivered {d['ticks']} of {nominal:.0f} nominal probe ticks"
print("ok: the GUI event loop kept turning (at least a fifth of the nominal ticks; a blocked GUI thread delivers none)")
PY
interop_stop_gui_driver

# 3. The tap dialog's snap length and capture memory: frames stored cut to 128 bytes, sessions still
# whole; a bound of 256 MiB of which 64 MiB were mapped before the tap was attached.
interop_start_gui_driver --listen 80:http --snaplen 128 --capture-memory 256M --capture-reserve 64M \
    --capture-spill-dir /dev/shm
sizes=$(in_ns curl -sS --max-time 10 -o "$WORK/page" -w '%{size_header} %{size_download}' "http://$ENGINE_IP4/gui") ||
    interop_fail "curl failed (snap length 128)"
read -r header_bytes body_bytes <<<"$sizes"
sleep 0.3
interop_gui_command report report
echo "${ANSWER#report }" >"$WORK/snap.json"
"$PYTHON" - "$WORK/snap.json" "$ENGINE_IP4" "$header_bytes" "$body_bytes" <<'PY' || interop_fail "snap length checks failed"
import json, sys
r = json.load(open(sys.argv[1]))
engine, header, body = sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
assert r["largest_stored"] <= 128, f"a frame of {r['largest_stored']} bytes was stored with a snap length of 128"
assert r["largest_on_wire"] > 128, f"no frame over 128 bytes crossed the tap: {r['largest_on_wire']}"
http = [s for s in r["sessions"] if s["right"] == f"{engine}:80"]
assert http and http[0]["right_span"] == header + body, f"http with snap length: {http}, curl got {header + body}"
assert r["memory_limit"] == 256 << 20, f"capture memory bound {r['memory_limit']}, asked for 256M"
assert r["reserve_asked"] == 64 << 20 and r["reserve_prepared"] == 64 << 20, \
    f"capture reserve: {r['reserve_prepared']} of {r['reserve_asked']} bytes prepared, 64M asked for"
assert 0 < r["memory_bytes"] <= 64 << 20, f"the store took {r['memory_bytes']} bytes for a page, beyond its reserve"
print(f"ok: capture memory 256M with a reserve of 64M, prepared before attaching; the store uses "
      f"{r['memory_bytes'] >> 20} MiB of it")
assert "spills to /dev/shm, which is in memory (tmpfs)" in r["status_message"], \
    f"status bar after attaching with a spill directory on tmpfs: {r['status_message']!r}"
print(f"ok: spill directory /dev/shm: the status bar says {r['status_message']!r}")
print(f"ok: snap length 128: frames stored cut (largest {r['largest_stored']} of {r['largest_on_wire']} bytes), "
      f"the http session still {http[0]['right_span']} bytes (= curl's)")
PY
interop_stop_gui_driver

# 4. A capture memory of 1 MiB: the page and 8 MB into sink spill to the unlinked file in $WORK; the
# sessions are whole all the same, the status bar shows what went where, the log panel warned once.
SPILL_BYTES=8000000
interop_start_gui_driver --listen 80:http --listen 9000:sink --capture-memory 1M --capture-spill-dir "$WORK"
sizes=$(in_ns curl -sS --max-time 10 -o "$WORK/page" -w '%{size_header} %{size_download}' "http://$ENGINE_IP4/gui") ||
    interop_fail "curl failed (capture memory 1M)"
read -r header_bytes body_bytes <<<"$sizes"
in_ns timeout 60 "$PYTHON" -c "$BULK_PY" "$ENGINE_IP4" "$SPILL_BYTES" >/dev/null ||
    interop_fail "bulk transfer to the GUI's sink failed (capture memory 1M)"
sleep 0.3
interop_gui_command report report
echo "${ANSWER#report }" >"$WORK/spill.json"
"$PYTHON" - "$WORK/spill.json" "$ENGINE_IP4" "$header_bytes" "$body_bytes" "$SPILL_BYTES" "$WORK" <<'PY' || interop_fail "spill checks failed"
import json, os, re, sys
r = json.load(open(sys.argv[1]))
engine, header, body, bulk, work = sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5]), sys.argv[6]
assert r["memory_limit"] == 1 << 20, f"capture memory bound {r['memory_limit']}, asked for 1M"
assert r["memory_bytes"] <= 1 << 20, f"the store holds {r['memory_bytes']} bytes of RAM over its 1 MiB bound"
assert r["spilled_bytes"] >= bulk, f"only {r['spilled_bytes']} bytes went to the spill file for a {bulk}-byte transfer"
m = re.fullmatch(r"capture (\d+) MiB \+ (\d+) MiB in " + re.escape(work), r["capture_status"])
assert m, f"status bar: {r['capture_status']!r}, expected the spill shown"
assert int(m.group(2)) == r["spilled_bytes"] >> 20, (m.group(2), r["spilled_bytes"])
assert len(r["store_warnings"]) == 1 and "memory bound" in r["store_warnings"][0] and work in r["store_warnings"][0], \
    f"log panel, store warnings: {r['store_warnings']}"
by_port = {s["right"]: s for s in r["sessions"]}
http, sink = by_port.get(f"{engine}:80"), by_port.get(f"{engine}:9000")
assert http and http["right_span"] == header + body, f"http with a spilling capture: {http}, curl got {header + body}"
assert sink and sink["left_span"] == bulk, f"sink with a spilling capture: {sink}, {bulk} bytes sent"
print(f"ok: capture memory 1M: {r['memory_bytes'] >> 10} KiB in RAM, {r['spilled_bytes'] >> 20} MiB in the spill file, "
      f"status bar {r['capture_status']!r}, one warning in the log panel: {r['store_warnings'][0]!r}")
print(f"ok: nothing lost: http {http['right_span']} bytes (= curl's), sink {sink['left_span']} bytes of {bulk}")
assert not [f for f in os.listdir(work) if f.startswith("tcplab-store-")], "a spill file was left behind"
PY
interop_stop_gui_driver

# 5. "When the memory is full: Stop recording", 8 MiB: the capture stops, the lab does not.
interop_start_gui_driver --listen 9000:sink --capture-memory 8M --capture-when-full stop
in_ns timeout 60 "$PYTHON" -c "$BULK_PY" "$ENGINE_IP4" "$SPILL_BYTES" >/dev/null ||
    interop_fail "bulk transfer to the GUI's sink failed (capture stopped at 8M)"
sleep 0.3
interop_gui_command report report
echo "${ANSWER#report }" >"$WORK/stop.json"
"$PYTHON" - "$WORK/stop.json" <<'PY' || interop_fail "stop-when-full checks failed"
import json, sys
r = json.load(open(sys.argv[1]))
assert r["memory_limit"] == 8 << 20 and r["memory_bytes"] <= 8 << 20, (r["memory_limit"], r["memory_bytes"])
assert r["spilled_bytes"] == 0, f"{r['spilled_bytes']} bytes spilled with Stop recording"
assert r["not_recorded"] > 0 and r["frames"] > 0, (r["frames"], r["not_recorded"])
assert len(r["store_warnings"]) == 1 and "recording stopped" in r["store_warnings"][0], r["store_warnings"]
print(f"ok: stop when full at 8M: {r['frames']} frames kept, {r['not_recorded']} counted and not kept, "
      f"nothing spilled, one warning: {r['store_warnings'][0]!r}; the 8 MB transfer completed")
PY
interop_stop_gui_driver

# 6. The same transfer to tcplab-cli alone, on the same tap, for the comparison figure.
interop_start_engine --listen 9000:sink
cli_rate=$(in_ns timeout 90 "$PYTHON" -c "$BULK_PY" "$ENGINE_IP4" "$BULK_BYTES") || interop_fail "bulk transfer to tcplab-cli's sink failed"
interop_stop_engine
read -r gui_mbps gui_s <<<"$gui_rate"
read -r cli_mbps cli_s <<<"$cli_rate"
echo "figure: $BULK_BYTES bytes kernel -> sink: GUI-attached engine ${gui_mbps} Mbit/s (${gui_s} s), tcplab-cli alone ${cli_mbps} Mbit/s (${cli_s} s), ratio $("$PYTHON" -c "print(f'{$gui_mbps / $cli_mbps:.2f}')")"
echo "PASS"

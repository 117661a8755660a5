#!/usr/bin/env bash
# End to end through pkexec: the GUI's HelperClient (tests/gui/e2e_setup_driver, offscreen), run as a
# throwaway unprivileged user, builds the tap + bridge layout through the real pkexec and polkitd and
# tears it down again; a user the temporary polkit rule does not cover is refused.
#
# The test brings what is missing and removes all of it on the way out, also on failure: a system
# D-Bus and polkitd (only when none runs), the helper and its policy under /usr (only when the tcplab
# package is not installed), a polkit rules file, the user, and a network namespace for the devices.
#
# usage: test_pkexec_e2e.sh HELPER POLICY DRIVER
set -u
helper_build=$1 policy_src=$2 driver=$3
skip() { echo "SKIP: $*"; exit 77; }
[ "$(id -u)" -eq 0 ] || skip "needs root (users, polkit rules, a system D-Bus)"
for tool in pkexec dbus-daemon dbus-send useradd userdel setpriv ip python3; do
  command -v "$tool" >/dev/null || skip "'$tool' is not installed"
done
[ -u "$(command -v pkexec)" ] || skip "pkexec is not setuid root"
polkitd=/usr/lib/polkit-1/polkitd
[ -x "$polkitd" ] || skip "polkitd is not installed (Debian package polkitd)"
installed_helper=/usr/libexec/tcplab/tcplab-netsetup
policy=/usr/share/polkit-1/actions/org.tcplab.netsetup.policy
if dpkg-query -W -f='${Status}' tcplab 2>/dev/null | grep -q "ok installed"; then
  own_files=0
elif [ -e "$installed_helper" ] || [ -e "$policy" ]; then
  skip "$installed_helper or $policy exists but does not belong to an installed tcplab package"
else
  own_files=1
fi

user=tcplab-e2e-$$
ns=tle2e$$
rules=/etc/polkit-1/rules.d/00-tcplab-e2e-$$.rules
dbus_pid= polkit_pid=
cleanup() {
  ip netns del "$ns" 2>/dev/null
  rm -f "$rules"
  userdel "$user" 2>/dev/null
  if [ "$own_files" = 1 ]; then rm -f "$installed_helper" "$policy"; rmdir /usr/libexec/tcplab 2>/dev/null; fi
  [ -n "$polkit_pid" ] && kill "$polkit_pid" 2>/dev/null && wait "$polkit_pid" 2>/dev/null
  if [ -n "$dbus_pid" ]; then
    kill "$dbus_pid" 2>/dev/null
    for _ in 1 2 3 4 5 6 7 8 9 10; do kill -0 "$dbus_pid" 2>/dev/null || break; sleep 0.2; done
    rm -f /run/dbus/pid /run/dbus/system_bus_socket
  fi
}
trap cleanup EXIT
trap 'exit 1' INT TERM

failures=0
check() { local what=$1; shift; if "$@"; then echo "ok   $what"; else echo "FAIL $what"; failures=$((failures + 1)); fi; }

# A system bus and polkitd: the machine's when they run, our own otherwise.
if ! python3 -c 'import socket; s = socket.socket(socket.AF_UNIX); s.connect("/run/dbus/system_bus_socket")' 2>/dev/null; then
  rm -f /run/dbus/pid /run/dbus/system_bus_socket
  mkdir -p /run/dbus
  dbus_pid=$(dbus-daemon --system --fork --print-pid) || skip "cannot start a system D-Bus"
  echo "started a system D-Bus (pid $dbus_pid)"
fi
if ! pgrep -x polkitd >/dev/null || [ -n "$dbus_pid" ]; then
  "$polkitd" --no-debug >/dev/null 2>&1 &
  polkit_pid=$!
  echo "started polkitd (pid $polkit_pid)"
fi
if [ "$own_files" = 1 ]; then
  install -D -m 0755 "$helper_build" "$installed_helper"
  install -D -m 0644 "$policy_src" "$policy"
fi
useradd --system --no-create-home --shell /usr/sbin/nologin "$user" || skip "cannot create a user"
uid=$(id -u "$user")
cat >"$rules" <<RULES
// Temporary rule of test_pkexec_e2e.sh: only the throwaway user, only the helper's actions.
polkit.addRule(function(action, subject) {
    if (action.id.indexOf("org.tcplab.netsetup.") == 0 && subject.user == "$user")
        return polkit.Result.YES;
});
RULES
ip netns add "$ns"
for _ in $(seq 1 50); do # polkitd is up once it answers on the bus
  dbus-send --system --print-reply --dest=org.freedesktop.PolicyKit1 /org/freedesktop/PolicyKit1/Authority \
    org.freedesktop.DBus.Peer.Ping >/dev/null 2>&1 && break
  sleep 0.2
done
sleep 1 # polkitd reads new rules files asynchronously

as_user() { # as_user UID CMD...: in the namespace, unprivileged, with an empty environment
  local u=$1; shift
  ip netns exec "$ns" setpriv --reuid="$u" --regid="$u" --clear-groups \
    env -i PATH=/usr/bin:/bin QT_QPA_PLATFORM=offscreen HOME=/nonexistent "$@"
}
# One field of `ip -j -d link show dev NAME`, by a Python expression over the link object d.
link_field() { ip -n "$ns" -j -d link show dev "$1" 2>/dev/null |
  python3 -c 'import json,sys; d=json.load(sys.stdin)[0]; print(eval(sys.argv[1]))' "$2" 2>/dev/null; }

echo "== apply through pkexec as $user (uid $uid)"
as_user "$uid" "$driver" | tee /tmp/e2e-apply.$$
check "driver applied every step" grep -q '^step 7 ok' /tmp/e2e-apply.$$
owner=$(link_field tap7 'd["linkinfo"]["info_data"]["user"]')
check "tap7 exists, owned by $user (PKEXEC_UID), not root ($owner)" test "$owner" = "$user"
check "tap7 is persistent" test "$(link_field tap7 'd["linkinfo"]["info_data"]["persist"]')" = True
check "tap7 is in br3" test "$(link_field tap7 'd.get("master")')" = br3
check "br3 is up" test "$(link_field br3 '"UP" in d["flags"]')" = True
check "br3 holds 198.18.0.101/24" sh -c "ip -n $ns -j addr show dev br3 | grep -q '\"local\":\"198.18.0.101\",\"prefixlen\":24'"
check "status seen by the client lists tap7 and br3" \
  sh -c "grep '^status:' /tmp/e2e-apply.$$ | grep -q '\"name\":\"tap7\"' && grep '^status:' /tmp/e2e-apply.$$ | grep -q '\"name\":\"br3\"'"

echo "== a user without the rule is refused"
before=$(ip -n "$ns" -j link show)
out=$(as_user 65534 pkexec "$installed_helper" delete-bridge br3 2>&1); code=$?
echo "$out"
check "pkexec refuses nobody (exit $code)" test "$code" -eq 127
check "nothing changed" test "$before" = "$(ip -n "$ns" -j link show)"

echo "== tear down through pkexec"
as_user "$uid" "$driver" --teardown | tee /tmp/e2e-teardown.$$
check "driver tore down both interfaces" grep -q '^step 2 ok' /tmp/e2e-teardown.$$
check "tap7 and br3 are gone" sh -c "! ip -n $ns link show dev tap7 2>/dev/null && ! ip -n $ns link show dev br3 2>/dev/null"
rm -f /tmp/e2e-apply.$$ /tmp/e2e-teardown.$$
[ "$failures" -eq 0 ] && echo "all end-to-end checks passed" || echo "$failures end-to-end check(s) failed"
exit $((failures > 0))

#!/bin/bash
# An unprivileged user attaches tcplab-cli to a persistent tap it owns (what tcplab-netsetup
# prepares), and is refused, with advice, a tap owned by someone else. (A tap with no owner and no
# group is open to anyone who can open /dev/net/tun: that is the kernel's rule, not ours.) /dev/net/tun is root-only on
# these machines, so the user gets a world-accessible node in a private mount namespace.
source "$(dirname "$0")/lib.sh"
interop_require ping unshare setpriv mknod
interop_setup

USER_ID=65534  # nobody
OWNED_TAP="${TAP}u"
ROOTS_TAP="${TAP}r"
in_ns ip tuntap add dev "$OWNED_TAP" mode tap user "$USER_ID" || interop_fail "cannot create $OWNED_TAP"
in_ns ip tuntap add dev "$ROOTS_TAP" mode tap user 0 || interop_fail "cannot create $ROOTS_TAP"
in_ns ip link set "$TAP" down
in_ns ip addr flush dev "$TAP"
in_ns ip link set "$OWNED_TAP" up
in_ns ip addr add "$KERNEL_IP4/$PREFIX4" dev "$OWNED_TAP"

# A copy the user may execute.
chmod 755 "$WORK"
cp "$TCPLAB_CLI" "$WORK/tcplab-cli"
chmod 755 "$WORK/tcplab-cli"

as_user() {
    in_ns unshare -m --propagation private sh -c \
        'mount -t tmpfs tmpfs /dev/net && mknod -m 666 /dev/net/tun c 10 200 && exec setpriv --reuid='"$USER_ID"' --regid='"$USER_ID"' --clear-groups "$@"' \
        sh "$@"
}

# Not the user's tap: refused with errno and what to do, one line, non-zero.
as_user "$WORK/tcplab-cli" --tap "$ROOTS_TAP" --duration 1 --ip4 "$ENGINE_IP4/$PREFIX4" >"$WORK/refused.out" 2>"$WORK/refused.err"
rc=$?
cat "$WORK/refused.err"
[ "$rc" -ne 0 ] || interop_fail "attaching to a tap owned by root succeeded for an unprivileged user"
[ "$(wc -l <"$WORK/refused.err")" = 1 ] || interop_fail "expected exactly one error line"
grep -q "cannot attach to tap \"$ROOTS_TAP\": Operation not permitted (create it with: tcplab-netsetup create-tap $ROOTS_TAP" \
    "$WORK/refused.err" || interop_fail "error does not name the tap, errno and advice"

# The user's own tap: attached, answers ping, exits 0 at the end of --duration.
as_user "$WORK/tcplab-cli" --tap "$OWNED_TAP" --ip4 "$ENGINE_IP4/$PREFIX4" --duration 4 >"$ENGINE_OUT" 2>"$ENGINE_ERR" &
pid=$!
for _ in $(seq 50); do grep -q '^ready' "$ENGINE_OUT" && break; sleep 0.1; done
grep -q '^ready' "$ENGINE_OUT" || interop_fail "unprivileged tcplab-cli not ready: $(cat "$ENGINE_ERR")"
in_ns ping -c2 -W2 -i0.2 "$ENGINE_IP4" || interop_fail "no ping answer from the unprivileged engine"
wait "$pid" || interop_fail "unprivileged tcplab-cli exited with $?"
grep -q '^stats ' "$ENGINE_OUT" || interop_fail "no stats line"
echo "PASS"

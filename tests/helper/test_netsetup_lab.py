#!/usr/bin/env python3
"""The classic layout built by tcplab-netsetup: tap7 in bridge br3, host address 198.18.0.101/24 on
br3. An unprivileged user that owns tap7 attaches to it (with a world-accessible /dev/net/tun in a
private mount namespace, as TESTING.md describes) and the kernel's ping through the bridge is
answered. A user that does not own the tap is refused by the kernel. When tcplab-cli is built, the same
is done with it.

usage: test_netsetup_lab.py PATH-TO-tcplab-netsetup [PATH-TO-tcplab-cli]"""
import os
import subprocess
import sys
import tempfile

from netns_fixture import Checks, Helper, Namespace, require_root_and_tools

HERE = os.path.dirname(os.path.abspath(__file__))
OWNER = 65534            # nobody: exists on every Debian system
STRANGER = 61234         # a uid that does not own the tap
ENGINE_IP, ENGINE_MAC = "198.18.0.100", "02:00:00:00:00:64"


def as_user_with_tun(ns, uid, *cmd):
    """argv running cmd as uid in the namespace, with its own world-accessible /dev/net/tun node."""
    inner = ("mount -t tmpfs tmpfs /dev/net && mknod -m 666 /dev/net/tun c 10 200 && "
             f"exec setpriv --reuid={uid} --regid={uid} --clear-groups \"$@\"")
    return ns.argv("unshare", "-m", "--propagation", "private", "sh", "-c", inner, "sh", *cmd)


def check_cli(t, ns, cli):
    """tcplab-cli, run as the tap's owner without privileges, answers the kernel's ping through br3."""
    argv = as_user_with_tun(ns, OWNER, cli, "--tap", "tap7", "--ip4", "198.18.0.100/24", "--mac", ENGINE_MAC,
                            "--duration", "30")
    # The contract: the first line on stdout is "ready ..." (stderr carries status such as offloads and
    # errors; it goes to a file so a chatty stderr can never block the process, and is shown on failure).
    with tempfile.TemporaryFile(mode="w+") as err:
        proc = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=err, text=True)
        try:
            check_ready_and_ping(t, ns, proc, err)
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


def check_ready_and_ping(t, ns, proc, err):
    first = proc.stdout.readline().strip()
    if not first.startswith("ready"):
        proc.terminate()
        proc.wait(timeout=10)
        err.seek(0)
        first = first or err.read().strip()
    t.check(first.startswith("ready"), f"tcplab-cli attaches to tap7 as uid {OWNER}: {first}")
    if not first.startswith("ready"):
        return
    ping = subprocess.run(ns.argv("ping", "-c", "3", "-i", "0.2", "-W", "2", ENGINE_IP),
                          capture_output=True, text=True, timeout=30)
    t.check(ping.returncode == 0 and " 0% packet loss" in ping.stdout,
            "tcplab-cli answers the kernel's ping through br3: "
            + (ping.stdout.strip().splitlines() or ["no output"])[-2])


def main():
    require_root_and_tools("ping", "unshare", "setpriv")
    helper_path = os.path.abspath(sys.argv[1])
    t = Checks()
    with Namespace("tllab") as ns:
        h = Helper(helper_path, ns)
        for step in (["create-tap", "tap7", "--owner", str(OWNER)], ["create-bridge", "br3"],
                     ["attach", "tap7", "br3"], ["address", "add", "br3", "198.18.0.101/24"],
                     ["up", "tap7"], ["up", "br3"]):
            h.ok(*step)
        t.check(ns.link("tap7").get("master") == "br3", "layout: tap7 is in br3")

        responder = [sys.executable, os.path.join(HERE, "tap_echo_responder.py"), "tap7", ENGINE_IP, ENGINE_MAC]
        stranger = subprocess.run(as_user_with_tun(ns, STRANGER, *responder), input="", capture_output=True,
                                  text=True, timeout=30)
        t.check(stranger.returncode != 0 and "Operation not permitted" in stranger.stdout,
                f"uid {STRANGER} (not the owner) cannot attach: {stranger.stdout.strip()}")

        proc = subprocess.Popen(as_user_with_tun(ns, OWNER, *responder), stdin=subprocess.PIPE,
                                stdout=subprocess.PIPE, text=True)
        try:
            first = proc.stdout.readline().strip()
            t.check(first == "attached", f"uid {OWNER} (the owner) attaches to tap7 without privileges ({first})")
            ping = subprocess.run(ns.argv("ping", "-c", "3", "-i", "0.2", "-W", "2", ENGINE_IP),
                                  capture_output=True, text=True, timeout=30)
            t.check(ping.returncode == 0 and " 0% packet loss" in ping.stdout,
                    "kernel ping 198.18.0.101 -> 198.18.0.100 through br3 and tap7 is answered: "
                    + (ping.stdout.strip().splitlines() or ["no output"])[-2])
        finally:
            proc.stdin.close()
            out = proc.stdout.read()
            proc.wait(timeout=10)
        t.check("answered 3 echo requests" in out, f"the owner's program answered the echoes ({out.strip()})")

        if len(sys.argv) > 2:
            check_cli(t, ns, os.path.abspath(sys.argv[2]))
        else:
            print("note: tcplab-cli is not built; only the stand-in responder was attached")

        for step in (["delete-bridge", "br3"], ["delete-tap", "tap7"]):
            h.ok(*step)
        t.check(ns.link("tap7") is None and ns.link("br3") is None, "teardown removed tap7 and br3")
    t.finish()


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Hostile and malformed invocations of tcplab-netsetup: every one must exit non-zero, say why (the
expected reason is checked, not just "some error"), and leave links, addresses and routes exactly as
they were (`ip -j` before and after each call).

Runs as root inside a namespace this test creates, holding interfaces the helper did not make
(a veth pair `eth0`/`dum0`, a bridge `brx` and a tap `tapx` made with `ip`, and `lo`) next to ones it did (`tapm`,
`brm`).

usage: test_netsetup_hostile.py PATH-TO-tcplab-netsetup"""
import os
import pwd
import sys

from netns_fixture import Checks, Helper, Namespace, require_root_and_tools


def uid_without_account():
    for uid in range(54321, 64000):
        try:
            pwd.getpwuid(uid)
        except KeyError:
            return str(uid)
    raise RuntimeError("no free uid found")


def cases():
    """(arguments, extra environment, substring the reason must contain)."""
    nouid = uid_without_account()
    ct = "create-tap"
    return [
        # unknown verbs, missing and extra arguments
        ([], None, "no verb"),
        (["bogus"], None, "unknown verb"),
        (["CREATE-TAP", "t1"], None, "unknown verb"),
        (["--owner", "0"], None, "unknown verb"),
        ([ct], None, "missing arguments"),
        ([ct, "t1", "--owner"], None, "missing arguments"),
        (["delete-tap", "tapm", "extra"], None, "extra arguments"),
        (["attach", "tapm"], None, "missing arguments"),
        (["status", "extra"], None, "extra arguments"),
        (["up"] + ["brm"] * 9, None, "too many arguments"),
        (["address", "add", "brm", "198.18.0.9/24", "extra"], None, "extra arguments"),
        # names: shell metacharacters, kernel-forbidden characters, length, reserved
        ([ct, "t1;reboot"], None, "not allowed"),
        ([ct, "$(id)"], None, "not allowed"),
        ([ct, "`id`"], None, "not allowed"),
        ([ct, "t|x"], None, "not allowed"),
        ([ct, "t&x"], None, "not allowed"),
        ([ct, "t>x"], None, "not allowed"),
        ([ct, "t*"], None, "not allowed"),
        ([ct, "t%d"], None, "not allowed"),
        ([ct, "t1 x"], None, "whitespace"),
        ([ct, "t1\tx"], None, "whitespace"),
        ([ct, "tap7\n"], None, "whitespace"),
        ([ct, "a/b"], None, "kernel forbids"),
        ([ct, "a:b"], None, "kernel forbids"),
        ([ct, "abcdefghijklmnop"], None, "16 bytes"),
        ([ct, ""], None, "empty"),
        ([ct, "."], None, "reserved"),
        ([ct, ".."], None, "reserved"),
        ([ct, "-x"], None, "must start"),
        ([ct, "t\x01"], None, "not allowed"),
        ([ct, "t\u00e4"], None, "not allowed"),
        # interfaces the helper did not create
        ([ct, "lo"], None, "not created by tcplab-netsetup"),
        ([ct, "eth0"], None, "not created by tcplab-netsetup"),
        ([ct, "dum0"], None, "not created by tcplab-netsetup"),
        ([ct, "tapm"], None, "already exists"),
        (["create-bridge", "eth0"], None, "not created by tcplab-netsetup"),
        (["delete-tap", "lo"], None, "not created by tcplab-netsetup"),
        (["delete-tap", "eth0"], None, "not created by tcplab-netsetup"),
        (["delete-tap", "tapx"], None, "not created by tcplab-netsetup"),
        (["delete-tap", "brm"], None, "is not a tap"),
        (["delete-bridge", "tapm"], None, "is not a bridge"),
        (["delete-bridge", "dum0"], None, "not created by tcplab-netsetup"),
        (["delete-bridge", "brx"], None, "not created by tcplab-netsetup"),
        (["delete-bridge", "nosuch"], None, "does not exist"),
        (["attach", "tapm", "brx"], None, "not created by tcplab-netsetup"),
        (["attach", "dum0", "brm"], None, "not created by tcplab-netsetup"),
        (["attach", "tapx", "brm"], None, "not created by tcplab-netsetup"),
        (["attach", "tapm", "dum0"], None, "not created by tcplab-netsetup"),
        (["attach", "tapm", "tapm"], None, "itself"),
        (["attach", "brm", "tapm"], None, "is not a tap"),
        (["up", "lo"], None, "not created by tcplab-netsetup"),
        (["down", "eth0"], None, "not created by tcplab-netsetup"),
        (["mtu", "dum0", "1400"], None, "not created by tcplab-netsetup"),
        (["address", "add", "lo", "198.18.0.9/24"], None, "not created by tcplab-netsetup"),
        (["address", "del", "eth0", "198.18.0.9/24"], None, "not created by tcplab-netsetup"),
        (["route", "add", "198.18.9.0/24", "dev", "lo"], None, "not created by tcplab-netsetup"),
        # owners: negative, out of range, malformed, foreign, --owner under pkexec
        ([ct, "t1", "--owner", "-1"], None, "not a user id"),
        ([ct, "t1", "--owner", "+5"], None, "not a user id"),
        ([ct, "t1", "--owner", "0x10"], None, "not a user id"),
        ([ct, "t1", "--owner", "012"], None, "not a user id"),
        ([ct, "t1", "--owner", "4294967295"], None, "out of range"),
        ([ct, "t1", "--owner", "99999999999"], None, "not a user id"),
        ([ct, "t1", "--owner", nouid], None, "has no account"),
        ([ct, "t1", "--group", "0"], None, "unexpected argument"),
        ([ct, "t1", "--owner", "0"], {"PKEXEC_UID": "65534"}, "refused when run through pkexec"),
        ([ct, "t1"], {"PKEXEC_UID": "-5"}, "PKEXEC_UID"),
        ([ct, "t1"], {"PKEXEC_UID": nouid}, "has no account"),
        # addresses: syntax, prefixes, non-unicast
        (["address", "add", "brm", "198.18.0.9"], None, "ADDRESS/PREFIX-LENGTH"),
        (["address", "add", "brm", "198.18.0.9/24/1"], None, "ADDRESS/PREFIX-LENGTH"),
        (["address", "add", "brm", "198.18.0.9/33"], None, "prefix length"),
        (["address", "add", "brm", "198.18.0.9/-1"], None, "prefix length"),
        (["address", "add", "brm", "198.18.0.9/024"], None, "prefix length"),
        (["address", "add", "brm", "198.18.0.9/4"], None, "prefix length"),
        (["address", "add", "brm", "198.18.0.9/"], None, "prefix length"),
        (["address", "add", "brm", "2001:db8::9/129"], None, "prefix length"),
        (["address", "add", "brm", "198.018.0.9/24"], None, "not an IPv4 address"),
        (["address", "add", "brm", "198.18.0/24"], None, "not an IPv4 address"),
        (["address", "add", "brm", "2001:db8::9%eth0/64"], None, "not an IPv6 address"),
        (["address", "add", "brm", "224.0.0.5/24"], None, "multicast"),
        (["address", "add", "brm", "255.255.255.255/32"], None, "broadcast"),
        (["address", "add", "brm", "0.0.0.0/8"], None, "this network"),
        (["address", "add", "brm", "127.0.0.2/8"], None, "loopback"),
        (["address", "add", "brm", "198.18.0.255/24"], None, "broadcast address of its subnet"),
        (["address", "add", "brm", "198.18.0.0/24"], None, "network address"),
        (["address", "add", "brm", "ff02::1/64"], None, "multicast"),
        (["address", "add", "brm", "::1/128"], None, "loopback"),
        (["address", "add", "brm", "::/64"], None, "unspecified"),
        (["address", "add", "brm", "::ffff:198.18.0.9/96"], None, "IPv4-mapped"),
        (["address", "add", "brm", "2001:db8::/64"], None, "anycast"),
        (["address", "flush", "brm", "198.18.0.9/24"], None, "neither"),
        (["address", "add", "brm", "198.18.0.1/24"], None, "already on"),
        # routes
        (["route", "add", "0.0.0.0/0", "dev", "brm"], None, "prefix length"),
        (["route", "add", "::/0", "dev", "brm"], None, "prefix length"),
        (["route", "add", "198.18.9.1/24", "dev", "brm"], None, "bits set"),
        (["route", "add", "239.1.0.0/16", "dev", "brm"], None, "multicast"),
        (["route", "add", "127.0.0.0/8", "dev", "brm"], None, "loopback"),
        (["route", "add", "fe80::/64", "dev", "brm"], None, "link-local"),
        (["route", "add", "198.18.9.0/24", "via", "brm"], None, "expected \"dev\""),
        (["route", "del", "198.18.0.0/24", "dev", "brm"], None, "does not exist"),
        # mtu
        (["mtu", "brm", "67"], None, "not a number from 68"),
        (["mtu", "brm", "65536"], None, "not a number from 68"),
        (["mtu", "brm", "-1500"], None, "not a number from 68"),
        (["mtu", "brm", "1500x"], None, "not a number from 68"),
        (["mtu", "brm", ""], None, "not a number from 68"),
        # very long arguments
        ([ct, "a" * 5000], None, "bytes long; at most 64"),
        (["address", "add", "brm", "1" * 100000], None, "bytes long; at most 64"),
        (["x" * 100000], None, "bytes long; at most 64"),
    ]


def main():
    require_root_and_tools()
    helper_path = os.path.abspath(sys.argv[1])
    t = Checks()
    with Namespace("tlhostile") as ns:
        h = Helper(helper_path, ns)
        # The dummy driver is not always loadable; a veth pair gives two plain interfaces anywhere.
        ns.sh("ip", "link", "add", "eth0", "type", "veth", "peer", "name", "dum0")
        ns.sh("ip", "link", "add", "brx", "type", "bridge")
        ns.sh("ip", "tuntap", "add", "tapx", "mode", "tap")
        h.ok("create-tap", "tapm", "--owner", "65534")
        h.ok("create-bridge", "brm")
        h.ok("address", "add", "brm", "198.18.0.1/24")
        before = ns.snapshot()
        table = cases()
        print(f"{len(table)} hostile invocations")
        for args, env, reason in table:
            full_env = {"PATH": "/usr/bin:/bin", **(env or {})}
            code, result, err = h.run(*args, env=full_env)
            shown = " ".join(repr(a) if len(a) < 40 else f"<{len(a)} bytes>" for a in args)
            message = (result or {}).get("error", "")
            t.check(code != 0 and result is not None and result.get("ok") is False and reason in message
                    and message in err, f"refused [{shown}]{' with ' + str(env) if env else ''}: {message}")
            after = ns.snapshot()
            if after != before:
                t.check(False, f"[{shown}] changed the namespace")
                before = after
        t.check(ns.snapshot() == before, "links, addresses and routes identical after the whole table")
        t.check({i["name"] for i in h.ok("status")["interfaces"]} == {"tapm", "brm"},
                "status still lists only tapm and brm")
    t.finish()


if __name__ == "__main__":
    main()

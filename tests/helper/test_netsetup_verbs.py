#!/usr/bin/env python3
"""Every verb of tcplab-netsetup, run as root inside a namespace this test creates, each result
confirmed by the kernel's own view (`ip -j link/addr/route`), not by the helper's word.

usage: test_netsetup_verbs.py PATH-TO-tcplab-netsetup"""
import os
import subprocess
import sys

from netns_fixture import Checks, Helper, Namespace, require_root_and_tools

# Attaches to the tap named in argv[1] and keeps it open until stdin closes.
HOLD_TAP = """
import fcntl, os, struct, sys
fd = os.open("/dev/net/tun", os.O_RDWR)
fcntl.ioctl(fd, 0x400454CA, struct.pack("16sH", sys.argv[1].encode(), 0x0002 | 0x1000))
print("attached", flush=True)
sys.stdin.read()
"""


def addresses(ns, dev):
    return {f"{a['local']}/{a['prefixlen']}" for i in ns.ipj("addr", "show", "dev", dev)
            for a in i.get("addr_info", [])}


def routes(ns, family, dev):
    return {r["dst"]: r for r in ns.ipj(family, "route", "show", "dev", dev)}


def main():
    require_root_and_tools()
    helper_path = os.path.abspath(sys.argv[1])
    t = Checks()
    with Namespace("tlverbs") as ns:
        h = Helper(helper_path, ns)
        t.check(h.ok("status")["interfaces"] == [], "status in a fresh namespace lists nothing")

        r = h.ok("create-tap", "tap7", "--owner", "65534")
        tap = ns.link("tap7")
        info = (tap or {}).get("linkinfo", {})
        t.check(tap is not None and info.get("info_kind") == "tun", "create-tap: tap7 exists as a tun device")
        t.check(info.get("info_data", {}).get("type") == "tap", "create-tap: it is a tap (not tun)")
        t.check(info.get("info_data", {}).get("persist") is True, "create-tap: it is persistent")
        t.check(info.get("info_data", {}).get("user") in ("nobody", 65534), "create-tap: owned by uid 65534")
        t.check(tap.get("ifalias") == "tcplab-managed", "create-tap: marked with alias tcplab-managed")
        t.check(r.get("owner") == 65534 and r.get("device") == "tap7", "create-tap: JSON names device, owner")

        h.ok("create-bridge", "br3")
        br = ns.link("br3")
        t.check(br is not None and br["linkinfo"]["info_kind"] == "bridge", "create-bridge: br3 is a bridge")
        t.check(br.get("ifalias") == "tcplab-managed", "create-bridge: marked with alias tcplab-managed")

        h.ok("attach", "tap7", "br3")
        t.check(ns.link("tap7").get("master") == "br3", "attach: tap7 is a port of br3")

        h.ok("up", "tap7")
        h.ok("up", "br3")
        t.check("UP" in ns.link("tap7")["flags"] and "UP" in ns.link("br3")["flags"], "up: both links UP")
        h.ok("down", "tap7")
        t.check("UP" not in ns.link("tap7")["flags"], "down: tap7 no longer UP")
        h.ok("up", "tap7")

        h.ok("mtu", "tap7", "1400")
        t.check(ns.link("tap7")["mtu"] == 1400, "mtu: tap7 mtu is 1400")

        h.ok("address", "add", "br3", "198.18.0.101/24")
        h.ok("address", "add", "br3", "2001:db8:0:3::1/64")
        h.ok("address", "add", "tap7", "198.18.7.1/30")
        got = addresses(ns, "br3")
        t.check({"198.18.0.101/24", "2001:db8:0:3::1/64"} <= got, f"address add: br3 has both ({got})")
        t.check("198.18.7.1/30" in addresses(ns, "tap7"), "address add: tap7 has 198.18.7.1/30")

        h.ok("route", "add", "198.18.9.0/24", "dev", "br3")
        h.ok("route", "add", "2001:db8:9::/48", "dev", "br3")
        r4 = routes(ns, "-4", "br3").get("198.18.9.0/24")
        r6 = routes(ns, "-6", "br3").get("2001:db8:9::/48")
        t.check(r4 is not None and r4.get("protocol") == "static", f"route add: 198.18.9.0/24 dev br3 ({r4})")
        t.check(r6 is not None and r6.get("protocol") == "static", f"route add: 2001:db8:9::/48 dev br3 ({r6})")

        st = {i["name"]: i for i in h.ok("status")["interfaces"]}
        t.check(set(st) == {"tap7", "br3"}, f"status lists exactly tap7 and br3 ({sorted(st)})")
        t.check(st.get("tap7", {}).get("kind") == "tap" and st["tap7"].get("owner") == 65534
                and st["tap7"].get("master") == "br3" and st["tap7"].get("mtu") == 1400,
                "status: tap7 kind, owner, master, mtu")
        t.check(st.get("br3", {}).get("kind") == "bridge" and st["br3"].get("up") is True
                and set(st["br3"].get("addresses", [])) >= {"198.18.0.101/24", "2001:db8:0:3::1/64"}
                and set(st["br3"].get("routes", [])) == {"198.18.9.0/24", "2001:db8:9::/48"},
                "status: br3 kind, up, addresses, routes")

        h.ok("route", "del", "198.18.9.0/24", "dev", "br3")
        h.ok("route", "del", "2001:db8:9::/48", "dev", "br3")
        t.check("198.18.9.0/24" not in routes(ns, "-4", "br3") and "2001:db8:9::/48" not in routes(ns, "-6", "br3"),
                "route del: both routes gone")
        h.ok("address", "del", "br3", "198.18.0.101/24")
        h.ok("address", "del", "br3", "2001:db8:0:3::1/64")
        got = addresses(ns, "br3")
        t.check(not ({"198.18.0.101/24", "2001:db8:0:3::1/64"} & got), f"address del: both gone ({got})")
        code, res, err = h.run("address", "del", "br3", "198.18.0.101/24")
        t.check(code != 0 and "is not on" in res.get("error", ""), "address del twice: refused, says not on br3")

        h.ok("delete-bridge", "br3")
        t.check(ns.link("br3") is None, "delete-bridge: br3 gone")
        t.check("master" not in ns.link("tap7"), "delete-bridge: tap7 released")
        h.ok("delete-tap", "tap7")
        t.check(ns.link("tap7") is None, "delete-tap: tap7 gone")

        # A tap still held open by a program is removed too (through rtnetlink), not left behind.
        h.ok("create-tap", "tap8")
        holder = subprocess.Popen(ns.argv(sys.executable, "-c", HOLD_TAP, "tap8"), stdin=subprocess.PIPE,
                                  stdout=subprocess.PIPE, text=True)
        try:
            t.check(holder.stdout.readline().strip() == "attached", "a program holds tap8 open")
            r = h.ok("delete-tap", "tap8")
            t.check(r.get("was_in_use") is True and ns.link("tap8") is None, "delete-tap of a tap in use: gone")
        finally:
            holder.stdin.close()
            holder.wait(timeout=10)
        t.check(h.ok("status")["interfaces"] == [], "status is empty again")
    t.finish()


if __name__ == "__main__":
    main()

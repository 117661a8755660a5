#!/usr/bin/env python3
"""The installer's files, checked by the tools distributions use, plus what those tools cannot know.

usage: test_installer_files.py SOURCE-DIR policy|desktop|metainfo|man
       test_installer_files.py SOURCE-DIR man-options TCPLAB TCPLAB-CLI TCPLAB-NETSETUP
  policy    xmllint --dtdvalid against polkit's DTD; one action per helper verb, each naming the
            helper's installed path and its verb (exec.argv1), auth_admin_keep, and implying the others
  desktop   desktop-file-validate; Exec and Icon match what the package installs
  metainfo  appstreamcli validate --no-net; the launchable is our .desktop file
  man       each page renders with man --warnings and no warning
  man-options  every option each program's --help lists (and every verb of the helper) is
            described in its man page, so that the pages keep up with the programs"""
import os
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET

SKIP = 77
HELPER_PATH = "/usr/libexec/tcplab/tcplab-netsetup"
HELPER_VERBS = {"create-tap", "delete-tap", "create-bridge", "delete-bridge", "attach", "address", "route",
                "up", "down", "mtu"}  # every verb that needs root ("status" does not)


def need(tool, package):
    if shutil.which(tool) is None:
        print(f"SKIP: {tool} is not installed (Debian package {package}; installer/dev installs it)")
        sys.exit(SKIP)


def run(argv):
    p = subprocess.run(argv, capture_output=True, text=True)
    print(f"$ {' '.join(argv)} -> {p.returncode}\n{p.stdout}{p.stderr}".rstrip())
    return p


def check_policy(src):
    need("xmllint", "libxml2-utils")
    dtd = "/usr/share/polkit-1/policyconfig-1.dtd"
    if not os.path.exists(dtd):
        print(f"SKIP: {dtd} is missing (Debian package polkitd)")
        sys.exit(SKIP)
    path = os.path.join(src, "installer/polkit/org.tcplab.netsetup.policy")
    errors = []
    if run(["xmllint", "--noout", "--dtdvalid", dtd, path]).returncode != 0:
        errors.append("xmllint --dtdvalid failed")
    actions = ET.parse(path).getroot().findall("action")
    ids = {a.get("id") for a in actions}
    verbs = set()
    for a in actions:
        notes = {n.get("key"): (n.text or "").strip() for n in a.findall("annotate")}
        defaults = {d.tag: d.text for d in a.find("defaults")}
        if notes.get("org.freedesktop.policykit.exec.path") != HELPER_PATH:
            errors.append(f"{a.get('id')}: exec.path is not {HELPER_PATH}")
        verbs.add(notes.get("org.freedesktop.policykit.exec.argv1"))
        if set(defaults.values()) != {"auth_admin_keep"}:
            errors.append(f"{a.get('id')}: defaults are {defaults}, not auth_admin_keep everywhere")
        implied = set(notes.get("org.freedesktop.policykit.imply", "").split())
        if implied != ids - {a.get("id")}:
            errors.append(f"{a.get('id')}: does not imply exactly the other actions")
        if not a.find("description").text or not a.find("message").text:
            errors.append(f"{a.get('id')}: empty description or message")
    if verbs != HELPER_VERBS:
        errors.append(f"actions cover verbs {sorted(v or '' for v in verbs)}, expected {sorted(HELPER_VERBS)}")
    return errors


def check_desktop(src):
    need("desktop-file-validate", "desktop-file-utils")
    path = os.path.join(src, "installer/desktop/org.tcplab.TcpLab.desktop")
    p = run(["desktop-file-validate", path])
    errors = [] if p.returncode == 0 and "error" not in (p.stdout + p.stderr).lower() else ["desktop-file-validate failed"]
    keys = dict(line.strip().split("=", 1) for line in open(path, encoding="utf-8") if "=" in line)
    if keys.get("Exec", "").split()[0] != "tcplab":
        errors.append("Exec does not start tcplab")
    if keys.get("Icon") != "tcplab" or not os.path.exists(os.path.join(src, "resources/icons/tcplab.svg")):
        errors.append("Icon is not tcplab, or resources/icons/tcplab.svg is missing")
    return errors


def check_metainfo(src):
    need("appstreamcli", "appstream")
    path = os.path.join(src, "installer/metainfo/org.tcplab.TcpLab.metainfo.xml")
    errors = [] if run(["appstreamcli", "validate", "--no-net", path]).returncode == 0 else ["appstreamcli validate failed"]
    launch = ET.parse(path).getroot().find("launchable")
    if launch is None or launch.text != "org.tcplab.TcpLab.desktop":
        errors.append("launchable is not org.tcplab.TcpLab.desktop")
    return errors


def check_man(src):
    need("man", "man-db")
    errors = []
    for page in ("tcplab.1", "tcplab-cli.1", "tcplab-netsetup.8"):
        path = os.path.join(src, "installer/man", page)
        p = subprocess.run(["man", "--warnings", "-E", "UTF-8", "-l", "-Tutf8", "-Z", path], capture_output=True,
                           text=True, env={**os.environ, "LC_ALL": "C.UTF-8", "MANWIDTH": "80"})
        print(f"{page}: exit {p.returncode}, {len(p.stdout)} bytes, warnings: {p.stderr.strip() or 'none'}")
        if p.returncode != 0 or p.stderr.strip() or len(p.stdout) < 500:
            errors.append(f"{page} does not render cleanly")
    return errors


def check_man_options(src, tcplab, cli, netsetup):
    errors = []
    for program, page in ((tcplab, "tcplab.1"), (cli, "tcplab-cli.1"), (netsetup, "tcplab-netsetup.8")):
        p = subprocess.run([program, "--help"], capture_output=True, text=True,
                           env={**os.environ, "QT_QPA_PLATFORM": "offscreen"})
        # Options open a line of the help (after "-h, " and the like); the helper's verbs too.
        words = set(re.findall(r"^\s+(?:-\w, )?(--[a-z][a-z0-9-]*)", p.stdout, re.M))
        if page.endswith(".8"):
            words |= set(re.findall(r"^  ([a-z][a-z-]+)\b", p.stdout, re.M))
        with open(os.path.join(src, "installer/man", page), encoding="utf-8") as f:
            man = f.read().replace("\\-", "-")
        missing = sorted(w for w in words if not re.search(re.escape(w) + r"(?![a-z0-9-])", man))
        print(f"{page}: {len(words)} options and verbs in {os.path.basename(program)} --help, "
              f"missing: {', '.join(missing) or 'none'}")
        if not words:
            errors.append(f"{os.path.basename(program)} --help listed nothing (exit {p.returncode})")
        if missing:
            errors.append(f"{page} does not describe {', '.join(missing)}")
    return errors


def main():
    src, what = sys.argv[1], sys.argv[2]
    if what == "man-options":
        errors = check_man_options(src, *sys.argv[3:6])
    else:
        errors = {"policy": check_policy, "desktop": check_desktop, "metainfo": check_metainfo,
                  "man": check_man}[what](src)
    for e in errors:
        print(f"FAIL {e}")
    print("ok" if not errors else f"{len(errors)} problem(s)")
    sys.exit(1 if errors else 0)


if __name__ == "__main__":
    main()

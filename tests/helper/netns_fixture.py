"""Shared pieces of the tcplab-netsetup tests: a throwaway network namespace, running the helper in it,
and reading the kernel's view with `ip -j`.

Every test creates its own namespace and deletes it on the way out, also on failure or when ctest
kills it (SIGTERM is turned into an exception so the `finally` clauses run)."""
import json
import os
import shutil
import signal
import subprocess
import sys

SKIP = 77


def skip(reason):
    print(f"SKIP: {reason}")
    sys.exit(SKIP)


def require_root_and_tools(*tools):
    if os.geteuid() != 0:
        skip("needs root to create network namespaces and interfaces")
    for tool in ("ip",) + tools:
        if shutil.which(tool) is None:
            skip(f"'{tool}' is not installed (installer/dev installs it)")


def _terminate(signum, _frame):
    raise SystemExit(f"killed by signal {signum}")


class Namespace:
    """`with Namespace("name") as ns:` creates the namespace and always deletes it."""

    def __init__(self, prefix):
        self.name = f"{prefix}{os.getpid()}"

    def __enter__(self):
        signal.signal(signal.SIGTERM, _terminate)
        subprocess.run(["ip", "netns", "add", self.name], check=True)
        return self

    def __exit__(self, *_exc):
        subprocess.run(["ip", "netns", "del", self.name], check=False)
        return False

    def argv(self, *cmd):
        return ["ip", "netns", "exec", self.name, *cmd]

    def sh(self, *cmd, check=True):
        """Runs a command in the namespace; returns stdout."""
        p = subprocess.run(self.argv(*cmd), capture_output=True, text=True, timeout=30)
        if check and p.returncode != 0:
            raise AssertionError(f"{' '.join(cmd)} failed ({p.returncode}): {p.stderr.strip()}")
        return p.stdout

    def ipj(self, *args):
        out = self.sh("ip", "-j", *args)
        return json.loads(out) if out.strip() else []

    def link(self, name):
        """`ip -j -d link show NAME` as a dict, or None when absent."""
        p = subprocess.run(self.argv("ip", "-j", "-d", "link", "show", "dev", name),
                           capture_output=True, text=True, timeout=30)
        if p.returncode != 0:
            return None
        return json.loads(p.stdout)[0]

    def snapshot(self):
        """Everything a refused command must leave untouched: links, addresses, routes."""
        return (self.ipj("-d", "link", "show"), self.ipj("addr", "show"),
                self.ipj("route", "show", "table", "all"), self.ipj("-6", "route", "show", "table", "all"))


class Helper:
    def __init__(self, path, ns):
        self.path = path
        self.ns = ns

    def run(self, *args, env=None):
        """Runs the helper in the namespace; returns (exit code, parsed JSON result, stderr)."""
        p = subprocess.run(self.ns.argv(self.path, *args), capture_output=True, timeout=30,
                           env=env if env is not None else {"PATH": os.environ.get("PATH", "/usr/bin:/bin")})
        stdout = p.stdout.decode("utf-8", "strict")
        lines = stdout.strip().splitlines()
        result = json.loads(lines[-1]) if lines else None
        return p.returncode, result, p.stderr.decode("utf-8", "replace")

    def ok(self, *args):
        code, result, err = self.run(*args)
        if code != 0 or not result or result.get("ok") is not True:
            raise AssertionError(f"tcplab-netsetup {' '.join(args)} failed ({code}): {err.strip()} {result}")
        return result


class Checks:
    """Counts assertions and failures so one run reports all of them."""

    def __init__(self):
        self.failures = []
        self.count = 0

    def check(self, cond, what):
        self.count += 1
        status = "ok  " if cond else "FAIL"
        print(f"{status} {what}")
        if not cond:
            self.failures.append(what)

    def finish(self):
        print(f"{self.count - len(self.failures)}/{self.count} checks passed")
        sys.exit(1 if self.failures else 0)

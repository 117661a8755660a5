#!/usr/bin/env bash
# The .deb as a user gets it: built by CPack from this build tree, checked by lintian (no errors),
# installed with apt-get, its programs run, then purged with nothing left behind.
# Needs root (it installs into /usr); reported as SKIPPED otherwise, or when a tcplab package is
# already installed (a user's installation is never replaced or purged by a test).
#
# usage: test_package.sh BUILD-DIR TARGET...   (the targets whose files the package installs)
set -u
build=$(cd "$1" && pwd)
shift
targets=("$@")
skip() { echo "SKIP: $*"; exit 77; }
[ "$(id -u)" -eq 0 ] || skip "needs root to install and purge the package"
for tool in cpack dpkg-deb dpkg-shlibdeps apt-get lintian file; do
  command -v "$tool" >/dev/null || skip "'$tool' is not installed (installer/dev installs it)"
done
if dpkg-query -W -f='${Status}' tcplab 2>/dev/null | grep -q "ok installed"; then
  skip "a tcplab package is already installed on this machine; not replacing it"
fi

work=$(mktemp -d /tmp/tcplab-package.XXXXXX)
installed=0
cleanup() {
  if [ "$installed" = 1 ] && dpkg-query -W tcplab >/dev/null 2>&1; then
    apt-get purge -y -qq -o DPkg::Lock::Timeout=120 tcplab >/dev/null 2>&1 || dpkg --purge tcplab >/dev/null 2>&1
  fi
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 1' INT TERM

failures=0
check() { # check DESCRIPTION COMMAND...
  local what=$1; shift
  if "$@"; then echo "ok   $what"; else echo "FAIL $what"; failures=$((failures + 1)); fi
}

# Programs this build tree defines must be in the package; the others are reported as absent.
programs=()
for t in "${targets[@]}"; do
  case "$t" in tcplab | tcplab-cli) programs+=("usr/bin/$t") ;; esac
done
echo "programs defined in $build: ${programs[*]:-none besides the helper}"

echo "== building the package (targets: ${targets[*]})"
cmake --build "$build" -j2 --target "${targets[@]}" >"$work/build.log" 2>&1 ||
  { tail -30 "$work/build.log"; echo "FAIL build"; exit 1; }
(cd "$build" && cpack -G DEB --config "$build/CPackConfig.cmake" -B "$work/out") >"$work/cpack.log" 2>&1 ||
  { cat "$work/cpack.log"; echo "FAIL cpack"; exit 1; }
deb=$(ls "$work"/out/tcplab_*.deb)
echo "$deb"
dpkg-deb -f "$deb" Package Version Depends
dpkg-deb -c "$deb" | awk '{print $6}' >"$work/contents"
for path in usr/libexec/tcplab/tcplab-netsetup usr/share/polkit-1/actions/org.tcplab.netsetup.policy \
            usr/share/applications/org.tcplab.TcpLab.desktop usr/share/metainfo/org.tcplab.TcpLab.metainfo.xml \
            usr/share/icons/hicolor/scalable/apps/tcplab.svg usr/share/icons/hicolor/48x48/apps/tcplab.png \
            usr/share/icons/hicolor/128x128/apps/tcplab.png usr/share/icons/hicolor/256x256/apps/tcplab.png \
            usr/share/man/man1/tcplab.1.gz usr/share/man/man1/tcplab-cli.1.gz usr/share/man/man8/tcplab-netsetup.8.gz \
            usr/share/doc/tcplab/copyright usr/share/doc/tcplab/changelog.Debian.gz "${programs[@]}"; do
  check "package holds /$path" grep -qx "./$path" "$work/contents"
done
check "Depends names pkexec and a Japanese font" \
  sh -c "dpkg-deb -f '$deb' Depends | grep -q 'pkexec' && dpkg-deb -f '$deb' Depends | grep -q 'fonts-ipafont-gothic | fonts-noto-cjk'"

echo "== lintian"
lintian --tag-display-limit 0 "$deb" 2>/dev/null | tee "$work/lintian.log"
check "lintian reports no errors" sh -c "! grep -q '^E:' '$work/lintian.log'"

echo "== installing"
installed=1
apt-get install -y -qq --no-install-recommends -o DPkg::Lock::Timeout=120 "$deb" >"$work/apt.log" 2>&1
check "apt-get installs the package" sh -c "dpkg-query -W -f='\${Status}' tcplab | grep -q 'ok installed'" ||
  cat "$work/apt.log"
check "helper runs from /usr/libexec/tcplab" sh -c "/usr/libexec/tcplab/tcplab-netsetup --version | grep -q ' 0\\.'"
check "helper status works unprivileged" \
  sh -c "setpriv --reuid=65534 --regid=65534 --clear-groups /usr/libexec/tcplab/tcplab-netsetup status | grep -q '\"ok\":true'"
check "man finds tcplab-netsetup(8)" sh -c "man -w tcplab-netsetup | grep -q man8"
if [ -x /usr/bin/tcplab-cli ]; then
  check "tcplab-cli --version" sh -c "/usr/bin/tcplab-cli --version | tee /dev/stderr | grep -q '0\\.'"
else
  echo "note: tcplab-cli is not in this package (not built in $build)"
fi
if [ -x /usr/bin/tcplab ]; then
  check "tcplab --screenshot writes a PNG (offscreen)" sh -c \
    "QT_QPA_PLATFORM=offscreen XDG_RUNTIME_DIR='$work' timeout 120 /usr/bin/tcplab --screenshot '$work/x.png' \
       >'$work/screenshot.log' 2>&1 && file '$work/x.png' | grep -q 'PNG image'" || tail -5 "$work/screenshot.log"
else
  echo "note: tcplab is not in this package (not built in $build)"
fi

echo "== purging"
apt-get purge -y -qq -o DPkg::Lock::Timeout=120 tcplab >"$work/purge.log" 2>&1
check "purge removes the package" sh -c "! dpkg-query -W -f='\${Status}' tcplab 2>/dev/null | grep -q 'installed'"
for path in /usr/libexec/tcplab /usr/share/doc/tcplab /usr/share/polkit-1/actions/org.tcplab.netsetup.policy \
            /usr/share/applications/org.tcplab.TcpLab.desktop /usr/bin/tcplab /usr/bin/tcplab-cli; do
  check "nothing left at $path" test ! -e "$path"
done
installed=0
[ "$failures" -eq 0 ] && echo "all package checks passed" || echo "$failures package check(s) failed"
exit $((failures > 0))

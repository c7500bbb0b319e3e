#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# The package stage of CI, also run alone (as root, on Debian 12):
#
#   tools/ci-package.sh [WORKDIR]
#
# From a clean copy of this git checkout (tracked and new files that are not
# ignored; no build directories): `apt-get build-dep ./` and
# `dpkg-buildpackage -us -uc -b`, lintian on the .changes (fails on any
# error or warning), `apt-get install ./eimza-asistan_*.deb` (with its
# Recommends, as a person would), debian/tests/ through autopkgtest's null
# runner against the installed files, `apt-get purge eimza-asistan`, and a
# check that nothing of the package is left: none of its files, no new file
# outside the home directories that no other package owns, and no trace of
# it in the caches its triggers refreshed.
#
# WORKDIR (default: a new directory under /tmp) receives the copy, the
# .deb, the logs (build.log, lintian.log, autopkgtest/) and is kept.
# The last line is "=== package: OK ..." or "=== package: FAILED: REASON".
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive LC_ALL=C.UTF-8

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
top="$(cd "$here/.." && pwd)"
pkg=eimza-asistan
app_id=io.github.eimza.Asistan
start=$(date +%s)
apt_opts=(-y -q -o DPkg::Lock::Timeout=600 -o Dpkg::Options::=--force-confdef
          -o Dpkg::Options::=--force-confold)

say() { printf '=== package: %s\n' "$*"; }
fail() {
  echo "=== package: FAILED: $* ($(( $(date +%s) - start )) s; logs in ${work:-?})" >&2
  exit 1
}
step_time() { echo "$(( $(date +%s) - step_start )) s"; }

[ "$(id -u)" -eq 0 ] || fail "run as root (apt-get installs the package)"
command -v git >/dev/null 2>&1 && git -C "$top" rev-parse --git-dir >/dev/null 2>&1 ||
  fail "$top is not a git checkout"

work="${1:-$(mktemp -d /tmp/eimza-package.XXXXXX)}"
mkdir -p "$work"
work="$(cd "$work" && pwd)"
rm -rf "$work/src" "$work"/*.deb "$work"/*.changes "$work"/*.buildinfo "$work/autopkgtest"

# -- tools -------------------------------------------------------------------
step_start=$(date +%s)
mapfile -t wanted < <(sed -e 's/#.*//' -e 's/[[:space:]]\+//g' "$here/deps-package.txt" | grep -v '^$')
missing=()
for p in "${wanted[@]}"; do
  [ "$(dpkg-query -W -f='${db:Status-Status}' "$p" 2>/dev/null)" = installed ] || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  say "installing ${missing[*]}"
  apt-get update -q >/dev/null || fail "apt-get update"
  apt-get install "${apt_opts[@]}" --no-install-recommends "${missing[@]}" >"$work/tools.log" 2>&1 ||
    { tail -20 "$work/tools.log"; fail "could not install the tools of tools/deps-package.txt"; }
fi
# A package left over from an interrupted run would spoil the snapshot.
if dpkg-query -W -f='${db:Status-Status}' "$pkg" 2>/dev/null | grep -qv '^not-installed$'; then
  say "purging an earlier $pkg"
  apt-get purge "${apt_opts[@]}" "$pkg" >/dev/null || fail "could not purge an earlier $pkg"
fi

# -- build ---------------------------------------------------------------------
step_start=$(date +%s)
mkdir "$work/src"
git -C "$top" ls-files -z --cached --others --exclude-standard |
  (cd "$top" && tar --null -T - -cf -) | tar -x -C "$work/src"
cd "$work/src"
version="$(dpkg-parsechangelog -S Version)"
arch="$(dpkg --print-architecture)"
deb="$work/${pkg}_${version}_${arch}.deb"
changes="$work/${pkg}_${version}_${arch}.changes"
say "building $pkg $version in $work/src"
apt-get build-dep "${apt_opts[@]}" --no-install-recommends ./ >"$work/build-dep.log" 2>&1 ||
  { tail -20 "$work/build-dep.log"; fail "apt-get build-dep ./"; }
if ! DEB_BUILD_OPTIONS="${DEB_BUILD_OPTIONS:-parallel=2}" \
     dpkg-buildpackage -us -uc -b >"$work/build.log" 2>&1; then
  tail -40 "$work/build.log"
  fail "dpkg-buildpackage (full log: $work/build.log)"
fi
[ -f "$deb" ] || fail "dpkg-buildpackage made no $(basename "$deb")"
tests_line="$(grep -E '^Ok: ' "$work/build.log" | tail -1 | tr -s ' ')"
say "built $(basename "$deb") in $(step_time); dh_auto_test: ${tests_line:-no summary?}"
build_time=$(( $(date +%s) - step_start ))

# -- lintian -------------------------------------------------------------------
step_start=$(date +%s)
lintian_rc=0
lintian --info --display-info --pedantic --fail-on error,warning "$changes" \
  >"$work/lintian.log" 2>&1 || lintian_rc=$?
grep -v '^running with root privileges' "$work/lintian.log" || true
[ "$lintian_rc" -eq 0 ] || fail "lintian found errors or warnings (exit $lintian_rc)"
say "lintian: no error, no warning ($(grep -c '^[EWIPX]: ' "$work/lintian.log" || true) tags in all) in $(step_time)"

# -- install, test, purge ------------------------------------------------------
# Every path outside the home directories and the package manager's own
# state, caches and logs.
snapshot() {
  find /etc /opt /srv /usr /var -xdev \
    \( -path /var/lib/dpkg -o -path /var/lib/apt -o -path /var/cache -o -path /var/log \
       -o -path /var/tmp -o -path /var/spool -o -path "$work" -o -path "$top" \
       -o -name __pycache__ \) -prune \
    -o -print 2>/dev/null | LC_ALL=C sort
}
step_start=$(date +%s)
snapshot >"$work/before.txt"
say "apt-get install ./$(basename "$deb")"
apt-get install "${apt_opts[@]}" "$deb" >"$work/install.log" 2>&1 ||
  { tail -30 "$work/install.log"; fail "apt-get install ./$(basename "$deb")"; }
dpkg-query -L "$pkg" >"$work/files.txt"
say "installed in $(step_time)"

step_start=$(date +%s)
# -B: test the installed package, build nothing; the null runner is this
# machine (the test dependencies are installed already).
autopkgtest_rc=0
autopkgtest -B --output-dir "$work/autopkgtest" "$work/src" -- null ||
  autopkgtest_rc=$?
autopkgtest_time=$(step_time)
[ "$autopkgtest_rc" -eq 0 ] ||
  fail "autopkgtest (exit $autopkgtest_rc; logs in $work/autopkgtest/)"
say "autopkgtest: $(grep -c ' PASS' "$work/autopkgtest/summary" || true) passed in $autopkgtest_time"

step_start=$(date +%s)
apt-get purge "${apt_opts[@]}" "$pkg" >"$work/purge.log" 2>&1 ||
  { tail -30 "$work/purge.log"; fail "apt-get purge $pkg"; }
[ "$(dpkg-query -W -f='${db:Status-Status}' "$pkg" 2>/dev/null || echo not-installed)" = not-installed ] ||
  fail "$pkg is still known to dpkg after the purge"

left=()
# The package's own files; a directory may stay if another package has it.
while IFS= read -r path; do
  [ "$path" = /. ] && continue
  [ -e "$path" ] || [ -L "$path" ] || continue
  if [ -d "$path" ] && [ ! -L "$path" ] && dpkg-query -S "$path" >/dev/null 2>&1; then
    continue
  fi
  left+=("$path (the package's)")
done <"$work/files.txt"
# New paths that no installed package owns.
snapshot >"$work/after.txt"
while IFS= read -r path; do
  dpkg-query -S "$path" >/dev/null 2>&1 || left+=("$path (new, no package owns it)")
done < <(LC_ALL=C comm -13 "$work/before.txt" "$work/after.txt")
# The caches the triggers refreshed.
for cache in /usr/share/applications/mimeinfo.cache /usr/share/glib-2.0/schemas/gschemas.compiled \
             /usr/share/icons/hicolor/icon-theme.cache; do
  [ -f "$cache" ] && grep -qa "$app_id" "$cache" && left+=("$cache mentions $app_id")
done
if grep -rlaq "$app_id" /usr/share/mime 2>/dev/null; then
  left+=("/usr/share/mime mentions $app_id")
fi
default="$(env -i PATH=/usr/bin:/bin HOME=/nonexistent XDG_CONFIG_HOME=/nonexistent \
            XDG_DATA_HOME=/nonexistent xdg-mime query default application/x-java-jnlp-file 2>/dev/null || true)"
[ "$default" = "$app_id.desktop" ] && left+=("xdg-mime still opens .jnlp files with $default")
if [ ${#left[@]} -gt 0 ]; then
  printf '  left: %s\n' "${left[@]}"
  fail "the purge left ${#left[@]} things behind"
fi
say "purged in $(step_time): none of its $(wc -l <"$work/files.txt") paths is left, no new file, no cache entry"

echo "=== package: OK ($pkg $version: built in ${build_time} s, lintian clean, autopkgtest passed in $autopkgtest_time, purge clean; $(( $(date +%s) - start )) s in all; $work)"

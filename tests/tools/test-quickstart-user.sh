#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# The README's run command on a desktop: as root, make a throwaway person
# with sudo rights (NOPASSWD, as after a desktop install), give them their
# own copy of this source tree and a desktop session (Xvfb, the session bus
# at /run/user/UID/bus, the accessibility bus), and have them type
# `./tools/quickstart.sh run` and `sudo ./tools/quickstart.sh run` under
# LANG=tr_TR.UTF-8 (quickstart_user_driver.py checks through AT-SPI that the
# app comes up in Turkish, in their session, as them, never as root).  Then:
# nothing in their home belongs to root, and the app started as root warns,
# once, in Turkish (the catalogue's translation).  The person, their sudoers drop-in and runtime dir go
# away at the end, whatever happens.  TAP output.
#
#   test-quickstart-user.sh SRCDIR BUILDDIR
set -euo pipefail

src="$(cd "$1" && pwd)"
build="$(cd "$2" && pwd)"
n=0
failed=0

ok() { n=$((n + 1)); echo "ok $n - $1"; }
not_ok() { n=$((n + 1)); failed=1; echo "not ok $n - $1"; [ -z "${2:-}" ] || printf '# %s\n' "${2//$'\n'/$'\n# '}"; }

export EIMZA_BUILDDIR="$build" EIMZA_SRCDIR="$src"
# shellcheck source=SCRIPTDIR/../gui-common/gui-env.sh
. "$src/tests/gui-common/gui-env.sh"
[ "$(id -u)" -eq 0 ] || skip "makes a user with sudo rights: runs as root (as in CI)"
gui_init test-quickstart-user
gui_require_tools sudo runuser useradd userdel visudo
gui_require_app
gui_require_locale --mo
for tool in softhsm2-util p11tool certtool; do
  command -v "$tool" >/dev/null 2>&1 || skip "the demo's virtual card needs softhsm2 and gnutls-bin ($tool)"
done
gui_unset_sanitizer_env

artifacts="$build/tests/quickstart-artifacts"
rm -rf "$artifacts"
mkdir -p "$artifacts"

person="eimzaqs$$"
sudoers="/etc/sudoers.d/eimza-quickstart-test-$person"
runtime=
copy=/nonexistent
made_run_user=no

# shellcheck disable=SC2317  # (called by the trap)
cleanup() {
  set +e
  # The person's processes (an app left by a failed check, the session's
  # buses), by pid: the account exists only for this test.
  local pids proc argv0
  # Anything started from the copy's build, whoever runs it (a broken
  # quickstart.sh could start the app as root).
  for proc in /proc/[0-9]*; do
    argv0="$(tr '\0' '\n' <"$proc/cmdline" 2>/dev/null | head -n 1)"
    case "$argv0" in
      "$copy"/*) kill -KILL "${proc#/proc/}" 2>/dev/null ;;
    esac
  done
  if id "$person" >/dev/null 2>&1; then
    pids="$(pgrep -u "$person" | tr '\n' ' ')"
    # shellcheck disable=SC2086
    [ -z "$pids" ] || kill -KILL $pids 2>/dev/null
    sleep 0.2
    userdel --remove "$person" 2>/dev/null
  fi
  rm -f "$sudoers"
  [ -z "$runtime" ] || rm -rf "$runtime"
  [ "$made_run_user" = no ] || rmdir /run/user 2>/dev/null
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP

useradd --create-home --shell /bin/bash --user-group "$person"
uid="$(id -u "$person")"
home="$(getent passwd "$person" | cut -d: -f6)"
# Sudo rights without a password, in a drop-in of its own (checked first:
# a broken sudoers file would lock sudo for everyone).
printf '%s ALL=(ALL:ALL) NOPASSWD: ALL\n' "$person" >"$sudoers.tmp"
chmod 0440 "$sudoers.tmp"
visudo -cqf "$sudoers.tmp" || { rm -f "$sudoers.tmp"; gui_fail "the sudoers drop-in is invalid"; }
mv "$sudoers.tmp" "$sudoers"
# What logind makes at login: the runtime dir, the person's alone.
[ -d /run/user ] || { mkdir -p /run/user; made_run_user=yes; }
runtime="/run/user/$uid"
rm -rf "$runtime"
install -d -m 0700 -o "$person" -g "$person" "$runtime"

# Their own copy of the tree: what git has (committed or not), no build dir.
copy="$home/eimza-asistan"
mkdir "$copy"
if git -C "$src" rev-parse --is-inside-work-tree >/dev/null 2>&1; then
  git -C "$src" ls-files -z --cached --others --exclude-standard |
    tar -C "$src" --null --no-recursion --ignore-failed-read -T - -cf - 2>/dev/null |
    tar -C "$copy" -xf -
else
  tar -C "$src" --exclude='./_build*' --exclude='./build*' --exclude=./.git -cf - . |
    tar -C "$copy" -xf -
fi
[ -x "$copy/tools/quickstart.sh" ] || gui_fail "the copy of $src has no tools/quickstart.sh"
# The Turkish catalogue, for the driver's expected strings.
install -D -m 0644 "$build/po/tr/LC_MESSAGES/eimza-asistan.mo" \
  "$home/test-po/tr/LC_MESSAGES/eimza-asistan.mo"
mkdir "$home/artifacts"
chown -R "$person:" "$home"

# The person's terminal: their own variables and nothing of this test's.
person_env=(HOME="$home" USER="$person" LOGNAME="$person" SHELL=/bin/bash
            PATH=/usr/local/bin:/usr/bin:/bin TERM=dumb LANG=tr_TR.UTF-8
            XDG_RUNTIME_DIR="$runtime")
# A machine-wide ccache that only root may write (as on the developers'
# machines) still gives its hits to the person's build.
if command -v ccache >/dev/null 2>&1; then
  cache_dir="$(ccache --get-config cache_dir 2>/dev/null || true)"
  if [ -n "$cache_dir" ] && ! runuser -u "$person" -- test -w "$cache_dir"; then
    person_env+=(CCACHE_READONLY=1 CCACHE_TEMPDIR="$home/.cache/ccache-tmp")
  fi
fi

echo "# $person (uid $uid): copy in $copy, artifacts in $artifacts"
start=$(date +%s)
noise=(-e 'Failed to set fd limit' -e 'Activating service name='
       -e 'Successfully activated service' -e 'SpiRegistry daemon is running'
       -e 'dbus-daemon\[')
set +e
(cd "$copy" && runuser -u "$person" -- env -i "${person_env[@]}" \
   EIMZA_BUILDDIR="$home/test-po" EIMZA_ASISTAN_LOCALEDIR="$home/test-po" \
   xvfb-run -a -s "-screen 0 1280x800x24 -noreset" \
   "$copy/tests/tools/quickstart-user-session.sh" \
   /usr/bin/python3 "$copy/tests/tools/quickstart_user_driver.py" "$copy" "$home/artifacts") \
  2> >(grep --line-buffered -v "${noise[@]}" >&2) >"$artifacts/driver.tap"
driver_status=$?
set -e
wait
echo "# the person's three runs took $(( $(date +%s) - start )) s (driver status $driver_status)"
cp -r "$home/artifacts/." "$artifacts/" 2>/dev/null || true
while IFS= read -r line; do
  case "$line" in
    "ok - "*) ok "${line#ok - }" ;;
    "not ok - "*) not_ok "${line#not ok - }" ;;
    "#"*) echo "$line" ;;
    *) echo "# $line" ;;
  esac
done <"$artifacts/driver.tap"
if [ "$driver_status" -ne 0 ] && [ "$failed" -eq 0 ]; then
  not_ok "the driver failed (status $driver_status) without saying why"
fi
if [ "$failed" -eq 0 ] && [ "$n" -ne 9 ]; then
  not_ok "the driver reported $n checks, not 9"
fi

# Nothing of the person's may belong to root: the sudo run built and ran as them.
strays="$(find "$home" ! -user "$person" -printf '%u %p\n' 2>/dev/null | head -20)"
if [ -z "$strays" ] && [ -f "$copy/_build/build.ninja" ]; then
  ok "nothing in $home (the copy, _build, settings) belongs to anyone but $person"
else
  not_ok "files in $home that are not $person's (or no _build)" "$strays"
fi

# The app itself, started as root with a display (kiosks, CI), still runs
# and says once, in Turkish (as po/tr.po has it), that it should run as the
# person.
warning="$(/usr/bin/python3 - "$build" <<'PY'
import gettext, sys
t = gettext.translation("eimza-asistan", localedir=sys.argv[1] + "/po", languages=["tr"])
print(t.gettext("Warning: E-Signature Assistant is running as root. Start it as the person "
                "at the desktop, without sudo: it needs no root rights, and as root it "
                "writes files that belong to root and misses your desktop session."))
PY
)"
root_log="$artifacts/root-first-frame.log"
root_home="$(mktemp -d)"
set +e
env -u DISPLAY -u WAYLAND_DISPLAY -u DBUS_SESSION_BUS_ADDRESS HOME="$root_home" \
  EIMZA_ASISTAN_FIRST_FRAME=1 GSETTINGS_BACKEND=memory GSETTINGS_SCHEMA_DIR="$build/data" \
  EIMZA_ASISTAN_LOCALEDIR="$build/po" LANG=tr_TR.UTF-8 LANGUAGE= LC_ALL= \
  ASAN_OPTIONS=detect_leaks=0 \
  timeout 60 xvfb-run -a -s "-screen 0 1280x800x24 -noreset" \
  dbus-run-session -- "$build/src/ui/eimza-asistan" >"$root_log" 2>&1
status=$?
set -e
rm -rf "$root_home"
count="$(grep -cxF "$warning" "$root_log" || true)"
if [ "$status" -eq 0 ] && grep -q '^first-frame-us ' "$root_log" && [ "$count" -eq 1 ]; then
  ok "the app started as root shows its window and warns once, in the catalogue's Turkish"
else
  not_ok "the app as root: exit $status, the warning ($warning) $count times" "$(cat "$root_log")"
fi

echo "1..$n"
exit "$failed"

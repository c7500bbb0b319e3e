#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Quick start: install what is missing, build, then run the app or the tests.
#
#   sudo ./tools/quickstart.sh run [APP ARGS...]   build in _build and start the app
#                                                  (no args: --demo, a portal simulator
#                                                  and a virtual card) as the person
#                                                  who ran sudo, never as root
#   sudo ./tools/quickstart.sh test                ASan/UBSan build in _build-test, run all tests
#
# Works as root (no sudo needed) and as a normal user (sudo is used only for
# apt-get and locale-gen).  Package lists live in tools/deps-build.txt and
# tools/deps-test.txt; add new packages there, not here.
set -euo pipefail

export DEBIAN_FRONTEND=noninteractive

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
top="$(cd "$here/.." && pwd)"
cd "$top"

say() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }
die() { printf 'quickstart: error: %s\n' "$*" >&2; exit 1; }

usage() {
  cat >&2 <<USAGE
Usage: $0 run [APP ARGS...]   install build deps, build _build, start the app
       $0 test                install build+test deps, build _build-test (ASan/UBSan), run meson test
USAGE
  exit 2
}

if [ "$(id -u)" -eq 0 ]; then
  SUDO=()
elif command -v sudo >/dev/null 2>&1; then
  SUDO=(sudo env DEBIAN_FRONTEND=noninteractive)
else
  SUDO=()
fi

as_root() {
  if [ "$(id -u)" -ne 0 ] && [ ${#SUDO[@]} -eq 0 ]; then
    die "need root for: $* (run this script as root or install sudo)"
  fi
  "${SUDO[@]}" "$@"
}

# Print the packages listed in the given files (comments and blanks dropped).
read_deps() {
  sed -e 's/#.*//' -e 's/[[:space:]]\+//g' "$@" | grep -v '^$' || true
}

# Install the packages of the given lists that are not installed yet; when
# everything is present this costs one dpkg-query and no network.
ensure_packages() {
  local -a wanted missing=()
  local pkg status
  mapfile -t wanted < <(read_deps "$@")
  for pkg in "${wanted[@]}"; do
    status="$(dpkg-query -W -f='${db:Status-Status}' "$pkg" 2>/dev/null || true)"
    [ "$status" = installed ] || missing+=("$pkg")
  done
  if [ ${#missing[@]} -eq 0 ]; then
    say "All ${#wanted[@]} packages from $(basename -a "$@" | tr '\n' ' ')are installed"
    return 0
  fi
  command -v apt-get >/dev/null 2>&1 || die "apt-get not found: this script supports Debian 12 (bookworm) only"
  say "Installing ${#missing[@]} missing packages: ${missing[*]}"
  as_root apt-get update -q
  as_root apt-get install -y -q --no-install-recommends \
    -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold \
    "${missing[@]}"
}

# Generate tr_TR.UTF-8 once; the GUI test runs the app in Turkish.
ensure_turkish_locale() {
  if locale -a 2>/dev/null | grep -qix 'tr_TR\.utf8'; then
    say "Locale tr_TR.UTF-8 is available"
    return 0
  fi
  say "Generating locale tr_TR.UTF-8"
  if [ -f /etc/locale.gen ] && grep -q '^[#[:space:]]*tr_TR\.UTF-8 UTF-8' /etc/locale.gen; then
    as_root sed -i 's/^[#[:space:]]*\(tr_TR\.UTF-8 UTF-8\)/\1/' /etc/locale.gen
  else
    echo 'tr_TR.UTF-8 UTF-8' | as_root tee -a /etc/locale.gen >/dev/null
  fi
  as_root locale-gen
  locale -a 2>/dev/null | grep -qix 'tr_TR\.utf8' || die "locale-gen did not produce tr_TR.UTF-8"
}

# configure_build DIR [MESON OPTIONS...]: set up DIR once, later only apply
# the options (cheap; meson reconfigures by itself when meson.build changes).
configure_build() {
  local dir="$1"
  shift
  if [ -f "$dir/meson-private/coredata.dat" ]; then
    if [ $# -gt 0 ]; then
      meson configure "$dir" "$@" >/dev/null
    fi
  else
    say "Configuring $dir"
    meson setup "$dir" "$@" || die "meson setup failed for $dir"
  fi
}

# The person at the desktop: the caller, or the one who ran sudo or pkexec.
# Empty when root logged in as root: the app is never started as root.
desktop_user() {
  if [ "$(id -u)" -ne 0 ]; then
    id -un
  elif [ -n "${SUDO_USER:-}" ] && [ "$SUDO_USER" != root ]; then
    printf '%s\n' "$SUDO_USER"
  elif [ -n "${PKEXEC_UID:-}" ] && [ "$PKEXEC_UID" != 0 ]; then
    getent passwd "$PKEXEC_UID" | cut -d: -f1
  fi
}

# as_desktop_user USER COMMAND...: run COMMAND as USER with that person's
# session (home, runtime dir, session bus); sudo keeps DISPLAY, XAUTHORITY
# and the locale variables.
as_desktop_user() {
  local user="$1" uid home runtime
  shift
  if [ "$(id -un)" = "$user" ]; then
    "$@"
    return
  fi
  uid="$(id -u "$user")"
  home="$(getent passwd "$user" | cut -d: -f6)"
  runtime="/run/user/$uid"
  local -a session=(HOME="$home")
  if [ -d "$runtime" ]; then
    session+=(XDG_RUNTIME_DIR="$runtime")
    [ -S "$runtime/bus" ] && session+=(DBUS_SESSION_BUS_ADDRESS="unix:path=$runtime/bus")
  fi
  runuser -u "$user" -- env "${session[@]}" "$@"
}

compile_build() {
  local dir="$1"
  say "Compiling $dir"
  meson compile -C "$dir" || die "the build failed in $dir (see the compiler errors above)"
}

cmd="${1:-}"
[ $# -gt 0 ] && shift

case "$cmd" in
  run)
    user="$(desktop_user)"
    [ -n "$user" ] || die "E-İmza Asistanı runs as the person at the desktop, never as root: \
run 'sudo ./tools/quickstart.sh run' (or the script without sudo) from your own account"
    ensure_packages tools/deps-build.txt
    # A _build left by an earlier run as root would keep the person out.
    if [ -d _build ] && [ "$(stat -c %U _build)" != "$user" ]; then
      as_root chown -R "$user:" _build
    fi
    as_desktop_user "$user" "$top/tools/quickstart.sh" build-uninstalled
    if [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ]; then
      say "Warning: neither DISPLAY nor WAYLAND_DISPLAY is set; the window may fail to open"
    fi
    if [ $# -gt 0 ]; then
      say "Starting _build/src/ui/eimza-asistan $* as $user"
      as_desktop_user "$user" "$top/tools/run-uninstalled.sh" _build "$@"
      exit
    fi
    # Kamu SM's portal cannot be reached from every machine: by default the
    # app runs its demo, a portal simulator on this computer with fictitious
    # people and a throwaway virtual card, all removed when it closes.
    say "Starting _build/src/ui/eimza-asistan --demo as $user (the Demo badge in the header bar says whom to sign in as)"
    as_desktop_user "$user" "$top/tools/run-uninstalled.sh" _build --demo
    ;;
  build-uninstalled)
    # `run`'s build step, as the person who will run the app.
    configure_build _build
    compile_build _build
    ;;
  test)
    [ $# -eq 0 ] || usage
    ensure_packages tools/deps-build.txt tools/deps-test.txt
    ensure_turkish_locale
    configure_build _build-test -Db_sanitize=address,undefined -Db_lundef=false
    compile_build _build-test
    # UBSan only prints by default; make undefined behaviour fail the test.
    # ASan stops at the first error by default.
    export UBSAN_OPTIONS="${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1}"
    say "Running the tests (meson test -C _build-test)"
    if meson test -C _build-test --print-errorlogs --num-processes 2; then
      say "All tests passed"
    else
      rc=$?
      printf 'quickstart: TESTS FAILED (meson test exit status %d); see _build-test/meson-logs/testlog.txt\n' "$rc" >&2
      exit "$rc"
    fi
    ;;
  -h|--help|help)
    usage
    ;;
  *)
    usage
    ;;
esac

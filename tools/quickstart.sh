#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Quick start: install what is missing, build, then run the app or the tests.
#
#   ./tools/quickstart.sh run [APP ARGS...]   build in _build and start the app
#                                             (no args: --demo, a portal simulator
#                                             and a virtual card), as you
#   sudo ./tools/quickstart.sh test           ASan/UBSan build in _build-test, run all
#                                             tests (pcscd and the card tests need root)
#
# As a normal user, sudo is used only for apt-get (the missing packages) and
# locale-gen (tr_TR.UTF-8, for the tests), and the script says so before sudo
# asks.  `run` started as root through sudo or pkexec builds and starts the
# app as that person, in their own desktop session, or stops and says what
# to type; it never starts the app as root.  Package lists live in
# tools/deps-build.txt and tools/deps-test.txt; add new packages there, not
# here.
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
  if [ "$(id -u)" -ne 0 ]; then
    say "sudo is needed only to install ${#missing[@]} missing Debian packages: ${missing[*]}; everything else runs as $(id -un)"
  fi
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
  if [ "$(id -u)" -ne 0 ]; then
    say "sudo is needed only to generate the Turkish locale tr_TR.UTF-8, which the tests use"
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

# find_session USER: that person's desktop session, for a start as root
# (sudo or pkexec): fills session_env with what the app needs to run in it
# (home, runtime dir, session bus, display or Wayland socket, locale), or
# sets session_problem and fails.  sudo passes on DISPLAY and XAUTHORITY but
# drops the session bus, the runtime dir and WAYLAND_DISPLAY; the person's
# systemd manager and their runtime dir still know them.
session_env=()
session_problem=
find_session() {
  local user="$1" uid home runtime line name value bus wayland display xauth socket
  local -A manager=()
  uid="$(id -u "$user")"
  home="$(getent passwd "$user" | cut -d: -f6)"
  runtime="/run/user/$uid"
  session_env=(HOME="$home" USER="$user" LOGNAME="$user")
  if [ ! -d "$runtime" ] || [ "$(stat -c %u "$runtime")" != "$uid" ]; then
    session_problem="no desktop session of $user was found ($runtime does not exist)"
    return 1
  fi
  if command -v systemctl >/dev/null 2>&1 && [ -S "$runtime/systemd/private" ]; then
    while IFS= read -r line; do
      name="${line%%=*}"
      value="${line#*=}"
      case "$name" in
        WAYLAND_DISPLAY|DISPLAY|XAUTHORITY|DBUS_SESSION_BUS_ADDRESS|LANG|LANGUAGE) ;;
        *) continue ;;
      esac
      # Values with special characters come quoted ($'...'): not ours.
      case "$value" in ''|\$\'*) continue ;; esac
      manager[$name]="$value"
    done < <(runuser -u "$user" -- env XDG_RUNTIME_DIR="$runtime" \
               timeout 5 systemctl --user show-environment 2>/dev/null || true)
  fi

  if [ -S "$runtime/bus" ]; then
    bus="unix:path=$runtime/bus"
  else
    bus="${manager[DBUS_SESSION_BUS_ADDRESS]:-}"
  fi
  if [ -z "$bus" ]; then
    session_problem="no session bus of $user was found ($runtime/bus)"
    return 1
  fi

  wayland="${manager[WAYLAND_DISPLAY]:-}"
  if [ -z "$wayland" ]; then
    for socket in "$runtime"/wayland-*; do
      if [ -S "$socket" ]; then
        wayland="${socket##*/}"
        break
      fi
    done
  fi
  case "$wayland" in
    /*) socket="$wayland" ;;
    *) socket="$runtime/$wayland" ;;
  esac
  [ -n "$wayland" ] && [ -S "$socket" ] || wayland=
  display="${DISPLAY:-${manager[DISPLAY]:-}}"
  xauth="${XAUTHORITY:-${manager[XAUTHORITY]:-}}"
  # A local X display has its socket; a remote one (ssh -X) is taken on trust.
  if [[ "$display" =~ ^(unix)?:([0-9]+)(\.[0-9]+)?$ ]] &&
     [ ! -S "/tmp/.X11-unix/X${BASH_REMATCH[2]}" ]; then
    display=
  fi
  if [ -z "$wayland" ] && [ -z "$display" ]; then
    session_problem="no display of $user was found (sudo passed on no usable DISPLAY, and $runtime has no Wayland socket)"
    return 1
  fi

  session_env+=(XDG_RUNTIME_DIR="$runtime" DBUS_SESSION_BUS_ADDRESS="$bus")
  [ -z "$wayland" ] || session_env+=(WAYLAND_DISPLAY="$wayland")
  [ -z "$display" ] || session_env+=(DISPLAY="$display")
  [ -z "$xauth" ] || session_env+=(XAUTHORITY="$xauth")
  # sudo keeps the person's locale when it can; else their session's.
  [ -n "${LANG:-}" ] || [ -z "${manager[LANG]:-}" ] || session_env+=(LANG="${manager[LANG]}")
  [ -n "${LANGUAGE:-}" ] || [ -z "${manager[LANGUAGE]:-}" ] || session_env+=(LANGUAGE="${manager[LANGUAGE]}")
  return 0
}

# as_desktop_user USER COMMAND...: run COMMAND as USER; as root, in the
# session find_session found.
as_desktop_user() {
  local user="$1"
  shift
  if [ "$(id -un)" = "$user" ]; then
    "$@"
    return
  fi
  runuser -u "$user" -- env -u SUDO_COMMAND -u SUDO_USER -u SUDO_UID -u SUDO_GID -u MAIL \
    -u WAYLAND_DISPLAY "${session_env[@]}" "$@"
}

compile_build() {
  local dir="$1"
  say "Compiling $dir"
  meson compile -C "$dir" || die "the build failed in $dir (see the compiler errors above)"
}

# The app's build products: every target built by default outside tests/,
# bench/ and fuzz/ (the tests are half of the build, and `run` needs none).
app_outputs() {
  python3 - "$1" "$top" <<'PY'
import json, os, subprocess, sys
build, top = os.path.abspath(sys.argv[1]), sys.argv[2]
targets = json.loads(subprocess.check_output(["meson", "introspect", build, "--targets"]))
for target in targets:
    where = os.path.relpath(target["defined_in"], top).split(os.sep)[0]
    if target.get("build_by_default") and where not in ("tests", "bench", "fuzz"):
        for output in target["filename"]:
            print(os.path.relpath(output, build))
PY
}

compile_app() {
  local dir="$1"
  local -a outputs=()
  # Regenerate first when meson.build changed, so that the targets are new.
  ninja -C "$dir" build.ninja >/dev/null || die "meson could not regenerate $dir"
  mapfile -t outputs < <(app_outputs "$dir" || true)
  if [ ${#outputs[@]} -eq 0 ]; then
    compile_build "$dir"
    return
  fi
  say "Compiling the app in $dir (${#outputs[@]} build products, not the tests)"
  ninja -C "$dir" "${outputs[@]}" || die "the build failed in $dir (see the compiler errors above)"
}

cmd="${1:-}"
[ $# -gt 0 ] && shift

case "$cmd" in
  run)
    user="$(desktop_user)"
    [ -n "$user" ] || die "E-İmza Asistanı runs as the person at the desktop, never as root: \
log in as yourself and type './tools/quickstart.sh run' (sudo is asked for only to install missing packages)"
    # Started through sudo or pkexec: the app goes to that person's session,
    # found before anything is installed or built; without one, nothing runs.
    if [ "$(id -u)" -eq 0 ] && ! find_session "$user"; then
      die "$session_problem.
E-İmza Asistanı never starts as root on someone's desktop. In a terminal of
your desktop session, as $user, type:

    cd $top && ./tools/quickstart.sh run

(sudo is asked for only to install missing packages)"
    fi
    ensure_packages tools/deps-build.txt
    # A _build left by an earlier run as root would keep the person out.
    if [ -d _build ] && [ -n "$(find _build ! -user "$user" -print -quit 2>/dev/null)" ]; then
      if [ "$(id -u)" -ne 0 ]; then
        say "sudo is needed only to give _build, which an earlier run as root left, back to $user"
      fi
      as_root chown -R "$user:" _build
    fi
    as_desktop_user "$user" "$top/tools/quickstart.sh" build-uninstalled
    # (As root, find_session made sure of a display.)
    if [ "$(id -u)" -ne 0 ] && [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ]; then
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
    compile_app _build
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

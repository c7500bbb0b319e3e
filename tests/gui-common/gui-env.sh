# SPDX-License-Identifier: GPL-3.0-or-later
# shellcheck shell=bash disable=SC2120
# The environment every GUI test runs in, sourced by tests/gui-*/run-gui-*-test.sh
# (bash, set -euo pipefail).  A run script is a list of calls:
#
#   here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
#   . "$here/../gui/gui-env.sh"
#   gui_init run-gui-foo-test            # EIMZA_SRCDIR/EIMZA_BUILDDIR; NAME for messages
#   gui_require_tools [TOOL...]          # Xvfb, D-Bus, xdotool, import, dogtail (+ TOOLs)
#   gui_skip_without_card_bed [--openssl] [--p11-kit-softhsm] [--softhsm-lib]
#   gui_require_app                      # the built app, as EIMZA_APP
#   gui_require_built [-f] FILE          # any other build product
#   gui_require_locale [--mo]            # tr_TR.UTF-8 (and the built catalogue)
#   gui_session foo [--scratch-var] [--no-leak-check]
#                                        # artifacts, scratch HOME/XDG dirs, GTK, sanitizers
#                                        # (the app's: EIMZA_APP_*, leak checks on)
#   gui_unset_sanitizer_env              # the test's own tools run without meson's options
#   gui_run "foo GUI test" "$here/test_gui_foo.py" "$@"
#
# Missing tools or build products fail (exit 1); what only a card test bed
# needs (root, pcscd, vpcd, SoftHSM2) skips (TAP "1..0 # SKIP").

gui_lib_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

# gui_init NAME: the name the messages start with.
gui_init() {
  gui_name="$1"
  : "${EIMZA_SRCDIR:=$(cd "$gui_lib_dir/../.." && pwd)}"
  : "${EIMZA_BUILDDIR:?set EIMZA_BUILDDIR to the meson build directory}"
  EIMZA_BUILDDIR="$(cd "$EIMZA_BUILDDIR" && pwd)"
  export EIMZA_SRCDIR EIMZA_BUILDDIR
}

gui_fail() {
  echo "$gui_name: $*" >&2
  exit 1
}

skip() {
  echo "1..0 # SKIP $*"
  exit 0
}

# gui_require_tools [TOOL...]: the tools of every GUI test, and TOOLs.
gui_require_tools() {
  local tool
  for tool in Xvfb xauth dbus-run-session xdotool import "$@" /usr/bin/python3; do
    command -v "$tool" >/dev/null 2>&1 ||
      gui_fail "missing $tool; install the packages of tools/deps-test.txt"
  done
  /usr/bin/python3 -c 'import dogtail, pyatspi' 2>/dev/null ||
    gui_fail "python3-dogtail / python3-pyatspi are not installed"
}

# gui_skip_without_card_bed [--openssl] [--p11-kit-softhsm] [--softhsm-lib]:
# like the card service tests, skip where pcscd cannot run for us; the
# options add what some suites need besides.
gui_skip_without_card_bed() {
  local tool opt
  [ "$(id -u)" = 0 ] || skip "pcscd tests need root (pcscd writes /run/pcscd)"
  [ -x /usr/sbin/pcscd ] || skip "needs the package pcscd"
  [ -e /usr/lib/pcsc/drivers/serial/libifdvpcd.so ] || skip "needs the package vsmartcard-vpcd"
  for tool in softhsm2-util p11tool certtool; do
    command -v "$tool" >/dev/null 2>&1 || skip "needs softhsm2 and gnutls-bin ($tool)"
  done
  for opt in "$@"; do
    case "$opt" in
      --openssl)
        command -v openssl >/dev/null 2>&1 || skip "needs openssl" ;;
      --p11-kit-softhsm)
        [ -f /usr/share/p11-kit/modules/softhsm2.module ] ||
          skip "GnuTLS finds the SoftHSM2 token through p11-kit's softhsm2.module (package softhsm2)" ;;
      --softhsm-lib)
        [ -e /usr/lib/softhsm/libsofthsm2.so ] || skip "needs /usr/lib/softhsm/libsofthsm2.so" ;;
      *) gui_fail "gui_skip_without_card_bed: unknown option $opt" ;;
    esac
  done
}

# gui_require_built [-f] FILE: FILE is built (an executable, or with -f a file).
gui_require_built() {
  if [ "$1" = -f ]; then
    [ -f "$2" ] || gui_fail "$2 is not built"
  else
    [ -x "$1" ] || gui_fail "$1 is not built"
  fi
}

# gui_require_app: the built app, as EIMZA_APP.
gui_require_app() {
  gui_require_built "$EIMZA_BUILDDIR/src/ui/eimza-asistan"
  export EIMZA_APP="$EIMZA_BUILDDIR/src/ui/eimza-asistan"
}

# gui_require_locale [--mo]: the scenario runs in Turkish (EIMZA_GUI_LANG=C
# runs it untranslated); --mo also wants the build tree's catalogue.
gui_require_locale() {
  [ "${EIMZA_GUI_LANG:-tr}" = tr ] || return 0
  locale -a 2>/dev/null | grep -qix 'tr_TR\.utf8' ||
    gui_fail "the tr_TR.UTF-8 locale is missing; tools/quickstart.sh test generates it"
  if [ "${1:-}" = --mo ]; then
    gui_require_built -f "$EIMZA_BUILDDIR/po/tr/LC_MESSAGES/eimza-asistan.mo"
  fi
}

# gui_session SUITE [--scratch-var] [--no-leak-check]: for the suite in
# tests/gui-SUITE.
# Empties $EIMZA_BUILDDIR/tests/gui-SUITE-artifacts (EIMZA_GUI_ARTIFACTS);
# makes a private home, runtime and XDG dirs in a scratch dir removed on
# exit ($gui_scratch; with --scratch-var also EIMZA_GUI_<SUITE>_SCRATCH), so
# nothing of the machine's session leaks in; GTK on X11 with memory
# GSettings and the build tree's schemas and catalogues; --no-leak-check
# for a suite whose known leaks are not fixed yet (say which, where used).
gui_session() {
  local suffix="${1:+-$1}" opt scratch_var=no leak_check=yes
  for opt in "${@:2}"; do
    case "$opt" in
      --scratch-var) scratch_var=yes ;;
      --no-leak-check) leak_check=no ;;
      *) gui_fail "gui_session: unknown option $opt" ;;
    esac
  done
  gui_artifacts="$EIMZA_BUILDDIR/tests/gui$suffix-artifacts"
  rm -rf "$gui_artifacts"
  mkdir -p "$gui_artifacts"
  export EIMZA_GUI_ARTIFACTS="$gui_artifacts"

  gui_scratch="$(mktemp -d "${TMPDIR:-/tmp}/eimza-gui$suffix.XXXXXX")"
  trap 'gui_stop_xvfb; rm -rf "$gui_scratch"' EXIT
  chmod 700 "$gui_scratch"
  if [ "$scratch_var" = yes ]; then
    export "EIMZA_GUI_$(echo "$1" | tr '[:lower:]-' '[:upper:]_')_SCRATCH=$gui_scratch"
  fi
  export HOME="$gui_scratch" XDG_RUNTIME_DIR="$gui_scratch"
  export XDG_CONFIG_HOME="$gui_scratch/config" XDG_CACHE_HOME="$gui_scratch/cache"
  export XDG_DATA_HOME="$gui_scratch/data"
  unset DISPLAY WAYLAND_DISPLAY DBUS_SESSION_BUS_ADDRESS AT_SPI_BUS_ADDRESS NO_AT_BRIDGE GTK_MODULES
  export GDK_BACKEND=x11
  export GSETTINGS_BACKEND=memory
  export GSETTINGS_SCHEMA_DIR="$EIMZA_BUILDDIR/data"
  export EIMZA_ASISTAN_LOCALEDIR="$EIMZA_BUILDDIR/po"
  export LOGNAME="${LOGNAME:-$(id -un)}"

  # The app is built with ASan in CI; every ASan and UBSan check stops it
  # (the test then fails), LeakSanitizer's at exit included.  G_SLICE:
  # GLib 2.74's slice allocator keeps every GObject, GTask and GBytes in
  # magazines that stay reachable, so without always-malloc no leaked
  # object is ever reported.  app-lsan.supp names the third-party one-offs.
  # Stacks stay short (Debian's libraries have no frame pointers): full
  # ones (fast_unwind_on_malloc=0) make the app 10-30 times slower, and a
  # slow app turns the tests' typed "ş" into the next remapped letter.
  export EIMZA_APP_ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=1"
  # exitcode=0: App.check_stderr() judges the report, since one GLib
  # one-off has a stack no suppression can name (eimza_gui.leaks_reported).
  export EIMZA_APP_LSAN_OPTIONS="suppressions=$gui_lib_dir/app-lsan.supp:print_suppressions=0:exitcode=0"
  export EIMZA_APP_G_SLICE=always-malloc
  if [ "$leak_check" = no ]; then
    export EIMZA_APP_ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0"
    unset EIMZA_APP_LSAN_OPTIONS EIMZA_APP_G_SLICE
  fi
  export EIMZA_APP_UBSAN_OPTIONS="${UBSAN_OPTIONS:-halt_on_error=1:abort_on_error=1:print_stacktrace=1}"
}

# gui_screen_size WxH: the size of the Xvfb screen of gui_run.
gui_screen_size() {
  gui_screen="$1"
}

# The test's tools (pcscd, softhsm2-util, the simulator) must not run with
# the sanitizer options meson sets.
gui_unset_sanitizer_env() {
  unset ASAN_OPTIONS UBSAN_OPTIONS LSAN_OPTIONS MSAN_OPTIONS
}

# gui_start_xvfb: a private X server for this test, on a display number
# the server picks itself (-displayfd) and with its own cookie; sets DISPLAY,
# XAUTHORITY and gui_xvfb_pid.  xvfb-run -a looks for a free number by its
# lock file and then starts the server, so two GUI suites starting at once
# on one machine (two build trees, or a suite run by hand beside CI) can
# pick the same number: the second one's clients then reach the first
# one's server and are refused.
gui_start_xvfb() {
  local auth="$gui_scratch/Xauthority" number_file="$gui_scratch/xvfb-display"
  local cookie number tries=0
  cookie="$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')"
  : >"$auth"
  # The server takes every cookie of its -auth file, whatever the display
  # number; the clients look one up by number, added once it is known.
  xauth -q -f "$auth" add :0 MIT-MAGIC-COOKIE-1 "$cookie"
  : >"$number_file"
  Xvfb -displayfd 3 -auth "$auth" -nolisten tcp -noreset -screen 0 "${gui_screen:-1280x800}x24" \
    3>"$number_file" 2>"$gui_artifacts/xvfb.log" &
  gui_xvfb_pid=$!
  # Xvfb writes the number once it accepts connections.
  until [ "$(wc -l <"$number_file")" -ge 1 ]; do
    kill -0 "$gui_xvfb_pid" 2>/dev/null ||
      gui_fail "Xvfb exited at start (see $gui_artifacts/xvfb.log)"
    tries=$((tries + 1))
    [ "$tries" -le 300 ] || gui_fail "Xvfb gave no display number within 30 s"
    sleep 0.1
  done
  number="$(tr -dc 0-9 <"$number_file")"
  [ -n "$number" ] || gui_fail "Xvfb wrote no display number"
  xauth -q -f "$auth" add ":$number" MIT-MAGIC-COOKIE-1 "$cookie"
  export DISPLAY=":$number" XAUTHORITY="$auth"
}

gui_stop_xvfb() {
  if [ -n "${gui_xvfb_pid:-}" ]; then
    kill "$gui_xvfb_pid" 2>/dev/null || true
    wait "$gui_xvfb_pid" 2>/dev/null || true
    gui_xvfb_pid=""
  fi
}

# gui_run LABEL SCRIPT [ARG...]: SCRIPT under its own Xvfb, D-Bus session and
# a11y bus; exits with its status.  The screen is 1280x800 unless
# gui_screen_size says otherwise (gui-themes: room for GDK_SCALE=2).
gui_run() {
  local label="$1" script="$2" status
  shift 2
  echo "# $label: app $EIMZA_APP, artifacts in $gui_artifacts"
  gui_start_xvfb
  # The session bus and the a11y registry chat on stdout/stderr about
  # activating services; keep that out of the TAP output.
  local noise=(-e 'Failed to set fd limit' -e 'Activating service name='
               -e 'Successfully activated service' -e 'SpiRegistry daemon is running')
  set +e
  dbus-run-session -- /usr/bin/python3 "$script" "$@" \
    2> >(grep --line-buffered -v "${noise[@]}" >&2) \
    | { grep --line-buffered -v "${noise[@]}" || true; }
  status=${PIPESTATUS[0]}
  set -e
  gui_stop_xvfb
  wait
  echo "# $label finished with status $status; artifacts in $gui_artifacts"
  exit "$status"
}

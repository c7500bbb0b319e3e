#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Runs the demo GUI test under its own Xvfb, D-Bus session and a11y bus.
# No pcscd: the demo must work without one. The app's temporary files go
# to a private TMPDIR, so that the test can tell that the demo removed its
# own.
#
# Started by meson (tests/gui-demo/meson.build, suite 'gui-demo') with
# EIMZA_BUILDDIR and EIMZA_SRCDIR set; by hand:
#   EIMZA_BUILDDIR=_build tests/gui-demo/run-gui-demo-test.sh
# Screenshots, accessible-tree dumps and logs end up in
# $EIMZA_BUILDDIR/tests/gui-demo-artifacts/.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
: "${EIMZA_SRCDIR:=$(cd "$here/../.." && pwd)}"
: "${EIMZA_BUILDDIR:?set EIMZA_BUILDDIR to the meson build directory}"
EIMZA_BUILDDIR="$(cd "$EIMZA_BUILDDIR" && pwd)"
export EIMZA_SRCDIR EIMZA_BUILDDIR

skip() {
  echo "1..0 # SKIP $*"
  exit 0
}

for tool in xvfb-run Xvfb dbus-run-session xdotool import /usr/bin/python3; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    echo "run-gui-demo-test: missing $tool; install the packages of tools/deps-test.txt" >&2
    exit 1
  fi
done
if ! /usr/bin/python3 -c 'import dogtail, pyatspi' 2>/dev/null; then
  echo "run-gui-demo-test: python3-dogtail / python3-pyatspi are not installed" >&2
  exit 1
fi
# The first case needs the demo's virtual card (the second one runs without).
for tool in softhsm2-util p11tool certtool; do
  command -v "$tool" >/dev/null 2>&1 || skip "the demo's virtual card needs softhsm2 and gnutls-bin ($tool)"
done

app="$EIMZA_BUILDDIR/src/ui/eimza-asistan"
sim="$EIMZA_BUILDDIR/tools/portal-sim/eimza-portal-sim"
card="$EIMZA_BUILDDIR/tools/demo/eimza-demo-card"
for f in "$app" "$sim" "$card"; do
  if [ ! -x "$f" ]; then
    echo "run-gui-demo-test: $f is not built" >&2
    exit 1
  fi
done
export EIMZA_APP="$app"

# The scenario runs in Turkish (EIMZA_GUI_LANG=C runs it untranslated).
if [ "${EIMZA_GUI_LANG:-tr}" = tr ]; then
  if ! locale -a 2>/dev/null | grep -qix 'tr_TR\.utf8'; then
    echo "run-gui-demo-test: the tr_TR.UTF-8 locale is missing; tools/quickstart.sh test generates it" >&2
    exit 1
  fi
fi

artifacts="$EIMZA_BUILDDIR/tests/gui-demo-artifacts"
rm -rf "$artifacts"
mkdir -p "$artifacts"
export EIMZA_GUI_ARTIFACTS="$artifacts"

scratch="$(mktemp -d "${TMPDIR:-/tmp}/eimza-gui-demo.XXXXXX")"
trap 'rm -rf "$scratch"' EXIT
chmod 700 "$scratch"
export EIMZA_GUI_DEMO_SCRATCH="$scratch"
export HOME="$scratch" XDG_RUNTIME_DIR="$scratch"
export XDG_CONFIG_HOME="$scratch/config" XDG_CACHE_HOME="$scratch/cache" XDG_DATA_HOME="$scratch/data"
unset DISPLAY WAYLAND_DISPLAY DBUS_SESSION_BUS_ADDRESS AT_SPI_BUS_ADDRESS NO_AT_BRIDGE GTK_MODULES
# The demo's own settings, never the machine's: it must find its helpers
# in the build tree and make its card itself.
unset EIMZA_DEMO_CARD EIMZA_PORTAL_SIM SOFTHSM2_CONF EIMZA_DEMO_TEST_CAPTCHA_LOG
export GDK_BACKEND=x11
export GSETTINGS_BACKEND=memory
export GSETTINGS_SCHEMA_DIR="$EIMZA_BUILDDIR/data"
export EIMZA_ASISTAN_LOCALEDIR="$EIMZA_BUILDDIR/po"
export LOGNAME="${LOGNAME:-$(id -un)}"

# As in tests/gui: leak checking off for the app only (GTK's caches), every
# other ASan and UBSan check on.
export EIMZA_APP_ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0"
export EIMZA_APP_UBSAN_OPTIONS="${UBSAN_OPTIONS:-halt_on_error=1:abort_on_error=1:print_stacktrace=1}"

# The test's tools must not run with the sanitizer options meson sets.
unset ASAN_OPTIONS UBSAN_OPTIONS LSAN_OPTIONS MSAN_OPTIONS

echo "# demo GUI test: app $app, artifacts in $artifacts"
noise=(-e 'Failed to set fd limit' -e 'Activating service name=' -e 'Successfully activated service'
       -e 'SpiRegistry daemon is running')
set +e
xvfb-run -a -s "-screen 0 1280x800x24 -noreset" \
  dbus-run-session -- /usr/bin/python3 "$here/test_gui_demo.py" "$@" \
  2> >(grep --line-buffered -v "${noise[@]}" >&2) \
  | { grep --line-buffered -v "${noise[@]}" || true; }
status=${PIPESTATUS[0]}
set -e
wait
echo "# demo GUI test finished with status $status; artifacts in $artifacts"
exit "$status"

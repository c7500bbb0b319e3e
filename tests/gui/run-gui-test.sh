#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Runs the AT-SPI GUI test under its own Xvfb, D-Bus session and a11y bus.
#
# Started by meson (tests/meson.build, suite 'gui') with EIMZA_BUILDDIR and
# EIMZA_SRCDIR set; by hand:
#   EIMZA_BUILDDIR=_build EIMZA_SRCDIR=. tests/gui/run-gui-test.sh
# Screenshots, accessible-tree dumps and the app's stderr end up in
# $EIMZA_BUILDDIR/tests/gui-artifacts/.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
: "${EIMZA_SRCDIR:=$(cd "$here/../.." && pwd)}"
: "${EIMZA_BUILDDIR:?set EIMZA_BUILDDIR to the meson build directory}"
EIMZA_BUILDDIR="$(cd "$EIMZA_BUILDDIR" && pwd)"
export EIMZA_SRCDIR EIMZA_BUILDDIR

for tool in xvfb-run Xvfb dbus-run-session xdotool import /usr/bin/python3; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    echo "run-gui-test: missing $tool; install the packages of tools/deps-test.txt" >&2
    exit 1
  fi
done
if ! /usr/bin/python3 -c 'import dogtail, pyatspi' 2>/dev/null; then
  echo "run-gui-test: python3-dogtail / python3-pyatspi are not installed" >&2
  exit 1
fi

app="$EIMZA_BUILDDIR/src/ui/eimza-asistan"
if [ ! -x "$app" ]; then
  echo "run-gui-test: $app is not built" >&2
  exit 1
fi
export EIMZA_APP="$app"

# The scenario runs in Turkish (EIMZA_GUI_LANG=C runs it untranslated).
if [ "${EIMZA_GUI_LANG:-tr}" = tr ]; then
  if ! locale -a 2>/dev/null | grep -qix 'tr_TR\.utf8'; then
    echo "run-gui-test: the tr_TR.UTF-8 locale is missing; tools/quickstart.sh test generates it" >&2
    exit 1
  fi
  mo="$EIMZA_BUILDDIR/po/tr/LC_MESSAGES/eimza-asistan.mo"
  if [ ! -f "$mo" ]; then
    echo "run-gui-test: $mo is not built" >&2
    exit 1
  fi
fi

artifacts="$EIMZA_BUILDDIR/tests/gui-artifacts"
rm -rf "$artifacts"
mkdir -p "$artifacts"
export EIMZA_GUI_ARTIFACTS="$artifacts"

# A private home, runtime and config dir: nothing from the machine's session
# leaks in, and dogtail's scratch files stay out of the way.
scratch="$(mktemp -d "${TMPDIR:-/tmp}/eimza-gui.XXXXXX")"
trap 'rm -rf "$scratch"' EXIT
chmod 700 "$scratch"
export HOME="$scratch" XDG_RUNTIME_DIR="$scratch"
export XDG_CONFIG_HOME="$scratch/config" XDG_CACHE_HOME="$scratch/cache" XDG_DATA_HOME="$scratch/data"
unset DISPLAY WAYLAND_DISPLAY DBUS_SESSION_BUS_ADDRESS AT_SPI_BUS_ADDRESS NO_AT_BRIDGE GTK_MODULES
export GDK_BACKEND=x11
export GSETTINGS_BACKEND=memory
export GSETTINGS_SCHEMA_DIR="$EIMZA_BUILDDIR/data"
export EIMZA_ASISTAN_LOCALEDIR="$EIMZA_BUILDDIR/po"
export LOGNAME="${LOGNAME:-$(id -un)}"

# The app is built with ASan in CI.  Leak checking is off for the app only:
# GTK, fontconfig and the a11y bridge keep caches alive until exit, which
# LeakSanitizer reports although they are not our leaks.  Every other ASan
# and UBSan check stays on and stops the app (the test then fails).
export EIMZA_APP_ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0"
export EIMZA_APP_UBSAN_OPTIONS="${UBSAN_OPTIONS:-halt_on_error=1:abort_on_error=1:print_stacktrace=1}"

echo "# GUI test: app $app, artifacts in $artifacts"
# The session bus and the a11y registry chat on stdout/stderr about
# activating services; keep that out of the TAP output.
noise=(-e 'Failed to set fd limit' -e 'Activating service name=' -e 'Successfully activated service'
       -e 'SpiRegistry daemon is running')
set +e
xvfb-run -a -s "-screen 0 1280x800x24 -noreset" \
  dbus-run-session -- /usr/bin/python3 "$here/test_gui.py" "$@" \
  2> >(grep --line-buffered -v "${noise[@]}" >&2) \
  | { grep --line-buffered -v "${noise[@]}" || true; }
status=${PIPESTATUS[0]}
set -e
wait
echo "# GUI test finished with status $status; artifacts in $artifacts"
exit "$status"

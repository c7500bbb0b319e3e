#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Runs the .jnlp GUI test under its own Xvfb, D-Bus session and a11y bus,
# with private XDG directories holding the app's desktop file and MIME
# package, a real pcscd (vpcd's virtual readers), a virtual card, a SoftHSM2
# token and the portal simulator's NES site.
#
# Started by meson (tests/gui-jnlp/meson.build, suite 'gui-jnlp'); by hand:
#   EIMZA_BUILDDIR=_build tests/gui-jnlp/run-gui-jnlp-test.sh
# Screenshots, accessible-tree dumps and logs end up in
# $EIMZA_BUILDDIR/tests/gui-jnlp-artifacts/.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
: "${EIMZA_SRCDIR:=$(cd "$here/../.." && pwd)}"
: "${EIMZA_BUILDDIR:?set EIMZA_BUILDDIR to the meson build directory}"
EIMZA_BUILDDIR="$(cd "$EIMZA_BUILDDIR" && pwd)"
: "${EIMZA_DESKTOP_FILE:=$EIMZA_BUILDDIR/data/io.github.eimza.Asistan.desktop}"
: "${EIMZA_PORTAL_SIM:=$EIMZA_BUILDDIR/tools/portal-sim/eimza-portal-sim}"
export EIMZA_SRCDIR EIMZA_BUILDDIR EIMZA_DESKTOP_FILE EIMZA_PORTAL_SIM

skip() {
  echo "1..0 # SKIP $*"
  exit 0
}

for tool in xvfb-run Xvfb dbus-run-session xdotool import gio update-mime-database \
            update-desktop-database /usr/bin/python3; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    echo "run-gui-jnlp-test: missing $tool; install the packages of tools/deps-test.txt" >&2
    exit 1
  fi
done
if ! /usr/bin/python3 -c 'import dogtail, pyatspi' 2>/dev/null; then
  echo "run-gui-jnlp-test: python3-dogtail / python3-pyatspi are not installed" >&2
  exit 1
fi

# As the card GUI test: the signing step needs a card in a reader.
[ "$(id -u)" = 0 ] || skip "pcscd tests need root (pcscd writes /run/pcscd)"
[ -x /usr/sbin/pcscd ] || skip "needs the package pcscd"
[ -e /usr/lib/pcsc/drivers/serial/libifdvpcd.so ] || skip "needs the package vsmartcard-vpcd"
for tool in softhsm2-util p11tool certtool; do
  command -v "$tool" >/dev/null 2>&1 || skip "needs softhsm2 and gnutls-bin ($tool)"
done
[ -e /usr/lib/softhsm/libsofthsm2.so ] || skip "needs /usr/lib/softhsm/libsofthsm2.so"
[ -x "$EIMZA_PORTAL_SIM" ] || skip "the portal simulator $EIMZA_PORTAL_SIM is not built"

app="$EIMZA_BUILDDIR/src/ui/eimza-asistan"
if [ ! -x "$app" ]; then
  echo "run-gui-jnlp-test: $app is not built" >&2
  exit 1
fi
export EIMZA_APP="$app"
if [ ! -f "$EIMZA_DESKTOP_FILE" ]; then
  echo "run-gui-jnlp-test: $EIMZA_DESKTOP_FILE is not built" >&2
  exit 1
fi

if [ "${EIMZA_GUI_LANG:-tr}" = tr ]; then
  if ! locale -a 2>/dev/null | grep -qix 'tr_TR\.utf8'; then
    echo "run-gui-jnlp-test: the tr_TR.UTF-8 locale is missing; tools/quickstart.sh test generates it" >&2
    exit 1
  fi
fi

artifacts="$EIMZA_BUILDDIR/tests/gui-jnlp-artifacts"
rm -rf "$artifacts"
mkdir -p "$artifacts"
export EIMZA_GUI_ARTIFACTS="$artifacts"

scratch="$(mktemp -d "${TMPDIR:-/tmp}/eimza-gui-jnlp.XXXXXX")"
trap 'rm -rf "$scratch"' EXIT
chmod 700 "$scratch"
export EIMZA_GUI_JNLP_SCRATCH="$scratch"
# The private XDG directories the test installs the desktop file, the MIME
# package and mimeapps.list into; gio looks there first.
export HOME="$scratch" XDG_RUNTIME_DIR="$scratch"
export XDG_CONFIG_HOME="$scratch/config" XDG_CACHE_HOME="$scratch/cache" XDG_DATA_HOME="$scratch/data"
unset DISPLAY WAYLAND_DISPLAY DBUS_SESSION_BUS_ADDRESS AT_SPI_BUS_ADDRESS NO_AT_BRIDGE GTK_MODULES
export GDK_BACKEND=x11
export GSETTINGS_BACKEND=memory
export GSETTINGS_SCHEMA_DIR="$EIMZA_BUILDDIR/data"
export EIMZA_ASISTAN_LOCALEDIR="$EIMZA_BUILDDIR/po"
export LOGNAME="${LOGNAME:-$(id -un)}"

# As in tests/gui: leak checking off for the app only (GTK's caches), every
# other ASan and UBSan check on.
export EIMZA_APP_ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0"
export EIMZA_APP_UBSAN_OPTIONS="${UBSAN_OPTIONS:-halt_on_error=1:abort_on_error=1:print_stacktrace=1}"
unset ASAN_OPTIONS UBSAN_OPTIONS LSAN_OPTIONS MSAN_OPTIONS

echo "# .jnlp GUI test: app $app, artifacts in $artifacts"
noise=(-e 'Failed to set fd limit' -e 'Activating service name=' -e 'Successfully activated service'
       -e 'SpiRegistry daemon is running')
set +e
xvfb-run -a -s "-screen 0 1280x800x24 -noreset" \
  dbus-run-session -- /usr/bin/python3 "$here/test_gui_jnlp.py" "$@" \
  2> >(grep --line-buffered -v "${noise[@]}" >&2) \
  | { grep --line-buffered -v "${noise[@]}" || true; }
status=${PIPESTATUS[0]}
set -e
wait
echo "# .jnlp GUI test finished with status $status; artifacts in $artifacts"
exit "$status"

#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Runs the e-signed application GUI test under its own Xvfb, D-Bus session and
# a11y bus, with a real pcscd (vpcd's virtual readers), a virtual card, a
# SoftHSM2 token and the portal simulator checking signatures
# (--nes-client-ca).
#
# Started by meson (tests/gui-esign/meson.build, suite 'gui-esign') with
# EIMZA_BUILDDIR and EIMZA_SRCDIR set; by hand:
#   EIMZA_BUILDDIR=_build tests/gui-esign/run-gui-esign-test.sh
# Screenshots, accessible-tree dumps and logs end up in
# $EIMZA_BUILDDIR/tests/gui-esign-artifacts/.
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
    echo "run-gui-esign-test: missing $tool; install the packages of tools/deps-test.txt" >&2
    exit 1
  fi
done
if ! /usr/bin/python3 -c 'import dogtail, pyatspi' 2>/dev/null; then
  echo "run-gui-esign-test: python3-dogtail / python3-pyatspi are not installed" >&2
  exit 1
fi

# Like the card service tests: skip where pcscd cannot run for us.
[ "$(id -u)" = 0 ] || skip "pcscd tests need root (pcscd writes /run/pcscd)"
[ -x /usr/sbin/pcscd ] || skip "needs the package pcscd"
[ -e /usr/lib/pcsc/drivers/serial/libifdvpcd.so ] || skip "needs the package vsmartcard-vpcd"
for tool in softhsm2-util p11tool certtool; do
  command -v "$tool" >/dev/null 2>&1 || skip "needs softhsm2 and gnutls-bin ($tool)"
done
for tool in openssl; do
  command -v "$tool" >/dev/null 2>&1 || skip "needs $tool"
done
[ -f /usr/share/p11-kit/modules/softhsm2.module ] ||
  skip "GnuTLS finds the SoftHSM2 token through p11-kit's softhsm2.module (package softhsm2)"

app="$EIMZA_BUILDDIR/src/ui/eimza-asistan"
if [ ! -x "$app" ]; then
  echo "run-gui-esign-test: $app is not built" >&2
  exit 1
fi
export EIMZA_APP="$app"
sim="$EIMZA_BUILDDIR/tools/portal-sim/eimza-portal-sim"
if [ ! -x "$sim" ]; then
  echo "run-gui-esign-test: $sim is not built" >&2
  exit 1
fi
export EIMZA_PORTAL_SIM="$sim"

# The scenario runs in Turkish (EIMZA_GUI_LANG=C runs it untranslated).
if [ "${EIMZA_GUI_LANG:-tr}" = tr ]; then
  if ! locale -a 2>/dev/null | grep -qix 'tr_TR\.utf8'; then
    echo "run-gui-esign-test: the tr_TR.UTF-8 locale is missing; tools/quickstart.sh test generates it" >&2
    exit 1
  fi
fi

artifacts="$EIMZA_BUILDDIR/tests/gui-esign-artifacts"
rm -rf "$artifacts"
mkdir -p "$artifacts"
export EIMZA_GUI_ARTIFACTS="$artifacts"

scratch="$(mktemp -d "${TMPDIR:-/tmp}/eimza-gui-esign.XXXXXX")"
trap 'rm -rf "$scratch"' EXIT
chmod 700 "$scratch"
export EIMZA_GUI_ESIGN_SCRATCH="$scratch"
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

# The test's tools must not run with the sanitizer options meson sets.
unset ASAN_OPTIONS UBSAN_OPTIONS LSAN_OPTIONS MSAN_OPTIONS

echo "# e-signed application GUI test: app $app, artifacts in $artifacts"
noise=(-e 'Failed to set fd limit' -e 'Activating service name=' -e 'Successfully activated service'
       -e 'SpiRegistry daemon is running')
set +e
xvfb-run -a -s "-screen 0 1280x800x24 -noreset" \
  dbus-run-session -- /usr/bin/python3 "$here/test_gui_esign.py" "$@" \
  2> >(grep --line-buffered -v "${noise[@]}" >&2) \
  | { grep --line-buffered -v "${noise[@]}" || true; }
status=${PIPESTATUS[0]}
set -e
wait
echo "# e-signed application GUI test finished with status $status; artifacts in $artifacts"
exit "$status"

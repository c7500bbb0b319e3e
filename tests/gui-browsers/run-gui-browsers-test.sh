#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Runs the browsers GUI test under its own Xvfb, D-Bus session and a11y bus,
# in a private home where it makes real NSS databases (certutil).
#
# Started by meson (tests/gui-browsers/meson.build, suite 'gui-browsers')
# with EIMZA_BUILDDIR and EIMZA_SRCDIR set; by hand:
#   EIMZA_BUILDDIR=_build tests/gui-browsers/run-gui-browsers-test.sh
# Screenshots, accessible-tree dumps and logs end up in
# $EIMZA_BUILDDIR/tests/gui-browsers-artifacts/.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=SCRIPTDIR/../gui-common/gui-env.sh
. "$here/../gui-common/gui-env.sh"
gui_init run-gui-browsers-test
gui_require_tools modutil certutil
# The module the app picks here: p11-kit's proxy (no AKİS software on a
# test machine).
module="$(pkg-config --variable=proxy_module p11-kit-1 2>/dev/null || true)"
[ -n "$module" ] && [ -f "$module" ] || module=/usr/lib/x86_64-linux-gnu/p11-kit-proxy.so
[ -f "$module" ] || skip "needs p11-kit's proxy module (package p11-kit-modules)"
for dir in /usr/lib /usr/lib/x86_64-linux-gnu /usr/local/lib /usr/lib/akia; do
  [ ! -e "$dir/libakisp11.so" ] || skip "Kamu SM's AKİS module is installed: the app would register it"
done
export EIMZA_GUI_BROWSERS_MODULE="$module"
gui_require_app
gui_require_locale
gui_session browsers
gui_unset_sanitizer_env
gui_run "browsers GUI test" "$here/test_gui_browsers.py" "$@"

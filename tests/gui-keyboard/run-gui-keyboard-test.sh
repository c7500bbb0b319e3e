#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Runs the keyboard-only GUI test (test_gui_keyboard.py) on `--demo` under its
# own Xvfb, D-Bus session and a11y bus. No pcscd: the demo needs none.
#
# Started by meson (tests/gui-keyboard/meson.build, suite 'gui-keyboard');
# by hand:
#   EIMZA_BUILDDIR=_build tests/gui-keyboard/run-gui-keyboard-test.sh
# Screenshots and logs end up in $EIMZA_BUILDDIR/tests/gui-keyboard-artifacts/.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=SCRIPTDIR/../gui-common/gui-env.sh
. "$here/../gui-common/gui-env.sh"
gui_init run-gui-keyboard-test
gui_require_tools softhsm2-util p11tool certtool
gui_require_app
gui_require_built "$EIMZA_BUILDDIR/tools/portal-sim/eimza-portal-sim"
gui_require_built "$EIMZA_BUILDDIR/tools/demo/eimza-demo-card"
gui_require_locale
# No leak check (as in gui-demo). The app's own records are only GLib's
# quark block, which App.check_stderr() allows; but the demo's portal
# simulator runs with the app's sanitizer options, and when the demo
# stops it LeakSanitizer reports blocks whose stacks stop in g_malloc
# (Debian's libraries have no frame pointers): six of ~210 bytes, likely
# its TLS connections' sockets, with the client certificates its NES site
# attached to them (eimza-sim-nes-handlers.c, accept_certificate_cb), although it
# disconnects its servers first; not found yet.
gui_session keyboard --scratch-var --no-leak-check
unset EIMZA_DEMO_CARD EIMZA_PORTAL_SIM SOFTHSM2_CONF EIMZA_DEMO_TEST_CAPTCHA_LOG
gui_unset_sanitizer_env
gui_run "keyboard GUI test" "$here/test_gui_keyboard.py" "$@"

#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Runs the themes GUI test (test_gui_themes.py: dark theme, large text, HiDPI) on `--demo` under its
# own Xvfb, D-Bus session and a11y bus. No pcscd: the demo needs none.
#
# Started by meson (tests/gui-themes/meson.build, suite 'gui-themes');
# by hand:
#   EIMZA_BUILDDIR=_build tests/gui-themes/run-gui-themes-test.sh
# Screenshots and logs end up in $EIMZA_BUILDDIR/tests/gui-themes-artifacts/.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=SCRIPTDIR/../gui-common/gui-env.sh
. "$here/../gui-common/gui-env.sh"
gui_init run-gui-themes-test
gui_require_tools softhsm2-util p11tool certtool
gui_require_app
gui_require_built "$EIMZA_BUILDDIR/tools/portal-sim/eimza-portal-sim"
gui_require_built "$EIMZA_BUILDDIR/tools/demo/eimza-demo-card"
gui_require_locale
# No leak check, as in gui-keyboard (see there): the demo's portal
# simulator, which runs with the app's sanitizer options, ends with
# LeakSanitizer records (six blocks of ~245 bytes whose stacks stop in
# g_malloc, likely its connections' sockets); the app's own are only
# GLib's quark block, which App.check_stderr() allows.
gui_session themes --scratch-var --no-leak-check
unset EIMZA_DEMO_CARD EIMZA_PORTAL_SIM SOFTHSM2_CONF EIMZA_DEMO_TEST_CAPTCHA_LOG
# The screenshots show the app's own icon (the welcome page's), as
# installed: the user's icon folder takes the source tree's.
mkdir -p "$XDG_DATA_HOME/icons"
ln -s "${EIMZA_SRCDIR:-$here/../..}/data/icons/hicolor" "$XDG_DATA_HOME/icons/hicolor"
# GDK_SCALE=2 doubles the window: room for it.
gui_screen_size 2560x1600
gui_unset_sanitizer_env
gui_run "themes GUI test" "$here/test_gui_themes.py" "$@"

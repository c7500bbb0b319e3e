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
# shellcheck source=SCRIPTDIR/../gui-common/gui-env.sh
. "$here/../gui-common/gui-env.sh"
gui_init run-gui-demo-test
gui_require_tools
# The first case needs the demo's virtual card (the second one runs without).
for tool in softhsm2-util p11tool certtool; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    echo "1..0 # SKIP the demo's virtual card needs softhsm2 and gnutls-bin ($tool)"
    exit 0
  fi
done
gui_require_app
gui_require_built "$EIMZA_BUILDDIR/tools/portal-sim/eimza-portal-sim"
gui_require_built "$EIMZA_BUILDDIR/tools/demo/eimza-demo-card"
gui_require_locale
# No leak check for the app yet: in the run without softhsm2 (step 3),
# LeakSanitizer reports a 64-byte block and one it points to, whose stacks
# end in g_malloc; not found yet.
gui_session demo --scratch-var --no-leak-check
# The demo's own settings, never the machine's: it must find its helpers
# in the build tree and make its card itself.
unset EIMZA_DEMO_CARD EIMZA_PORTAL_SIM SOFTHSM2_CONF EIMZA_DEMO_TEST_CAPTCHA_LOG
gui_unset_sanitizer_env
gui_run "demo GUI test" "$here/test_gui_demo.py" "$@"

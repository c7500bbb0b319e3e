#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Runs the accessibility GUI test under its own Xvfb, D-Bus session and
# a11y bus, against `eimza-asistan --demo` (its simulator and virtual card;
# no pcscd).
#
# Started by meson (tests/gui-a11y/meson.build, suite 'gui-a11y') with
# EIMZA_BUILDDIR and EIMZA_SRCDIR set; by hand:
#   EIMZA_BUILDDIR=_build tests/gui-a11y/run-gui-a11y-test.sh
# Screenshots of every page checked, the announcements heard and logs end
# up in $EIMZA_BUILDDIR/tests/gui-a11y-artifacts/.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=SCRIPTDIR/../gui-common/gui-env.sh
. "$here/../gui-common/gui-env.sh"
gui_init run-gui-a11y-test
gui_require_tools
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
# As tests/gui-demo: the demo's leak in its run without softhsm2 is not
# found yet.
gui_session a11y --scratch-var --no-leak-check
unset EIMZA_DEMO_CARD EIMZA_PORTAL_SIM SOFTHSM2_CONF EIMZA_DEMO_TEST_CAPTCHA_LOG
gui_unset_sanitizer_env
gui_run "accessibility GUI test" "$here/test_gui_a11y.py" "$@"

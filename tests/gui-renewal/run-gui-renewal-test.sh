#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Runs the AT-SPI GUI test under its own Xvfb, D-Bus session and a11y bus.
#
# Started by meson (tests/gui-renewal/meson.build, suite 'gui-renewal') with EIMZA_BUILDDIR and
# EIMZA_SRCDIR set; by hand:
#   EIMZA_BUILDDIR=_build EIMZA_SRCDIR=. tests/gui-renewal/run-gui-renewal-test.sh
# Screenshots, accessible-tree dumps and the app's stderr end up in
# $EIMZA_BUILDDIR/tests/gui-renewal-artifacts/.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=SCRIPTDIR/../gui-common/gui-env.sh
. "$here/../gui-common/gui-env.sh"
gui_init run-gui-renewal-test
gui_require_tools
gui_require_app
gui_require_locale --mo
gui_session renewal
gui_run "renewal GUI test" "$here/test_gui_renewal.py" "$@"

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
# shellcheck source=SCRIPTDIR/../gui/gui-env.sh
. "$here/../gui/gui-env.sh"
gui_init run-gui-test
gui_require_tools
gui_require_app
gui_require_locale --mo
gui_session ""
gui_run "GUI test" "$here/test_gui.py" "$@"

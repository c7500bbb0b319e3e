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
# shellcheck source=SCRIPTDIR/../gui-common/gui-env.sh
. "$here/../gui-common/gui-env.sh"
gui_init run-gui-jnlp-test
: "${EIMZA_DESKTOP_FILE:=$EIMZA_BUILDDIR/data/io.github.eimza.Asistan.desktop}"
: "${EIMZA_PORTAL_SIM:=$EIMZA_BUILDDIR/tools/portal-sim/eimza-portal-sim}"
export EIMZA_DESKTOP_FILE EIMZA_PORTAL_SIM
gui_require_tools gio update-mime-database update-desktop-database
# As the card GUI test: the signing step needs a card in a reader.
gui_skip_without_card_bed --softhsm-lib
[ -x "$EIMZA_PORTAL_SIM" ] || skip "the portal simulator $EIMZA_PORTAL_SIM is not built"
gui_require_app
gui_require_built -f "$EIMZA_DESKTOP_FILE"
gui_require_locale
# The private XDG directories are where the test installs the desktop file,
# the MIME package and mimeapps.list; gio looks there first.
gui_session jnlp --scratch-var
gui_unset_sanitizer_env
gui_run ".jnlp GUI test" "$here/test_gui_jnlp.py" "$@"

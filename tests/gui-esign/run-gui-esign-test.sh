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
# shellcheck source=SCRIPTDIR/../gui-common/gui-env.sh
. "$here/../gui-common/gui-env.sh"
gui_init run-gui-esign-test
gui_require_tools
gui_skip_without_card_bed --openssl --p11-kit-softhsm
gui_require_app
gui_require_built "$EIMZA_BUILDDIR/tools/portal-sim/eimza-portal-sim"
export EIMZA_PORTAL_SIM="$EIMZA_BUILDDIR/tools/portal-sim/eimza-portal-sim"
gui_require_locale
gui_session esign --scratch-var
gui_unset_sanitizer_env
gui_run "e-signed application GUI test" "$here/test_gui_esign.py" "$@"

#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Runs the card GUI test under its own Xvfb, D-Bus session and a11y bus, with
# a real pcscd (vpcd's virtual readers), a virtual card and a SoftHSM2 token.
#
# Started by meson (tests/gui-card/meson.build, suite 'gui-card') with
# EIMZA_BUILDDIR, EIMZA_SRCDIR and EIMZA_PIN_POLICY_MODULE set; by hand:
#   EIMZA_BUILDDIR=_build EIMZA_PIN_POLICY_MODULE=_build/tests/card/pin-policy-module.so \
#     tests/gui-card/run-gui-card-test.sh
# Screenshots, accessible-tree dumps and logs end up in
# $EIMZA_BUILDDIR/tests/gui-card-artifacts/.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=SCRIPTDIR/../gui-common/gui-env.sh
. "$here/../gui-common/gui-env.sh"
gui_init run-gui-card-test
: "${EIMZA_PIN_POLICY_MODULE:=$EIMZA_BUILDDIR/tests/card/pin-policy-module.so}"
export EIMZA_PIN_POLICY_MODULE
gui_require_tools
gui_skip_without_card_bed
[ -f "$EIMZA_PIN_POLICY_MODULE" ] || skip "the PIN policy module $EIMZA_PIN_POLICY_MODULE is not built"
gui_require_app
gui_require_locale
# No leak check for the app yet: after pcscd is restarted (the keypad
# reader), LeakSanitizer reports a pcsc-lite context from
# SCardEstablishContext() that the card service never released.
gui_session card --scratch-var --no-leak-check
gui_unset_sanitizer_env
gui_run "card GUI test" "$here/test_gui_card.py" "$@"

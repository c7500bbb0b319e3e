#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Runs the reminders GUI test under its own Xvfb, D-Bus session and a11y
# bus, with a real pcscd (vpcd's virtual readers), a virtual card, SoftHSM2
# tokens with chosen dates and Debian's notification-daemon.
#
# Started by meson (suite 'gui-reminders') with EIMZA_BUILDDIR; by hand:
#   EIMZA_BUILDDIR=_build tests/gui-reminders/run-gui-reminders-test.sh
# Screenshots and logs end up in $EIMZA_BUILDDIR/tests/gui-reminders-artifacts/.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=SCRIPTDIR/../gui-common/gui-env.sh
. "$here/../gui-common/gui-env.sh"
gui_init run-gui-reminders-test
gui_require_tools dbus-monitor gdbus stdbuf openssl
[ -x /usr/lib/notification-daemon/notification-daemon ] ||
  gui_fail "missing notification-daemon; install the packages of tools/deps-test.txt"
gui_skip_without_card_bed --softhsm-lib
gui_require_app
gui_require_locale
# No leak check, as in gui-card: pcsc-lite's context is reported at exit.
gui_session reminders --scratch-var --no-leak-check
gui_unset_sanitizer_env
gui_run "reminders GUI test" "$here/test_gui_reminders.py" "$@"

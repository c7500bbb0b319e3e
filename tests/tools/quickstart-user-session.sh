#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# The desktop session test-quickstart-user.sh gives its person, run as that
# person under xvfb-run: a session bus at $XDG_RUNTIME_DIR/bus, where
# systemd's dbus.socket puts it on a real desktop (and where quickstart.sh
# finds it when started through sudo), then COMMAND.  The accessibility
# bus is started on demand by that session bus, as on a desktop.
#
#   quickstart-user-session.sh COMMAND [ARG...]
set -euo pipefail

: "${XDG_RUNTIME_DIR:?the session needs XDG_RUNTIME_DIR}"
bus="$XDG_RUNTIME_DIR/bus"
[ ! -e "$bus" ] || { echo "quickstart-user-session: $bus exists already" >&2; exit 1; }

dbus-daemon --session --nofork --nopidfile --address="unix:path=$bus" &
dbus_pid=$!
trap 'kill "$dbus_pid" 2>/dev/null || true; wait "$dbus_pid" 2>/dev/null || true' EXIT
for _ in $(seq 100); do
  [ -S "$bus" ] && break
  sleep 0.05
done
[ -S "$bus" ] || { echo "quickstart-user-session: the session bus did not come up at $bus" >&2; exit 1; }
export DBUS_SESSION_BUS_ADDRESS="unix:path=$bus"

set +e
"$@"
status=$?
set -e
exit "$status"

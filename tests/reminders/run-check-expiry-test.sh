#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# `eimza-asistan --check-expiry` against a real notification server
# (Debian's notification-daemon) on a private session bus, under Xvfb,
# with dbus-monitor capturing every Notify call: what is printed for
# scripts, what is sent at each stage (fixed clock: EIMZA_TEST_NOW, a
# test-only variable), that it is sent once, that the setting stops it and
# that a renewed certificate is not reminded of. The store is written here
# (its recording from a card is suite gui-reminders').
#
# Started by meson (suite 'reminders') with EIMZA_BUILDDIR; by hand:
#   EIMZA_BUILDDIR=_build tests/reminders/run-check-expiry-test.sh
set -euo pipefail

: "${EIMZA_BUILDDIR:?set EIMZA_BUILDDIR to the meson build directory}"
app="$EIMZA_BUILDDIR/src/ui/eimza-asistan"
daemon=/usr/lib/notification-daemon/notification-daemon

for tool in xvfb-run dbus-run-session dbus-monitor gdbus gsettings stdbuf; do
  command -v "$tool" >/dev/null || { echo "missing $tool; install tools/deps-test.txt" >&2; exit 1; }
done
[ -x "$daemon" ] || { echo "missing $daemon (package notification-daemon)" >&2; exit 1; }
[ -x "$app" ] || { echo "$app is not built" >&2; exit 1; }

if [ -z "${EIMZA_REMINDERS_INSIDE:-}" ]; then
  scratch=$(mktemp -d "${TMPDIR:-/tmp}/eimza-reminders.XXXXXX")
  trap 'rm -rf "$scratch"' EXIT
  export EIMZA_REMINDERS_INSIDE=1 EIMZA_REMINDERS_SCRATCH="$scratch"
  export HOME="$scratch" XDG_RUNTIME_DIR="$scratch" XDG_CONFIG_HOME="$scratch/config"
  export XDG_DATA_HOME="$scratch/data" XDG_CACHE_HOME="$scratch/cache"
  unset DISPLAY WAYLAND_DISPLAY DBUS_SESSION_BUS_ADDRESS
  # A setting that a second process sees: the keyfile backend in XDG_CONFIG_HOME.
  export GSETTINGS_BACKEND=keyfile GSETTINGS_SCHEMA_DIR="$EIMZA_BUILDDIR/data"
  export LANG=C.UTF-8 LC_ALL=C.UTF-8 LANGUAGE= TZ="<+03>-3"
  export EIMZA_ASISTAN_LOCALEDIR="$EIMZA_BUILDDIR/po"
  exec xvfb-run -a -s "-screen 0 800x600x24 -noreset" dbus-run-session -- "$0" "$@"
fi

scratch=$EIMZA_REMINDERS_SCRATCH
store_dir="$XDG_DATA_HOME/eimza-asistan"
store="$store_dir/certificates.ini"
monitor_log="$scratch/notify.log"
n=0
failed=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
not_ok() { n=$((n + 1)); failed=1; echo "not ok $n - $1"; }
note() { sed 's/^/# /'; }

NO_AT_BRIDGE=1 "$daemon" >"$scratch/daemon.log" 2>&1 &
daemon_pid=$!
stdbuf -oL dbus-monitor --session \
  "type='method_call',interface='org.freedesktop.Notifications'" >"$monitor_log" 2>/dev/null &
monitor_pid=$!
trap 'kill $daemon_pid $monitor_pid 2>/dev/null || true' EXIT

# The server is up once it answers.
for _ in $(seq 100); do
  gdbus call --session --dest org.freedesktop.Notifications --object-path /org/freedesktop/Notifications \
    --method org.freedesktop.Notifications.GetServerInformation >/dev/null 2>&1 && break
  sleep 0.1
done
gdbus call --session --dest org.freedesktop.Notifications --object-path /org/freedesktop/Notifications \
  --method org.freedesktop.Notifications.GetServerInformation >"$scratch/server.txt"
ok "notification-daemon runs: $(cat "$scratch/server.txt")"

# Everything before a marker call has reached the monitor once the marker has.
markers=0
settle() {
  markers=$((markers + 1))
  gdbus call --session --dest org.freedesktop.Notifications --object-path /org/freedesktop/Notifications \
    --method org.freedesktop.Notifications.GetCapabilities >/dev/null
  for _ in $(seq 100); do
    [ "$(grep -c 'member=GetCapabilities' "$monitor_log")" -ge "$markers" ] && return 0
    sleep 0.05
  done
  echo "# dbus-monitor did not see marker $markers" >&2
  return 1
}
notify_count() { grep -c 'member=Notify' "$monitor_log" || true; }

# check NOW: runs --check-expiry at NOW; its output in $out, stderr in $err.
check() {
  local status=0
  out=$(EIMZA_TEST_NOW="$1" "$app" --check-expiry 2>"$scratch/stderr") || status=$?
  err=$(cat "$scratch/stderr")
  settle
  return $status
}

# Kamu SM-like: a holder's certificate ending 15.06.2027 10:00 (Turkey).
mkdir -p "$store_dir"
chmod 700 "$store_dir"
cat >"$store" <<'STORE'
[store]
version=1
holder-key=00112233445566778899aabbccddeeff

[certificate 1]
serial=5a0c3e11d2a7f00b
issuer=CN=EIMZA Test CA,O=EIMZA Tests,C=TR
holder=7c1f00000000000000000000000000000000000000000000000000000000cafe
label=EIMZA TEST
not-after=2027-06-15T07:00:00Z
STORE
chmod 600 "$store"
before=$(notify_count)

check 2027-03-01T09:00:00+03:00
if [ "$(notify_count)" = "$before" ] &&
   printf '%s\n' "$out" | grep -qP '^5a0c3e11d2a7f00b\t2027-06-15T07:00:00Z\t106\tvalid\t-\tEIMZA TEST$'; then
  ok "before the window: printed as valid, 106 days left, nothing sent"
else
  not_ok "before the window"; printf '%s\n' "$out" "$err" | note
fi

check 2027-04-01T09:00:00+03:00
summary=$(grep -A4 'member=Notify' "$monitor_log" | sed -n 's/^ *string "\(Your e-signature.*\)"$/\1/p' | tail -1)
if [ "$(notify_count)" = $((before + 1)) ] &&
   [ "$summary" = "Your e-signature certificate can be renewed now" ] &&
   printf '%s\n' "$out" | grep -qP '^5a0c3e11d2a7f00b\t\S+\t75\twindow-open\twindow\t'; then
  ok "the window opens: one notification, '$summary'"
else
  not_ok "the window opens (Notify calls: $(notify_count), summary '$summary')"; printf '%s\n' "$out" "$err" | note
fi
if grep -A30 'member=Notify' "$monitor_log" | grep -q 'string "app.start-renewal"' &&
   grep -A30 'member=Notify' "$monitor_log" | grep -q 'string "default"' &&
   grep -A30 'member=Notify' "$monitor_log" | grep -q 'serial …5a0c3e11d2a7f00b\|serial …d2a7f00b'; then
  ok "it opens the renewal when clicked (default action, button app.start-renewal), names the certificate"
else
  not_ok "the notification's actions or body"; grep -A30 'member=Notify' "$monitor_log" | note
fi
case $err in
  *"unable to send notifications"*) not_ok "the server refused the notification"; echo "$err" | note ;;
  *) ok "the server took it (no GLib warning)" ;;
esac
if grep -qx 'reminders-sent=window;' "$store" && [ "$(stat -c %a "$store")" = 600 ]; then
  ok "the store says it was sent, still mode 0600"
else
  not_ok "the store after sending"; note <"$store"
fi

check 2027-04-02T09:00:00+03:00
if [ "$(notify_count)" = $((before + 1)) ] && printf '%s\n' "$out" | grep -qP '\twindow-open\t-\t'; then
  ok "the next day: nothing sent again"
else
  not_ok "the next day"; printf '%s\n' "$out" | note
fi

# The computer was off from the window until 14 days before: one reminder.
check 2027-06-01T09:00:00+03:00
summary=$(grep -A4 'member=Notify' "$monitor_log" | sed -n 's/^ *string "\(Your e-signature.*\)"$/\1/p' | tail -1)
if [ "$(notify_count)" = $((before + 2)) ] && [ "$summary" = "Your e-signature certificate ends in 14 days" ] &&
   printf '%s\n' "$out" | grep -qP '\t14\twindow-open\t14-days\t'; then
  ok "14 days before, after 40 days were missed: one notification, '$summary'"
else
  not_ok "14 days before (Notify calls: $(notify_count), '$summary')"; printf '%s\n' "$out" | note
fi

gsettings set io.github.eimza.Asistan expiry-reminders false
check 2027-06-12T09:00:00+03:00
if [ "$(notify_count)" = $((before + 2)) ] && printf '%s\n' "$out" | grep -qx '# reminders are off (setting expiry-reminders)' &&
   printf '%s\n' "$out" | grep -qP '\t3\twindow-open\t-\t'; then
  ok "the setting off: printed, nothing sent"
else
  not_ok "the setting off"; printf '%s\n' "$out" | note
fi
gsettings set io.github.eimza.Asistan expiry-reminders true
check 2027-06-12T10:00:00+03:00
if [ "$(notify_count)" = $((before + 3)) ] && printf '%s\n' "$out" | grep -qP '\t3-days\t'; then
  ok "the setting on again: the 3-day reminder"
else
  not_ok "the setting on again"; printf '%s\n' "$out" | note
fi

# A newer certificate of the same holder and issuer was seen: no more.
cat >>"$store" <<'STORE'

[certificate 2]
serial=6b1d4f22e3b8011c
issuer=CN=EIMZA Test CA,O=EIMZA Tests,C=TR
holder=7c1f00000000000000000000000000000000000000000000000000000000cafe
label=EIMZA TEST
not-after=2030-06-01T07:00:00Z
STORE
check 2027-06-15T09:00:00+03:00
if [ "$(notify_count)" = $((before + 3)) ] &&
   printf '%s\n' "$out" | grep -qP '^5a0c3e11d2a7f00b\t\S+\t0\trenewed\t-\t' &&
   printf '%s\n' "$out" | grep -qP '^6b1d4f22e3b8011c\t\S+\t\d+\tvalid\t-\t'; then
  ok "renewed: the old one's last day sends nothing"
else
  not_ok "renewed"; printf '%s\n' "$out" | note
fi

printf '[certificate 1]\nserial=01\n' >"$store"
status=0
check 2027-06-15T09:00:00+03:00 || status=$?
if [ "$status" = 1 ] && [[ $err == *"could not be used"* ]]; then
  ok "a damaged store: exit status 1, said on stderr"
else
  not_ok "a damaged store: status $status"; echo "$err" | note
fi

echo "1..$n"
exit $failed

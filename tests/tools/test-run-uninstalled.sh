#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# The README's run command speaks the person's language and never runs the
# app as root: tools/run-uninstalled.sh on this build tree, as a person
# whose locale is Turkish (generated or not), and quickstart.sh's refusal to
# start the app for root. TAP output.
#
#   test-run-uninstalled.sh SRCDIR BUILDDIR
set -uo pipefail

src="$1"
build="$2"
n=0
failed=0

ok() { n=$((n + 1)); echo "ok $n - $1"; }
not_ok() { n=$((n + 1)); failed=1; echo "not ok $n - $1"; [ -z "${2:-}" ] || sed 's/^/# /' <<<"$2"; }

# The app as a person would start it: as root, the test runs it as nobody.
as_person() {
  if [ "$(id -u)" -eq 0 ]; then
    runuser -u nobody -- env HOME=/tmp "$@"
  else
    "$@"
  fi
}

# One of the option descriptions --help prints, in the Turkish catalogue.
turkish='Tüm sayfaları bir portal simülatörü ve sanal bir kartla deneyin'
english='Try every page with a simulated portal and a virtual card'

help_in() {
  as_person env -u LANGUAGE -u LC_ALL -u LC_MESSAGES "LANG=$1" \
    "$src/tools/run-uninstalled.sh" "$build" --help 2>&1
}

if locale -a 2>/dev/null | grep -qix 'tr_TR\.utf8'; then
  out="$(help_in tr_TR.UTF-8)"
  if grep -qF "$turkish" <<<"$out"; then
    ok "LANG=tr_TR.UTF-8: --help is in Turkish"
  else
    not_ok "LANG=tr_TR.UTF-8: --help is not in Turkish" "$out"
  fi
else
  not_ok "the tr_TR.UTF-8 locale is missing (tools/quickstart.sh test generates it)"
fi

# tr_CY.UTF-8 is a Turkish locale that nothing here generates: the app must
# still find its language.
if locale -a 2>/dev/null | grep -qix 'tr_CY\.utf8'; then
  not_ok "tr_CY.UTF-8 is generated on this machine; the test needs a locale that is not"
else
  out="$(help_in tr_CY.UTF-8)"
  if grep -qF "$turkish" <<<"$out"; then
    ok "LANG=tr_CY.UTF-8 (not generated): --help is in Turkish"
  else
    not_ok "LANG=tr_CY.UTF-8 (not generated): --help is not in Turkish" "$out"
  fi
fi

out="$(help_in C.UTF-8)"
if grep -qF "$english" <<<"$out"; then
  ok "LANG=C.UTF-8: --help is in English"
else
  not_ok "LANG=C.UTF-8: --help is not in English" "$out"
fi

# Root gets a refusal from both scripts, before anything is installed or built.
if [ "$(id -u)" -eq 0 ]; then
  out="$(env -u SUDO_USER -u PKEXEC_UID "$src/tools/run-uninstalled.sh" "$build" --version 2>&1)"
  rc=$?
  if [ "$rc" -ne 0 ] && grep -q 'does not run as root' <<<"$out"; then
    ok "run-uninstalled.sh refuses root"
  else
    not_ok "run-uninstalled.sh started the app as root (exit $rc)" "$out"
  fi
  for sudo_user in "" root; do
    out="$(env -u PKEXEC_UID SUDO_USER="$sudo_user" timeout 20 "$src/tools/quickstart.sh" run --version 2>&1 </dev/null)"
    rc=$?
    if [ "$rc" -ne 0 ] && grep -q 'never as root' <<<"$out" && ! grep -q 'Compiling\|Installing' <<<"$out"; then
      ok "quickstart.sh run refuses root (SUDO_USER='$sudo_user')"
    else
      not_ok "quickstart.sh run did not refuse root at once (SUDO_USER='$sudo_user', exit $rc)" "$out"
    fi
  done
else
  echo "ok $((n + 1)) # SKIP the root refusal is checked only when the test runs as root (as in CI)"
  n=$((n + 1))
fi

echo "1..$n"
exit "$failed"

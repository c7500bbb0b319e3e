#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# `eimza-asistan --version` prints "eimza-asistan VERSION" and exits 0,
# with no display. TAP output.
#
#   test-version.sh PROGRAM VERSION
set -u

echo "1..1"
out=$(env -u DISPLAY -u WAYLAND_DISPLAY GSETTINGS_BACKEND=memory "$1" --version 2>&1)
rc=$?
if [ "$rc" -eq 0 ] && [ "$out" = "eimza-asistan $2" ]; then
  echo "ok 1 - --version: $out"
else
  echo "not ok 1 - --version exited with $rc and printed:"
  printf '%s\n' "$out" | sed 's/^/# /'
  exit 1
fi

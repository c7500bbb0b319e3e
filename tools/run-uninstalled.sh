#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Runs the app from a build tree as an installed app would run: its
# translations, GSettings schema and icons from the build and source trees.
#
#   tools/run-uninstalled.sh BUILDDIR [APP ARGS...]
#
# Used by `tools/quickstart.sh run` and by the test that checks it speaks the
# user's language (tests/tools/test-run-uninstalled.sh).
set -euo pipefail

[ $# -ge 1 ] || { echo "usage: $0 BUILDDIR [APP ARGS...]" >&2; exit 2; }

top="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="$(cd "$1" && pwd)"
shift

app="$build/src/ui/eimza-asistan"
[ -x "$app" ] || { echo "run-uninstalled: $app is not built" >&2; exit 1; }

if [ "$(id -u)" -eq 0 ]; then
  echo "run-uninstalled: E-İmza Asistanı does not run as root; start it as the person at the desktop" >&2
  exit 1
fi

# The catalogues meson compiled (BUILDDIR/po/LANG/LC_MESSAGES/eimza-asistan.mo);
# without them the app looks in the install prefix and speaks English.
export EIMZA_ASISTAN_LOCALEDIR="$build/po"
export GSETTINGS_SCHEMA_DIR="$build/data"
# The application's icons, as if installed.
export XDG_DATA_DIRS="$top/data:${XDG_DATA_DIRS:-/usr/local/share:/usr/share}"

exec "$app" "$@"

#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Runs bench/memory.py (the app's RSS idle, after a full renewal and after a
# full e-onay, in one app process) from a plain release build, under Xvfb,
# a private D-Bus session and the a11y bus, with pcscd, a virtual card,
# a SoftHSM2 token and the portal simulator, as the GUI suites run; see
# bench/README.md.  Needs root (pcscd), like the card GUI suites.
#
#   bench/memory.sh                      configures and builds _build-bench (release) if needed
#   bench/memory.sh _build-other         any non-sanitizer build dir
#   bench/memory.sh --rounds 3           more rounds of renewal + e-onay (default 2)
set -euo pipefail

top=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
builddir=$top/_build-bench
if [ $# -gt 0 ] && [[ $1 != -* ]]; then
    builddir=$1
    shift
fi

if [ ! -f "$builddir/meson-private/coredata.dat" ]; then
    echo "==> Configuring $builddir (buildtype=release)" >&2
    meson setup "$builddir" "$top" --buildtype=release >&2
fi

# ASan and UBSan distort every figure: refuse such a build, as startup.py does.
read -r sanitize buildtype < <(meson introspect --buildoptions "$builddir" | /usr/bin/python3 -c '
import json, sys
opts = {opt["name"]: opt["value"] for opt in json.load(sys.stdin)}
print(opts.get("b_sanitize", "none") or "none", opts.get("buildtype", "?"))')
if [ "$sanitize" != none ]; then
    echo "memory.sh: $builddir is a sanitizer build (b_sanitize=$sanitize); use a plain one, e.g. the default _build-bench" >&2
    exit 2
fi
case $buildtype in
    release|debugoptimized|minsize) ;;
    *) echo "memory.sh: warning: $builddir has buildtype=$buildtype; figures of an unoptimized build mislead" >&2 ;;
esac

echo "==> Compiling $builddir (buildtype=$buildtype)" >&2
meson compile -C "$builddir" >&2

EIMZA_BUILDDIR=$builddir
EIMZA_SRCDIR=$top
export EIMZA_BUILDDIR EIMZA_SRCDIR
# shellcheck source=SCRIPTDIR/../tests/gui-common/gui-env.sh
. "$top/tests/gui-common/gui-env.sh"
gui_init memory.sh
gui_require_tools
gui_skip_without_card_bed --openssl --p11-kit-softhsm
gui_require_app
gui_require_built "$EIMZA_BUILDDIR/tools/portal-sim/eimza-portal-sim"
export EIMZA_PORTAL_SIM="$EIMZA_BUILDDIR/tools/portal-sim/eimza-portal-sim"
gui_require_locale --mo
gui_session memory --scratch-var
gui_unset_sanitizer_env
gui_run "memory benchmark" "$top/bench/memory.py" "$@"

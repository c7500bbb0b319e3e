#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Runs bench/portal (the portal flow with the client and with curl, and page
# parse times) from a plain release build; see bench/README.md.
#
#   bench/portal.sh                      configures and builds _build-bench (release) if needed
#   bench/portal.sh _build-other         any non-sanitizer build dir
#   bench/portal.sh --runs 40            more runs; other options: --help
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
    echo "portal.sh: $builddir is a sanitizer build (b_sanitize=$sanitize); use a plain one, e.g. the default _build-bench" >&2
    exit 2
fi
case $buildtype in
    release|debugoptimized|minsize) ;;
    *) echo "portal.sh: warning: $builddir has buildtype=$buildtype; figures of an unoptimized build mislead" >&2 ;;
esac

# Only what the benchmark runs; build.ninja first, in case meson.build changed.
echo "==> Compiling bench/portal and the simulator in $builddir (buildtype=$buildtype)" >&2
ninja -C "$builddir" build.ninja >/dev/null
meson compile -C "$builddir" bench/portal tools/portal-sim/eimza-portal-sim >&2

# Loopback only: no proxy for libsoup nor curl, no desktop settings, no debug output.
exec env -u G_MESSAGES_DEBUG LC_ALL=C.UTF-8 GSETTINGS_BACKEND=memory no_proxy='*' NO_PROXY='*' \
    "$builddir/bench/portal" \
    --simulator "$builddir/tools/portal-sim/eimza-portal-sim" \
    --pages "$top/tools/portal-sim/sample-pages" \
    "$@"

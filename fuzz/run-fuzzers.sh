#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Builds the libFuzzer harnesses with clang (ASan + UBSan) and runs each one
# for SECONDS (default 60). Exits non-zero when a harness finds a crash; the
# input that crashed is left in <builddir>/artifacts/.
#
#   fuzz/run-fuzzers.sh [SECONDS]
#
# Needs clang and libclang-rt-14-dev (apt-get install -y clang
# libclang-rt-14-dev). FUZZ_BUILDDIR overrides the build directory
# (default _build-fuzz); the seed corpora in fuzz/corpus/ are only read,
# new inputs go to <builddir>/corpus/.
set -euo pipefail

seconds=${1:-60}
fuzz_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
top=$(dirname "$fuzz_dir")
build=${FUZZ_BUILDDIR:-$top/_build-fuzz}
# fuzz/fuzz-NAME.c, seeds in fuzz/corpus/NAME/, optional fuzz/NAME.dict.
harnesses=(portal-page jnlp)

if ! command -v clang >/dev/null; then
    echo "run-fuzzers.sh: clang is missing: apt-get install -y clang libclang-rt-14-dev" >&2
    exit 2
fi

# The project's static libraries, instrumented for coverage; meson only
# builds the two the harnesses link.
if [ ! -f "$build/build.ninja" ]; then
    CC=clang meson setup "$build" "$top" \
        -Dbuildtype=debugoptimized \
        -Db_sanitize=address,undefined \
        -Db_lundef=false \
        -Dc_args="-fsanitize=fuzzer-no-link -fno-sanitize-recover=undefined" >/dev/null
fi
ninja -C "$build" src/core/libeimza-core.a src/portal/libeimza-portal.a >/dev/null

# shellcheck disable=SC2207
pkg_flags=($(pkg-config --cflags --libs gio-2.0 libsoup-3.0 libxml-2.0))

status=0
for name in "${harnesses[@]}"; do
    exe="$build/fuzz-$name"
    clang -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined \
        -I"$build" -I"$top/src/core" -I"$build/src/core" -I"$top/src/portal" -I"$build/src/portal" \
        "$fuzz_dir/fuzz-$name.c" \
        "$build/src/portal/libeimza-portal.a" "$build/src/core/libeimza-core.a" \
        "${pkg_flags[@]}" -o "$exe"

    corpus="$build/corpus/$name"
    artifacts="$build/artifacts/$name/"
    mkdir -p "$corpus" "$artifacts"
    dict=()
    if [ -f "$fuzz_dir/$name.dict" ]; then
        dict=(-dict="$fuzz_dir/$name.dict")
    fi

    echo "=== fuzz-$name for $seconds s"
    # Pages are at most 2 MiB, .jnlp files 256 KiB; 64 KiB inputs reach every
    # branch of both parsers but the size check.
    if ASAN_OPTIONS=detect_leaks=1:abort_on_error=0 \
       UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
       G_DEBUG=fatal-criticals \
       "$exe" "${dict[@]}" \
           -max_total_time="$seconds" -max_len=65536 -timeout=10 -rss_limit_mb=2048 \
           -print_final_stats=1 -artifact_prefix="$artifacts" \
           "$corpus" "$fuzz_dir/corpus/$name"; then
        echo "=== fuzz-$name: no crash"
    else
        echo "=== fuzz-$name: CRASH, see $artifacts" >&2
        status=1
    fi
done

exit $status

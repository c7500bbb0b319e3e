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
# (default _build-fuzz); the seed corpora in fuzz/corpus/ (and the seeds made
# in <builddir>/seeds/: certificates, the profiles) are only read,
# new inputs go to <builddir>/corpus/.
set -euo pipefail

seconds=${1:-60}
fuzz_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
top=$(dirname "$fuzz_dir")
build=${FUZZ_BUILDDIR:-$top/_build-fuzz}
# fuzz/fuzz-NAME.c, seeds in fuzz/corpus/NAME/, optional fuzz/NAME.dict.
harnesses=(portal-page jnlp portal-profile certificate)

# What each harness links: the layer it reads with, and the layers below.
harness_layer() {
    case "$1" in
        certificate) echo card ;;
        *) echo portal ;;
    esac
}

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
ninja -C "$build" src/core/libeimza-core.a src/portal/libeimza-portal.a \
    src/card/libeimza-card.a >/dev/null

# Seed corpora that are made, not kept: DER certificates (Kamu SM's, and
# a leaf like a card's, with a T.C. Kimlik No, non-repudiation and the NES
# policy), and the project's own profiles.
make_seeds() {
    local dir="$build/seeds/$1" pem key i
    rm -rf "$dir"
    mkdir -p "$dir"
    case "$1" in
        certificate)
            i=0
            for pem in "$top"/data/card/*.pem; do
                i=$((i + 1))
                openssl x509 -in "$pem" -outform DER -out "$dir/kamusm-$i.der"
            done
            for key in ec:<(openssl ecparam -name prime256v1) rsa:2048; do
                i=$((i + 1))
                openssl req -x509 -newkey "$key" -nodes -keyout /dev/null -days 730 \
                    -subj "/C=TR/serialNumber=TCKN10000000146/CN=AHMET YILMAZ" \
                    -addext "keyUsage=critical,nonRepudiation" \
                    -addext "certificatePolicies=2.16.792.1.2.1.1.5.7.1.1" \
                    -outform DER -out "$dir/leaf-$i.der" 2>/dev/null
            done
            ;;
        portal-profile)
            cp "$top"/data/portal/*.ini "$dir/"
            ;;
    esac
    echo "$dir"
}

status=0
for name in "${harnesses[@]}"; do
    exe="$build/fuzz-$name"
    layer=$(harness_layer "$name")
    case "$layer" in
        card) pkgs=(gio-2.0 gnutls p11-kit-1 libpcsclite) ;;
        *) pkgs=(gio-2.0 libsoup-3.0 libxml-2.0) ;;
    esac
    # shellcheck disable=SC2207
    pkg_flags=($(pkg-config --cflags --libs "${pkgs[@]}"))
    clang -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined \
        -I"$build" -I"$top/src/core" -I"$build/src/core" \
        -I"$top/src/$layer" -I"$build/src/$layer" \
        "$fuzz_dir/fuzz-$name.c" \
        "$build/src/$layer/libeimza-$layer.a" "$build/src/core/libeimza-core.a" \
        "${pkg_flags[@]}" -o "$exe"

    corpus="$build/corpus/$name"
    artifacts="$build/artifacts/$name/"
    mkdir -p "$corpus" "$artifacts"
    dict=()
    if [ -f "$fuzz_dir/$name.dict" ]; then
        dict=(-dict="$fuzz_dir/$name.dict")
    fi

    seeds=()
    [ -d "$fuzz_dir/corpus/$name" ] && seeds+=("$fuzz_dir/corpus/$name")
    case "$name" in
        certificate|portal-profile) seeds+=("$(make_seeds "$name")") ;;
    esac

    echo "=== fuzz-$name for $seconds s"
    # Pages are at most 2 MiB, .jnlp files 256 KiB; 64 KiB inputs reach every
    # branch of both parsers but the size check.
    if ASAN_OPTIONS=detect_leaks=1:abort_on_error=0 \
       UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
       G_DEBUG=fatal-criticals \
       "$exe" "${dict[@]}" \
           -max_total_time="$seconds" -max_len=65536 -timeout=10 -rss_limit_mb=2048 \
           -print_final_stats=1 -artifact_prefix="$artifacts" \
           "$corpus" "${seeds[@]}"; then
        echo "=== fuzz-$name: no crash"
    else
        echo "=== fuzz-$name: CRASH, see $artifacts" >&2
        status=1
    fi
done

exit $status

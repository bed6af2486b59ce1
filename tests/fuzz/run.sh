#!/usr/bin/env bash
# run.sh - builds the libFuzzer targets of tests/fuzz with clang
# (-fsanitize=fuzzer,address,undefined, in build-fuzz/) and runs each one on
# its seed corpus for a bounded time, FUZZ_JOBS targets at a time.
#
#   bash tests/fuzz/run.sh [SECONDS] [TARGET...]
#
# SECONDS per target (default $FUZZ_SECONDS, else 60); TARGETs default to all
# of them. New inputs go to a scratch directory, never into the repository;
# a crash is copied to build-fuzz/crashes/ (add it to tests/fuzz/corpus/<target>/
# as a regression seed once fixed). With FUZZ_TAP=FILE one TAP result per
# target is written there (tests/run-all.sh counts them). Exit 1 when a target
# crashed, leaked, timed out or did not build.
#   FUZZ_JOBS       targets run at once (default 2)
#   FUZZ_BUILD_DIR  build directory (default build-fuzz)
set -uo pipefail
cd "$(dirname "$0")/../.."

all_targets=(form json query params scenario fixtures replay redact)
seconds=${1:-${FUZZ_SECONDS:-60}}
[ $# -gt 0 ] && shift
targets=("$@")
[ ${#targets[@]} -eq 0 ] && targets=("${all_targets[@]}")
jobs=${FUZZ_JOBS:-2}
dir=${FUZZ_BUILD_DIR:-build-fuzz}
tap=${FUZZ_TAP:-}

tap_out() {
    [ -n "$tap" ] && printf '%s\n' "$@" >>"$tap"
    return 0
}

[ -n "$tap" ] && : >"$tap"
tap_out "1..${#targets[@]}"

# Configure (or reconfigure) the clang build; only the fuzz targets are built.
opts=(-Dfuzz=true -Db_sanitize=address,undefined -Db_lundef=false -Dbuildtype=debugoptimized)
built=true
if [ -f "$dir/meson-private/coredata.dat" ]; then
    meson setup --reconfigure "$dir" "${opts[@]}" >/dev/null || built=false
else
    CC=clang meson setup "$dir" "${opts[@]}" >/dev/null || built=false
fi
if $built && ! ninja -C "$dir" $(printf 'tests/fuzz/fuzz-%s ' "${targets[@]}"); then
    built=false
fi
if ! $built; then
    i=0
    for t in "${targets[@]}"; do
        i=$((i + 1))
        tap_out "not ok $i - fuzz $t (the fuzz build failed)"
    done
    echo "fuzz: build failed" >&2
    exit 1
fi

scratch=$(mktemp -d /tmp/impmock-fuzz-XXXXXX)
trap 'rm -rf "$scratch"' EXIT
mkdir -p "$dir/crashes"

# run_one INDEX TARGET - fuzzes one target; leaves its verdict in $scratch/TARGET.rc
run_one() {
    local i=$1 t=$2 work="$scratch/$2" seeds="tests/fuzz/corpus/$2"
    mkdir -p "$work/corpus" "$work/artifacts"
    local extra=()
    [ -f "tests/fuzz/$t.dict" ] && extra+=("-dict=tests/fuzz/$t.dict")
    # the scratch corpus comes first: libFuzzer writes new inputs to the first directory
    ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
        timeout -k 10 $((seconds + 120)) "$dir/tests/fuzz/fuzz-$t" "$work/corpus" "$seeds" \
        -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=16384 \
        -artifact_prefix="$work/artifacts/" -print_final_stats=1 "${extra[@]}" \
        >"$work/log" 2>&1
    echo $? >"$work/rc"
}

i=0
for t in "${targets[@]}"; do
    i=$((i + 1))
    if [ ! -x "$dir/tests/fuzz/fuzz-$t" ]; then
        echo "fuzz: unknown target $t" >&2
        exit 2
    fi
    run_one "$i" "$t" &
    while [ "$(jobs -rp | wc -l)" -ge "$jobs" ]; do
        wait -n
    done
done
wait

status=0
i=0
for t in "${targets[@]}"; do
    i=$((i + 1))
    work="$scratch/$t"
    rc=$(cat "$work/rc" 2>/dev/null || echo 99)
    runs=$(sed -nE 's/^stat::number_of_executed_units: *([0-9]+).*/\1/p' "$work/log" | tail -n 1)
    if [ "$rc" = 0 ]; then
        echo "fuzz $t: ok, ${runs:-?} runs in ${seconds} s"
        tap_out "ok $i - fuzz $t (${runs:-?} runs in ${seconds} s)"
    else
        status=1
        echo "fuzz $t: FAILED (exit $rc)"
        tail -n 40 "$work/log" | sed 's/^/  /'
        tap_out "not ok $i - fuzz $t (exit $rc)"
        tail -n 40 "$work/log" | sed 's/^/# /' | while IFS= read -r l; do tap_out "$l"; done
        for a in "$work"/artifacts/*; do
            [ -f "$a" ] || continue
            cp "$a" "$dir/crashes/$t-$(basename "$a")"
            echo "  kept $dir/crashes/$t-$(basename "$a")"
            tap_out "# input kept in $dir/crashes/$t-$(basename "$a")"
        done
    fi
done
exit $status

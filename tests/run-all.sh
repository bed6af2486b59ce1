#!/usr/bin/env bash
# run-all.sh - builds impmock twice and runs every test in both builds:
#   build/       -Dwerror=true
#   build-asan/  -Dwerror=true -Db_sanitize=address,undefined
# then the concurrent-clients test once more against a ThreadSanitizer build
# (build-tsan/, -Db_sanitize=thread) and each libFuzzer target for a short
# run (build-fuzz/, clang; FUZZ_SECONDS per target, default 60),
# then checks that third-party headers stay in their modules, counts the
# individual test cases from the TAP the test programs print, and ends with
# the line "N passed, N failed". Exit status 0 only when nothing failed and at
# least one test case ran.
# IMPMOCK_BUILD_DIR / IMPMOCK_ASAN_BUILD_DIR choose other build directories.
set -euo pipefail
cd "$(dirname "$0")/.."

build_dir=${IMPMOCK_BUILD_DIR:-build}
asan_dir=${IMPMOCK_ASAN_BUILD_DIR:-build-asan}

bash scripts/install-deps.sh

# configure DIR MESON_OPTION... - set up DIR, or reconfigure it with these options.
configure() {
    local dir=$1
    shift
    if [ -f "$dir/meson-private/coredata.dat" ]; then
        meson setup --reconfigure "$dir" "$@" || meson setup --wipe "$dir" "$@"
    else
        meson setup "$dir" "$@"
    fi
}

# run_suites DIR TIMEOUT_MULTIPLIER - builds the configured DIR and runs
# `meson test` there. Sets $status for tap_summary.py: meson's exit code, or
# "unbuilt" when the build failed.
run_suites() {
    local dir=$1 mult=$2
    rm -f "$dir/meson-logs/testlog.json" # never count a previous run
    if ! ninja -C "$dir"; then
        status=unbuilt
        return
    fi
    status=0
    meson test -C "$dir" --no-rebuild --print-errorlogs --timeout-multiplier "$mult" || status=$?
}

# The third-party headers belong to few files: civetweb.h only to the HTTP
# side (server.c, admin.c, api*.c) and the tests; the domain modules include
# none of civetweb.h, cJSON.h or sodium.h, not even through a project header.
# Writes one TAP test case to $1.
check_headers() {
    local out=$1 bad=() f inc
    local third_party='^[[:space:]]*#[[:space:]]*include[[:space:]]*[<"]([^>"]*/)?(civetweb|cJSON|sodium)\.h[>"]'
    for f in $(grep -rlE '^[[:space:]]*#[[:space:]]*include[[:space:]]*[<"]([^>"]*/)?civetweb\.h[>"]' mock); do
        case $f in
        mock/server.c | mock/admin.c | mock/api*.c) ;;
        *) bad+=("$f includes civetweb.h (only server.c, admin.c, api*.c and tests may)") ;;
        esac
    done
    shopt -s nullglob
    local domain=(mock/store*.c mock/model*.c mock/cards*.c mock/clock*.c mock/hmap*.c
        mock/billing*.c mock/cancel*.c mock/payment*.c mock/schedule*.c)
    shopt -u nullglob
    for f in "${domain[@]}"; do
        # follow #include "x.h" through mock/ to catch a header that drags one in
        local seen=" " queue=("$f") cur
        while [ "${#queue[@]}" -gt 0 ]; do
            cur=${queue[0]}
            queue=("${queue[@]:1}")
            if grep -qE "$third_party" "$cur"; then
                inc=$(grep -oE "$third_party" "$cur" | head -n 1 | tr -s ' \t' ' ')
                if [ "$cur" = "$f" ]; then
                    bad+=("$f: $inc")
                else
                    bad+=("$f: $inc (through $cur)")
                fi
            fi
            for inc in $(sed -nE 's/^[[:space:]]*#[[:space:]]*include[[:space:]]*"([^"]+)".*/\1/p' "$cur"); do
                if [ -f "mock/$inc" ] && [[ $seen != *" mock/$inc "* ]]; then
                    seen+="mock/$inc "
                    queue+=("mock/$inc")
                fi
            done
        done
    done
    {
        echo "1..1"
        if [ "${#bad[@]}" -eq 0 ]; then
            echo "ok 1 - third-party headers stay in their modules"
        else
            echo "not ok 1 - third-party headers stay in their modules"
            printf '# %s\n' "${bad[@]}"
        fi
    } >"$out"
    if [ "${#bad[@]}" -gt 0 ]; then
        printf 'header check: %s\n' "${bad[@]}" >&2
    fi
}

status=unbuilt
if configure "$build_dir" -Dwerror=true; then
    run_suites "$build_dir" 1
fi
status_plain=$status
status=unbuilt
if configure "$asan_dir" -Dwerror=true -Db_sanitize=address,undefined; then
    run_suites "$asan_dir" 4
fi
status_asan=$status

# Browser tests (tests/e2e): node's test runner drives headless chromium
# against the build/ binary and prints TAP, one line per test. A run that
# cannot start, crashes or exits non-zero counts as a failed case.
e2e_tap="$build_dir/e2e.tap"
run_e2e() {
    local rc=0
    rm -f "$e2e_tap"
    if [ ! -x "$build_dir/impmock" ]; then
        printf '1..1\nnot ok 1 - e2e: no %s/impmock to test\n' "$build_dir" >"$e2e_tap"
        return
    fi
    if ! command -v node >/dev/null 2>&1 || [ ! -d tests/e2e/node_modules/playwright-core ]; then
        printf '1..1\nnot ok 1 - e2e: node or playwright-core missing (scripts/install-deps.sh)\n' \
            >"$e2e_tap"
        return
    fi
    IMPMOCK_BIN="$build_dir/impmock" timeout -k 10 900 \
        node --test --test-reporter=tap tests/e2e/ \
        >"$e2e_tap" 2>"$e2e_tap.err" </dev/null || rc=$?
    if [ "$rc" -ne 0 ]; then
        tail -n 20 "$e2e_tap.err" >&2 || true
        echo "not ok 9999 - e2e: node --test exited with status $rc" >>"$e2e_tap"
    fi
}
run_e2e

# ThreadSanitizer: only the server and the stress test are built; a data race
# in the server stops it (halt_on_error) and so fails the test.
tsan_dir=${IMPMOCK_TSAN_BUILD_DIR:-build-tsan}
status=unbuilt
if configure "$tsan_dir" -Dwerror=true -Db_sanitize=thread; then
    rm -f "$tsan_dir/meson-logs/testlog.json"
    if ninja -C "$tsan_dir" impmock tests/it-stress; then
        status=0
        TSAN_OPTIONS=halt_on_error=1:second_deadlock_stack=1 IMPMOCK_STRESS_SECONDS=3 \
            meson test -C "$tsan_dir" --no-rebuild --print-errorlogs --timeout-multiplier 4 stress ||
            status=$?
    fi
fi
status_tsan=$status

# libFuzzer: one test case per target (tests/fuzz/run.sh writes their TAP)
fuzz_tap=${FUZZ_BUILD_DIR:-build-fuzz}/fuzz.tap
mkdir -p "$(dirname "$fuzz_tap")"
rm -f "$fuzz_tap"
FUZZ_TAP="$fuzz_tap" bash tests/fuzz/run.sh "${FUZZ_SECONDS:-60}" || true
[ -f "$fuzz_tap" ] || echo "fuzz: no results" >"$fuzz_tap"

checks_tap=$(mktemp)
trap 'rm -f "$checks_tap"' EXIT
check_headers "$checks_tap"

summary_rc=0
python3 tests/tap_summary.py \
    --meson "$build_dir" "$build_dir" "$status_plain" \
    --meson "$asan_dir" "$asan_dir" "$status_asan" \
    --meson "$tsan_dir" "$tsan_dir" "$status_tsan" \
    --tap fuzz "$fuzz_tap" \
    --tap e2e "$e2e_tap" \
    --tap headers "$checks_tap" || summary_rc=$?
exit "$summary_rc"

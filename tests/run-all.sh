#!/usr/bin/env bash
# run-all.sh - builds impmock twice and runs every test in both builds:
#   build/       -Dwerror=true
#   build-asan/  -Dwerror=true -Db_sanitize=address,undefined
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

checks_tap=$(mktemp)
trap 'rm -f "$checks_tap"' EXIT
check_headers "$checks_tap"

summary_rc=0
python3 tests/tap_summary.py \
    --meson "$build_dir" "$build_dir" "$status_plain" \
    --meson "$asan_dir" "$asan_dir" "$status_asan" \
    --tap headers "$checks_tap" || summary_rc=$?
exit "$summary_rc"

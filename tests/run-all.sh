#!/usr/bin/env bash
# run-all.sh - builds impmock twice and runs every test in both builds:
#   build/       -Dwerror=true
#   build-asan/  -Dwerror=true -Db_sanitize=address,undefined
# then the concurrent-clients test once more against a ThreadSanitizer build
# (build-tsan/, -Db_sanitize=thread) and each libFuzzer target for a short
# run (build-fuzz/, clang; FUZZ_SECONDS per target, default 60),
# runs the HTTPS tests (tests/tls), the Swagger contract (tests/contract),
# the project's client packages (clients/), the published Node clients (tests/sdk),
# impmock's own OpenAPI description (tests/openapi)
# and the container test (tests/container/run.sh, podman), then checks the
# layout rules of mock/ and its formatting, counts the
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

# The layout rules of mock/ (tools/check_layers.py: includes go down the
# layers only, third-party headers stay in their layers, file and function
# sizes) and clang-format, as TAP cases in $1.
check_source() {
    local out=$1 layers fmt_bad n
    layers=$(python3 tools/check_layers.py || true)
    n=$(grep -cE '^(not )?ok ' <<<"$layers")
    fmt_bad=$(clang-format --dry-run mock/*.c mock/*/*.[ch] 2>&1 | grep -oE '^[^:]+:[0-9]+' | sort -u || true)
    {
        echo "1..$((n + 1))"
        grep -v '^1\.\.' <<<"$layers"
        if [ -z "$fmt_bad" ]; then
            echo "ok $((n + 1)) - mock/ is clang-format clean"
        else
            echo "not ok $((n + 1)) - mock/ is clang-format clean"
            printf '# %s\n' $fmt_bad | head -20
        fi
    } >"$out"
    grep -E '^(not ok|# )' "$out" >&2 || true
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

# The HTTPS listener from outside (tests/tls/run.sh: curl, Node and Java
# reach https://api.iamport.kr on loopback), against the plain build and
# the ASan build (the one place its relay runs under the sanitizers).
tls_tap="$build_dir/tls.tap"
tls_asan_tap="$asan_dir/tls.tap"
IMPMOCK_BIN="$build_dir/impmock" timeout -k 10 600 bash tests/tls/run.sh "$tls_tap" \
    >/dev/null 2>"$tls_tap.err" </dev/null || tail -n 20 "$tls_tap.err" >&2 || true
IMPMOCK_BIN="$asan_dir/impmock" timeout -k 10 600 bash tests/tls/run.sh "$tls_asan_tap" \
    >/dev/null 2>"$tls_asan_tap.err" </dev/null || tail -n 20 "$tls_asan_tap.err" >&2 || true

# Every operation of the Swagger held to its statuses and response schemas
# (tests/contract/run.sh, ajv).
contract_tap="$build_dir/contract.tap"
rm -f "$contract_tap"
IMPMOCK_BIN="$build_dir/impmock" timeout -k 10 600 bash tests/contract/run.sh "$contract_tap" \
    >/dev/null 2>"$contract_tap.err" </dev/null || tail -n 20 "$contract_tap.err" >&2 || true

# The project's own test helpers (clients/node, clients/python) against build/.
node_tap="$build_dir/clients-node.tap"
py_tap="$build_dir/clients-python.tap"
rm -f "$node_tap" "$py_tap"
IMPMOCK_BIN="$build_dir/impmock" timeout -k 10 600 bash clients/node/test.sh "$node_tap" \
    >/dev/null 2>"$node_tap.err" </dev/null || tail -n 20 "$node_tap.err" >&2 || true
IMPMOCK_BIN="$build_dir/impmock" timeout -k 10 600 bash clients/python/test.sh "$py_tap" \
    >/dev/null 2>"$py_tap.err" </dev/null || tail -n 20 "$py_tap.err" >&2 || true

# The published Node clients of i'mport (tests/sdk/run.sh: their base-URL
# option, and https://api.iamport.kr through the local CA).
sdk_tap="$build_dir/sdk.tap"
rm -f "$sdk_tap"
IMPMOCK_BIN="$build_dir/impmock" timeout -k 10 900 bash tests/sdk/run.sh "$sdk_tap" \
    >/dev/null 2>"$sdk_tap.err" </dev/null || tail -n 20 "$sdk_tap.err" >&2 || true

# impmock's own OpenAPI description (tests/openapi/run.sh): valid OpenAPI 3,
# and the same operations, callers and statuses as the route table.
openapi_tap="$build_dir/openapi.tap"
rm -f "$openapi_tap"
IMPMOCK_BIN="$build_dir/impmock" timeout -k 10 600 bash tests/openapi/run.sh "$openapi_tap" \
    >/dev/null 2>"$openapi_tap.err" </dev/null || tail -n 20 "$openapi_tap.err" >&2 || true

# The container image (tests/container/run.sh: podman build and run, as a
# user with Docker or podman would); its TAP counts like the rest.
container_tap="$build_dir/container.tap"
timeout -k 10 1200 bash tests/container/run.sh >"$container_tap" 2>"$container_tap.err" </dev/null ||
    tail -n 20 "$container_tap.err" >&2 || true

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
check_source "$checks_tap"

# Results a caller measured before this script (.ci/run: the README's run
# command), as NAME=FILE pairs of TAP files.
extra=()
for pair in ${IMPMOCK_EXTRA_TAP:-}; do
    extra+=(--tap "${pair%%=*}" "${pair#*=}")
done

summary_rc=0
python3 tests/tap_summary.py \
    --meson "$build_dir" "$build_dir" "$status_plain" \
    --meson "$asan_dir" "$asan_dir" "$status_asan" \
    --meson "$tsan_dir" "$tsan_dir" "$status_tsan" \
    --tap fuzz "$fuzz_tap" \
    --tap e2e "$e2e_tap" \
    --tap container "$container_tap" \
    --tap tls "$tls_tap" \
    --tap tls-asan "$tls_asan_tap" \
    --tap sdk "$sdk_tap" \
    --tap openapi "$openapi_tap" \
    --tap contract "$contract_tap" \
    --tap clients-node "$node_tap" \
    --tap clients-python "$py_tap" \
    --tap source "$checks_tap" "${extra[@]}" || summary_rc=$?
exit "$summary_rc"

#!/usr/bin/env bash
# node_suite.sh - runs one node --test file of a suite folder that pins its
# npm packages in package-lock.json (tests/sdk, tests/openapi) against a
# real impmock, and reports it as TAP.
#
#   bash tests/node_suite.sh DIR NAME TEST_FILE SECONDS [TAP_FILE]
#
# DIR is the suite's folder, NAME prefixes its failure lines, SECONDS bounds
# the node run. Prints TAP (and writes it to TAP_FILE when given); exit
# status 0 only when every case passed. IMPMOCK_BIN chooses the binary
# (default build/impmock). Installs node_modules with `npm ci` from the lock
# file unless the pinned versions are already there, so nothing touches the
# network once they are.
set -uo pipefail
here=$(cd "$1" && pwd)
name=$2 test_file=$3 seconds=$4
out=${5:-}
root=$(cd "$(dirname "$0")/.." && pwd)
bin=${IMPMOCK_BIN:-build/impmock}
[[ $bin == /* ]] || bin=$root/$bin

emit() { # emit TAP - prints it and writes it to $out
    echo "$1"
    [ -z "$out" ] || echo "$1" >"$out"
}
fail() { # fail REASON - the whole run as one failed case
    emit "$(printf '1..1\nnot ok 1 - %s: %s' "$name" "$1")"
    exit 1
}

command -v node >/dev/null 2>&1 || fail "no node (scripts/install-deps.sh installs it)"
[ -x "$bin" ] || fail "no impmock binary at $bin (build it, or set IMPMOCK_BIN)"

pinned() { # node_modules holds what the lock file pins
    node -e '
        const d = process.argv[1];
        const lock = require(d + "/package-lock.json").packages;
        for (const name of Object.keys(lock[""].devDependencies)) {
            const have = require(d + "/node_modules/" + name + "/package.json").version;
            if (have !== lock["node_modules/" + name].version) process.exit(1);
        }' "$here" 2>/dev/null
}
if ! pinned; then
    echo "$name: npm ci in ${here#"$root"/}" >&2
    (cd "$here" && timeout 600 npm ci --no-audit --no-fund </dev/null >&2) ||
        fail "npm ci in ${here#"$root"/} failed (the npm registry must be reachable once)"
fi

err=$(mktemp)
trap 'rm -f "$err"' EXIT
rc=0
tap=$(cd "$here" && IMPMOCK_BIN="$bin" timeout -k 10 "$seconds" \
    node --test --test-reporter=tap "$test_file" 2>"$err" </dev/null) || rc=$?
if [ "$rc" -ne 0 ] && ! grep -q '^not ok' <<<"$tap"; then
    # a crash or a timeout with no failed case of its own still fails the run
    tail -n 20 "$err" >&2
    tap+=$'\n'"not ok 9999 - $name: node --test exited with status $rc"
fi
emit "$tap"
[ "$rc" -eq 0 ]

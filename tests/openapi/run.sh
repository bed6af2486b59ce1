#!/usr/bin/env bash
# run.sh - impmock's own OpenAPI description (GET /__mock/openapi.json):
# valid OpenAPI 3 by @apidevtools/swagger-parser (pinned in
# package-lock.json), and the same set of operations as the route table
# (openapi.test.mjs).
#
#   bash tests/openapi/run.sh [TAP_FILE]
#
# Prints TAP (and writes it to TAP_FILE when given); exit status 0 only when
# every case passed. IMPMOCK_BIN chooses the binary (default build/impmock).
# Installs node_modules with `npm ci` from the lock file unless the pinned
# versions are already there. Only loopback and an ephemeral port; every
# wait is bounded.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
out=${1:-}
bin=${IMPMOCK_BIN:-build/impmock}
[[ $bin == /* ]] || bin=$root/$bin

emit() { # emit TAP - prints it and writes it to $out
    echo "$1"
    [ -z "$out" ] || echo "$1" >"$out"
}
fail() { # fail REASON - the whole run as one failed case
    emit "$(printf '1..1\nnot ok 1 - openapi: %s' "$1")"
    exit 1
}

command -v node >/dev/null 2>&1 || fail "no node (scripts/install-deps.sh installs it)"
[ -x "$bin" ] || fail "no impmock binary at $bin (build it, or set IMPMOCK_BIN)"

# node_modules as the lock file pins them; nothing touches the network when
# they already are
pinned() {
    node -e '
        const d = process.argv[1];
        const lock = require(d + "/package-lock.json").packages;
        for (const name of Object.keys(lock[""].devDependencies)) {
            const have = require(d + "/node_modules/" + name + "/package.json").version;
            if (have !== lock["node_modules/" + name].version) process.exit(1);
        }' "$here" 2>/dev/null
}
if ! pinned; then
    echo "openapi: npm ci in tests/openapi" >&2
    (cd "$here" && timeout 600 npm ci --no-audit --no-fund </dev/null >&2) ||
        fail "npm ci in tests/openapi failed (the npm registry must be reachable once)"
fi

err=$(mktemp)
trap 'rm -f "$err"' EXIT
rc=0
tap=$(cd "$here" && IMPMOCK_BIN="$bin" timeout -k 10 300 \
    node --test --test-reporter=tap openapi.test.mjs 2>"$err" </dev/null) || rc=$?
if [ "$rc" -ne 0 ] && ! grep -q '^not ok' <<<"$tap"; then
    # a crash or a timeout with no failed case of its own still fails the run
    tail -n 20 "$err" >&2
    tap+=$'\n'"not ok 9999 - openapi: node --test exited with status $rc"
fi
emit "$tap"
[ "$rc" -eq 0 ]

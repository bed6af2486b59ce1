#!/usr/bin/env bash
# run.sh - the contract test: every operation of the official V1 Swagger
# against a real impmock, each answer held to the Swagger's statuses and
# response schemas (contract.test.mjs).
#
#   bash tests/contract/run.sh TAP_FILE
#
# Writes node's TAP to TAP_FILE and prints the closing counts. IMPMOCK_BIN
# chooses the binary (default build/impmock); IMPMOCK_OPENAPI the Swagger
# (default shared/reference/iamport-v1-openapi.json beside the repository).
# ajv comes from tests/contract/package-lock.json: installed with `npm ci`
# here when node_modules lacks it. Only loopback and an ephemeral port;
# the run is bounded to 5 minutes.
set -uo pipefail
cd "$(dirname "$0")/../.." || exit 1

out=${1:?usage: run.sh TAP_FILE}
fail() { # fail REASON - one failed case, so a broken set-up is counted
    printf '1..1\nnot ok 1 - contract: %s\n' "$1" >"$out"
    echo "contract: $1" >&2
    exit 1
}

command -v node >/dev/null 2>&1 || fail "node is missing (scripts/install-deps.sh)"
if [ ! -d tests/contract/node_modules/ajv ]; then
    (cd tests/contract && npm ci --no-audit --no-fund </dev/null >/dev/null 2>&1) ||
        fail "npm ci in tests/contract failed"
fi
export IMPMOCK_BIN=${IMPMOCK_BIN:-build/impmock}
[ -x "$IMPMOCK_BIN" ] || fail "no impmock binary at $IMPMOCK_BIN (set IMPMOCK_BIN)"

rc=0
timeout -k 10 300 node --test --test-reporter=tap tests/contract/ >"$out" </dev/null || rc=$?
if [ "$rc" -ne 0 ]; then
    grep -q '^# fail [1-9]' "$out" || echo "not ok 9999 - contract: node --test exited with status $rc" >>"$out"
fi
grep -E '^# (tests|pass|fail) ' "$out"
exit "$rc"

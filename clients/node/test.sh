#!/usr/bin/env bash
# test.sh TAP_FILE - runs the Node package's tests (node:test) against a
# real impmock, $IMPMOCK_BIN (relative to the repository's root; default
# build/impmock), and writes their TAP to TAP_FILE. Exit status non-zero
# when a test failed or the run did not finish. The container test runs
# only with IMPMOCK_IMAGE set (see test/lifecycle.test.mjs).
set -uo pipefail
out=${1:?usage: clients/node/test.sh TAP_FILE}
out=$(realpath -m -- "$out")
cd "$(dirname "$0")" || exit 1

rc=0
timeout -k 10 600 node --test --test-reporter=tap test/*.test.mjs >"$out" </dev/null || rc=$?
if [ "$rc" -ne 0 ] && ! grep -q '^not ok' "$out"; then
    # a run that died without a failed case still counts as one
    echo "not ok 9999 - clients/node: node --test exited with status $rc" >>"$out"
fi
exit "$rc"

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
# tests/node_suite.sh installs the pinned packages and runs the file. Only
# loopback and an ephemeral port; every wait is bounded.
here=$(dirname "$0")
exec bash "$here/../node_suite.sh" "$here" openapi openapi.test.mjs 300 "$@"

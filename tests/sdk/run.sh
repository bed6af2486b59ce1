#!/usr/bin/env bash
# run.sh - the published Node clients of i'mport (iamport, iamporter,
# iamport-rest-client-nodejs, versions pinned in package-lock.json) against
# a real impmock, as the README's "Pointing an SDK at impmock" shows them:
# over HTTP with their base-URL option, and over HTTPS as
# https://api.iamport.kr with impmock's local CA (clients.test.mjs).
#
#   bash tests/sdk/run.sh [TAP_FILE]
#
# Prints TAP (and writes it to TAP_FILE when given); exit status 0 only when
# every case passed. IMPMOCK_BIN chooses the binary (default build/impmock).
# tests/node_suite.sh installs the pinned packages and runs the file. Only
# loopback and ephemeral ports; every wait is bounded.
here=$(dirname "$0")
exec bash "$here/../node_suite.sh" "$here" sdk clients.test.mjs 600 "$@"

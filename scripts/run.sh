#!/usr/bin/env bash
# run.sh - installs what building and running need, builds a release impmock
# into build-release/ (its own directory: the tests build elsewhere, so the two
# README commands work in either order) and runs it in the foreground with the
# embedded default fixtures. Arguments are passed to impmock:
#   bash scripts/run.sh --port 9090 --seed 1
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/install-deps.sh run
dir=build-release
if [ ! -f "$dir/build.ninja" ]; then
    meson setup "$dir" --buildtype=release -Dtests=false
fi
ninja -C "$dir" impmock
exec "./$dir/impmock" "$@"

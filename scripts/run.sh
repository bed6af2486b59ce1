#!/usr/bin/env bash
# run.sh - installs what is missing, builds impmock (release) into build/ and
# runs it in the foreground with the embedded default fixtures. Arguments are
# passed to impmock:  scripts/run.sh --port 9090 --seed 1
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/install-deps.sh
# An existing build/ (for example one tests/run-all.sh configured) is reused as it is.
if [ ! -f build/build.ninja ]; then
    meson setup build --buildtype=release
fi
ninja -C build
exec ./build/impmock "$@"

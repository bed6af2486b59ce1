#!/usr/bin/env bash
# install-deps.sh - installs the Debian 12 packages impmock needs.
#   bash scripts/install-deps.sh run    building and running impmock only
#   bash scripts/install-deps.sh test   everything the tests need too (the default)
# Safe to run again: when every package is already there it asks dpkg only
# and returns at once, without touching the network.
# Run as root (or as a user with sudo). Non-interactive.
set -euo pipefail

set_name=${1:-test}
case $set_name in
run | test) ;;
*)
    echo "usage: install-deps.sh [run|test]" >&2
    exit 2
    ;;
esac

# Build and run: gcc, meson/ninja, python3 (embeds the default fixtures and
# pages), the C libraries impmock links against.
packages=(
    gcc
    libc6-dev
    pkg-config
    meson
    ninja-build
    python3
    libcivetweb-dev
    libcjson-dev
    libsodium-dev
    libcurl4-openssl-dev
    libssl-dev
)

if [ "$set_name" = test ]; then
    # Tests: cmocka (unit and integration tests), curl (the README's
    # examples), wrk (benchmarks), clang with libFuzzer and the sanitizer
    # runtimes (tests/fuzz; --no-install-recommends would leave those out,
    # as clang only recommends them).
    packages+=(clang libcmocka-dev curl wrk libclang-rt-14-dev)
    # the pytest plugin's own tests (clients/python)
    packages+=(python3-pytest)

    # TLS tests (tests/tls/run.sh): the openssl command reads certificates;
    # the script installs default-jdk-headless itself when javac is missing.
    packages+=(openssl)

    # Browser tests (tests/e2e): Debian's chromium (never a browser
    # download), a Korean font so screenshots show the window's text, and
    # node with npm for the pinned playwright-core in tests/e2e/package-lock.json.
    # Debian's `npm` conflicts with a NodeSource `nodejs` (which ships its own
    # npm), so nodejs and npm come from apt only when no node / npm command exists.
    packages+=(chromium fonts-nanum)
    command -v node >/dev/null 2>&1 || packages+=(nodejs)
    command -v npm >/dev/null 2>&1 || packages+=(npm)

    # node_modules of the node test suites (tests/e2e, sdk, contract, openapi) from their
    # lock files, unless they already hold every pinned devDependency (then
    # nothing touches the network). Runs when this script ends, after apt has
    # installed node and npm.
    node_modules_for() { # node_modules_for DIR - npm ci in tests/DIR when needed
        local dir
        dir="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/tests/$1"
        if node -e '
            const d = process.argv[1];
            const lock = require(d + "/package-lock.json").packages;
            for (const name of Object.keys(lock[""].devDependencies)) {
                const have = require(d + "/node_modules/" + name + "/package.json").version;
                if (have !== lock["node_modules/" + name].version) process.exit(1);
            }' "$dir" 2>/dev/null; then
            return 0
        fi
        echo "install-deps: npm ci in tests/$1"
        (cd "$dir" && npm ci --no-audit --no-fund </dev/null)
    }
    trap 'rc=$?; if [ "$rc" -eq 0 ]; then { node_modules_for e2e && node_modules_for sdk && node_modules_for contract && node_modules_for openapi; } || rc=$?; fi; exit "$rc"' EXIT
fi

missing=()
for pkg in "${packages[@]}"; do
    # "ii " = wanted and installed; anything else (absent, half-installed) counts as missing
    status=$(dpkg-query -W -f='${db:Status-Abbrev}' "$pkg" 2>/dev/null || true)
    if [ "${status:0:2}" != "ii" ]; then
        missing+=("$pkg")
    fi
done

if [ "${#missing[@]}" -eq 0 ]; then
    echo "install-deps: all ${#packages[@]} packages for '$set_name' present"
    exit 0
fi

echo "install-deps: installing ${missing[*]}"
apt=(env DEBIAN_FRONTEND=noninteractive apt-get -q -y)
if [ "$(id -u)" -ne 0 ]; then
    if ! command -v sudo >/dev/null 2>&1; then
        echo "install-deps: not root and no sudo; as root run: apt-get install ${missing[*]}" >&2
        exit 1
    fi
    apt=(sudo "${apt[@]}")
fi
"${apt[@]}" update </dev/null
"${apt[@]}" install --no-install-recommends "${missing[@]}" </dev/null

#!/usr/bin/env bash
# install-deps.sh - installs the Debian 12 packages needed to build, run and
# test impmock. Safe to run again: when every package is already there it asks
# dpkg only and returns at once, without touching the network.
# Run as root (or as a user with sudo). Non-interactive.
set -euo pipefail

# Build: gcc (default) and clang (CC=clang), meson/ninja, python3 (embeds the
# default fixtures), the C libraries impmock links against. Test: cmocka (unit
# and integration tests), curl (the README's examples), wrk (load tests).
packages=(
    gcc
    clang
    libc6-dev
    pkg-config
    meson
    ninja-build
    python3
    libcivetweb-dev
    libcjson-dev
    libsodium-dev
    libcurl4-openssl-dev
    libcmocka-dev
    curl
    wrk
)

# ---- browser tests (tests/e2e) ----------------------------------------------
# Reserved for the headless checkout tests: they add Debian's `chromium` to the
# list above and install the npm package `playwright-core` below this comment.
# Note for that step: Debian's `npm` package conflicts with a NodeSource
# `nodejs` (which ships its own npm), so install `npm` only when no npm command
# exists. Nothing is installed for the browser tests yet.
# ------------------------------------------------------------------------------

missing=()
for pkg in "${packages[@]}"; do
    # "ii " = wanted and installed; anything else (absent, half-installed) counts as missing
    status=$(dpkg-query -W -f='${db:Status-Abbrev}' "$pkg" 2>/dev/null || true)
    if [ "${status:0:2}" != "ii" ]; then
        missing+=("$pkg")
    fi
done

if [ "${#missing[@]}" -eq 0 ]; then
    echo "install-deps: all ${#packages[@]} packages present"
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

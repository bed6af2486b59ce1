# bench/release.sh - sourced by the bench scripts: installs the dependencies
# and builds a release impmock in build-bench/ (reconfiguring an existing
# build dir), so every benchmark measures the same optimised binary.
# Sets dir=build-bench.
bash scripts/install-deps.sh >/dev/null
dir=build-bench
if [ -f "$dir/meson-private/coredata.dat" ]; then
    meson setup --reconfigure "$dir" --buildtype=release >/dev/null
else
    meson setup "$dir" --buildtype=release >/dev/null
fi
ninja -C "$dir" impmock >/dev/null

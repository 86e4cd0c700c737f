#!/bin/sh
# Prints the workspace's target dir as cargo sees it (`target_directory` of
# `cargo metadata`: CARGO_TARGET_DIR, build.target-dir or ./target). Scripts
# that need a build output use this, never a fixed `target/` path.
set -e
dir=$(cargo metadata --format-version 1 --no-deps --manifest-path "$(dirname "$0")/../Cargo.toml" |
    sed -n 's/.*"target_directory":"\([^"]*\)".*/\1/p')
[ -n "$dir" ] || { echo "target-dir.sh: cargo metadata gave no target_directory" >&2; exit 2; }
echo "$dir"

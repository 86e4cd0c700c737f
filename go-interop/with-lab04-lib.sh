#!/bin/sh
# with-lab04-lib.sh PROFILE COMMAND...: runs COMMAND with CGO_LDFLAGS naming
# lab 04's static library where cargo put it: the workspace's target dir
# (scripts/target-dir.sh asks `cargo metadata`, so CARGO_TARGET_DIR is
# honoured), then PROFILE (debug or release). The safeffi package links it; build it first with
# `cargo build -p lab04-safe-ffi --lib` (add --release for release).
set -e
profile=$1
shift
target=$("$(dirname "$0")/../scripts/target-dir.sh")
lib="$target/$profile/liblab04_safe_ffi.a"
[ -f "$lib" ] || { echo "with-lab04-lib.sh: $lib is missing: run \`cargo build -p lab04-safe-ffi --lib\`$([ "$profile" = release ] && echo ' --release')" >&2; exit 2; }
CGO_LDFLAGS="$lib${CGO_LDFLAGS:+ $CGO_LDFLAGS}" exec "$@"

#!/bin/sh
# Builds the firmware for thumbv7m-none-eabi in release (opt-level "s")
# into cargo's target dir (`<target>/lab09-firmware`), installing the
# target through firmware/rust-toolchain.toml if it is missing, and prints
# the ELF's path.
set -eu
root="$(cd "$(dirname "$0")/../.." && pwd)"
fw="$root/labs/09-firmware/firmware"
target="$("$root/scripts/target-dir.sh")/lab09-firmware"
# A cargo or rustup above us (verify runs under `cargo run`) exports
# RUSTUP_TOOLCHAIN, which would override the firmware's toolchain file.
unset RUSTUP_TOOLCHAIN
(cd "$fw" && rustup toolchain install >/dev/null 2>&1 &&
    { rustup target list --installed | grep -qx thumbv7m-none-eabi ||
        rustup target add thumbv7m-none-eabi >/dev/null 2>&1; } &&
    rustup target list --installed | grep -qx thumbv7m-none-eabi) ||
    { echo "build-firmware: rustup could not install the thumbv7m-none-eabi target" >&2; exit 1; }
# From the firmware's folder: cargo reads .cargo/config.toml (the target,
# the linker script) and rustup rust-toolchain.toml from the current
# folder, not from --manifest-path. The outer build's flags are the host's.
(cd "$fw" && env -u RUSTFLAGS -u CARGO_BUILD_TARGET CARGO_TARGET_DIR="$target" \
    cargo build --quiet --release --locked) >&2
echo "$target/thumbv7m-none-eabi/release/lab09-blinky"

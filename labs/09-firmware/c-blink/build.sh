#!/bin/sh
# Builds the C blink (gcc-arm-none-eabi: `apt-get install gcc-arm-none-eabi`)
# and prints its size next to the Rust firmware's, both in release
# (-Os / opt-level "s"), for the README's table. Not part of `make test`.
set -eu
here="$(cd "$(dirname "$0")" && pwd)"
target="$("$here/../../../scripts/target-dir.sh")"
elf="$target/lab09-firmware/c-blink.elf"
mkdir -p "$(dirname "$elf")"
arm-none-eabi-gcc -mcpu=cortex-m3 -mthumb -Os -ffreestanding -nostdlib -Wall -Wextra -Werror \
    -T "$here/lm3s6965.ld" "$here/blink.c" -o "$elf"
rust="$("$here/../build-firmware.sh")"
arm-none-eabi-size "$elf" "$rust"

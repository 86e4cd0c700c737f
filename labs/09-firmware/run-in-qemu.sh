#!/bin/sh
# Builds the firmware (`make firmware`) and runs it on QEMU's LM3S6965
# evaluation board, with a time limit. Passes when the firmware printed
# exactly the expected lines (each change of the LED with GPIODATA read
# back, then `blinked 3 cycles`) and exited QEMU with status 0. Lab 09's
# `qemu-blink` check and `make firmware-run` use it.
set -u
root="$(cd "$(dirname "$0")/../.." && pwd)"
elf="$("$root/labs/09-firmware/build-firmware.sh")" || exit 1
out="$(timeout 30 qemu-system-arm -cpu cortex-m3 -machine lm3s6965evb -nographic \
    -semihosting-config enable=on,target=native -kernel "$elf" 2>/dev/null)"
status=$?
printf '%s\n' "$out"
expected="led on (GPIODATA = 0x01)
led off (GPIODATA = 0x00)
led on (GPIODATA = 0x01)
led off (GPIODATA = 0x00)
led on (GPIODATA = 0x01)
led off (GPIODATA = 0x00)
blinked 3 cycles"
if [ "$status" -ne 0 ]; then
    echo "run-in-qemu: the firmware exited QEMU with status $status (124: it did not finish in 30 s)" >&2
    exit 1
fi
if [ "$out" != "$expected" ]; then
    echo "run-in-qemu: the firmware's output differs from the expected lines:" >&2
    printf '%s\n' "$expected" >&2
    exit 1
fi

#!/usr/bin/env python3
"""Lab 04's numbers in one sitting: the Rust criterion bench (benches/ffi.rs:
the C ABI at 16 B, and 1 MiB against libc memcpy) and the Go benchmarks of
go-interop/safeffi (cgo call vs pure Go at 16 B and 4 KiB, linking the
release build of the library). Prints the Markdown tables the README quotes.

    python3 labs/04-safe-ffi/compare_with_go.py
"""
import re
import statistics
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "support"))
from benchtools import criterion_dir, criterion_median, run  # noqa: E402


def main():
    run(["cargo", "bench", "-p", "lab04-safe-ffi", "--bench", "ffi"], ROOT)
    base = criterion_dir(ROOT)
    abi16 = criterion_median(base, "call", "16B_process_data_c_abi")
    safe16 = criterion_median(base, "call", "16B_process_safe")
    memcpy = criterion_median(base, "1MiB", "memcpy")
    mib = criterion_median(base, "1MiB", "process_data_c_abi")

    run(["cargo", "build", "--release", "-p", "lab04-safe-ffi", "--lib"], ROOT)
    out = run(["./with-lab04-lib.sh", "release", "go", "test", "-run", "^$", "-bench", "Process",
               "-count", "5", "./safeffi/"], ROOT / "go-interop")
    go = {}
    for line in out.splitlines():
        m = re.match(r"^BenchmarkProcess/(\S+?)(?:-\d+)?\s+\d+\s+([\d.]+) ns/op", line)
        if m:
            go.setdefault(m.group(1), []).append(float(m.group(2)))
    if len(go) != 4:
        sys.exit("expected 4 BenchmarkProcess results in:\n" + out)
    go = {k: statistics.median(v) for k, v in go.items()}

    gib = (1 << 20) / mib  # bytes per ns == GB/s; shown in GiB/s below
    print()
    print("| benchmark | time | vs peer in the same run |")
    print("|-----------|------|-------------------------|")
    print(f"| 16 B through the C ABI | {abi16:.1f} ns | safe `process`: {safe16:.1f} ns |")
    print(f"| 1 MiB already-normal text through the C ABI | {mib / 1000:.0f} µs "
          f"({gib * 1e9 / (1 << 30):.1f} GiB/s) | `libc::memcpy`: {memcpy / 1000:.1f} µs: "
          f"**{memcpy / mib:.2f}× memcpy** |")
    print()
    print("| input | cgo call | pure Go | cgo / Go |")
    print("|-------|----------|---------|----------|")
    for size, label in (("16B", "16 B"), ("4KiB", "4 KiB")):
        c, g = go[f"cgo/{size}"], go[f"go/{size}"]
        unit = (lambda ns: f"{ns:.0f} ns") if size == "16B" else (lambda ns: f"{ns / 1000:.1f} µs")
        print(f"| {label} | {unit(c)} | {unit(g)} | {c / g:.2f}× |")


if __name__ == "__main__":
    main()

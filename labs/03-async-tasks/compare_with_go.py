#!/usr/bin/env python3
"""Spawn-and-join cost: Tokio tasks (criterion, benches/spawn.rs) next to Go
goroutines (go-interop/goroutines, BenchmarkSpawnJoin), measured in one
sitting on this machine. Prints the Markdown table the lab README quotes.

    python3 labs/03-async-tasks/compare_with_go.py [--quick]

--quick shortens both benchmarks (for a smoke run; the numbers are noisier).
"""
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "support"))
from benchtools import criterion_dir, criterion_median, run  # noqa: E402

SIZES = [1_000, 100_000]
PATTERNS = [
    # (criterion id, description, Go GOMAXPROCS to compare with)
    ("multi2_joinset_block_on", "2 workers, `JoinSet`, spawned from `block_on`", 2),
    ("multi2_vec_block_on", "2 workers, `Vec<JoinHandle>`, spawned from `block_on`", 2),
    ("multi2_joinset_in_worker", "2 workers, `JoinSet`, spawned inside a worker task", 2),
    ("multi2_vec_in_worker", "2 workers, `Vec<JoinHandle>`, spawned inside a worker task", 2),
    ("current_joinset", "current-thread runtime, `JoinSet`", 1),
    ("current_vec", "current-thread runtime, `Vec<JoinHandle>`", 1),
]


def go_numbers(quick):
    out = run(
        ["go", "test", "-run", "^$", "-bench", "SpawnJoin", "-cpu", "1,2",
         "-count", "1" if quick else "5", "-benchtime", "200ms" if quick else "1s",
         "./goroutines/"],
        ROOT / "go-interop",
    )
    best = {}
    pat = re.compile(r"^BenchmarkSpawnJoin/n=(\d+)(?:-(\d+))?\s+\d+\s+[\d.]+ ns/op\s+([\d.]+) ns/goroutine")
    for line in out.splitlines():
        m = pat.match(line)
        if m:
            n, procs, ns = int(m.group(1)), int(m.group(2) or 1), float(m.group(3))
            key = (n, procs)
            best.setdefault(key, []).append(ns)
    if not best:
        sys.exit("no BenchmarkSpawnJoin lines in the go test output:\n" + out)
    # Median of the repeated runs.
    return {k: sorted(v)[len(v) // 2] for k, v in best.items()}


def rust_numbers(quick):
    args = ["cargo", "bench", "-p", "lab03-async-tasks", "--bench", "spawn", "--"]
    if quick:
        args += ["--warm-up-time", "0.5", "--measurement-time", "1"]
    run(args, ROOT)
    base = criterion_dir(ROOT) / "spawn_join"
    return {
        (pattern, n): criterion_median(base, pattern, str(n)) / n
        for pattern, _, _ in PATTERNS
        for n in SIZES
    }


def main():
    quick = "--quick" in sys.argv
    go = go_numbers(quick)
    rust = rust_numbers(quick)
    print()
    print("| N | pattern | ns per task | Go ns per goroutine (GOMAXPROCS) | Tokio / Go |")
    print("|---|---------|-------------|----------------------------------|------------|")
    for n in SIZES:
        for pattern, desc, procs in PATTERNS:
            r, g = rust[(pattern, n)], go.get((n, procs))
            ratio = f"{r / g:.2f}×" if g else "n/a"
            g_text = f"{g:.0f} ({procs})" if g else "n/a"
            print(f"| {n:,} | {desc} | {r:.0f} | {g_text} | {ratio} |")


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Lab 05's pool against Go's sync.Pool, in one sitting, interleaved across
processes (A B A B): each round runs the Rust bench binary for one
measurement of a pooled round (`LAB05_ONE_ROUND=threads`: take a 64 KiB
buffer, write 4 KiB, give it back) and then `go test -bench BenchmarkPooled`
(the same workload with sync.Pool, go-interop/bufpool) with GOMAXPROCS
equal to the thread count. The per-round ratio Rust / Go is what is
reported (median and quartiles), because this VM's speed drifts by up to
2x between sequential runs. The figures are added to the lab's ratio file.

    make bench-buffers   # the Rust criterion bench, then this script
"""
import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "support"))
from benchtools import add_ratios, commit, quartiles, run  # noqa: E402

ROUNDS = 11
GO_N = 200000


def rust_round(threads):
    env = dict(os.environ, LAB05_ONE_ROUND=str(threads))
    done = subprocess.run(
        ["cargo", "bench", "-q", "-p", "lab05-buffers", "--bench", "pool"],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
    )
    m = re.search(r"^pooled ([0-9.]+)$", done.stdout, re.M)
    if done.returncode != 0 or not m:
        sys.exit(f"the Rust bench gave no measurement (exit {done.returncode}):\n{done.stdout}")
    return float(m.group(1))


def go_round(threads, name="Pooled"):
    out = run(["go", "test", "-run", "^$", "-bench", f"^Benchmark{name}$", "-cpu", str(threads),
               "-benchtime", f"{GO_N}x", "-count", "1", "./bufpool/"], ROOT / "go-interop")
    m = re.search(r"^Benchmark" + name + r"(?:-\d+)?\s+\d+\s+([0-9.]+) ns/op", out, re.M)
    if not m:
        sys.exit(f"no ns/op in go test's output:\n{out}")
    return float(m.group(1))


def main():
    figures = []
    print("| threads | Rust BufferPool ns/round | Go sync.Pool ns/round | Go fresh make ns/round | Rust / Go sync.Pool (IQR) |")
    print("|---:|---:|---:|---:|---:|")
    for threads in (1, 2):
        rust, go, ratio = [], [], []
        for _ in range(ROUNDS):
            r, g = rust_round(threads), go_round(threads)
            rust.append(r)
            go.append(g)
            ratio.append(r / g)
        fresh = go_round(threads, "Fresh")
        med, q1, q3 = quartiles(ratio)
        print(f"| {threads} | {quartiles(rust)[0]:.0f} | {quartiles(go)[0]:.0f} | {fresh:.0f} | {med:.2f}× ({q1:.2f}–{q3:.2f}) |")
        figures.append({
            "figure": f"lab05/pooled-vs-go-syncpool-{threads}t", "peer": "Go sync.Pool",
            "median": round(med, 4), "q1": round(q1, 4), "q3": round(q3, 4),
            "rounds": ROUNDS, "commit": commit(ROOT), "higher_is_better": False,
        })
    print(f"ratios added to {add_ratios(ROOT, '05', figures)}")


if __name__ == "__main__":
    main()

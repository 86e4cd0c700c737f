"""What the labs' Rust-vs-Go comparison scripts share (labs 03, 04 and 05):
run a command and stop with its exit status when it fails, find cargo's
target directory, read a criterion median, the median and quartiles of
per-round ratios, and add figures to a lab's ratio file. Standard library
only.

    sys.path.insert(0, str(ROOT / "support"))
    from benchtools import run, criterion_dir, criterion_median
"""
import json
import subprocess
import sys
from pathlib import Path


def run(cmd, cwd):
    """Run `cmd` in `cwd`, echo it on stderr, return its stdout; exit on failure."""
    print("$", " ".join(cmd), file=sys.stderr, flush=True)
    done = subprocess.run(cmd, cwd=cwd, stdout=subprocess.PIPE, text=True)
    if done.returncode != 0:
        sys.exit(f"command failed ({done.returncode}): {' '.join(cmd)}")
    return done.stdout


def criterion_dir(root):
    """criterion's output directory: `criterion/` under cargo's target dir
    (which CARGO_TARGET_DIR or .cargo/config.toml may move)."""
    return target_dir(root) / "criterion"


def criterion_median(base, *ids):
    """The median estimate (ns) of the benchmark `base/<ids...>`."""
    est = base.joinpath(*ids, "new", "estimates.json")
    try:
        return json.loads(est.read_text())["median"]["point_estimate"]
    except (OSError, ValueError, KeyError) as e:
        sys.exit(f"no criterion result at {est} ({e}): did the bench run?")


def target_dir(root):
    """cargo's target directory (`target_directory` of `cargo metadata`)."""
    meta = json.loads(run(["cargo", "metadata", "--format-version", "1", "--no-deps"], root))
    return Path(meta["target_directory"])


def quartiles(values):
    """(median, q1, q3) the way lab_support::Quartiles reads them."""
    v = sorted(values)
    at = lambda q: v[len(v) * q // 4]  # noqa: E731
    return at(2), at(1), at(3)


def add_ratios(root, lab, figures):
    """Adds (or replaces, by name) `figures` in the lab's ratio file,
    `<target>/bench-ratios/lab<lab>.json`, which the Rust bench writes: a
    list of {"figure", "peer", "median", "q1", "q3", "rounds", "commit",
    "higher_is_better"}."""
    path = target_dir(root) / "bench-ratios" / f"lab{lab}.json"
    try:
        rows = json.loads(path.read_text())
    except OSError:
        rows = []
    names = {f["figure"] for f in figures}
    rows = [r for r in rows if r.get("figure") not in names] + figures
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(rows, indent=1) + "\n")
    return path


def commit(root):
    done = subprocess.run(["git", "rev-parse", "HEAD"], cwd=root, stdout=subprocess.PIPE, text=True)
    return done.stdout.strip() if done.returncode == 0 else "unknown"

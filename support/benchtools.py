"""What the labs' Rust-vs-Go comparison scripts share (labs 03 and 04):
run a command and stop with its exit status when it fails, find cargo's
target directory, and read a criterion median. Standard library only.

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
    meta = json.loads(run(["cargo", "metadata", "--format-version", "1", "--no-deps"], root))
    return Path(meta["target_directory"]) / "criterion"


def criterion_median(base, *ids):
    """The median estimate (ns) of the benchmark `base/<ids...>`."""
    est = base.joinpath(*ids, "new", "estimates.json")
    try:
        return json.loads(est.read_text())["median"]["point_estimate"]
    except (OSError, ValueError, KeyError) as e:
        sys.exit(f"no criterion result at {est} ({e}): did the bench run?")

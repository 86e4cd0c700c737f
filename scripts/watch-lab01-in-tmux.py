#!/usr/bin/env python3
"""`make watch LAB=01` as a learner uses it, on lab 01's real starter, in tmux.

Runs after `verify check-starters` (`make test` orders it so), whose scratch
workspace (.labs/check-starters/workspace) holds every lab as its starter,
built into `$TARGET/starter` with the registry crates of the real build. In
a detached tmux session it starts `verify watch 01` there and checks what
the screen shows, as a person would see it:

1. task 1 open (✗) with the starter's `todo!()` message;
2. the reference body of task 1 saved into src/concat.rs: task 1 turns ✓;
3. a typo saved instead: the compiler's message with its file;
4. the solution saved again: task 1 ✓, task 2 open with its message;
5. one more save: only the open task's tests run (the screen says so);
6. `q` quits.

The scratch file is put back as the starter at the end. Exit status 0 when
every step was seen, 1 otherwise (with the screen), 2 when it cannot run.
"""

import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LAB = "labs/01-ownership"
FILE = "src/concat.rs"
TASK = "concat_owned"
NEXT = "concat_cow"  # task 2
TIMEOUT = 600  # seconds per step: the first build of the starter's tests


def target_dir():
    out = subprocess.run([str(ROOT / "scripts/target-dir.sh")], capture_output=True, text=True, check=True)
    return Path(out.stdout.strip())


def region(text, task):
    """The span of the `// lab:begin(task)` region's body in `text`."""
    m = re.search(r"^[^\n]*// lab:begin\(" + re.escape(task) + r"\)[^\n]*\n(.*?)^[^\n]*// lab:end", text, re.S | re.M)
    if not m:
        sys.exit(f"watch-lab01: no `// lab:begin({task})` region")
    return m.span(1)


class Tmux:
    def __init__(self):
        self.socket = f"verify-watch-lab01-{os.getpid()}"

    def run(self, *args, check=True):
        return subprocess.run(["tmux", "-L", self.socket, *args], capture_output=True, text=True, check=check)

    def screen(self):
        return self.run("capture-pane", "-p", "-t", "watch", check=False).stdout

    def wait_for(self, *texts, what):
        deadline = time.monotonic() + TIMEOUT
        while time.monotonic() < deadline:
            screen = self.screen()
            if all(t in screen for t in texts):
                print(f"watch-lab01: ok: {what}")
                return screen
            time.sleep(0.3)
        print(f"watch-lab01: FAIL: {what}: the screen never showed {texts}:\n{self.screen()}")
        sys.exit(1)


def main():
    if not shutil.which("tmux"):
        sys.exit("watch-lab01: tmux is missing: `make system-tools` installs it")
    scratch = ROOT / ".labs/check-starters/workspace"
    path = scratch / LAB / FILE
    if not path.is_file():
        print("watch-lab01: no starter workspace: run `make check-starters` first", file=sys.stderr)
        sys.exit(2)
    starter = path.read_text()
    if f'todo!("{TASK}:' not in starter:
        print(f"watch-lab01: {path} is not lab 01's starter", file=sys.stderr)
        sys.exit(2)
    reference = (ROOT / LAB / FILE).read_text()
    a, b = region(reference, TASK)
    s, e = region(starter, TASK)
    solved = starter[:s] + reference[a:b] + starter[e:]
    typo = starter[:s] + "    a +\n" + starter[e:]

    target = target_dir()
    verify = target / "debug" / "verify"
    env = {
        # check-starters' own dirs: its outputs, and the real build's registry crates.
        "CARGO_TARGET_DIR": str(target / "starter"),
        "CARGO_BUILD_BUILD_DIR": str(target),
    }
    command = " ".join(
        ["env"]
        + [f"{k}='{v}'" for k, v in env.items()]
        + [f"'{verify}'", "--manifest-path", f"'{scratch / 'Cargo.toml'}'", "watch", "01"]
    )
    tmux = Tmux()
    try:
        tmux.run("new-session", "-d", "-s", "watch", "-x", "160", "-y", "50", command)
        tmux.wait_for(f"✗ 1. {TASK}", f"not yet implemented: {TASK}", what="the starter: task 1 open, with its todo! message")
        path.write_text(solved)
        tmux.wait_for(f"✓ 1. {TASK}", what="the solution saved: task 1 done")
        path.write_text(typo)
        tmux.wait_for("Does not compile:", "expected expression", f"{FILE}", what="a typo saved: the compiler's message")
        path.write_text(solved)
        tmux.wait_for(f"✓ 1. {TASK}", f"not yet implemented: {NEXT}", what="fixed again: task 1 done, task 2 open")
        path.write_text(solved + "\n// saved again\n")
        tmux.wait_for(
            "only the open task's tests ran", f"not yet implemented: {NEXT}",
            what="the next save runs the open task's tests alone",
        )
        tmux.run("send-keys", "-t", "watch", "q")
        deadline = time.monotonic() + 10
        while tmux.run("has-session", "-t", "watch", check=False).returncode == 0:
            if time.monotonic() > deadline:
                print(f"watch-lab01: FAIL: q did not quit:\n{tmux.screen()}")
                sys.exit(1)
            time.sleep(0.1)
        print("watch-lab01: ok: q quits")
    finally:
        path.write_text(starter)
        tmux.run("kill-server", check=False)


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""What an editor pays for this workspace: drives rust-analyzer over LSP the
way an editor does for a learner working on one lab.

    scripts/ide-cost.py FILE [--setting KEY=JSON ...]

Starts `rust-analyzer` on the workspace, opens FILE, waits until the server
says it is quiescent (indexing done), asks for the hover of the file's first
`fn` name, and prints the seconds to each step and the server's peak
resident memory (VmHWM). `--setting cachePriming.enable=false` passes a
rust-analyzer setting (a key of `rust-analyzer.*`, without the prefix).
Use the same target dir as your builds (rust-analyzer's default), so its
build-script run is warm, or a fresh one to measure a cold start.
"""

import argparse
import json
import os
import pathlib
import re
import subprocess
import sys
import time


def send(proc, message):
    body = json.dumps(message).encode()
    proc.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
    proc.stdin.flush()


def receive(proc):
    length = None
    while True:
        line = proc.stdout.readline()
        if not line:
            raise SystemExit("rust-analyzer exited")
        line = line.strip()
        if not line:
            break
        name, _, value = line.partition(b":")
        if name.lower() == b"content-length":
            length = int(value)
    return json.loads(proc.stdout.read(length))


def peak_rss_mib(pid):
    status = pathlib.Path(f"/proc/{pid}/status").read_text()
    kib = int(re.search(r"VmHWM:\s+(\d+) kB", status).group(1))
    return kib / 1024


def nest(settings):
    """`a.b=1` -> {"a": {"b": 1}}"""
    out = {}
    for key, value in settings:
        node = out
        *parents, last = key.split(".")
        for p in parents:
            node = node.setdefault(p, {})
        node[last] = value
    return out


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("file", type=pathlib.Path)
    parser.add_argument("--setting", action="append", default=[])
    args = parser.parse_args()
    settings = []
    for s in args.setting:
        key, _, value = s.partition("=")
        settings.append((key, json.loads(value)))
    path = args.file.resolve()
    root = pathlib.Path(
        subprocess.run(
            ["cargo", "locate-project", "--workspace", "--message-format", "plain"],
            cwd=path.parent, check=True, capture_output=True, text=True,
        ).stdout.strip()
    ).parent
    text = path.read_text()
    match = re.search(r"\bfn\s+(\w+)", text)
    if not match:
        raise SystemExit(f"{path}: no `fn` to hover")
    before = text[: match.start(1)]
    position = {"line": before.count("\n"), "character": len(before) - before.rfind("\n") - 1}

    start = time.monotonic()
    proc = subprocess.Popen(
        ["rust-analyzer"], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL, cwd=root,
    )
    send(proc, {
        "jsonrpc": "2.0", "id": 1, "method": "initialize",
        "params": {
            "processId": os.getpid(),
            "rootUri": root.as_uri(),
            "capabilities": {"experimental": {"serverStatusNotification": True},
                             "window": {"workDoneProgress": True}},
            "initializationOptions": nest(settings),
        },
    })
    while receive(proc).get("id") != 1:
        pass
    send(proc, {"jsonrpc": "2.0", "method": "initialized", "params": {}})
    uri = path.as_uri()
    send(proc, {"jsonrpc": "2.0", "method": "textDocument/didOpen", "params": {
        "textDocument": {"uri": uri, "languageId": "rust", "version": 1, "text": text}}})
    hover_asked = None
    quiescent_at = None
    while True:
        msg = receive(proc)
        if "id" in msg and "method" in msg:  # a request to us: say yes
            send(proc, {"jsonrpc": "2.0", "id": msg["id"], "result": None})
            continue
        if msg.get("method") == "experimental/serverStatus" and msg["params"].get("quiescent"):
            if quiescent_at is None:
                quiescent_at = time.monotonic() - start
                hover_asked = time.monotonic()
                send(proc, {"jsonrpc": "2.0", "id": 2, "method": "textDocument/hover",
                            "params": {"textDocument": {"uri": uri}, "position": position}})
        if msg.get("id") == 2:
            hover = time.monotonic() - hover_asked
            ok = bool(msg.get("result"))
            break
    rss = peak_rss_mib(proc.pid)
    send(proc, {"jsonrpc": "2.0", "id": 3, "method": "shutdown"})
    while receive(proc).get("id") != 3:
        pass
    send(proc, {"jsonrpc": "2.0", "method": "exit"})
    proc.wait(timeout=30)
    label = " ".join(args.setting) or "defaults"
    print(f"{label}: quiescent after {quiescent_at:.1f} s, hover of `{match.group(1)}` "
          f"{hover:.2f} s ({'answered' if ok else 'empty'}), peak RSS {rss:.0f} MiB")


if __name__ == "__main__":
    sys.exit(main())

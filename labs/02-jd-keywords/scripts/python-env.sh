#!/usr/bin/env bash
# Prints the path of a Python that has scikit-learn, SciPy and jieba, the
# references lab 02 is checked and benchmarked against; makes it on first
# use: a venv in cargo's target dir (so `cargo clean` removes it), filled
# from PyPI with the pinned versions below. Progress goes to stderr.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
target="$("$here/../../../scripts/target-dir.sh")"
venv="$target/lab02-python"
# Pinned: a newer scikit-learn could change a default the lab matches.
pins=(scikit-learn==1.9.1 scipy==1.17.1 numpy==2.4.6 jieba==0.42.1)
stamp="$venv/.pins"
if [ ! -x "$venv/bin/python" ] || [ "$(cat "$stamp" 2>/dev/null)" != "${pins[*]}" ]; then
    command -v python3 >/dev/null || { echo "python-env: python3 is missing (verify doctor names the install)" >&2; exit 1; }
    echo "python-env: making $venv with ${pins[*]} (from PyPI, once)" >&2
    rm -rf "$venv"
    python3 -m venv "$venv" >&2 || { echo "python-env: python3 -m venv failed (Debian: apt-get install python3-venv)" >&2; exit 1; }
    "$venv/bin/python" -m pip install --quiet --disable-pip-version-check "${pins[@]}" >&2
    echo "${pins[*]}" > "$stamp"
fi
echo "$venv/bin/python"

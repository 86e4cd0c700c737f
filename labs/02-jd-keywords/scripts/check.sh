#!/usr/bin/env bash
# `verify`'s checks sklearn-agrees and scipy-agrees: builds jd-keywords and
# runs check_against_python.py on it with the pinned Python of
# python-env.sh. Usage: check.sh tfidf|assoc
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
python="$("$here/python-env.sh")"
cargo build --quiet -p lab02-jd-keywords --bin jd-keywords
bin="$("$here/../../../scripts/target-dir.sh")/debug/jd-keywords"
exec "$python" "$here/check_against_python.py" --only "$1" "$bin"

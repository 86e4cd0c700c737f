#!/bin/sh
# Lints .github/workflows/ with actionlint, built from the Go module proxy
# (pinned) into cargo's target dir on first use. `make test` runs it.
set -eu
version=v1.7.12
root="$(cd "$(dirname "$0")/.." && pwd)"
bin="$("$root/scripts/target-dir.sh")/tools/actionlint-$version"
if [ ! -x "$bin/actionlint" ]; then
    echo "actionlint.sh: building actionlint $version (go install, once)" >&2
    mkdir -p "$bin"
    GOBIN="$bin" GOFLAGS=-mod=mod go install "github.com/rhysd/actionlint/cmd/actionlint@$version" ||
        { echo "actionlint.sh: go install github.com/rhysd/actionlint/cmd/actionlint@$version failed" >&2; exit 1; }
fi
cd "$root"
"$bin/actionlint" "$@"

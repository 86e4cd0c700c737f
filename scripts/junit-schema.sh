#!/bin/sh
# Prints the path of junit-10.xsd, the JUnit XML schema CI tools read
# (Jenkins' xunit plugin's, MIT licensed; pytest validates its own JUnit
# output against it). It is taken from pytest's source release on PyPI,
# pinned by hash, and kept in cargo's target dir: the first call downloads
# 1.4 MB, later ones only print the path. `verify --junit` output is checked
# against it (verify/tests/grader.rs) with `xmllint --schema`.
set -eu
version=8.3.5
sha256=f4efe70cc14e511565ac476b57c279e12a855b11f48f212af1080ef2263d3845
dir="$("$(dirname "$0")/target-dir.sh")/junit-schema"
xsd="$dir/junit-10.xsd"
if [ ! -f "$xsd" ]; then
    mkdir -p "$dir"
    python3 -m pip download --quiet --no-deps --no-binary :all: --dest "$dir" "pytest==$version" >&2 ||
        { echo "junit-schema.sh: could not download pytest $version's source from PyPI" >&2; exit 1; }
    echo "$sha256  $dir/pytest-$version.tar.gz" | sha256sum -c --quiet >&2 ||
        { echo "junit-schema.sh: pytest-$version.tar.gz does not have the pinned sha256" >&2; exit 1; }
    tar -xzf "$dir/pytest-$version.tar.gz" -C "$dir" --strip-components=3 \
        "pytest-$version/testing/example_scripts/junit-10.xsd"
    rm -f "$dir/pytest-$version.tar.gz"
fi
echo "$xsd"

#!/bin/sh
# cgocheck2.sh COMMAND...: runs COMMAND with Go's full cgo pointer checking
# (every pointer passed to C is checked, not only the first level). Go 1.21
# and newer spell it GOEXPERIMENT=cgocheck2; older Go GODEBUG=cgocheck=2.
set -e
minor=$(go env GOVERSION | sed -n 's/^go1\.\([0-9]*\).*/\1/p')
if [ "${minor:-0}" -ge 21 ]; then
    GOEXPERIMENT=cgocheck2 exec "$@"
fi
GODEBUG="cgocheck=2${GODEBUG:+,$GODEBUG}" exec "$@"

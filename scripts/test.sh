#!/usr/bin/env bash
# Runs Haven's whole test suite: unit tests of every module, and end-to-end tests that
# start the real havend on temporary sockets and drive it with the real haven binary.
#
# The run is bounded (HAVEN_TEST_TIMEOUT seconds, default 1200; it takes a few minutes):
# a hung test ends the run with a failure and the output so far, not a CI timeout.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
swift build --build-tests
limit="${HAVEN_TEST_TIMEOUT:-1200}"
status=0
timeout --kill-after=30 "$limit" swift test --skip-build "$@" || status=$?
if [ "$status" -eq 124 ] || [ "$status" -eq 137 ]; then
    echo "test.sh: the tests did not finish within ${limit} s: a test that started above and never finished is the one to look at" >&2
fi
exit "$status"

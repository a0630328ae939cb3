#!/usr/bin/env bash
# Runs Haven's whole test suite: unit tests of every module, and end-to-end tests that
# start the real havend on temporary sockets and drive it with the real haven binary.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
swift build --build-tests
swift test --skip-build "$@"

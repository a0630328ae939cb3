#!/usr/bin/env bash
# Hostile-input soak: the fuzz test of the suite (HostileInputTests) with many more
# generated and mutated requests, on a release build. HAVEN_FUZZ_SEED replays a run.
#
#   scripts/soak-fuzz.sh [REQUESTS]    default 1000000
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
swift build -c release --scratch-path .build-soak --build-tests -Xswiftc -enable-testing
HAVEN_FUZZ_SECONDS=86400 HAVEN_FUZZ_REQUESTS="${1:-1000000}" swift test -c release --scratch-path .build-soak -Xswiftc -enable-testing --skip-build \
  --filter HostileInputTests 2>&1 | grep -E "fuzz:|✔|✘|error"

#!/usr/bin/env bash
# Crash-safety soak: the SIGKILL test of the suite (CrashSafetyTests) for many more cycles,
# on a release build. Each cycle runs concurrent creates, updates, consent changes and
# reads, kills havend at a random moment, restarts it and checks every acknowledged write
# and read, then verifies the audit log.
#
#   scripts/soak-crash.sh [CYCLES]     default 100
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
swift build -c release --scratch-path .build-soak --build-tests -Xswiftc -enable-testing
HAVEN_CRASH_CYCLES="${1:-100}" swift test -c release --scratch-path .build-soak -Xswiftc -enable-testing --skip-build \
  --filter CrashSafetyTests 2>&1 | grep -E "crash:|✔|✘|error"

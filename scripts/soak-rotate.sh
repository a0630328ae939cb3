#!/usr/bin/env bash
# Root key rotation soak: the rotation SIGKILL test of the suite (RotationTests) for many
# more cycles, on a release build. Each cycle creates records from two clients, starts
# 'haven operator rotate-root', kills havend at a random moment, restarts it and checks
# that the vault opens and every acknowledged record reads back; the log is verified at
# the end.
#
#   scripts/soak-rotate.sh [CYCLES]     default 100
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
swift build -c release --scratch-path .build-soak --build-tests -Xswiftc -enable-testing
HAVEN_ROTATION_CYCLES="${1:-100}" swift test -c release --scratch-path .build-soak -Xswiftc -enable-testing --skip-build \
  --filter "RotationTests/aKillAtAnyMoment" 2>&1 | grep -E "rotation kill test:|✔|✘|error"

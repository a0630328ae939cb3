#!/usr/bin/env bash
# Runs the stateful property test for longer: random calls from every role against the real
# daemon, checking after every step that every record still lists and reads back, no answer
# is a 500, and (every 500 steps of a worker) that the audit log verifies.
#   scripts/soak-property.sh [STEPS] [SEED]     (default 200000 steps, a random seed)
set -euo pipefail
cd "$(dirname "$0")/.."
steps="${1:-200000}"
export HAVEN_PROPERTY_STEPS="$steps" HAVEN_PROPERTY_SECONDS=864000
[ -n "${2:-}" ] && export HAVEN_PROPERTY_SEED="$2"
HAVEN_TEST_TIMEOUT=$(( 600 + steps / 10 )) scripts/test.sh --filter StatefulPropertyTests 2>&1 | grep -E "stateful property|✘|Test run"

#!/usr/bin/env bash
# Statistics benchmarks on a release build (README "Performance", "Statistics"): a vault of
# 10k and of 1M seeded records, `stats incidents` through the real havend's socket, the
# first query after the start cold (page cache dropped when run as root), then warm.
# About fifteen minutes and 7 GB in /tmp; with --workdir DIR the seeded vaults are kept in
# DIR and the next run reuses them (about two minutes).
#   scripts/bench-stats.sh [--records 10000 1000000] [--rebuild] [--workdir DIR]
# Then `haven-bench release`: the time to compute a year's release (HavenStats METHOD.md) alone.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
swift build -c release --product havend
swift build -c release --product haven-bench
.build/release/haven-bench stats --policy policy "$@"
# A year's release computed once, pure (no vault): realistic breakdowns of 3 and 4 dimensions.
.build/release/haven-bench release

#!/usr/bin/env bash
# Statistics benchmarks on a release build (README "Performance", "Statistics"): a vault of
# 10k and of 1M seeded records, `stats incidents` through the real havend's socket, the
# first query after the start cold (page cache dropped when run as root), then warm.
# About fifteen minutes and 7 GB in /tmp; with --workdir DIR the seeded vaults are kept in
# DIR and the next run reuses them (about two minutes).
#   scripts/bench-stats.sh [--records 10000 1000000] [--rebuild] [--workdir DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
swift build -c release --product havend
swift build -c release --product haven-bench
.build/release/haven-bench stats --policy policy "$@"

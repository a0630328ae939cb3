#!/usr/bin/env bash
# Haven's benchmarks on a release build: audited reads, updates and creates through the
# real havend's socket on vaults of 10k, 100k and 1M records (C = 1, 16, 64 connections),
# then audit verification over a 1M-entry log. Prints the tables of README "Performance".
# Takes about fifteen minutes (seeding 1M records is ten of them) and a few GB in /tmp.
# Arguments go to 'haven-bench socket', e.g. scripts/bench.sh --records 10000 --seconds 2;
# --havend OLD/havend .build/release/havend measures two daemons on the same seeded vaults.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
swift build -c release --product havend
swift build -c release --product haven-bench
.build/release/haven-bench socket --policy policy "$@"
.build/release/haven-bench audit-verify --entries 1000000

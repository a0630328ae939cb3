#!/usr/bin/env bash
# haven-web's own benchmark on a release build: the real haven-web in front of the real
# havend on seeded vaults of 10k and 1M records, driven over loopback HTTP by keep-alive
# clients signed in as a person of the desk: the list page (/records?scope=agency) and the
# record page (/records/ID) at 1, 8 and 32 clients, p50/p99 and pages/s, and haven-web's
# memory (VmRSS, RssAnon) at start, signed in and after the runs.
# Seeding 1M records takes seven minutes or more and a few GB in /tmp.
# Arguments go to 'haven-bench web', e.g. scripts/bench-web.sh --records 10000 100000 --seconds 5
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
swift build -c release --product havend
swift build -c release --product haven-web
swift build -c release --product haven-bench
.build/release/haven-bench web --policy policy "$@"

#!/usr/bin/env bash
# Search benchmarks on a release build (README "Performance", "Finding a survivor"):
# 'record find' by name and date of birth through the real havend's socket at 10k and 1M
# records (1 and 64 connections), spread over 1,000 searchers so that none goes over its
# find_limit (haven-bench runs havend on a copy of the policy whose counsellor role has the
# fastest find_limit 'haven policy check' accepts: 60 at once, then one a second), and the
# row 'find, one user': one intake user's script at the pace as shipped, its answered and
# refused finds a second. Then the blind indexes' measured coincidences C, and what the
# duplicate check and the index rows add to a create: the shipped policy against a copy of
# it whose schemas mark no field searchable; and a create whose phone 1,000 records share.
# About fifteen minutes and 8 GB in /tmp.
#   scripts/bench-find.sh [--records 10000 1000000] [--seconds 5]
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
swift build -c release --product havend
swift build -c release --product haven-bench
records=(10000 1000000)
extra=()
while [ $# -gt 0 ]; do
    case "$1" in
        --records) shift; records=(); while [ $# -gt 0 ] && [[ "$1" != --* ]]; do records+=("$1"); shift; done ;;
        *) extra+=("$1"); shift ;;
    esac
done
unsearched="$(mktemp -d /tmp/haven-policy.XXXXXX)"
trap 'rm -rf "$unsearched"' EXIT
cp -r policy/. "$unsearched/"
sed -i 's/, search: [a-z]*//' "$unsearched"/schema/*.yaml
! grep -q "search:" "$unsearched"/schema/*.yaml
echo "== find and create, shipped policy (name, phone and date of birth indexed)"
.build/release/haven-bench socket --policy policy --records "${records[@]}" --connections 1 64 \
    --workloads status find create --finders 1000 ${extra[@]+"${extra[@]}"}
echo "== create, no field searchable (no duplicate check, no index rows)"
.build/release/haven-bench socket --policy "$unsearched" --records "${records[0]}" --connections 1 64 \
    --workloads create ${extra[@]+"${extra[@]}"}
echo "== create with a phone that 1,000 records share (the duplicate check's bound)"
.build/release/haven-bench duplicates --policy policy --sharing 1000

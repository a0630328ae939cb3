#!/usr/bin/env bash
# An erasure while a long read (a backup's snapshot, HOLD seconds, 10 by default) holds the
# database: how long the erasure takes, the slowest of 20 audited reads sent meanwhile, and
# whether the WAL is empty once the read ends. BIN (default .build/debug) holds haven and
# havend; BIN=OLD/.build/debug measures an older daemon the same way. Before the writer
# stopped waiting for readers (debug build, 2 cores): erasure 9.8 s, slowest read 9.7 s,
# WAL 560 KB after; since: erasure 2.4 s (its own wait, at most 2 s), slowest read 0.24 s,
# WAL 0 bytes.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${BIN:-.build/debug}
HOLD=${HOLD:-10}
T=$(mktemp -d /tmp/hv-bench-XXXXXX); chmod 700 "$T"
trap 'kill $DPID 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$T"' EXIT
cp keys-example/*.key keys-example/*.pub "$T"/; chmod 600 "$T"/*.key
"$BIN/haven" init --data "$T/data" --admin-key "$T/admin.key.pub" >/dev/null
"$BIN/havend" --data "$T/data" --socket "$T/s" --policy policy --log-level error & DPID=$!
for _ in $(seq 100); do [ -S "$T/s" ] && break; sleep 0.1; done
export HAVEN_SOCKET="$T/s"
HAVEN_KEY="$T/admin.key" "$BIN/haven" user add intake --role intake --agency ossc-vientiane --public-key "$T/intake.key.pub" >/dev/null
export HAVEN_KEY="$T/intake.key"
ids=(); for n in 1 2 3; do ids+=("$("$BIN/haven" record create --type gbv_incident --field survivor_name="Survivor $n" --field incident_type=rape | awk '{print $NF}' | tail -1)"); done
python3 - "$T/data/haven.db" "$HOLD" <<'PY' & RPID=$!
import sqlite3, sys, time
c = sqlite3.connect(sys.argv[1], isolation_level=None); c.execute("BEGIN"); c.execute("SELECT count(*) FROM records").fetchall()
time.sleep(float(sys.argv[2])); c.execute("ROLLBACK")
PY
sleep 0.5
ms() { local s=$(date +%s%N); "$@" >/dev/null; echo $(( ($(date +%s%N) - s) / 1000000 )); }
( echo "erase ${ids[0]}: $(ms "$BIN/haven" record erase "${ids[0]}" --reason survivor_request) ms" ) & EPID=$!
sleep 0.1
worst=0; for _ in $(seq 20); do t=$(ms "$BIN/haven" record get "${ids[1]}" --purpose bench); (( t > worst )) && worst=$t; done
wait $EPID
echo "20 audited reads during the erasure and the ${HOLD} s read: slowest $worst ms"
wait $RPID
for _ in $(seq 100); do [ "$(stat -c %s "$T/data/haven.db-wal")" = 0 ] && break; sleep 0.05; done
echo "WAL after the read ended: $(stat -c %s "$T/data/haven.db-wal") bytes"

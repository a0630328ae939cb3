#!/usr/bin/env bash
# Makes the known-answer vectors committed under Tests/Fixtures/: a small audit log export
# and a certified extract, with the public key of the vault that signed them (committed as
# Tests/Fixtures/audit-v1/ and Tests/Fixtures/extract-v1/, each with its vault.pub). They are
# made once and committed; every later version of Haven must keep verifying them, so
# never regenerate them to make a test pass. Usage: scripts/make-test-vectors.sh OUTDIR
set -euo pipefail
cd "$(dirname "$0")/.."
out="${1:?usage: $0 OUTDIR}"
swift build
bin="$(swift build --show-bin-path)"
work="$(mktemp -d /tmp/haven-vectors.XXXXXX)"
chmod 700 "$work"
mkdir -p "$work/keys" "$out"
cp keys-example/*.key keys-example/*.pub "$work/keys/"
chmod 600 "$work"/keys/*.key
export HAVEN_SOCKET="$work/s"
as() { local who="$1"; shift; "$bin/haven" "$@" --key "$work/keys/$who.key"; }

"$bin/haven" init --data "$work/data" --admin-key "$work/keys/admin.key.pub" >/dev/null
"$bin/havend" --data "$work/data" --socket "$HAVEN_SOCKET" --policy policy 2>"$work/log" &
daemon=$!
trap 'kill -TERM $daemon 2>/dev/null; wait $daemon 2>/dev/null; rm -rf "$work"' EXIT
for _ in $(seq 100); do grep -q "\] ready" "$work/log" 2>/dev/null && break; sleep 0.1; done

while read -r name role agency; do
  as admin user add "$name" --role "$role" --agency "$agency" --public-key "$work/keys/$name.key.pub" >/dev/null
done <<'USERS'
intake intake ossc-vientiane
counsellor counsellor ossc-vientiane
police police police-vientiane
court court people-court
auditor auditor haven
USERS

id=$(as intake record create --type gbv_incident --field "survivor_name=ນາງ ສົມພອນ ວົງສະຫວັນ" \
  --field "address=Nguyễn Thị Hà, Hà Tĩnh" --field incident_type=rape --field incident_date=2026-10-30 \
  --field perpetrator_relationship=intimate_partner --field "legal_status=complaint registered" --assign counsellor)
as counsellor record get "$id" --purpose "first session" >/dev/null 2>&1 || true
as intake consent grant "$id" counselling --evidence "sha256:0f3c…form-0001" >/dev/null
as counsellor record get "$id" --purpose "first session" >/dev/null
as police record get "$id" --purpose "investigation 41/2026" >/dev/null 2>&1 || true
as intake consent grant "$id" legal --evidence "sha256:77ab…form-0002" >/dev/null

as auditor audit export --out "$out/audit-export.jsonl" >/dev/null
if as court extract create "$id" --purpose "hearing 12/2026" --consent --all-permitted --out "$out/extract.json" >/dev/null 2>&1; then
  echo "wrote $out/extract.json"
fi
cp "$work/data/vault.pub" "$out/vault.pub"
echo "wrote $out/audit-export.jsonl and $out/vault.pub (record $id)"

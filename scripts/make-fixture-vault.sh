#!/usr/bin/env bash
# Makes a small vault in the format of the release this is run with, for the upgrade tests:
# every later Haven must open it, migrate it once and read every record back exactly.
#
#   scripts/make-fixture-vault.sh OUTDIR
#
# OUTDIR gets haven.db (the WAL folded in), root.key and vault.pub of that vault, and
# expected/ID.json, each record as its reader saw it through the CLI before the upgrade.
# The keys are test fixtures like keys-example/: public, never for real data.
# Run once per format version with the release that writes it, commit the result as
# Tests/Fixtures/vault-vN/, and never regenerate an existing one to make a test pass.
set -euo pipefail
cd "$(dirname "$0")/.."
out="${1:?usage: $0 OUTDIR}"
command -v sqlite3 > /dev/null || { echo "needs the sqlite3 shell (apt-get install sqlite3)" >&2; exit 2; }
swift build
bin="$(swift build --show-bin-path)"
work="$(mktemp -d /tmp/haven-fixture.XXXXXX)"
chmod 700 "$work"
mkdir -p "$work/keys" "$out/expected"
cp keys-example/*.key keys-example/*.pub "$work/keys/"
chmod 600 "$work"/keys/*.key
export HAVEN_SOCKET="$work/s"
as() { local who="$1"; shift; "$bin/haven" "$@" --key "$work/keys/$who.key"; }

"$bin/haven" init --data "$work/data" --admin-key "$work/keys/admin.key.pub" > /dev/null
"$bin/havend" --data "$work/data" --socket "$HAVEN_SOCKET" --policy policy 2> "$work/log" &
daemon=$!
trap 'kill -TERM $daemon 2>/dev/null; wait $daemon 2>/dev/null; rm -rf "$work"' EXIT
for _ in $(seq 100); do grep -q "\] ready" "$work/log" 2> /dev/null && break; sleep 0.1; done

while read -r name role agency; do
  as admin user add "$name" --role "$role" --agency "$agency" --public-key "$work/keys/$name.key.pub" > /dev/null
done << 'USERS'
intake intake ossc-vientiane
counsellor counsellor ossc-vientiane
health health mahosot-hospital
police police police-vientiane
court court people-court
auditor auditor haven
analyst analyst haven
USERS
# A user bound to a uid, and one revoked: both must survive the upgrade exactly.
"$bin/haven" key generate --out "$work/keys/bounmy.key" > /dev/null
as admin user add bounmy --role counsellor --agency ossc-vientiane --public-key "$work/keys/bounmy.key.pub" --uid 4242 > /dev/null
"$bin/haven" key generate --out "$work/keys/retired.key" > /dev/null
as admin user add retired --role intake --agency ossc-vientiane --public-key "$work/keys/retired.key.pub" > /dev/null
as admin user revoke retired > /dev/null

a=$(as intake record create --type gbv_incident --field "survivor_name=ນາງ ສົມພອນ ວົງສະຫວັນ" \
  --field "address=Nguyễn Thị Hà, Hà Tĩnh" --field incident_type=rape --field incident_date=2026-10-30 \
  --field "incident_description=ເຫດການເກີດຂຶ້ນໃກ້ຕະຫຼາດ; bà ấy đã báo cáo ngay." \
  --field perpetrator_relationship=intimate_partner --field "legal_status=complaint registered" --assign counsellor)
as intake consent grant "$a" counselling --evidence "sha256:0f3c0f3c0f3c0f3c0f3c0f3c0f3c0f3c0f3c0f3c0f3c0f3c0f3c0f3c0f3c0f3c" > /dev/null
as intake consent grant "$a" police > /dev/null
as police record get "$a" --purpose "investigation 41/2026" > /dev/null
as intake consent withdraw "$a" police > /dev/null
as intake record update "$a" --field "phone=+856 20 5555 0101" --field "address=Ban Phonthan, Xaysettha" > /dev/null
as counsellor note add "$a" --class counselling --text "Buổi tư vấn đầu tiên: ổn định, an toàn tại nhà chị gái." > /dev/null

b=$(as intake record create --type trafficking_case --field "survivor_name=Trần Thị Mai" \
  --field exploitation_form=forced_labour --field "address=Nhà tạm lánh, Hà Nội")
as intake consent grant "$b" health --expires 2030-06-30 > /dev/null
as intake note add "$b" --class incident --text "ຖືກພາໄປເຮັດວຽກຢູ່ຕ່າງປະເທດ." > /dev/null

c=$(as intake record create --type gbv_incident --field "survivor_name=Phạm Thị Lan" --field incident_type=physical_assault \
  --field "incident_location=Chợ Đồng Xuân, Hà Nội" --field intake_date=2025-10-02 --field province=vn-ha-noi --assign counsellor)
as intake consent grant "$c" health > /dev/null
as intake consent grant "$c" statistics > /dev/null
# A referral to the shelter, accepted (schema 8): its state in the header, its steps in rows.
if "$bin/haven" referral --help > /dev/null 2>&1; then
  "$bin/haven" key generate --out "$work/keys/shelter.key" > /dev/null
  as admin user add shelter --role intake --agency lwu-shelter-vientiane --public-key "$work/keys/shelter.key.pub" > /dev/null
  as intake consent grant "$c" shelter > /dev/null
  ref=$(as intake referral create "$c" --to lwu-shelter-vientiane --service shelter --purpose "safe housing" 2> /dev/null)
  as shelter referral accept "$ref" > /dev/null
  cp "$work/keys/shelter.key" "$work/keys/shelter.key.pub" "$out/"
fi

# A year's statistics release, published and frozen (schema 10): ten survivors of one
# month, province and kind, so that the shipped breakdowns publish 2025 by month.
if "$bin/haven" stats incidents --help 2> /dev/null | grep -q "breakdown"; then
  for n in $(seq 10); do
    s=$(as intake record create --type gbv_incident --field "survivor_name=Fixture survivor $n" \
      --field incident_type=physical_assault --field intake_date=2025-03-1$((n % 10)) --field province=vn-ha-noi)
    as intake consent grant "$s" statistics > /dev/null
  done
  as analyst stats incidents --from 2025-01 --to 2025-12 --by province,incident_type --format json > "$out/expected/stats-2025.json"
fi

# A read of an id that is no record (schema 9 keeps its entry out of every record's chain).
as intake record get aaaaaaaaaaaaaaaaaaaaaaaaaa --purpose "a mistyped id" > /dev/null 2>&1 || true

for id in "$a" "$b" "$c"; do
  as intake record get "$id" --purpose "fixture expected values" --json > "$out/expected/$id.json"
done
as counsellor record get "$a" --purpose "fixture expected values" --json > "$out/expected/$a.counsellor.json"
as health record get "$c" --purpose "fixture expected values" --json > "$out/expected/$c.health.json"

kill -TERM $daemon; wait $daemon || true
# Fold the WAL into the database file, so the fixture is one file.
sqlite3 "$work/data/haven.db" "PRAGMA wal_checkpoint(TRUNCATE); PRAGMA journal_mode=DELETE;" > /dev/null
cp "$work/data/haven.db" "$work/data/root.key" "$work/data/vault.pub" "$out/"
cp "$work/keys/bounmy.key" "$work/keys/bounmy.key.pub" "$out/"
echo "wrote $out: records $a $b $c"

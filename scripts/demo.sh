#!/usr/bin/env bash
# A local Haven demo on keys-example/ and policy/: installs what it needs, builds,
# creates a vault, starts havend, enrols one demo user per role, and runs a short
# session (a record in Lao and Vietnamese created, consented, read back; refusals shown).
#
#   scripts/demo.sh          run the session, then stop the daemon
#   scripts/demo.sh --keep   leave havend running afterwards, with the browser desk
#                            (haven-web) on 127.0.0.1:${HAVEN_WEB_PORT:-8080} and an invitation link
#
# The demo keys are PUBLIC (keys-example/README.md): never use them for real records.
set -euo pipefail
cd "$(dirname "$0")/.."
keep=false
[ "${1:-}" = "--keep" ] && keep=true

scripts/install-deps.sh
echo "== building (first build takes a few minutes)"
swift build
bin="$(swift build --show-bin-path)"

demo="${HAVEN_DEMO_DIR:-$(mktemp -d /tmp/haven-demo.XXXXXX)}"
mkdir -p "$demo/keys"
chmod 700 "$demo"
cp keys-example/*.key keys-example/*.pub "$demo/keys/"
chmod 600 "$demo"/keys/*.key
export HAVEN_SOCKET="$demo/haven.sock"
haven() { "$bin/haven" "$@"; }
as() { local who="$1"; shift; "$bin/haven" "$@" --key "$demo/keys/$who.key"; }

echo "== creating a vault in $demo/data"
haven init --data "$demo/data" --admin-key "$demo/keys/admin.key.pub"

echo "== starting havend on $HAVEN_SOCKET"
"$bin/havend" --data "$demo/data" --socket "$HAVEN_SOCKET" --policy policy >"$demo/havend.log" 2>&1 &
daemon=$!
stop() { kill -TERM "$daemon" 2>/dev/null && wait "$daemon" 2>/dev/null || true; }
$keep || trap stop EXIT
for _ in $(seq 100); do grep -q "\] ready" "$demo/havend.log" 2>/dev/null && break; sleep 0.1; done
grep -q "\] ready" "$demo/havend.log" || { cat "$demo/havend.log"; exit 1; }

echo "== enrolling one demo user per role"
while read -r name role agency; do
  as admin user add "$name" --role "$role" --agency "$agency" --public-key "$demo/keys/$name.key.pub"
done <<'USERS'
intake intake ossc-vientiane
counsellor counsellor ossc-vientiane
health health mahosot-hospital
police police police-vientiane
court court people-court
auditor auditor haven
analyst analyst haven
USERS

echo "== intake opens a case and assigns the counsellor"
# Survivor values go through files (@FILE), never the command line, which every local user
# can read in ps and which stays in shell history. The codes are no one's secret.
umask 077
printf '%s\n' "ນາງ ສົມພອນ ວົງສະຫວັນ" > "$demo/name.txt"
printf '%s\n' "Nguyễn Thị Hà, Hà Tĩnh" > "$demo/address.txt"
id=$(as intake record create --type gbv_incident \
  --field "survivor_name=@$demo/name.txt" \
  --field "address=@$demo/address.txt" \
  --field incident_type=physical_assault --field incident_date=2026-11-20 \
  --assign counsellor)
shred -u "$demo/name.txt" "$demo/address.txt"
echo "record id: $id"

echo "== the counsellor is refused until the survivor consents to counselling"
as counsellor record get "$id" --purpose "first counselling session" || echo "(exit $?: denied, as it should be)"
# The signed form stays on this machine: only its SHA-256 digest is sent as evidence.
printf 'Consent form #0001, signed at the OSSC\n' > "$demo/consent-form-0001.txt"
as intake consent grant "$id" counselling --evidence-file "$demo/consent-form-0001.txt"
echo "== after consent, the counsellor reads it back"
as counsellor record get "$id" --purpose "first counselling session"

echo "== police without police consent, and the administrator, are refused"
as police record get "$id" --purpose "investigation" || echo "(exit $?: denied)"
as admin record get "$id" --purpose "curiosity" || echo "(exit $?: denied)"

echo "== a referral to the Lao Women's Union shelter, with the survivor's shelter consent"
haven key generate --out "$demo/keys/shelter.key" > /dev/null
as admin user add shelter --role intake --agency lwu-shelter-vientiane --public-key "$demo/keys/shelter.key.pub"
as intake consent grant "$id" shelter
ref=$(as intake referral create "$id" --to lwu-shelter-vientiane --service shelter --purpose "safe housing tonight")
as shelter record get "$id" --purpose "arranging a room" || echo "(exit $?: denied until the shelter accepts)"
as shelter referral accept "$ref"
as shelter record get "$id" --purpose "arranging a room"
as intake consent withdraw "$id" shelter
as shelter record get "$id" --purpose "arranging a room" || echo "(exit $?: denied once consent is withdrawn)"

echo
echo "demo vault: $demo   (log: $demo/havend.log)"
if $keep; then
  # The browser desk in front of it, on loopback only (plain HTTP is allowed there alone).
  port="${HAVEN_WEB_PORT:-8080}"
  mkdir -p -m 700 "$demo/web"
  "$bin/haven-web" serve --socket "$HAVEN_SOCKET" --listen "127.0.0.1:$port" --keys "$demo/web" --policy policy \
    >"$demo/haven-web.log" 2>&1 &
  web=$!
  for _ in $(seq 100); do grep -q "haven-web: serving" "$demo/haven-web.log" 2>/dev/null && break; sleep 0.1; done
  echo "havend is running (pid $daemon). Try:"
  echo "  export HAVEN_SOCKET=$HAVEN_SOCKET"
  echo "  $bin/haven record list --key $demo/keys/intake.key"
  if grep -q "haven-web: serving" "$demo/haven-web.log"; then
    link=$("$bin/haven-web" invite desk --keys "$demo/web" --url "http://127.0.0.1:$port")
    echo "the browser desk is at http://127.0.0.1:$port (pid $web). A first desk user, 'desk':"
    echo "  open $link"
    echo "  choose a passphrase, save the public key the page shows as $demo/desk.pub, and enrol it as the administrator:"
    echo "  $bin/haven user add desk --role intake --agency ossc-vientiane --public-key $demo/desk.pub --key $demo/keys/admin.key"
    echo "stop them with: kill $web $daemon"
  else
    echo "(haven-web did not start: $demo/haven-web.log)"
    echo "stop it with: kill $daemon"
  fi
else
  echo "to run it again: $bin/havend --data $demo/data --socket $HAVEN_SOCKET --policy policy"
fi

#!/usr/bin/env bash
# Screenshots of the browser desk's main pages in English, Lao and Vietnamese, for a person
# to check by eye that every word is translated and that Lao and Vietnamese are drawn in
# their fonts (no empty boxes): sign-in, the records list, a record, the new-record form,
# find with its results, referrals, the lock screen and the print view.
#
# Starts a demo vault on keys-example/ and policy/ (as scripts/demo.sh does) with a few
# records in Lao and Vietnamese, haven-web on a free loopback port, and two desk users made
# from invitations (an intake officer of the Vientiane OSSC and one of the Lao Women's Union
# shelter); then headless Chromium signs in and saves PNGs. Not part of the test suite.
#
#   scripts/web-screenshots.sh [OUT-DIR]     default: /tmp/haven-web-screenshots
set -euo pipefail
cd "$(dirname "$0")/.."
out="$(realpath -m "${1:-/tmp/haven-web-screenshots}")"
mkdir -p "$out"

# shellcheck source=lib/browser-demo.sh
source scripts/lib/browser-demo.sh
need=()
for p in chromium-driver python3-selenium; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || need+=("$p")
done
if [ ${#need[@]} -gt 0 ]; then
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y --no-install-recommends "${need[@]}"
fi
python=/usr/bin/python3

web=""
stop_all() {
  [ -n "$web" ] && { kill -TERM "$web" 2>/dev/null; wait "$web" 2>/dev/null || true; }
  kill -TERM "$daemon" 2>/dev/null; wait "$daemon" 2>/dev/null || true
}
trap stop_all EXIT

while read -r name role agency; do
  as admin user add "$name" --role "$role" --agency "$agency" --public-key "$work/keys/$name.key.pub" >/dev/null
done <<'USERS'
intake intake ossc-vientiane
counsellor counsellor ossc-vientiane
USERS

echo "== records in Lao and Vietnamese"
# Values through files, never the command line (scripts/demo.sh says why).
umask 077
field() { printf '%s\n' "$2" > "$work/$1.txt"; printf '%s=@%s' "$1" "$work/$1.txt"; }
lao=$(as intake record create --type gbv_incident \
  --field "$(field survivor_name "ນາງ ສົມພອນ ວົງສະຫວັນ")" --field "$(field address "ບ້ານຫາຍໂສກ, ເມືອງຈັນທະບູລີ, ນະຄອນຫຼວງວຽງຈັນ")" \
  --field "$(field incident_location "ຕະຫຼາດເຊົ້າ ໃກ້ສະຖານີລົດເມ")" --field "$(field phone "020 5555 1234")" \
  --field "$(field incident_description "ຜົວທຳຮ້າຍຮ່າງກາຍຢູ່ເຮືອນ ຕອນກາງຄືນ.")" \
  --field incident_type=physical_assault --field incident_date=2026-11-20 --field sex=female \
  --field province=la-vientiane-capital --field date_of_birth=1995-08-15 --assign counsellor)
vi=$(as intake record create --type gbv_incident \
  --field "$(field survivor_name "Chị Nguyễn Thị Hà")" --field "$(field address "Số 7 Phố Huế, Hà Nội")" \
  --field "$(field incident_location "Chợ Đồng Xuân, gần cổng số 3")" --field "$(field phone "020 7777 4321")" \
  --field "$(field incident_description "Bị chồng đánh tại nhà vào buổi tối.")" \
  --field incident_type=psychological_abuse --field incident_date=2026-11-28 --field sex=female \
  --field province=la-vientiane-capital --field date_of_birth=1990-03-02)
printf '%s\n' "ໂທກັບຄືນວັນອັງຄານ ເວລາ 10 ໂມງ, ຢູ່ເບີຂອງເອື້ອຍ." > "$work/note.txt"
as intake note add "$lao" --class incident --text-file "$work/note.txt" >/dev/null
rm -f "$work"/*.txt
printf 'Consent form #0001, signed at the OSSC\n' > "$work/consent-form.txt"
as intake consent grant "$lao" counselling --evidence-file "$work/consent-form.txt" >/dev/null
as intake consent grant "$lao" shelter --evidence-file "$work/consent-form.txt" >/dev/null
as intake referral create "$lao" --to lwu-shelter-vientiane --service shelter --purpose "safe housing tonight" >/dev/null

echo "== haven-web"
port=$("$python" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
url="http://127.0.0.1:$port"
mkdir -m 700 "$work/web-keys"
"$bin/haven-web" serve --socket "$HAVEN_SOCKET" --listen "127.0.0.1:$port" --keys "$work/web-keys" --policy policy \
  2>"$work/web.log" &
web=$!
for _ in $(seq 100); do grep -q "haven-web: serving" "$work/web.log" 2>/dev/null && break; sleep 0.1; done
grep -q "haven-web: serving" "$work/web.log" || { cat "$work/web.log"; exit 1; }

# Each desk user: an invitation, a passphrase chosen in the browser, the public key it shows
# enrolled by the administrator.
people="{"
while read -r key name role agency; do
  pass="demo passphrase $(head -c 64 /dev/urandom | tr -dc 'a-z0-9' | head -c 10)"
  link=$("$bin/haven-web" invite "$name" --keys "$work/web-keys" --url "$url")
  DESK_URL="$url" "$python" scripts/web_screenshots.py welcome "$link" "$pass" > "$work/$name.pub"
  as admin user add "$name" --role "$role" --agency "$agency" --public-key "$work/$name.pub" >/dev/null
  people+="\"$key\": {\"name\": \"$name\", \"passphrase\": \"$pass\"},"
done <<'PEOPLE'
intake mali intake ossc-vientiane
shelter noy intake lwu-shelter-vientiane
PEOPLE
people="${people%,}}"

echo "== screenshots"
DESK_URL="$url" DESK_PEOPLE="$people" DESK_RECORDS="{\"lao\": \"$lao\", \"vi\": \"$vi\"}" \
  "$python" scripts/web_screenshots.py shoot "$out"
echo "screenshots in $out"

#!/usr/bin/env bash
# Renders a certified extract with Lao and Vietnamese values to HTML, and the HTML to a
# PNG with headless Chromium from Debian's packages, so a person can check by eye that both
# scripts show correctly. Not part of the test suite (CI needs no browser).
#
#   scripts/screenshot-extract.sh [OUT.png]      default: ./extract-screenshot.png
set -euo pipefail
cd "$(dirname "$0")/.."
png="$(realpath -m "${1:-extract-screenshot.png}")"

scripts/install-deps.sh
need=()
for p in chromium fonts-noto-core fonts-lao; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || need+=("$p")
done
if [ ${#need[@]} -gt 0 ]; then
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y --no-install-recommends "${need[@]}"
fi

swift build
bin="$(swift build --show-bin-path)"
work="$(mktemp -d /tmp/haven-shot.XXXXXX)"
chmod 700 "$work"
mkdir "$work/keys"
cp keys-example/*.key keys-example/*.pub "$work/keys/"
chmod 600 "$work"/keys/*.key
export HAVEN_SOCKET="$work/s"
as() { local who="$1"; shift; "$bin/haven" "$@" --key "$work/keys/$who.key"; }

"$bin/haven" init --data "$work/data" --admin-key "$work/keys/admin.key.pub" >/dev/null
"$bin/havend" --data "$work/data" --socket "$HAVEN_SOCKET" --policy policy 2>"$work/log" &
daemon=$!
trap 'kill -TERM $daemon 2>/dev/null; wait $daemon 2>/dev/null || true' EXIT
for _ in $(seq 100); do grep -q "\] ready" "$work/log" 2>/dev/null && break; sleep 0.1; done
as admin user add intake --role intake --agency ossc-vientiane --public-key "$work/keys/intake.key.pub" >/dev/null
as admin user add court --role court --agency people-court --public-key "$work/keys/court.key.pub" >/dev/null

id=$(as intake record create --type gbv_incident \
  --field "survivor_name=ນາງ ສົມພອນ ວົງສະຫວັນ" \
  --field "incident_location=ບ້ານ ໂພນສະຫວ່າງ, ເມືອງ ຈັນທະບູລີ, ນະຄອນຫຼວງວຽງຈັນ" \
  --field incident_type=physical_assault --field incident_date=2026-10-30 \
  --field "perpetrator_details=Nguyễn Văn Bình, chồng cũ, sống tại Phường Hà Huy Tập, thành phố Hà Tĩnh" \
  --field "legal_status=Đơn tố cáo đã nộp ngày 2/11/2026 — <script>alert('not run')</script>")
as court extract create "$id" --purpose "hearing 12/2026" --court-order "Order 77/2026, People's Court of Vientiane" \
  --out "$work/extract.json" >/dev/null
"$bin/haven" extract render "$work/extract.json" --format html --vault-key "$work/data/vault.pub" --out "$work/extract.html"

chromium --headless --no-sandbox --disable-gpu --hide-scrollbars --window-size=1100,1500 \
  --screenshot="$png" "file://$work/extract.html" 2>/dev/null
echo "wrote $png (from $work/extract.html)"

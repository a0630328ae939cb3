#!/usr/bin/env bash
# Renders a certified extract with Lao and Vietnamese values to HTML, and the HTML to a
# PNG with headless Chromium from Debian's packages, so a person can check by eye that both
# scripts show correctly. Not part of the test suite (CI needs no browser).
#
#   scripts/screenshot-extract.sh [OUT.png]      default: ./extract-screenshot.png
set -euo pipefail
cd "$(dirname "$0")/.."
png="$(realpath -m "${1:-extract-screenshot.png}")"

# shellcheck source=lib/browser-demo.sh
source scripts/lib/browser-demo.sh
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

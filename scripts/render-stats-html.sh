#!/usr/bin/env bash
# Renders an analyst's statistics page (haven stats incidents --format html --lang lo) to a
# PNG with headless Chromium from Debian's packages, so a person can check by eye that the
# Lao names, the table and the SVG chart show correctly and that hidden cells read as
# <5 and x. Not part of the test suite (CI needs no browser; the suite checks the page with
# an XML parser).
#
#   scripts/render-stats-html.sh [OUT.png]      default: ./stats-screenshot.png
set -euo pipefail
cd "$(dirname "$0")/.."
png="$(realpath -m "${1:-stats-screenshot.png}")"

# shellcheck source=lib/browser-demo.sh
source scripts/lib/browser-demo.sh
as admin user add intake --role intake --agency ossc-vientiane --public-key "$work/keys/intake.key.pub" >/dev/null
as admin user add analyst --role analyst --agency haven --public-key "$work/keys/analyst.key.pub" >/dev/null

# 2025's first quarter at two OSSCs: enough records for most cells to be shown, a few small.
n=0
for spec in "la-vientiane-capital rape 9" "la-vientiane-capital physical_assault 12" "la-vientiane-capital psychological_abuse 6" \
            "la-luang-prabang rape 7" "la-luang-prabang physical_assault 2" "la-savannakhet forced_marriage 5" \
            "la-savannakhet denial_of_resources 1"; do
  read -r province type count <<< "$spec"
  for _ in $(seq "$count"); do
    n=$((n + 1))
    id=$(as intake record create --type gbv_incident --field "survivor_name=Survivor $n" --field incident_type="$type" \
      --field province="$province" --field intake_date="2025-0$((n % 3 + 1))-1$((n % 10))" --field sex=female 2>/dev/null)
    as intake consent grant "$id" statistics >/dev/null
  done
done
as analyst stats incidents --from 2025-01 --to 2025-03 --by province,incident_type --format html --lang lo --out "$work/stats.html"

chromium --headless --no-sandbox --disable-gpu --hide-scrollbars --window-size=1000,2400 \
  --screenshot="$png" "file://$work/stats.html" 2>/dev/null
echo "wrote $png (from $work/stats.html)"

#!/usr/bin/env bash
# Generates haven(1) and havend(8) from the commands' own definitions (the same ones --help
# prints, through swift-argument-parser's generate-manual plugin), adds the ENVIRONMENT,
# FILES and EXAMPLES sections kept in scripts/man/*.mdoc, and installs them.
#
#   scripts/install-man.sh [PREFIX]      # default /usr/local: PREFIX/share/man/man1, man8
#   HAVEN_MAN_ONLY=DIR scripts/install-man.sh   # write the two pages to DIR, install nothing
set -euo pipefail
cd "$(dirname "$0")/.."
prefix="${1:-/usr/local}"
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
swift package --allow-writing-to-directory "$out" generate-manual --output-directory "$out" > /dev/null

# The sections go before SEE ALSO or AUTHORS, where mdoc's order puts them, else at the end.
with_sections() {
  awk -v extra="$2" '
    !done && /^\.Sh (SEE ALSO|AUTHORS)/ { while ((getline line < extra) > 0) print line; done = 1 }
    { print }
    END { if (!done) while ((getline line < extra) > 0) print line }
  ' "$1"
}
with_sections "$out/haven.1" scripts/man/haven.1.mdoc > "$out/haven.1.full"
# The daemon belongs in section 8 (system administration).
sed 's/^\.Dt HAVEND 1$/.Dt HAVEND 8/' "$out/havend.1" > "$out/havend.8.generated"
with_sections "$out/havend.8.generated" scripts/man/havend.8.mdoc > "$out/havend.8"
for page in "$out/haven.1.full" "$out/havend.8"; do
  for section in ENVIRONMENT FILES EXAMPLES; do
    grep -q "^\.Sh $section\$" "$page" || { echo "install-man.sh: $page has no $section section" >&2; exit 1; }
  done
done

if [ -n "${HAVEN_MAN_ONLY:-}" ]; then
  install -D -m 0644 "$out/haven.1.full" "$HAVEN_MAN_ONLY/haven.1"
  install -D -m 0644 "$out/havend.8" "$HAVEN_MAN_ONLY/havend.8"
  echo "wrote $HAVEN_MAN_ONLY/haven.1 and $HAVEN_MAN_ONLY/havend.8"
  exit 0
fi
install -D -m 0644 "$out/haven.1.full" "$prefix/share/man/man1/haven.1"
install -D -m 0644 "$out/havend.8" "$prefix/share/man/man8/havend.8"
echo "installed $prefix/share/man/man1/haven.1 and $prefix/share/man/man8/havend.8"

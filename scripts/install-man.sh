#!/usr/bin/env bash
# Generates haven(1) and havend(8) from the commands' own definitions (the same ones --help
# prints, through swift-argument-parser's generate-manual plugin) and installs them.
#
#   scripts/install-man.sh [PREFIX]      # default /usr/local: PREFIX/share/man/man1, man8
set -euo pipefail
cd "$(dirname "$0")/.."
prefix="${1:-/usr/local}"
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
swift package --allow-writing-to-directory "$out" generate-manual --output-directory "$out" > /dev/null
install -D -m 0644 "$out/haven.1" "$prefix/share/man/man1/haven.1"
# The daemon belongs in section 8 (system administration).
sed 's/^\.Dt HAVEND 1$/.Dt HAVEND 8/' "$out/havend.1" > "$out/havend.8"
install -D -m 0644 "$out/havend.8" "$prefix/share/man/man8/havend.8"
echo "installed $prefix/share/man/man1/haven.1 and $prefix/share/man/man8/havend.8"

#!/usr/bin/env bash
# Installs the Debian packages Haven builds against, when they are missing, and procps,
# whose pgrep and pkill scripts/test.sh uses to stop a hung run. With --tests, also
# python3-scipy, whose exact integer solver the statistics attack tests run
# (scripts/stats-attack.py), openssh-server, whose real sshd the SSH bridge's tests start
# on 127.0.0.1 (never the system's), and for the browser desk's tests (Tests/Browser):
# chromium with chromium-driver (the same version, by the package's dependency) driven by
# python3-selenium, the Noto and Lao fonts the pages are drawn in, and gettext, whose msgfmt
# checks the translations. Needs root (or sudo) only if something is missing.
set -euo pipefail

packages=(libsodium-dev libsqlite3-dev pkg-config procps)
[ "${1:-}" = "--tests" ] && packages+=(python3-scipy openssh-server
  chromium chromium-driver python3-selenium fonts-noto-core fonts-lao gettext)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "installing: ${missing[*]}" >&2
SUDO=""
[ "$(id -u)" -ne 0 ] && SUDO="sudo"
$SUDO apt-get update
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y --no-install-recommends "${missing[@]}"

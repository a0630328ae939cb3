# Sourced by the scripts that show a page in headless Chromium (screenshot-extract.sh,
# render-stats-html.sh): installs Chromium and the Lao and Noto fonts from Debian's
# packages when missing, builds Haven, and starts a demo vault on keys-example/ and
# policy/ in a new directory. Sets `bin`, `work`, `daemon` and HAVEN_SOCKET, defines
# `as USER haven-args…`, and stops the daemon on exit. Run from the repository's root.

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

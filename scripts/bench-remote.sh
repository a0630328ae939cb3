#!/usr/bin/env bash
# How long one CLI command takes on the vault's local socket and through the SSH bridge
# (docs/REMOTE.md): the real havend on the demo keys (keys-example/) and policy/, the real
# sshd on 127.0.0.1 and a free port with its own host key and config, an account pinned to
# `haven dial-stdio` as the guide sets it up, and the real ssh client. Each command is run
# N times per way in (after one warm-up run), and the table gives p50 and p90 in ms for:
#   local      haven --socket S                       (what a user on the vault host runs)
#   ssh        haven --host ssh://…                   (a new SSH connection per command)
#   ssh+mux    the same with ControlMaster/ControlPersist (one SSH connection shared)
# hyperfine is used when installed (Debian: hyperfine), else a loop timed with date +%s%N.
# Needs root (sshd switches to the account; the account is made if missing).
#   scripts/bench-remote.sh [--runs N] [--debug] [--baseline DIR]
# --debug times the debug build (no release build); --baseline DIR adds a column: the local
# socket with the haven and havend of DIR (e.g. a release build of the previous version),
# to show whether the local path got slower.
set -euo pipefail
cd "$(dirname "$0")/.."
runs=20
config=release
baseline=""
while [ $# -gt 0 ]; do
    case "$1" in
        --runs) runs="$2"; shift 2 ;;
        --debug) config=debug; shift ;;
        --baseline) baseline="$2"; shift 2 ;;
        *) echo "bench-remote.sh: unknown argument '$1'" >&2; exit 2 ;;
    esac
done
[ "$(id -u)" -eq 0 ] || { echo "bench-remote.sh: needs root (it starts sshd as root and makes an account)" >&2; exit 2; }
scripts/install-deps.sh
if [ ! -x /usr/sbin/sshd ]; then
    apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends openssh-server
fi
swift build -c "$config" --product havend
swift build -c "$config" --product haven
bin="$(swift build -c "$config" --show-bin-path)"

account=haven-e2e-ssh
if ! getent passwd "$account" > /dev/null; then
    useradd --system --user-group --create-home --home-dir "/var/lib/$account" --shell /bin/sh --password '*' "$account" \
        || getent passwd "$account" > /dev/null
fi
gid="$(id -g "$account")"

# Under /run, not /tmp: sshd's StrictModes refuses an authorized_keys file below a
# world-writable directory.
dir="$(mktemp -d /run/haven-bench-remote.XXXXXX)"
chmod 755 "$dir"
pids=()
cleanup() {
    for p in "${pids[@]}"; do kill -TERM "$p" 2> /dev/null && wait "$p" 2> /dev/null || true; done
    ssh -F "$dir/ssh_config" -O exit mux > /dev/null 2>&1 || true
    rm -rf "$dir"
}
trap cleanup EXIT
mkdir -m 0700 "$dir/keys" && cp keys-example/*.key keys-example/*.pub "$dir/keys/" && chmod 600 "$dir"/keys/*.key
# The socket's directory: the daemon's, entered by its group (the account's), new files
# taking that group.
install -d -m 2710 -g "$gid" "$dir/s"
sock="$dir/s/haven.sock"

start_havend() {  # BIN-DIR DATA-DIR: init, start and enrol
    "$1/haven" init --data "$2" --admin-key "$dir/keys/admin.key.pub" > /dev/null
    "$1/havend" --data "$2" --socket "$sock" --policy policy > "$2.log" 2>&1 &
    pids+=($!)
    for _ in $(seq 200); do grep -q "\] ready" "$2.log" 2> /dev/null && break; sleep 0.05; done
    grep -q "\] ready" "$2.log" || { cat "$2.log"; exit 1; }
    local name role agency
    while read -r name role agency; do
        "$1/haven" user add "$name" --role "$role" --agency "$agency" --public-key "$dir/keys/$name.key.pub" \
            --socket "$sock" --key "$dir/keys/admin.key" > /dev/null
    done <<< $'intake intake ossc-vientiane\nauditor auditor haven'
}
stop_havend() {
    kill -TERM "${pids[-1]}" && wait "${pids[-1]}" 2> /dev/null || true
    unset 'pids[-1]'
}

echo "== sshd on 127.0.0.1"
port="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
mkdir -p -m 0755 /run/sshd
ssh-keygen -q -t ed25519 -N '' -C bench-host -f "$dir/host_key"
ssh-keygen -q -t ed25519 -N '' -C bench-client -f "$dir/client_key"
printf 'restrict,command="%s/haven dial-stdio --socket %s" %s\n' "$bin" "$sock" "$(cat "$dir/client_key.pub")" > "$dir/authorized_keys"
chmod 644 "$dir/authorized_keys"
echo "[127.0.0.1]:$port $(cat "$dir/host_key.pub")" > "$dir/known_hosts"
cat > "$dir/sshd_config" <<EOF
Port $port
ListenAddress 127.0.0.1
HostKey $dir/host_key
PidFile $dir/sshd.pid
AuthorizedKeysFile $dir/authorized_keys
UsePAM no
AuthenticationMethods publickey
PermitRootLogin no
AllowUsers $account
LogLevel ERROR
MaxStartups 100
EOF
cat > "$dir/ssh_config" <<EOF
Host bridge mux
  HostName 127.0.0.1
  Port $port
  User $account
  IdentityFile $dir/client_key
  IdentitiesOnly yes
  UserKnownHostsFile $dir/known_hosts
  GlobalKnownHostsFile /dev/null
Host mux
  ControlMaster auto
  ControlPath $dir/cm-%C
  ControlPersist 5m
EOF
/usr/sbin/sshd -D -e -f "$dir/sshd_config" 2> "$dir/sshd.log" &
pids+=($!)
for _ in $(seq 100); do python3 -c "import socket; socket.create_connection(('127.0.0.1', $port), 1)" 2> /dev/null && break; sleep 0.05; done

times=()  # the current measurement's milliseconds, one per run
measure() {  # COMMAND…: runs it once to warm up, then $runs times
    times=()
    "$@" > /dev/null 2>&1 || { echo "bench-remote.sh: failed: $*" >&2; "$@" >&2 || true; exit 1; }
    if command -v hyperfine > /dev/null; then
        local quoted; quoted="$(printf '%q ' "$@")"
        hyperfine -N --runs "$runs" --export-json "$dir/h.json" "$quoted" > /dev/null 2>&1
        mapfile -t times < <(python3 -c "import json; [print(t * 1000) for t in json.load(open('$dir/h.json'))['results'][0]['times']]")
    else
        for _ in $(seq "$runs"); do
            local t0 t1; t0=$(date +%s%N)
            "$@" > /dev/null 2>&1
            t1=$(date +%s%N)
            times+=("$(( (t1 - t0) / 1000 ))e-3")
        done
    fi
}
pct() {  # P: the P-th percentile of times (nearest rank)
    printf '%s\n' "${times[@]}" | python3 -c "
import math, sys
v = sorted(float(x) for x in sys.stdin)
print('%.1f' % v[max(0, math.ceil($1 / 100 * len(v)) - 1)])"
}

declare -A result
bench_way() {  # NAME HAVEN-BINARY WAY-ARGS…
    local name="$1" exe="$2"; shift 2
    for cmd in status "record get" "record list" "audit log"; do
        local who=intake args=()
        case "$cmd" in
            status) args=(status) ;;
            "record get") args=(record get "$record" --purpose follow-up) ;;
            "record list") args=(record list) ;;
            "audit log") who=auditor; args=(audit log --limit 20) ;;
        esac
        measure env HAVEN_SSH_COMMAND="ssh -F $dir/ssh_config" "$exe" "${args[@]}" "$@" --key "$dir/keys/$who.key"
        result["$cmd,$name"]="$(pct 50) | $(pct 90)"
    done
}

make_record() {  # BIN-DIR: a record with a few fields, as intake
    printf 'Demo Survivor\n' > "$dir/name.txt"
    "$1/haven" record create --type gbv_incident --field "survivor_name=@$dir/name.txt" --field incident_type=physical_assault \
        --field incident_date=2026-11-20 --socket "$sock" --key "$dir/keys/intake.key"
}

ways=()
if [ -n "$baseline" ]; then
    echo "== baseline: $baseline, local socket"
    start_havend "$baseline" "$dir/baseline"
    record="$(make_record "$baseline")"
    bench_way baseline "$baseline/haven" --socket "$sock"
    stop_havend
    ways+=(baseline)
fi
echo "== this build ($config): local socket, ssh, ssh with ControlMaster; $runs runs each"
start_havend "$bin" "$dir/data"
record="$(make_record "$bin")"
bench_way local "$bin/haven" --socket "$sock"
bench_way ssh "$bin/haven" --host "ssh://$account@bridge"
bench_way ssh+mux "$bin/haven" --host "ssh://$account@mux"
ways+=(local ssh ssh+mux)

echo
printf '| command |'; for w in "${ways[@]}"; do printf ' %s p50 | %s p90 |' "$w" "$w"; done; echo
printf '|---|'; for _ in "${ways[@]}"; do printf -- '---:|---:|'; done; echo
for cmd in status "record get" "record list" "audit log"; do
    printf '| %s |' "$cmd"
    for w in "${ways[@]}"; do printf ' %s |' "${result["$cmd,$w"]}"; done
    echo
done
echo "(ms per command, $runs runs after one warm-up; $(command -v hyperfine > /dev/null && echo hyperfine || echo 'date +%s%N loop'); $config build)"

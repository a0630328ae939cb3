#!/usr/bin/env bash
# Runs Haven's whole test suite: unit tests of every module, and end-to-end tests that
# start the real havend on temporary sockets and drive it with the real haven binary.
#
# The run is bounded (HAVEN_TEST_TIMEOUT seconds, default 1200; it takes a few minutes).
# A run that hangs is stopped with exit status 124, after the command line of every test
# process (the test runner, and any havend or haven it started) is printed, with its stacks
# when gdb is installed and may attach. Standard output is line-buffered, so a stopped run
# loses nothing it printed.
set -euo pipefail
set +m  # no job control: the background job below is not a group leader, so setsid does not fork
cd "$(dirname "$0")/.."
limit="${HAVEN_TEST_TIMEOUT:-1200}"
if ! [[ "$limit" =~ ^[0-9]+$ ]] || [ "$limit" -eq 0 ]; then
    echo "test.sh: HAVEN_TEST_TIMEOUT must be a whole number of seconds, not '$limit'" >&2
    exit 2
fi
scripts/install-deps.sh --tests
# Every import names a dependency its target declares (the module graph is Package.swift's),
# and the README's module map matches Package.swift and the vault's folders.
python3 scripts/check-imports.py
python3 scripts/check-module-map.py
swift build --build-tests

# In a session of its own, so every test process can be named and stopped together
# (the test runner gives each test binary a process group of its own).
setsid stdbuf -oL swift test --skip-build "$@" &
runner=$!

stop_session() {
    pkill -TERM -s "$runner" 2> /dev/null || true
    for _ in $(seq 30); do pgrep -s "$runner" > /dev/null || return 0; sleep 1; done
    pkill -KILL -s "$runner" 2> /dev/null || true
}

stacks() {
    echo "test.sh: the tests did not finish within ${limit} s; the test processes follow" >&2
    for pid in $(pgrep -s "$runner"); do
        echo "--- process $pid: $(tr '\0' ' ' < "/proc/$pid/cmdline" 2> /dev/null)" >&2
        if command -v gdb > /dev/null; then
            timeout 60 gdb -p "$pid" -batch -ex "thread apply all bt 25" 2> /dev/null | grep -E "^(Thread|#)" >&2 || true
        fi
    done
}

fired=$(mktemp)
rm -f "$fired"
(
    # The sleep must not hold the output open (whoever reads this script's output waits for
    # its end), and it goes with the watchdog when a finished run stops it.
    trap 'kill "$nap" 2> /dev/null; exit 0' TERM
    sleep "$limit" < /dev/null > /dev/null 2>&1 &
    nap=$!
    wait "$nap" || true
    if kill -0 "$runner" 2> /dev/null; then
        touch "$fired"
        stacks
        stop_session
    fi
) &
watchdog=$!

# Interrupted (Ctrl-C, a cancelled CI job): the detached session goes too.
trap 'kill "$watchdog" 2> /dev/null; stop_session; exit 130' INT TERM HUP

status=0
wait "$runner" || status=$?
[ -e "$fired" ] || kill "$watchdog" 2> /dev/null || true
wait "$watchdog" 2> /dev/null || true
trap - INT TERM HUP
# Nothing the run started outlives it (a daemon left behind by a failed test, say).
pkill -KILL -s "$runner" 2> /dev/null || true
if [ -e "$fired" ]; then
    rm -f "$fired"
    exit 124
fi
exit "$status"

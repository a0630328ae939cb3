#!/usr/bin/env bash
# Runs Haven's whole test suite: unit tests of every module, and end-to-end tests that
# start the real havend on temporary sockets and drive it with the real haven binary.
#
# The run is bounded (HAVEN_TEST_TIMEOUT seconds, default 1200; it takes a few minutes).
# A run that hangs is stopped with a failure, after the stacks of every test process
# (the test runner, and any havend or haven it started) are printed, so the hang can be
# found from the log alone. Output is line-buffered so nothing printed is lost.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
swift build --build-tests
limit="${HAVEN_TEST_TIMEOUT:-1200}"

# In a session of its own, so the whole tree of test processes can be named and stopped.
setsid stdbuf -oL -eL swift test --skip-build "$@" &
runner=$!

stacks() {
    echo "test.sh: the tests did not finish within ${limit} s; the stacks of the test processes follow" >&2
    for pid in $(pgrep -s "$runner"); do
        echo "--- process $pid: $(tr '\0' ' ' < "/proc/$pid/cmdline" 2>/dev/null)" >&2
        if command -v gdb > /dev/null; then
            gdb -p "$pid" -batch -ex "thread apply all bt 25" 2>/dev/null | grep -E "^(Thread|#)" >&2 || true
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
    wait "$nap"
    if kill -0 "$runner" 2> /dev/null; then
        touch "$fired"
        stacks
        # The test runner gives each test process a group of its own; the session holds them all.
        pkill -TERM -s "$runner" || true
        for _ in $(seq 30); do pgrep -s "$runner" > /dev/null || exit 0; sleep 1; done
        pkill -KILL -s "$runner" || true
    fi
) &
watchdog=$!

status=0
wait "$runner" || status=$?
[ -e "$fired" ] || kill "$watchdog" 2> /dev/null || true
wait "$watchdog" 2> /dev/null || true
rm -f "$fired"
exit "$status"

#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Shell-level smoke test of the air, run the way a user would: `pawsim air`
# as a process, a sniffing rogue, and two more radios (inject and
# spoof-beacon) from the command line.  Checks the frames went through,
# byte counts in the capture and the air's own counters.
#
# Usage: tests/native/air-smoke.sh [PAWSIM]   (default $PAWSIM, then
# build/san/pawsim).  Run by test_air.c (test_shell_smoke) under a timeout.
set -eu

pawsim=${1:-${PAWSIM:-build/san/pawsim}}
[ -x "$pawsim" ] || { echo "air-smoke: no pawsim at $pawsim" >&2; exit 1; }
dir=$(mktemp -d /tmp/pawlink-air-smoke-XXXXXX)
air_pid=
sniff_pid=

cleanup() {
	[ -z "$sniff_pid" ] || kill "$sniff_pid" 2>/dev/null || true
	[ -z "$air_pid" ] || kill "$air_pid" 2>/dev/null || true
	rm -rf "$dir"
}
trap cleanup EXIT

fail() {
	echo "air-smoke: $*" >&2
	for f in "$dir"/*.json; do
		[ -f "$f" ] && echo "$(basename "$f"): $(cat "$f")" >&2
	done
	exit 1
}

# json_has FILE KEY VALUE: an object in FILE's JSON documents (pawsim
# prints one a line) has member KEY equal to the JSON value VALUE; read
# with jq, not by matching text.
json_has()
{
	jq -se --arg k "$2" --argjson v "$3" \
		'any(.[] | .. | objects; has($k) and .[$k] == $v)' "$1" >/dev/null
}

# Waits for a "ready" line on FIFO $1 (EOF first: the process failed).
await_ready() {
	line=
	read -r line <"$1" || true
	[ "$line" = ready ] || fail "$2 did not start"
}

sock=$dir/air.sock
mkfifo "$dir/air-ready" "$dir/sniff-ready"

"$pawsim" air --socket "$sock" --json --ready-fd 3 \
	3>"$dir/air-ready" >"$dir/air.json" &
air_pid=$!
await_ready "$dir/air-ready" "pawsim air"

"$pawsim" rogue sniff --socket "$sock" --out "$dir/capture.pcap" --count 2 \
	--json --ready-fd 3 3>"$dir/sniff-ready" >"$dir/sniff.json" &
sniff_pid=$!
await_ready "$dir/sniff-ready" "pawsim rogue sniff"

# Radio 2: a forged data frame from a0.. to b0.. with a 5-byte body.
"$pawsim" rogue inject --socket "$sock" --type data \
	--src a001020304050607 --dst b001020304050607 --body 68656c6c6f \
	--json >"$dir/inject.json" || fail "inject failed"
# Radio 3: a toy's beacon with its pairing window open.
"$pawsim" rogue spoof-beacon --socket "$sock" --toy-id 7079020304050607 \
	--pairing --json >"$dir/spoof.json" || fail "spoof-beacon failed"

wait "$sniff_pid" || fail "sniff exited $?"
sniff_pid=
json_has "$dir/inject.json" sent 1 || fail "inject did not send"
json_has "$dir/spoof.json" sent 1 || fail "spoof-beacon did not send"
json_has "$dir/sniff.json" heard 2 || fail "sniff did not hear both"

# pcap header 24, then per frame 16 + frame: data 20 + 16 + 5, beacon 20 + 9.
size=$(wc -c <"$dir/capture.pcap")
[ "$size" -eq $((24 + 16 + 41 + 16 + 29)) ] || fail "capture is $size bytes"

kill -TERM "$air_pid"
status=0
wait "$air_pid" || status=$?
air_pid=
[ "$status" -eq 0 ] || fail "pawsim air exited $status"
[ ! -e "$sock" ] || fail "pawsim air left its socket behind"
json_has "$dir/air.json" frames 2 || fail "the air did not count 2 frames"
json_has "$dir/air.json" delivered 2 || fail "the air did not deliver 2"
json_has "$dir/air.json" joined 3 || fail "the air did not see 3 radios"
echo "air-smoke: ok"

#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# The pawlink demo through pawlink.ko (`make demo-kernel`): tests/demo's
# walk-through, but in the kernel lane's guest and with the real host
# path.  A simulated air and toy (pawsim), a virtual USB dongle on
# dummy_hcd whose radio is that air (pawsim dongle --air), and pawctl
# reaching the toy through the driver's /dev/pawlinkN, as on a computer
# with the dongle plugged in.  tests/kernel/run --script runs it in the
# guest (busybox sh) with its output on the terminal; everything it makes
# goes when the guest powers off.
set -u

dir=$(mktemp -d /tmp/pawlink-demo.XXXXXX)
sock=$dir/air.sock
dongle_pidfile=$dir/dongle.pid
air_pid=
toy_pid=

stop() {
	status=$?
	# The dongle first (its radio is on the air), then the toy, the air.
	if [ -f "$dongle_pidfile" ]; then
		pid=$(cat "$dongle_pidfile")
		kill "$pid" 2>/dev/null
		tries=100
		while kill -0 "$pid" 2>/dev/null && [ "$tries" -gt 0 ]; do
			sleep 0.1
			tries=$((tries - 1))
		done
	fi
	for pid in $toy_pid $air_pid; do
		kill "$pid" 2>/dev/null
		wait "$pid" 2>/dev/null
	done
	if [ "$status" -ne 0 ]; then
		echo "demo: failed (exit $status); what the air and the toy said:" >&2
		tail -n 5 "$dir/air.log" "$dir/toy.log" >&2
	fi
}
trap stop EXIT
trap 'exit 130' INT TERM HUP

say() {
	printf '\n== %s\n' "$*"
}

# Shows a pawctl command as the user types it, then runs it.
pawctl() {
	printf '$ pawctl %s\n' "$*"
	command pawctl "$@"
}

# Fails the demo when the previous command did.
ok() {
	status=$?
	[ "$status" -eq 0 ] || exit "$status"
}

# Waits for a "ready" line on FIFO $1 (EOF first: the process failed).
await_ready() {
	line=
	read -r line <"$1" || true
	rm -f "$1"
	if [ "$line" != ready ]; then
		echo "demo: $2 did not start" >&2
		exit 1
	fi
}

# A 1 s, 444 Hz square wave as a 16 kHz mono 16-bit WAV in $1: there is
# no sound tool in the guest, so printf writes the bytes (little endian).
make_tone() {
	hi='\100\037'		# +8000
	lo='\300\340'		# -8000
	period=
	i=0
	while [ "$i" -lt 18 ]; do
		period="$period$hi"
		i=$((i + 1))
	done
	i=0
	while [ "$i" -lt 18 ]; do
		period="$period$lo"
		i=$((i + 1))
	done
	{
		# RIFF, fmt (PCM, 1 channel, 16000 Hz, 32000 B/s, 2, 16 bits),
		# data: 444 periods of 36 samples = 31968 bytes.
		printf 'RIFF\004\175\000\000WAVEfmt \020\000\000\000'
		printf '\001\000\001\000\200\076\000\000\000\175\000\000'
		printf '\002\000\020\000data\340\174\000\000'
		i=0
		while [ "$i" -lt 444 ]; do
			# shellcheck disable=SC2059 # the escapes are the format
			printf "$period"
			i=$((i + 1))
		done
	} >"$1"
}

export XDG_DATA_HOME="$dir"

say "A simulated air and a toy on it"
mkfifo "$dir/air.ready" "$dir/toy.ready"
pawsim air --socket "$sock" --ready-fd 3 3>"$dir/air.ready" \
	2>"$dir/air.log" &
air_pid=$!
await_ready "$dir/air.ready" "pawsim air"
pawsim toy --air "$sock" --dir "$dir/toy" --mic tone:440 \
	--speaker "$dir/speaker.wav" --ready-fd 3 3>"$dir/toy.ready" \
	2>"$dir/toy.log" &
toy_pid=$!
await_ready "$dir/toy.ready" "pawsim toy"
echo "air at $sock; the toy's flash in $dir/toy"

say "Plug the dongle in: a USB gadget on dummy_hcd ($PAWLINK_LANE_SPEED speed), its radio on that air"
echo "\$ pawsim dongle --air $sock --background --pidfile $dongle_pidfile"
pawsim dongle --air "$sock" --background --pidfile "$dongle_pidfile"
ok
# The kernel enumerates it and pawlink.ko binds it: /dev/pawlinkN (until
# then pawctl would list it on the libusb path).
tries=200
while ! command pawctl -q --json dongles |
	jq -e '[.dongles[] | select(.transport == "kernel")] | length > 0' \
		>/dev/null; do
	tries=$((tries - 1))
	if [ "$tries" -le 0 ]; then
		echo "demo: pawlink.ko did not bind the dongle" >&2
		exit 1
	fi
	sleep 0.1
done
pawctl dongles
ok
ls -l /dev/pawlink*
echo "(no --air and no \$PAWLINK_AIR: pawctl uses the one dongle plugged in)"

say "Which toys are in range?"
pawctl scan
ok
toy=
for _ in 1 2 3 4 5; do
	toy=$(command pawctl -q --json scan | jq -r '.toys[0].id // empty')
	[ -z "$toy" ] || break
done
[ -n "$toy" ] || { echo "demo: no toy heard" >&2; exit 1; }

say "Press the toy's button: its pairing window opens for 10 minutes"
echo "\$ pawsim toy --dir $dir/toy press"
pawsim toy --dir "$dir/toy" press
ok
pawctl scan
ok

say "Pair, with the setup code printed on the toy's label (plaintext frames through /dev/pawlinkN)"
pawctl pair "$toy" --name bear --code-file "$dir/toy/label"
ok
pawctl toys
ok

say "Record: through a dongle the toy's microphone is the sound card's"
pawctl record bear -o "$dir/microphone.wav" --seconds 3
echo "(exit $?: arecord on the dongle's card does this; pawctl says so before the toy's LED lights)"

say "A session: keys derived here, sealed and opened by pawlink.ko"
pawctl status bear
ok

say "Send a voice message to the toy"
make_tone "$dir/hello.wav"
printf '$ pawctl send bear %s\n' "$dir/hello.wav"
msg=$(command pawctl send bear "$dir/hello.wav")
ok
echo "$msg"
pawctl ls bear
ok

say "Fetch it again, decoded to WAV, and play it on the toy's speaker"
pawctl get bear "$msg" -o "$dir/message.wav"
ok
pawctl play bear "$msg"
ok
for _ in 1 2 3 4 5 6 7 8 9 10; do
	if [ "$(command pawctl -q --json status bear | jq '.status.playing')" = false ]; then
		break
	fi
	sleep 1
done

say "The toy's log: every session, with the host that opened it"
pawctl log bear
ok

say "A session kept in the driver, for the dongle's sound card"
pawctl connect bear
ok
pawctl dongles
ok
say "The toy's microphone and speaker through the sound card"
echo "\$ arecord -D hw:CARD=Pawlink -f S16_LE -r 16000 -c 1 -d 2 $dir/heard.wav"
arecord -D hw:CARD=Pawlink -f S16_LE -r 16000 -c 1 -d 2 "$dir/heard.wav"
ok
echo "\$ aplay -D hw:CARD=Pawlink $dir/heard.wav"
aplay -D hw:CARD=Pawlink "$dir/heard.wav"
ok
pawctl disconnect
ok
pawctl dongles
ok

say "The sound card's start of the microphone, in the toy's log"
pawctl log bear
ok

say "Done; everything was in $dir, which goes with the guest"

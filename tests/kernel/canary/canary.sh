#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Debug lane guest hook for the canary boot (tests/kernel/debug-lane): loads
# the test-only pawlink_canary.ko, plants each bug on its own and prints the
# kernel's answer between "== canary NAME begin/end" lines.  The host
# (tests/kernel/debug/judge.awk) decides whether each bug was reported; this
# script only fails if it could not plant one.  busybox ash.
KO=/lane/canary/pawlink_canary.ko
PLANT=/sys/kernel/debug/pawlink_canary/plant
KMEMLEAK=/sys/kernel/debug/kmemleak
rc=0

if ! insmod "$KO"; then
	echo "canary: insmod $KO failed"
	exit 1
fi

# uaf and sleep report synchronously, inside the write: the kernel log
# between two markers holds the whole report.
for bug in uaf sleep; do
	echo "pawlink-canary: begin $bug" >/dev/kmsg
	echo "$bug" >"$PLANT" || { echo "canary: planting $bug failed"; rc=1; }
	echo "pawlink-canary: end $bug" >/dev/kmsg
	echo "== canary $bug begin"
	dmesg | sed -n "/pawlink-canary: begin $bug\$/,/pawlink-canary: end $bug\$/p"
	echo "== canary $bug end"
done

# leak: forget what kmemleak knew, so the section holds only new reports; plant
# from a child shell that then exits, so no stale copy of a pointer stays on a
# live stack; wait past kmemleak's 5 s minimum age, then scan twice.
if echo clear >"$KMEMLEAK"; then
	sh -c "echo leak >$PLANT" || { echo "canary: planting leak failed"; rc=1; }
	sleep 6
	echo scan >"$KMEMLEAK"
	sleep 1
	echo scan >"$KMEMLEAK"
	echo "== canary leak begin"
	cat "$KMEMLEAK"
	echo "== canary leak end"
else
	echo "canary: kmemleak is unavailable (no $KMEMLEAK, or disabled)"
	rc=1
fi

rmmod pawlink_canary || rc=1
exit $rc

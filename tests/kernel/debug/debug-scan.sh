#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Debug lane guest hook (tests/kernel/debug-lane passes it to tests/kernel/run
# with --guest-hook): runs after the in-guest tests, before rmmod pawlink.
#
# 1. kmemleak: scan, wait past kmemleak's 5 s minimum object age so objects
#    the last test leaked are old enough to be reported, scan again, then print
#    every report between "== kmemleak begin/end" for the host to count
#    (tests/kernel/debug/judge.awk) and count them here too.
# 2. lockdep: print "debug_locks: N"; 0 means lockdep switched itself off
#    (after a report or a taint) and the rest of the run went unchecked.
#
# Exit status: 0 if kmemleak scanned and found nothing and lockdep is still
# on; 1 otherwise.  busybox ash.
KMEMLEAK=/sys/kernel/debug/kmemleak
rc=0

if [ ! -e "$KMEMLEAK" ]; then
	echo "debug-scan: no $KMEMLEAK (CONFIG_DEBUG_KMEMLEAK off, or debugfs not mounted)"
	exit 1
fi
if ! echo scan >"$KMEMLEAK"; then
	# kmemleak disables itself on an internal error (e.g. its object
	# pool ran out); then it reports nothing and must not pass as clean
	echo "debug-scan: kmemleak refused a scan (disabled? see dmesg)"
	exit 1
fi
sleep 6
echo scan >"$KMEMLEAK" || rc=1
echo "== kmemleak begin"
cat "$KMEMLEAK"
echo "== kmemleak end"
leaks=$(grep -c '^unreferenced object' "$KMEMLEAK")
echo "debug-scan: kmemleak: $leaks unreferenced object(s)"
[ "$leaks" = 0 ] || rc=1

locks=$(sed -n 's/^ *debug_locks: *//p' /proc/lockdep_stats 2>/dev/null)
echo "debug-scan: debug_locks: ${locks:-unknown}"
[ "$locks" = 1 ] || rc=1
exit $rc

#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# The kernel path's benchmarks (`make bench`, after the native ones):
# tests/bench/run boots the kernel lane's guest with
#   tests/kernel/run --speed high --script tests/kernel/bench-guest.sh
# and the guest bench program(s) built from tests/kernel/bench/*.c (by
# tests/kernel/lane/guest-tests.mk's bench target) in /lane/bench/.  Each
# prints its figures as ratios to a baseline measured in the same run;
# nothing here passes or fails on a time, only a bench that cannot run
# fails.
set -u

# Which ChaCha20 and Poly1305 the kernel's lib/crypto uses (its own
# generic code, or the x86 SIMD modules), and the CPU QEMU gives the guest.
echo "guest: $(grep -c ^processor /proc/cpuinfo) CPUs," \
	"$(sed -n 's/^model name[^:]*: //p' /proc/cpuinfo | sed -n 1p);" \
	"crypto modules:" \
	"$(grep -oE '^(chacha|poly1305|libchacha|libpoly1305)[^ ]*' /proc/modules |
	   tr '\n' ' ')"
status=0
for b in /lane/bench/*; do
	[ -x "$b" ] || continue
	printf '\n== %s\n' "${b##*/}"
	"$b" || {
		echo "bench: ${b##*/}: failed" >&2
		status=1
	}
done
exit "$status"

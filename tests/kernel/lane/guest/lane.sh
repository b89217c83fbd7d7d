# SPDX-License-Identifier: GPL-2.0
# pawlink kernel lane, guest side: the functions /init runs, also sourced by
# the helpers a --shell user calls (lane-speed).  busybox ash.
#
# Results protocol (read by tests/kernel/lane/verdict.awk).  Every line that
# matters goes to the results port, never to the console, so a kernel message
# can not split a TAP line:
#   @@LANE boot up=T                       /init started (guest uptime T)
#   @@LANE begin SPEED KIND NAME up=T      a section starts; its output follows
#   @@LANE end SPEED KIND NAME rc=N up=T   ... and ends with its exit status
#   @@LANE notrun SPEED test NAME why=W    a test that was not run, and why
#   @@LANE done up=T                       every section was run
# KIND is speed (encloses one speed's sections), setup, test, hook, teardown
# or dmesg.  The kernel log gets "pawlink-lane: begin|end SPEED NAME" lines so
# a dmesg problem can be pinned on the test that was running.
#
# /lane/config (written by the host) sets LANE_MODE, LANE_SPEEDS, LANE_TESTS,
# LANE_TEST_ARGS, LANE_HOOKS, LANE_DRIVER, LANE_UDCS, LANE_MODULES,
# LANE_DUMMY_BUILTIN and LANE_TEST_TIMEOUT.

LANE_RES=/dev/console

# Debian's static busybox runs its own applets ahead of anything on PATH
# (FEATURE_SH_STANDALONE); the module tools should be kmod's, which read
# modules.builtin and compressed modules the way the distribution does.
modprobe() { /usr/sbin/modprobe "$@"; }
rmmod() { /usr/sbin/rmmod "$@"; }
lsmod() { /usr/sbin/lsmod "$@"; }
modinfo() { /usr/sbin/modinfo "$@"; }

# The second serial port carries results; without it, fall back to the
# console (the host then finds the markers in the console log).
lane_pick_results_port()
{
	if [ -c /dev/ttyS1 ] && (: >>/dev/ttyS1) 2>/dev/null; then
		LANE_RES=/dev/ttyS1
		# raw: no \r added, no echo of anything the host side might send
		stty -F /dev/ttyS1 raw -echo 2>/dev/null
	fi
}

lane_mark()
{
	local up rest
	read -r up rest </proc/uptime
	echo "@@LANE $* up=$up" >>"$LANE_RES"
}

lane_kmsg()
{
	echo "pawlink-lane: $*" >/dev/kmsg 2>/dev/null
}

# lane_module_in_tree NAME: true if NAME is a loadable module of this kernel.
lane_module_in_tree()
{
	local dep n1 n2
	dep=/lib/modules/$(uname -r)/modules.dep
	[ -f "$dep" ] || return 1
	n1=$(echo "$1" | tr - _)
	n2=$(echo "$1" | tr _ -)
	grep -qE "/($n1|$n2)\.ko(\.[a-z]+)?:" "$dep"
}

# lane_modprobe NAME [PARAM=VALUE...]: a module that this kernel has built in
# (or simply lacks, e.g. a monolithic debug kernel with no module tree) is not
# an error here; the checks in lane_load prove the features are present.
lane_modprobe()
{
	modprobe "$@" && return 0
	if lane_module_in_tree "$1"; then
		echo "lane: modprobe $* failed"
		return 1
	fi
	echo "lane: $1 is not a module of this kernel; taking it as built in"
	return 0
}

lane_speed_params()
{
	case $1 in
	full) echo "is_high_speed=0 is_super_speed=0" ;;
	high) echo "is_high_speed=1 is_super_speed=0" ;;
	super) echo "is_high_speed=1 is_super_speed=1" ;;
	*) return 1 ;;
	esac
}

# A built-in dummy_hcd takes its parameters from the kernel command line (the
# host boots once per speed); check that they say what this run expects.
lane_check_builtin_speed()
{
	local p want got
	for p in $(lane_speed_params "$1") num=$LANE_UDCS; do
		want=${p#*=}
		got=$(cat "/sys/module/dummy_hcd/parameters/${p%%=*}" 2>/dev/null)
		case $got in Y) got=1 ;; N) got=0 ;; esac
		if [ "$got" != "$want" ]; then
			echo "lane: built-in dummy_hcd has ${p%%=*}=$got, this run needs $want"
			return 1
		fi
	done
}

# lane_check_udcs SPEED: LANE_UDCS gadget controllers, each at SPEED.
lane_check_udcs()
{
	local want n tries u got
	want=$1-speed
	tries=50
	while :; do
		n=0
		for u in /sys/class/udc/*; do
			[ -e "$u" ] && n=$((n + 1))
		done
		[ "$n" -ge "$LANE_UDCS" ] && break
		tries=$((tries - 1))
		if [ "$tries" -le 0 ]; then
			echo "lane: $n UDCs in /sys/class/udc, expected $LANE_UDCS"
			return 1
		fi
		sleep 0.1
	done
	for u in /sys/class/udc/*; do
		got=$(cat "$u/maximum_speed")
		if [ "$got" != "$want" ]; then
			echo "lane: ${u##*/} is $got, expected $want"
			return 1
		fi
	done
	echo "lane: UDCs at $want: $(ls /sys/class/udc | tr '\n' ' ')"
}

# lane_load SPEED: dummy_hcd at SPEED, the gadget and sound stacks, pawlink.
lane_load()
{
	local m
	lane_modprobe configfs || return 1
	if ! grep -q ' /sys/kernel/config configfs ' /proc/mounts; then
		mount -t configfs configfs /sys/kernel/config || return 1
	fi
	if [ "$LANE_DUMMY_BUILTIN" = 1 ]; then
		lane_check_builtin_speed "$1" || return 1
	else
		# shellcheck disable=SC2046 # the parameters are separate words
		lane_modprobe dummy_hcd num="$LANE_UDCS" \
			$(lane_speed_params "$1") || return 1
	fi
	for m in $LANE_MODULES; do
		lane_modprobe "$m" || return 1
	done
	lane_check_udcs "$1" || return 1
	if [ ! -d /sys/kernel/config/usb_gadget ]; then
		echo "lane: no /sys/kernel/config/usb_gadget (libcomposite)"
		return 1
	fi
	if [ ! -d /proc/asound ]; then
		echo "lane: no /proc/asound (snd)"
		return 1
	fi
	if [ "$LANE_DRIVER" = 1 ]; then
		modprobe pawlink || return 1
		echo "lane: pawlink loaded"
	fi
	return 0
}

# Who still holds pawlink, to explain a failed rmmod.
lane_show_holders()
{
	local fd target
	lsmod
	for fd in /proc/[0-9]*/fd/*; do
		target=$(readlink "$fd" 2>/dev/null) || continue
		case $target in
		/dev/pawlink* | /dev/snd/*)
			echo "lane: ${fd%/fd/*} ($(cat "${fd%/fd/*}/comm")) holds $target"
			;;
		esac
	done
}

# lane_unload: rmmod pawlink (must succeed), then dummy_hcd for the next speed.
lane_unload()
{
	local rc
	rc=0
	if [ "$LANE_DRIVER" = 1 ] && [ -d /sys/module/pawlink ]; then
		if rmmod pawlink; then
			echo "lane: pawlink unloaded"
		else
			rc=1
			lane_show_holders
		fi
	fi
	lane_reset_gadgets
	if [ "$LANE_DUMMY_BUILTIN" != 1 ] && lane_module_in_tree dummy_hcd &&
	   [ -d /sys/module/dummy_hcd ]; then
		rmmod dummy_hcd || rc=1
	fi
	return $rc
}

# Tear down whatever gadgets a test left in configfs, so the next test finds
# free UDCs: unbind, unmount FunctionFS, then remove links and directories.
lane_reset_gadgets()
{
	local g c l d dev mnt type rest
	for g in /sys/kernel/config/usb_gadget/*; do
		[ -d "$g" ] || continue
		echo "# lane: removing leftover gadget ${g##*/}"
		if [ -n "$(cat "$g/UDC" 2>/dev/null)" ]; then
			echo "" >"$g/UDC"
		fi
	done
	while read -r dev mnt type rest; do
		if [ "$type" = functionfs ]; then
			echo "# lane: unmounting leftover functionfs $dev at $mnt"
			umount "$mnt"
		fi
	done </proc/mounts
	for g in /sys/kernel/config/usb_gadget/*; do
		[ -d "$g" ] || continue
		for c in "$g"/configs/* "$g"/os_desc; do
			for l in "$c"/*; do
				[ -L "$l" ] && rm -f "$l"
			done
		done
		for d in "$g"/configs/*/strings/* "$g"/configs/* \
			 "$g"/functions/* "$g"/strings/*; do
			[ -d "$d" ] && rmdir "$d"
		done
		rmdir "$g" || echo "# lane: could not remove gadget ${g##*/}"
	done
}

# lane_user_pids: "PID:(comm)" of every live process but init, kernel
# threads and zombies.
lane_user_pids()
{
	local d p name state ppid rest self
	# this runs in a $(...) subshell: /proc/self is that subshell
	read -r self rest </proc/self/stat
	for d in /proc/[0-9]*; do
		p=${d#/proc/}
		[ "$p" = 1 ] || [ "$p" = "$self" ] && continue
		read -r _ name state ppid rest <"$d/stat" 2>/dev/null || continue
		# kernel threads are kthreadd (2) and its children
		[ "$p" = 2 ] || [ "$ppid" = 2 ] || [ "$state" = Z ] && continue
		echo "$p:$name"
	done
}

# Kill what a test left running (its harness children, a pawsim daemon).
# busybox timeout's watchdog outlives the program by up to a second; it is
# the lane's own, so it goes without a word.
lane_kill_leftovers()
{
	local e p pids sig tries
	for sig in TERM KILL; do
		pids=""
		for e in $(lane_user_pids); do
			p=${e%%:*}
			pids="$pids $p"
			[ "$sig" = TERM ] && [ "${e#*:}" != "(timeout)" ] &&
				echo "# lane: leftover process $e: $(tr '\0' ' ' <"/proc/$p/cmdline")"
		done
		[ -z "$pids" ] && return 0
		# shellcheck disable=SC2086 # one word per pid
		kill -s "$sig" $pids 2>/dev/null
		tries=20
		while [ "$tries" -gt 0 ]; do
			sleep 0.1
			tries=$((tries - 1))
			[ -z "$(lane_user_pids)" ] && return 0
		done
	done
}

# lane_section SPEED KIND NAME COMMAND...: run COMMAND as one marked section.
lane_section()
{
	local speed kind name rc
	speed=$1 kind=$2 name=$3
	shift 3
	lane_mark begin "$speed" "$kind" "$name"
	"$@" >>"$LANE_RES" 2>&1 </dev/null
	rc=$?
	lane_mark end "$speed" "$kind" "$name" "rc=$rc"
	echo "lane: $speed $kind $name: rc=$rc"
	return $rc
}

# lane_run SPEED KIND NAME COMMAND...: a test or hook, in a fresh directory
# with its own HOME and XDG dirs, under the per-program timeout.
lane_run()
{
	local speed kind name dir rc
	speed=$1 kind=$2 name=$3
	shift 3
	dir=/tmp/lane-run
	rm -rf "$dir"
	mkdir -p "$dir/home" "$dir/data" "$dir/runtime"
	chmod 700 "$dir/home" "$dir/data" "$dir/runtime"
	lane_kmsg "begin $speed $name"
	lane_mark begin "$speed" "$kind" "$name"
	(
		cd "$dir" || exit 1
		export HOME="$dir/home" XDG_DATA_HOME="$dir/data" \
			XDG_RUNTIME_DIR="$dir/runtime" PAWLINK_LANE_SPEED="$speed" \
			PAWLINK_LANE_DRIVER="$LANE_DRIVER"
		exec timeout -s KILL "$LANE_TEST_TIMEOUT" "$@"
	) >>"$LANE_RES" 2>&1 </dev/null
	rc=$?
	[ "$rc" = 137 ] &&
		echo "# lane: $name got SIGKILL (the per-program timeout is ${LANE_TEST_TIMEOUT}s)" >>"$LANE_RES"
	{ lane_kill_leftovers; lane_reset_gadgets; } >>"$LANE_RES" 2>&1
	lane_mark end "$speed" "$kind" "$name" "rc=$rc"
	lane_kmsg "end $speed $name rc=$rc"
	echo "lane: $speed $kind $name: rc=$rc"
	cd / && rm -rf "$dir"
}

lane_dmesg()
{
	lane_mark begin "$1" dmesg kernel
	dmesg -c >>"$LANE_RES" 2>&1
	lane_mark end "$1" dmesg kernel rc=0
}

# lane_runs_at NAME SPEED: false when --only keeps program NAME to other
# speeds (LANE_ONLY holds "name:speed,speed" words).
lane_runs_at()
{
	local o
	for o in $LANE_ONLY; do
		[ "${o%%:*}" = "$1" ] || continue
		case ",${o#*:}," in
		*",$2,"*) return 0 ;;
		*) return 1 ;;
		esac
	done
	return 0
}

# One speed: load, every test, every hook, unload, then that speed's dmesg.
lane_speed()
{
	local speed t h
	speed=$1
	lane_mark begin "$speed" speed all
	if lane_section "$speed" setup lane.load lane_load "$speed"; then
		for t in $LANE_TESTS; do
			lane_runs_at "$t" "$speed" || continue
			# LANE_TEST_ARGS is a word list holding a glob for the
			# test program: split it, but do not expand it here
			set -f
			# shellcheck disable=SC2086
			set -- $LANE_TEST_ARGS
			set +f
			lane_run "$speed" test "$t" "/lane/tests/$t" "$@"
		done
		for h in $LANE_HOOKS; do
			lane_run "$speed" hook "$h" sh "/lane/hooks/$h"
		done
	else
		for t in $LANE_TESTS; do
			lane_mark notrun "$speed" test "$t" why=lane.load-failed
		done
		for h in $LANE_HOOKS; do
			lane_mark notrun "$speed" hook "$h" why=lane.load-failed
		done
	fi
	lane_section "$speed" teardown lane.unload lane_unload
	lane_dmesg "$speed"
	lane_mark end "$speed" speed all rc=0
}

lane_poweroff()
{
	sync
	poweroff -f
	echo o >/proc/sysrq-trigger
	sleep 10
}

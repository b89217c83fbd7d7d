# SPDX-License-Identifier: GPL-2.0
# Debug lane, host side: judges the log that tests/kernel/run --log wrote
# (each boot's console-SPEED.log and results-SPEED.log, one after another).
#
#   awk -v mode=suite  -f judge.awk LOG LOG   the real suite's boots
#   awk -v mode=canary -f judge.awk LOG LOG   the canary boot
#
# The file is named twice: the first pass reads the results logs (the dmesg
# the guest dumped, with the "pawlink-lane: begin SPEED TEST" context lines),
# the second the consoles, which only add what a guest that died never got to
# dump.  A line seen in both is counted once.
#
# mode=suite prints "report SPEED CONTEXT: LINE" per kernel problem line,
# "leak SPEED" blocks per kmemleak report, "lockdep SPEED off" if lockdep
# switched itself off, and "scanned SPEED" per debug-scan hook that printed
# its kmemleak section; then one line "problems=N leaks=N lockdep_off=N
# scans=N".
# mode=canary prints the canary's sections, then per planted bug either
# "canary NAME seen: REPORT LINE" or "canary NAME MISSED|NOT-RUN".

BEGIN {
	# Kernel problem lines.  Most lockdep, RCU and DEBUG_OBJECTS reports
	# open with WARNING: or BUG:; the rest are named so that a changed
	# prefix does not hide them (lockdep's "INFO: trying to register
	# non-static key" has neither).
	bad = "BUG:|WARNING:|Oops|UBSAN:|KASAN|KFENCE|" \
	      "sleeping function called from invalid context|" \
	      "scheduling while atomic|possible circular locking|" \
	      "inconsistent lock state|lock held when returning|" \
	      "possible recursive locking|irq lock inversion|" \
	      "Invalid wait context|suspicious RCU usage|DEBUG_LOCKS_WARN_ON|" \
	      "ODEBUG:|list_add corruption|list_del corruption|refcount_t|" \
	      "BOGUS|general protection fault|kernel BUG at|Kernel panic|" \
	      "INFO: task .* blocked for more than|rcu_.*detected stall|" \
	      "trying to register non-static key|" \
	      "Disabling lock debugging|new suspected memory leak"
	pass = 0
	problems = 0; leaks = 0; lockdep_off = 0; scans = 0
}

FNR == 1 { pass++ }

{ sub(/\r$/, "") }

# "==== 6.1.192 (6.1.192): results-full.log ====" starts one boot's log.
/^==== .*: (console|results)-[a-z]+\.log ====$/ {
	kind = $0
	sub(/^.*: /, "", kind)
	sub(/\.log ====$/, "", kind)
	tag = kind
	sub(/^[a-z]+-/, "", tag)
	sub(/-.*$/, "", kind)
	block = ""; hook = ""; ctx = "at boot"
	next
}

kind == "results" && /^@@LANE begin / { block = $4; hook = $4 == "hook" ? $5 : ""; next }
kind == "results" && /^@@LANE end / { leak_done(); block = ""; hook = ""; next }
kind == "results" && /^@@LANE / { next }

function kernel_line(line,    w) {
	if (match(line, /pawlink-lane: (begin|end) [^ ]+ [^ ]+/)) {
		split(substr(line, RSTART, RLENGTH), w, " ")
		ctx = (w[2] == "begin" ? "during " : "after ") w[4]
		return
	}
	if (line !~ bad || ((tag SUBSEP line) in seen))
		return
	seen[tag, line] = 1
	problems++
	if (problems <= 200)
		print "report " tag " " ctx ": " line
}

# ---- mode=suite ----------------------------------------------------------

mode == "suite" && pass == 1 && kind == "results" && block == "dmesg" &&
/^\[ *[0-9]+\.[0-9]+\] / { kernel_line($0); next }

mode == "suite" && pass == 2 && kind == "console" &&
/^\[ *[0-9]+\.[0-9]+\] / { kernel_line($0); next }

function leak_done() {
	if (nleak == 0)
		return
	leaks++
	print "leak " tag " (kmemleak report " leaks "):"
	for (i = 1; i <= nleak && i <= 24; i++)
		print "    " leakline[i]
	nleak = 0
}

mode == "suite" && pass == 1 && hook == "debug-scan" {
	if ($0 == "== kmemleak begin") { inleak = 1; scans++; print "scanned " tag; next }
	if ($0 == "== kmemleak end") { leak_done(); inleak = 0; next }
	if ($0 ~ /^debug-scan: debug_locks: /) {
		if ($3 != "1") {
			lockdep_off++
			print "lockdep " tag " off (debug_locks: " $3 ")"
		}
		next
	}
	if (!inleak)
		next
	if ($0 ~ /^unreferenced object /)
		leak_done()
	leakline[++nleak] = $0
	next
}

# ---- mode=canary ---------------------------------------------------------

mode == "canary" && pass == 1 && hook == "canary" {
	if (match($0, /^== canary [a-z]+ begin$/)) {
		cur = $3; ran[cur] = 1
		print "---- canary " cur " ----"
		next
	}
	if (match($0, /^== canary [a-z]+ end$/)) { cur = ""; next }
	if (cur == "")
		next
	print "  " $0
	if (cur == "uaf" && $0 ~ /BUG: KASAN: [a-z-]*use-after-free in canary_use_after_free/)
		evidence("uaf")
	if (cur == "sleep" && $0 ~ /BUG: sleeping function called from invalid context/)
		sleep_msg = $0
	if (cur == "sleep" && sleep_msg != "" && $0 ~ /canary_sleep_in_atomic\+/) {
		$0 = sleep_msg
		evidence("sleep")
	}
	if (cur == "leak" && $0 ~ /^unreferenced object /)
		leak_obj = $0
	if (cur == "leak" && leak_obj != "" && $0 ~ /canary_leak\+/) {
		sub(/:$/, "", leak_obj)
		$0 = leak_obj ", allocated in canary_leak"
		evidence("leak")
	}
	next
}

# The first report line that proves NAME was caught.
function evidence(name,    line) {
	if (name in found)
		return
	line = $0
	sub(/^\[ *[0-9]+\.[0-9]+\] /, "", line)
	found[name] = line
}

END {
	if (mode == "suite") {
		leak_done()
		if (problems > 200)
			print "report (" problems - 200 " more lines not shown)"
		printf "problems=%d leaks=%d lockdep_off=%d scans=%d\n",
			problems, leaks, lockdep_off, scans
	} else {
		n = split("uaf sleep leak", names, " ")
		for (i = 1; i <= n; i++)
			if (names[i] in found)
				print "canary " names[i] " seen: " found[names[i]]
			else
				print "canary " names[i] (ran[names[i]] ? " MISSED" : " NOT-RUN")
	}
}

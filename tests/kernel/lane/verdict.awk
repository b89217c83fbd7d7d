# SPDX-License-Identifier: GPL-2.0
# pawlink kernel lane: turns one boot's results channel (the markers written
# by guest/lane.sh) into the verdict.
#
#   awk -f verdict.awk -v label=6.1 -v speeds="full high super" \
#       -v tests="a b" -v hooks="h" [-v only="a:high,super"] \
#       -v counts=FILE -v timing=FILE \
#       [-v qemu_status="why QEMU ended badly"] [-v bootnote=" (full)"] RESULTS
#
# Prints one "ok|FAIL|skip  SPEED  TEST: CASE" line per test case, per lane
# check (lane.load, lane.unload, lane.dmesg) and per hook, then the details of
# every failure: the failing program's output, and each dmesg line matching a
# kernel problem, with the test that was running at the time.
# Writes "PASSED FAILED SKIPPED" to counts, one "SPEED NAME" line per failure
# to counts ".names", the failure details to counts ".details", and "KEY
# SECONDS" lines to timing (init: guest uptime at /init; SPEED: that pass).

function field(key,    i) {
	for (i = 1; i <= NF; i++)
		if (index($i, key "=") == 1)
			return substr($i, length(key) + 2)
	return ""
}

function verdict(state, speed, name) {
	printf "%-4s  %-5s  %s\n", state, speed, name
	if (state == "ok")
		npass++
	else if (state == "skip")
		nskip++
	else {
		nfail++
		print speed " " name >> (counts ".names")
	}
}

# Remember a block's output for the failure details (at most the last 300 lines).
function keep_output(    i, first) {
	ndetail++
	first = nout > 300 ? nout - 299 : 1
	detail[ndetail] = "---- " bspeed " " bname " (" bkind ", exit status " brc ") ----"
	if (first > 1)
		detail[ndetail] = detail[ndetail] "\n[... " first - 1 " earlier lines in the log]"
	for (i = first; i <= nout; i++)
		detail[ndetail] = detail[ndetail] "\n" out[i]
}

function finish_test(    failed, why) {
	failed = 0
	if (nres == 0 && !skipall) {
		verdict("FAIL", bspeed, bname ": no TAP results (exit status " brc ")")
		failed = 1
	} else if (skipall) {
		verdict("skip", bspeed, bname ": " skipall)
	}
	if (plan > nres) {
		verdict("FAIL", bspeed, bname ": " nres " of " plan " results, then it stopped")
		failed = 1
	}
	if (brc != 0 && !casefail && !failed) {
		why = brc == 137 ? "killed (timeout?)" : "exit status " brc
		verdict("FAIL", bspeed, bname ": " why)
		failed = 1
	}
	if (failed || casefail)
		keep_output()
}

function scan_dmesg_line(line) {
	if (match(line, /pawlink-lane: begin [^ ]+ [^ ]+/)) {
		split(substr(line, RSTART, RLENGTH), w, " ")
		dctx = "during " w[4]
		return
	}
	if (match(line, /pawlink-lane: end [^ ]+ [^ ]+/)) {
		split(substr(line, RSTART, RLENGTH), w, " ")
		dctx = "after " w[4]
		return
	}
	if (line ~ bad) {
		nbad++
		if (nbad <= 60)
			badlines = badlines "\n  " line "   <- " dctx
		if (!firstbad)
			firstbad = nout
	}
}

function finish_dmesg(    i, last, name) {
	name = "lane.dmesg" (bspeed == "boot" ? bootnote : "")
	if (nbad == 0) {
		verdict("ok", bspeed, name)
		return
	}
	verdict("FAIL", bspeed, name ": " nbad " kernel problem line(s)")
	ndetail++
	detail[ndetail] = "---- " bspeed " dmesg: " nbad " line(s) match kernel problems ----" badlines
	if (nbad > 60)
		detail[ndetail] = detail[ndetail] "\n  [... " nbad - 60 " more in the log]"
	last = firstbad + 40 > nout ? nout : firstbad + 40
	detail[ndetail] = detail[ndetail] "\n---- " bspeed " dmesg around the first one ----"
	for (i = (firstbad > 3 ? firstbad - 3 : 1); i <= last; i++)
		detail[ndetail] = detail[ndetail] "\n" out[i]
}

BEGIN {
	bad = "WARNING:|BUG:|Oops|BOGUS|sleeping function called|refcount_t|" \
	      "UBSAN:|KASAN|general protection fault|Call Trace|Kernel panic|" \
	      "INFO: task .* blocked for more than|kmemleak: .* new suspected memory leak"
	nspeeds = split(speeds, speed_list, " ")
	ntests = split(tests, test_list, " ")
	nhooks = split(hooks, hook_list, " ")
	# only="name:speed,speed ...": those programs run at those speeds alone
	nonly = split(only, only_list, " ")
	for (i = 1; i <= nonly; i++) {
		split(only_list[i], w, ":")
		restricted[w[1]] = 1
		nsp = split(w[2], sp, ",")
		for (j = 1; j <= nsp; j++)
			allowed[sp[j] " " w[1]] = 1
	}
	inblock = 0
	printf "" > (counts ".names")
	printf "" > (counts ".details")
}

{ sub(/\r$/, "") }

/^@@LANE / {
	if ($2 == "boot") {
		boot_up = field("up")
		last_marker = $0
		next
	}
	if ($2 == "done") {
		done_up = field("up")
		last_marker = $0
		next
	}
	if ($2 == "notrun") {
		seen[$3 " " $5] = 1
		verdict("FAIL", $3, $5 ": not run (" field("why") ")")
		next
	}
	if ($2 == "begin" && $4 == "speed") {
		speed_begin[$3] = field("up")
		last_marker = $0
		next
	}
	if ($2 == "end" && $4 == "speed") {
		speed_end[$3] = field("up")
		last_marker = $0
		next
	}
	if ($2 == "begin") {
		bspeed = $3; bkind = $4; bname = $5
		inblock = 1; nout = 0; plan = -1; nres = 0; casefail = 0
		skipall = ""; cur = ""; nbad = 0; badlines = ""; firstbad = 0
		dctx = bspeed == "boot" ? "at boot" : "before the first test"
		last_marker = $0
		next
	}
	if ($2 == "end" && inblock) {
		brc = field("rc")
		inblock = 0
		last_marker = $0
		seen[bspeed " " bname] = 1
		if (bkind == "test")
			finish_test()
		else if (bkind == "dmesg")
			finish_dmesg()
		else if (brc == 0)
			verdict("ok", bspeed, bname)
		else {
			verdict("FAIL", bspeed, bname ": exit status " brc)
			keep_output()
		}
		next
	}
	next
}

!inblock { next }

{ out[++nout] = $0 }

bkind == "dmesg" { scan_dmesg_line($0); next }

bkind != "test" { next }

/^1\.\.[0-9]+/ {
	plan = substr($1, 4) + 0
	if (plan == 0 && match($0, /# SKIP.*/))
		skipall = substr($0, RSTART + 7)
	next
}
/^# +RUN +[^ ]+ \.\.\./ { cur = $3; next }
/^ok [0-9]+ # SKIP/ {
	nres++
	verdict("skip", bspeed, bname ": " cur " (" substr($0, index($0, "# SKIP") + 7) ")")
	next
}
/^ok [0-9]+ / {
	nres++
	name = $0
	sub(/^ok [0-9]+ /, "", name)
	sub(/^# XFAIL */, "", name)
	verdict("ok", bspeed, bname ": " (name == "" ? cur : name))
	next
}
/^not ok [0-9]+/ {
	nres++
	casefail = 1
	name = $0
	sub(/^not ok [0-9]+ */, "", name)
	if (name == "" || name ~ /^#/)
		name = cur " " name
	verdict("FAIL", bspeed, bname ": " name)
	next
}

END {
	if (inblock) {
		verdict("FAIL", bspeed, bname ": its output ended without an end marker")
		brc = "none"
		keep_output()
	}
	for (s = 1; s <= nspeeds; s++) {
		for (t = 1; t <= ntests; t++)
			if (!((speed_list[s] " " test_list[t]) in seen) &&
			    (!(test_list[t] in restricted) ||
			     (speed_list[s] " " test_list[t]) in allowed))
				verdict("FAIL", speed_list[s], test_list[t] ": not run")
		for (t = 1; t <= nhooks; t++)
			if (!((speed_list[s] " " hook_list[t]) in seen))
				verdict("FAIL", speed_list[s], hook_list[t] ": not run")
	}
	why = qemu_status != "" ? qemu_status : "panic, crash or power off"
	if (boot_up == "")
		verdict("FAIL", "boot", "lane.boot" bootnote ": /init never reported (" why ")")
	else if (done_up == "")
		verdict("FAIL", "boot", "lane.boot" bootnote ": the guest stopped early (" why "); last marker: " (last_marker == "" ? "none" : last_marker))
	for (i = 1; i <= ndetail; i++)
		print detail[i] > (counts ".details")
	printf "%d %d %d\n", npass, nfail, nskip > counts
	if (boot_up != "")
		printf "init %s\n", boot_up > timing
	for (s = 1; s <= nspeeds; s++)
		if ((speed_list[s] in speed_begin) && (speed_list[s] in speed_end))
			printf "%s %.1f\n", speed_list[s], speed_end[speed_list[s]] - speed_begin[speed_list[s]] > timing
	if (done_up != "")
		printf "done %s\n", done_up > timing
	printf "" > timing
}

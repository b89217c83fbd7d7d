/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The simulator and the CLI as a user runs them, for tests and benches:
 * `pawsim air`, `pawsim toy` and `pawsim rogue` as child processes
 * (child.h), a toy's label, the --json counters they print, and a host
 * (libpawlink) finding the toy.
 *
 * The programs are the sanitised builds (build/san/), unless $PAWSIM or
 * $PAWCTL name others.  Nothing here asserts: calls return 0, an exit
 * status or -errno, and the caller asserts.
 */
#ifndef PAWLINK_TEST_PAWSIM_PROCS_H
#define PAWLINK_TEST_PAWSIM_PROCS_H

#include <stddef.h>
#include <stdint.h>

#include <linux/pawlink.h>

#include "child.h"

struct pawlink;

/* The pawsim and pawctl programs under test. */
const char *pawsim_path(void);
const char *pawctl_path(void);

/*
 * Runs `pawsim ARGV...` (@argv NULL-terminated, without "pawsim") with
 * fd 3 a ready pipe and its stdout captured.  0 or -errno.
 */
int pawsim_start(struct child *c, const char *const argv[]);

/*
 * `pawsim ARGV...` to its end, its stdout into @buf.  Its exit status, or
 * -1 if it could not be started or did not exit normally.
 */
int pawsim_run(const char *const argv[], char *buf, size_t cap);

/*
 * `pawsim air --socket @sock EXTRA... --ready-fd 3`, up and ready
 * (@extra NULL-terminated, or NULL).  0 or -errno; on failure nothing is
 * left running.
 */
int pawsim_air_start(struct child *air, const char *sock,
		     const char *const extra[]);

/* `pawsim toy --air @sock --dir @dir EXTRA... --ready-fd 3`, the same. */
int pawsim_toy_start(struct child *toy, const char *sock, const char *dir,
		     const char *const extra[]);

/*
 * `pawsim toy --dir @dir @cmd` (press, reset) to its end: its exit
 * status (see pawsim_run()), its answer in @buf.
 */
int pawsim_toy_command(const char *dir, const char *cmd, char *buf,
		       size_t cap);

/*
 * The setup code on the label of the toy whose flash is @dir (the file
 * @dir/label), as printed, without the newline.  0 or -errno.
 */
int pawsim_toy_label(const char *dir, char *code, size_t cap);

/*
 * `pawsim rogue ARGS... --socket @sock --json` to its end, its stdout
 * into @buf: its exit status (see pawsim_run()).
 */
int pawsim_rogue_run(const char *sock, const char *const args[], char *buf,
		     size_t cap);

/*
 * Scans until exactly one toy beacons, with @flags (PAWLINK_BEACON_*)
 * unless @flags is negative; its id into @id.  0, -EAGAIN if no scan of
 * ten found it, or pawlink_scan()'s error.
 */
int host_scan_toy(struct pawlink *p, int flags, uint8_t id[PAWLINK_ID_LEN]);

#endif /* PAWLINK_TEST_PAWSIM_PROCS_H */

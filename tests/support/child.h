/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Programs run by tests as child processes: started with their stdout
 * (and, if asked, stderr) on pipes and an optional ready pipe, read to
 * their end, stopped, or killed by a teardown after a failed assertion.
 *
 * Waits are for events (a "ready" line, output, an exit), each bounded by
 * TEST_WAIT_MS only to turn a hang into a failure; no test asserts how
 * long anything took.  Nothing here asserts: calls return 0, an exit
 * status or -errno, and the caller asserts.
 */
#ifndef PAWLINK_TEST_CHILD_H
#define PAWLINK_TEST_CHILD_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

/* Bound on any single wait for another process, in ms. */
#define TEST_WAIT_MS	30000

struct child {
	pid_t pid;		/* 0 when not running (or reaped) */
	int out_fd;		/* its stdout, -1 once closed */
	int err_fd;		/* its stderr with err_pipe, else -1 */
	int ready_fd;		/* read end of its ready pipe, or -1 */
};

/* How to start a child; a zeroed struct is stdout captured, nothing else. */
struct child_opts {
	const char *input;		/* all of its stdin (small: fits a
					 * pipe); NULL: this process's */
	const char *const *env;		/* NULL-terminated; in the child,
					 * "NAME=VALUE" sets, "NAME" unsets */
	bool ready_pipe;		/* fd 3 is a pipe (--ready-fd 3) */
	bool err_pipe;			/* its stderr on err_fd */
	bool err_to_out;		/* its stderr on its stdout */
};

/*
 * Runs @argv (NULL-terminated; argv[0] the program's path).  0, or -errno
 * if it cannot be run; then nothing is left running.
 */
int child_spawn(struct child *c, const struct child_opts *o,
		const char *const argv[]);

/* Waits for "ready\n" on the ready pipe: 0, -ETIMEDOUT, or -EPIPE. */
int child_wait_ready(struct child *c);

/*
 * Reads its stdout to the end into @buf (NUL-terminated; what does not fit
 * is left unread), then reaps it.  Its exit status, or -1 if it was not
 * running or did not exit normally (killed after TEST_WAIT_MS of silence).
 */
int child_finish(struct child *c, char *buf, size_t cap);

/* Stops a long-running child with SIGTERM, then child_finish(). */
int child_stop(struct child *c, char *buf, size_t cap);

/*
 * SIGKILL, reap and close, for teardowns after a failure; nothing for a
 * child that is not running (or for NULL).
 */
void child_kill(struct child *c);

#endif /* PAWLINK_TEST_CHILD_H */

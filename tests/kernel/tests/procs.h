/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Helpers for in-guest tests that run the simulator's processes (pawsim
 * air, pawsim toy) and commands beside a dongle: start one and wait for
 * its "ready", stop it, run a command to the end, read the toy's id from
 * what it said.  Every wait is bounded (WAIT_MS).
 */
#ifndef PAWLINK_KTEST_PROCS_H
#define PAWLINK_KTEST_PROCS_H

#include "common.h"

/* What `pawsim toy` says on stderr once it is on the air. */
#define TOY_SAYS	"pawsim toy: toy "

struct proc {
	pid_t pid;
	const char *what;
};

/*
 * Starts @argv with --ready-fd and waits (bounded) for its "ready"; stderr
 * goes to @log when given.  0 or -errno; on failure the child is killed.
 */
static inline int start_ready(struct proc *p, const char *const argv[],
			      const char *log)
{
	char fdarg[16], buf[16];
	const char *args[24];
	int pipefd[2], argc = 0, fd, rev;
	ssize_t n;

	while (argv[argc] && argc < 20) {
		args[argc] = argv[argc];
		argc++;
	}
	if (pipe2(pipefd, O_CLOEXEC))
		return -errno;
	str_fmt(fdarg, sizeof(fdarg), "%d", pipefd[1]);
	args[argc++] = "--ready-fd";
	args[argc++] = fdarg;
	args[argc] = NULL;

	fflush(NULL);
	p->what = argv[1];
	p->pid = fork();
	if (p->pid < 0) {
		p->pid = 0;
		close(pipefd[0]);
		close(pipefd[1]);
		return -errno;
	}
	if (p->pid == 0) {
		fcntl(pipefd[1], F_SETFD, 0);	/* the child keeps this one */
		if (log) {
			fd = open(log, O_WRONLY | O_CREAT | O_TRUNC, 0600);
			if (fd >= 0)
				dup2(fd, STDERR_FILENO);
		}
		execvp(argv[0], (char **)args);
		fprintf(stderr, "# exec %s: %s\n", argv[0], strerror(errno));
		_exit(127);
	}
	close(pipefd[1]);
	rev = poll_one(pipefd[0], POLLIN, WAIT_MS);
	n = rev > 0 ? read(pipefd[0], buf, sizeof(buf) - 1) : -1;
	close(pipefd[0]);
	if (n == 6 && !memcmp(buf, "ready\n", 6))
		return 0;
	fprintf(stderr, "# pawsim %s did not get ready\n", p->what);
	kill(p->pid, SIGKILL);
	waitpid(p->pid, NULL, 0);
	p->pid = 0;
	return -ETIMEDOUT;
}

/* SIGTERM, then a bounded wait; SIGKILL if it does not go.  Exit status. */
static inline int stop_proc(struct proc *p)
{
	long end = now_ms() + WAIT_MS;
	int status = -1;

	if (!p->pid)
		return 0;
	kill(p->pid, SIGTERM);
	while (waitpid(p->pid, &status, WNOHANG) == 0) {
		if (now_ms() > end) {
			kill(p->pid, SIGKILL);
			waitpid(p->pid, &status, 0);
			break;
		}
		sleep_ms(POLL_STEP_MS);
	}
	p->pid = 0;
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

/* Runs @argv to the end; its exit status, or -1. */
static inline int run_cmd(const char *const argv[])
{
	int status;
	pid_t pid;

	fflush(NULL);
	pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		execvp(argv[0], (char **)argv);
		_exit(127);
	}
	if (waitpid(pid, &status, 0) < 0 || !WIFEXITED(status))
		return -1;
	return WEXITSTATUS(status);
}

/* The toy's id from its "toy HEX on the air" line in @log. */
static inline int toy_id_from_log(const char *log,
				  uint8_t id[PAWLINK_ID_LEN])
{
	char text[4096], *at;
	unsigned int byte;
	int i;

	if (read_text(log, text, sizeof(text)))
		return -ENOENT;
	at = strstr(text, TOY_SAYS);
	if (!at)
		return -ENOENT;
	at += strlen(TOY_SAYS);
	for (i = 0; i < PAWLINK_ID_LEN; i++) {
		if (sscanf(at + 2 * i, "%2x", &byte) != 1)
			return -EINVAL;
		id[i] = (uint8_t)byte;
	}
	return 0;
}

#endif /* PAWLINK_KTEST_PROCS_H */

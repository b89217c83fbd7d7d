// SPDX-License-Identifier: GPL-2.0
/* Programs run by tests as child processes; see child.h. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "child.h"

#define READY_FD	3

static void close_pair(int p[2])
{
	if (p[0] >= 0)
		close(p[0]);
	if (p[1] >= 0)
		close(p[1]);
	p[0] = p[1] = -1;
}

/* In the child, after fork(): its environment and descriptors, then exec. */
static void child_exec(const struct child_opts *o, const char *const argv[],
		       int in[2], int out[2], int err[2], int ready[2])
{
	size_t i;

	for (i = 0; o->env && o->env[i]; i++) {
		if (strchr(o->env[i], '='))
			putenv((char *)o->env[i]);
		else
			unsetenv(o->env[i]);
	}
	/* dup2 clears O_CLOEXEC on the new descriptors. */
	if ((in[0] >= 0 && dup2(in[0], STDIN_FILENO) < 0) ||
	    dup2(out[1], STDOUT_FILENO) < 0 ||
	    (err[1] >= 0 && dup2(err[1], STDERR_FILENO) < 0) ||
	    (o->err_to_out && dup2(out[1], STDERR_FILENO) < 0) ||
	    (ready[1] >= 0 && dup2(ready[1], READY_FD) < 0))
		_exit(127);
	execv(argv[0], (char *const *)argv);
	_exit(127);
}

int child_spawn(struct child *c, const struct child_opts *o,
		const char *const argv[])
{
	int in[2] = { -1, -1 }, out[2] = { -1, -1 };
	int err[2] = { -1, -1 }, ready[2] = { -1, -1 };
	int rc = 0;

	memset(c, 0, sizeof(*c));
	c->out_fd = c->err_fd = c->ready_fd = -1;
	if (access(argv[0], X_OK))
		return -errno;
	if (pipe2(out, O_CLOEXEC) ||
	    (o->input && pipe2(in, O_CLOEXEC)) ||
	    (o->err_pipe && pipe2(err, O_CLOEXEC)) ||
	    (o->ready_pipe && pipe2(ready, O_CLOEXEC))) {
		rc = -errno;
		goto fail;
	}
	c->pid = fork();
	if (c->pid < 0) {
		rc = -errno;
		c->pid = 0;
		goto fail;
	}
	if (c->pid == 0)
		child_exec(o, argv, in, out, err, ready);
	c->out_fd = out[0];
	c->err_fd = err[0];
	c->ready_fd = ready[0];
	out[0] = err[0] = ready[0] = -1;
	close_pair(out);
	close_pair(err);
	close_pair(ready);
	if (o->input) {
		size_t len = strlen(o->input);

		close(in[0]);
		/* Small inputs only: a pipe holds them without a reader. */
		if (write(in[1], o->input, len) != (ssize_t)len)
			rc = -EIO;
		close(in[1]);
		if (rc)
			child_kill(c);
	}
	return rc;

fail:
	close_pair(in);
	close_pair(out);
	close_pair(err);
	close_pair(ready);
	return rc;
}

int child_wait_ready(struct child *c)
{
	struct pollfd pfd = { .fd = c->ready_fd, .events = POLLIN };
	char line[16];
	ssize_t n;

	if (poll(&pfd, 1, TEST_WAIT_MS) != 1)
		return -ETIMEDOUT;
	n = read(c->ready_fd, line, sizeof(line) - 1);
	close(c->ready_fd);
	c->ready_fd = -1;
	if (n != 6 || memcmp(line, "ready\n", 6) != 0)
		return -EPIPE;
	return 0;
}

static void close_fds(struct child *c)
{
	int *fd[] = { &c->out_fd, &c->err_fd, &c->ready_fd };
	size_t i;

	for (i = 0; i < sizeof(fd) / sizeof(fd[0]); i++) {
		if (*fd[i] >= 0)
			close(*fd[i]);
		*fd[i] = -1;
	}
}

int child_finish(struct child *c, char *buf, size_t cap)
{
	size_t used = 0;
	int status;
	pid_t pid = c->pid;

	buf[0] = '\0';
	/* kill(0, ...) would signal this whole process group. */
	if (pid <= 0)
		return -1;
	for (;;) {
		struct pollfd pfd = { .fd = c->out_fd, .events = POLLIN };
		ssize_t n;

		if (poll(&pfd, 1, TEST_WAIT_MS) != 1) {
			kill(pid, SIGKILL);
			break;
		}
		n = read(c->out_fd, buf + used, cap - 1 - used);
		if (n <= 0)
			break;
		used += (size_t)n;
		if (used == cap - 1)
			break;
	}
	buf[used] = '\0';
	close_fds(c);
	c->pid = 0;
	if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status))
		return -1;
	return WEXITSTATUS(status);
}

int child_stop(struct child *c, char *buf, size_t cap)
{
	if (c->pid > 0)
		kill(c->pid, SIGTERM);
	return child_finish(c, buf, cap);
}

void child_kill(struct child *c)
{
	/* Not running: its descriptors were closed when it was reaped. */
	if (!c || c->pid <= 0)
		return;
	kill(c->pid, SIGKILL);
	waitpid(c->pid, NULL, 0);
	c->pid = 0;
	close_fds(c);
}

/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Helpers shared by the air and rogue tests: building records and
 * frames, and running `pawsim` subcommands as processes.
 *
 * Waits are for events (a "ready" line, a frame, a process exit), each
 * with a generous bound that only turns a hang into a failure; no test
 * asserts how long anything took.
 */
#ifndef PAWLINK_TEST_AIR_HELPERS_H
#define PAWLINK_TEST_AIR_HELPERS_H

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <pawlink/air.h>

#include "air_frame.h"
#include "byteorder.h"

/* Bound on any single wait for another process, in ms. */
#define TEST_WAIT_MS	30000

static const uint8_t ID_A[PAWLINK_ID_LEN] = { 0xa0, 1, 2, 3, 4, 5, 6, 7 };
static const uint8_t ID_B[PAWLINK_ID_LEN] = { 0xb0, 1, 2, 3, 4, 5, 6, 7 };
static const uint8_t ID_C[PAWLINK_ID_LEN] = { 0xc0, 1, 2, 3, 4, 5, 6, 7 };
static const uint8_t ID_T[PAWLINK_ID_LEN] = { 0x70, 0x79, 2, 3, 4, 5, 6, 7 };

/* A plaintext record whose body is @body_len bytes of @fill. */
static inline size_t make_record(uint8_t *out, uint8_t channel,
				 uint64_t counter, uint8_t fill,
				 size_t body_len)
{
	out[0] = PAWLINK_REC_VERSION;
	out[1] = channel;
	pawlink_store_le16(out + 2, (uint16_t)body_len);
	pawlink_store_le32(out + 4, channel == PAWLINK_CH_PLAIN ? 0 : 1);
	pawlink_store_le64(out + 8, counter);
	memset(out + PAWLINK_REC_HDR_LEN, fill, body_len);
	return PAWLINK_REC_HDR_LEN + body_len;
}

/* A data frame src -> dst carrying make_record(). */
static inline size_t make_data_frame(uint8_t *out, const uint8_t *src,
				     const uint8_t *dst, uint64_t counter,
				     size_t body_len)
{
	uint8_t rec[PAWLINK_RECORD_MAX];
	size_t n = make_record(rec, PAWLINK_CH_PLAIN, counter,
			       (uint8_t)counter, body_len);

	return air_frame_build(out, PAWLINK_AIR_FRAME_MAX, PAWLINK_AIR_DATA,
			       src, dst, rec, n);
}

static inline const char *pawsim_path(void)
{
	const char *p = getenv("PAWSIM");

	return p && *p ? p : "build/san/pawsim";
}

/* A pawsim subcommand run as a child: its stdout and its ready pipe. */
struct child {
	pid_t pid;
	int out_fd;		/* the child's stdout */
	int ready_fd;		/* read end of --ready-fd 3 */
};

/*
 * Runs pawsim with @argv (NULL-terminated, without "pawsim") with fd 3
 * as a ready pipe and stdout captured.  Returns 0 or -errno.
 */
static inline int child_start(struct child *c, const char *const argv[])
{
	const char *full[32];
	int ready[2], out[2];
	size_t i;

	full[0] = pawsim_path();
	for (i = 0; argv[i] && i < 30; i++)
		full[i + 1] = argv[i];
	full[i + 1] = NULL;
	if (access(full[0], X_OK))
		return -errno;
	if (pipe2(ready, O_CLOEXEC) || pipe2(out, O_CLOEXEC))
		return -errno;
	c->pid = fork();
	if (c->pid < 0)
		return -errno;
	if (c->pid == 0) {
		/* dup2 clears O_CLOEXEC on the new descriptors. */
		if (dup2(ready[1], 3) < 0 || dup2(out[1], STDOUT_FILENO) < 0)
			_exit(127);
		execv(full[0], (char *const *)full);
		_exit(127);
	}
	close(ready[1]);
	close(out[1]);
	c->ready_fd = ready[0];
	c->out_fd = out[0];
	return 0;
}

/* Waits for the child's "ready" line; 0, or -EPIPE if it never came. */
static inline int child_wait_ready(struct child *c)
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

/*
 * Reads the child's stdout to EOF into @buf, then reaps it.  Returns its
 * exit status, or -1 if it did not exit normally or the wait failed.
 */
static inline int child_finish(struct child *c, char *buf, size_t cap)
{
	size_t used = 0;
	int status;

	for (;;) {
		struct pollfd pfd = { .fd = c->out_fd, .events = POLLIN };
		ssize_t n;

		if (poll(&pfd, 1, TEST_WAIT_MS) != 1) {
			kill(c->pid, SIGKILL);
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
	close(c->out_fd);
	if (c->ready_fd >= 0)
		close(c->ready_fd);
	if (waitpid(c->pid, &status, 0) != c->pid || !WIFEXITED(status))
		return -1;
	return WEXITSTATUS(status);
}

/* Stops a long-running child (the air) with SIGTERM, then finishes it. */
static inline int child_stop(struct child *c, char *buf, size_t cap)
{
	kill(c->pid, SIGTERM);
	return child_finish(c, buf, cap);
}

/*
 * Runs `pawsim rogue ARGS --socket @sock --json` to its end, its stdout
 * into @buf.  Its exit status, or -1 if it could not be started or did
 * not exit normally.
 */
static inline int rogue_finish(const char *sock, const char *const args[],
			       char *buf, size_t cap)
{
	const char *argv[32] = { "rogue" };
	struct child c;
	size_t i;

	for (i = 0; args[i]; i++)
		argv[i + 1] = args[i];
	argv[++i] = "--socket";
	argv[++i] = sock;
	argv[++i] = "--json";
	argv[++i] = NULL;
	if (child_start(&c, argv))
		return -1;
	return child_finish(&c, buf, cap);
}

/* The unsigned number after "\"@key\":" in @json, or -1. */
static inline long long json_number(const char *json, const char *key)
{
	char pat[64];
	const char *p;

	snprintf(pat, sizeof(pat), "\"%s\":", key);
	p = strstr(json, pat);
	if (!p)
		return -1;
	p += strlen(pat);
	if (*p < '0' || *p > '9')
		return -1;
	return strtoll(p, NULL, 10);
}

/* A private directory for sockets and captures; removed by test_dir_done. */
struct test_dir {
	char dir[64];
	char sock[96];
};

static inline int test_dir_init(struct test_dir *t)
{
	snprintf(t->dir, sizeof(t->dir), "/tmp/pawlink-air-XXXXXX");
	if (!mkdtemp(t->dir))
		return -errno;
	snprintf(t->sock, sizeof(t->sock), "%s/air.sock", t->dir);
	return 0;
}

static inline void test_dir_file(const struct test_dir *t, const char *name,
				 char *out, size_t cap)
{
	snprintf(out, cap, "%s/%s", t->dir, name);
}

static inline void test_dir_done(const struct test_dir *t, const char *files[])
{
	char path[160];
	size_t i;

	for (i = 0; files && files[i]; i++) {
		test_dir_file(t, files[i], path, sizeof(path));
		unlink(path);
	}
	unlink(t->sock);
	rmdir(t->dir);
}

#endif /* PAWLINK_TEST_AIR_HELPERS_H */

/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Helpers for in-guest tests that drive the built pawctl through
 * /dev/pawlinkN (pawctl_dongle.c, dongle_attacker.c): run it to the end
 * with its output captured, read its --json document (json-c), press the simulated toy's button.  Every wait is bounded.
 */
#ifndef PAWLINK_KTEST_PAWCTL_RUN_H
#define PAWLINK_KTEST_PAWCTL_RUN_H

#include "common.h"
#include "json_read.h"
#include "procs.h"

#define OUT_MAX		65536
#define ARGS_MAX	32

/* One pawctl run: its exit status and what it printed. */
struct run {
	int status;
	char out[OUT_MAX];
	char err[OUT_MAX];
};

/* Reads what @fd has until EOF into @buf (NUL-terminated, bounded). */
static inline void drain_fd(int fd, char *buf, size_t *len)
{
	ssize_t n;

	n = read(fd, buf + *len, OUT_MAX - 1 - *len);
	if (n > 0)
		*len += (size_t)n;
	buf[*len] = '\0';
}

/*
 * Says where a pawctl that outlived its bound is blocked (its wchan and
 * kernel stack, as root sees them), into @r->err, before it is killed: a
 * run killed with nothing on stderr says nothing otherwise.
 */
static inline void pawctl_blocked_where(pid_t pid, struct run *r,
					const char *cmd)
{
	char path[64], where[1024];
	size_t len = 0;
	ssize_t n;
	int fd, i;

	/* Each read leaves room for the space after it and the NUL. */
	for (i = 0; i < 2 && len + 2 < sizeof(where); i++) {
		snprintf(path, sizeof(path), "/proc/%d/%s", (int)pid,
			 i ? "stack" : "wchan");
		fd = open(path, O_RDONLY | O_CLOEXEC);
		if (fd < 0)
			continue;
		n = read(fd, where + len, sizeof(where) - 2 - len);
		close(fd);
		if (n > 0)
			len += (size_t)n;
		where[len++] = ' ';
	}
	where[len] = '\0';
	for (i = 0; where[i]; i++)
		if (where[i] == '\n')
			where[i] = ' ';
	fprintf(stderr, "# pawctl %s still running at its bound: blocked in %s\n",
		cmd, len ? where : "(unknown)");
	snprintf(r->err, OUT_MAX, "killed at its bound, blocked in %.900s",
		 len ? where : "(unknown)");
}

/*
 * Runs pawctl --store STORE @argv... with @input on stdin (NULL: none)
 * and $PAWLINK_AIR unset, so the dongle path is the default.  Output into
 * @r; returns the exit status (-1 if it did not exit).
 */
static inline int pawctl_argv(const char *store, struct run *r,
			      const char *input, const char *const argv[])
{
	const char *full[ARGS_MAX + 4];
	int in[2], out[2], err[2], status, i;
	size_t out_len = 0, err_len = 0;
	long end = now_ms() + WAIT_MS * 3;
	struct pollfd pfd[2];
	pid_t pid;

	full[0] = "pawctl";
	full[1] = "--store";
	full[2] = store;
	for (i = 0; argv[i] && i < ARGS_MAX; i++)
		full[i + 3] = argv[i];
	full[i + 3] = NULL;
	if (pipe2(in, O_CLOEXEC) || pipe2(out, O_CLOEXEC) ||
	    pipe2(err, O_CLOEXEC))
		return -1;
	fflush(NULL);
	pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		unsetenv("PAWLINK_AIR");
		dup2(in[0], STDIN_FILENO);
		dup2(out[1], STDOUT_FILENO);
		dup2(err[1], STDERR_FILENO);
		execvp(full[0], (char **)full);
		_exit(127);
	}
	close(in[0]);
	close(out[1]);
	close(err[1]);
	if (input && write(in[1], input, strlen(input)) < 0)
		input = NULL;
	close(in[1]);
	r->out[0] = r->err[0] = '\0';
	pfd[0] = (struct pollfd){ .fd = out[0], .events = POLLIN };
	pfd[1] = (struct pollfd){ .fd = err[0], .events = POLLIN };
	while ((pfd[0].fd >= 0 || pfd[1].fd >= 0) && now_ms() < end) {
		if (poll(pfd, 2, 100) <= 0)
			continue;
		for (i = 0; i < 2; i++) {
			size_t before;

			if (pfd[i].fd < 0 || !pfd[i].revents)
				continue;
			before = i ? err_len : out_len;
			drain_fd(pfd[i].fd, i ? r->err : r->out,
				 i ? &err_len : &out_len);
			if ((i ? err_len : out_len) == before) {
				close(pfd[i].fd);
				pfd[i].fd = -1;
			}
		}
	}
	if (pfd[0].fd >= 0 || pfd[1].fd >= 0) {
		pawctl_blocked_where(pid, r, argv[0]);
		kill(pid, SIGKILL);
		if (pfd[0].fd >= 0)
			close(pfd[0].fd);
		if (pfd[1].fd >= 0)
			close(pfd[1].fd);
	}
	if (waitpid(pid, &status, 0) < 0 || !WIFEXITED(status))
		return r->status = -1;
	r->status = WEXITSTATUS(status);
	if (r->status)
		fprintf(stderr, "# pawctl %s ... -> %d: %s", argv[0],
			r->status, r->err);
	return r->status;
}

#define PAWCTL_IN(self, input, ...) ({					\
	const char *const __argv[] = { __VA_ARGS__, NULL };		\
	pawctl_argv((self)->store, &(self)->r, (input), __argv);	\
})
#define PAWCTL(self, ...)	PAWCTL_IN(self, NULL, __VA_ARGS__)

static inline bool has(const char *s, const char *fragment)
{
	return strstr(s, fragment) != NULL;
}

/*
 * pawctl's --json read with json-c (tests/support/json_read.c, linked
 * into each guest test): json_number(@json, KEY) the first member KEY,
 * depth first, as a whole number or -1; json_has(@json, PATTERN) whether
 * an object in the document has every member of the JSON object PATTERN.
 */
static inline bool json_has(const char *json, const char *pattern)
{
	return json_text_contains(json, pattern);
}

/*
 * The string at @path ("message.id", "dongles.0.id": json_read_at()) in
 * @json into @buf; "" if none.
 */
static inline const char *json_text(const char *json, const char *path,
				    char *buf, size_t cap)
{
	struct json_object *doc = json_read_line(json);
	struct json_object *v = doc ? json_read_at(doc, path) : NULL;

	buf[0] = '\0';
	if (cap && json_object_is_type(v, json_type_string))
		snprintf(buf, cap, "%s", json_object_get_string(v));
	json_object_put(doc);
	return buf;
}

/*
 * Member @member (a string) of the first object whose @key is the
 * string @value, say a message's sha256 by its id; "" if none.
 */
static inline const char *json_text_of(const char *json, const char *key,
				       const char *value, const char *member,
				       char *buf, size_t cap)
{
	struct json_object *doc = json_read_line(json);
	struct json_object *o = doc ? json_read_find(doc, key, value) : NULL;
	struct json_object *v = o ? json_read_at(o, member) : NULL;

	buf[0] = '\0';
	if (cap && json_object_is_type(v, json_type_string))
		snprintf(buf, cap, "%s", json_object_get_string(v));
	json_object_put(doc);
	return buf;
}

/* The number of elements of the array at @path (json_read_at()), or -1. */
static inline long json_len(const char *json, const char *path)
{
	struct json_object *doc = json_read_line(json);
	struct json_object *v = doc ? json_read_at(doc, path) : NULL;
	long n = json_object_is_type(v, json_type_array) ?
		 (long)json_object_array_length(v) : -1;

	json_object_put(doc);
	return n;
}

static inline void press(const char *toy_dir)
{
	const char *const argv[] = {
		getenv("PAWSIM") ? getenv("PAWSIM") : "pawsim", "toy",
		"--dir", toy_dir, "press", NULL
	};

	run_cmd(argv);
}

/* Scans (bounded) until toy @toy_hex is heard with @pairing; 0 or -1. */
static inline int pawctl_scan_until(const char *store, struct run *r,
				    const char *toy_hex, const char *pairing)
{
	const char *const scan[] = { "--json", "scan", NULL };
	char want[80];
	int tries;

	snprintf(want, sizeof(want), "{\"id\":\"%s\",\"pairing\":%s}",
		 toy_hex, pairing);
	for (tries = 0; tries < 15; tries++)
		if (pawctl_argv(store, r, NULL, scan) == 0 &&
		    json_has(r->out, want))
			return 0;
	return -1;
}

/*
 * Presses the toy's button and pairs as "bear" with the code on its
 * @label; pawctl's exit status, or -1 when the window never showed.
 */
static inline int pawctl_pair_bear(const char *store, struct run *r,
				   const char *toy_hex, const char *toy_dir,
				   const char *label)
{
	const char *const pair[] = {
		"pair", toy_hex, "--name", "bear", "--code-file", label, NULL
	};

	press(toy_dir);
	if (pawctl_scan_until(store, r, toy_hex, "true"))
		return -1;
	return pawctl_argv(store, r, NULL, pair);
}

#endif /* PAWLINK_KTEST_PAWCTL_RUN_H */

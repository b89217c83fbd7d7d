// SPDX-License-Identifier: GPL-2.0
/* pawsim and pawctl as a user runs them; see pawsim_procs.h. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "libpawlink.h"
#include "pawsim_procs.h"

/* Arguments of one pawsim run, "pawsim" and the terminating NULL too. */
#define ARGV_MAX	34

static const char *program(const char *env, const char *fallback)
{
	const char *p = getenv(env);

	return p && *p ? p : fallback;
}

const char *pawsim_path(void)
{
	return program("PAWSIM", "build/san/pawsim");
}

const char *pawctl_path(void)
{
	return program("PAWCTL", "build/san/pawctl");
}

/* Appends the NULL-terminated @args to @argv at *@n; -E2BIG if full. */
static int append(const char **argv, size_t *n, const char *const args[])
{
	size_t i;

	for (i = 0; args && args[i]; i++) {
		if (*n + 1 >= ARGV_MAX)
			return -E2BIG;
		argv[(*n)++] = args[i];
	}
	argv[*n] = NULL;
	return 0;
}

int pawsim_start(struct child *c, const char *const argv[])
{
	const struct child_opts opts = { .ready_pipe = true };
	const char *full[ARGV_MAX] = { pawsim_path() };
	size_t n = 1;
	int rc = append(full, &n, argv);

	return rc ? rc : child_spawn(c, &opts, full);
}

int pawsim_run(const char *const argv[], char *buf, size_t cap)
{
	struct child c;

	buf[0] = '\0';
	if (pawsim_start(&c, argv))
		return -1;
	return child_finish(&c, buf, cap);
}

/* Starts @head EXTRA... --ready-fd 3 and waits for its "ready". */
static int start_ready(struct child *c, const char *const head[],
		       const char *const extra[])
{
	static const char *const ready[] = { "--ready-fd", "3", NULL };
	const char *argv[ARGV_MAX];
	size_t n = 0;
	int rc;

	rc = append(argv, &n, head);
	if (!rc)
		rc = append(argv, &n, extra);
	if (!rc)
		rc = append(argv, &n, ready);
	if (!rc)
		rc = pawsim_start(c, argv);
	if (!rc) {
		rc = child_wait_ready(c);
		if (rc)
			child_kill(c);
	}
	return rc;
}

int pawsim_air_start(struct child *air, const char *sock,
		     const char *const extra[])
{
	const char *const head[] = { "air", "--socket", sock, NULL };

	return start_ready(air, head, extra);
}

int pawsim_toy_start(struct child *toy, const char *sock, const char *dir,
		     const char *const extra[])
{
	const char *const head[] = { "toy", "--air", sock, "--dir", dir,
				     NULL };

	return start_ready(toy, head, extra);
}

int pawsim_toy_command(const char *dir, const char *cmd, char *buf,
		       size_t cap)
{
	const char *const argv[] = { "toy", "--dir", dir, cmd, NULL };

	return pawsim_run(argv, buf, cap);
}

int pawsim_toy_label(const char *dir, char *code, size_t cap)
{
	char path[4096];
	FILE *f;
	int rc = 0;

	snprintf(path, sizeof(path), "%s/label", dir);
	f = fopen(path, "r");
	if (!f)
		return -errno;
	if (!fgets(code, (int)cap, f))
		rc = -EIO;
	fclose(f);
	if (rc)
		return rc;
	code[strcspn(code, "\n")] = '\0';
	return 0;
}

int pawsim_rogue_run(const char *sock, const char *const args[], char *buf,
		     size_t cap)
{
	static const char *const rogue[] = { "rogue", NULL };
	const char *const tail[] = { "--socket", sock, "--json", NULL };
	const char *argv[ARGV_MAX];
	size_t n = 0;

	buf[0] = '\0';
	if (append(argv, &n, rogue) || append(argv, &n, args) ||
	    append(argv, &n, tail))
		return -1;
	return pawsim_run(argv, buf, cap);
}

int host_scan_toy(struct pawlink *p, int flags, uint8_t id[PAWLINK_ID_LEN])
{
	struct pawlink_beacon b[4];
	size_t n;
	int tries, rc;

	for (tries = 0; tries < 10; tries++) {
		rc = pawlink_scan(p, 500, b, 4, &n);
		if (rc)
			return rc;
		if (n == 1 && (flags < 0 || b[0].flags == flags)) {
			memcpy(id, b[0].toy_id, PAWLINK_ID_LEN);
			return 0;
		}
	}
	return -EAGAIN;
}

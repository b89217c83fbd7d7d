/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Leak check by slab deltas, for the release kernel that has no kmemleak:
 * a snapshot of every slab cache's object count in use, taken at a quiet
 * moment, and the caches that grew between two snapshots.  A driver that
 * leaks a URB, a buffer or a structure per unplug shows as a cache grown
 * by at least one object per cycle.
 *
 * A snapshot first drops the page cache's dentries and inodes (files the
 * test made come and go) and shrinks every cache, which flushes the
 * per-CPU slabs (whose free objects /proc/slabinfo counts as in use) and,
 * under KASAN, the cache's quarantine of freed objects: what is left is
 * what is allocated.
 */
#ifndef PAWLINK_KTEST_SLAB_DELTA_H
#define PAWLINK_KTEST_SLAB_DELTA_H

#include <limits.h>

#include "common.h"

#define SLAB_CACHES_MAX		1024
#define SLAB_NAME_MAX		64

struct slab_snapshot {
	unsigned int n;
	char name[SLAB_CACHES_MAX][SLAB_NAME_MAX];
	long active[SLAB_CACHES_MAX];
};

/* Writes @value to @path, ignoring errors (best effort before counting). */
static inline void slab_poke(const char *path, const char *value)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC);

	if (fd < 0)
		return;
	if (write(fd, value, strlen(value)) < 0) {
		/* a cache that cannot shrink is counted as it is */
	}
	close(fd);
}

/* Every cache shrunk, then /proc/slabinfo into @s; 0 or -errno. */
static inline int slab_snapshot_take(struct slab_snapshot *s)
{
	char line[512], path[320];
	struct dirent *de;
	FILE *f;
	DIR *dp;

	sync();
	slab_poke("/proc/sys/vm/drop_caches", "3");
	dp = opendir("/sys/kernel/slab");
	if (dp) {
		while ((de = readdir(dp))) {
			/* merged caches show as links to the one cache */
			if (de->d_type != DT_DIR || de->d_name[0] == '.')
				continue;
			if (str_fmt(path, sizeof(path), "/sys/kernel/slab/%s/shrink",
				    de->d_name))
				slab_poke(path, "1");
		}
		closedir(dp);
	}
	f = fopen("/proc/slabinfo", "re");
	if (!f)
		return -errno;
	s->n = 0;
	while (fgets(line, sizeof(line), f) && s->n < SLAB_CACHES_MAX) {
		char name[SLAB_NAME_MAX];
		long active;

		/* "slabinfo - version" and "# name ..." are not caches */
		if (line[0] == '#' || !strncmp(line, "slabinfo", 8))
			continue;
		if (sscanf(line, "%63s %ld", name, &active) != 2)
			continue;
		memcpy(s->name[s->n], name, sizeof(name));
		s->active[s->n++] = active;
	}
	fclose(f);
	return s->n ? 0 : -ENOENT;
}

/* The objects cache @name had in @s; 0 if it was not there. */
static inline long slab_active(const struct slab_snapshot *s, const char *name)
{
	unsigned int i;

	for (i = 0; i < s->n; i++)
		if (!strcmp(s->name[i], name))
			return s->active[i];
	return 0;
}

/* The cache that grew most from @a to @b: its name in @name, the growth. */
static inline long slab_most_grown(const struct slab_snapshot *a,
				   const struct slab_snapshot *b,
				   char *name, size_t len)
{
	long best = LONG_MIN, d;
	unsigned int i;

	name[0] = '\0';
	for (i = 0; i < b->n; i++) {
		d = b->active[i] - slab_active(a, b->name[i]);
		if (d > best) {
			best = d;
			str_fmt(name, len, "%s", b->name[i]);
		}
	}
	return best == LONG_MIN ? 0 : best;
}

/* Prints every cache that grew by @at_least objects or more, to stderr. */
static inline void slab_print_growth(const struct slab_snapshot *a,
				     const struct slab_snapshot *b,
				     long at_least)
{
	unsigned int i;
	long d;

	for (i = 0; i < b->n; i++) {
		d = b->active[i] - slab_active(a, b->name[i]);
		if (d >= at_least)
			fprintf(stderr, "#   slab %s: %+ld objects\n",
				b->name[i], d);
	}
}

#endif /* PAWLINK_KTEST_SLAB_DELTA_H */

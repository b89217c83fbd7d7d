// SPDX-License-Identifier: GPL-2.0
/* Temporary directories for tests; see tmpdir.h. */
#include <dirent.h>
#include <errno.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tmpdir.h"

int test_tmpdir(char *dir, size_t cap, const char *name,
		enum test_tmp_where where)
{
	const char *base = "/tmp";
	int n;

	if (where == TEST_TMP_FAST && access("/dev/shm", W_OK) == 0)
		base = "/dev/shm";
	n = snprintf(dir, cap, "%s/pawlink-%s-XXXXXX", base, name);
	if (n < 0 || (size_t)n >= cap)
		return -ENAMETOOLONG;
	return mkdtemp(dir) ? 0 : -errno;
}

static int rm_entry(const char *path, const struct stat *sb, int type,
		    struct FTW *ftw)
{
	(void)sb;
	(void)type;
	(void)ftw;
	return remove(path) ? -errno : 0;
}

int test_rm_tree(const char *path)
{
	int rc;

	/* Depth first, so a directory is empty when its turn comes. */
	rc = nftw(path, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
	if (rc == -1)
		return -errno;
	return rc;
}

long test_count_entries(const char *dir, bool hidden)
{
	struct dirent *de;
	long n = 0;
	DIR *d = opendir(dir);

	if (!d)
		return -errno;
	while ((de = readdir(d)) != NULL) {
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		n += hidden || de->d_name[0] != '.';
	}
	closedir(d);
	return n;
}

int test_dir_init(struct test_dir *t)
{
	int rc = test_tmpdir(t->dir, sizeof(t->dir), "air", TEST_TMP_DISK);

	if (rc) {
		t->dir[0] = '\0';
		return rc;
	}
	snprintf(t->sock, sizeof(t->sock), "%s/air.sock", t->dir);
	return 0;
}

void test_dir_file(const struct test_dir *t, const char *name, char *out,
		   size_t cap)
{
	snprintf(out, cap, "%s/%s", t->dir, name);
}

int test_dir_remove(struct test_dir *t)
{
	int rc;

	if (!t->dir[0])
		return 0;
	rc = test_rm_tree(t->dir);
	t->dir[0] = '\0';
	return rc;
}

/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Temporary directories for tests, fuzz targets and benches: each one
 * private (mkdtemp, mode 0700) and removed with everything in it
 * afterwards, also from a teardown after a failed assertion.
 *
 * Nothing here asserts: each call returns 0 or -errno and the caller
 * asserts, so the helpers serve cmocka tests and the rest alike.
 */
#ifndef PAWLINK_TEST_TMPDIR_H
#define PAWLINK_TEST_TMPDIR_H

#include <stdbool.h>
#include <stddef.h>

/* Where test_tmpdir() makes a directory. */
enum test_tmp_where {
	TEST_TMP_DISK,		/* /tmp */
	/*
	 * /dev/shm when writable, else /tmp: tmpfs for tests that fsync
	 * thousands of times and do not test the disk.
	 */
	TEST_TMP_FAST,
};

/* Makes a new directory pawlink-@name-XXXXXX into @dir.  0 or -errno. */
int test_tmpdir(char *dir, size_t cap, const char *name,
		enum test_tmp_where where);

/*
 * Removes @path and everything below it, never following a symbolic
 * link (one is removed as itself).  0, or -errno of the first failure
 * (-ENOENT when @path is not there).
 */
int test_rm_tree(const char *path);

/*
 * The entries of @dir besides "." and ".."; with @hidden false, only
 * those whose names do not start with a dot.  -errno if unreadable.
 */
long test_count_entries(const char *dir, bool hidden);

/* A private directory for one test, and the path of an air socket in it. */
struct test_dir {
	char dir[64];		/* "" when there is none */
	char sock[96];		/* dir/air.sock */
};

/* Makes /tmp/pawlink-air-XXXXXX.  0 or -errno. */
int test_dir_init(struct test_dir *t);
/* @out = dir/@name. */
void test_dir_file(const struct test_dir *t, const char *name, char *out,
		   size_t cap);
/*
 * Removes the directory and everything in it, once: a second call (the
 * teardown after the test did it) does nothing.  0, or -errno.
 */
int test_dir_remove(struct test_dir *t);

#endif /* PAWLINK_TEST_TMPDIR_H */

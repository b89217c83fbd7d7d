/* SPDX-License-Identifier: GPL-2.0 */
/*
 * dongle_fuzz's regression seeds: every seed that once showed a driver
 * bug, replayed first in every run, forever.  One line each: the seed and
 * what it found (and the commit that fixed it).  Add a failing seed here
 * when its fix lands (Documentation/testing.rst, "The fuzzing dongle").
 */
#ifndef PAWLINK_KTEST_DONGLE_FUZZ_SEEDS_H
#define PAWLINK_KTEST_DONGLE_FUZZ_SEEDS_H

#include <stdint.h>

struct fuzz_regression {
	uint64_t seed;
	const char *found;
};

/* Ends with an entry whose @found is NULL. */
static const struct fuzz_regression fuzz_regressions[] = {
	{ 0, NULL },
};

#endif /* PAWLINK_KTEST_DONGLE_FUZZ_SEEDS_H */

/* SPDX-License-Identifier: GPL-2.0 */
/*
 * dongle_fuzz's regression seeds: every seed that once showed a bug (the
 * driver's, or the test rig's), replayed first in every run, forever.  One
 * line each: the seed and what it found (and the commit that fixed it).
 * Add a failing seed here when its fix lands (Documentation/testing.rst,
 * "The fuzzing dongle").
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
	/*
	 * Not a driver bug: the test rig's.  At super speed, after a
	 * FunctionFS dongle on the same UDC, raw gadget's EP_ENABLE had
	 * dummy_hcd read a freed SuperSpeed companion descriptor (KASAN);
	 * fixed by tests/kernel/debug-patches/0002.
	 */
	{ 2045924324739138ULL, "KASAN use-after-free in dummy_enable() at super speed (stale usb_ep.comp_desc)" },
	{ 2045924324739139ULL, "the same, on the second UDC" },
	{ 0, NULL },
};

#endif /* PAWLINK_KTEST_DONGLE_FUZZ_SEEDS_H */

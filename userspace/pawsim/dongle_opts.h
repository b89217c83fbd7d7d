/* SPDX-License-Identifier: GPL-2.0 */
/* pawsim dongle: the command line (see "pawsim dongle --help"). */
#ifndef PAWSIM_DONGLE_OPTS_H
#define PAWSIM_DONGLE_OPTS_H

#include <stdbool.h>
#include <stdint.h>

#include <linux/pawlink.h>

#include "dongle_fault.h"

#define DONGLE_DEFAULT_NAME	"pawlink0"

/*
 * --supervision: a link whose toy is silent this long is lost.  The toy
 * beacons every 200 ms whatever it does (TOY_BEACON_US), so 2 s is ten
 * beacons missed: a toy switched off, not one a loaded machine ran late.
 */
#define DONGLE_SUPERVISION_DEFAULT_MS	2000
#define DONGLE_SUPERVISION_MIN_MS	100
#define DONGLE_SUPERVISION_MAX_MS	60000

struct dongle_opts {
	const char *name;
	const char *udc;		/* NULL: the first free one */
	uint8_t id[PAWLINK_ID_LEN];
	bool id_given;
	const char *air;		/* NULL: the loopback far side */
	enum dongle_fault_mode fault;
	const char *log;		/* DONGLE_FAULT_LOG: the file */
	const char *trace;		/* --trace FILE, or NULL */
	unsigned int supervision_ms;	/* --supervision; 0: never */
	bool supervision_given;
	unsigned long vanish_after;
	bool vanish_after_given;
	bool background;
	const char *pidfile;
	bool cleanup;
	bool fuzz;			/* --fuzz SEED: the fuzzing dongle */
	uint64_t fuzz_seed;
	bool verbose;
};

/*
 * Fills @o from the command line.  Returns 0, or PAWSIM_EXIT_USAGE after
 * saying what is wrong; --help prints the usage and exits 0.
 */
int dongle_opts_parse(int argc, char *argv[], struct dongle_opts *o);

/* A random dongle id, never one of those reserved on the air. */
void dongle_opts_random_id(uint8_t id[PAWLINK_ID_LEN]);

#endif /* PAWSIM_DONGLE_OPTS_H */

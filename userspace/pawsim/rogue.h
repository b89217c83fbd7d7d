/* SPDX-License-Identifier: GPL-2.0 */
/*
 * `pawsim rogue`: the attacker's radio for security tests
 * (Documentation/air.rst, "The rogue radio").  One file per subcommand;
 * this header is what they share: the common options, joining the air,
 * stopping on a signal and reporting counts.
 */
#ifndef PAWSIM_ROGUE_H
#define PAWSIM_ROGUE_H

#include <getopt.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include <linux/pawlink.h>

#include "radio.h"

/* Beyond the PAWSIM_EXIT_* codes: brute-force paired with the toy. */
#define ROGUE_EXIT_PAIRED	3

/* Options every subcommand takes. */
struct rogue_common {
	const char *socket;		/* --socket PATH, required */
	uint8_t id[PAWLINK_ID_LEN];	/* --id HEX, else random */
	bool have_id;
	bool json;			/* --json */
	int ready_fd;			/* --ready-fd FD, or -1 */
};

enum {
	ROGUE_OPT_SOCKET = 0x100,
	ROGUE_OPT_ID,
	ROGUE_OPT_JSON,
	ROGUE_OPT_READY_FD,
	ROGUE_OPT_PRIVATE,		/* a subcommand's own options from here */
};

#define ROGUE_COMMON_LONGOPTS						\
	{ "socket", required_argument, NULL, ROGUE_OPT_SOCKET },	\
	{ "id", required_argument, NULL, ROGUE_OPT_ID },		\
	{ "json", no_argument, NULL, ROGUE_OPT_JSON },			\
	{ "ready-fd", required_argument, NULL, ROGUE_OPT_READY_FD },	\
	{ "help", no_argument, NULL, 'h' }

/* The common options' help text, for each subcommand's usage. */
#define ROGUE_COMMON_HELP						\
	"  --socket PATH  the air to join (required)\n"			\
	"  --id HEX       this radio's own id, 16 hex digits (default: random)\n" \
	"  --json         print the counts as one line of JSON on stdout\n" \
	"  --ready-fd FD  once on the air, write \"ready\\n\" to FD and close it\n"

/* One named count in the report. */
struct rogue_count {
	const char *name;
	uint64_t value;
};

/* What rogue_parse_args() needs to know of one subcommand. */
struct rogue_args {
	const char *cmd;		/* "sniff", ... */
	const struct option *longopts;	/* ROGUE_COMMON_LONGOPTS, then its own */
	void (*usage)(FILE *out);
	/*
	 * One of its own options (ROGUE_OPT_PRIVATE and up) into @opts: 0, or
	 * PAWSIM_EXIT_USAGE after printing why its value is bad.
	 */
	int (*option)(void *opts, int opt, const char *arg);
};

/* rogue_parse_args(): the command line is good, go on. */
#define ROGUE_ARGS_PARSED	(-1)

/*
 * Parses the whole command line: the common options into @c, the
 * subcommand's own into @opts, --help, and no operands allowed.
 * ROGUE_ARGS_PARSED, else the exit status: PAWSIM_EXIT_OK after --help,
 * PAWSIM_EXIT_USAGE after saying what is wrong.
 */
int rogue_parse_args(const struct rogue_args *a, int argc, char *argv[],
		     struct rogue_common *c, void *opts);
/* After parsing: --socket given (else PAWSIM_EXIT_USAGE), id chosen. */
int rogue_common_finish(struct rogue_common *c);

/*
 * Joins the air with @flags, takes the id, then signals --ready-fd.
 * Prints the reason and returns -errno on failure.
 */
int rogue_join(const struct rogue_common *c, unsigned int flags,
	       struct radio **r);

/* SIGINT and SIGTERM set rogue_stop and interrupt a wait (-EINTR). */
extern volatile sig_atomic_t rogue_stop;
int rogue_catch_signals(void);

/*
 * The result: JSON {"command":CMD,"NAME":VALUE,...} on stdout with --json,
 * else one human line on stderr.  PAWSIM_EXIT_RUNTIME if stdout fails,
 * else @exit_code.
 */
int rogue_report(const struct rogue_common *c, const char *cmd,
		 const struct rogue_count *counts, unsigned int n,
		 int exit_code);

int rogue_sniff_main(int argc, char *argv[]);
int rogue_replay_main(int argc, char *argv[]);
int rogue_inject_main(int argc, char *argv[]);
int rogue_spoof_beacon_main(int argc, char *argv[]);
int rogue_brute_force_main(int argc, char *argv[]);

#endif /* PAWSIM_ROGUE_H */

// SPDX-License-Identifier: GPL-2.0
/* `pawsim rogue`: picks the subcommand; each lives in its own file. */
#include <stdio.h>
#include <string.h>

#include "pawsim.h"
#include "rogue.h"

struct rogue_command {
	const char *name;
	int (*main)(int argc, char *argv[]);
	const char *summary;
};

static const struct rogue_command commands[] = {
	{ "sniff", rogue_sniff_main, "capture every frame into a pcap file" },
	{ "replay", rogue_replay_main, "send captured frames again, byte for byte" },
	{ "inject", rogue_inject_main, "send a forged frame" },
	{ "spoof-beacon", rogue_spoof_beacon_main, "beacon as if it were a toy" },
	{ "brute-force", rogue_brute_force_main,
	  "try pairing with a toy using many setup codes" },
};

#define NUM_COMMANDS (sizeof(commands) / sizeof(commands[0]))

static void usage(FILE *out)
{
	size_t i;

	fprintf(out, "Usage: pawsim rogue <command> --socket PATH [options]\n\n"
		"An attacker's radio on the simulated air.  Commands:\n");
	for (i = 0; i < NUM_COMMANDS; i++)
		fprintf(out, "  %-13s %s\n", commands[i].name,
			commands[i].summary);
	fprintf(out, "\nRun 'pawsim rogue <command> --help' for its options.\n"
		"Exit status: 0 success, 1 usage error, 2 runtime error,\n"
		"3 brute-force paired with the toy.\n");
}

int pawsim_rogue_main(int argc, char *argv[])
{
	size_t i;

	if (argc < 2) {
		usage(stderr);
		return PAWSIM_EXIT_USAGE;
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
		usage(stdout);
		return PAWSIM_EXIT_OK;
	}
	for (i = 0; i < NUM_COMMANDS; i++) {
		if (!strcmp(argv[1], commands[i].name)) {
			char prog[32];

			snprintf(prog, sizeof(prog), "rogue %s",
				 commands[i].name);
			pawsim_set_prog(prog);
			return commands[i].main(argc - 1, argv + 1);
		}
	}
	fprintf(stderr, "pawsim rogue: unknown command '%s'\n", argv[1]);
	usage(stderr);
	return PAWSIM_EXIT_USAGE;
}

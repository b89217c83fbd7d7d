// SPDX-License-Identifier: GPL-2.0
/*
 * pawsim dongle: the command line.  Checks every option strictly and says
 * what is wrong; nothing here touches the system.
 */
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "air_args.h"
#include "air_frame.h"
#include "dongle_gadget.h"
#include "dongle_opts.h"
#include "pawsim.h"
#include "bytes.h"

static void usage(FILE *out)
{
	fprintf(out,
"Usage: pawsim dongle [options]\n"
"\n"
"Runs a virtual pawlink radio dongle (USB 1209:0001) as a FunctionFS gadget\n"
"on a UDC such as dummy_hcd's, until SIGTERM or SIGINT.  Needs root.\n"
"\n"
"Options:\n"
"  -n, --name NAME         gadget and functionfs name (default "
	DONGLE_DEFAULT_NAME ")\n"
"  -u, --udc UDC           bind to this UDC (default: the first free one\n"
"                          in /sys/class/udc)\n"
"  -i, --id HEX            dongle id, 16 hex digits (default: random)\n"
"  -a, --air SOCKET        relay to the simulated air of the `pawsim air`\n"
"                          listening at SOCKET, as radio --id (default: the\n"
"                          loopback, which echoes every record and hears\n"
"                          one fixed toy)\n"
"      --supervision MS    with --air: a link whose toy is not heard (no\n"
"                          beacon, no data) for MS ms is lost, as a radio's\n"
"                          supervision timeout; 0: never (default %d)\n"
"  -f, --fault MODE        misbehave on purpose: %s\n"
"      --vanish-after N    with --fault vanish: vanish on the N-th record\n"
"                          received (default 1)\n"
"      --fuzz SEED         the fuzzing dongle: one iteration of the mutation\n"
"                          engine from SEED (0 to 2^64-1) on the kernel's raw\n"
"                          gadget, unplugged at the seeded point; takes only\n"
"                          --udc and --verbose\n"
"      --trace FILE        one line per record moved over USB, with its\n"
"                          CLOCK_MONOTONIC times, header counter and size\n"
"                          (for latency benches; no body byte is written)\n"
"  -b, --background        go to the background once the gadget is bound\n"
"                          (needs --pidfile)\n"
"  -p, --pidfile FILE      write the dongle's pid to FILE (removed on exit)\n"
"      --cleanup           remove a gadget of this name left behind by a\n"
"                          dongle that did not clean up, then exit (a new\n"
"                          dongle of that name does this by itself)\n"
"  -v, --verbose           log every record and control request\n"
"  -h, --help              show this help\n"
"\n"
"Documentation/usb-interface.rst describes the interface and each fault.\n"
"Exit status: 0 success, 1 usage error, 2 runtime error.\n",
		DONGLE_SUPERVISION_DEFAULT_MS, dongle_fault_names());
}

/* ---- options ---------------------------------------------------------------- */

int dongle_opts_parse(int argc, char *argv[], struct dongle_opts *o)
{
	enum { OPT_VANISH_AFTER = 256, OPT_CLEANUP, OPT_TRACE,
	       OPT_SUPERVISION, OPT_FUZZ };
	static const struct option longopts[] = {
		{ "name", required_argument, NULL, 'n' },
		{ "udc", required_argument, NULL, 'u' },
		{ "id", required_argument, NULL, 'i' },
		{ "air", required_argument, NULL, 'a' },
		{ "fault", required_argument, NULL, 'f' },
		{ "vanish-after", required_argument, NULL, OPT_VANISH_AFTER },
		{ "trace", required_argument, NULL, OPT_TRACE },
		{ "fuzz", required_argument, NULL, OPT_FUZZ },
		{ "supervision", required_argument, NULL, OPT_SUPERVISION },
		{ "background", no_argument, NULL, 'b' },
		{ "pidfile", required_argument, NULL, 'p' },
		{ "cleanup", no_argument, NULL, OPT_CLEANUP },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	uint64_t count;
	int c;

	memset(o, 0, sizeof(*o));
	o->name = DONGLE_DEFAULT_NAME;
	o->vanish_after = 1;
	o->supervision_ms = DONGLE_SUPERVISION_DEFAULT_MS;

	while ((c = getopt_long(argc, argv, "n:u:i:a:f:bp:vh", longopts,
				NULL)) != -1) {
		switch (c) {
		case 'n':
			o->name = optarg;
			break;
		case 'u':
			o->udc = optarg;
			break;
		case 'i':
			if (pawlink_hex_decode(o->id, sizeof(o->id), optarg,
					       strlen(optarg))) {
				pawsim_msg("--id wants exactly 16 hex digits, "
					   "not '%s'", optarg);
				return PAWSIM_EXIT_USAGE;
			}
			if (!air_id_is_radio(o->id)) {
				pawsim_msg("--id %s is reserved (all zeros "
					   "or all ff)", optarg);
				return PAWSIM_EXIT_USAGE;
			}
			o->id_given = true;
			break;
		case 'a':
			if (!optarg[0]) {
				pawsim_msg("--air wants the path of a "
					   "`pawsim air` socket");
				return PAWSIM_EXIT_USAGE;
			}
			o->air = optarg;
			break;
		case 'f':
			/* The attacker's log: --fault log=FILE. */
			if (!strncmp(optarg, "log=", 4) && optarg[4]) {
				o->fault = DONGLE_FAULT_LOG;
				o->log = optarg + 4;
				break;
			}
			if (dongle_fault_parse(optarg, &o->fault) ||
			    o->fault == DONGLE_FAULT_NONE ||
			    o->fault == DONGLE_FAULT_LOG) {
				pawsim_msg("unknown --fault '%s'; one of: %s",
					   optarg, dongle_fault_names());
				return PAWSIM_EXIT_USAGE;
			}
			break;
		case OPT_VANISH_AFTER:
			if (pawlink_decimal_parse(optarg, &count) || !count ||
			    count > ULONG_MAX) {
				pawsim_msg("--vanish-after wants a count of "
					   "at least 1, not '%s'", optarg);
				return PAWSIM_EXIT_USAGE;
			}
			o->vanish_after = (unsigned long)count;
			o->vanish_after_given = true;
			break;
		case OPT_SUPERVISION:
			if (pawlink_decimal_parse(optarg, &count) ||
			    (count && count < DONGLE_SUPERVISION_MIN_MS) ||
			    count > DONGLE_SUPERVISION_MAX_MS) {
				pawsim_msg("--supervision wants 0 or %d to %d "
					   "ms, not '%s'",
					   DONGLE_SUPERVISION_MIN_MS,
					   DONGLE_SUPERVISION_MAX_MS, optarg);
				return PAWSIM_EXIT_USAGE;
			}
			o->supervision_ms = (unsigned int)count;
			o->supervision_given = true;
			break;
		case OPT_TRACE:
			if (!optarg[0]) {
				pawsim_msg("--trace wants a file name");
				return PAWSIM_EXIT_USAGE;
			}
			o->trace = optarg;
			break;
		case OPT_FUZZ:
			if (pawlink_decimal_parse(optarg, &o->fuzz_seed)) {
				pawsim_msg("--fuzz wants a decimal seed, 0 to "
					   "%llu, not '%s'",
					   (unsigned long long)UINT64_MAX, optarg);
				return PAWSIM_EXIT_USAGE;
			}
			o->fuzz = true;
			break;
		case 'b':
			o->background = true;
			break;
		case 'p':
			o->pidfile = optarg;
			break;
		case OPT_CLEANUP:
			o->cleanup = true;
			break;
		case 'v':
			o->verbose = true;
			break;
		case 'h':
			usage(stdout);
			exit(PAWSIM_EXIT_OK);
		default:
			usage(stderr);
			return PAWSIM_EXIT_USAGE;
		}
	}

	if (optind < argc) {
		pawsim_msg("unexpected argument '%s'", argv[optind]);
		return PAWSIM_EXIT_USAGE;
	}
	if (!dongle_gadget_name_ok(o->name)) {
		pawsim_msg("--name wants 1 to %d of A-Z a-z 0-9 _ -, not '%s'",
			   DONGLE_NAME_MAX, o->name);
		return PAWSIM_EXIT_USAGE;
	}
	if (o->udc && (!o->udc[0] || strchr(o->udc, '/') ||
		       strlen(o->udc) >= DONGLE_UDC_MAX)) {
		pawsim_msg("--udc wants a name from /sys/class/udc, not '%s'",
			   o->udc);
		return PAWSIM_EXIT_USAGE;
	}
	if (o->vanish_after_given && o->fault != DONGLE_FAULT_VANISH) {
		pawsim_msg("--vanish-after only goes with --fault vanish");
		return PAWSIM_EXIT_USAGE;
	}
	/* The log only records: the loopback's traffic is worth one too. */
	if (o->fault > DONGLE_FAULT_LOG && !o->air) {
		pawsim_msg("--fault %s goes with --air: the loopback has no "
			   "session to attack", dongle_fault_name(o->fault));
		return PAWSIM_EXIT_USAGE;
	}
	if (o->supervision_given && !o->air) {
		pawsim_msg("--supervision goes with --air: the loopback's toy "
			   "is always there");
		return PAWSIM_EXIT_USAGE;
	}
	if (o->background && !o->pidfile) {
		pawsim_msg("--background needs --pidfile, or nobody could "
			   "stop the dongle");
		return PAWSIM_EXIT_USAGE;
	}
	if (o->fuzz && (o->background || o->pidfile || o->fault ||
			o->id_given || o->air || o->cleanup || o->trace ||
			o->supervision_given ||
			strcmp(o->name, DONGLE_DEFAULT_NAME))) {
		pawsim_msg("--fuzz takes only --udc and --verbose");
		return PAWSIM_EXIT_USAGE;
	}
	if (o->cleanup && (o->background || o->pidfile || o->fault ||
			   o->id_given || o->udc || o->air)) {
		pawsim_msg("--cleanup takes only --name");
		return PAWSIM_EXIT_USAGE;
	}
	return 0;
}

void dongle_opts_random_id(uint8_t id[PAWLINK_ID_LEN])
{
	do
		randombytes_buf(id, PAWLINK_ID_LEN);
	while (!air_id_is_radio(id));
}

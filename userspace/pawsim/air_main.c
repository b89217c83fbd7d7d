// SPDX-License-Identifier: GPL-2.0
/* `pawsim air`: command line of the simulated air (Documentation/air.rst). */
#include <errno.h>
#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "bytes.h"
#include "air_args.h"
#include "air_json.h"
#include "air_server.h"
#include "pawsim.h"
#include "radio.h"

#define PPM_PER_PCT	10000ULL

static void usage(FILE *out)
{
	fprintf(out,
		"Usage: pawsim air --socket PATH [--rate BPS] [--latency MS] [--loss PCT]\n"
		"                  [--seed N] [--json] [--ready-fd FD]\n"
		"       pawsim air --socket PATH --stats\n\n"
		"Runs the simulated air on a UNIX SOCK_SEQPACKET socket until SIGINT or\n"
		"SIGTERM.  Every radio on the air hears every frame but its own.\n\n"
		"  --socket PATH  where radios join\n"
		"  --rate BPS     bit rate of the shared air (default 2M; suffixes k, M, G)\n"
		"  --latency MS   from the end of a frame to its arrival (default 1)\n"
		"  --loss PCT     chance that one receiver misses one frame (default 0)\n"
		"  --seed N       seed of the loss model (default 0)\n"
		"  --json         on exit, print the air's counters as JSON on stdout\n"
		"  --ready-fd FD  once radios can join, write \"ready\\n\" to FD, close it\n"
		"  --stats        print the running air's counters as JSON, then exit\n\n"
		"Exit status: 0 success, 1 usage error, 2 runtime error.\n");
}

/* Joins the air briefly and prints its counters. */
static int query_stats(const char *path)
{
	struct air_stats st;
	struct radio *r;
	int rc;

	rc = radio_open(path, 0, &r);
	if (rc) {
		pawsim_msg("cannot join the air at %s: %s", path, strerror(-rc));
		return PAWSIM_EXIT_RUNTIME;
	}
	rc = radio_air_stats(r, &st);
	radio_close(r);
	if (rc) {
		pawsim_msg("no stats from the air at %s: %s", path,
			   strerror(-rc));
		return PAWSIM_EXIT_RUNTIME;
	}
	air_stats_print_json(stdout, &st);
	return fflush(stdout) ? PAWSIM_EXIT_RUNTIME : PAWSIM_EXIT_OK;
}

int pawsim_air_main(int argc, char *argv[])
{
	static const struct option longopts[] = {
		{ "socket", required_argument, NULL, 's' },
		{ "rate", required_argument, NULL, 'r' },
		{ "latency", required_argument, NULL, 'l' },
		{ "loss", required_argument, NULL, 'p' },
		{ "seed", required_argument, NULL, 'S' },
		{ "json", no_argument, NULL, 'j' },
		{ "ready-fd", required_argument, NULL, 'f' },
		{ "stats", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct air_server_opts opts = { .ready_fd = -1 };
	bool json = false, stats = false;
	struct air_stats final;
	uint64_t v;
	int c, rc;

	air_config_init(&opts.cfg);
	while ((c = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		switch (c) {
		case 's':
			opts.path = optarg;
			break;
		case 'r':
			if (air_arg_rate(optarg, &v) || v < 1 || v > AIR_RATE_MAX)
				return pawsim_usage_error("bad --rate '%s' (1 .. 10G bit/s)",
							  optarg);
			opts.cfg.rate_bps = v;
			break;
		case 'l':
			if (air_arg_fixed(optarg, 6, &v) ||
			    v > AIR_LATENCY_MAX)
				return pawsim_usage_error("bad --latency '%s' (0 .. 10000 ms)",
							  optarg);
			opts.cfg.latency_ns = v;
			break;
		case 'p':
			if (air_arg_fixed(optarg, 4, &v) ||
			    v > 100 * PPM_PER_PCT)
				return pawsim_usage_error("bad --loss '%s' (0 .. 100 %%)",
							  optarg);
			opts.cfg.loss_ppm = (uint32_t)v;
			break;
		case 'S':
			if (pawlink_decimal_parse(optarg, &opts.cfg.seed))
				return pawsim_usage_error("bad --seed '%s'",
							  optarg);
			break;
		case 'j':
			json = true;
			break;
		case 'f':
			if (air_arg_fd(optarg, &opts.ready_fd))
				return pawsim_usage_error("bad --ready-fd '%s'",
							  optarg);
			break;
		case 'q':
			stats = true;
			break;
		case 'h':
			usage(stdout);
			return PAWSIM_EXIT_OK;
		default:
			return pawsim_usage_error("bad option");
		}
	}
	if (optind != argc)
		return pawsim_usage_error("unexpected argument '%s'",
					  argv[optind]);
	if (!opts.path)
		return pawsim_usage_error("--socket PATH is required");
	if (stats)
		return query_stats(opts.path);

	rc = air_server_run(&opts, &final);
	if (rc)
		return PAWSIM_EXIT_RUNTIME;
	if (json) {
		air_stats_print_json(stdout, &final);
		if (fflush(stdout))
			return PAWSIM_EXIT_RUNTIME;
	}
	return PAWSIM_EXIT_OK;
}

// SPDX-License-Identifier: GPL-2.0
/*
 * `pawsim rogue sniff`: a promiscuous radio that writes every frame it
 * hears, stamped with air time, into a pcap file (sim/capture.h).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "bytes.h"
#include "capture.h"
#include "air_args.h"
#include "pawsim.h"
#include "rogue.h"

#define CMD		"sniff"

enum { OPT_OUT = ROGUE_OPT_PRIVATE, OPT_COUNT, OPT_DURATION };

static void usage(FILE *out)
{
	fprintf(out,
		"Usage: pawsim rogue sniff --socket PATH --out FILE [--count N]\n"
		"                          [--duration MS] [common options]\n\n"
		"Captures every frame on the air, whoever it is for, into FILE (pcap,\n"
		"link type USER0, nanosecond air-time stamps).  Stops after N frames,\n"
		"after MS of air time, or on SIGINT/SIGTERM.\n\n"
		"  --out FILE     the capture file (replaced)\n"
		"  --count N      stop after N frames\n"
		"  --duration MS  stop after MS milliseconds of air time\n"
		ROGUE_COMMON_HELP
		"\nCounts: sent (0), heard.  Exit status: 0 stopped as asked,\n"
		"1 usage error, 2 the air went away or FILE could not be written.\n");
}

/* Writes what it hears until told to stop; the PAWSIM_EXIT_* code. */
static int capture(struct radio *r, FILE *out, uint64_t count,
		   uint64_t duration_ns, uint64_t *heard)
{
	static struct radio_rx rx;
	uint64_t end = duration_ns ? radio_now(r) + duration_ns : 0;

	while (!rogue_stop && (!count || *heard < count)) {
		int rc;

		if (end && radio_now(r) >= end)
			break;
		rc = radio_recv_until(r, &rx, end ? end : UINT64_MAX);
		if (rc == -ETIMEDOUT || rc == -EINTR)
			continue;
		if (rc) {
			pawsim_msg("the air went away: %s", strerror(-rc));
			return PAWSIM_EXIT_RUNTIME;
		}
		if (air_capture_write_frame(out, rx.time_ns, rx.frame,
					    rx.len) || fflush(out)) {
			pawsim_msg("cannot write the capture: %s",
				   strerror(errno));
			return PAWSIM_EXIT_RUNTIME;
		}
		(*heard)++;
	}
	return PAWSIM_EXIT_OK;
}

struct sniff_opts {
	const char *path;		/* --out */
	uint64_t count;			/* --count, or 0 */
	uint64_t duration_ms;		/* --duration, or 0 */
};

static int sniff_option(void *opts, int opt, const char *arg)
{
	struct sniff_opts *o = opts;

	switch (opt) {
	case OPT_OUT:
		o->path = arg;
		return 0;
	case OPT_COUNT:
		if (pawlink_decimal_parse(arg, &o->count) || o->count == 0)
			return pawsim_usage_error("bad --count '%s'", arg);
		return 0;
	case OPT_DURATION:
		if (pawlink_decimal_parse(arg, &o->duration_ms) ||
		    o->duration_ms == 0 ||
		    o->duration_ms > UINT64_MAX / RADIO_NS_PER_MS)
			return pawsim_usage_error("bad --duration '%s'", arg);
		return 0;
	default:
		return pawsim_usage_error("bad option");
	}
}

static const struct option sniff_longopts[] = {
	ROGUE_COMMON_LONGOPTS,
	{ "out", required_argument, NULL, OPT_OUT },
	{ "count", required_argument, NULL, OPT_COUNT },
	{ "duration", required_argument, NULL, OPT_DURATION },
	{ NULL, 0, NULL, 0 },
};

static const struct rogue_args sniff_args = {
	.cmd = CMD,
	.longopts = sniff_longopts,
	.usage = usage,
	.option = sniff_option,
};

int rogue_sniff_main(int argc, char *argv[])
{
	struct rogue_count counts[] = { { "sent", 0 }, { "heard", 0 } };
	struct sniff_opts o = { 0 };
	struct rogue_common common;
	struct radio *r;
	FILE *out;
	int rc;

	rc = rogue_parse_args(&sniff_args, argc, argv, &common, &o);
	if (rc != ROGUE_ARGS_PARSED)
		return rc;
	if (!o.path)
		return pawsim_usage_error("--out FILE is required");
	rc = rogue_common_finish(&common);
	if (rc)
		return rc;

	out = fopen(o.path, "w");
	if (!out) {
		pawsim_msg("cannot create %s: %s", o.path, strerror(errno));
		return PAWSIM_EXIT_RUNTIME;
	}
	if (air_capture_write_header(out) || fflush(out)) {
		pawsim_msg("cannot write %s: %s", o.path, strerror(errno));
		rc = PAWSIM_EXIT_RUNTIME;
		goto out_close;
	}
	if (rogue_catch_signals() || rogue_join(&common, RADIO_PROMISC, &r)) {
		rc = PAWSIM_EXIT_RUNTIME;
		goto out_close;
	}
	rc = capture(r, out, o.count, o.duration_ms * RADIO_NS_PER_MS,
		     &counts[1].value);
	radio_close(r);
out_close:
	if (fclose(out) && rc == PAWSIM_EXIT_OK) {
		pawsim_msg("cannot write %s: %s", o.path, strerror(errno));
		rc = PAWSIM_EXIT_RUNTIME;
	}
	return rogue_report(&common, CMD, counts, 2, rc);
}

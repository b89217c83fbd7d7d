// SPDX-License-Identifier: GPL-2.0
/*
 * `pawsim rogue spoof-beacon`: beacons under a toy's id, as a toy would
 * (and with the pairing flag, as a toy with its window open would).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "bytes.h"
#include "air_args.h"
#include "pawsim.h"
#include "rogue.h"

#define CMD			"spoof-beacon"
#define INTERVAL_DEFAULT_MS	100

enum { OPT_TOY_ID = ROGUE_OPT_PRIVATE, OPT_PAIRING, OPT_COUNT, OPT_INTERVAL };

static void usage(FILE *out)
{
	fprintf(out,
		"Usage: pawsim rogue spoof-beacon --socket PATH --toy-id HEX [--pairing]\n"
		"                                 [--count N] [--interval MS] [common options]\n\n"
		"Sends beacons that claim to come from the toy HEX.\n\n"
		"  --toy-id HEX   the toy to pretend to be, 16 hex digits\n"
		"  --pairing      claim the toy's pairing window is open\n"
		"  --count N      send N beacons (default 1)\n"
		"  --interval MS  air time between them (default %d)\n"
		ROGUE_COMMON_HELP
		"\nCounts: sent, heard (frames heard between beacons).  Exit status:\n"
		"0 sent, 1 usage error, 2 the air went away.\n",
		INTERVAL_DEFAULT_MS);
}

/* Waits @ms of air time, counting what it hears meanwhile. */
static int wait_interval(struct radio *r, uint64_t ms, uint64_t *heard)
{
	static struct radio_rx rx;
	uint64_t end = radio_now(r) + ms * RADIO_NS_PER_MS;

	while (!rogue_stop) {
		uint64_t now = radio_now(r);
		int rc;

		if (now >= end)
			return 0;
		rc = radio_recv_until(r, &rx, end);
		if (rc == 0)
			(*heard)++;
		else if (rc != -ETIMEDOUT && rc != -EINTR)
			return rc;
	}
	return 0;
}

struct spoof_opts {
	uint8_t toy_id[PAWLINK_ID_LEN];	/* --toy-id */
	bool have_toy;
	uint8_t flags;			/* --pairing */
	uint64_t count;			/* --count */
	uint64_t interval;		/* --interval, ms */
};

static int spoof_option(void *opts, int opt, const char *arg)
{
	struct spoof_opts *o = opts;

	switch (opt) {
	case OPT_TOY_ID:
		if (air_arg_id(arg, o->toy_id) || !air_id_is_radio(o->toy_id))
			return pawsim_usage_error("bad --toy-id '%s' (16 hex digits, not all 0 or all f)",
						  arg);
		o->have_toy = true;
		return 0;
	case OPT_PAIRING:
		o->flags |= PAWLINK_BEACON_PAIRING;
		return 0;
	case OPT_COUNT:
		if (pawlink_decimal_parse(arg, &o->count) || o->count == 0)
			return pawsim_usage_error("bad --count '%s'", arg);
		return 0;
	case OPT_INTERVAL:
		if (pawlink_decimal_parse(arg, &o->interval) ||
		    o->interval > 3600 * 1000)
			return pawsim_usage_error("bad --interval '%s' (at most an hour)",
						  arg);
		return 0;
	default:
		return pawsim_usage_error("bad option");
	}
}

static const struct option spoof_longopts[] = {
	ROGUE_COMMON_LONGOPTS,
	{ "toy-id", required_argument, NULL, OPT_TOY_ID },
	{ "pairing", no_argument, NULL, OPT_PAIRING },
	{ "count", required_argument, NULL, OPT_COUNT },
	{ "interval", required_argument, NULL, OPT_INTERVAL },
	{ NULL, 0, NULL, 0 },
};

static const struct rogue_args spoof_args = {
	.cmd = CMD,
	.longopts = spoof_longopts,
	.usage = usage,
	.option = spoof_option,
};

int rogue_spoof_beacon_main(int argc, char *argv[])
{
	struct rogue_count counts[] = { { "sent", 0 }, { "heard", 0 } };
	struct spoof_opts o = { .count = 1, .interval = INTERVAL_DEFAULT_MS };
	uint8_t frame[PAWLINK_AIR_FRAME_MAX];
	struct rogue_common common;
	struct radio *r;
	uint64_t i;
	size_t len;
	int rc;

	rc = rogue_parse_args(&spoof_args, argc, argv, &common, &o);
	if (rc != ROGUE_ARGS_PARSED)
		return rc;
	if (!o.have_toy)
		return pawsim_usage_error("--toy-id HEX is required");
	/* Unless told otherwise, the radio goes by the toy's id too. */
	if (!common.have_id) {
		memcpy(common.id, o.toy_id, PAWLINK_ID_LEN);
		common.have_id = true;
	}
	rc = rogue_common_finish(&common);
	if (rc)
		return rc;

	len = air_frame_build_beacon(frame, sizeof(frame), o.toy_id,
				     o.flags);
	if (rogue_catch_signals() || rogue_join(&common, 0, &r))
		return rogue_report(&common, CMD, counts, 2,
				    PAWSIM_EXIT_RUNTIME);
	rc = 0;
	for (i = 0; i < o.count && !rogue_stop && !rc; i++) {
		if (i)
			rc = wait_interval(r, o.interval, &counts[1].value);
		if (!rc)
			rc = radio_send_frame(r, frame, len);
		if (!rc)
			counts[0].value++;
	}
	radio_close(r);
	if (rc)
		pawsim_msg("the air went away: %s", strerror(-rc));
	return rogue_report(&common, CMD, counts, 2,
			    rc ? PAWSIM_EXIT_RUNTIME : PAWSIM_EXIT_OK);
}

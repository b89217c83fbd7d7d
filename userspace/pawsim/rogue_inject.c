// SPDX-License-Identifier: GPL-2.0
/*
 * `pawsim rogue inject`: forges one frame, any source, any record header
 * and body, and sends it @count times.  --raw sends bytes the air is
 * expected to refuse, to test its checks.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "bytes.h"
#include "byteorder.h"
#include "air_sock.h"
#include "air_args.h"
#include "pawsim.h"
#include "rogue.h"

#define CMD	"inject"

enum {
	OPT_TYPE = ROGUE_OPT_PRIVATE, OPT_SRC, OPT_DST, OPT_PAYLOAD, OPT_BODY,
	OPT_CHANNEL, OPT_EPOCH, OPT_COUNTER, OPT_FLAGS, OPT_RAW, OPT_COUNT,
};

struct forge {
	int type;			/* PAWLINK_AIR_*, 0 until given */
	bool have_src, have_dst, have_payload, have_body, have_flags;
	uint8_t src[PAWLINK_ID_LEN], dst[PAWLINK_ID_LEN];
	uint8_t payload[PAWLINK_RECORD_MAX];
	size_t payload_len;
	uint64_t channel, epoch, counter, flags;
	uint8_t raw[AIR_MSG_FRAME_MAX];
	size_t raw_len;			/* > 0 with --raw */
};

static void usage(FILE *out)
{
	fprintf(out,
		"Usage: pawsim rogue inject --socket PATH --type beacon|data --src HEX\n"
		"                           [--dst HEX] [payload] [--count N] [common options]\n"
		"       pawsim rogue inject --socket PATH --raw HEX [--count N]\n\n"
		"Sends a forged frame.  The payload is either given whole, or built:\n\n"
		"  --payload HEX   the whole payload: a beacon's 9 bytes, or a data\n"
		"                  frame's record (16-byte header, then body)\n"
		"  --body HEX      data: build the record around this body, with\n"
		"  --channel N       the header's channel (default 0),\n"
		"  --epoch N         epoch (default 0) and\n"
		"  --counter N       counter (default 0); its length is the body's\n"
		"  --flags N       beacon: build it from --src and these flags (default 0)\n"
		"  --dst HEX       data: required; beacon: default broadcast\n"
		"  --raw HEX       these bytes as the whole frame, not checked here\n"
		"  --count N       send it N times (default 1)\n"
		ROGUE_COMMON_HELP
		"\nThe frame must be one the air accepts (Documentation/air.rst), except\n"
		"with --raw.  Counts: sent, heard (0).  Exit status: 0 sent, 1 usage\n"
		"error or a frame the air would refuse, 2 the air went away.\n");
}

/* The frame the options describe, into @frame; its length or 0. */
static size_t build(const struct forge *fg, uint8_t *frame)
{
	uint8_t payload[PAWLINK_RECORD_MAX];
	const uint8_t *dst = fg->have_dst ? fg->dst : air_broadcast_id;
	size_t len = fg->payload_len;

	if (fg->have_payload) {
		memcpy(payload, fg->payload, len);
	} else if (fg->type == PAWLINK_AIR_DATA) {
		/* fg->payload holds the body; put the header in front. */
		payload[0] = PAWLINK_REC_VERSION;
		payload[1] = (uint8_t)fg->channel;
		pawlink_store_le16(payload + 2, (uint16_t)len);
		pawlink_store_le32(payload + 4, (uint32_t)fg->epoch);
		pawlink_store_le64(payload + 8, fg->counter);
		memcpy(payload + PAWLINK_REC_HDR_LEN, fg->payload, len);
		len += PAWLINK_REC_HDR_LEN;
	} else {
		memcpy(payload, fg->src, PAWLINK_ID_LEN);
		payload[PAWLINK_ID_LEN] = (uint8_t)fg->flags;
		len = PAWLINK_AIR_BEACON_LEN;
	}
	return air_frame_build(frame, PAWLINK_AIR_FRAME_MAX, (uint8_t)fg->type,
			       fg->src, dst, payload, len);
}

/* Checks the options fit together; 0 or PAWSIM_EXIT_USAGE. */
static int check_forge(const struct forge *fg)
{
	if (fg->raw_len) {
		if (fg->type || fg->have_src || fg->have_dst ||
		    fg->have_payload || fg->have_body || fg->have_flags)
			return pawsim_usage_error("--raw takes no other frame option");
		return 0;
	}
	if (!fg->type)
		return pawsim_usage_error("--type beacon|data is required");
	if (!fg->have_src)
		return pawsim_usage_error("--src HEX is required");
	if (fg->have_payload && (fg->have_body || fg->have_flags))
		return pawsim_usage_error("--payload replaces --body and --flags");
	if (fg->type == PAWLINK_AIR_DATA && !fg->have_dst)
		return pawsim_usage_error("a data frame needs --dst HEX");
	if (fg->type == PAWLINK_AIR_DATA && !fg->have_payload && !fg->have_body)
		return pawsim_usage_error("a data frame needs --payload or --body");
	if (fg->type == PAWLINK_AIR_BEACON && fg->have_body)
		return pawsim_usage_error("--body is for data frames");
	if (fg->type == PAWLINK_AIR_DATA && fg->have_flags)
		return pawsim_usage_error("--flags is for beacons");
	return 0;
}

/* One option of the frame; 0 or PAWSIM_EXIT_USAGE. */
static int forge_option(struct forge *fg, int opt, const char *arg)
{
	uint64_t *num = NULL, max = 0;
	const char *name = "";

	switch (opt) {
	case OPT_TYPE:
		if (!strcmp(arg, "beacon"))
			fg->type = PAWLINK_AIR_BEACON;
		else if (!strcmp(arg, "data"))
			fg->type = PAWLINK_AIR_DATA;
		else
			return pawsim_usage_error("bad --type '%s' (beacon or data)",
						  arg);
		return 0;
	case OPT_SRC:
	case OPT_DST:
		if (air_arg_id(arg, opt == OPT_SRC ? fg->src : fg->dst))
			return pawsim_usage_error("bad --%s '%s' (16 hex digits)",
						  opt == OPT_SRC ? "src" : "dst", arg);
		*(opt == OPT_SRC ? &fg->have_src : &fg->have_dst) = true;
		return 0;
	case OPT_PAYLOAD:
	case OPT_BODY:
		/* A body leaves room for the record header. */
		if (air_arg_hex(arg, fg->payload,
				opt == OPT_PAYLOAD ? PAWLINK_RECORD_MAX :
				PAWLINK_RECORD_MAX - PAWLINK_REC_HDR_LEN,
				&fg->payload_len))
			return pawsim_usage_error("bad --%s (even number of hex digits, at most %u bytes)",
						  opt == OPT_PAYLOAD ? "payload" : "body",
						  opt == OPT_PAYLOAD ? PAWLINK_RECORD_MAX :
						  PAWLINK_RECORD_MAX - PAWLINK_REC_HDR_LEN);
		*(opt == OPT_PAYLOAD ? &fg->have_payload : &fg->have_body) = true;
		return 0;
	case OPT_RAW:
		if (air_arg_hex(arg, fg->raw, sizeof(fg->raw), &fg->raw_len) ||
		    fg->raw_len == 0)
			return pawsim_usage_error("bad --raw (1 to %u bytes of hex)",
						  AIR_MSG_FRAME_MAX);
		return 0;
	case OPT_CHANNEL:
		num = &fg->channel, max = UINT8_MAX, name = "channel";
		break;
	case OPT_EPOCH:
		num = &fg->epoch, max = UINT32_MAX, name = "epoch";
		break;
	case OPT_COUNTER:
		num = &fg->counter, max = UINT64_MAX, name = "counter";
		break;
	case OPT_FLAGS:
		num = &fg->flags, max = UINT8_MAX, name = "flags";
		fg->have_flags = true;
		break;
	default:
		return pawsim_usage_error("bad option");
	}
	if (pawlink_decimal_parse(arg, num) || *num > max)
		return pawsim_usage_error("bad --%s '%s'", name, arg);
	return 0;
}

struct inject_opts {
	struct forge fg;
	uint64_t count;			/* --count */
};

static int inject_option(void *opts, int opt, const char *arg)
{
	struct inject_opts *o = opts;

	if (opt != OPT_COUNT)
		return forge_option(&o->fg, opt, arg);
	if (pawlink_decimal_parse(arg, &o->count) || o->count == 0)
		return pawsim_usage_error("bad --count '%s'", arg);
	return 0;
}

static const struct option inject_longopts[] = {
	ROGUE_COMMON_LONGOPTS,
	{ "type", required_argument, NULL, OPT_TYPE },
	{ "src", required_argument, NULL, OPT_SRC },
	{ "dst", required_argument, NULL, OPT_DST },
	{ "payload", required_argument, NULL, OPT_PAYLOAD },
	{ "body", required_argument, NULL, OPT_BODY },
	{ "channel", required_argument, NULL, OPT_CHANNEL },
	{ "epoch", required_argument, NULL, OPT_EPOCH },
	{ "counter", required_argument, NULL, OPT_COUNTER },
	{ "flags", required_argument, NULL, OPT_FLAGS },
	{ "raw", required_argument, NULL, OPT_RAW },
	{ "count", required_argument, NULL, OPT_COUNT },
	{ NULL, 0, NULL, 0 },
};

static const struct rogue_args inject_args = {
	.cmd = CMD,
	.longopts = inject_longopts,
	.usage = usage,
	.option = inject_option,
};

int rogue_inject_main(int argc, char *argv[])
{
	struct rogue_count counts[] = { { "sent", 0 }, { "heard", 0 } };
	/* Static: a forge holds two frames' worth of bytes. */
	static struct inject_opts o;
	const struct forge *fg = &o.fg;
	uint8_t frame[PAWLINK_AIR_FRAME_MAX];
	struct rogue_common common;
	const uint8_t *bytes;
	struct air_frame f;
	struct radio *r;
	size_t len;
	uint64_t i;
	int rc;

	o.count = 1;
	rc = rogue_parse_args(&inject_args, argc, argv, &common, &o);
	if (rc != ROGUE_ARGS_PARSED)
		return rc;
	rc = check_forge(fg);
	if (rc)
		return rc;
	rc = rogue_common_finish(&common);
	if (rc)
		return rc;

	if (fg->raw_len) {
		bytes = fg->raw;
		len = fg->raw_len;
	} else {
		enum air_frame_status st;

		len = build(fg, frame);
		st = air_frame_parse(frame, len, &f);
		if (len == 0 || st != AIR_FRAME_OK)
			return pawsim_usage_error("the air would refuse this frame: %s (use --raw to send it anyway)",
						  len ? air_frame_strerror(st) :
						  "payload too long");
		bytes = frame;
	}

	if (rogue_catch_signals() || rogue_join(&common, 0, &r))
		return rogue_report(&common, CMD, counts, 2,
				    PAWSIM_EXIT_RUNTIME);
	rc = PAWSIM_EXIT_OK;
	for (i = 0; i < o.count && !rogue_stop; i++) {
		int err = fg->raw_len ? radio_send_unchecked(r, bytes, len) :
					radio_send_frame(r, bytes, len);

		if (err) {
			pawsim_msg("the air went away: %s", strerror(-err));
			rc = PAWSIM_EXIT_RUNTIME;
			break;
		}
		counts[0].value++;
	}
	radio_close(r);
	return rogue_report(&common, CMD, counts, 2, rc);
}

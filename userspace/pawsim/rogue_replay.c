// SPDX-License-Identifier: GPL-2.0
/*
 * `pawsim rogue replay`: sends frames from a capture again, byte for byte
 * (their forged sources included), optionally only those a filter picks.
 * The whole file is checked before the first frame goes out.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "bytes.h"
#include "capture.h"
#include "air_args.h"
#include "pawsim.h"
#include "rogue.h"

#define CMD		"replay"
/* Larger captures are refused rather than read into memory. */
#define CAPTURE_MAX	(64u << 20)

enum {
	OPT_IN = ROGUE_OPT_PRIVATE, OPT_TYPE, OPT_SRC, OPT_DST, OPT_CHANNEL,
	OPT_FIRST, OPT_LAST, OPT_REPEAT,
};

struct filter {
	int type;			/* PAWLINK_AIR_*, or 0: any */
	bool have_src, have_dst;
	uint8_t src[PAWLINK_ID_LEN], dst[PAWLINK_ID_LEN];
	int channel;			/* record channel, or -1: any */
	uint64_t first, last;		/* frame numbers, from 1 */
};

static void usage(FILE *out)
{
	fprintf(out,
		"Usage: pawsim rogue replay --socket PATH --in FILE [filter] [--repeat N]\n"
		"                           [common options]\n\n"
		"Sends the frames of a capture (from 'pawsim rogue sniff') again, exactly\n"
		"as captured, in order; with a filter, only the frames that match all of:\n\n"
		"  --type beacon|data  frames of this type\n"
		"  --src HEX           from this id\n"
		"  --dst HEX           to this id\n"
		"  --channel N         data frames whose record is on channel N\n"
		"  --first N           from the Nth frame of the file (counting from 1)\n"
		"  --last N            up to the Nth frame\n"
		"  --repeat N          send the selection N times (default 1)\n"
		ROGUE_COMMON_HELP
		"\nCounts: read (frames in FILE), sent, heard (0).  Exit status: 0 sent,\n"
		"1 usage error, 2 FILE unreadable or malformed (nothing sent) or the air\n"
		"went away.\n");
}

static bool matches(const struct filter *flt, uint64_t index,
		    const struct air_frame *f)
{
	if (index < flt->first || index > flt->last)
		return false;
	if (flt->type && f->type != flt->type)
		return false;
	if (flt->have_src && memcmp(f->src, flt->src, PAWLINK_ID_LEN))
		return false;
	if (flt->have_dst && memcmp(f->dst, flt->dst, PAWLINK_ID_LEN))
		return false;
	if (flt->channel >= 0 &&
	    (f->type != PAWLINK_AIR_DATA || f->payload[1] != flt->channel))
		return false;
	return true;
}

/* Reads all of @path into a new buffer; a message and NULL on failure. */
static uint8_t *read_file(const char *path, size_t *len)
{
	struct stat st;
	uint8_t *buf = NULL;
	size_t got = 0;
	int fd;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		pawsim_msg("cannot open %s: %s", path, strerror(errno));
		return NULL;
	}
	if (fstat(fd, &st) || !S_ISREG(st.st_mode) ||
	    st.st_size > CAPTURE_MAX) {
		pawsim_msg("%s: not a regular file of at most %u bytes", path,
			   CAPTURE_MAX);
		goto out_close;
	}
	buf = malloc((size_t)st.st_size + 1);
	if (!buf) {
		pawsim_msg("out of memory reading %s", path);
		goto out_close;
	}
	while (got < (size_t)st.st_size) {
		ssize_t n = read(fd, buf + got, (size_t)st.st_size - got);

		if (n <= 0) {
			pawsim_msg("cannot read %s: %s", path,
				   n ? strerror(errno) : "file shrank");
			free(buf);
			buf = NULL;
			goto out_close;
		}
		got += (size_t)n;
	}
	*len = got;
out_close:
	close(fd);
	return buf;
}

/* Checks every record; the number of frames, or -1 after a message. */
static int64_t check_capture(const char *path, const uint8_t *buf, size_t len)
{
	struct air_capture_reader rd;
	struct air_capture_frame cf;
	int rc;

	if (air_capture_open(&rd, buf, len)) {
		pawsim_msg("%s: not a pawlink air capture (pcap, USER0)", path);
		return -1;
	}
	while ((rc = air_capture_next(&rd, &cf)) == 1)
		;
	if (rc < 0) {
		pawsim_msg("%s: frame %llu is malformed", path,
			   (unsigned long long)rd.index + 1);
		return -1;
	}
	return (int64_t)rd.index;
}

/* Sends the selection @repeat times; the PAWSIM_EXIT_* code. */
static int send_selection(struct radio *r, const uint8_t *buf, size_t len,
			  const struct filter *flt, uint64_t repeat,
			  uint64_t *sent)
{
	uint64_t round;

	for (round = 0; round < repeat && !rogue_stop; round++) {
		struct air_capture_reader rd;
		struct air_capture_frame cf;

		air_capture_open(&rd, buf, len);
		while (air_capture_next(&rd, &cf) == 1 && !rogue_stop) {
			struct air_frame f;
			int rc;

			air_frame_parse(cf.frame, cf.len, &f);
			if (!matches(flt, rd.index, &f))
				continue;
			rc = radio_send_frame(r, cf.frame, cf.len);
			if (rc) {
				pawsim_msg("the air went away: %s",
					   strerror(-rc));
				return PAWSIM_EXIT_RUNTIME;
			}
			(*sent)++;
		}
	}
	return PAWSIM_EXIT_OK;
}

static int parse_type(const char *s)
{
	if (!strcmp(s, "beacon"))
		return PAWLINK_AIR_BEACON;
	if (!strcmp(s, "data"))
		return PAWLINK_AIR_DATA;
	return -1;
}

struct replay_opts {
	const char *path;		/* --in */
	struct filter flt;
	uint64_t repeat;		/* --repeat */
};

static int replay_option(void *opts, int opt, const char *arg)
{
	struct replay_opts *o = opts;
	struct filter *flt = &o->flt;
	uint64_t v;

	switch (opt) {
	case OPT_IN:
		o->path = arg;
		return 0;
	case OPT_TYPE:
		flt->type = parse_type(arg);
		if (flt->type < 0)
			return pawsim_usage_error("bad --type '%s' (beacon or data)",
						  arg);
		return 0;
	case OPT_SRC:
		if (air_arg_id(arg, flt->src))
			return pawsim_usage_error("bad --src '%s' (16 hex digits)",
						  arg);
		flt->have_src = true;
		return 0;
	case OPT_DST:
		if (air_arg_id(arg, flt->dst))
			return pawsim_usage_error("bad --dst '%s' (16 hex digits)",
						  arg);
		flt->have_dst = true;
		return 0;
	case OPT_CHANNEL:
		if (pawlink_decimal_parse(arg, &v) || v > 255)
			return pawsim_usage_error("bad --channel '%s'", arg);
		flt->channel = (int)v;
		return 0;
	case OPT_FIRST:
	case OPT_LAST:
		if (pawlink_decimal_parse(arg, &v) || v == 0)
			return pawsim_usage_error("bad --%s '%s' (from 1)",
						  opt == OPT_FIRST ? "first" : "last",
						  arg);
		*(opt == OPT_FIRST ? &flt->first : &flt->last) = v;
		return 0;
	case OPT_REPEAT:
		if (pawlink_decimal_parse(arg, &o->repeat) || o->repeat == 0)
			return pawsim_usage_error("bad --repeat '%s'", arg);
		return 0;
	default:
		return pawsim_usage_error("bad option");
	}
}

static const struct option replay_longopts[] = {
	ROGUE_COMMON_LONGOPTS,
	{ "in", required_argument, NULL, OPT_IN },
	{ "type", required_argument, NULL, OPT_TYPE },
	{ "src", required_argument, NULL, OPT_SRC },
	{ "dst", required_argument, NULL, OPT_DST },
	{ "channel", required_argument, NULL, OPT_CHANNEL },
	{ "first", required_argument, NULL, OPT_FIRST },
	{ "last", required_argument, NULL, OPT_LAST },
	{ "repeat", required_argument, NULL, OPT_REPEAT },
	{ NULL, 0, NULL, 0 },
};

static const struct rogue_args replay_args = {
	.cmd = CMD,
	.longopts = replay_longopts,
	.usage = usage,
	.option = replay_option,
};

int rogue_replay_main(int argc, char *argv[])
{
	struct rogue_count counts[] = {
		{ "read", 0 }, { "sent", 0 }, { "heard", 0 },
	};
	struct replay_opts o = {
		.flt = { .channel = -1, .first = 1, .last = UINT64_MAX },
		.repeat = 1,
	};
	struct rogue_common common;
	struct radio *r;
	int64_t frames;
	uint8_t *buf;
	size_t len = 0;
	int rc;

	rc = rogue_parse_args(&replay_args, argc, argv, &common, &o);
	if (rc != ROGUE_ARGS_PARSED)
		return rc;
	if (!o.path)
		return pawsim_usage_error("--in FILE is required");
	if (o.flt.first > o.flt.last)
		return pawsim_usage_error("--first is after --last");
	rc = rogue_common_finish(&common);
	if (rc)
		return rc;

	buf = read_file(o.path, &len);
	if (!buf)
		return rogue_report(&common, CMD, counts, 3,
				    PAWSIM_EXIT_RUNTIME);
	frames = check_capture(o.path, buf, len);
	if (frames < 0) {
		rc = PAWSIM_EXIT_RUNTIME;
		goto out_free;
	}
	counts[0].value = (uint64_t)frames;
	if (rogue_catch_signals() || rogue_join(&common, 0, &r)) {
		rc = PAWSIM_EXIT_RUNTIME;
		goto out_free;
	}
	rc = send_selection(r, buf, len, &o.flt, o.repeat,
			    &counts[1].value);
	radio_close(r);
out_free:
	free(buf);
	return rogue_report(&common, CMD, counts, 3, rc);
}

// SPDX-License-Identifier: GPL-2.0
/*
 * `pawsim rogue brute-force`: guesses a toy's setup code by running the
 * host side of pairing (libpawlink pairing.h) once per code, codes in
 * order from --start.  Each answer is classified:
 *
 *   wrong       the toy answered HELLO with RESPONSE, and its key
 *               confirmation did not verify: the code was wrong, and the
 *               toy charged the attempt to its window;
 *   refused     the toy answered FAIL or BUSY without a RESPONSE (window
 *               closed, locked out, or another pairing in progress);
 *   unanswered  nothing within --timeout;
 *   paired      the code was right and the toy pinned this radio.
 *
 * The tool never learns more than that, which is what the toy promises:
 * no oracle beyond "fail".
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <sodium.h>

#include "bytes.h"
#include "air_args.h"
#include "pairing.h"
#include "pawsim.h"
#include "record_layer.h"
#include "rogue.h"
#include "setup_code.h"

#define CMD			"brute-force"
#define TIMEOUT_DEFAULT_MS	2000
#define CODE_SPACE		100000000ULL	/* 8 decimal digits */

enum { OPT_TOY_ID = ROGUE_OPT_PRIVATE, OPT_CODES, OPT_START, OPT_TIMEOUT };

/* Indexes of struct rogue_count counts[] below. */
enum { C_SENT, C_HEARD, C_ATTEMPTS, C_WRONG, C_REFUSED, C_UNANSWERED,
       C_PROTOCOL, C_PAIRED, C_NUM };

struct brute {
	struct radio *r;
	uint8_t toy_id[PAWLINK_ID_LEN];
	uint8_t host_static[PAWLINK_PAIR_STATIC_LEN];
	int timeout_ms;
	struct rogue_count *counts;
};

static void usage(FILE *out)
{
	fprintf(out,
		"Usage: pawsim rogue brute-force --socket PATH --toy-id HEX --codes N\n"
		"                                [--start CODE] [--timeout MS] [common options]\n\n"
		"Tries to pair with the toy HEX using N setup codes, in order from CODE\n"
		"(default 00000000; banned codes are skipped, 99999999 wraps to 00000000).\n\n"
		"  --toy-id HEX   the toy to attack, 16 hex digits\n"
		"  --codes N      how many codes to try (1 .. 100000000)\n"
		"  --start CODE   the first code, 8 digits (a dash is allowed)\n"
		"  --timeout MS   air time to wait for each answer (default %d)\n"
		ROGUE_COMMON_HELP
		"\nCounts: sent, heard, attempts, wrong (answered, code wrong), refused\n"
		"(FAIL or BUSY without an answer), unanswered, protocol (malformed\n"
		"answers), paired.  Exit status: 0 no code worked, 1 usage error,\n"
		"2 the air went away, 3 a code worked and the toy paired with us.\n",
		TIMEOUT_DEFAULT_MS);
}

/* Sends @msg to the toy as a plaintext record. */
static int send_msg(struct brute *b, const uint8_t *msg, size_t len)
{
	uint8_t rec[PAWLINK_REC_HDR_LEN + PAWLINK_PAIR_MSG_MAX];
	size_t rec_len;
	int rc;

	rc = pawlink_record_write_plain(PAWLINK_CH_PLAIN, msg, len, rec,
					sizeof(rec), &rec_len);
	if (rc)
		return rc;
	rc = radio_send_record(b->r, b->toy_id, rec, rec_len);
	if (rc == 0)
		b->counts[C_SENT].value++;
	return rc;
}

/*
 * Waits for the toy's next plaintext record, whose body goes to @reply.
 * Anything else heard is counted and skipped.  0, -ETIMEDOUT, -errno.
 */
static int await_reply(struct brute *b, uint8_t *reply, size_t *reply_len)
{
	static struct radio_rx rx;
	uint64_t end = radio_now(b->r) + (uint64_t)b->timeout_ms * 1000000ULL;

	for (;;) {
		uint64_t now = radio_now(b->r);
		const uint8_t *body;
		size_t body_len;
		uint8_t channel;
		int rc;

		if (now >= end || rogue_stop)
			return -ETIMEDOUT;
		rc = radio_recv_until(b->r, &rx, end);
		if (rc == -EINTR || rc == -ETIMEDOUT)
			continue;
		if (rc)
			return rc;
		b->counts[C_HEARD].value++;
		if (rx.f.type != PAWLINK_AIR_DATA ||
		    memcmp(rx.f.src, b->toy_id, PAWLINK_ID_LEN) != 0)
			continue;
		if (pawlink_record_read_plain(rx.f.payload, rx.f.payload_len,
					      &channel, &body, &body_len) ||
		    channel != PAWLINK_CH_PLAIN ||
		    body_len > PAWLINK_PAIR_MSG_MAX)
			continue;
		memcpy(reply, body, body_len);
		*reply_len = body_len;
		return 0;
	}
}

/* CONFIRM went out after a RESPONSE that verified: finish the pairing. */
static int finish_pairing(struct brute *b, struct pawlink_pair_host *h,
			  const uint8_t *confirm, size_t confirm_len)
{
	uint8_t reply[PAWLINK_PAIR_MSG_MAX], out[PAWLINK_PAIR_MSG_MAX];
	size_t reply_len, out_len;
	int rc;

	rc = send_msg(b, confirm, confirm_len);
	if (rc)
		return rc;
	rc = await_reply(b, reply, &reply_len);
	if (rc == -ETIMEDOUT) {
		b->counts[C_UNANSWERED].value++;
		return 0;
	}
	if (rc)
		return rc;
	if (pawlink_pair_host_receive(h, reply, reply_len, out, &out_len) ==
	    PAWLINK_PAIR_COMPLETE)
		b->counts[C_PAIRED].value++;
	else
		b->counts[C_PROTOCOL].value++;
	return 0;
}

/* One pairing run with @code; counts its outcome.  0 or -errno. */
static int try_code(struct brute *b, const struct rogue_common *c,
		    const struct pawlink_setup_code *code)
{
	uint8_t out[PAWLINK_PAIR_MSG_MAX], reply[PAWLINK_PAIR_MSG_MAX];
	struct pawlink_pair_host_params params;
	struct pawlink_pair_host h;
	enum pawlink_pair_result res;
	size_t out_len, reply_len;
	int rc;

	memcpy(params.host_id, c->id, PAWLINK_ID_LEN);
	memcpy(params.host_static, b->host_static, PAWLINK_PAIR_STATIC_LEN);
	memcpy(params.toy_id, b->toy_id, PAWLINK_ID_LEN);
	params.code = *code;
	res = pawlink_pair_host_start(&h, &params, out, &out_len);
	sodium_memzero(&params, sizeof(params));
	if (res != PAWLINK_PAIR_SEND) {
		rc = -EINVAL;
		goto out_wipe;
	}
	b->counts[C_ATTEMPTS].value++;
	rc = send_msg(b, out, out_len);
	if (rc)
		goto out_wipe;
	rc = await_reply(b, reply, &reply_len);
	if (rc == -ETIMEDOUT) {
		b->counts[C_UNANSWERED].value++;
		rc = 0;
		goto out_wipe;
	}
	if (rc)
		goto out_wipe;

	res = pawlink_pair_host_receive(&h, reply, reply_len, out, &out_len);
	switch (res) {
	case PAWLINK_PAIR_SEND:
		rc = finish_pairing(b, &h, out, out_len);
		goto out_wipe;
	case PAWLINK_PAIR_FAILED:
		if (pawlink_pair_msg_type(reply, reply_len) ==
		    PAWLINK_PAIR_MSG_RESPONSE)
			b->counts[C_WRONG].value++;
		else
			b->counts[C_REFUSED].value++;
		break;
	case PAWLINK_PAIR_BUSY:
		b->counts[C_REFUSED].value++;
		break;
	default:
		b->counts[C_PROTOCOL].value++;
		break;
	}
	/* A FAIL lets the toy free its slot at once, as a real host would. */
	rc = out_len ? send_msg(b, out, out_len) : 0;
out_wipe:
	pawlink_pair_host_wipe(&h);
	return rc;
}

/* Code number @n as a struct; false if it is banned. */
static bool code_from_number(uint64_t n, struct pawlink_setup_code *code)
{
	snprintf(code->digits, sizeof(code->digits), "%08llu",
		 (unsigned long long)(n % CODE_SPACE));
	return pawlink_setup_code_is_valid(code);
}

/* "12345678" or "1234-5678" (banned codes too: they are skipped later). */
static int parse_start(const char *s, uint64_t *out)
{
	char digits[PAWLINK_SETUP_CODE_SIZE];
	size_t n = strlen(s);

	if (n == PAWLINK_SETUP_CODE_DIGITS + 1 && s[4] == '-') {
		memcpy(digits, s, 4);
		memcpy(digits + 4, s + 5, 4);
	} else if (n == PAWLINK_SETUP_CODE_DIGITS) {
		memcpy(digits, s, PAWLINK_SETUP_CODE_DIGITS);
	} else {
		return -EINVAL;
	}
	digits[PAWLINK_SETUP_CODE_DIGITS] = '\0';
	return pawlink_decimal_parse(digits, out);
}

static int run(struct brute *b, const struct rogue_common *c, uint64_t start,
	       uint64_t codes)
{
	struct pawlink_setup_code code;
	uint64_t n = start, tried = 0;
	int rc = 0;

	while (tried < codes && !rogue_stop && !b->counts[C_PAIRED].value) {
		if (code_from_number(n++, &code)) {
			rc = try_code(b, c, &code);
			tried++;
		}
		pawlink_setup_code_wipe(&code);
		if (rc)
			break;
	}
	return rc;
}

struct brute_opts {
	struct brute *b;		/* --toy-id and --timeout go here */
	bool have_toy;
	uint64_t codes;			/* --codes, or 0 */
	uint64_t start;			/* --start */
};

static int brute_option(void *opts, int opt, const char *arg)
{
	struct brute_opts *o = opts;
	uint64_t v;

	switch (opt) {
	case OPT_TOY_ID:
		if (air_arg_id(arg, o->b->toy_id) ||
		    !air_id_is_radio(o->b->toy_id))
			return pawsim_usage_error("bad --toy-id '%s' (16 hex digits, not all 0 or all f)",
						  arg);
		o->have_toy = true;
		return 0;
	case OPT_CODES:
		if (pawlink_decimal_parse(arg, &o->codes) || o->codes == 0 ||
		    o->codes > CODE_SPACE)
			return pawsim_usage_error("bad --codes '%s' (1 .. 100000000)",
						  arg);
		return 0;
	case OPT_START:
		if (parse_start(arg, &o->start))
			return pawsim_usage_error("bad --start '%s' (8 digits: 12345678 or 1234-5678)",
						  arg);
		return 0;
	case OPT_TIMEOUT:
		if (pawlink_decimal_parse(arg, &v) || v == 0 || v > 3600000)
			return pawsim_usage_error("bad --timeout '%s' (1 .. 3600000 ms)",
						  arg);
		o->b->timeout_ms = (int)v;
		return 0;
	default:
		return pawsim_usage_error("bad option");
	}
}

static const struct option brute_longopts[] = {
	ROGUE_COMMON_LONGOPTS,
	{ "toy-id", required_argument, NULL, OPT_TOY_ID },
	{ "codes", required_argument, NULL, OPT_CODES },
	{ "start", required_argument, NULL, OPT_START },
	{ "timeout", required_argument, NULL, OPT_TIMEOUT },
	{ NULL, 0, NULL, 0 },
};

static const struct rogue_args brute_args = {
	.cmd = CMD,
	.longopts = brute_longopts,
	.usage = usage,
	.option = brute_option,
};

int rogue_brute_force_main(int argc, char *argv[])
{
	struct rogue_count counts[C_NUM] = {
		[C_SENT] = { "sent", 0 },
		[C_HEARD] = { "heard", 0 },
		[C_ATTEMPTS] = { "attempts", 0 },
		[C_WRONG] = { "wrong", 0 },
		[C_REFUSED] = { "refused", 0 },
		[C_UNANSWERED] = { "unanswered", 0 },
		[C_PROTOCOL] = { "protocol", 0 },
		[C_PAIRED] = { "paired", 0 },
	};
	struct brute b = { .timeout_ms = TIMEOUT_DEFAULT_MS, .counts = counts };
	struct brute_opts o = { .b = &b };
	uint8_t static_secret[crypto_box_SECRETKEYBYTES];
	struct rogue_common common;
	int rc;

	rc = rogue_parse_args(&brute_args, argc, argv, &common, &o);
	if (rc != ROGUE_ARGS_PARSED)
		return rc;
	if (!o.have_toy)
		return pawsim_usage_error("--toy-id HEX is required");
	if (!o.codes)
		return pawsim_usage_error("--codes N is required");
	rc = rogue_common_finish(&common);
	if (rc)
		return rc;
	if (sodium_init() < 0) {
		pawsim_msg("libsodium failed to initialise");
		return PAWSIM_EXIT_RUNTIME;
	}
	/* The toy pins a public key; the attacker needs no secret for the
	 * pairing itself, so it keeps none. */
	crypto_box_keypair(b.host_static, static_secret);
	sodium_memzero(static_secret, sizeof(static_secret));

	if (rogue_catch_signals() || rogue_join(&common, 0, &b.r))
		return rogue_report(&common, CMD, counts, C_NUM,
				    PAWSIM_EXIT_RUNTIME);
	rc = run(&b, &common, o.start, o.codes);
	radio_close(b.r);
	if (rc) {
		pawsim_msg("the air went away: %s", strerror(-rc));
		return rogue_report(&common, CMD, counts, C_NUM,
				    PAWSIM_EXIT_RUNTIME);
	}
	return rogue_report(&common, CMD, counts, C_NUM,
			    counts[C_PAIRED].value ? ROGUE_EXIT_PAIRED :
						     PAWSIM_EXIT_OK);
}

// SPDX-License-Identifier: GPL-2.0
/*
 * Fuzzes the two ends of the message protocol together: the host client
 * (msg_host.c) and the toy service (msg_toy.c) over a real message store
 * (msg_store.c, in a fresh directory on tmpfs for every input).  A script
 * in the fuzz input starts host operations, forges frames into either
 * end, lets them talk (losslessly or with a loss pattern), and moves the
 * clock.
 *
 * Checks after every step: every frame each end emits decodes and is of
 * a type that end may send, an end with nothing to send has no deadline in
 * the past, and whatever the toy's store lists is exactly one of the
 * host's messages, byte for byte (forged frames never get a message
 * committed that the host did not send).
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "fuzz_msg.h"
#include "msg_host.h"
#include "msg_sink_mem.h"
#include "msg_store.h"
#include "msg_toy.h"
#include "msg_wire.h"
#include "tmpdir.h"

#define NMSG		2

static const uint8_t host_id[PAWLINK_ID_LEN] = { 0x68, 0x6f, 0x73, 0x74 };
static char dir[64];
static uint8_t object[NMSG][6 * PAWLINK_MSG_CHUNK_DATA];
static struct pawlink_msg_info infos[NMSG];

/* ---- the two ends ------------------------------------------------------- */

struct world {
	uint64_t now;
	struct pawlink_msg_store *st;
	struct pawlink_msg_toy *toy;
	struct pawlink_msg_host *host;
	struct pawlink_msg_mem_source mem;
	struct pawlink_msg_source src;
	struct pawlink_msg_mem_sink got;	/* the host's downloads */
};

static int play(void *ctx, struct pawlink_msg_store *st,
		const struct pawlink_msg_info *info)
{
	(void)ctx;
	(void)st;
	return info->id[1] & 1 ? PAWLINK_MSG_E_BUSY : PAWLINK_MSG_OK;
}

static const struct pawlink_msg_toy_ops toy_ops = { play };

/*
 * The host downloads into memory, checking the hash at commit; no object
 * here is larger than the ones the host sends.
 */
static int get_begin(void *ctx, const struct pawlink_msg_info *info,
		     struct pawlink_msg_sink *sink, uint8_t *have)
{
	struct world *w = ctx;

	if (info->size > sizeof(object[0]))
		return PAWLINK_MSG_E_TOO_LONG;
	return pawlink_msg_mem_sink_get_begin(&w->got, info, sink, have);
}

static void check_store(struct world *w)
{
	struct pawlink_msg_info list[NMSG + 1];
	uint8_t *data;
	size_t n, i, k, len;
	bool more, known;

	pawlink_msg_store_list(w->st, NULL, list, NMSG + 1, &n, &more);
	FUZZ_CHECK(n <= NMSG && !more);
	for (i = 0; i < n; i++) {
		known = false;
		for (k = 0; k < NMSG; k++)
			known |= pawlink_msg_info_equal(&list[i], &infos[k]);
		FUZZ_CHECK(known);
		FUZZ_CHECK(pawlink_msg_store_read(w->st, list[i].id, &data,
						  &len) == PAWLINK_MSG_OK);
		free(data);
	}
}

static bool emit(struct world *w, bool from_toy, uint8_t *buf, size_t *len)
{
	struct pawlink_msg_frame f;
	int n;

	n = from_toy ? pawlink_msg_toy_output(w->toy, w->now, buf,
					      PAWLINK_FRAME_MAX) :
		       pawlink_msg_host_output(w->host, w->now, buf,
					       PAWLINK_FRAME_MAX);
	FUZZ_CHECK(n >= 0);
	if (n == 0) {
		FUZZ_CHECK((from_toy ? pawlink_msg_toy_deadline(w->toy) :
			   pawlink_msg_host_deadline(w->host)) > w->now);
		return false;
	}
	FUZZ_CHECK(pawlink_msg_decode(&f, buf, (size_t)n) == 0);
	/* Only the host asks; only the toy answers. */
	FUZZ_CHECK(from_toy ? !pawlink_msg_is_request(f.type) :
			      !pawlink_msg_is_response(f.type));
	*len = (size_t)n;
	return true;
}

static void exchange(struct world *w, uint8_t drop)
{
	uint8_t buf[PAWLINK_FRAME_MAX];
	size_t len;
	int i;

	for (i = 0; i < 96; i++) {
		bool any = false;

		if (emit(w, false, buf, &len)) {
			any = true;
			if (!(drop >> (i % 8) & 1))
				pawlink_msg_toy_input(w->toy, buf, len, w->now);
		}
		if (emit(w, true, buf, &len)) {
			any = true;
			if (!(drop >> ((i + 3) % 8) & 1))
				pawlink_msg_host_input(w->host, buf, len,
						       w->now);
		}
		w->now += 4000;
		if (!any)
			break;
	}
}

static void start_op(struct world *w, uint8_t which)
{
	const struct pawlink_msg_info *m = &infos[(which >> 3) % NMSG];

	switch (which % 8) {
	case 0:
		pawlink_msg_host_list(w->host, NULL, w->now);
		break;
	case 1:
		pawlink_msg_mem_source(&w->src, &w->mem,
				       object[(which >> 3) % NMSG], m->size);
		pawlink_msg_host_put(w->host, m, &w->src, w->now);
		break;
	case 2:
		pawlink_msg_host_get(w->host, m->id, get_begin, w, w->now);
		break;
	case 3:
		pawlink_msg_host_delete(w->host, m->id, w->now);
		break;
	case 4:
		pawlink_msg_host_play(w->host, m->id, w->now);
		break;
	case 5:
		pawlink_msg_host_cancel(w->host);
		break;
	case 6:
		pawlink_msg_host_list(w->host, m->id, w->now);
		break;
	default:
		/* The host restarts: a new client, same id. */
		pawlink_msg_host_free(w->host);
		FUZZ_CHECK(pawlink_msg_host_new(&w->host, host_id) == 0);
		break;
	}
}

static void step(struct world *w, uint8_t op, struct msg_fuzz_input *in)
{
	const uint8_t *frame;
	size_t len;
	uint8_t b = 0;

	switch (op % 8) {
	case 0:
		if (msg_fuzz_frame(in, &frame, &len))
			pawlink_msg_toy_input(w->toy, frame, len, w->now);
		break;
	case 1:
		if (msg_fuzz_frame(in, &frame, &len))
			pawlink_msg_host_input(w->host, frame, len, w->now);
		break;
	case 2:
		if (msg_fuzz_byte(in, &b))
			start_op(w, b);
		break;
	case 3:
		exchange(w, 0);
		break;
	case 4:
		msg_fuzz_byte(in, &b);
		exchange(w, b);
		break;
	case 5:
		msg_fuzz_byte(in, &b);
		w->now += (uint64_t)b * 1000;
		break;
	case 6:
		msg_fuzz_byte(in, &b);
		w->now += (uint64_t)b * 250000;
		break;
	default:
		/* The toy restarts (cleanly) over the same store. */
		pawlink_msg_toy_free(w->toy);
		FUZZ_CHECK(pawlink_msg_toy_new(&w->toy, w->st, host_id,
					       &toy_ops, NULL) == 0);
		break;
	}
}

static void write_seeds(void)
{
	uint8_t seed[64];
	size_t n = 0;

	/* put 0, talk, list, talk, get 0, talk, play, talk, delete, talk */
	static const uint8_t script[] = {
		2, 1, 3, 2, 0, 3, 2, 2, 3, 2, 4, 3, 2, 3, 3,
	};

	memcpy(seed, script, sizeof(script));
	n = sizeof(script);
	fuzz_write_seed("put-list-get-play-delete", seed, n);
	/* put 1 over a lossy exchange, with the host restarting midway */
	n = 0;
	seed[n++] = 2;
	seed[n++] = 9;
	seed[n++] = 4;
	seed[n++] = 0x24;
	seed[n++] = 2;
	seed[n++] = 7;
	seed[n++] = 2;
	seed[n++] = 9;
	seed[n++] = 3;
	seed[n++] = 6;
	seed[n++] = 200;
	seed[n++] = 3;
	fuzz_write_seed("lossy-put-restart", seed, n);
}

/*
 * A deterministic randombytes, so one input is one path; and the host's
 * messages, the same on every run.
 */
static void setup(void)
{
	size_t k, i;

	fuzz_sodium_init(1);
	for (k = 0; k < NMSG; k++) {
		for (i = 0; i < sizeof(object[k]); i++)
			object[k][i] = (uint8_t)(i * (k + 3) + k);
		if (pawlink_msg_info_create(&infos[k], host_id, 1700000000,
					    2000, object[k],
					    sizeof(object[k]) - 500 * k) !=
		    PAWLINK_MSG_OK)
			abort();
	}
}

FUZZ_INITIALIZE(setup, write_seeds)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const struct pawlink_msg_store_limits lim = {
		.max_bytes = 10000, .max_count = NMSG,
	};
	struct msg_fuzz_input in = { data, size };
	struct world w = { .now = 1000000 };
	char err[256];
	uint8_t op;

	fuzz_rng_seed(2);
	/* A fresh store per input, removed again at the end. */
	FUZZ_CHECK(test_tmpdir(dir, sizeof(dir), "fuzz", TEST_TMP_FAST) == 0);
	FUZZ_CHECK(pawlink_msg_store_open(&w.st, dir, &lim, err,
					  sizeof(err)) == 0);
	FUZZ_CHECK(pawlink_msg_toy_new(&w.toy, w.st, host_id, &toy_ops,
				       NULL) == 0);
	FUZZ_CHECK(pawlink_msg_host_new(&w.host, host_id) == 0);
	while (msg_fuzz_byte(&in, &op)) {
		step(&w, op, &in);
		check_store(&w);
		/* The host's download kept within its object. */
		FUZZ_CHECK(w.got.refused == 0);
	}
	pawlink_msg_host_free(w.host);
	pawlink_msg_toy_free(w.toy);
	pawlink_msg_store_close(w.st);
	pawlink_msg_mem_sink_free(&w.got);
	test_rm_tree(dir);
	return 0;
}

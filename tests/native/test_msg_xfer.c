// SPDX-License-Identifier: GPL-2.0
/*
 * The transfer state machines (msg_xfer.c) over the in-memory lossy air of
 * msg_sim.h: correctness under loss, selective retransmission, resume,
 * the hash-before-commit rule, failures and timeouts, and the goodput the
 * protocol reaches on the default air (printed, never asserted as a time).
 */
#include <errno.h>
#include <inttypes.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <sodium.h>

#include "msg_object.h"
#include "msg_sim.h"
#include "msg_sink_mem.h"
#include "msg_wire.h"
#include "msg_xfer.h"

#define AIR_RATE	2000000		/* the default air: 2 Mbit/s */
#define AIR_LATENCY	1000		/* 1 ms */
#define HOUR_US		(3600ULL * 1000000)

/* ---- a sink in memory --------------------------------------------------- */

/*
 * The shared memory sink (msg_sink_mem.h), with a write that can be made
 * to fail and the have-state of the last checkpoint kept.
 */
struct test_sink {
	struct pawlink_msg_mem_sink mem;	/* first: see test_sink_ops */
	long fail_write_at;		/* -1: never */
	uint8_t durable[PAWLINK_MSG_BITMAP_LEN];	/* last checkpoint */
};

static int sink_write(void *ctx, uint32_t index, const uint8_t *data,
		      size_t len)
{
	struct test_sink *m = ctx;

	if (m->fail_write_at >= 0 &&
	    m->mem.writes == (unsigned long)m->fail_write_at)
		return PAWLINK_MSG_E_IO;
	assert_true((uint64_t)index * PAWLINK_MSG_CHUNK_DATA + len <=
		    m->mem.info.size);
	return pawlink_msg_mem_sink_ops.write(&m->mem, index, data, len);
}

static int sink_checkpoint(void *ctx, const uint8_t *have, uint32_t nchunks)
{
	struct test_sink *m = ctx;

	assert_int_equal(nchunks, pawlink_msg_nchunks(m->mem.info.size));
	memcpy(m->durable, have, (nchunks + 7) / 8);
	return pawlink_msg_mem_sink_ops.checkpoint(&m->mem, have, nchunks);
}

/*
 * The shared ops with these two in place; commit and release get the
 * test sink as their memory sink, which is its first member.
 */
static struct pawlink_msg_sink_ops test_sink_ops;

static void test_sink_start(struct test_sink *m,
			    const struct pawlink_msg_info *info,
			    struct pawlink_msg_sink *sink)
{
	test_sink_ops = pawlink_msg_mem_sink_ops;
	test_sink_ops.write = sink_write;
	test_sink_ops.checkpoint = sink_checkpoint;
	assert_int_equal(pawlink_msg_mem_sink_start(&m->mem, info, sink),
			 PAWLINK_MSG_OK);
	m->fail_write_at = -1;
	sink->ops = &test_sink_ops;
	sink->ctx = m;
}

/* ---- one transfer over the sim ------------------------------------------ */

struct run {
	struct sim air;
	uint8_t *data;
	uint32_t size;
	struct pawlink_msg_info info;
	struct pawlink_msg_mem_source mem;
	struct pawlink_msg_source src;
	struct pawlink_msg_rtt rtt;
	struct pawlink_msg_tx tx;
	struct test_sink ms;
	struct pawlink_msg_sink sink;
	struct pawlink_msg_rx rx;
	bool rx_gone;			/* the receiver vanished */
	uint64_t start;
};

static int tx_in(void *ctx, const uint8_t *buf, size_t len, uint64_t now)
{
	struct run *r = ctx;
	struct pawlink_msg_frame f;

	if (pawlink_msg_decode(&f, buf, len))
		return -EBADMSG;
	pawlink_msg_tx_input(&r->tx, &f, now);
	return 0;
}

static int tx_out(void *ctx, uint64_t now, uint8_t *buf, size_t cap)
{
	return pawlink_msg_tx_output(&((struct run *)ctx)->tx, now, buf, cap);
}

static uint64_t tx_deadline(void *ctx)
{
	return pawlink_msg_tx_deadline(&((struct run *)ctx)->tx);
}

static int rx_in(void *ctx, const uint8_t *buf, size_t len, uint64_t now)
{
	struct run *r = ctx;
	struct pawlink_msg_frame f;

	if (r->rx_gone)
		return 0;
	if (pawlink_msg_decode(&f, buf, len))
		return -EBADMSG;
	pawlink_msg_rx_input(&r->rx, &f, now);
	return 0;
}

static int rx_out(void *ctx, uint64_t now, uint8_t *buf, size_t cap)
{
	struct run *r = ctx;

	return r->rx_gone ? 0 : pawlink_msg_rx_output(&r->rx, now, buf, cap);
}

static uint64_t rx_deadline(void *ctx)
{
	struct run *r = ctx;

	return r->rx_gone ? UINT64_MAX : pawlink_msg_rx_deadline(&r->rx);
}

static bool run_done(void *ctx)
{
	struct run *r = ctx;

	return pawlink_msg_tx_done(&r->tx, NULL) &&
	       !r->tx.abort_pending &&
	       (r->rx_gone || pawlink_msg_rx_done(&r->rx, NULL));
}

static void fill_random(uint8_t *buf, size_t len, uint64_t seed)
{
	uint64_t x = seed * 0x9e3779b97f4a7c15ULL + 7;
	size_t i;

	for (i = 0; i < len; i++) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		buf[i] = (uint8_t)x;
	}
}

/* Sets up sender and receiver for @size bytes; @have: receiver's start. */
static void run_setup(struct run *r, uint32_t size, uint32_t loss_ppm,
		      uint64_t seed, const uint8_t *have)
{
	static const uint8_t host[PAWLINK_ID_LEN] = { 1, 2, 3, 4, 5, 6, 7, 8 };
	struct pawlink_msg_have_info h;

	memset(r, 0, sizeof(*r));
	assert_int_equal(sim_init(&r->air, AIR_RATE, AIR_LATENCY, loss_ppm,
				  seed), 0);
	r->size = size;
	r->data = malloc(size);
	assert_non_null(r->data);
	fill_random(r->data, size, seed);
	assert_int_equal(pawlink_msg_info_create(&r->info, host, 1700000000,
						 1000, r->data, size),
			 PAWLINK_MSG_OK);
	pawlink_msg_mem_source(&r->src, &r->mem, r->data, size);
	pawlink_msg_rtt_init(&r->rtt);

	test_sink_start(&r->ms, &r->info, &r->sink);
	if (have) {
		uint32_t i;

		/* What the receiver "already has" must really be there. */
		for (i = 0; i < pawlink_msg_nchunks(size); i++)
			if (pawlink_msg_bit(have, i))
				memcpy(r->ms.mem.buf + (size_t)i *
				       PAWLINK_MSG_CHUNK_DATA,
				       r->data + (size_t)i *
				       PAWLINK_MSG_CHUNK_DATA,
				       pawlink_msg_chunk_len(size, i));
	}
	r->start = r->air.now;
	assert_int_equal(pawlink_msg_rx_init(&r->rx, 7, size, &r->sink, have,
					     r->start), 0);
	/* As PUT_RESP would carry it. */
	pawlink_msg_rx_have(&r->rx, &h);
	assert_int_equal(pawlink_msg_tx_init(&r->tx, 7, size, &r->src,
					     &r->rtt, &h, r->start), 0);
	r->air.node[0] = (struct sim_node){ tx_in, tx_out, tx_deadline, r };
	r->air.node[1] = (struct sim_node){ rx_in, rx_out, rx_deadline, r };
}

static void run_free(struct run *r)
{
	sim_fini(&r->air);
	free(r->data);
	pawlink_msg_mem_sink_free(&r->ms.mem);
}

/* Runs to the end and checks a clean success. */
static void run_ok(struct run *r)
{
	int st = -1;

	assert_int_equal(sim_run(&r->air, run_done, r, r->start + HOUR_US), 0);
	assert_true(pawlink_msg_tx_done(&r->tx, &st));
	assert_int_equal(st, PAWLINK_MSG_OK);
	assert_true(pawlink_msg_rx_done(&r->rx, &st));
	assert_int_equal(st, PAWLINK_MSG_OK);
	assert_true(r->ms.mem.committed);
	assert_memory_equal(r->ms.mem.buf, r->data, r->size);
	/* The sender never overran the window it was given. */
	assert_int_equal(r->rx.stats.dropped, 0);
}

static double goodput(const struct run *r)
{
	double secs = (double)(r->air.now - r->start) / 1e6;

	return (double)r->size * 8 / secs / AIR_RATE;
}

static double byte_efficiency(const struct run *r)
{
	return (double)r->size /
	       (double)(r->air.air_bytes[0] + r->air.air_bytes[1]);
}

/* ---- tests -------------------------------------------------------------- */

static void test_rtt_estimator(void **state)
{
	struct pawlink_msg_rtt rtt;
	uint64_t t;
	int i;

	(void)state;
	pawlink_msg_rtt_init(&rtt);
	assert_int_equal(pawlink_msg_rtt_timeout(&rtt),
			 PAWLINK_MSG_RTO_INITIAL_US);
	for (i = 0; i < 20; i++)
		pawlink_msg_rtt_sample(&rtt, 7000);
	/* A steady 7 ms round trip: 10.5 ms, so the floor applies. */
	assert_int_equal(pawlink_msg_rtt_timeout(&rtt), PAWLINK_MSG_RTO_MIN_US);
	pawlink_msg_rtt_backoff(&rtt);
	assert_int_equal(pawlink_msg_rtt_timeout(&rtt),
			 2 * PAWLINK_MSG_RTO_MIN_US);
	for (i = 0; i < 40; i++)
		pawlink_msg_rtt_backoff(&rtt);
	assert_int_equal(pawlink_msg_rtt_timeout(&rtt), PAWLINK_MSG_RTO_MAX_US);
	/* A fresh sample ends the backoff. */
	pawlink_msg_rtt_sample(&rtt, 7000);
	assert_int_equal(pawlink_msg_rtt_timeout(&rtt), PAWLINK_MSG_RTO_MIN_US);
	/* It follows a change of path: 300 ms, steady. */
	for (i = 0; i < 100; i++)
		pawlink_msg_rtt_sample(&rtt, 300000);
	t = pawlink_msg_rtt_timeout(&rtt);
	/* srtt plus at least half of it. */
	assert_true(t >= 440000 && t <= 452000);
}

static void test_clean_link(void **state)
{
	struct run r;

	(void)state;
	run_setup(&r, 200000, 0, 1, NULL);
	run_ok(&r);
	/* No loss: every chunk exactly once, not one timeout. */
	assert_int_equal(r.tx.stats.chunks_sent, pawlink_msg_nchunks(r.size));
	assert_int_equal(r.tx.stats.chunks_resent, 0);
	assert_int_equal(r.tx.stats.timeouts, 0);
	assert_int_equal(r.rx.stats.chunks_dup, 0);
	/* Air bytes (record overhead and ACKs included) are >= 90 % payload. */
	assert_true(byte_efficiency(&r) >= 0.90);
	printf("# 0%% loss: goodput %.1f%% of 2 Mbit/s, byte efficiency "
	       "%.1f%%, %" PRIu64 " acks for %u chunks\n",
	       100 * goodput(&r), 100 * byte_efficiency(&r), r.rx.stats.acks,
	       pawlink_msg_nchunks(r.size));
	run_free(&r);
}

static void test_lossy_links(void **state)
{
	static const uint32_t loss_ppm[] = { 10000, 50000, 200000, 400000 };
	unsigned int i, seed;
	struct run r;

	(void)state;
	for (i = 0; i < sizeof(loss_ppm) / sizeof(loss_ppm[0]); i++) {
		double gp = 0, eff = 0;

		for (seed = 1; seed <= 5; seed++) {
			run_setup(&r, 200000, loss_ppm[i], seed, NULL);
			run_ok(&r);
			gp += goodput(&r) / 5;
			eff += byte_efficiency(&r) / 5;
			if (loss_ppm[i] == 50000)
				assert_true(byte_efficiency(&r) >= 0.80);
			run_free(&r);
		}
		printf("# %.0f%% loss: goodput %.1f%% of 2 Mbit/s, byte "
		       "efficiency %.1f%% (mean of 5 runs)\n",
		       loss_ppm[i] / 10000.0, 100 * gp, 100 * eff);
	}
}

/* Drops the first transmission of one chosen chunk. */
struct drop_one {
	uint32_t index;
	unsigned int dropped;
};

static bool drop_chunk_once(void *ctx, int from, const uint8_t *buf,
			    size_t len)
{
	struct drop_one *d = ctx;
	struct pawlink_msg_frame f;

	if (from != 0 || d->dropped || pawlink_msg_decode(&f, buf, len) ||
	    f.type != PAWLINK_MSG_CHUNK || f.u.chunk.index != d->index)
		return false;
	d->dropped++;
	return true;
}

static void test_lost_chunk_resent_alone(void **state)
{
	struct drop_one d = { .index = 40 };
	struct run r;

	(void)state;
	run_setup(&r, 100000, 0, 3, NULL);
	r.air.drop = drop_chunk_once;
	r.air.drop_ctx = &d;
	run_ok(&r);
	assert_int_equal(d.dropped, 1);
	/* Selective: one loss costs one retransmission, and no timeout. */
	assert_int_equal(r.tx.stats.chunks_resent, 1);
	assert_int_equal(r.tx.stats.timeouts, 0);
	assert_int_equal(r.rx.stats.chunks_dup, 0);
	run_free(&r);
}

static void test_last_chunk_lost(void **state)
{
	struct drop_one d;
	struct run r;

	(void)state;
	run_setup(&r, 50000, 0, 4, NULL);
	d.index = pawlink_msg_nchunks(r.size) - 1;
	d.dropped = 0;
	r.air.drop = drop_chunk_once;
	r.air.drop_ctx = &d;
	run_ok(&r);
	/* Nothing follows it to reveal the loss: the timer's probe does. */
	assert_int_equal(r.tx.stats.timeouts, 1);
	assert_int_equal(r.tx.stats.chunks_resent, 1);
	run_free(&r);
}

/* Drops the receiver's first @n frames (ACKs, then XFER_END). */
struct drop_acks {
	unsigned int n;
};

static bool drop_receiver_frames(void *ctx, int from, const uint8_t *buf,
				 size_t len)
{
	struct drop_acks *d = ctx;

	(void)buf;
	(void)len;
	if (from != 1 || d->n == 0)
		return false;
	d->n--;
	return true;
}

static void test_acks_and_end_lost(void **state)
{
	struct drop_acks d = { .n = 12 };
	struct run r;

	(void)state;
	run_setup(&r, 30000, 0, 5, NULL);
	r.air.drop = drop_receiver_frames;
	r.air.drop_ctx = &d;
	run_ok(&r);
	assert_int_equal(d.n, 0);
	/* Every chunk arrived once; the timer's probes recovered the rest. */
	assert_int_equal(r.rx.stats.chunks_new, pawlink_msg_nchunks(r.size));
	assert_true(r.tx.stats.timeouts >= 1);
	assert_true(r.tx.stats.chunks_resent >= 1);
	run_free(&r);
}

static void test_resume_sends_only_missing(void **state)
{
	uint8_t have[PAWLINK_MSG_BITMAP_LEN] = { 0 };
	uint32_t n, i, held = 0;
	struct run r;

	(void)state;
	/*
	 * As a receiver restarted after a power loss: a prefix and scattered
	 * chunks inside the window after it are already stored.
	 */
	n = pawlink_msg_nchunks(150000);
	for (i = 0; i < n; i++) {
		if (i < 60 || (i < 200 && i % 3 == 0)) {
			pawlink_msg_bit_set(have, i);
			held++;
		}
	}
	run_setup(&r, 150000, 0, 6, have);
	run_ok(&r);
	assert_int_equal(r.tx.stats.chunks_sent, n - held);
	assert_int_equal(r.tx.stats.chunks_resent, 0);
	assert_int_equal(r.ms.mem.writes, n - held);
	run_free(&r);
}

static void test_resume_complete_commits_at_once(void **state)
{
	uint8_t have[PAWLINK_MSG_BITMAP_LEN];
	struct run r;

	(void)state;
	memset(have, 0xff, sizeof(have));
	run_setup(&r, 20000, 0, 7, have);
	/* Nothing to send: the receiver committed and owes XFER_END. */
	assert_true(pawlink_msg_rx_done(&r.rx, NULL));
	run_ok(&r);
	assert_int_equal(r.tx.stats.chunks_sent, 0);
	run_free(&r);
}

static void test_bad_hash_not_committed(void **state)
{
	struct run r;
	int st;

	(void)state;
	run_setup(&r, 40000, 20000, 8, NULL);
	/* The receiver expects other bytes than the sender has. */
	r.ms.mem.info.sha256[0] ^= 1;
	assert_int_equal(sim_run(&r.air, run_done, &r, r.start + HOUR_US), 0);
	assert_true(pawlink_msg_rx_done(&r.rx, &st));
	assert_int_equal(st, PAWLINK_MSG_E_BAD_HASH);
	assert_true(pawlink_msg_tx_done(&r.tx, &st));
	assert_int_equal(st, PAWLINK_MSG_E_BAD_HASH);
	assert_false(r.ms.mem.committed);
	run_free(&r);
}

static void test_sink_failure_ends_both(void **state)
{
	struct run r;
	int st;

	(void)state;
	run_setup(&r, 60000, 0, 9, NULL);
	r.ms.fail_write_at = 17;
	assert_int_equal(sim_run(&r.air, run_done, &r, r.start + HOUR_US), 0);
	assert_true(pawlink_msg_rx_done(&r.rx, &st));
	assert_int_equal(st, PAWLINK_MSG_E_IO);
	assert_true(pawlink_msg_tx_done(&r.tx, &st));
	assert_int_equal(st, PAWLINK_MSG_E_IO);
	assert_false(r.ms.mem.committed);
	run_free(&r);
}

static int failing_read(void *ctx, uint32_t off, uint8_t *buf, size_t len)
{
	(void)ctx;
	(void)buf;
	(void)len;
	return off >= 20 * PAWLINK_MSG_CHUNK_DATA ? PAWLINK_MSG_E_IO :
						    PAWLINK_MSG_OK;
}

static void test_source_failure_aborts(void **state)
{
	static const struct pawlink_msg_source_ops ops = { failing_read };
	struct pawlink_msg_source bad = { &ops, NULL };
	struct run r;
	int st;

	(void)state;
	run_setup(&r, 60000, 0, 10, NULL);
	r.tx.src = bad;
	assert_int_equal(sim_run(&r.air, run_done, &r, r.start + HOUR_US), 0);
	assert_true(pawlink_msg_tx_done(&r.tx, &st));
	assert_int_equal(st, PAWLINK_MSG_E_IO);
	/* The receiver is told, and commits nothing. */
	assert_true(pawlink_msg_rx_done(&r.rx, &st));
	assert_int_equal(st, PAWLINK_MSG_E_IO);
	assert_false(r.ms.mem.committed);
	run_free(&r);
}

static bool drop_everything(void *ctx, int from, const uint8_t *buf,
			    size_t len)
{
	(void)ctx;
	(void)from;
	(void)buf;
	(void)len;
	return true;
}

static void test_sender_gives_up(void **state)
{
	struct run r;
	int st;

	(void)state;
	run_setup(&r, 60000, 0, 11, NULL);
	r.rx_gone = true;
	r.air.drop = drop_everything;
	assert_int_equal(sim_run(&r.air, run_done, &r, r.start + HOUR_US), 0);
	assert_true(pawlink_msg_tx_done(&r.tx, &st));
	assert_int_equal(st, PAWLINK_MSG_E_TIMEOUT);
	assert_int_equal(r.tx.stats.timeouts, PAWLINK_MSG_RETRIES_MAX + 1);
	/* Backoff: the retries span far more than RETRIES x RTO_MIN. */
	assert_true(r.air.now - r.start >
		    (uint64_t)PAWLINK_MSG_RETRIES_MAX * PAWLINK_MSG_RTO_MIN_US * 4);
	run_free(&r);
}

static bool got_100_chunks(void *ctx)
{
	return ((struct run *)ctx)->rx.held >= 100;
}

static void test_receiver_gives_up_and_checkpoints(void **state)
{
	struct run r;
	int st;
	uint32_t i, held = 0;

	(void)state;
	run_setup(&r, 200000, 0, 12, NULL);
	assert_int_equal(sim_run(&r.air, got_100_chunks, &r,
				 r.start + HOUR_US), 0);
	/* Then the sender vanishes without a word. */
	r.air.drop = drop_everything;
	assert_int_equal(sim_run(&r.air, run_done, &r, r.start + HOUR_US), 0);
	assert_true(pawlink_msg_rx_done(&r.rx, &st));
	assert_int_equal(st, PAWLINK_MSG_E_TIMEOUT);
	assert_true(r.air.now - r.start >= PAWLINK_MSG_IDLE_US);
	/* What it got is checkpointed for the next attempt. */
	for (i = 0; i < pawlink_msg_nchunks(r.size); i++)
		held += pawlink_msg_bit(r.ms.durable, i);
	assert_int_equal(held, r.rx.held);
	assert_true(held >= 100 && held < pawlink_msg_nchunks(r.size));
	assert_false(r.ms.mem.committed);
	run_free(&r);
}

static void test_rejects_bad_have(void **state)
{
	struct pawlink_msg_have_info h = { .next = 50, .window = 256 };
	struct pawlink_msg_mem_source mem;
	struct pawlink_msg_source src;
	struct pawlink_msg_rtt rtt;
	struct pawlink_msg_tx tx;
	uint8_t data[10 * PAWLINK_MSG_CHUNK_DATA] = { 0 };

	(void)state;
	pawlink_msg_rtt_init(&rtt);
	pawlink_msg_mem_source(&src, &mem, data, sizeof(data));
	/* Claims 50 chunks of a 10-chunk object. */
	assert_int_equal(pawlink_msg_tx_init(&tx, 1, sizeof(data), &src, &rtt,
					     &h, 0), -EINVAL);
	h.next = 2;
	h.map_len = 2;
	h.map[1] = 0x80;	/* chunk 2 + 1 + 15 = 18 */
	assert_int_equal(pawlink_msg_tx_init(&tx, 1, sizeof(data), &src, &rtt,
					     &h, 0), -EINVAL);
	h.map_len = 1;
	h.map[0] = 0x01;
	assert_int_equal(pawlink_msg_tx_init(&tx, 1, sizeof(data), &src, &rtt,
					     &h, 0), 0);
	assert_int_equal(pawlink_msg_tx_init(&tx, 1, 0, &src, &rtt, NULL, 0),
			 -EINVAL);
	assert_int_equal(pawlink_msg_tx_init(&tx, 1, PAWLINK_MSG_SIZE_MAX + 1,
					     &src, &rtt, NULL, 0), -EINVAL);
}

static void test_receiver_drops_bad_chunks(void **state)
{
	struct run r;
	struct pawlink_msg_frame f = { .type = PAWLINK_MSG_CHUNK, .tag = 7 };
	uint8_t junk[PAWLINK_MSG_CHUNK_DATA] = { 0 };

	(void)state;
	run_setup(&r, 5000, 0, 13, NULL);
	/* Short non-final chunk, out-of-range index, wrong tag. */
	f.u.chunk.index = 0;
	f.u.chunk.data = junk;
	f.u.chunk.len = 10;
	pawlink_msg_rx_input(&r.rx, &f, r.start);
	f.u.chunk.index = 5;
	f.u.chunk.len = pawlink_msg_chunk_len(5000, 4);
	pawlink_msg_rx_input(&r.rx, &f, r.start);
	f.u.chunk.index = 1;
	f.u.chunk.len = PAWLINK_MSG_CHUNK_DATA;
	f.tag = 8;
	pawlink_msg_rx_input(&r.rx, &f, r.start);
	assert_int_equal(r.rx.stats.dropped, 3);
	assert_int_equal(r.rx.held, 0);
	assert_int_equal(r.ms.mem.writes, 0);
	r.rx.stats.dropped = 0;
	/* And the real transfer still completes. */
	run_ok(&r);
	run_free(&r);
}

/* The receiver refuses a chunk at next + WINDOW_MAX, takes one below. */
static void test_receiver_refuses_beyond_window(void **state)
{
	struct run r;
	struct pawlink_msg_frame f = { .type = PAWLINK_MSG_CHUNK, .tag = 7 };
	uint8_t junk[PAWLINK_MSG_CHUNK_DATA] = { 0 };
	size_t size = (PAWLINK_MSG_WINDOW_MAX + 4) * PAWLINK_MSG_CHUNK_DATA;

	(void)state;
	run_setup(&r, size, 0, 13, NULL);
	f.u.chunk.data = junk;
	f.u.chunk.len = PAWLINK_MSG_CHUNK_DATA;
	f.u.chunk.index = r.rx.next + PAWLINK_MSG_WINDOW_MAX;
	pawlink_msg_rx_input(&r.rx, &f, r.start);
	assert_int_equal(r.rx.stats.dropped, 1);
	assert_int_equal(r.rx.held, 0);
	assert_true(r.rx.ack_now);	/* it says where it is */
	f.u.chunk.index = r.rx.next + PAWLINK_MSG_WINDOW_MAX - 1;
	pawlink_msg_rx_input(&r.rx, &f, r.start);
	assert_int_equal(r.rx.stats.dropped, 1);
	assert_int_equal(r.rx.held, 1);
	run_free(&r);
}

static void test_sixty_second_message(void **state)
{
	/*
	 * 60 s of voice in Ogg Opus as audio_convert writes it (about
	 * 32 kbit/s): 240000 bytes.
	 */
	const uint32_t size = 240000;
	double airtime, took;
	struct run r;

	(void)state;
	run_setup(&r, size, 0, 14, NULL);
	run_ok(&r);
	airtime = (double)size * 8 / AIR_RATE;
	took = (double)(r.air.now - r.start) / 1e6;
	printf("# 60 s message (%u bytes): %.3f s on the simulated air, "
	       "airtime %.3f s, ratio %.3f\n", size, took, airtime,
	       took / airtime);
	run_free(&r);
}

static void test_long_latency_window(void **state)
{
	struct run r;

	(void)state;
	/* 50 ms each way: the window must cover the bandwidth-delay product. */
	run_setup(&r, 400000, 0, 15, NULL);
	r.air.latency_us = 50000;
	run_ok(&r);
	printf("# 50 ms latency, 0%% loss: goodput %.1f%% of 2 Mbit/s\n",
	       100 * goodput(&r));
	run_free(&r);
}

static void test_largest_object(void **state)
{
	struct run r;

	(void)state;
	run_setup(&r, PAWLINK_MSG_SIZE_MAX, 50000, 16, NULL);
	run_ok(&r);
	assert_int_equal(r.rx.nchunks, PAWLINK_MSG_CHUNKS_MAX);
	assert_true(r.ms.mem.checkpoints >=
		    PAWLINK_MSG_CHUNKS_MAX / PAWLINK_MSG_CHECKPOINT_CHUNKS - 1);
	run_free(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rtt_estimator),
		cmocka_unit_test(test_clean_link),
		cmocka_unit_test(test_lossy_links),
		cmocka_unit_test(test_lost_chunk_resent_alone),
		cmocka_unit_test(test_last_chunk_lost),
		cmocka_unit_test(test_acks_and_end_lost),
		cmocka_unit_test(test_resume_sends_only_missing),
		cmocka_unit_test(test_resume_complete_commits_at_once),
		cmocka_unit_test(test_bad_hash_not_committed),
		cmocka_unit_test(test_sink_failure_ends_both),
		cmocka_unit_test(test_source_failure_aborts),
		cmocka_unit_test(test_sender_gives_up),
		cmocka_unit_test(test_receiver_gives_up_and_checkpoints),
		cmocka_unit_test(test_rejects_bad_have),
		cmocka_unit_test(test_receiver_drops_bad_chunks),
		cmocka_unit_test(test_receiver_refuses_beyond_window),
		cmocka_unit_test(test_sixty_second_message),
		cmocka_unit_test(test_long_latency_window),
		cmocka_unit_test(test_largest_object),
	};

	if (sodium_init() < 0)
		return 1;
	return cmocka_run_group_tests(tests, NULL, NULL);
}

/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A deterministic in-memory air for the message-protocol tests: two nodes
 * on one shared half-duplex channel with a virtual clock (microseconds), a
 * rate model (a frame occupies the channel for (bytes + overhead) * 8 /
 * rate), a one-way latency, and independent per-frame loss drawn from a
 * seeded PRNG.  Nothing here reads a real clock, so every run of a test
 * is the same run.
 *
 * Each node is the three calls every message state machine has: input,
 * output, deadline.  sim_run() also checks the contract between them: a
 * node whose output() just returned 0 must not have a deadline in the
 * past.
 */
#ifndef PAWLINK_TEST_MSG_SIM_H
#define PAWLINK_TEST_MSG_SIM_H

#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <pawlink/air.h>

#define SIM_QUEUE_LEN		1024
/*
 * Around every control frame on the air: the air frame header, then the
 * record header and the AEAD tag (Documentation/air.rst, record-layer.rst).
 */
#define SIM_RECORD_OVERHEAD \
	(PAWLINK_AIR_HDR_LEN + PAWLINK_REC_HDR_LEN + PAWLINK_TAG_LEN)

struct sim_node {
	int (*input)(void *ctx, const uint8_t *buf, size_t len, uint64_t now);
	int (*output)(void *ctx, uint64_t now, uint8_t *buf, size_t cap);
	uint64_t (*deadline)(void *ctx);
	void *ctx;
};

struct sim_frame {
	uint64_t at;			/* arrival time */
	int to;
	size_t len;
	uint8_t buf[PAWLINK_FRAME_MAX];
};

struct sim {
	uint64_t now;
	uint64_t rate_bps;
	uint64_t latency_us;
	uint32_t loss_ppm;		/* per frame, both directions */
	uint32_t overhead;		/* air bytes per frame besides it */
	uint64_t rng;
	uint64_t busy_until;
	int turn;
	struct sim_node node[2];
	struct sim_frame *q;
	size_t head, n;
	/* Optional: drop chosen frames, on top of the random loss. */
	bool (*drop)(void *ctx, int from, const uint8_t *buf, size_t len);
	void *drop_ctx;
	/* Counters per sender: frames, bytes on the air, frames lost. */
	uint64_t frames[2];
	uint64_t air_bytes[2];
	uint64_t lost[2];
};

static inline uint64_t sim_rand(struct sim *s)
{
	/* xorshift64*: plenty for loss patterns, and reproducible. */
	s->rng ^= s->rng >> 12;
	s->rng ^= s->rng << 25;
	s->rng ^= s->rng >> 27;
	return s->rng * 0x2545f4914f6cdd1dULL;
}

static inline int sim_init(struct sim *s, uint64_t rate_bps,
			   uint64_t latency_us, uint32_t loss_ppm,
			   uint64_t seed)
{
	memset(s, 0, sizeof(*s));
	s->q = calloc(SIM_QUEUE_LEN, sizeof(*s->q));
	if (!s->q)
		return -ENOMEM;
	s->rate_bps = rate_bps;
	s->latency_us = latency_us;
	s->loss_ppm = loss_ppm;
	s->overhead = SIM_RECORD_OVERHEAD;
	s->rng = seed * 0x9e3779b97f4a7c15ULL + 1;
	s->now = 1000000;	/* any origin: not zero, to catch misuse */
	return 0;
}

static inline void sim_fini(struct sim *s)
{
	free(s->q);
	s->q = NULL;
}

/* Time a frame of @len plaintext bytes occupies the channel. */
static inline uint64_t sim_airtime(const struct sim *s, uint64_t len)
{
	return ((len + s->overhead) * 8 * 1000000 + s->rate_bps - 1) /
	       s->rate_bps;
}

static inline int sim_send(struct sim *s, int from, const uint8_t *buf,
			   size_t len)
{
	struct sim_frame *f;
	bool lost;

	s->busy_until = s->now + sim_airtime(s, len);
	s->frames[from]++;
	s->air_bytes[from] += len + s->overhead;
	lost = sim_rand(s) % 1000000 < s->loss_ppm;
	if (s->drop && s->drop(s->drop_ctx, from, buf, len))
		lost = true;
	if (lost) {
		s->lost[from]++;
		return 0;
	}
	if (s->n == SIM_QUEUE_LEN)
		return -ENOBUFS;
	f = &s->q[(s->head + s->n) % SIM_QUEUE_LEN];
	f->at = s->busy_until + s->latency_us;
	f->to = 1 - from;
	f->len = len;
	memcpy(f->buf, buf, len);
	s->n++;
	return 0;
}

/*
 * Runs until @done(@ctx) or virtual time @limit_us.  0 when done,
 * -ETIMEDOUT at the limit, -EDEADLK when nothing can ever happen again,
 * -EPROTO when a node broke the output/deadline contract.
 */
static inline int sim_run(struct sim *s, bool (*done)(void *ctx), void *ctx,
			  uint64_t limit_us)
{
	uint8_t buf[PAWLINK_FRAME_MAX];
	uint64_t next, d;
	int i, k, len;
	bool sent;

	for (;;) {
		while (s->n && s->q[s->head].at <= s->now) {
			struct sim_frame *f = &s->q[s->head];

			s->node[f->to].input(s->node[f->to].ctx, f->buf, f->len,
					     s->now);
			s->head = (s->head + 1) % SIM_QUEUE_LEN;
			s->n--;
		}
		if (done(ctx))
			return 0;
		if (s->now > limit_us)
			return -ETIMEDOUT;
		sent = false;
		if (s->now >= s->busy_until) {
			for (k = 0; k < 2 && !sent; k++) {
				i = (s->turn + k) % 2;
				len = s->node[i].output(s->node[i].ctx, s->now,
							buf, sizeof(buf));
				if (len < 0)
					return -EPROTO;
				if (len == 0)
					continue;
				if (sim_send(s, i, buf, (size_t)len))
					return -ENOBUFS;
				s->turn = 1 - i;
				sent = true;
			}
		}
		next = s->n ? s->q[s->head].at : UINT64_MAX;
		if (s->now < s->busy_until) {
			next = s->busy_until < next ? s->busy_until : next;
		} else if (!sent) {
			for (i = 0; i < 2; i++) {
				d = s->node[i].deadline(s->node[i].ctx);
				if (d <= s->now)
					return -EPROTO;
				next = d < next ? d : next;
			}
		}
		if (sent)
			continue;
		if (next == UINT64_MAX)
			return done(ctx) ? 0 : -EDEADLK;
		if (next > s->now)
			s->now = next;
	}
}

#endif /* PAWLINK_TEST_MSG_SIM_H */

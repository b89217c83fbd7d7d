// SPDX-License-Identifier: GPL-2.0
/*
 * The message protocol over the project's own simulated air: host client
 * and toy service, each on a radio of the in-process air (sim/air_local.h,
 * the same medium model as `pawsim air`, on a virtual clock), every frame
 * sealed into a control record by the userspace record layer (record_layer.h).
 * So what is measured here is what the air would carry: air header,
 * record header, AEAD tag, ACKs and retransmissions included.
 *
 * Asserts correctness only; prints goodput as a fraction of the air's rate
 * and the time of a 60 s message against its airtime (virtual time).
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <sodium.h>

#include "air_local.h"
#include "msg_host.h"
#include "msg_object.h"
#include "msg_sink_mem.h"
#include "msg_xfer.h"
#include "radio.h"
#include "record_layer.h"

#define HOUR_NS		(3600ULL * 1000000000)

static const uint8_t host_id[PAWLINK_ID_LEN] = { 0x48, 1, 2, 3, 4, 5, 6, 7 };
static const uint8_t toy_id[PAWLINK_ID_LEN] = { 0x54, 1, 2, 3, 4, 5, 6, 7 };

/* The toy, stripped down: an in-memory sink, no store. */
struct toy_side {
	struct pawlink_msg_mem_sink mem;
	struct pawlink_msg_rx rx;
	struct pawlink_msg_sink sink;
	bool started;
	uint8_t resp[PAWLINK_FRAME_MAX];
	int resp_len;
};

struct party {
	struct radio *radio;
	const uint8_t *peer;
	struct pawlink_record_tx seal;
	struct pawlink_record_rx open;
	uint64_t busy_until;	/* when our frames offered so far are done */
	uint64_t rx_frames, rx_dropped;
};

struct link {
	struct air_local *air;
	struct air_config cfg;
	struct party host, toy;
	struct pawlink_msg_host *client;
	struct toy_side ts;
};

/* ---- the toy's side: PUT only, straight into memory ---------------------- */

static void toy_input(struct toy_side *t, const uint8_t *buf, size_t len,
		      uint64_t now)
{
	struct pawlink_msg_frame f, r = { .type = PAWLINK_MSG_PUT_RESP };

	if (pawlink_msg_decode(&f, buf, len))
		return;
	if (f.type == PAWLINK_MSG_PUT_REQ) {
		if (!t->started) {
			assert_int_equal(pawlink_msg_mem_sink_start(&t->mem,
								    &f.u.info,
								    &t->sink),
					 PAWLINK_MSG_OK);
			assert_int_equal(pawlink_msg_rx_init(&t->rx, f.tag,
							     f.u.info.size,
							     &t->sink, NULL,
							     now), 0);
			t->started = true;
		}
		r.tag = f.tag;
		pawlink_msg_rx_have(&t->rx, &r.u.have);
		t->resp_len = pawlink_msg_encode(t->resp, sizeof(t->resp), &r);
		assert_true(t->resp_len > 0);
	} else if (t->started) {
		pawlink_msg_rx_input(&t->rx, &f, now);
	}
}

static int toy_output(struct toy_side *t, uint64_t now, uint8_t *buf)
{
	int n;

	if (t->resp_len > 0) {
		n = t->resp_len;
		memcpy(buf, t->resp, (size_t)n);
		t->resp_len = 0;
		return n;
	}
	return t->started ? pawlink_msg_rx_output(&t->rx, now, buf,
						  PAWLINK_FRAME_MAX) : 0;
}

static uint64_t toy_deadline(const struct toy_side *t)
{
	if (t->resp_len > 0)
		return 0;
	return t->started ? pawlink_msg_rx_deadline(&t->rx) : UINT64_MAX;
}

/* ---- radios, records, and the event loop -------------------------------- */

static void party_open(struct link *l, struct party *p, const uint8_t *id,
		       const uint8_t *peer, uint8_t seal_key, uint8_t open_key)
{
	uint8_t key[PAWLINK_KEY_LEN];

	assert_int_equal(radio_open_local(l->air, 0, &p->radio), 0);
	assert_int_equal(radio_set_id(p->radio, id), 0);
	p->peer = peer;
	memset(key, seal_key, sizeof(key));
	assert_int_equal(pawlink_record_tx_init(&p->seal, key, 1,
						PAWLINK_CH_CTRL), 0);
	memset(key, open_key, sizeof(key));
	assert_int_equal(pawlink_record_rx_init(&p->open, key, 1,
						PAWLINK_CH_CTRL), 0);
}

static void link_open(struct link *l, uint32_t loss_ppm, uint64_t seed)
{
	memset(l, 0, sizeof(*l));
	air_config_init(&l->cfg);	/* 2 Mbit/s, 1 ms: the default air */
	l->cfg.loss_ppm = loss_ppm;
	l->cfg.seed = seed;
	assert_int_equal(air_local_new(&l->cfg, &l->air), 0);
	party_open(l, &l->host, host_id, toy_id, 0x11, 0x22);
	party_open(l, &l->toy, toy_id, host_id, 0x22, 0x11);
	assert_int_equal(pawlink_msg_host_new(&l->client, host_id), 0);
}

static void link_close(struct link *l)
{
	pawlink_msg_host_free(l->client);
	pawlink_record_tx_wipe(&l->host.seal);
	pawlink_record_rx_wipe(&l->host.open);
	pawlink_record_tx_wipe(&l->toy.seal);
	pawlink_record_rx_wipe(&l->toy.open);
	radio_close(l->host.radio);
	radio_close(l->toy.radio);
	assert_int_equal(air_local_free(l->air), 0);
	pawlink_msg_mem_sink_free(&l->ts.mem);
}

static uint64_t frame_airtime(const struct link *l, size_t pt_len)
{
	return air_airtime_ns(&l->cfg, PAWLINK_AIR_HDR_LEN +
			      PAWLINK_REC_HDR_LEN + pt_len + PAWLINK_TAG_LEN);
}

/* Takes every frame due for @p and feeds the plaintext to its end. */
static void party_receive(struct link *l, struct party *p, bool is_host)
{
	uint8_t pt[PAWLINK_FRAME_MAX];
	uint64_t now_us = air_local_now(l->air) / 1000;
	struct radio_rx rx;
	size_t len;

	while (radio_recv(p->radio, &rx, 0) == 0) {
		if (rx.f.type != PAWLINK_AIR_DATA ||
		    pawlink_record_open(&p->open, rx.f.payload,
					rx.f.payload_len, pt, sizeof(pt),
					&len)) {
			p->rx_dropped++;
			continue;
		}
		p->rx_frames++;
		if (is_host)
			pawlink_msg_host_input(l->client, pt, len, now_us);
		else
			toy_input(&l->ts, pt, len, now_us);
	}
}

/*
 * Sends what @p's end has, paced like a driver whose queue holds one
 * frame beyond the one on the air.  Returns when it wants to go again.
 */
static uint64_t party_send(struct link *l, struct party *p, bool is_host)
{
	uint8_t pt[PAWLINK_FRAME_MAX], rec[PAWLINK_RECORD_MAX];
	uint64_t now = air_local_now(l->air);
	size_t rec_len;
	int n;

	for (;;) {
		if (p->busy_until > now + frame_airtime(l, PAWLINK_FRAME_MAX))
			return p->busy_until - frame_airtime(l, PAWLINK_FRAME_MAX);
		n = is_host ? pawlink_msg_host_output(l->client, now / 1000, pt,
						      sizeof(pt)) :
			      toy_output(&l->ts, now / 1000, pt);
		assert_true(n >= 0);
		if (n == 0)
			return UINT64_MAX;
		assert_int_equal(pawlink_record_seal(&p->seal, pt, (size_t)n,
						     rec, sizeof(rec),
						     &rec_len), 0);
		assert_int_equal(radio_send_record(p->radio, p->peer, rec,
						   rec_len), 0);
		p->busy_until = (p->busy_until > now ? p->busy_until : now) +
				frame_airtime(l, (size_t)n);
	}
}

static uint64_t min64(uint64_t a, uint64_t b)
{
	return a < b ? a : b;
}

/* Runs until the host's operation is over; returns its status. */
static int run(struct link *l)
{
	uint64_t start = air_local_now(l->air), now, next, d;
	int status;

	for (;;) {
		party_receive(l, &l->host, true);
		party_receive(l, &l->toy, false);
		if (pawlink_msg_host_done(l->client, &status))
			return status;
		now = air_local_now(l->air);
		assert_true(now - start < HOUR_NS);
		next = min64(party_send(l, &l->host, true),
			     party_send(l, &l->toy, false));
		next = min64(next, air_local_next_arrival(l->air));
		d = pawlink_msg_host_deadline(l->client);
		next = min64(next, d > UINT64_MAX / 1000 ? UINT64_MAX : d * 1000);
		d = toy_deadline(&l->ts);
		next = min64(next, d > UINT64_MAX / 1000 ? UINT64_MAX : d * 1000);
		assert_true(next != UINT64_MAX);
		/* A timer due now has just run in party_send(): step on. */
		assert_int_equal(air_local_advance(l->air, next > now ?
						   next - now : 1000), 0);
	}
}

static double put_once(uint32_t size, uint32_t loss_ppm, uint64_t seed,
		       double *airtime_ratio)
{
	struct pawlink_msg_mem_source mem;
	struct pawlink_msg_source src;
	struct pawlink_msg_info info;
	struct air_stats st;
	struct link l;
	uint64_t start, took;
	uint8_t *data;

	link_open(&l, loss_ppm, seed);
	data = malloc(size);
	assert_non_null(data);
	randombytes_buf(data, size);
	assert_int_equal(pawlink_msg_info_create(&info, host_id, 1700000000,
						 60000, data, size),
			 PAWLINK_MSG_OK);
	pawlink_msg_mem_source(&src, &mem, data, size);
	start = air_local_now(l.air);
	assert_int_equal(pawlink_msg_host_put(l.client, &info, &src,
					      start / 1000), 0);
	assert_int_equal(run(&l), PAWLINK_MSG_OK);
	took = air_local_now(l.air) - start;
	/* Exactly the bytes the host had, checked against SHA-256. */
	assert_true(l.ts.mem.committed);
	assert_memory_equal(l.ts.mem.buf, data, size);
	/* Nothing forged or replayed arrived; the record layer saw only loss. */
	assert_int_equal(l.host.rx_dropped, 0);
	assert_int_equal(l.toy.rx_dropped, 0);
	air_local_stats(l.air, &st);
	assert_true(st.frames > pawlink_msg_nchunks(size));
	*airtime_ratio = (double)took /
			 ((double)size * 8 * 1e9 / (double)l.cfg.rate_bps);
	link_close(&l);
	free(data);
	return 1 / *airtime_ratio;
}

static void test_goodput_on_the_air(void **state)
{
	double ratio, gp0 = 0, gp5 = 0;
	uint64_t seed;

	(void)state;
	for (seed = 1; seed <= 4; seed++) {
		gp0 += put_once(200000, 0, seed, &ratio) / 4;
		gp5 += put_once(200000, 50000, seed, &ratio) / 4;
	}
	printf("# on the in-process air, records sealed: goodput %.1f%% of "
	       "2 Mbit/s at 0%% loss, %.1f%% at 5%% loss (mean of 4)\n",
	       100 * gp0, 100 * gp5);
}

static void test_sixty_second_message_on_the_air(void **state)
{
	double ratio;

	(void)state;
	/* 60 s of Ogg Opus at about 32 kbit/s: 240000 bytes. */
	put_once(240000, 0, 7, &ratio);
	printf("# 60 s message on the default air: %.3f x its airtime\n",
	       ratio);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_goodput_on_the_air),
		cmocka_unit_test(test_sixty_second_message_on_the_air),
	};

	if (sodium_init() < 0)
		return 1;
	return cmocka_run_group_tests(tests, NULL, NULL);
}

// SPDX-License-Identifier: GPL-2.0
/*
 * The simulated air: the frame and socket codecs, the medium model over
 * the in-process air (broadcast, filtering, serialisation, latency and
 * loss in virtual time, actor threads, deadlock detection), and
 * `pawsim air` as a process with radios joining over its socket.
 */
#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include <pawlink/version.h>

#include "air_local.h"
#include "air_medium.h"
#include "air_sock.h"
#include "air_helpers.h"
#include "json_read.h"
#include "pawsim_procs.h"
#include "radio.h"
#include "tmpdir.h"
#include "byteorder.h"

/* ---- frame codec -------------------------------------------------------- */

static void test_frame_valid(void **state)
{
	uint8_t buf[PAWLINK_AIR_FRAME_MAX];
	struct air_frame f;
	size_t n;

	(void)state;
	n = air_frame_build_beacon(buf, sizeof(buf), ID_T,
				   PAWLINK_BEACON_PAIRING);
	assert_int_equal(n, PAWLINK_AIR_HDR_LEN + PAWLINK_AIR_BEACON_LEN);
	assert_int_equal(air_frame_parse(buf, n, &f), AIR_FRAME_OK);
	assert_int_equal(f.type, PAWLINK_AIR_BEACON);
	assert_memory_equal(f.src, ID_T, PAWLINK_ID_LEN);
	assert_true(air_id_is_broadcast(f.dst));
	assert_int_equal(f.payload_len, PAWLINK_AIR_BEACON_LEN);
	assert_int_equal(f.payload[PAWLINK_ID_LEN], PAWLINK_BEACON_PAIRING);

	/* The largest record fits exactly. */
	n = make_data_frame(buf, ID_A, ID_B, 7,
			    PAWLINK_FRAME_MAX + PAWLINK_TAG_LEN);
	assert_int_equal(n, PAWLINK_AIR_FRAME_MAX);
	assert_int_equal(air_frame_parse(buf, n, &f), AIR_FRAME_OK);
	assert_int_equal(f.type, PAWLINK_AIR_DATA);
	assert_memory_equal(f.dst, ID_B, PAWLINK_ID_LEN);
	assert_int_equal(f.payload_len, PAWLINK_RECORD_MAX);

	/* An empty record body is a valid record. */
	n = make_data_frame(buf, ID_A, ID_B, 1, 0);
	assert_int_equal(air_frame_parse(buf, n, &f), AIR_FRAME_OK);
}

/* Parses @buf after @mutate and expects @want, and a zeroed @f. */
static void expect_status(const uint8_t *good, size_t n,
			  void (*mutate)(uint8_t *buf, size_t *n),
			  enum air_frame_status want)
{
	static const struct air_frame zero;
	uint8_t buf[PAWLINK_AIR_FRAME_MAX + 8];
	struct air_frame f;

	memcpy(buf, good, n);
	mutate(buf, &n);
	assert_int_equal(air_frame_parse(buf, n, &f), want);
	assert_memory_equal(&f, &zero, sizeof(f));
	assert_non_null(air_frame_strerror(want));
}

static void m_version(uint8_t *b, size_t *n) { (void)n; b[0] = 2; }
static void m_type0(uint8_t *b, size_t *n) { (void)n; b[1] = 0; }
static void m_type3(uint8_t *b, size_t *n) { (void)n; b[1] = 3; }
static void m_len_up(uint8_t *b, size_t *n) { (void)n; b[2]++; }
static void m_truncate(uint8_t *b, size_t *n) { (void)b; (*n)--; }
static void m_short(uint8_t *b, size_t *n) { (void)b; *n = PAWLINK_AIR_HDR_LEN - 1; }
static void m_src_zero(uint8_t *b, size_t *n) { (void)n; memset(b + 4, 0, 8); }
static void m_src_bcast(uint8_t *b, size_t *n) { (void)n; memset(b + 4, 0xff, 8); }
static void m_dst_zero(uint8_t *b, size_t *n) { (void)n; memset(b + 12, 0, 8); }
static void m_dst_bcast(uint8_t *b, size_t *n) { (void)n; memset(b + 12, 0xff, 8); }
static void m_dst_self(uint8_t *b, size_t *n) { (void)n; memcpy(b + 12, b + 4, 8); }
static void m_dst_one(uint8_t *b, size_t *n) { (void)n; memcpy(b + 12, ID_B, 8); }
static void m_beacon_id(uint8_t *b, size_t *n) { (void)n; b[20] ^= 1; }
static void m_beacon_flag(uint8_t *b, size_t *n) { (void)n; b[28] |= 0x02; }
static void m_rec_version(uint8_t *b, size_t *n) { (void)n; b[20] = 2; }
static void m_rec_event(uint8_t *b, size_t *n) { (void)n; b[21] = PAWLINK_CH_EVENT; }
static void m_rec_chan9(uint8_t *b, size_t *n) { (void)n; b[21] = 9; }
static void m_rec_len(uint8_t *b, size_t *n) { (void)n; b[22]++; }

static void m_beacon_long(uint8_t *b, size_t *n)
{
	b[(*n)++] = 0;
	pawlink_store_le16(b + 2, (uint16_t)(*n - PAWLINK_AIR_HDR_LEN));
}

static void m_rec_short(uint8_t *b, size_t *n)
{
	*n = PAWLINK_AIR_HDR_LEN + PAWLINK_REC_HDR_LEN - 1;
	pawlink_store_le16(b + 2, PAWLINK_REC_HDR_LEN - 1);
}

static void m_too_long(uint8_t *b, size_t *n)
{
	b[(*n)++] = 0;
	pawlink_store_le16(b + 2, (uint16_t)(*n - PAWLINK_AIR_HDR_LEN));
	pawlink_store_le16(b + 22, (uint16_t)(*n - PAWLINK_AIR_HDR_LEN -
					 PAWLINK_REC_HDR_LEN));
}

/* Every rule of the strict parser, one broken at a time. */
static void test_frame_rules(void **state)
{
	uint8_t beacon[64], data[PAWLINK_AIR_FRAME_MAX], full[PAWLINK_AIR_FRAME_MAX];
	size_t nb, nd, nf;

	(void)state;
	nb = air_frame_build_beacon(beacon, sizeof(beacon), ID_T, 0);
	nd = make_data_frame(data, ID_A, ID_B, 3, 40);
	nf = make_data_frame(full, ID_A, ID_B, 3,
			     PAWLINK_FRAME_MAX + PAWLINK_TAG_LEN);

	expect_status(beacon, nb, m_short, AIR_FRAME_ESHORT);
	expect_status(full, nf, m_too_long, AIR_FRAME_ELONG);
	expect_status(beacon, nb, m_version, AIR_FRAME_EVERSION);
	expect_status(beacon, nb, m_type0, AIR_FRAME_ETYPE);
	expect_status(data, nd, m_type3, AIR_FRAME_ETYPE);
	expect_status(beacon, nb, m_len_up, AIR_FRAME_ELENGTH);
	expect_status(data, nd, m_truncate, AIR_FRAME_ELENGTH);
	expect_status(data, nd, m_src_zero, AIR_FRAME_ESRC);
	expect_status(beacon, nb, m_src_bcast, AIR_FRAME_ESRC);
	expect_status(beacon, nb, m_dst_one, AIR_FRAME_EDST);
	expect_status(data, nd, m_dst_zero, AIR_FRAME_EDST);
	expect_status(data, nd, m_dst_bcast, AIR_FRAME_EDST);
	expect_status(data, nd, m_dst_self, AIR_FRAME_EDST);
	expect_status(beacon, nb, m_beacon_id, AIR_FRAME_EBEACON);
	expect_status(beacon, nb, m_beacon_flag, AIR_FRAME_EBEACON);
	expect_status(beacon, nb, m_beacon_long, AIR_FRAME_EBEACON);
	expect_status(data, nd, m_rec_short, AIR_FRAME_ERECORD);
	expect_status(data, nd, m_rec_version, AIR_FRAME_ERECORD);
	expect_status(data, nd, m_rec_event, AIR_FRAME_ERECORD);
	expect_status(data, nd, m_rec_chan9, AIR_FRAME_ERECORD);
	expect_status(data, nd, m_rec_len, AIR_FRAME_ERECORD);
}

/* ---- socket protocol codec --------------------------------------------- */

static void test_proto_codec(void **state)
{
	static uint8_t buf[AIR_MSG_MAX];
	static struct air_stats st, back;
	struct air_welcome w = { 2000000, 1000000, 50000, 3 }, w2;
	uint8_t frame[PAWLINK_AIR_FRAME_MAX];
	struct air_msg msg;
	size_t n, nf;

	(void)state;
	n = air_msg_welcome(buf, 1234, &w);
	assert_int_equal(air_msg_parse(buf, n, &msg), 0);
	assert_int_equal(msg.kind, AIR_MSG_WELCOME);
	assert_int_equal(msg.time_ns, 1234);
	assert_int_equal(air_msg_get_welcome(&msg, &w2), 0);
	assert_memory_equal(&w, &w2, sizeof(w));
	/* Wrong body size, version, reserved byte, kind. */
	assert_int_equal(air_msg_parse(buf, n - 1, &msg), -EINVAL);
	buf[0] = 2;
	assert_int_equal(air_msg_parse(buf, n, &msg), -EINVAL);
	buf[0] = AIR_PROTO_VERSION;
	buf[5] = 1;
	assert_int_equal(air_msg_parse(buf, n, &msg), -EINVAL);
	buf[5] = 0;
	buf[1] = 9;
	assert_int_equal(air_msg_parse(buf, n, &msg), -EINVAL);
	assert_int_equal(air_msg_parse(buf, 3, &msg), -EINVAL);

	nf = make_data_frame(frame, ID_A, ID_B, 1, 10);
	n = air_msg_frame(buf, 99, frame, nf);
	assert_int_equal(air_msg_parse(buf, n, &msg), 0);
	assert_int_equal(msg.body_len, nf);
	assert_memory_equal(msg.body, frame, nf);
	assert_int_equal(air_msg_frame(buf, 0, frame, 0), 0);
	assert_int_equal(air_msg_frame(buf, 0, frame, AIR_MSG_FRAME_MAX + 1), 0);

	n = air_msg_stats_req(buf);
	assert_int_equal(air_msg_parse(buf, n, &msg), 0);
	assert_int_equal(air_msg_parse(buf, n + 1, &msg), -EINVAL);
	n = air_msg_set_id(buf, ID_C);
	assert_int_equal(air_msg_parse(buf, n, &msg), 0);
	assert_memory_equal(msg.body, ID_C, PAWLINK_ID_LEN);

	memset(&st, 0, sizeof(st));
	st.now_ns = 5;
	st.rate_bps = 6;
	st.joined = 7;
	st.busy_ns = 8;
	st.nradios = 2;
	st.radio[0].index = 1;
	memcpy(st.radio[0].id, ID_A, PAWLINK_ID_LEN);
	st.radio[0].tx_bytes = 11;
	st.radio[1].index = 2;
	st.radio[1].rx_overrun = 12;
	n = air_msg_stats(buf, &st);
	assert_int_equal(n, AIR_MSG_HDR_LEN + AIR_STATS_GLOBAL_LEN +
			 2 * AIR_STATS_RADIO_LEN);
	assert_int_equal(air_msg_parse(buf, n, &msg), 0);
	assert_int_equal(air_msg_get_stats(&msg, &back), 0);
	assert_memory_equal(&st, &back, sizeof(st));
	/* The count must agree with the body. */
	buf[AIR_MSG_HDR_LEN + 96] = 3;
	assert_int_equal(air_msg_parse(buf, n, &msg), 0);
	assert_int_equal(air_msg_get_stats(&msg, &back), -EINVAL);
}

/* ---- in-process air ---------------------------------------------------- */

struct trio {
	struct air_local *air;
	struct radio *a, *b, *c;
};

static void trio_open(struct trio *t, const struct air_config *cfg,
		      unsigned int c_flags)
{
	struct air_config def;

	if (!cfg) {
		air_config_init(&def);
		cfg = &def;
	}
	assert_int_equal(air_local_new(cfg, &t->air), 0);
	assert_int_equal(radio_open_local(t->air, 0, &t->a), 0);
	assert_int_equal(radio_open_local(t->air, 0, &t->b), 0);
	assert_int_equal(radio_open_local(t->air, c_flags, &t->c), 0);
	assert_int_equal(radio_set_id(t->a, ID_A), 0);
	assert_int_equal(radio_set_id(t->b, ID_B), 0);
	assert_int_equal(radio_set_id(t->c, ID_C), 0);
}

static void trio_close(struct trio *t)
{
	radio_close(t->a);
	radio_close(t->b);
	radio_close(t->c);
	assert_int_equal(air_local_free(t->air), 0);
}

static void test_broadcast_reaches_all_others(void **state)
{
	static struct radio_rx rx;
	struct air_stats st;
	uint8_t sent[64];
	struct trio t;
	size_t n;

	(void)state;
	trio_open(&t, NULL, 0);
	n = air_frame_build_beacon(sent, sizeof(sent), ID_A,
				   PAWLINK_BEACON_PAIRING);
	assert_int_equal(radio_send_beacon(t.a, PAWLINK_BEACON_PAIRING), 0);

	assert_int_equal(radio_recv(t.b, &rx, 100), 0);
	assert_int_equal(rx.len, n);
	assert_memory_equal(rx.frame, sent, n);
	assert_int_equal(radio_recv(t.c, &rx, 100), 0);
	assert_memory_equal(rx.frame, sent, n);
	/* The sender does not hear itself: nothing is left for it. */
	assert_int_equal(radio_recv(t.a, &rx, 100), -ETIMEDOUT);

	assert_int_equal(radio_air_stats(t.a, &st), 0);
	assert_int_equal(st.frames, 1);
	assert_int_equal(st.delivered, 2);
	assert_int_equal(st.bytes, n);
	assert_int_equal(st.nradios, 3);
	assert_int_equal(st.radio[0].tx_frames, 1);
	assert_int_equal(st.radio[0].rx_frames, 0);
	assert_int_equal(st.radio[1].rx_frames, 1);
	assert_int_equal(st.radio[2].rx_bytes, n);
	assert_memory_equal(st.radio[2].id, ID_C, PAWLINK_ID_LEN);
	trio_close(&t);
}

static void test_unicast_filter_and_promisc(void **state)
{
	static struct radio_rx rx;
	uint8_t rec[64];
	struct radio_stats rs;
	struct trio t;
	size_t n;

	(void)state;
	trio_open(&t, NULL, RADIO_PROMISC);
	n = make_record(rec, PAWLINK_CH_PLAIN, 0, 0x5a, 20);
	assert_int_equal(radio_send_record(t.a, ID_B, rec, n), 0);
	assert_int_equal(radio_recv(t.b, &rx, 100), 0);
	assert_int_equal(rx.f.type, PAWLINK_AIR_DATA);
	assert_memory_equal(rx.f.src, ID_A, PAWLINK_ID_LEN);
	assert_int_equal(rx.f.payload_len, n);
	assert_memory_equal(rx.f.payload, rec, n);
	/* C is promiscuous and hears A -> B. */
	assert_int_equal(radio_recv(t.c, &rx, 100), 0);
	assert_memory_equal(rx.f.dst, ID_B, PAWLINK_ID_LEN);

	/* Not promiscuous any more: A -> B is filtered, B -> C is kept. */
	radio_set_promisc(t.c, false);
	assert_int_equal(radio_send_record(t.a, ID_B, rec, n), 0);
	assert_int_equal(radio_send_record(t.b, ID_C, rec, n), 0);
	assert_int_equal(radio_recv(t.c, &rx, 100), 0);
	assert_memory_equal(rx.f.src, ID_B, PAWLINK_ID_LEN);
	radio_get_stats(t.c, &rs);
	assert_int_equal(rs.heard, 2);
	assert_int_equal(rs.filtered, 1);
	trio_close(&t);
}

static void test_send_checks(void **state)
{
	uint8_t frame[PAWLINK_AIR_FRAME_MAX + 1];
	uint8_t rec[PAWLINK_RECORD_MAX + 1];
	struct air_local *air;
	struct air_config cfg;
	struct radio *r;
	size_t n;

	(void)state;
	air_config_init(&cfg);
	assert_int_equal(air_local_new(&cfg, &air), 0);
	assert_int_equal(radio_open_local(air, 0x80, &r), -EINVAL);
	assert_int_equal(radio_open_local(air, 0, &r), 0);
	/* No id yet: it cannot name itself as the source. */
	assert_int_equal(radio_send_beacon(r, 0), -EADDRNOTAVAIL);
	n = make_record(rec, PAWLINK_CH_PLAIN, 0, 0, 4);
	assert_int_equal(radio_send_record(r, ID_B, rec, n), -EADDRNOTAVAIL);
	assert_int_equal(radio_set_id(r, air_broadcast_id), -EINVAL);
	assert_int_equal(radio_set_id(r, ID_A), 0);
	/* The checked path refuses what the air would refuse. */
	assert_int_equal(radio_send_beacon(r, 0x80), -EINVAL);
	assert_int_equal(radio_send_record(r, ID_A, rec, n), -EINVAL);
	assert_int_equal(radio_send_record(r, air_broadcast_id, rec, n),
			 -EINVAL);
	n = make_record(rec, PAWLINK_CH_PLAIN, 0, 0, PAWLINK_RECORD_MAX + 1 -
			PAWLINK_REC_HDR_LEN);
	assert_int_equal(radio_send_record(r, ID_B, rec, n), -EMSGSIZE);
	memset(frame, 0, sizeof(frame));
	assert_int_equal(radio_send_frame(r, frame, 30), -EINVAL);
	assert_int_equal(radio_send_unchecked(r, frame, 0), -EINVAL);
	assert_int_equal(radio_send_unchecked(r, frame, AIR_MSG_FRAME_MAX + 1),
			 -EINVAL);
	assert_int_equal(air_local_free(air), -EBUSY);
	radio_close(r);
	assert_int_equal(air_local_free(air), 0);

	cfg.rate_bps = 0;
	assert_int_equal(air_local_new(&cfg, &air), -EINVAL);
	air_config_init(&cfg);
	cfg.loss_ppm = AIR_LOSS_SCALE + 1;
	assert_int_equal(air_local_new(&cfg, &air), -EINVAL);
}

/* Rate and latency, exactly, on the virtual clock. */
static void test_airtime_and_latency(void **state)
{
	static struct radio_rx rx;
	uint8_t frame[PAWLINK_AIR_FRAME_MAX];
	struct air_config cfg;
	struct air_stats st;
	uint64_t airtime, t0;
	struct trio t;
	size_t n;
	int i;

	(void)state;
	air_config_init(&cfg);
	cfg.rate_bps = 1000000;		/* 8 us per byte */
	cfg.latency_ns = 5000000;
	trio_open(&t, &cfg, 0);
	n = make_data_frame(frame, ID_A, ID_B, 0, 100);
	airtime = n * 8 * 1000;		/* ns at 1 Mbit/s */
	assert_int_equal(air_airtime_ns(&cfg, n), airtime);

	/* Three frames at t = 0 go on the air one after the other. */
	for (i = 0; i < 3; i++)
		assert_int_equal(radio_send_frame(t.a, frame, n), 0);
	for (i = 0; i < 3; i++) {
		assert_int_equal(radio_recv(t.b, &rx, -1), 0);
		assert_int_equal(rx.time_ns,
				 (uint64_t)(i + 1) * airtime + cfg.latency_ns);
	}
	assert_int_equal(radio_now(t.b), 3 * airtime + cfg.latency_ns);

	/* A frame sent once the air is idle starts at once. */
	assert_int_equal(air_local_advance(t.air, 1000000), 0);
	t0 = air_local_now(t.air);

	assert_int_equal(radio_send_frame(t.a, frame, n), 0);
	assert_int_equal(air_local_step(t.air), 1);
	assert_int_equal(air_local_now(t.air), t0 + airtime + cfg.latency_ns);
	assert_int_equal(air_local_step(t.air), 0);
	assert_int_equal(radio_recv(t.b, &rx, 0), 0);
	assert_int_equal(rx.time_ns, t0 + airtime + cfg.latency_ns);

	air_local_stats(t.air, &st);
	assert_int_equal(st.busy_ns, 4 * airtime);
	assert_int_equal(st.bytes, 4 * n);
	/* A receive timeout is virtual time too. */
	t0 = radio_now(t.a);
	assert_int_equal(radio_recv(t.a, &rx, 250), -ETIMEDOUT);
	assert_int_equal(radio_now(t.a), t0 + 250000000ULL);
	trio_close(&t);
}

/* Frames offered at one instant go on the air in join order. */
static void test_contention_in_join_order(void **state)
{
	static struct radio_rx rx;
	uint8_t rec[64];
	struct trio t;
	size_t n;

	(void)state;
	trio_open(&t, NULL, 0);
	n = make_record(rec, PAWLINK_CH_PLAIN, 0, 0, 8);
	/* B offers first, but A joined first. */
	assert_int_equal(radio_send_record(t.b, ID_C, rec, n), 0);
	assert_int_equal(radio_send_record(t.a, ID_C, rec, n), 0);
	assert_int_equal(radio_recv(t.c, &rx, -1), 0);
	assert_memory_equal(rx.f.src, ID_A, PAWLINK_ID_LEN);
	assert_int_equal(radio_recv(t.c, &rx, -1), 0);
	assert_memory_equal(rx.f.src, ID_B, PAWLINK_ID_LEN);
	trio_close(&t);
}

/*
 * Sends @frames frames A -> B with C listening too, and records in
 * @heard_b / @heard_c which ones arrived.  Returns the total lost.
 */
static uint64_t run_lossy(uint64_t seed, uint32_t loss_ppm, int frames,
			  uint8_t *heard_b, uint8_t *heard_c)
{
	static struct radio_rx rx;
	uint8_t frame[PAWLINK_AIR_FRAME_MAX];
	struct air_config cfg;
	struct air_stats st;
	struct trio t;
	int i;

	air_config_init(&cfg);
	cfg.loss_ppm = loss_ppm;
	cfg.seed = seed;
	trio_open(&t, &cfg, RADIO_PROMISC);
	memset(heard_b, 0, (size_t)frames);
	memset(heard_c, 0, (size_t)frames);
	for (i = 0; i < frames; i++) {
		size_t n = make_data_frame(frame, ID_A, ID_B, (uint64_t)i, 4);

		assert_int_equal(radio_send_frame(t.a, frame, n), 0);
		assert_int_equal(air_local_step(t.air), 1);
		while (radio_recv(t.b, &rx, 0) == 0)
			heard_b[pawlink_load_le64(rx.f.payload + 8)] = 1;
		while (radio_recv(t.c, &rx, 0) == 0)
			heard_c[pawlink_load_le64(rx.f.payload + 8)] = 1;
	}
	air_local_stats(t.air, &st);
	assert_int_equal(st.delivered + st.lost, 2 * (uint64_t)frames);
	assert_int_equal(st.radio[1].rx_lost + st.radio[2].rx_lost, st.lost);
	trio_close(&t);
	return st.lost;
}

static uint64_t count_lost(const uint8_t *heard, int frames)
{
	uint64_t lost = 0;
	int i;

	for (i = 0; i < frames; i++)
		lost += !heard[i];
	return lost;
}

static void test_loss_deterministic_and_near_rate(void **state)
{
	enum { FRAMES = 10000 };
	static uint8_t b1[FRAMES], c1[FRAMES], b2[FRAMES], c2[FRAMES];
	/* 20000 draws at p = 0.1: sd = sqrt(20000 * 0.1 * 0.9) ~ 42. */
	const uint64_t expect = 2000, bound = 5 * 43;
	uint64_t lost, lost2;

	(void)state;
	lost = run_lossy(42, 100000, FRAMES, b1, c1);
	assert_true(lost > expect - bound && lost < expect + bound);
	/* What the receivers missed is what the air says it dropped. */
	assert_int_equal(count_lost(b1, FRAMES) + count_lost(c1, FRAMES), lost);

	/* The same seed and frame order: exactly the same drops. */
	lost2 = run_lossy(42, 100000, FRAMES, b2, c2);
	assert_int_equal(lost, lost2);
	assert_memory_equal(b1, b2, FRAMES);
	assert_memory_equal(c1, c2, FRAMES);
	/* Receivers draw independently. */
	assert_memory_not_equal(b1, c1, FRAMES);

	/* Another seed: other drops. */
	run_lossy(43, 100000, FRAMES, b2, c2);
	assert_memory_not_equal(b1, b2, FRAMES);

	/* No loss and total loss are exact. */
	assert_int_equal(run_lossy(1, 0, 500, b2, c2), 0);
	assert_int_equal(run_lossy(1, AIR_LOSS_SCALE, 500, b2, c2), 1000);
}

/* The air refuses and counts malformed frames, and carries on. */
static void test_malformed_rejected_and_counted(void **state)
{
	static struct radio_rx rx;
	uint8_t junk[AIR_MSG_FRAME_MAX], frame[PAWLINK_AIR_FRAME_MAX];
	struct air_stats st;
	struct trio t;
	size_t n;

	(void)state;
	trio_open(&t, NULL, 0);
	memset(junk, 0xee, sizeof(junk));
	assert_int_equal(radio_send_unchecked(t.c, junk, 1), 0);
	assert_int_equal(radio_send_unchecked(t.c, junk, sizeof(junk)), 0);
	n = make_data_frame(frame, ID_A, ID_B, 1, 10);
	frame[21] = PAWLINK_CH_EVENT;
	assert_int_equal(radio_send_unchecked(t.c, frame, n), 0);
	/* Then a good one from the same radio. */
	n = make_data_frame(frame, ID_C, ID_B, 2, 10);
	assert_int_equal(radio_send_unchecked(t.c, frame, n), 0);

	assert_int_equal(radio_recv(t.b, &rx, -1), 0);
	assert_int_equal(rx.len, n);
	assert_memory_equal(rx.frame, frame, n);
	assert_int_equal(radio_recv(t.b, &rx, 100), -ETIMEDOUT);
	radio_air_stats(t.b, &st);
	assert_int_equal(st.rejected, 3);
	assert_int_equal(st.radio[2].rejected, 3);
	assert_int_equal(st.radio[2].tx_frames, 1);
	assert_int_equal(st.frames, 1);
	trio_close(&t);
}

/* A receiver that leaves mid-stream changes nothing for the others; a
 * sender that leaves still gets its frames delivered. */
static void test_disconnect_mid_stream(void **state)
{
	static struct radio_rx rx;
	uint8_t frame[PAWLINK_AIR_FRAME_MAX];
	struct air_stats st;
	struct trio t;
	int i, got = 0;

	(void)state;
	trio_open(&t, NULL, RADIO_PROMISC);
	for (i = 0; i < 10; i++) {
		size_t n = make_data_frame(frame, ID_A, ID_B, (uint64_t)i, 50);

		assert_int_equal(radio_send_frame(t.a, frame, n), 0);
		if (i == 3) {
			assert_int_equal(radio_recv(t.c, &rx, -1), 0);
			radio_close(t.c);
			t.c = NULL;
		}
	}
	radio_close(t.a);
	t.a = NULL;
	while (radio_recv(t.b, &rx, 1000) == 0) {
		assert_int_equal(pawlink_load_le64(rx.f.payload + 8), (uint64_t)got);
		got++;
	}
	assert_int_equal(got, 10);
	radio_air_stats(t.b, &st);
	assert_int_equal(st.nradios, 1);
	assert_int_equal(st.frames, 10);
	assert_int_equal(st.overrun, 0);
	trio_close(&t);
}

/* Only radios on the air when a frame is offered hear it. */
static void test_late_joiner(void **state)
{
	static struct radio_rx rx;
	struct radio *late;
	struct trio t;

	(void)state;
	trio_open(&t, NULL, 0);
	assert_int_equal(radio_send_beacon(t.a, 0), 0);
	assert_int_equal(radio_open_local(t.air, RADIO_PROMISC, &late), 0);
	assert_int_equal(radio_send_beacon(t.b, 0), 0);
	assert_int_equal(radio_recv(late, &rx, -1), 0);
	assert_memory_equal(rx.f.src, ID_B, PAWLINK_ID_LEN);
	assert_int_equal(radio_recv(late, &rx, 100), -ETIMEDOUT);
	radio_close(late);
	trio_close(&t);
}

/*
 * A single-threaded event loop with timers of its own: A sends a record,
 * then beacons every 5 ms; the loop advances to whichever comes first,
 * its next timer or the next arrival.
 */
static void test_event_loop_with_timers(void **state)
{
	static struct radio_rx rx;
	const uint64_t period = 5000000;
	uint8_t rec[64], frame[PAWLINK_AIR_FRAME_MAX];
	uint64_t next_beacon = period, heard[4], t, beacon_air, rec_air;
	struct air_config cfg;
	int beacons = 0, got = 0;
	struct trio t3;
	size_t n;

	(void)state;
	air_config_init(&cfg);
	trio_open(&t3, &cfg, 0);
	n = make_record(rec, PAWLINK_CH_PLAIN, 0, 1, 30);
	rec_air = air_airtime_ns(&cfg, PAWLINK_AIR_HDR_LEN + n);
	beacon_air = air_airtime_ns(&cfg, air_frame_build_beacon(frame,
					sizeof(frame), ID_A, 0));
	assert_int_equal(air_local_next_arrival(t3.air), UINT64_MAX);
	assert_int_equal(radio_send_record(t3.a, ID_B, rec, n), 0);
	for (;;) {
		while (radio_recv(t3.b, &rx, 0) == 0) {
			assert_true(got < 4);
			heard[got++] = rx.time_ns;
		}
		if (beacons < 3 && air_local_now(t3.air) >= next_beacon) {
			assert_int_equal(radio_send_beacon(t3.a, 0), 0);
			beacons++;
			next_beacon += period;
		}
		t = air_local_next_arrival(t3.air);
		if (beacons < 3 && next_beacon < t)
			t = next_beacon;
		if (t == UINT64_MAX)
			break;
		assert_int_equal(air_local_advance(t3.air,
						   t - air_local_now(t3.air)), 0);
	}
	assert_int_equal(got, 4);
	assert_int_equal(heard[0], rec_air + cfg.latency_ns);
	assert_int_equal(heard[1], period + beacon_air + cfg.latency_ns);
	assert_int_equal(heard[2], 2 * period + beacon_air + cfg.latency_ns);
	assert_int_equal(heard[3], 3 * period + beacon_air + cfg.latency_ns);
	trio_close(&t3);
}

/* The pollable fd: readable exactly while frames are queued. */
static void test_fd_readiness(void **state)
{
	static struct radio_rx rx;
	struct pollfd pfd;
	struct trio t;

	(void)state;
	trio_open(&t, NULL, 0);
	pfd.fd = radio_fd(t.b);
	pfd.events = POLLIN;
	assert_int_equal(poll(&pfd, 1, 0), 0);
	assert_int_equal(radio_send_beacon(t.a, 0), 0);
	assert_int_equal(radio_send_beacon(t.c, 0), 0);
	assert_int_equal(air_local_step(t.air), 1);
	assert_int_equal(air_local_step(t.air), 1);
	assert_int_equal(poll(&pfd, 1, 0), 1);
	assert_int_equal(radio_recv(t.b, &rx, 0), 0);
	assert_int_equal(poll(&pfd, 1, 0), 1);
	assert_int_equal(radio_recv(t.b, &rx, 0), 0);
	assert_int_equal(poll(&pfd, 1, 0), 0);
	assert_int_equal(radio_recv(t.b, &rx, 0), -ETIMEDOUT);
	trio_close(&t);
}

/* A sender ahead of the air blocks, and time moves to drain it. */
static void test_backlog_paces_sender(void **state)
{
	static struct radio_rx rx;
	uint8_t frame[PAWLINK_AIR_FRAME_MAX];
	struct air_config cfg;
	struct trio t;
	size_t n;
	int i;

	(void)state;
	air_config_init(&cfg);
	trio_open(&t, &cfg, 0);
	n = make_data_frame(frame, ID_A, ID_B, 0, 1000);
	for (i = 0; i < 3 * AIR_TX_BACKLOG_MAX; i++)
		assert_int_equal(radio_send_frame(t.a, frame, n), 0);
	/* Sending the last one waited for 2 * backlog frames to go out. */
	assert_true(air_local_now(t.air) >=
		    2 * AIR_TX_BACKLOG_MAX * air_airtime_ns(&cfg, n));
	for (i = 0; i < 3 * AIR_TX_BACKLOG_MAX; i++)
		assert_int_equal(radio_recv(t.b, &rx, -1), 0);
	trio_close(&t);
}

static void test_deadlock_single_thread(void **state)
{
	static struct radio_rx rx;
	struct trio t;

	(void)state;
	trio_open(&t, NULL, 0);
	assert_int_equal(radio_recv(t.a, &rx, -1), -EDEADLK);
	/* Not sticky without actors: the air still works. */
	assert_int_equal(radio_send_beacon(t.b, 0), 0);
	assert_int_equal(radio_recv(t.a, &rx, -1), 0);
	trio_close(&t);
}

/* ---- actor threads ------------------------------------------------------ */

enum { ROUNDS = 200 };

struct party {
	struct radio *r;
	const uint8_t *peer;
	int rc;
	uint64_t end_ns;
	int timeouts;
};

/* The host pings ROUNDS times, resending on a 50 ms timeout (so loss
 * would cost time, not a hang); each ping must come back as its pong.
 * An actor closes its radio when it is done, so time moves on without it. */
static void *host_main(void *arg)
{
	static __thread struct radio_rx rx;
	struct party *p = arg;
	uint8_t rec[64];
	uint64_t i;

	for (i = 0; i < ROUNDS && !p->rc; i++) {
		size_t n = make_record(rec, PAWLINK_CH_PLAIN, i, 1, 30);

		p->rc = radio_send_record(p->r, p->peer, rec, n);
		while (!p->rc) {
			p->rc = radio_recv(p->r, &rx, 50);
			if (p->rc == -ETIMEDOUT) {
				p->timeouts++;
				p->rc = radio_send_record(p->r, p->peer, rec,
							  n);
				continue;
			}
			if (!p->rc && pawlink_load_le64(rx.f.payload + 8) != i)
				p->rc = -EBADMSG;
			break;
		}
	}
	p->end_ns = radio_now(p->r);
	radio_close(p->r);
	return NULL;
}

static void *toy_main(void *arg)
{
	static __thread struct radio_rx rx;
	struct party *p = arg;
	int i;

	for (i = 0; i < ROUNDS && !p->rc; i++) {
		p->rc = radio_recv(p->r, &rx, -1);
		if (!p->rc)
			p->rc = radio_send_record(p->r, p->peer,
						  rx.f.payload,
						  rx.f.payload_len);
	}
	p->end_ns = radio_now(p->r);
	radio_close(p->r);
	return NULL;
}

static void test_actor_threads_ping_pong(void **state)
{
	uint8_t frame[PAWLINK_AIR_FRAME_MAX];
	struct party host = { .peer = ID_B }, toy = { .peer = ID_A };
	struct air_local *air;
	struct air_config cfg;
	pthread_t th, tt;
	uint64_t hop;

	(void)state;
	air_config_init(&cfg);
	assert_int_equal(air_local_new(&cfg, &air), 0);
	assert_int_equal(radio_open_local(air, RADIO_ACTOR, &host.r), 0);
	assert_int_equal(radio_open_local(air, RADIO_ACTOR, &toy.r), 0);
	assert_int_equal(radio_set_id(host.r, ID_A), 0);
	assert_int_equal(radio_set_id(toy.r, ID_B), 0);
	assert_int_equal(air_local_step(air), -EBUSY);

	assert_int_equal(pthread_create(&th, NULL, host_main, &host), 0);
	assert_int_equal(pthread_create(&tt, NULL, toy_main, &toy), 0);
	pthread_join(th, NULL);
	pthread_join(tt, NULL);
	assert_int_equal(host.rc, 0);
	assert_int_equal(toy.rc, 0);
	assert_int_equal(host.timeouts, 0);

	/* 2 * ROUNDS hops of one frame each, whatever the threads did in
	 * between: virtual time is the protocol's time alone. */
	hop = air_airtime_ns(&cfg, make_data_frame(frame, ID_A, ID_B, 0, 30)) +
	      cfg.latency_ns;
	assert_int_equal(host.end_ns, 2 * (uint64_t)ROUNDS * hop);
	assert_int_equal(toy.end_ns, (2 * (uint64_t)ROUNDS - 1) * hop);
	assert_int_equal(air_local_free(air), 0);
}

static void *wait_forever(void *arg)
{
	static __thread struct radio_rx rx;
	struct party *p = arg;

	p->rc = radio_recv(p->r, &rx, -1);
	return NULL;
}

static void test_actor_deadlock_detected(void **state)
{
	struct party a = { 0 }, b = { 0 };
	struct air_local *air;
	struct air_config cfg;
	pthread_t ta, tb;

	(void)state;
	air_config_init(&cfg);
	assert_int_equal(air_local_new(&cfg, &air), 0);
	assert_int_equal(radio_open_local(air, RADIO_ACTOR, &a.r), 0);
	assert_int_equal(radio_open_local(air, RADIO_ACTOR, &b.r), 0);
	assert_int_equal(pthread_create(&ta, NULL, wait_forever, &a), 0);
	assert_int_equal(pthread_create(&tb, NULL, wait_forever, &b), 0);
	pthread_join(ta, NULL);
	pthread_join(tb, NULL);
	assert_int_equal(a.rc, -EDEADLK);
	assert_int_equal(b.rc, -EDEADLK);
	radio_close(a.r);
	radio_close(b.r);
	assert_int_equal(air_local_free(air), 0);
}

/* ---- `pawsim air` as a process ------------------------------------------ */

struct air_proc {
	struct test_dir dir;
	struct child air;
};

static void air_proc_start(struct air_proc *p, const char *loss,
			   const char *seed)
{
	const char *const extra[] = { "--json", "--loss", loss, "--seed",
				      seed, NULL };

	assert_int_equal(test_dir_init(&p->dir), 0);
	assert_int_equal(pawsim_air_start(&p->air, p->dir.sock, extra), 0);
}

/* Stops the air; returns its exit status with its JSON in @json. */
static int air_proc_stop(struct air_proc *p, char *json, size_t cap)
{
	int rc = child_stop(&p->air, json, cap);
	struct stat st;

	/* It removed its socket on the way out. */
	assert_int_equal(stat(p->dir.sock, &st), -1);
	test_dir_remove(&p->dir);
	return rc;
}

static void test_process_two_radios(void **state)
{
	static struct radio_rx rx;
	static char json[8192];
	uint8_t frame[PAWLINK_AIR_FRAME_MAX], beacon[64];
	struct radio *a, *b, *c;
	struct air_stats st;
	struct air_proc p;
	size_t n, nb;

	(void)state;
	air_proc_start(&p, "0", "0");
	assert_int_equal(radio_open(p.dir.sock, 0, &a), 0);
	assert_int_equal(radio_open(p.dir.sock, 0, &b), 0);
	assert_int_equal(radio_open(p.dir.sock, RADIO_ACTOR, &c), -EINVAL);
	assert_int_equal(radio_set_id(a, ID_A), 0);
	assert_int_equal(radio_set_id(b, ID_B), 0);

	/* A beacons, then sends B a record; B hears both, in order. */
	nb = air_frame_build_beacon(beacon, sizeof(beacon), ID_A, 0);
	assert_int_equal(radio_send_beacon(a, 0), 0);
	n = make_data_frame(frame, ID_A, ID_B, 9, 200);
	assert_int_equal(radio_send_frame(a, frame, n), 0);
	assert_int_equal(radio_recv(b, &rx, TEST_WAIT_MS), 0);
	assert_int_equal(rx.len, nb);
	assert_memory_equal(rx.frame, beacon, nb);
	assert_int_equal(radio_recv(b, &rx, TEST_WAIT_MS), 0);
	assert_int_equal(rx.len, n);
	assert_memory_equal(rx.frame, frame, n);

	/* B answers.  The first thing A hears is the answer: had it heard
	 * its own frames, they would have come first. */
	n = make_data_frame(frame, ID_B, ID_A, 10, 20);
	assert_int_equal(radio_send_frame(b, frame, n), 0);
	assert_int_equal(radio_recv(a, &rx, TEST_WAIT_MS), 0);
	assert_memory_equal(rx.frame, frame, n);
	assert_true(rx.time_ns > 0);

	/* Junk is refused and counted; the air carries on. */
	memset(frame, 0x42, 100);
	assert_int_equal(radio_send_unchecked(a, frame, 100), 0);
	assert_int_equal(radio_send_beacon(a, PAWLINK_BEACON_PAIRING), 0);
	assert_int_equal(radio_recv(b, &rx, TEST_WAIT_MS), 0);
	assert_int_equal(rx.f.type, PAWLINK_AIR_BEACON);
	assert_int_equal(radio_air_stats(b, &st), 0);
	assert_int_equal(st.rejected, 1);
	assert_int_equal(st.frames, 4);
	assert_int_equal(st.delivered, 4);
	assert_int_equal(st.nradios, 2);
	assert_int_equal(st.rate_bps, AIR_RATE_DEFAULT);
	assert_memory_equal(st.radio[0].id, ID_A, PAWLINK_ID_LEN);
	assert_int_equal(st.radio[0].rejected, 1);
	assert_int_equal(st.radio[1].rx_frames, 3);

	radio_close(a);
	radio_close(b);
	assert_int_equal(air_proc_stop(&p, json, sizeof(json)), 0);
	assert_int_equal(json_number(json, "frames"), 4);
	assert_int_equal(json_number(json, "rejected"), 1);
	assert_int_equal(json_number(json, "joined"), 2);
}

/* A radio that hangs up mid-stream, and one that stops reading, do not
 * disturb a third. */
static void test_process_disconnect_mid_stream(void **state)
{
	enum { FRAMES = 300 };
	static struct radio_rx rx;
	static char json[8192];
	uint8_t frame[PAWLINK_AIR_FRAME_MAX];
	struct radio *a, *b, *c, *idle;
	struct air_stats st;
	struct air_proc p;
	int i;

	(void)state;
	air_proc_start(&p, "0", "0");
	assert_int_equal(radio_open(p.dir.sock, 0, &a), 0);
	assert_int_equal(radio_open(p.dir.sock, 0, &b), 0);
	assert_int_equal(radio_open(p.dir.sock, RADIO_PROMISC, &c), 0);
	assert_int_equal(radio_open(p.dir.sock, RADIO_PROMISC, &idle), 0);
	assert_int_equal(radio_set_id(a, ID_A), 0);
	assert_int_equal(radio_set_id(b, ID_B), 0);

	for (i = 0; i < FRAMES; i++) {
		size_t n = make_data_frame(frame, ID_A, ID_B, (uint64_t)i,
					   500);

		assert_int_equal(radio_send_frame(a, frame, n), 0);
		if (i == 10) {
			assert_int_equal(radio_recv(c, &rx, TEST_WAIT_MS), 0);
			radio_close(c);
		}
	}
	/* The sender leaves too; what it sent is on the air already. */
	radio_close(a);
	for (i = 0; i < FRAMES; i++) {
		assert_int_equal(radio_recv(b, &rx, TEST_WAIT_MS), 0);
		assert_int_equal(pawlink_load_le64(rx.f.payload + 8), (uint64_t)i);
	}
	assert_int_equal(radio_air_stats(b, &st), 0);
	assert_int_equal(st.nradios, 2);
	assert_int_equal(st.frames, FRAMES);
	assert_int_equal(st.lost, 0);
	assert_int_equal(st.radio[0].rx_frames, FRAMES);
	radio_close(idle);
	radio_close(b);
	assert_int_equal(air_proc_stop(&p, json, sizeof(json)), 0);
}

/*
 * A radio that leaves with frames it never read: Linux reports the hang-up
 * as a reset on the air's first read, ahead of the frame it sent last.
 * The air stays stopped while the radio sends and leaves, so that its
 * frame is still unread when the reset is seen.
 */
static void test_process_last_frame_of_a_deaf_leaver(void **state)
{
	static struct radio_rx rx;
	static char json[8192];
	uint8_t frame[PAWLINK_AIR_FRAME_MAX];
	struct pollfd pfd;
	struct radio *a, *b;
	struct air_proc p;
	size_t n;

	(void)state;
	air_proc_start(&p, "0", "0");
	assert_int_equal(radio_open(p.dir.sock, 0, &a), 0);
	assert_int_equal(radio_open(p.dir.sock, 0, &b), 0);
	assert_int_equal(radio_set_id(a, ID_A), 0);
	assert_int_equal(radio_set_id(b, ID_B), 0);
	/* B beacons; A hears it and never reads it. */
	assert_int_equal(radio_send_beacon(b, 0), 0);
	pfd = (struct pollfd){ .fd = radio_fd(a), .events = POLLIN };
	assert_int_equal(poll(&pfd, 1, TEST_WAIT_MS), 1);

	assert_int_equal(kill(p.air.pid, SIGSTOP), 0);
	n = make_data_frame(frame, ID_A, ID_B, 7, 100);
	assert_int_equal(radio_send_frame(a, frame, n), 0);
	radio_close(a);
	assert_int_equal(kill(p.air.pid, SIGCONT), 0);

	assert_int_equal(radio_recv(b, &rx, TEST_WAIT_MS), 0);
	assert_int_equal(rx.len, n);
	assert_memory_equal(rx.frame, frame, n);
	radio_close(b);
	assert_int_equal(air_proc_stop(&p, json, sizeof(json)), 0);
	assert_int_equal(json_number(json, "frames"), 2);
}

/* The loss model over the socket: the same seed drops the same frames. */
static void run_process_lossy(uint8_t *heard, int frames)
{
	static struct radio_rx rx;
	static char json[8192];
	uint8_t frame[PAWLINK_AIR_FRAME_MAX];
	struct radio *a, *b;
	struct air_stats st;
	struct air_proc p;
	int i;

	air_proc_start(&p, "30", "7");
	assert_int_equal(radio_open(p.dir.sock, 0, &a), 0);
	assert_int_equal(radio_open(p.dir.sock, 0, &b), 0);
	assert_int_equal(radio_set_id(a, ID_A), 0);
	assert_int_equal(radio_set_id(b, ID_B), 0);
	memset(heard, 0, (size_t)frames);
	for (i = 0; i < frames; i++) {
		size_t n = make_data_frame(frame, ID_A, ID_B, (uint64_t)i, 8);

		assert_int_equal(radio_send_frame(a, frame, n), 0);
	}
	/* Wait until the air has dealt with every frame: delivered to B or
	 * dropped.  Polling the counters is a wait for an event, bounded. */
	for (i = 0; i < TEST_WAIT_MS; i++) {
		assert_int_equal(radio_air_stats(b, &st), 0);
		if (st.radio[1].rx_frames + st.radio[1].rx_lost ==
		    (uint64_t)frames)
			break;
		usleep(1000);
	}
	assert_int_equal(st.radio[1].rx_frames + st.radio[1].rx_lost, frames);
	while (radio_recv(b, &rx, 0) == 0)
		heard[pawlink_load_le64(rx.f.payload + 8)] = 1;
	radio_close(a);
	radio_close(b);
	assert_int_equal(air_proc_stop(&p, json, sizeof(json)), 0);
}

static void test_process_loss_deterministic(void **state)
{
	enum { FRAMES = 400 };
	static uint8_t h1[FRAMES], h2[FRAMES];
	int i, got = 0;

	(void)state;
	run_process_lossy(h1, FRAMES);
	run_process_lossy(h2, FRAMES);
	assert_memory_equal(h1, h2, FRAMES);
	for (i = 0; i < FRAMES; i++)
		got += h1[i];
	/* p = 0.3 of 400: mean 120 lost, sd ~ 9.2. */
	assert_true(FRAMES - got > 120 - 46 && FRAMES - got < 120 + 46);
}

static void test_process_usage(void **state)
{
	static char out[4096];
	const char *no_socket[] = { "air", NULL };
	const char *bad_loss[] = { "air", "--socket", "/tmp/x", "--loss",
				   "101", NULL };
	const char *bad_rate[] = { "air", "--socket", "/tmp/x", "--rate",
				   "2Mb", NULL };
	const char *help[] = { "air", "--help", NULL };
	const char *version[] = { "--version", NULL };
	const char *no_air[] = { "air", "--socket",
				 "/tmp/pawlink-no-such-air.sock", "--stats",
				 NULL };

	(void)state;
	assert_int_equal(pawsim_run(no_socket, out, sizeof(out)), 1);
	assert_int_equal(pawsim_run(bad_loss, out, sizeof(out)), 1);
	assert_int_equal(pawsim_run(bad_rate, out, sizeof(out)), 1);
	assert_int_equal(pawsim_run(help, out, sizeof(out)), 0);
	assert_non_null(strstr(out, "--latency"));
	/* The one version, include/pawlink/version.h's, as pawctl's. */
	assert_int_equal(pawsim_run(version, out, sizeof(out)), 0);
	assert_non_null(strstr(out, "pawsim " PAWLINK_VERSION "\n"));
	assert_int_equal(pawsim_run(no_air, out, sizeof(out)), 2);
}

/* tests/native/air-smoke.sh: the same from the shell, as a user would. */
static void test_shell_smoke(void **state)
{
	int status;
	pid_t pid;

	(void)state;
	assert_int_equal(access(pawsim_path(), X_OK), 0);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		/* timeout(1) only turns a hang into a failure. */
		execlp("timeout", "timeout", "120", "sh",
		       "tests/native/air-smoke.sh", pawsim_path(),
		       (char *)NULL);
		_exit(127);
	}
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_frame_valid),
		cmocka_unit_test(test_frame_rules),
		cmocka_unit_test(test_proto_codec),
		cmocka_unit_test(test_broadcast_reaches_all_others),
		cmocka_unit_test(test_unicast_filter_and_promisc),
		cmocka_unit_test(test_send_checks),
		cmocka_unit_test(test_airtime_and_latency),
		cmocka_unit_test(test_contention_in_join_order),
		cmocka_unit_test(test_loss_deterministic_and_near_rate),
		cmocka_unit_test(test_malformed_rejected_and_counted),
		cmocka_unit_test(test_disconnect_mid_stream),
		cmocka_unit_test(test_late_joiner),
		cmocka_unit_test(test_event_loop_with_timers),
		cmocka_unit_test(test_fd_readiness),
		cmocka_unit_test(test_backlog_paces_sender),
		cmocka_unit_test(test_deadlock_single_thread),
		cmocka_unit_test(test_actor_threads_ping_pong),
		cmocka_unit_test(test_actor_deadlock_detected),
		cmocka_unit_test(test_process_two_radios),
		cmocka_unit_test(test_process_disconnect_mid_stream),
		cmocka_unit_test(test_process_last_frame_of_a_deaf_leaver),
		cmocka_unit_test(test_process_loss_deterministic),
		cmocka_unit_test(test_process_usage),
		cmocka_unit_test(test_shell_smoke),
	};

	signal(SIGPIPE, SIG_IGN);
	return cmocka_run_group_tests(tests, NULL, NULL);
}

// SPDX-License-Identifier: GPL-2.0
/*
 * The toy firmware's audio channel (Documentation/record-layer.rst, "Audio
 * channel"; toy.rst, "Audio streaming"), single threaded on a virtual
 * clock: the core on an in-memory platform, and a host modelled here that
 * seals and opens the channel's records itself, as the kernel does.  The
 * session's keys are staged as a handshake would leave them
 * (test_toy_firmware.c covers the handshake), so the first record starts
 * the session the toy's own way.  Each direction has a one-way delay and
 * may lose chosen records.  The toy's clock runs at (1 + ppm) x the host's.
 *
 *  - the jitter buffer plays in order, a lost period as silence of exactly
 *    one period, drops late, repeated and too-early periods;
 *  - credits are cumulative: losing half the STATE records costs nothing;
 *  - an underrun is counted, writes nothing, holds @played, and recovers;
 *  - a host sending only on credit with a window of 6 keeps at most 6 in
 *    flight and never starves the toy over 60 s at +200 and -200 ppm, and
 *    the speaker plays the source exactly;
 *  - START of capture goes through the MIC_START rule: refused without a
 *    session, or when the log cannot be saved; logged with the host,
 *    exactly as MIC_START is; numbered from 0 at each start, and carrying
 *    the speaker's credit in duplex (then no STATE is needed); the LED
 *    going off ends it with one STATE;
 *  - STOP of playback plays the tail first, then answers;
 *  - malformed bodies are dropped and counted, START/STOP ones answered
 *    E_MALFORMED; the session's end stops both directions.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <sodium.h>

#include "audio_wire.h"
#include "byteorder.h"
#include "msg_store.h"
#include "record_layer.h"
#include "toy_cmd.h"
#include "tmpdir.h"
#include "toy_priv.h"

#define FRAMES		PAWLINK_AUDIO_PERIOD_FRAMES
#define LATENCY_US	3000		/* one way, each direction */
#define STEP_US		500		/* the host's clock moves this much */
#define AIR_LINE_MAX	4096
#define SPEAKER_MAX	(7000 * FRAMES)	/* 70 s */
#define EVENTS_MAX	64
#define WINDOW		6

static const uint8_t host_id[PAWLINK_ID_LEN] = { 0x40, 1, 2, 3, 4, 5, 6, 7 };
static const uint8_t host_radio[PAWLINK_ID_LEN] = { 0x50, 9, 9, 9, 9, 9, 9, 9 };

struct in_flight {
	uint64_t at_us;			/* host clock */
	size_t len;
	uint8_t rec[PAWLINK_RECORD_MAX];
};

struct line {
	struct in_flight *q;		/* AIR_LINE_MAX */
	size_t head, n;
	unsigned long sent;		/* records put on it, ever */
	/* Drops record number k when lose(k) (NULL: none). */
	bool (*lose)(unsigned long k);
};

/* What the host has heard from the toy's audio channel. */
struct heard {
	unsigned int states, pcm;
	struct pawlink_audio_msg last_state;
	uint32_t played;		/* the highest credit heard */
	uint32_t mic_next;		/* the next microphone seq expected */
	unsigned int mic_gaps;
	int16_t mic_first;		/* first sample of the last period */
};

struct rig {
	int64_t ppm;
	uint64_t host_us;
	struct toy *t;
	struct pawlink_record_link host;
	struct line to_toy, to_host;
	struct heard h;
	char dir[64];
	struct pawlink_msg_store *store;
	uint8_t blob[TOY_BLOB_COUNT][TOY_BLOB_MAX];
	size_t blob_len[TOY_BLOB_COUNT];
	bool blob_set[TOY_BLOB_COUNT];
	int fail_blob;
	bool led;
	int16_t *speaker;
	size_t speaker_n;
	int16_t mic_next;
	struct pawlink_toy_event events[EVENTS_MAX];
	size_t n_events;
};

/* ---- the platform ------------------------------------------------------- */

static uint64_t pf_now(void *ctx)
{
	struct rig *r = ctx;

	/* Exact integer drift: µs + µs * ppm / 1e6. */
	return (uint64_t)((int64_t)r->host_us +
			  (int64_t)r->host_us * r->ppm / 1000000);
}

static void pf_random(void *ctx, uint8_t *buf, size_t len)
{
	(void)ctx;
	randombytes_buf(buf, len);
}

static int pf_blob_load(void *ctx, enum toy_blob b, uint8_t *buf, size_t cap,
			size_t *len)
{
	struct rig *r = ctx;

	if (!r->blob_set[b])
		return -ENOENT;
	*len = r->blob_len[b] < cap ? r->blob_len[b] : cap;
	memcpy(buf, r->blob[b], *len);
	return 0;
}

static int pf_blob_save(void *ctx, enum toy_blob b, const uint8_t *buf,
			size_t len)
{
	struct rig *r = ctx;

	if ((int)b == r->fail_blob || len > TOY_BLOB_MAX)
		return -EIO;
	memcpy(r->blob[b], buf, len);
	r->blob_len[b] = len;
	r->blob_set[b] = true;
	return 0;
}

static int pf_print_label(void *ctx, const char *code)
{
	(void)ctx;
	(void)code;
	return 0;
}

static int pf_set_id(void *ctx, const uint8_t id[PAWLINK_ID_LEN])
{
	(void)ctx;
	(void)id;
	return 0;
}

static void line_put(struct line *l, uint64_t at_us, const uint8_t *rec,
		     size_t len)
{
	struct in_flight *f;

	if (l->lose && l->lose(l->sent++))
		return;
	if (!l->lose)
		l->sent++;
	assert_true(l->n < AIR_LINE_MAX);
	f = &l->q[(l->head + l->n++) % AIR_LINE_MAX];
	f->at_us = at_us;
	f->len = len;
	memcpy(f->rec, rec, len);
}

static int pf_send(void *ctx, const uint8_t dst[PAWLINK_ID_LEN],
		   const uint8_t *rec, size_t len)
{
	struct rig *r = ctx;

	assert_memory_equal(dst, host_radio, PAWLINK_ID_LEN);
	line_put(&r->to_host, r->host_us + LATENCY_US, rec, len);
	return 0;
}

static int pf_beacon(void *ctx, uint8_t flags)
{
	(void)ctx;
	(void)flags;
	return 0;
}

static void pf_speaker(void *ctx, const int16_t *pcm, size_t frames)
{
	struct rig *r = ctx;

	assert_true(r->speaker_n + frames <= SPEAKER_MAX);
	memcpy(r->speaker + r->speaker_n, pcm, frames * sizeof(*pcm));
	r->speaker_n += frames;
}

static void pf_mic(void *ctx, int16_t *pcm, size_t frames)
{
	struct rig *r = ctx;
	size_t i;

	for (i = 0; i < frames; i++)
		pcm[i] = r->mic_next++;
}

static int pf_dec_open(const uint8_t *obj, size_t len, void **dec)
{
	(void)obj;
	(void)len;
	(void)dec;
	return -EIO;
}

static long pf_dec_read(void *dec, int16_t *pcm, size_t frames)
{
	(void)dec;
	(void)pcm;
	(void)frames;
	return 0;
}

static void pf_dec_close(void *dec)
{
	(void)dec;
}

static void pf_led(void *ctx, bool on)
{
	((struct rig *)ctx)->led = on;
}

static void pf_event(void *ctx, const struct pawlink_toy_event *ev)
{
	struct rig *r = ctx;

	if (r->n_events < EVENTS_MAX)
		r->events[r->n_events++] = *ev;
}

static struct pawlink_msg_store *pf_messages(void *ctx)
{
	return ((struct rig *)ctx)->store;
}

static int pf_erase(void *ctx)
{
	(void)ctx;
	return 0;
}

/* ---- the rig ------------------------------------------------------------ */

static void stage_session(struct rig *r)
{
	struct pawlink_key_install k = {
		.version = PAWLINK_KEYS_VERSION, .epoch = 1,
	};
	struct toy *t = r->t;

	randombytes_buf(k.h2t_ctrl, sizeof(k.h2t_ctrl));
	randombytes_buf(k.t2h_ctrl, sizeof(k.t2h_ctrl));
	randombytes_buf(k.h2t_audio, sizeof(k.h2t_audio));
	randombytes_buf(k.t2h_audio, sizeof(k.t2h_audio));
	assert_int_equal(pawlink_record_link_install(&r->host, &k,
						     PAWLINK_ROLE_HOST), 0);
	/* As toy_session_init() leaves it once a RESP went out. */
	assert_int_equal(pawlink_record_link_stage(&t->link, &k,
						   PAWLINK_ROLE_TOY), 0);
	t->staged = true;
	memcpy(t->staged_peer, host_radio, PAWLINK_ID_LEN);
	memcpy(t->staged_host, host_id, PAWLINK_ID_LEN);
	sodium_memzero(&k, sizeof(k));
}

static void rig_open(struct rig *r, int64_t ppm, bool session)
{
	struct toy_platform pf = {
		.now_us = pf_now, .random = pf_random,
		.blob_load = pf_blob_load, .blob_save = pf_blob_save,
		.print_label = pf_print_label, .radio_set_id = pf_set_id,
		.radio_send = pf_send, .radio_beacon = pf_beacon,
		.speaker = pf_speaker, .mic = pf_mic,
		.decoder_open = pf_dec_open, .decoder_read = pf_dec_read,
		.decoder_close = pf_dec_close, .led = pf_led,
		.event = pf_event, .messages = pf_messages,
		.erase_messages = pf_erase,
	};
	char err[256];

	memset(r, 0, sizeof(*r));
	r->ppm = ppm;
	r->fail_blob = -1;
	r->host_us = 1000000;
	r->speaker = calloc(SPEAKER_MAX, sizeof(*r->speaker));
	r->to_toy.q = calloc(AIR_LINE_MAX, sizeof(*r->to_toy.q));
	r->to_host.q = calloc(AIR_LINE_MAX, sizeof(*r->to_host.q));
	assert_non_null(r->speaker);
	assert_non_null(r->to_toy.q);
	assert_non_null(r->to_host.q);
	assert_int_equal(test_tmpdir(r->dir, sizeof(r->dir), "toyaudio",
				     TEST_TMP_FAST), 0);
	assert_int_equal(pawlink_msg_store_open_sealed(&r->store, r->dir, NULL,
						       err, sizeof(err)), 0);
	pf.ctx = r;
	assert_int_equal(toy_boot(&r->t, &pf), 0);
	/* Full volume, so the speaker's samples are the host's. */
	r->t->volume = PAWLINK_TOY_VOLUME_MAX;
	if (session)
		stage_session(r);
}

static void rig_close(struct rig *r)
{
	toy_free(r->t);
	pawlink_record_link_wipe(&r->host);
	pawlink_msg_store_close(r->store);
	assert_int_equal(test_rm_tree(r->dir), 0);
	free(r->speaker);
	free(r->to_toy.q);
	free(r->to_host.q);
}

/* The host seals @body on @channel and puts it on the air. */
static void host_send(struct rig *r, uint8_t channel, const uint8_t *body,
		      size_t len)
{
	uint8_t rec[PAWLINK_RECORD_MAX];
	size_t n;

	assert_int_equal(pawlink_record_link_seal(&r->host, channel, body, len,
						  rec, sizeof(rec), &n), 0);
	line_put(&r->to_toy, r->host_us + LATENCY_US, rec, n);
}

static void host_audio(struct rig *r, const struct pawlink_audio_msg *m)
{
	uint8_t body[PAWLINK_AUDIO_PCM_LEN];
	int n = pawlink_audio_msg_encode(body, sizeof(body), m);

	assert_true(n > 0);
	host_send(r, PAWLINK_CH_AUDIO, body, (size_t)n);
}

static void host_request(struct rig *r, uint8_t type, uint8_t dirs,
			 uint32_t req)
{
	struct pawlink_audio_msg m = { .type = type, .dirs = dirs, .seq = req };

	host_audio(r, &m);
}

/* Period @seq of the host's source: sample i is seq * 7 + i, wrapped. */
static void source_period(uint32_t seq, int16_t *pcm)
{
	unsigned int i;

	for (i = 0; i < FRAMES; i++)
		pcm[i] = (int16_t)(((seq * 7 + i) % 30000) + 1);
}

static void host_pcm(struct rig *r, uint32_t seq)
{
	struct pawlink_audio_msg m = { .type = PAWLINK_AUDIO_PCM, .seq = seq };

	source_period(seq, m.pcm);
	host_audio(r, &m);
}

static void host_command_value(struct rig *r, uint8_t type, uint16_t tag,
			       uint8_t value)
{
	struct pawlink_toy_frame f = { .type = type, .tag = tag };
	uint8_t buf[PAWLINK_FRAME_MAX];
	int n;

	f.u.value = value;
	n = pawlink_toy_encode(buf, sizeof(buf), &f);
	assert_true(n > 0);
	host_send(r, PAWLINK_CH_CTRL, buf, (size_t)n);
}

static void host_command(struct rig *r, uint8_t type, uint16_t tag)
{
	host_command_value(r, type, tag, 0);
}

static void host_take(struct rig *r, const uint8_t *rec, size_t len)
{
	uint8_t pt[PAWLINK_FRAME_MAX];
	struct pawlink_audio_msg m;
	uint8_t channel;
	size_t n;

	assert_int_equal(pawlink_record_link_open(&r->host, rec, len, &channel,
						  pt, sizeof(pt), &n), 0);
	if (channel != PAWLINK_CH_AUDIO)
		return;
	assert_int_equal(pawlink_audio_msg_decode(&m, pt, n), 0);
	/* Credits only go up. */
	assert_true(m.played >= r->h.played || m.played == 0);
	if (m.played > r->h.played)
		r->h.played = m.played;
	if (m.type == PAWLINK_AUDIO_STATE) {
		r->h.states++;
		r->h.last_state = m;
		return;
	}
	assert_int_equal(m.type, PAWLINK_AUDIO_PCM);
	if (m.seq != r->h.mic_next)
		r->h.mic_gaps++;
	r->h.mic_next = m.seq + 1;
	r->h.mic_first = m.pcm[0];
	r->h.pcm++;
}

/* Delivers what is due on both lines, at the host's time. */
static void deliver(struct rig *r)
{
	struct in_flight *f;

	while (r->to_toy.n &&
	       (f = &r->to_toy.q[r->to_toy.head])->at_us <= r->host_us) {
		toy_receive(r->t, host_radio, f->rec, f->len);
		r->to_toy.head = (r->to_toy.head + 1) % AIR_LINE_MAX;
		r->to_toy.n--;
	}
	while (r->to_host.n &&
	       (f = &r->to_host.q[r->to_host.head])->at_us <= r->host_us) {
		host_take(r, f->rec, f->len);
		r->to_host.head = (r->to_host.head + 1) % AIR_LINE_MAX;
		r->to_host.n--;
	}
}

/* One step of the host's clock: the air, then the toy's timers. */
static void step(struct rig *r)
{
	deliver(r);
	toy_run(r->t);
	r->host_us += STEP_US;
}

static void run_ms(struct rig *r, unsigned int ms)
{
	uint64_t end = r->host_us + ms * 1000ULL;

	while (r->host_us < end)
		step(r);
	deliver(r);
}

static bool period_is(const struct rig *r, size_t k, uint32_t seq)
{
	int16_t want[FRAMES];

	source_period(seq, want);
	return !memcmp(r->speaker + k * FRAMES, want, sizeof(want));
}

static bool period_silent(const struct rig *r, size_t k)
{
	size_t i;

	for (i = 0; i < FRAMES; i++)
		if (r->speaker[k * FRAMES + i])
			return false;
	return true;
}

/* Starts the session (its first record) and playback, request 1. */
static void start_playback(struct rig *r)
{
	host_request(r, PAWLINK_AUDIO_START, PAWLINK_AUDIO_DIR_PLAYBACK, 1);
	run_ms(r, 10);
	assert_true(r->t->session);
	assert_int_equal(r->h.last_state.seq, 1);
	assert_int_equal(r->h.last_state.status, PAWLINK_AUDIO_OK);
	assert_int_equal(r->h.last_state.dirs, PAWLINK_AUDIO_DIR_PLAYBACK);
}

/* ---- tests -------------------------------------------------------------- */

static void test_jitter_buffer_order_and_loss(void **state)
{
	const struct toy_counters *c;
	struct rig r;

	(void)state;
	rig_open(&r, 0, true);
	start_playback(&r);
	/* Out of order, 3 never sent; 17 is beyond the window. */
	host_pcm(&r, 0);
	host_pcm(&r, 2);
	host_pcm(&r, 1);
	host_pcm(&r, 4);
	host_pcm(&r, 17);
	host_pcm(&r, 5);
	run_ms(&r, 25);
	/* Played 0 on: a period already played comes again. */
	host_pcm(&r, 0);
	host_request(&r, PAWLINK_AUDIO_STOP, PAWLINK_AUDIO_DIR_PLAYBACK, 2);
	run_ms(&r, 200);

	c = toy_get_counters(r.t);
	assert_int_equal(r.speaker_n, 6 * FRAMES);
	assert_true(period_is(&r, 0, 0));
	assert_true(period_is(&r, 1, 1));
	assert_true(period_is(&r, 2, 2));
	assert_true(period_silent(&r, 3));	/* exactly one period */
	assert_true(period_is(&r, 4, 4));
	assert_true(period_is(&r, 5, 5));
	assert_int_equal(c->speaker_lost, 1);
	assert_int_equal(c->speaker_late, 1);
	assert_int_equal(c->speaker_dropped, 1);
	assert_int_equal(c->speaker_underruns, 0);
	/* STOP answered once drained, with the final credit. */
	assert_int_equal(r.h.last_state.seq, 2);
	assert_int_equal(r.h.last_state.dirs, 0);
	assert_int_equal(r.h.last_state.played, 6);
	assert_false(r.t->spk.on);
	rig_close(&r);
}

static bool lose_odd(unsigned long k)
{
	return k % 2;
}

/*
 * The host model of the kernel's playback: sends period n only while
 * n < played + WINDOW, from a source of @total periods; checks in-flight.
 * Returns the most in flight seen.
 */
static uint32_t host_stream(struct rig *r, uint32_t total, bool check_held)
{
	uint32_t next = 0, most = 0;

	/* Until the toy played it all (the last credit may be lost). */
	while (r->t->spk.played < total) {
		deliver(r);
		while (next < total && next < r->h.played + WINDOW) {
			host_pcm(r, next++);
			assert_true(next - r->h.played <= WINDOW);
		}
		if (next - r->h.played > most)
			most = next - r->h.played;
		/* The toy never holds more than the host may send. */
		if (check_held)
			assert_true(r->t->spk.held <= WINDOW);
		toy_run(r->t);
		r->host_us += STEP_US;
		assert_true(r->host_us < 200ULL * 1000000);
	}
	return most;
}

static void test_credits_cumulative_lost_state_costs_nothing(void **state)
{
	const struct toy_counters *c;
	struct rig r;
	unsigned int i;

	(void)state;
	rig_open(&r, 0, true);
	start_playback(&r);
	/* From here every other record of the toy's is lost. */
	r.to_host.lose = lose_odd;
	r.to_host.sent = 0;
	host_stream(&r, 300, true);
	c = toy_get_counters(r.t);
	assert_true(r.h.states >= 140);	/* half of ~300 got through */
	assert_int_equal(c->speaker_underruns, 0);
	assert_int_equal(c->speaker_lost, 0);
	for (i = 0; i < 300; i++)
		assert_true(period_is(&r, i, i));
	rig_close(&r);
}

static void test_underrun_counted_and_recovers(void **state)
{
	const struct toy_counters *c;
	struct rig r;
	uint32_t i;

	(void)state;
	rig_open(&r, 0, true);
	start_playback(&r);
	for (i = 0; i < 5; i++)
		host_pcm(&r, i);
	run_ms(&r, 300);
	c = toy_get_counters(r.t);
	assert_int_equal(c->speaker_underruns, 1);
	assert_int_equal(r.t->spk.played, 5);	/* held, not advanced */
	assert_int_equal(r.h.played, 5);
	assert_int_equal(r.speaker_n, 5 * FRAMES);	/* nothing written */
	assert_true(r.t->spk.on);

	/* More comes: prefill, then it plays on where it stopped. */
	for (i = 5; i < 10; i++)
		host_pcm(&r, i);
	run_ms(&r, 200);
	assert_int_equal(c->speaker_underruns, 2);	/* the end again */
	assert_int_equal(c->speaker_lost, 0);
	assert_int_equal(r.h.played, 10);
	assert_int_equal(r.speaker_n, 10 * FRAMES);
	for (i = 0; i < 10; i++)
		assert_true(period_is(&r, i, i));
	rig_close(&r);
}

static void drift(int64_t ppm)
{
	const uint32_t total = 6000;	/* 60 s */
	const struct toy_counters *c;
	uint64_t t0, want;
	uint32_t most, i;
	struct rig r;

	rig_open(&r, ppm, true);
	start_playback(&r);
	t0 = r.host_us;
	most = host_stream(&r, total, true);
	c = toy_get_counters(r.t);
	assert_true(most <= WINDOW);
	assert_int_equal(c->speaker_underruns, 0);
	assert_int_equal(c->speaker_lost, 0);
	assert_int_equal(c->speaker_late + c->speaker_dropped, 0);
	for (i = 0; i < total; i++)
		assert_true(period_is(&r, i, i));
	/*
	 * The toy set the pace: its last period began 59.99 s of its own
	 * time after the first, which came one air latency after the host
	 * sent it: (59.99 s / (1 + ppm)) of the host's, within a step or
	 * two; ppm moves this by 12 ms.
	 */
	want = LATENCY_US + 59990000ULL * 1000000 / (uint64_t)(1000000 + ppm);
	assert_true(r.host_us - t0 + 2 * STEP_US >= want);
	assert_true(r.host_us - t0 <= want + 2 * STEP_US);
	rig_close(&r);
}

static void test_credit_window_holds_at_plus_200_ppm(void **state)
{
	(void)state;
	drift(200);
}

static void test_credit_window_holds_at_minus_200_ppm(void **state)
{
	(void)state;
	drift(-200);
}

static void test_start_capture_needs_a_session(void **state)
{
	struct rig r;

	(void)state;
	/* No keys at the toy: the record does not even open. */
	rig_open(&r, 0, false);
	{
		struct pawlink_key_install k = {
			.version = PAWLINK_KEYS_VERSION, .epoch = 1,
		};

		randombytes_buf(k.h2t_audio, sizeof(k.h2t_audio));
		assert_int_equal(pawlink_record_link_install(&r.host, &k,
							     PAWLINK_ROLE_HOST), 0);
	}
	host_request(&r, PAWLINK_AUDIO_START, PAWLINK_AUDIO_DIR_CAPTURE, 1);
	run_ms(&r, 100);
	assert_false(r.t->mic);
	assert_false(r.led);
	assert_int_equal(r.t->log.mic_starts, 0);
	assert_int_equal(r.to_host.sent, 0);	/* not one answer */
	rig_close(&r);

	/* A session whose log cannot be saved: refused, nothing starts. */
	rig_open(&r, 0, true);
	r.fail_blob = TOY_BLOB_LOG;
	host_request(&r, PAWLINK_AUDIO_START, PAWLINK_AUDIO_DIR_CAPTURE, 1);
	run_ms(&r, 100);
	assert_int_equal(r.h.states, 1);
	assert_int_equal(r.h.last_state.status, PAWLINK_AUDIO_E_REFUSED);
	assert_int_equal(r.h.last_state.dirs, 0);
	assert_int_equal(r.h.pcm, 0);
	assert_false(r.t->mic);
	assert_false(r.led);
	rig_close(&r);
}

static const struct pawlink_toy_event *find_event(const struct rig *r,
						  uint8_t event, size_t nth)
{
	size_t i;

	for (i = 0; i < r->n_events; i++)
		if (r->events[i].event == event && !nth--)
			return &r->events[i];
	return NULL;
}

static void test_start_capture_logged_like_mic_start(void **state)
{
	const struct pawlink_toy_event *a, *b;
	struct rig r;
	unsigned int pcm;

	(void)state;
	rig_open(&r, 0, true);
	/* pawctl record's way: the MIC_START command. */
	host_command(&r, PAWLINK_TOY_MIC_START_REQ, 1);
	run_ms(&r, 50);
	assert_true(r.t->mic);
	host_command(&r, PAWLINK_TOY_MIC_STOP_REQ, 2);
	run_ms(&r, 20);
	assert_false(r.t->mic);
	assert_false(r.led);

	/* The kernel's way: START on the audio channel. */
	pcm = r.h.pcm;
	r.h.mic_next = 0;
	r.h.mic_gaps = 0;
	host_request(&r, PAWLINK_AUDIO_START, PAWLINK_AUDIO_DIR_CAPTURE, 1);
	run_ms(&r, 5);
	assert_true(r.led);
	run_ms(&r, 100);
	assert_int_equal(r.h.last_state.seq, 1);
	assert_int_equal(r.h.last_state.status, PAWLINK_AUDIO_OK);
	assert_int_equal(r.h.last_state.dirs, PAWLINK_AUDIO_DIR_CAPTURE);
	/* Numbered from 0 again, none missing. */
	assert_true(r.h.pcm - pcm >= 9);
	assert_int_equal(r.h.mic_gaps, 0);
	/* A repeat (its answer lost) is answered, not done twice. */
	host_request(&r, PAWLINK_AUDIO_START, PAWLINK_AUDIO_DIR_CAPTURE, 1);
	run_ms(&r, 20);
	assert_int_equal(r.h.last_state.seq, 1);
	host_request(&r, PAWLINK_AUDIO_STOP, PAWLINK_AUDIO_DIR_CAPTURE, 2);
	run_ms(&r, 20);
	assert_int_equal(r.h.last_state.seq, 2);
	assert_int_equal(r.h.last_state.dirs, 0);
	assert_false(r.t->mic);
	assert_false(r.led);

	/* Two starts, two stops, each pair alike: event, detail, host. */
	assert_int_equal(r.t->log.mic_starts, 2);
	assert_null(find_event(&r, PAWLINK_TOY_EV_MIC_START, 2));
	a = find_event(&r, PAWLINK_TOY_EV_MIC_START, 0);
	b = find_event(&r, PAWLINK_TOY_EV_MIC_START, 1);
	assert_non_null(a);
	assert_non_null(b);
	assert_int_equal(a->detail, b->detail);
	assert_memory_equal(a->host_id, host_id, PAWLINK_ID_LEN);
	assert_memory_equal(b->host_id, host_id, PAWLINK_ID_LEN);
	a = find_event(&r, PAWLINK_TOY_EV_MIC_STOP, 0);
	b = find_event(&r, PAWLINK_TOY_EV_MIC_STOP, 1);
	assert_non_null(a);
	assert_non_null(b);
	assert_int_equal(a->detail, PAWLINK_TOY_MIC_HOST);
	assert_int_equal(b->detail, PAWLINK_TOY_MIC_HOST);
	assert_memory_equal(b->host_id, host_id, PAWLINK_ID_LEN);
	rig_close(&r);
}

static void test_led_off_ends_capture_with_a_state(void **state)
{
	unsigned int states;
	struct rig r;

	(void)state;
	rig_open(&r, 0, true);
	host_request(&r, PAWLINK_AUDIO_START, PAWLINK_AUDIO_DIR_CAPTURE, 1);
	run_ms(&r, 50);
	assert_int_equal(r.h.last_state.dirs, PAWLINK_AUDIO_DIR_CAPTURE);
	states = r.h.states;
	/* The LED off stops the microphone; the host hears it at once. */
	host_command_value(&r, PAWLINK_TOY_LED_REQ, 5, 0);
	run_ms(&r, 20);
	assert_false(r.t->mic);
	assert_int_equal(r.h.states, states + 1);
	assert_int_equal(r.h.last_state.seq, 1);
	assert_int_equal(r.h.last_state.dirs, 0);
	/* Once: nothing changed since. */
	run_ms(&r, 100);
	assert_int_equal(r.h.states, states + 1);
	rig_close(&r);
}

static void test_duplex_credit_rides_the_microphone(void **state)
{
	const struct toy_counters *c;
	unsigned int states;
	struct rig r;

	(void)state;
	rig_open(&r, 0, true);
	host_request(&r, PAWLINK_AUDIO_START,
		     PAWLINK_AUDIO_DIR_CAPTURE | PAWLINK_AUDIO_DIR_PLAYBACK, 1);
	run_ms(&r, 10);
	assert_int_equal(r.h.last_state.dirs, PAWLINK_AUDIO_DIRS_ALL);
	states = r.h.states;
	host_stream(&r, 200, true);
	c = toy_get_counters(r.t);
	/* Credits came in the microphone's records alone. */
	assert_int_equal(r.h.states, states);
	assert_int_equal(r.h.mic_gaps, 0);
	assert_int_equal(c->speaker_underruns, 0);
	assert_true(r.h.pcm >= 195);
	rig_close(&r);
}

static void test_stop_playback_drains_the_tail(void **state)
{
	struct rig r;

	(void)state;
	rig_open(&r, 0, true);
	start_playback(&r);
	/* Fewer than the prefill, and STOP right behind them (aplay's drain). */
	host_pcm(&r, 0);
	host_pcm(&r, 1);
	host_request(&r, PAWLINK_AUDIO_STOP, PAWLINK_AUDIO_DIR_PLAYBACK, 2);
	run_ms(&r, 8);
	/* Playing the tail; not answered yet. */
	assert_int_not_equal(r.h.last_state.seq, 2);
	assert_true(r.t->spk.on);
	run_ms(&r, 50);
	assert_int_equal(r.speaker_n, 2 * FRAMES);
	assert_true(period_is(&r, 0, 0));
	assert_true(period_is(&r, 1, 1));
	assert_int_equal(r.h.last_state.seq, 2);
	assert_int_equal(r.h.last_state.played, 2);
	assert_int_equal(r.h.last_state.dirs, 0);
	assert_int_equal(toy_get_counters(r.t)->speaker_underruns, 0);
	/* A period after STOP is not played. */
	host_pcm(&r, 2);
	run_ms(&r, 50);
	assert_int_equal(r.speaker_n, 2 * FRAMES);
	assert_int_equal(toy_get_counters(r.t)->speaker_dropped, 1);
	rig_close(&r);
}

static void test_short_sound_starts_after_prefill_time(void **state)
{
	struct rig r;

	(void)state;
	rig_open(&r, 0, true);
	start_playback(&r);
	host_pcm(&r, 0);
	run_ms(&r, 20);
	assert_int_equal(r.speaker_n, 0);	/* waiting for more */
	run_ms(&r, 30);
	assert_int_equal(r.speaker_n, FRAMES);	/* 30 ms on, it played */
	assert_true(period_is(&r, 0, 0));
	rig_close(&r);
}

static void test_malformed_bodies_dropped(void **state)
{
	struct pawlink_toy_status_info st;
	uint8_t body[PAWLINK_AUDIO_PCM_LEN + 1];
	struct pawlink_audio_msg m = { .type = PAWLINK_AUDIO_PCM };
	struct rig r;
	uint64_t before;

	(void)state;
	rig_open(&r, 0, true);
	start_playback(&r);
	toy_get_status(r.t, &st);
	before = st.rx_dropped_malformed;

	assert_int_equal(pawlink_audio_msg_encode(body, sizeof(body), &m),
			 PAWLINK_AUDIO_PCM_LEN);
	host_send(&r, PAWLINK_CH_AUDIO, body, PAWLINK_AUDIO_PCM_LEN - 1);
	host_send(&r, PAWLINK_CH_AUDIO, body, PAWLINK_AUDIO_PCM_LEN + 1);
	host_send(&r, PAWLINK_CH_AUDIO, body, 320);	/* the old raw form */
	body[3] = 1;					/* reserved */
	host_send(&r, PAWLINK_CH_AUDIO, body, PAWLINK_AUDIO_PCM_LEN);
	body[3] = 0;
	body[0] = 9;					/* unknown type */
	host_send(&r, PAWLINK_CH_AUDIO, body, PAWLINK_AUDIO_PCM_LEN);
	body[0] = PAWLINK_AUDIO_PCM;
	body[8] = 1;				/* a host reporting played */
	host_send(&r, PAWLINK_CH_AUDIO, body, PAWLINK_AUDIO_PCM_LEN);
	memset(body, 0, sizeof(body));
	body[0] = PAWLINK_AUDIO_STATE;			/* the toy's type */
	host_send(&r, PAWLINK_CH_AUDIO, body, PAWLINK_AUDIO_HDR_LEN);
	run_ms(&r, 50);
	assert_int_equal(r.speaker_n, 0);
	assert_int_equal(r.h.states, 1);		/* no answers */

	/* START with no direction, with an unknown one, too long: answered. */
	body[0] = PAWLINK_AUDIO_START;
	pawlink_store_le32(body + 4, 7);
	host_send(&r, PAWLINK_CH_AUDIO, body, PAWLINK_AUDIO_HDR_LEN);
	run_ms(&r, 10);
	assert_int_equal(r.h.states, 2);
	assert_int_equal(r.h.last_state.seq, 7);
	assert_int_equal(r.h.last_state.status, PAWLINK_AUDIO_E_MALFORMED);
	body[0] = PAWLINK_AUDIO_STOP;
	body[1] = 0x04;
	pawlink_store_le32(body + 4, 8);
	host_send(&r, PAWLINK_CH_AUDIO, body, PAWLINK_AUDIO_HDR_LEN);
	body[0] = PAWLINK_AUDIO_START;
	body[1] = PAWLINK_AUDIO_DIR_CAPTURE;
	pawlink_store_le32(body + 4, 9);
	host_send(&r, PAWLINK_CH_AUDIO, body, PAWLINK_AUDIO_HDR_LEN + 1);
	run_ms(&r, 10);
	assert_int_equal(r.h.states, 4);
	assert_int_equal(r.h.last_state.seq, 9);
	assert_int_equal(r.h.last_state.status, PAWLINK_AUDIO_E_MALFORMED);
	/* Nothing of it acted: playback still on, microphone off. */
	assert_true(r.t->spk.on);
	assert_false(r.t->mic);
	assert_int_equal(r.t->log.mic_starts, 0);

	assert_int_equal(toy_get_counters(r.t)->audio_malformed, 10);
	toy_get_status(r.t, &st);
	assert_int_equal(st.rx_dropped_malformed - before, 10);
	rig_close(&r);
}

static void test_session_end_stops_both(void **state)
{
	struct rig r;
	uint32_t i;

	(void)state;
	rig_open(&r, 0, true);
	host_request(&r, PAWLINK_AUDIO_START, PAWLINK_AUDIO_DIRS_ALL, 1);
	for (i = 0; i < 6; i++)
		host_pcm(&r, i);
	run_ms(&r, 30);
	assert_true(r.t->mic);
	assert_true(r.t->spk.on);
	host_command(&r, PAWLINK_TOY_BYE_REQ, 3);
	run_ms(&r, 10);
	assert_false(r.t->session);
	assert_false(r.t->mic);
	assert_false(r.t->spk.on);
	assert_false(r.led);
	i = (uint32_t)r.speaker_n;
	run_ms(&r, 100);
	assert_int_equal(r.speaker_n, i);	/* nothing more played */
	rig_close(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_jitter_buffer_order_and_loss),
		cmocka_unit_test(test_credits_cumulative_lost_state_costs_nothing),
		cmocka_unit_test(test_underrun_counted_and_recovers),
		cmocka_unit_test(test_credit_window_holds_at_plus_200_ppm),
		cmocka_unit_test(test_credit_window_holds_at_minus_200_ppm),
		cmocka_unit_test(test_start_capture_needs_a_session),
		cmocka_unit_test(test_start_capture_logged_like_mic_start),
		cmocka_unit_test(test_led_off_ends_capture_with_a_state),
		cmocka_unit_test(test_duplex_credit_rides_the_microphone),
		cmocka_unit_test(test_stop_playback_drains_the_tail),
		cmocka_unit_test(test_short_sound_starts_after_prefill_time),
		cmocka_unit_test(test_malformed_bodies_dropped),
		cmocka_unit_test(test_session_end_stops_both),
	};

	if (sodium_init() < 0)
		return 1;
	return cmocka_run_group_tests(tests, NULL, NULL);
}

// SPDX-License-Identifier: GPL-2.0
/*
 * The toy firmware core's own rules, on the in-process air with a real
 * host (libpawlink's façade) and an attacker's radio beside it:
 *
 *  - no command reaches the toy's functions without a session with a
 *    pinned, paired host: commands in the clear are refused and counted,
 *    before pairing, after pairing and during a session;
 *  - a host the toy does not know gets no session; nor does one that
 *    unpaired; nor does a replayed or forged frame;
 *  - the microphone streams only inside a session and only while the LED
 *    is lit; on the air path a gap in its numbers becomes silence of
 *    exactly the gap's length; every start is logged (durably, or it does not start) and the
 *    host can read the log;
 *  - a factory reset erases hosts, messages, keys and the log;
 *  - beacons carry the toy's id on the air and the pairing flag, nothing
 *    else;
 *  - a silent session ends by itself; a corrupt flash refuses to boot.
 */
#include <dirent.h>
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

#include "beacon_id.h"
#include "keystore.h"
#include "msg_wire.h"
#include "record_layer.h"
#include "toy_priv.h"
#include "toy_sim.h"

#define LOG_ROOM	128

struct scene {
	struct air_local *air;
	struct test_host a;
	struct toy_sim toy;
	uint8_t toy_id[PAWLINK_ID_LEN];
	struct radio *rogue;		/* promiscuous, not an actor */
	uint8_t rogue_id[PAWLINK_ID_LEN];
};

static void scene_open_air(struct scene *s, const struct air_config *cfg)
{
	memset(s, 0, sizeof(*s));
	assert_int_equal(air_local_new(cfg, &s->air), 0);
	assert_int_equal(test_host_open(&s->a, s->air), 0);
	assert_int_equal(toy_sim_init(&s->toy, s->air), 0);
	assert_int_equal(toy_sim_start(&s->toy), 0);
	toy_sim_id(&s->toy, s->toy_id);
	assert_int_equal(radio_open_local(s->air, RADIO_PROMISC, &s->rogue), 0);
	memset(s->rogue_id, 0xee, sizeof(s->rogue_id));
	s->rogue_id[7] = 1;
	assert_int_equal(radio_set_id(s->rogue, s->rogue_id), 0);
}

static void scene_open(struct scene *s)
{
	struct air_config cfg;

	air_config_init(&cfg);
	scene_open_air(s, &cfg);
}

/* Stops the toy through @h (the host that is open) and closes it all. */
static void scene_close(struct scene *s, struct test_host *h)
{
	assert_int_equal(pawlink_disconnect(h->p), 0);
	toy_sim_stop(&s->toy, h->t, false);
	test_host_close(h);
	radio_close(s->rogue);
	toy_sim_done(&s->toy);
	assert_int_equal(air_local_free(s->air), 0);
}

static void pair_and_connect(struct scene *s, struct test_host *h)
{
	int rc = test_host_pair(h, &s->toy);

	if (rc)
		fail_msg("pairing: %s", pawlink_error(h->p));
	rc = pawlink_connect(h->p, s->toy_id, NULL);
	if (rc)
		fail_msg("session: %s", pawlink_error(h->p));
}

/* The rogue sends @body to the toy as a plaintext record. */
static void rogue_plain(struct scene *s, const uint8_t *body, size_t len)
{
	uint8_t rec[PAWLINK_RECORD_MAX];
	size_t n;

	uint8_t addr[PAWLINK_ID_LEN];

	assert_int_equal(pawlink_record_write_plain(PAWLINK_CH_PLAIN, body, len,
						    rec, sizeof(rec), &n), 0);
	/* Where a rogue finds it: the id its beacons come from. */
	toy_sim_address(&s->toy, addr);
	assert_int_equal(radio_send_record(s->rogue, addr, rec, n), 0);
}

/* Empties the rogue's queue; returns the data frames the toy sent it. */
static unsigned int rogue_drain(struct scene *s)
{
	static struct radio_rx rx;
	unsigned int answers = 0;

	while (radio_recv(s->rogue, &rx, 0) == 0)
		answers += rx.f.type == PAWLINK_AIR_DATA &&
			   !memcmp(rx.f.dst, s->rogue_id, PAWLINK_ID_LEN);
	return answers;
}

/* Every command a toy has, and two message requests, in the clear. */
static unsigned int send_plain_commands(struct scene *s)
{
	static const uint8_t types[] = {
		PAWLINK_TOY_STATUS_REQ, PAWLINK_TOY_MIC_START_REQ,
		PAWLINK_TOY_LOG_REQ, PAWLINK_TOY_UNPAIR_REQ,
		PAWLINK_TOY_BYE_REQ, PAWLINK_TOY_LED_REQ,
		PAWLINK_TOY_VOLUME_REQ,
	};
	struct pawlink_msg_frame m = { .type = PAWLINK_MSG_LIST_REQ, .tag = 1 };
	uint8_t buf[PAWLINK_FRAME_MAX];
	unsigned int i;
	int n;

	for (i = 0; i < sizeof(types); i++) {
		struct pawlink_toy_frame f = { .type = types[i], .tag = 7 };

		f.u.value = types[i] == PAWLINK_TOY_LED_REQ ? 1 : 100;
		n = pawlink_toy_encode(buf, sizeof(buf), &f);
		assert_true(n > 0);
		rogue_plain(s, buf, (size_t)n);
	}
	n = pawlink_msg_encode(buf, sizeof(buf), &m);
	assert_true(n > 0);
	rogue_plain(s, buf, (size_t)n);
	m.type = PAWLINK_MSG_DELETE_REQ;
	m.u.id[0] = 1;
	n = pawlink_msg_encode(buf, sizeof(buf), &m);
	rogue_plain(s, buf, (size_t)n);
	return i + 2;
}

static struct pawlink_toy_status_info toy_status(struct scene *s)
{
	struct pawlink_toy_status_info st;

	toy_sim_status(&s->toy, &st);
	return st;
}

static void assert_mic_never_started(struct scene *s)
{
	struct pawlink_toy_status_info st = toy_status(s);

	assert_false(st.mic);
	assert_false(st.led);
	assert_int_equal(st.mic_starts, 0);
	assert_int_equal(st.audio_frames_sent, 0);
	assert_int_equal(toy_sim_count_events(&s->toy,
					      PAWLINK_TOY_EV_MIC_START), 0);
	assert_false(s->toy.led);
	assert_int_equal(s->toy.led_changes, 0);
}

static void test_commands_before_a_session_are_refused(void **state)
{
	struct pawlink_toy_status_info st;
	unsigned int sent;
	struct scene s;

	(void)state;
	scene_open(&s);

	/* A stranger, before anyone paired. */
	rogue_drain(&s);
	sent = send_plain_commands(&s);
	test_host_idle(&s.a, 500);
	assert_int_equal(rogue_drain(&s), 0);	/* not one answer */
	st = toy_status(&s);
	assert_int_equal(st.refused_unauth, sent);
	assert_int_equal(st.volume, TOY_VOLUME_DEFAULT);
	assert_mic_never_started(&s);

	/* Paired, but no session yet: still nothing. */
	assert_int_equal(test_host_pair(&s.a, &s.toy), 0);
	sent += send_plain_commands(&s);
	test_host_idle(&s.a, 500);
	assert_int_equal(rogue_drain(&s), 0);
	st = toy_status(&s);
	assert_int_equal(st.refused_unauth, sent);
	assert_int_equal(st.paired_hosts, 1);
	assert_mic_never_started(&s);

	/* In a session, plaintext is dropped and counted as such. */
	assert_int_equal(pawlink_connect(s.a.p, s.toy_id, NULL), 0);
	send_plain_commands(&s);
	test_host_idle(&s.a, 10);	/* on the air before the next request */
	assert_int_equal(pawlink_status(s.a.p, &st), 0);
	assert_int_equal(st.rx_dropped_plaintext, 9);
	assert_int_equal(st.refused_unauth, sent);
	assert_int_equal(st.paired_hosts, 1);
	assert_mic_never_started(&s);
	assert_int_equal(rogue_drain(&s) , 0);
	scene_close(&s, &s.a);
}

/* The pin @h holds for the toy, to give to another host. */
static struct pawlink_toy_record pin_of(struct test_host *h,
					const uint8_t toy_id[PAWLINK_ID_LEN])
{
	struct pawlink_toy_record rec;
	struct pawlink_keystore ks;

	assert_int_equal(pawlink_keystore_open(&ks, h->dir, NULL, 0), 0);
	assert_int_equal(pawlink_keystore_toy_load(&ks, toy_id, &rec, NULL, 0),
			 0);
	pawlink_keystore_close(&ks);
	return rec;
}

static void give_pin(struct test_host *h, const struct pawlink_toy_record *rec)
{
	struct pawlink_keystore ks;

	assert_int_equal(pawlink_keystore_open(&ks, h->dir, NULL, 0), 0);
	assert_int_equal(pawlink_keystore_toy_save(&ks, rec, NULL, 0), 0);
	pawlink_keystore_close(&ks);
}

static void test_unpaired_host_gets_no_session(void **state)
{
	struct pawlink_toy_status_info st;
	struct pawlink_toy_record pin;
	struct test_host b;
	struct scene s;

	(void)state;
	scene_open(&s);
	assert_int_equal(test_host_pair(&s.a, &s.toy), 0);
	pin = pin_of(&s.a, s.toy_id);

	/* Host B knows the toy's key, but the toy never pinned B. */
	assert_int_equal(test_host_open(&b, s.air), 0);
	test_host_close(&s.a);
	assert_int_equal(pawlink_connect(b.p, s.toy_id, NULL), -ENOENT);
	give_pin(&b, &pin);
	/*
	 * Never paired, so no tombstone: no answer at all (only a host the
	 * toy removed lately hears "pair again", session.rst 6b-6d).
	 */
	assert_int_equal(pawlink_connect(b.p, s.toy_id, NULL), -ETIMEDOUT);
	assert_false(pawlink_connected(b.p));
	assert_true(toy_sim_count_events(&s.toy,
					 PAWLINK_TOY_EV_SESSION_REJECT) >= 1);
	/* Nor can it pair: it holds a pin already, and without it ... */
	assert_int_equal(pawlink_pair(b.p, s.toy_id, s.toy.label, ""), -EEXIST);
	assert_int_equal(pawlink_forget(b.p, s.toy_id), 0);
	/*
	 * ... no window (the owner is not at the button), so the claimed toy
	 * is not even at its identity id: a private one (test_beacons.c).
	 */
	assert_int_equal(pawlink_pair(b.p, s.toy_id, s.toy.label, ""),
			 -ETIMEDOUT);
	st = toy_status(&s);
	assert_int_equal(st.paired_hosts, 1);
	assert_int_equal(st.lifetime_failures, 0);
	assert_int_equal(toy_get_counters(s.toy.toy)->sessions, 0);
	scene_close(&s, &b);
}

static void test_after_unpair_no_session(void **state)
{
	struct pawlink_toy_status_info st;
	struct pawlink_toy_record pin, rec;
	struct pawlink_keystore ks;
	struct scene s;

	(void)state;
	scene_open(&s);
	pair_and_connect(&s, &s.a);
	pin = pin_of(&s.a, s.toy_id);
	assert_int_equal(pawlink_unpair(s.a.p), 0);
	assert_false(pawlink_connected(s.a.p));
	/* The host forgot the toy ... */
	assert_int_equal(pawlink_keystore_open(&ks, s.a.dir, NULL, 0), 0);
	assert_int_equal(pawlink_keystore_toy_load(&ks, s.toy_id, &rec, NULL,
						   0), -ENOENT);
	pawlink_keystore_close(&ks);
	/* ... and the toy forgot the host, ending the session. */
	st = toy_status(&s);
	assert_int_equal(st.paired_hosts, 0);
	assert_false(toy_in_session(s.toy.toy));
	assert_int_equal(toy_sim_count_events(&s.toy, PAWLINK_TOY_EV_UNPAIR), 1);
	/* A host that kept its pin is refused. */
	give_pin(&s.a, &pin);
	assert_int_equal(pawlink_connect(s.a.p, s.toy_id, NULL), -EACCES);
	/* The printed code pairs no more: the toy stays claimed ... */
	assert_int_equal(test_host_pair(&s.a, &s.toy), -EPERM);
	/* ... until a factory reset, after which it pairs again. */
	assert_int_equal(toy_sim_factory_reset(&s.toy), 0);
	toy_sim_id(&s.toy, s.toy_id);
	pair_and_connect(&s, &s.a);
	assert_int_equal(pawlink_status(s.a.p, &st), 0);
	assert_int_equal(st.paired_hosts, 1);
	scene_close(&s, &s.a);
}

/* Data frames to the toy heard by the rogue since its last drain. */
struct capture {
	size_t n;
	size_t len[16];
	uint8_t frame[16][PAWLINK_AIR_FRAME_MAX];
};

static void capture_to_toy(struct scene *s, struct capture *c)
{
	static struct radio_rx rx;
	uint8_t addr[PAWLINK_ID_LEN];

	toy_sim_address(&s->toy, addr);
	c->n = 0;
	while (radio_recv(s->rogue, &rx, 0) == 0)
		if (rx.f.type == PAWLINK_AIR_DATA &&
		    !memcmp(rx.f.dst, addr, PAWLINK_ID_LEN) && c->n < 16) {
			memcpy(c->frame[c->n], rx.frame, rx.len);
			c->len[c->n++] = rx.len;
		}
}

static void replay(struct scene *s, const struct capture *c)
{
	size_t i;

	for (i = 0; i < c->n; i++)
		assert_int_equal(radio_send_frame(s->rogue, c->frame[i],
						  c->len[i]), 0);
}

static void test_mic_only_inside_a_session(void **state)
{
	struct pawlink_toy_status_info st, before;
	struct capture start;
	uint8_t buf[PAWLINK_FRAME_MAX];
	struct scene s;
	int n;

	(void)state;
	scene_open(&s);
	pair_and_connect(&s, &s.a);
	rogue_drain(&s);
	assert_int_equal(pawlink_mic_start(s.a.p), 0);
	capture_to_toy(&s, &start);
	assert_int_equal(start.n, 1);		/* the sealed MIC_START */
	assert_int_equal(pawlink_mic_stop(s.a.p), 0);

	/* Replayed inside the session: the counter is old. */
	assert_int_equal(pawlink_status(s.a.p, &before), 0);
	replay(&s, &start);
	test_host_idle(&s.a, 10);
	assert_int_equal(pawlink_status(s.a.p, &st), 0);
	assert_int_equal(st.rx_dropped_replay, before.rx_dropped_replay + 1);
	assert_false(st.mic);
	assert_int_equal(st.mic_starts, 1);

	/* After the session: no keys, nothing opens. */
	assert_int_equal(pawlink_disconnect(s.a.p), 0);
	before = toy_status(&s);
	replay(&s, &start);
	{
		struct pawlink_toy_frame f = {
			.type = PAWLINK_TOY_MIC_START_REQ, .tag = 3,
		};

		n = pawlink_toy_encode(buf, sizeof(buf), &f);
		rogue_plain(&s, buf, (size_t)n);
	}
	test_host_idle(&s.a, 500);
	st = toy_status(&s);
	assert_int_equal(st.rx_dropped_malformed,
			 before.rx_dropped_malformed + 1);
	assert_int_equal(st.refused_unauth, before.refused_unauth + 1);
	assert_false(st.mic);
	assert_false(st.led);
	assert_int_equal(st.mic_starts, 1);

	/* In the next session, the old session's record does not open. */
	assert_int_equal(pawlink_connect(s.a.p, s.toy_id, &before), 0);
	replay(&s, &start);
	test_host_idle(&s.a, 10);
	assert_int_equal(pawlink_status(s.a.p, &st), 0);
	assert_int_equal(st.rx_dropped_auth, before.rx_dropped_auth + 1);
	assert_false(st.mic);
	assert_int_equal(st.mic_starts, 1);
	assert_int_equal(toy_sim_count_events(&s.toy, PAWLINK_TOY_EV_MIC_START),
			 1);
	scene_close(&s, &s.a);
}

/* Reads @n periods; checks they continue the toy's 0, 1, 2, ... */
static void read_periods(struct scene *s, int n, int16_t *expect)
{
	int16_t pcm[PAWLINK_AUDIO_PERIOD_FRAMES];
	int i, j;

	for (i = 0; i < n; i++) {
		assert_int_equal(pawlink_mic_read(s->a.p, pcm, 1000), 0);
		if (*expect < 0)
			*expect = pcm[0];
		for (j = 0; j < PAWLINK_AUDIO_PERIOD_FRAMES; j++)
			assert_int_equal(pcm[j], (int16_t)(*expect + j));
		*expect = (int16_t)(*expect + PAWLINK_AUDIO_PERIOD_FRAMES);
	}
}

/* Drops audio already queued, then says whether more arrives. */
static bool audio_keeps_coming(struct scene *s)
{
	int16_t pcm[PAWLINK_AUDIO_PERIOD_FRAMES];

	while (pawlink_mic_read(s->a.p, pcm, 0) == 0)
		;
	return pawlink_mic_read(s->a.p, pcm, 500) == 0;
}

/*
 * The air path (transport_air.c) turns a gap in the microphone's numbers
 * into silence of exactly its length: at 5 % loss every period read is
 * either the toy's next (its samples count on from where the last
 * received one left, one period per period read) or all silence, and the
 * silent ones are what the link counted lost.
 */
static void test_mic_gap_becomes_silence_of_its_length(void **state)
{
	int16_t pcm[PAWLINK_AUDIO_PERIOD_FRAMES], base = 0;
	struct pawlink_stats before, after;
	unsigned int k, silent = 0, heard = 0;
	struct air_config cfg;
	struct scene s;
	bool zero;
	int j;

	(void)state;
	air_config_init(&cfg);
	cfg.loss_ppm = 50000;
	cfg.seed = 10;
	scene_open_air(&s, &cfg);
	pair_and_connect(&s, &s.a);
	assert_int_equal(pawlink_link_stats(s.a.p, &before, sizeof(before)), 0);
	assert_int_equal(pawlink_mic_start(s.a.p), 0);
	/* The first period heard sets where the toy's count stands. */
	assert_int_equal(pawlink_mic_read(s.a.p, pcm, 1000), 0);
	assert_int_not_equal(pcm[1], 0);
	base = pcm[0];
	for (k = 1; k < 400; k++) {
		assert_int_equal(pawlink_mic_read(s.a.p, pcm, 1000), 0);
		base = (int16_t)(base + PAWLINK_AUDIO_PERIOD_FRAMES);
		zero = true;
		for (j = 0; j < PAWLINK_AUDIO_PERIOD_FRAMES; j++)
			zero &= pcm[j] == 0;
		if (zero) {
			silent++;
			continue;
		}
		heard++;
		for (j = 0; j < PAWLINK_AUDIO_PERIOD_FRAMES; j++)
			assert_int_equal(pcm[j], (int16_t)(base + j));
	}
	assert_int_equal(pawlink_link_stats(s.a.p, &after, sizeof(after)), 0);
	assert_true(silent >= 5);		/* 5 % of 400, give or take */
	assert_true(heard >= 300);
	/* Counted lost: those filled, and any still to be read. */
	assert_true(after.audio_lost_frames - before.audio_lost_frames >=
		    silent);
	assert_true(after.audio_lost_frames - before.audio_lost_frames <=
		    silent + 20);
	assert_int_equal(pawlink_mic_stop(s.a.p), 0);
	scene_close(&s, &s.a);
}

static void test_led_and_mic_coupling(void **state)
{
	struct pawlink_toy_status_info st, later;
	int16_t expect = -1;
	struct scene s;

	(void)state;
	scene_open(&s);
	pair_and_connect(&s, &s.a);
	assert_int_equal(pawlink_status(s.a.p, &st), 0);
	assert_false(st.led);
	assert_false(st.mic);

	/* Starting the microphone lights the LED; audio flows, in order. */
	assert_int_equal(pawlink_mic_start(s.a.p), 0);
	assert_true(s.toy.led);
	assert_int_equal(pawlink_status(s.a.p, &st), 0);
	assert_true(st.mic);
	assert_true(st.led);
	read_periods(&s, 50, &expect);

	/* Turning the LED off stops the microphone at once, for good. */
	assert_int_equal(pawlink_led(s.a.p, false), 0);
	assert_false(s.toy.led);
	assert_int_equal(pawlink_status(s.a.p, &st), 0);
	assert_false(st.mic);
	assert_false(st.led);
	assert_false(audio_keeps_coming(&s));
	assert_int_equal(pawlink_status(s.a.p, &later), 0);
	assert_int_equal(later.audio_frames_sent, st.audio_frames_sent);

	/* Stopping the microphone puts out the LED it lit ... */
	assert_int_equal(pawlink_mic_start(s.a.p), 0);
	assert_true(audio_keeps_coming(&s));
	assert_int_equal(pawlink_mic_stop(s.a.p), 0);
	assert_false(s.toy.led);
	assert_false(audio_keeps_coming(&s));
	/* ... but not one the host lit on purpose. */
	assert_int_equal(pawlink_led(s.a.p, true), 0);
	assert_int_equal(pawlink_mic_start(s.a.p), 0);
	assert_int_equal(pawlink_mic_stop(s.a.p), 0);
	assert_true(s.toy.led);
	assert_int_equal(pawlink_status(s.a.p, &st), 0);
	assert_true(st.led);
	assert_false(st.mic);

	/* The session ending stops the microphone and its LED. */
	assert_int_equal(pawlink_led(s.a.p, false), 0);
	assert_int_equal(pawlink_mic_start(s.a.p), 0);
	assert_int_equal(pawlink_disconnect(s.a.p), 0);
	st = toy_status(&s);
	assert_false(st.mic);
	assert_false(st.led);
	assert_false(s.toy.led);
	test_host_idle(&s.a, 500);
	later = toy_status(&s);
	assert_int_equal(later.audio_frames_sent, st.audio_frames_sent);

	/* Volume: in range only, and kept. */
	assert_int_equal(pawlink_connect(s.a.p, s.toy_id, NULL), 0);
	assert_int_equal(pawlink_volume(s.a.p, 101), -EINVAL);
	assert_int_equal(pawlink_volume(s.a.p, 30), 0);
	assert_int_equal(pawlink_status(s.a.p, &st), 0);
	assert_int_equal(st.volume, 30);
	scene_close(&s, &s.a);
}

static size_t count_in(const struct pawlink_toy_event *ev, size_t n,
		       uint8_t event)
{
	size_t i, k = 0;

	for (i = 0; i < n; i++)
		k += ev[i].event == event;
	return k;
}

/* The index of the first @event in @ev, or @n. */
static size_t index_of(const struct pawlink_toy_event *ev, size_t n,
		       uint8_t event)
{
	size_t i;

	for (i = 0; i < n && ev[i].event != event; i++)
		;
	return i;
}

/*
 * A session that only starts and ends with BYE folds: the same host's
 * runs of them are one "session" entry with a count and the last one's
 * time.  Anything logged inside (a mic-start) keeps the pair, a boot ends
 * the run, and the event hook still hears every session-end.
 */
static void test_sessions_fold_but_mic_starts_stay(void **state)
{
	static const uint8_t want[] = {
		PAWLINK_TOY_EV_SESSION, PAWLINK_TOY_EV_SESSION_START,
		PAWLINK_TOY_EV_MIC_START, PAWLINK_TOY_EV_MIC_STOP,
		PAWLINK_TOY_EV_SESSION_END, PAWLINK_TOY_EV_SESSION,
		PAWLINK_TOY_EV_BOOT, PAWLINK_TOY_EV_SESSION,
		PAWLINK_TOY_EV_SESSION_START,
	};
	static const uint16_t want_count[] = { 3, 0, 0, 0, 0, 1, 0, 1, 0 };
	struct pawlink_toy_event ev[LOG_ROOM];
	uint8_t host_id[PAWLINK_ID_LEN];
	uint64_t last_start_ms = 0;
	struct scene s;
	uint32_t next;
	size_t n, i, at;
	int k;

	(void)state;
	scene_open(&s);
	pair_and_connect(&s, &s.a);
	pawlink_host_id(s.a.p, host_id);
	for (k = 0; k < 3; k++) {
		if (k) {
			test_host_idle(&s.a, 1000);
			assert_int_equal(pawlink_connect(s.a.p, s.toy_id,
							 NULL), 0);
		}
		assert_int_equal(pawlink_disconnect(s.a.p), 0);
	}
	last_start_ms = toy_sim_last_event_ms(&s.toy,
					      PAWLINK_TOY_EV_SESSION_START);
	assert_int_equal(pawlink_connect(s.a.p, s.toy_id, NULL), 0);
	assert_int_equal(pawlink_mic_start(s.a.p), 0);
	assert_int_equal(pawlink_mic_stop(s.a.p), 0);
	assert_int_equal(pawlink_disconnect(s.a.p), 0);
	assert_int_equal(pawlink_connect(s.a.p, s.toy_id, NULL), 0);
	assert_int_equal(pawlink_disconnect(s.a.p), 0);
	toy_sim_stop(&s.toy, s.a.t, false);
	assert_int_equal(toy_sim_start(&s.toy), 0);
	assert_int_equal(pawlink_connect(s.a.p, s.toy_id, NULL), 0);
	assert_int_equal(pawlink_disconnect(s.a.p), 0);
	assert_int_equal(pawlink_connect(s.a.p, s.toy_id, NULL), 0);

	assert_int_equal(pawlink_log(s.a.p, 0, ev, LOG_ROOM, &n, &next), 0);
	at = index_of(ev, n, PAWLINK_TOY_EV_PAIR_OK) + 1;
	assert_int_equal(n - at, sizeof(want));
	for (i = 0; i < sizeof(want); i++) {
		assert_int_equal(ev[at + i].event, want[i]);
		assert_int_equal(ev[at + i].count, want_count[i]);
		assert_memory_equal(ev[at + i].host_id,
				    want[i] == PAWLINK_TOY_EV_BOOT ?
				    (const uint8_t *)"\0\0\0\0\0\0\0\0" :
				    host_id, PAWLINK_ID_LEN);
	}
	/* The run's time is its last session's start; its folded seqs gap. */
	assert_int_equal(ev[at].time_ms, last_start_ms);
	assert_true(ev[at + 1].seq > ev[at].seq + 1);
	assert_int_equal(ev[at + 4].detail, PAWLINK_TOY_END_BYE);
	assert_int_equal(toy_sim_count_events(&s.toy,
					      PAWLINK_TOY_EV_SESSION_END), 6);
	scene_close(&s, &s.a);
}

/*
 * A week of heavy use (toy.rst "Event log"): a night off each day, then
 * 50 commands and 10 recordings, each its own session, the recordings
 * spread so that each one splits a run of folded sessions (the most
 * entries).  The day is compressed (a second between sessions): nothing
 * in the log depends on the gaps.  Every microphone start of the week is
 * still there, and nothing at all was evicted.
 */
#define WEEK_DAYS		7
#define DAY_COMMANDS		50
#define DAY_MIC_STARTS		10

static void test_a_week_of_use_keeps_every_mic_start(void **state)
{
	struct pawlink_toy_event *ev;
	struct pawlink_toy_status_info st;
	uint8_t host_id[PAWLINK_ID_LEN];
	int per_day = DAY_COMMANDS + DAY_MIC_STARTS;
	size_t n, i, mics = 0;
	struct scene s;
	uint32_t next;
	int d, k;

	(void)state;
	ev = calloc(TOY_LOG_KEEP + 1, sizeof(*ev));
	assert_non_null(ev);
	scene_open(&s);
	pair_and_connect(&s, &s.a);
	pawlink_host_id(s.a.p, host_id);
	assert_int_equal(pawlink_disconnect(s.a.p), 0);
	for (d = 0; d < WEEK_DAYS; d++) {
		if (d) {
			toy_sim_stop(&s.toy, s.a.t, false);
			assert_int_equal(toy_sim_start(&s.toy), 0);
		}
		for (k = 0; k < per_day; k++) {
			test_host_idle(&s.a, 1000);
			assert_int_equal(pawlink_connect(s.a.p, s.toy_id,
							 NULL), 0);
			if (k % (per_day / DAY_MIC_STARTS) == 0) {
				assert_int_equal(pawlink_mic_start(s.a.p), 0);
				assert_int_equal(pawlink_mic_stop(s.a.p), 0);
			}
			assert_int_equal(pawlink_disconnect(s.a.p), 0);
		}
	}
	assert_int_equal(pawlink_connect(s.a.p, s.toy_id, &st), 0);
	assert_int_equal(st.mic_starts, WEEK_DAYS * DAY_MIC_STARTS);
	assert_int_equal(pawlink_log(s.a.p, 0, ev, TOY_LOG_KEEP + 1, &n,
				     &next), 0);
	for (i = 0; i < n; i++) {
		if (ev[i].event != PAWLINK_TOY_EV_MIC_START)
			continue;
		assert_memory_equal(ev[i].host_id, host_id, PAWLINK_ID_LEN);
		mics++;
	}
	assert_int_equal(mics, WEEK_DAYS * DAY_MIC_STARTS);
	/* Nothing evicted: the first boot's entry is still the first. */
	assert_int_equal(ev[0].seq, 0);
	assert_int_equal(ev[0].event, PAWLINK_TOY_EV_BOOT);
	assert_true(n < TOY_LOG_KEEP);
	print_message("a week: %zu of %d entries held\n", n, TOY_LOG_KEEP);
	scene_close(&s, &s.a);
	free(ev);
}

static void test_every_mic_start_is_logged_and_visible(void **state)
{
	struct pawlink_toy_event ev[LOG_ROOM];
	struct pawlink_toy_status_info st;
	uint8_t host_id[PAWLINK_ID_LEN];
	uint32_t next;
	struct scene s;
	size_t n, i;
	int k;

	(void)state;
	scene_open(&s);
	pair_and_connect(&s, &s.a);
	pawlink_host_id(s.a.p, host_id);
	for (k = 0; k < 3; k++) {
		assert_int_equal(pawlink_mic_start(s.a.p), 0);
		assert_int_equal(pawlink_mic_stop(s.a.p), 0);
	}
	assert_int_equal(pawlink_log(s.a.p, 0, ev, LOG_ROOM, &n, &next), 0);
	assert_int_equal(next, n);
	assert_int_equal(ev[0].event, PAWLINK_TOY_EV_BOOT);
	assert_int_equal(count_in(ev, n, PAWLINK_TOY_EV_MIC_START), 3);
	assert_int_equal(count_in(ev, n, PAWLINK_TOY_EV_MIC_STOP), 3);
	assert_int_equal(count_in(ev, n, PAWLINK_TOY_EV_PAIR_OK), 1);
	assert_int_equal(count_in(ev, n, PAWLINK_TOY_EV_SESSION_START), 1);
	for (i = 0; i < n; i++) {
		assert_int_equal(ev[i].seq, i);
		if (ev[i].event == PAWLINK_TOY_EV_MIC_START ||
		    ev[i].event == PAWLINK_TOY_EV_PAIR_OK)
			assert_memory_equal(ev[i].host_id, host_id,
					    PAWLINK_ID_LEN);
		if (ev[i].event == PAWLINK_TOY_EV_MIC_STOP)
			assert_int_equal(ev[i].detail, PAWLINK_TOY_MIC_HOST);
	}
	assert_int_equal(pawlink_status(s.a.p, &st), 0);
	assert_int_equal(st.mic_starts, 3);
	assert_int_equal(st.log_next, next);

	/* A start the log cannot keep does not happen. */
	pthread_mutex_lock(&s.toy.lock);
	s.toy.fail_blob = TOY_BLOB_LOG;
	pthread_mutex_unlock(&s.toy.lock);
	assert_int_equal(pawlink_mic_start(s.a.p), -EIO);
	assert_false(s.toy.led);
	assert_false(audio_keeps_coming(&s));
	pthread_mutex_lock(&s.toy.lock);
	s.toy.fail_blob = -1;
	pthread_mutex_unlock(&s.toy.lock);
	assert_int_equal(pawlink_status(s.a.p, &st), 0);
	assert_false(st.mic);
	assert_int_equal(st.mic_starts, 3);
	assert_int_equal(st.log_next, next);

	/* The log outlives a reboot, and reading on from @next works. */
	assert_int_equal(pawlink_mic_start(s.a.p), 0);
	assert_int_equal(pawlink_disconnect(s.a.p), 0);
	toy_sim_stop(&s.toy, s.a.t, false);
	assert_int_equal(toy_sim_start(&s.toy), 0);
	assert_int_equal(pawlink_connect(s.a.p, s.toy_id, &st), 0);
	assert_int_equal(st.boot, 2);
	assert_int_equal(st.mic_starts, 4);
	assert_int_equal(pawlink_log(s.a.p, next, ev, LOG_ROOM, &n, &next), 0);
	assert_int_equal(ev[0].event, PAWLINK_TOY_EV_MIC_START);
	assert_int_equal(count_in(ev, n, PAWLINK_TOY_EV_BOOT), 1);
	assert_int_equal(next, st.log_next);
	scene_close(&s, &s.a);
}

static size_t files_in(const char *dir)
{
	struct dirent *de;
	DIR *d = opendir(dir);
	size_t n = 0;

	assert_non_null(d);
	while ((de = readdir(d)))
		n += strcmp(de->d_name, ".") && strcmp(de->d_name, "..");
	closedir(d);
	return n;
}

static void test_factory_reset_erases_everything(void **state)
{
	struct pawlink_toy_status_info st;
	struct pawlink_msg_info info, *list;
	uint8_t obj[3000], new_id[PAWLINK_ID_LEN];
	char label[sizeof(((struct toy_sim *)0)->label)];
	struct scene s;
	size_t n;

	(void)state;
	scene_open(&s);
	pair_and_connect(&s, &s.a);
	randombytes_buf(obj, sizeof(obj));
	assert_int_equal(pawlink_upload(s.a.p, obj, sizeof(obj), 1000, &info), 0);
	assert_int_equal(pawlink_mic_start(s.a.p), 0);
	assert_true(files_in(s.toy.dir) > 0);
	memcpy(label, s.toy.label, sizeof(label));

	assert_int_equal(toy_sim_factory_reset(&s.toy), 0);
	st = toy_status(&s);
	assert_int_equal(st.paired_hosts, 0);
	assert_int_equal(st.msg_count, 0);
	assert_int_equal(st.lifetime_failures, 0);
	assert_int_equal(st.mic_starts, 0);
	assert_int_equal(st.log_next, 1);	/* the reset itself */
	assert_false(st.mic);
	assert_false(st.led);
	assert_false(s.toy.led);
	assert_false(toy_in_session(s.toy.toy));
	assert_int_equal(files_in(s.toy.dir), 0);
	/* New id and keys; the printed code stays. */
	toy_sim_id(&s.toy, new_id);
	assert_memory_not_equal(new_id, s.toy_id, PAWLINK_ID_LEN);
	assert_string_equal(s.toy.label, label);

	/* The old session is dead, and the old id answers no more. */
	assert_int_equal(pawlink_status(s.a.p, &st), -ETIMEDOUT);
	assert_int_equal(pawlink_disconnect(s.a.p), 0);
	assert_int_equal(pawlink_connect(s.a.p, s.toy_id, NULL), -ETIMEDOUT);
	/* The owner pairs again with the same label. */
	memcpy(s.toy_id, new_id, PAWLINK_ID_LEN);
	pair_and_connect(&s, &s.a);
	assert_int_equal(pawlink_list(s.a.p, &list, &n), 0);
	assert_int_equal(n, 0);
	free(list);
	scene_close(&s, &s.a);
}

static void test_beacons_carry_only_id_and_flag(void **state)
{
	static struct radio_rx rx;
	uint8_t irk[PAWLINK_BEACON_IRK_LEN];
	struct pawlink_toy_record pin;
	unsigned int beacons = 0, open = 0;
	struct scene s;
	int phase;

	(void)state;
	scene_open(&s);
	for (phase = 0; phase < 3; phase++) {
		if (phase == 1)
			assert_int_equal(toy_sim_press(&s.toy), 0);
		if (phase == 2)
			assert_int_equal(test_host_pair(&s.a, &s.toy), 0);
		/* Beacons still on the air were sent before the change. */
		test_host_idle(&s.a, 10);
		rogue_drain(&s);
		test_host_idle(&s.a, 1000);
		while (radio_recv(s.rogue, &rx, 0) == 0) {
			if (rx.f.type != PAWLINK_AIR_BEACON)
				continue;
			beacons++;
			assert_int_equal(rx.len, PAWLINK_AIR_HDR_LEN +
					 PAWLINK_AIR_BEACON_LEN);
			/*
			 * Its identity id until paired; then a private id
			 * (test_beacons.c) that only the paired host resolves.
			 */
			if (phase < 2) {
				assert_memory_equal(rx.f.src, s.toy_id,
						    PAWLINK_ID_LEN);
			} else {
				pin = pin_of(&s.a, s.toy_id);
				pawlink_beacon_irk(irk, pin.static_key);
				assert_memory_not_equal(rx.f.src, s.toy_id,
							PAWLINK_ID_LEN);
				assert_true(pawlink_beacon_id_resolves(rx.f.src,
								       irk));
			}
			assert_memory_equal(rx.f.payload, rx.f.src,
					    PAWLINK_ID_LEN);
			/* The flag says exactly whether the window is open. */
			assert_int_equal(rx.f.payload[PAWLINK_ID_LEN],
					 phase == 1 ? PAWLINK_BEACON_PAIRING : 0);
			open += phase == 1;
		}
	}
	assert_true(beacons >= 12);
	assert_true(open >= 4);
	scene_close(&s, &s.a);
}

static void test_silent_session_ends(void **state)
{
	struct pawlink_toy_status_info st;
	struct scene s;

	(void)state;
	scene_open(&s);
	pair_and_connect(&s, &s.a);
	assert_int_equal(pawlink_mic_start(s.a.p), 0);
	test_host_idle(&s.a, TOY_SESSION_IDLE_US / 1000 - 1000);
	assert_true(toy_in_session(s.toy.toy));
	test_host_idle(&s.a, 2000);
	assert_false(toy_in_session(s.toy.toy));
	st = toy_status(&s);
	assert_false(st.mic);
	assert_false(st.led);
	/* It streamed all along (a period every 10 ms), then stopped. */
	assert_true(st.audio_frames_sent >= TOY_SESSION_IDLE_US / 10000 - 1);
	assert_true(st.audio_frames_sent <= TOY_SESSION_IDLE_US / 10000 + 1);
	assert_int_equal(toy_sim_count_events(&s.toy,
					      PAWLINK_TOY_EV_SESSION_END), 1);
	assert_int_equal(s.toy.events[s.toy.n_events - 1].detail,
			 PAWLINK_TOY_END_IDLE);
	/* The host finds out, and starts a new one. */
	assert_int_equal(pawlink_status(s.a.p, &st), -ETIMEDOUT);
	assert_int_equal(pawlink_disconnect(s.a.p), 0);
	assert_int_equal(pawlink_connect(s.a.p, s.toy_id, &st), 0);
	scene_close(&s, &s.a);
}

/*
 * The log blob as the toy had it before sessions folded (version 2, 64
 * slots): the test seals it itself, as toy_vault.c does, with the key the
 * secure element blob holds.
 */
#define SEALED_HDR_LEN	(8 + TOY_VAULT_KEY_ID_LEN + \
			 crypto_aead_xchacha20poly1305_ietf_NPUBBYTES)
#define LOG_V2_LEN	(24 + 64 * PAWLINK_TOY_LOG_ENTRY_LEN)

static void reseal_log_as_v2(struct toy_sim *t, uint32_t count)
{
	const uint8_t *key = t->blob[TOY_BLOB_SECURE_ELEMENT] + 8 +
			     TOY_VAULT_KEY_ID_LEN;
	uint8_t *sealed = t->blob[TOY_BLOB_LOG];
	static uint8_t plain[TOY_BLOB_PLAIN_MAX];
	unsigned long long len;

	assert_int_equal(crypto_aead_xchacha20poly1305_ietf_decrypt(
		plain, &len, NULL, sealed + SEALED_HDR_LEN,
		t->blob_len[TOY_BLOB_LOG] - SEALED_HDR_LEN, sealed,
		SEALED_HDR_LEN, sealed + 8 + TOY_VAULT_KEY_ID_LEN, key), 0);
	assert_int_equal(len, 24 + TOY_LOG_KEEP * PAWLINK_TOY_LOG_ENTRY_LEN);
	plain[4] = 2;
	plain[20] = (uint8_t)count;
	randombytes_buf(sealed + 8 + TOY_VAULT_KEY_ID_LEN,
			crypto_aead_xchacha20poly1305_ietf_NPUBBYTES);
	crypto_aead_xchacha20poly1305_ietf_encrypt(
		sealed + SEALED_HDR_LEN, &len, plain, LOG_V2_LEN, sealed,
		SEALED_HDR_LEN, NULL, sealed + 8 + TOY_VAULT_KEY_ID_LEN, key);
	t->blob_len[TOY_BLOB_LOG] = SEALED_HDR_LEN + (size_t)len;
}

/*
 * A toy updated from the 64-entry log boots with what it had, and saves
 * it as version 3 with its next event; a version 2 blob that claims more
 * than 64 entries is corrupt.
 */
static void test_version_2_log_loads(void **state)
{
	struct pawlink_toy_event ev[LOG_ROOM];
	struct scene s;
	uint32_t next, held;
	size_t n;

	(void)state;
	scene_open(&s);
	pair_and_connect(&s, &s.a);
	assert_int_equal(pawlink_mic_start(s.a.p), 0);
	assert_int_equal(pawlink_log(s.a.p, 0, ev, LOG_ROOM, &n, &next), 0);
	held = (uint32_t)n;
	assert_int_equal(pawlink_disconnect(s.a.p), 0);
	toy_sim_stop(&s.toy, s.a.t, false);
	/* The mic-stop and the session-end came after the read. */
	reseal_log_as_v2(&s.toy, held + 2);
	assert_int_equal(toy_sim_start(&s.toy), 0);
	assert_int_equal(s.toy.blob_len[TOY_BLOB_LOG],
			 TOY_VAULT_OVERHEAD + 24 +
			 TOY_LOG_KEEP * PAWLINK_TOY_LOG_ENTRY_LEN);
	assert_int_equal(pawlink_connect(s.a.p, s.toy_id, NULL), 0);
	assert_int_equal(pawlink_log(s.a.p, 0, ev, LOG_ROOM, &n, &next), 0);
	assert_int_equal(n, held + 2 + 2);	/* + boot, session-start */
	assert_int_equal(count_in(ev, n, PAWLINK_TOY_EV_MIC_START), 1);
	assert_int_equal(count_in(ev, n, PAWLINK_TOY_EV_BOOT), 2);
	assert_int_equal(pawlink_disconnect(s.a.p), 0);
	toy_sim_stop(&s.toy, s.a.t, false);
	reseal_log_as_v2(&s.toy, 65);
	assert_int_equal(toy_sim_start(&s.toy), -EBADMSG);
	test_host_close(&s.a);
	radio_close(s.rogue);
	toy_sim_done(&s.toy);
	assert_int_equal(air_local_free(s.air), 0);
}

static void test_corrupt_flash_refuses_to_boot(void **state)
{
	static const enum toy_blob blobs[] = {
		TOY_BLOB_IDENTITY, TOY_BLOB_POLICY, TOY_BLOB_LOG,
		TOY_BLOB_SETTINGS,
	};
	struct pawlink_toy_status_info st;
	struct scene s;
	size_t i;

	(void)state;
	scene_open(&s);
	pair_and_connect(&s, &s.a);
	/* Settings exist once the volume was set. */
	assert_int_equal(pawlink_volume(s.a.p, 40), 0);
	assert_int_equal(pawlink_disconnect(s.a.p), 0);
	toy_sim_stop(&s.toy, s.a.t, false);
	assert_true(s.toy.blob_set[TOY_BLOB_SETTINGS]);
	for (i = 0; i < sizeof(blobs) / sizeof(blobs[0]); i++) {
		s.toy.blob[blobs[i]][4] ^= 0x40;
		assert_int_equal(toy_sim_start(&s.toy), -EBADMSG);
		s.toy.blob[blobs[i]][4] ^= 0x40;
		s.toy.blob_len[blobs[i]]--;
		assert_int_equal(toy_sim_start(&s.toy), -EBADMSG);
		s.toy.blob_len[blobs[i]]++;
	}
	/* Whole again: it boots, as it was. */
	assert_int_equal(toy_sim_start(&s.toy), 0);
	assert_int_equal(pawlink_connect(s.a.p, s.toy_id, &st), 0);
	assert_int_equal(st.paired_hosts, 1);
	assert_int_equal(st.volume, 40);
	scene_close(&s, &s.a);
}

/* Sends a message-protocol request straight through @h's session. */
static void raw_request(struct test_host *h, uint8_t type, uint16_t tag,
			const uint8_t id[PAWLINK_MSG_ID_LEN])
{
	struct pawlink_msg_frame f = { .type = type, .tag = tag };
	uint8_t buf[PAWLINK_FRAME_MAX];
	int n;

	memcpy(f.u.id, id, PAWLINK_MSG_ID_LEN);
	n = pawlink_msg_encode(buf, sizeof(buf), &f);
	assert_true(n > 0);
	assert_int_equal(h->t->ops->send(h->t, buf, (size_t)n), 0);
}

/* The next frame of type @type and tag @tag from the toy, decoded. */
static void raw_answer(struct test_host *h, uint8_t type, uint16_t tag,
		       struct pawlink_msg_frame *f)
{
	uint8_t buf[PAWLINK_FRAME_MAX];
	size_t len;

	for (;;) {
		assert_int_equal(h->t->ops->recv(h->t, buf, sizeof(buf), &len,
						 5000), 0);
		if (pawlink_msg_decode(f, buf, len) == 0 && f->type == type &&
		    f->tag == tag)
			return;
	}
}

static void test_new_request_ends_a_transfer_the_host_left(void **state)
{
	struct pawlink_msg_info info, *list;
	struct pawlink_msg_frame f;
	uint8_t obj[20000];
	struct scene s;
	size_t n;

	(void)state;
	scene_open(&s);
	pair_and_connect(&s, &s.a);
	randombytes_buf(obj, sizeof(obj));
	assert_int_equal(pawlink_upload(s.a.p, obj, sizeof(obj), 1000, &info), 0);
	/* A download whose XFER_END never comes: the host went quiet. */
	raw_request(&s.a, PAWLINK_MSG_GET_REQ, 0x1234, info.id);
	raw_answer(&s.a, PAWLINK_MSG_GET_RESP, 0x1234, &f);
	assert_int_equal(f.status, PAWLINK_MSG_OK);
	raw_answer(&s.a, PAWLINK_MSG_CHUNK, 0x1234, &f);
	/* A repeat of the GET is still the same download ... */
	raw_request(&s.a, PAWLINK_MSG_GET_REQ, 0x1234, info.id);
	raw_answer(&s.a, PAWLINK_MSG_GET_RESP, 0x1234, &f);
	assert_int_equal(f.status, PAWLINK_MSG_OK);
	/* ... but a new request means the host has left it. */
	raw_request(&s.a, PAWLINK_MSG_DELETE_REQ, 0x1235, info.id);
	raw_answer(&s.a, PAWLINK_MSG_DELETE_RESP, 0x1235, &f);
	assert_int_equal(f.status, PAWLINK_MSG_OK);
	assert_int_equal(pawlink_list(s.a.p, &list, &n), 0);
	assert_int_equal(n, 0);
	free(list);
	scene_close(&s, &s.a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_commands_before_a_session_are_refused),
		cmocka_unit_test(test_unpaired_host_gets_no_session),
		cmocka_unit_test(test_after_unpair_no_session),
		cmocka_unit_test(test_mic_only_inside_a_session),
		cmocka_unit_test(test_led_and_mic_coupling),
		cmocka_unit_test(test_mic_gap_becomes_silence_of_its_length),
		cmocka_unit_test(test_every_mic_start_is_logged_and_visible),
		cmocka_unit_test(test_sessions_fold_but_mic_starts_stay),
		cmocka_unit_test(test_a_week_of_use_keeps_every_mic_start),
		cmocka_unit_test(test_factory_reset_erases_everything),
		cmocka_unit_test(test_beacons_carry_only_id_and_flag),
		cmocka_unit_test(test_silent_session_ends),
		cmocka_unit_test(test_corrupt_flash_refuses_to_boot),
		cmocka_unit_test(test_version_2_log_loads),
		cmocka_unit_test(test_new_request_ends_a_transfer_the_host_left),
	};

	if (sodium_init() < 0)
		return 1;
	return cmocka_run_group_tests(tests, NULL, NULL);
}

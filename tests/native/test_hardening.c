// SPDX-License-Identifier: GPL-2.0
/*
 * Issue 11, the edges (Documentation/threat-model.rst): the real toy core
 * and the real host library on the in-process air, with an attacker's
 * radio beside them.
 *
 *  - unauthenticated frames, 10 000 of them alternating, neither push the
 *    owner's mic-start out of the log nor write the flash more than once
 *    a minute;
 *  - a jammed UNPAIR answer plus a forged REJECT does not make unpair
 *    report success, and the host keeps its pin;
 *  - a sniffed INIT replayed later from another radio gets nothing and
 *    changes nothing, even after a reboot; an INIT from a radio that does
 *    not know the toy's public key costs the toy no X25519;
 *  - a host whose session died starts a new one at once; another host is
 *    told the toy is busy with someone else, and cannot end that session;
 *  - a failed pairing is logged as pair-fail with its host, and reaching
 *    the lifetime limit logs exactly one "locked".
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>
#include <sodium.h>

#include "keystore.h"
#include "noise.h"
#include "pairing_policy.h"
#include "record_layer.h"
#include "session.h"
#include "setup_code.h"
#include "toy_priv.h"
#include "toy_sim.h"

#define LOG_ROOM	TOY_LOG_KEEP
#ifndef FLOOD
#define FLOOD		10000
#endif

struct scene {
	struct air_local *air;
	struct test_host a;
	struct toy_sim toy;
	uint8_t toy_id[PAWLINK_ID_LEN];		/* its identity */
	uint8_t addr[PAWLINK_ID_LEN];		/* where the rogue aims */
	struct radio *rogue;		/* promiscuous: hears everything */
	uint8_t rogue_id[PAWLINK_ID_LEN];
};

static void scene_open(struct scene *s)
{
	struct air_config cfg;

	memset(s, 0, sizeof(*s));
	air_config_init(&cfg);
	assert_int_equal(air_local_new(&cfg, &s->air), 0);
	assert_int_equal(test_host_open(&s->a, s->air), 0);
	assert_int_equal(toy_sim_init(&s->toy, s->air), 0);
	assert_int_equal(toy_sim_start(&s->toy), 0);
	toy_sim_id(&s->toy, s->toy_id);
	assert_int_equal(radio_open_local(s->air, RADIO_PROMISC, &s->rogue), 0);
	memset(s->rogue_id, 0xee, sizeof(s->rogue_id));
	s->rogue_id[7] = 1;
	assert_int_equal(radio_set_id(s->rogue, s->rogue_id), 0);
}

static void scene_close(struct scene *s, struct test_host *h)
{
	assert_int_equal(pawlink_disconnect(h->p), 0);
	toy_sim_stop(&s->toy, h->t, false);
	test_host_close(h);
	radio_close(s->rogue);
	toy_sim_done(&s->toy);
	assert_int_equal(air_local_free(s->air), 0);
}

static void pair(struct scene *s, struct test_host *h)
{
	int rc = test_host_pair(h, &s->toy);

	if (rc)
		fail_msg("pairing: %s", pawlink_error(h->p));
}

static void connect_ok(struct scene *s, struct test_host *h)
{
	int rc = pawlink_connect(h->p, s->toy_id, NULL);

	if (rc)
		fail_msg("session: %s", pawlink_error(h->p));
}

/*
 * The rogue aims where the toy is on the air now: its identity id, or the
 * private id a claimed toy uses (beacon_id.h).  A private id hides whose
 * toy it is, not where it is: the rogue hears its beacons.  Frames to the
 * identity id would reach nobody, and a test would prove nothing.
 */
static void rogue_aim(struct scene *s)
{
	toy_sim_address(&s->toy, s->addr);
}

/* The rogue sends @body to the toy as a plaintext record, from its id. */
static void rogue_plain(struct scene *s, const uint8_t *body, size_t len)
{
	uint8_t rec[PAWLINK_RECORD_MAX];
	size_t n;

	rogue_aim(s);
	assert_int_equal(pawlink_record_write_plain(PAWLINK_CH_PLAIN, body, len,
						    rec, sizeof(rec), &n), 0);
	assert_int_equal(radio_send_record(s->rogue, s->addr, rec, n), 0);
}

/*
 * Empties the rogue's queue; returns the data frames the toy sent it,
 * from the address the rogue last aimed at.
 */
static unsigned int rogue_drain(struct scene *s)
{
	static struct radio_rx rx;
	unsigned int answers = 0;

	while (radio_recv(s->rogue, &rx, 0) == 0)
		answers += rx.f.type == PAWLINK_AIR_DATA &&
			   !memcmp(rx.f.src, s->addr, PAWLINK_ID_LEN) &&
			   !memcmp(rx.f.dst, s->rogue_id, PAWLINK_ID_LEN);
	return answers;
}

/*
 * The first plaintext session INIT heard going to the toy, if any: to the
 * address it has now (it keeps it while a host is talking to it).
 */
static bool sniff_init(struct scene *s, uint8_t init[PAWLINK_SESS_INIT_LEN])
{
	static struct radio_rx rx;
	const uint8_t *body;
	size_t len;
	uint8_t ch;
	bool found = false;

	rogue_aim(s);
	while (radio_recv(s->rogue, &rx, 0) == 0) {
		if (found || rx.f.type != PAWLINK_AIR_DATA ||
		    memcmp(rx.f.dst, s->addr, PAWLINK_ID_LEN) ||
		    pawlink_record_read_plain(rx.f.payload, rx.f.payload_len,
					      &ch, &body, &len) ||
		    len != PAWLINK_SESS_INIT_LEN || body[0] != PAWLINK_SESS_INIT)
			continue;
		memcpy(init, body, len);
		found = true;
	}
	return found;
}

static bool has_pin(struct test_host *h, const uint8_t toy_id[PAWLINK_ID_LEN])
{
	struct pawlink_toy_record rec;
	struct pawlink_keystore ks;
	int rc;

	assert_int_equal(pawlink_keystore_open(&ks, h->dir, NULL, 0), 0);
	rc = pawlink_keystore_toy_load(&ks, toy_id, &rec, NULL, 0);
	pawlink_keystore_close(&ks);
	sodium_memzero(&rec, sizeof(rec));
	return rc == 0;
}

static size_t count_in(const struct pawlink_toy_event *ev, size_t n,
		       uint8_t event)
{
	size_t i, k = 0;

	for (i = 0; i < n; i++)
		k += ev[i].event == event;
	return k;
}

/* Takes @h off the air, keeping its key store. */
static void host_off_air(struct test_host *h)
{
	pawlink_close(h->p);
	pawlink_transport_close(h->t);
	h->p = NULL;
	h->t = NULL;
}

/* Puts @h back on the air with a new radio, its key store as it was. */
static void host_on_air(struct test_host *h, struct air_local *air)
{
	struct radio *r;
	char err[256];

	assert_int_equal(radio_open_local(air, RADIO_ACTOR, &r), 0);
	assert_int_equal(pawlink_transport_air_new(&h->t, r), 0);
	assert_int_equal(pawlink_open_transport(&h->p, h->t, h->dir, err,
						sizeof(err)), 0);
}

static uint64_t now_us(struct test_host *h)
{
	return h->t->ops->now_us(h->t);
}

/* ---- finding 1: the log against unauthenticated floods ----------------- */

static void test_flood_keeps_mic_start_and_spares_flash(void **state)
{
	struct pawlink_toy_event ev[LOG_ROOM];
	uint8_t hello[PAWLINK_PAIR_HELLO_LEN], init[PAWLINK_SESS_INIT_LEN];
	uint8_t host_id[PAWLINK_ID_LEN];
	unsigned long saves_before, saves;
	uint64_t t0, minutes;
	uint32_t next;
	struct scene s;
	size_t n, i;

	(void)state;
	scene_open(&s);
	pair(&s, &s.a);
	connect_ok(&s, &s.a);
	pawlink_host_id(s.a.p, host_id);
	assert_int_equal(pawlink_mic_start(s.a.p), 0);
	assert_int_equal(pawlink_mic_stop(s.a.p), 0);
	assert_int_equal(pawlink_disconnect(s.a.p), 0);

	/* A closed-window HELLO and a bogus INIT, alternating. */
	memset(hello, 0, sizeof(hello));
	hello[0] = PAWLINK_PAIR_MSG_HELLO;
	hello[1] = PAWLINK_PAIR_VERSION;
	memcpy(hello + 4 + PAWLINK_ID_LEN, s.toy_id, PAWLINK_ID_LEN);
	randombytes_buf(init, sizeof(init));
	memcpy(init, "\x20\x02\x00\x00\x01\x00\x00\x00", 8);
	test_host_idle(&s.a, 100);
	rogue_drain(&s);
	/* Claimed, the toy is at a private id: the rogue aims there. */
	rogue_aim(&s);
	assert_memory_not_equal(s.addr, s.toy_id, PAWLINK_ID_LEN);
	saves_before = toy_sim_saves(&s.toy, TOY_BLOB_LOG);
	t0 = now_us(&s.a);
	for (i = 0; i < FLOOD; i++) {
		hello[4] = (uint8_t)(i + 1);	/* any host id */
		hello[5] = (uint8_t)((i + 1) >> 8);
		if (i % 2)
			rogue_plain(&s, init, sizeof(init));
		else
			rogue_plain(&s, hello, sizeof(hello));
		/* Within the radio's backlog: the air time passes meanwhile. */
		if (i % 16 == 15) {
			test_host_idle(&s.a, 20);
			rogue_drain(&s);
		}
	}
	test_host_idle(&s.a, 500);
	saves = toy_sim_saves(&s.toy, TOY_BLOB_LOG) - saves_before;
	minutes = (now_us(&s.a) - t0) / 60000000 + 1;
	/* At most one write a minute for all of it, wherever the flood is. */
	assert_true(saves >= 1);
	assert_true(saves <= minutes);
	print_message("flood: %d frames over %.1f s of air, %lu log writes\n",
		      FLOOD, (double)(now_us(&s.a) - t0) / 1e6, saves);

	/* The owner reads the log: its mic-start is still there. */
	connect_ok(&s, &s.a);
	assert_int_equal(pawlink_log(s.a.p, 0, ev, LOG_ROOM, &n, &next), 0);
	assert_int_equal(count_in(ev, n, PAWLINK_TOY_EV_MIC_START), 1);
	assert_int_equal(count_in(ev, n, PAWLINK_TOY_EV_PAIR_OK), 1);
	/* Each flood folded into one entry, its count saturated. */
	assert_int_equal(count_in(ev, n, PAWLINK_TOY_EV_PAIR_REFUSED), 1);
	assert_int_equal(count_in(ev, n, PAWLINK_TOY_EV_SESSION_REJECT), 1);
	for (i = 0; i < n; i++) {
		if (ev[i].event == PAWLINK_TOY_EV_MIC_START)
			assert_memory_equal(ev[i].host_id, host_id,
					    PAWLINK_ID_LEN);
		if (ev[i].event == PAWLINK_TOY_EV_PAIR_REFUSED ||
		    ev[i].event == PAWLINK_TOY_EV_SESSION_REJECT)
			assert_int_equal(ev[i].detail, UINT8_MAX);
	}
	scene_close(&s, &s.a);
}

/* ---- finding 2: unpair rests on the toy's authenticated answer ---------- */

/*
 * A transport that loses the UNPAIR request (a jammer) and then answers
 * the next session INIT with a forged REJECT(AUTH) before the toy does.
 */
/*
 * Across boots: the first unauthenticated event of each type in a boot
 * takes an entry of its own, but once the log is full it can only replace
 * an unauthenticated entry, and a kept event replaces those first.  So
 * TOY_LOG_KEEP / 2 boots, each with both kinds of frames (three entries'
 * worth of events each, half again what the log holds), leave every kept
 * entry in the log: pair-ok, the mic-start and every boot.
 */
#define BOOTS	(TOY_LOG_KEEP / 2)

static void unauth_pair(struct scene *s, uint8_t *hello, uint8_t *init)
{
	test_host_idle(&s->a, 100);
	rogue_drain(s);
	rogue_plain(s, hello, PAWLINK_PAIR_HELLO_LEN);
	rogue_plain(s, init, PAWLINK_SESS_INIT_LEN);
	test_host_idle(&s->a, 200);
	rogue_drain(s);
}

static void test_unauth_events_never_evict_kept_entries(void **state)
{
	struct pawlink_toy_event ev[LOG_ROOM];
	uint8_t hello[PAWLINK_PAIR_HELLO_LEN], init[PAWLINK_SESS_INIT_LEN];
	struct scene s;
	uint32_t next;
	size_t n, i;
	int b;

	(void)state;
	scene_open(&s);
	pair(&s, &s.a);
	connect_ok(&s, &s.a);
	assert_int_equal(pawlink_mic_start(s.a.p), 0);
	assert_int_equal(pawlink_mic_stop(s.a.p), 0);
	assert_int_equal(pawlink_disconnect(s.a.p), 0);
	memset(hello, 0, sizeof(hello));
	hello[0] = PAWLINK_PAIR_MSG_HELLO;
	hello[1] = PAWLINK_PAIR_VERSION;
	hello[4] = 0x99;
	memcpy(hello + 4 + PAWLINK_ID_LEN, s.toy_id, PAWLINK_ID_LEN);
	randombytes_buf(init, sizeof(init));
	memcpy(init, "\x20\x02\x00\x00\x01\x00\x00\x00", 8);
	for (b = 0; b < BOOTS; b++) {
		unauth_pair(&s, hello, init);
		toy_sim_stop(&s.toy, s.a.t, false);
		assert_int_equal(toy_sim_start(&s.toy), 0);
	}
	unauth_pair(&s, hello, init);

	connect_ok(&s, &s.a);
	assert_int_equal(pawlink_log(s.a.p, 0, ev, LOG_ROOM, &n, &next), 0);
	assert_int_equal(n, TOY_LOG_KEEP);
	assert_int_equal(count_in(ev, n, PAWLINK_TOY_EV_PAIR_OK), 1);
	assert_int_equal(count_in(ev, n, PAWLINK_TOY_EV_MIC_START), 1);
	assert_int_equal(count_in(ev, n, PAWLINK_TOY_EV_BOOT), BOOTS + 1);
	/* The strangers of this boot are in it too, newest. */
	assert_true(count_in(ev, n, PAWLINK_TOY_EV_PAIR_REFUSED) >= 1);
	assert_true(count_in(ev, n, PAWLINK_TOY_EV_SESSION_REJECT) >= 1);
	for (i = 1; i < n; i++)
		assert_true(ev[i].seq > ev[i - 1].seq);
	scene_close(&s, &s.a);
}

struct jam {
	struct pawlink_transport base;
	struct pawlink_transport *inner;
	bool armed, jammed;
	bool forged_pending;
	uint8_t forged[PAWLINK_SESS_REJECT_LEN];
	unsigned int forged_sent;
};

static struct jam *jam_of(struct pawlink_transport *t)
{
	return (struct jam *)t;
}

static int jam_scan(struct pawlink_transport *t, unsigned int ms,
		    struct pawlink_beacon *out, size_t max, size_t *n)
{
	return jam_of(t)->inner->ops->scan(jam_of(t)->inner, ms, out, max, n);
}

static int jam_connect(struct pawlink_transport *t, const uint8_t id[8])
{
	return jam_of(t)->inner->ops->connect(jam_of(t)->inner, id);
}

static int jam_disconnect(struct pawlink_transport *t)
{
	return jam_of(t)->inner->ops->disconnect(jam_of(t)->inner);
}

static int jam_set_keys(struct pawlink_transport *t,
			const struct pawlink_key_install *k)
{
	return jam_of(t)->inner->ops->set_keys(jam_of(t)->inner, k);
}

static int jam_send(struct pawlink_transport *t, const uint8_t *f, size_t len)
{
	struct jam *j = jam_of(t);

	if (j->armed && len && f[0] == PAWLINK_TOY_UNPAIR_REQ) {
		j->jammed = true;
		return 0;	/* lost on the air */
	}
	if (j->jammed && len == PAWLINK_SESS_INIT_LEN &&
	    f[0] == PAWLINK_SESS_INIT) {
		memcpy(j->forged, "\x22\x02\x04\x00", 4);
		memcpy(j->forged + 4, f + 4, 4);	/* its epoch */
		j->forged_pending = true;
	}
	return j->inner->ops->send(j->inner, f, len);
}

static int jam_recv(struct pawlink_transport *t, uint8_t *f, size_t cap,
		    size_t *len, int ms)
{
	struct jam *j = jam_of(t);

	if (j->forged_pending) {
		j->forged_pending = false;
		j->forged_sent++;
		memcpy(f, j->forged, sizeof(j->forged));
		*len = sizeof(j->forged);
		return 0;
	}
	return j->inner->ops->recv(j->inner, f, cap, len, ms);
}

static int jam_get_stats(struct pawlink_transport *t, struct pawlink_stats *st)
{
	return jam_of(t)->inner->ops->get_stats(jam_of(t)->inner, st);
}

static uint64_t jam_now_us(struct pawlink_transport *t)
{
	return jam_of(t)->inner->ops->now_us(jam_of(t)->inner);
}

static bool jam_keyed(struct pawlink_transport *t)
{
	return jam_of(t)->inner->ops->keyed(jam_of(t)->inner);
}

static void jam_close(struct pawlink_transport *t)
{
	pawlink_transport_close(jam_of(t)->inner);
}

static const struct pawlink_transport_ops jam_ops = {
	.scan = jam_scan,
	.connect = jam_connect,
	.disconnect = jam_disconnect,
	.set_keys = jam_set_keys,
	.send = jam_send,
	.recv = jam_recv,
	.get_stats = jam_get_stats,
	.now_us = jam_now_us,
	.keyed = jam_keyed,
	.close = jam_close,
};

static void test_forged_reject_does_not_unpair(void **state)
{
	struct pawlink_toy_status_info st;
	struct test_host h;
	struct radio *r;
	struct scene s;
	struct jam j;
	char err[256];

	(void)state;
	scene_open(&s);
	/* Host h, whose air the jammer sits on, in the place of a. */
	memset(&h, 0, sizeof(h));
	memset(&j, 0, sizeof(j));
	assert_int_equal(test_tmpdir(h.dir, sizeof(h.dir), "host",
				     TEST_TMP_DISK), 0);
	assert_int_equal(radio_open_local(s.air, RADIO_ACTOR, &r), 0);
	/* Only now: with no host on the air, the toy would run time on. */
	test_host_close(&s.a);
	assert_int_equal(pawlink_transport_air_new(&j.inner, r), 0);
	j.base.ops = &jam_ops;
	h.t = &j.base;
	assert_int_equal(pawlink_open_transport(&h.p, h.t, h.dir, err,
						sizeof(err)), 0);
	pair(&s, &h);
	connect_ok(&s, &h);

	j.armed = true;
	assert_int_not_equal(pawlink_unpair(h.p), 0);
	assert_true(j.jammed);
	assert_true(j.forged_sent >= 1);
	/* "Could not confirm", which is no success; the pin stays. */
	assert_non_null(strstr(pawlink_error(h.p), "could not confirm"));
	assert_true(has_pin(&h, s.toy_id));
	toy_sim_status(&s.toy, &st);
	assert_int_equal(st.paired_hosts, 1);

	/* Without the jammer, unpair works, on the toy's own answer. */
	j.armed = j.jammed = false;
	connect_ok(&s, &h);
	assert_int_equal(pawlink_unpair(h.p), 0);
	assert_false(has_pin(&h, s.toy_id));
	toy_sim_status(&s.toy, &st);
	assert_int_equal(st.paired_hosts, 0);
	scene_close(&s, &h);
}

/* ---- finding 5: replays and strangers ----------------------------------- */

static void test_replayed_init_gets_nothing(void **state)
{
	uint8_t init[PAWLINK_SESS_INIT_LEN];
	struct pawlink_toy_status_info st, st2;
	unsigned long log_saves, stamp_saves, staged;
	struct scene s;
	int k;

	(void)state;
	scene_open(&s);
	pair(&s, &s.a);
	rogue_drain(&s);
	connect_ok(&s, &s.a);
	assert_true(sniff_init(&s, init));
	assert_int_equal(pawlink_disconnect(s.a.p), 0);
	test_host_idle(&s.a, 60 * 1000);	/* an hour later, say */
	rogue_drain(&s);

	for (k = 0; k < 2; k++) {
		toy_sim_status(&s.toy, &st);
		log_saves = toy_sim_saves(&s.toy, TOY_BLOB_LOG);
		stamp_saves = toy_sim_saves(&s.toy, TOY_BLOB_STAMPS);
		staged = toy_get_counters(s.toy.toy)->sessions;
		/* From the rogue's own radio id, not the host's. */
		rogue_plain(&s, init, sizeof(init));
		test_host_idle(&s.a, 2000);
		assert_int_equal(rogue_drain(&s), 0);	/* no RESP, nothing */
		assert_int_equal(toy_sim_saves(&s.toy, TOY_BLOB_LOG),
				 log_saves);
		assert_int_equal(toy_sim_saves(&s.toy, TOY_BLOB_STAMPS),
				 stamp_saves);
		assert_int_equal(toy_get_counters(s.toy.toy)->sessions,
				 staged);
		toy_sim_status(&s.toy, &st2);
		assert_int_equal(st2.log_next, st.log_next);
		/*
		 * And again after a reboot (a new private id, where the rogue
		 * aims next): the stamp was kept durably.
		 */
		toy_sim_stop(&s.toy, s.a.t, false);
		assert_int_equal(toy_sim_start(&s.toy), 0);
		test_host_idle(&s.a, 100);
		rogue_drain(&s);
	}
	/* The host itself is not disturbed. */
	connect_ok(&s, &s.a);
	scene_close(&s, &s.a);
}

/*
 * A captured INIT of a host removed since (revoked here) gets nothing,
 * not even the REJECT(AUTH) that would tell its captor "that host was
 * removed", and changes nothing, also after a reboot; the removed host's
 * own fresh INIT is still told to pair again (its tombstone).
 */
static void test_replayed_init_of_removed_host_gets_nothing(void **state)
{
	char code[PAWLINK_INVITE_CODE_SIZE];
	uint8_t init[PAWLINK_SESS_INIT_LEN], a_id[PAWLINK_ID_LEN];
	unsigned long log_saves, stamp_saves;
	struct test_host b;
	struct scene s;
	int k;

	(void)state;
	scene_open(&s);
	pair(&s, &s.a);
	pawlink_host_id(s.a.p, a_id);
	rogue_drain(&s);
	connect_ok(&s, &s.a);
	assert_true(sniff_init(&s, init));
	if (pawlink_invite(s.a.p, "b", code, NULL))
		fail_msg("invite: %s", pawlink_error(s.a.p));
	assert_int_equal(pawlink_disconnect(s.a.p), 0);
	/* B on the air before A leaves: with no host, virtual time runs. */
	assert_int_equal(test_host_open(&b, s.air), 0);
	host_off_air(&s.a);
	if (pawlink_pair(b.p, s.toy_id, code, "b"))
		fail_msg("invited pairing: %s", pawlink_error(b.p));
	connect_ok(&s, &b);
	assert_int_equal(pawlink_revoke(b.p, a_id), 0);
	assert_int_equal(pawlink_disconnect(b.p), 0);
	test_host_idle(&b, 100);
	rogue_drain(&s);

	for (k = 0; k < 2; k++) {
		log_saves = toy_sim_saves(&s.toy, TOY_BLOB_LOG);
		stamp_saves = toy_sim_saves(&s.toy, TOY_BLOB_STAMPS);
		rogue_plain(&s, init, sizeof(init));
		test_host_idle(&b, 2000);
		assert_int_equal(rogue_drain(&s), 0);	/* no REJECT either */
		assert_int_equal(toy_sim_saves(&s.toy, TOY_BLOB_LOG),
				 log_saves);
		assert_int_equal(toy_sim_saves(&s.toy, TOY_BLOB_STAMPS),
				 stamp_saves);
		/* The tombstone is durable: again after a reboot. */
		toy_sim_stop(&s.toy, b.t, false);
		assert_int_equal(toy_sim_start(&s.toy), 0);
		test_host_idle(&b, 100);
		rogue_drain(&s);
	}
	/* A itself, fresh, is told why: it was removed. */
	host_on_air(&s.a, s.air);
	host_off_air(&b);
	assert_int_equal(pawlink_connect(s.a.p, s.toy_id, NULL), -EACCES);
	assert_non_null(strstr(pawlink_error(s.a.p), "pair again"));
	test_host_close(&b);
	toy_sim_stop(&s.toy, s.a.t, false);
	test_host_close(&s.a);
	radio_close(s.rogue);
	toy_sim_done(&s.toy);
	assert_int_equal(air_local_free(s.air), 0);
}

static void test_stranger_init_costs_no_x25519(void **state)
{
	uint8_t init[PAWLINK_SESS_INIT_LEN], priv[32], fake_pub[32];
	struct pawlink_session_host hs;
	unsigned long before;
	unsigned int answers;
	struct scene s;
	size_t len;

	(void)state;
	scene_open(&s);
	pair(&s, &s.a);
	test_host_idle(&s.a, 100);
	rogue_drain(&s);
	/* A well-made INIT for a toy key the stranger had to guess. */
	randombytes_buf(priv, sizeof(priv));
	randombytes_buf(fake_pub, sizeof(fake_pub));
	assert_int_equal(pawlink_session_host_start_at(&hs, priv, fake_pub, 0,
						       1, init, sizeof(init),
						       &len), 0);
	pawlink_session_host_abort(&hs);
	/* Nobody else on this air does X25519 while the toy takes it. */
	before = noise_x25519_ops();
	rogue_plain(&s, init, len);
	test_host_idle(&s.a, 1000);
	answers = rogue_drain(&s);
	assert_int_equal(noise_x25519_ops() - before, 0);
	assert_int_equal(answers, 1);		/* a bare REJECT(AUTH) */
	/* A paired host's INIT, for scale: the toy does 1 + 3n + 3. */
	before = noise_x25519_ops();
	connect_ok(&s, &s.a);
	print_message("x25519: stranger 0, paired host's handshake %lu "
		      "(both sides)\n", noise_x25519_ops() - before);
	assert_true(noise_x25519_ops() - before >= 1 + 3 + 3);
	scene_close(&s, &s.a);
}

/*
 * A stamps blob that does not open (sealed under the device key, then
 * corrupted) starts from none, as a corrupt one always did (toy.rst): the
 * paired host still gets a session, and the next one rewrites the blob.
 */
static void test_corrupt_stamps_blob_starts_from_none(void **state)
{
	unsigned long stamp_saves;
	struct scene s;

	(void)state;
	scene_open(&s);
	pair(&s, &s.a);
	connect_ok(&s, &s.a);
	assert_int_equal(pawlink_disconnect(s.a.p), 0);
	toy_sim_stop(&s.toy, s.a.t, false);
	assert_true(s.toy.blob_set[TOY_BLOB_STAMPS]);
	s.toy.blob[TOY_BLOB_STAMPS][s.toy.blob_len[TOY_BLOB_STAMPS] - 1] ^= 1;
	assert_int_equal(toy_sim_start(&s.toy), 0);
	stamp_saves = toy_sim_saves(&s.toy, TOY_BLOB_STAMPS);
	connect_ok(&s, &s.a);
	assert_int_equal(toy_sim_saves(&s.toy, TOY_BLOB_STAMPS),
			 stamp_saves + 1);
	assert_int_equal(pawlink_disconnect(s.a.p), 0);
	/* Rewritten: it opens after the next reboot. */
	toy_sim_stop(&s.toy, s.a.t, false);
	assert_int_equal(toy_sim_start(&s.toy), 0);
	connect_ok(&s, &s.a);
	scene_close(&s, &s.a);
}

/* ---- finding 8 and the rekey guard: whose session it is ----------------- */

static void test_own_lost_session_is_replaced_at_once(void **state)
{
	struct pawlink_toy_status_info st;
	struct pawlink *again;
	uint64_t t0;
	struct scene s;
	char err[256];

	(void)state;
	scene_open(&s);
	pair(&s, &s.a);
	connect_ok(&s, &s.a);
	/*
	 * The process dies: its keys are gone without a BYE, the toy still
	 * holds the session.  A new process opens the same key store (on the
	 * same radio here; the toy goes by the host's key, not its radio).
	 */
	s.a.t->ops->disconnect(s.a.t);
	assert_int_equal(pawlink_open_transport(&again, s.a.t, s.a.dir, err,
						sizeof(err)), 0);
	assert_true(toy_in_session(s.toy.toy));
	t0 = now_us(&s.a);
	assert_int_equal(pawlink_connect(again, s.toy_id, &st), 0);
	/* At once: one round trip and a STATUS, not a 5 minute wait. */
	assert_true(now_us(&s.a) - t0 < 1000000);
	assert_int_equal(pawlink_status(again, &st), 0);
	assert_int_equal(toy_sim_count_events(&s.toy,
					      PAWLINK_TOY_EV_SESSION_START), 2);
	pthread_mutex_lock(&s.toy.lock);
	assert_int_equal(s.toy.events[s.toy.n_events - 2].event,
			 PAWLINK_TOY_EV_SESSION_END);
	assert_int_equal(s.toy.events[s.toy.n_events - 2].detail,
			 PAWLINK_TOY_END_REPLACED);
	pthread_mutex_unlock(&s.toy.lock);
	assert_int_equal(pawlink_disconnect(again), 0);
	pawlink_close(again);
	scene_close(&s, &s.a);
}

/*
 * Only the session's own host may start over or rekey inside a session:
 * another paired host is told the toy is busy, and the session goes on.
 */
static void test_other_host_cannot_take_the_session(void **state)
{
	char code[PAWLINK_INVITE_CODE_SIZE];
	uint8_t init[PAWLINK_SESS_INIT_LEN];
	size_t starts, ends;
	struct test_host b;
	struct scene s;

	(void)state;
	scene_open(&s);
	/* A claims the toy and invites B: a claimed toy pairs only so. */
	pair(&s, &s.a);
	connect_ok(&s, &s.a);
	if (pawlink_invite(s.a.p, "b", code, NULL))
		fail_msg("invite: %s", pawlink_error(s.a.p));
	assert_int_equal(pawlink_disconnect(s.a.p), 0);
	/*
	 * One host on the air at a time, as a quiet actor would stop the
	 * clock; the next comes on before the last leaves, as with no host
	 * at all the toy alone would run virtual time ahead.
	 */
	assert_int_equal(test_host_open(&b, s.air), 0);
	host_off_air(&s.a);
	if (pawlink_pair(b.p, s.toy_id, code, "b"))
		fail_msg("invited pairing: %s", pawlink_error(b.p));
	host_on_air(&s.a, s.air);
	host_off_air(&b);
	connect_ok(&s, &s.a);
	starts = toy_sim_count_events(&s.toy, PAWLINK_TOY_EV_SESSION_START);
	ends = toy_sim_count_events(&s.toy, PAWLINK_TOY_EV_SESSION_END);
	/*
	 * A goes quiet (its keys dropped, no BYE); its session stays.  B is
	 * on the air first: with no host radio open, virtual time would run.
	 */
	assert_true(toy_in_session(s.toy.toy));
	s.a.t->ops->disconnect(s.a.t);
	host_on_air(&b, s.air);
	test_host_close(&s.a);
	assert_true(toy_in_session(s.toy.toy));

	/* B, paired too, is told why, and cannot take A's session. */
	rogue_drain(&s);
	assert_int_equal(pawlink_connect(b.p, s.toy_id, NULL), -EBUSY);
	assert_true(sniff_init(&s, init));
	assert_non_null(strstr(pawlink_error(b.p),
			       "in a session with another host"));
	assert_true(toy_in_session(s.toy.toy));
	/* A's session neither ended nor was replaced by one of B's. */
	assert_int_equal(toy_sim_count_events(&s.toy,
					      PAWLINK_TOY_EV_SESSION_END), ends);
	assert_int_equal(toy_sim_count_events(&s.toy,
					      PAWLINK_TOY_EV_SESSION_START),
			 starts);
	/* Once A's session ended (idle), B gets its turn. */
	test_host_idle(&b, (unsigned int)(TOY_SESSION_IDLE_US / 1000) + 2000);
	assert_false(toy_in_session(s.toy.toy));
	/* B's refused INIT, replayed now that the toy is free: nothing. */
	rogue_drain(&s);
	rogue_plain(&s, init, sizeof(init));
	test_host_idle(&b, 1000);
	assert_int_equal(rogue_drain(&s), 0);
	connect_ok(&s, &b);
	scene_close(&s, &b);
}

/* ---- the pairing log guards --------------------------------------------- */

static void test_pair_fail_and_one_locked_are_logged(void **state)
{
	struct pawlink_pair_policy pol;
	struct pawlink_setup_code wrong;
	char code[PAWLINK_SETUP_CODE_DISPLAY_SIZE];
	uint8_t host_id[PAWLINK_ID_LEN];
	struct test_host b;
	struct scene s;
	size_t i, fails = 0;
	bool with_host = false;
	int rc;

	(void)state;
	scene_open(&s);
	/*
	 * A toy no host has claimed (only the printed code's failures count
	 * toward the limit), one failure short of its lifetime limit.  The
	 * state is saved as the toy saves it, sealed at rest under its device
	 * key (toy_vault.c), and the toy boots from it.
	 */
	pawlink_policy_init(&pol);
	pol.lifetime_failures = PAWLINK_POLICY_LIFETIME_FAILURES - 1;
	pthread_mutex_lock(&s.toy.lock);
	rc = toy_policy_persist(&pol, s.toy.toy);
	pthread_mutex_unlock(&s.toy.lock);
	assert_int_equal(rc, 0);
	toy_sim_stop(&s.toy, s.a.t, false);
	/* B on the air before the toy boots: alone, it would run time on. */
	assert_int_equal(test_host_open(&b, s.air), 0);
	test_host_close(&s.a);
	assert_int_equal(toy_sim_start(&s.toy), 0);
	pawlink_host_id(b.p, host_id);

	/* A well-formed code, not the toy's. */
	do {
		pawlink_setup_code_generate(&wrong);
		assert_int_equal(pawlink_setup_code_format(&wrong, code), 0);
	} while (!strcmp(code, s.toy.label));
	assert_int_equal(toy_sim_press(&s.toy), 0);
	assert_int_equal(pawlink_pair(b.p, s.toy_id, code, "b"), -EACCES);
	test_host_idle(&b, 100);	/* the toy logs after it answers */
	pthread_mutex_lock(&s.toy.lock);
	for (i = 0; i < s.toy.n_events; i++)
		if (s.toy.events[i].event == PAWLINK_TOY_EV_PAIR_FAIL) {
			fails++;
			with_host = !memcmp(s.toy.events[i].host_id, host_id,
					    PAWLINK_ID_LEN);
			assert_int_equal(s.toy.events[i].detail,
					 PAWLINK_TOY_PAIR_AUTH);
		}
	pthread_mutex_unlock(&s.toy.lock);
	assert_int_equal(fails, 1);
	assert_true(with_host);
	assert_int_equal(toy_sim_count_events(&s.toy, PAWLINK_TOY_EV_LOCKED),
			 1);
	/* More attempts, button or not: refused, and no second "locked". */
	toy_sim_press(&s.toy);
	assert_int_not_equal(pawlink_pair(b.p, s.toy_id, code, "b"), 0);
	assert_int_not_equal(pawlink_pair(b.p, s.toy_id, s.toy.label, "b"), 0);
	test_host_idle(&b, 100);
	assert_int_equal(toy_sim_count_events(&s.toy, PAWLINK_TOY_EV_LOCKED),
			 1);
	scene_close(&s, &b);
}

/* ---- finding 7: two first runs at once make one host identity -------- */

/* A child: waits on @go, then makes or loads the identity in @dir. */
static void first_run(const char *dir, int go, int out)
{
	uint8_t id[PAWLINK_ID_LEN + 1] = { 0 };
	struct pawlink *p;
	char err[256], c;

	if (read(go, &c, 1) != 1)
		_exit(2);
	if (pawlink_open(&p, dir, err, sizeof(err)) == 0) {
		id[PAWLINK_ID_LEN] = pawlink_host_id(p, id) == 0;
		if (!id[PAWLINK_ID_LEN])
			fprintf(stderr, "first run: %s\n", pawlink_error(p));
		pawlink_close(p);
	}
	_exit(write(out, id, sizeof(id)) == (ssize_t)sizeof(id) ? 0 : 3);
}

static void test_two_first_runs_share_one_identity(void **state)
{
	uint8_t got[2][PAWLINK_ID_LEN + 1], kept[PAWLINK_ID_LEN];
	int go[2], out[2], round, k, status;
	struct pawlink *p;
	char dir[64], err[256];
	pid_t pid[2];

	(void)state;
	for (round = 0; round < 10; round++) {
		assert_int_equal(test_tmpdir(dir, sizeof(dir), "host",
					     TEST_TMP_DISK), 0);
		assert_int_equal(pipe(go), 0);
		assert_int_equal(pipe(out), 0);
		for (k = 0; k < 2; k++) {
			pid[k] = fork();
			assert_true(pid[k] >= 0);
			if (pid[k] == 0)
				first_run(dir, go[0], out[1]);
		}
		/* Both at once: the check and the write race. */
		assert_int_equal(write(go[1], "gg", 2), 2);
		for (k = 0; k < 2; k++) {
			assert_int_equal(read(out[0], got[k], sizeof(got[k])),
					 sizeof(got[k]));
			assert_int_equal(waitpid(pid[k], &status, 0), pid[k]);
			assert_true(WIFEXITED(status) && !WEXITSTATUS(status));
			assert_int_equal(got[k][PAWLINK_ID_LEN], 1);
		}
		close(go[0]);
		close(go[1]);
		close(out[0]);
		close(out[1]);
		/* Both use the identity that is on disk, not one it lost. */
		assert_int_equal(pawlink_open(&p, dir, err, sizeof(err)), 0);
		assert_int_equal(pawlink_host_id(p, kept), 0);
		pawlink_close(p);
		assert_memory_equal(got[0], kept, PAWLINK_ID_LEN);
		assert_memory_equal(got[1], kept, PAWLINK_ID_LEN);
		assert_int_equal(test_rm_tree(dir), 0);
	}
}

/* ---- finding 7: secrets out of core dumps ------------------------------ */

/* The VmFlags of the mapping that holds @addr, from /proc/self/smaps. */
static bool vm_flags_of(const void *addr, char *flags, size_t cap)
{
	uintptr_t a = (uintptr_t)addr;
	unsigned long lo, hi;
	bool inside = false;
	char line[240];
	FILE *f = fopen("/proc/self/smaps", "r");

	assert_non_null(f);
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "%lx-%lx ", &lo, &hi) == 2 &&
		    strchr(line, '-') < strchr(line, ' '))
			inside = a >= lo && a < hi;
		else if (inside && !strncmp(line, "VmFlags:", 8)) {
			snprintf(flags, cap, "%s", line + 8);
			fclose(f);
			return true;
		}
	}
	fclose(f);
	return false;
}

static void test_host_secret_not_in_core_dumps(void **state)
{
	uint8_t id[PAWLINK_ID_LEN];
	char dir[64], err[256], flags[256];
	struct pawlink *p;

	(void)state;
	assert_int_equal(test_tmpdir(dir, sizeof(dir), "host", TEST_TMP_DISK),
			 0);
	assert_int_equal(pawlink_open(&p, dir, err, sizeof(err)), 0);
	assert_int_equal(pawlink_host_id(p, id), 0);	/* the key is in */
	assert_true(vm_flags_of(p, flags, sizeof(flags)));
	/* "dd": MADV_DONTDUMP ("lo", locked, only where RLIMIT allows). */
	assert_non_null(strstr(flags, " dd"));
	pawlink_close(p);
	assert_int_equal(test_rm_tree(dir), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_flood_keeps_mic_start_and_spares_flash),
		cmocka_unit_test(test_unauth_events_never_evict_kept_entries),
		cmocka_unit_test(test_forged_reject_does_not_unpair),
		cmocka_unit_test(test_replayed_init_gets_nothing),
		cmocka_unit_test(test_replayed_init_of_removed_host_gets_nothing),
		cmocka_unit_test(test_stranger_init_costs_no_x25519),
		cmocka_unit_test(test_corrupt_stamps_blob_starts_from_none),
		cmocka_unit_test(test_own_lost_session_is_replaced_at_once),
		cmocka_unit_test(test_other_host_cannot_take_the_session),
		cmocka_unit_test(test_pair_fail_and_one_locked_are_logged),
		cmocka_unit_test(test_two_first_runs_share_one_identity),
		cmocka_unit_test(test_host_secret_not_in_core_dumps),
	};

	if (sodium_init() < 0)
		return 1;
	return cmocka_run_group_tests(tests, NULL, NULL);
}

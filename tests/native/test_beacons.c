// SPDX-License-Identifier: GPL-2.0
/*
 * Untrackable beacons (issue 11, finding 6), with the real toy core and a
 * real host on the in-process air, over an hour of virtual time:
 *
 *  - outside a pairing window a paired toy beacons, and is reached at, a
 *    private id that changes at least every 15 minutes and at each boot;
 *    a stranger listening sees ids that never repeat across rotations and
 *    never the toy's identity id, so it links none of them;
 *  - a paired host resolves every one of those beacons to its toy, finds
 *    the toy at its current id, and `scan` names it;
 *  - during a pairing window the toy beacons its identity id, which
 *    HELLO needs.
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

#include "beacon_id.h"
#include "keystore.h"
#include "toy_sim.h"

#define MINUTES		60
#define IDS_MAX		64

struct scene {
	struct air_local *air;
	struct test_host a;
	struct toy_sim toy;
	uint8_t toy_id[PAWLINK_ID_LEN];
	struct radio *rogue;		/* promiscuous: the tracker */
};

/* The ids a tracker heard, each with the minutes it was heard in. */
struct heard {
	size_t beacons, resolved, n;
	uint8_t id[IDS_MAX][PAWLINK_ID_LEN];
	unsigned int first[IDS_MAX], last[IDS_MAX];
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
}

static void scene_close(struct scene *s)
{
	pawlink_disconnect(s->a.p);
	toy_sim_stop(&s->toy, s->a.t, false);
	test_host_close(&s->a);
	radio_close(s->rogue);
	toy_sim_done(&s->toy);
	assert_int_equal(air_local_free(s->air), 0);
}

/* The resolving key host A holds: from the pin in its key store. */
static void host_irk(struct scene *s, uint8_t irk[PAWLINK_BEACON_IRK_LEN])
{
	struct pawlink_toy_record rec;
	struct pawlink_keystore ks;

	assert_int_equal(pawlink_keystore_open(&ks, s->a.dir, NULL, 0), 0);
	assert_int_equal(pawlink_keystore_toy_load(&ks, s->toy_id, &rec, NULL,
						   0), 0);
	pawlink_keystore_close(&ks);
	pawlink_beacon_irk(irk, rec.static_key);
	sodium_memzero(&rec, sizeof(rec));
}

/* Takes the beacons the tracker heard during minute @minute. */
static void listen(struct scene *s, struct heard *h, unsigned int minute,
		   const uint8_t irk[PAWLINK_BEACON_IRK_LEN])
{
	static struct radio_rx rx;
	size_t i;

	while (radio_recv(s->rogue, &rx, 0) == 0) {
		if (rx.f.type != PAWLINK_AIR_BEACON)
			continue;
		h->beacons++;
		/* The beacon names its sender, and nothing else. */
		assert_memory_equal(rx.f.payload, rx.f.src, PAWLINK_ID_LEN);
		h->resolved += pawlink_beacon_id_resolves(rx.f.src, irk);
		for (i = 0; i < h->n; i++)
			if (!memcmp(h->id[i], rx.f.src, PAWLINK_ID_LEN))
				break;
		if (i == h->n) {
			assert_true(h->n < IDS_MAX);
			memcpy(h->id[h->n], rx.f.src, PAWLINK_ID_LEN);
			h->first[h->n++] = minute;
		}
		h->last[i] = minute;
	}
}

static void test_an_hour_of_beacons(void **state)
{
	uint8_t irk[PAWLINK_BEACON_IRK_LEN], other[PAWLINK_BEACON_IRK_LEN];
	uint8_t before_boot[PAWLINK_ID_LEN];
	struct pawlink_beacon b[8];
	struct heard *h = calloc(1, sizeof(*h));
	unsigned int minute;
	struct scene s;
	size_t i, n, strangers = 0;

	(void)state;
	assert_non_null(h);
	scene_open(&s);
	/* Before any host: the identity id, so the owner can pair. */
	assert_int_equal(test_host_pair(&s.a, &s.toy), 0);
	host_irk(&s, irk);
	randombytes_buf(other, sizeof(other));
	test_host_idle(&s.a, 50);
	while (radio_recv(s.rogue, &(struct radio_rx){ 0 }, 0) == 0)
		;

	for (minute = 0; minute < MINUTES; minute++) {
		test_host_idle(&s.a, 60 * 1000);
		listen(&s, h, minute, irk);
	}
	/* 300 a minute: far more than 1000 in the hour. */
	assert_true(h->beacons >= 1000);
	/* A paired host resolves every one of them ... */
	assert_int_equal(h->resolved, h->beacons);
	/* ... a stranger's key none, and no id is the identity id. */
	for (i = 0; i < h->n; i++) {
		strangers += pawlink_beacon_id_resolves(h->id[i], other);
		assert_memory_not_equal(h->id[i], s.toy_id, PAWLINK_ID_LEN);
	}
	assert_int_equal(strangers, 0);
	/*
	 * Rotated at least every 15 minutes, and no id ever comes back: each
	 * is heard in one stretch of at most 16 minutes, the stretches in
	 * order.  So nothing links one stretch to the next.
	 */
	assert_true(h->n >= MINUTES / 15);
	for (i = 0; i < h->n; i++) {
		assert_true(h->last[i] - h->first[i] <= 15);
		if (i > 0)
			assert_true(h->first[i] >= h->last[i - 1]);
	}

	/* The paired host still finds it and talks to it ... */
	if (pawlink_connect(s.a.p, s.toy_id, NULL))
		fail_msg("session: %s", pawlink_error(s.a.p));
	assert_int_equal(pawlink_disconnect(s.a.p), 0);
	/* ... and its scan names it by its identity. */
	assert_int_equal(pawlink_scan(s.a.p, 500, b, 8, &n), 0);
	assert_int_equal(n, 1);
	assert_memory_equal(b[0].toy_id, s.toy_id, PAWLINK_ID_LEN);

	/* A reboot: a new id at once. */
	memcpy(before_boot, h->id[h->n - 1], PAWLINK_ID_LEN);
	toy_sim_stop(&s.toy, s.a.t, false);
	assert_int_equal(toy_sim_start(&s.toy), 0);
	test_host_idle(&s.a, 1000);
	listen(&s, h, MINUTES, irk);
	assert_memory_not_equal(h->id[h->n - 1], before_boot, PAWLINK_ID_LEN);
	assert_int_equal(h->resolved, h->beacons);
	sodium_memzero(irk, sizeof(irk));
	free(h);
	scene_close(&s);
}

/* An invite's window: the identity id, for HELLO; then private again. */
static void test_window_shows_the_identity(void **state)
{
	static struct radio_rx rx;
	char code[PAWLINK_INVITE_CODE_SIZE];
	uint8_t irk[PAWLINK_BEACON_IRK_LEN];
	unsigned int identity = 0, private = 0;
	struct scene s;

	(void)state;
	scene_open(&s);
	assert_int_equal(test_host_pair(&s.a, &s.toy), 0);
	host_irk(&s, irk);
	if (pawlink_connect(s.a.p, s.toy_id, NULL))
		fail_msg("session: %s", pawlink_error(s.a.p));
	assert_int_equal(pawlink_invite(s.a.p, "", code, NULL), 0);
	assert_int_equal(pawlink_disconnect(s.a.p), 0);
	test_host_idle(&s.a, 300);
	while (radio_recv(s.rogue, &rx, 0) == 0)
		;
	test_host_idle(&s.a, 2000);
	while (radio_recv(s.rogue, &rx, 0) == 0) {
		if (rx.f.type != PAWLINK_AIR_BEACON)
			continue;
		identity += !memcmp(rx.f.src, s.toy_id, PAWLINK_ID_LEN) &&
			    rx.f.payload[PAWLINK_ID_LEN] == PAWLINK_BEACON_PAIRING;
		private += pawlink_beacon_id_resolves(rx.f.src, irk);
	}
	assert_true(identity >= 5);
	assert_int_equal(private, 0);
	/* The window shut (10 minutes): private ids only. */
	test_host_idle(&s.a, 10 * 60 * 1000);
	while (radio_recv(s.rogue, &rx, 0) == 0)
		;
	identity = private = 0;
	test_host_idle(&s.a, 2000);
	while (radio_recv(s.rogue, &rx, 0) == 0) {
		if (rx.f.type != PAWLINK_AIR_BEACON)
			continue;
		identity += !memcmp(rx.f.src, s.toy_id, PAWLINK_ID_LEN);
		private += pawlink_beacon_id_resolves(rx.f.src, irk);
	}
	assert_int_equal(identity, 0);
	assert_true(private >= 5);
	sodium_memzero(code, sizeof(code));
	scene_close(&s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_an_hour_of_beacons),
		cmocka_unit_test(test_window_shows_the_identity),
	};

	if (sodium_init() < 0)
		return 1;
	return cmocka_run_group_tests(tests, NULL, NULL);
}

// SPDX-License-Identifier: GPL-2.0
/*
 * Administering a toy (issue 11, findings 3 and 4), with the real toy
 * core and the real host library on the in-process air, on a virtual
 * clock:
 *
 *  - once a host has paired, the printed code pairs nobody (a stolen
 *    label is useless) and the button opens nothing; a paired host's
 *    invite opens the window with a fresh one-time code that pairs one
 *    host within 10 minutes; a factory reset brings the printed code back;
 *  - `hosts` lists the toy's hosts and which one asks; `revoke` removes
 *    another host, which then gets no session; both are logged;
 *  - strangers' HELLOs, however many, never lock pairing once the toy is
 *    claimed, and a re-pair never replaces a pinned key.
 *
 * Several hosts share one actor radio (one struct pawlink each, with its
 * own key store), so virtual time runs as toy_sim.h requires; only one
 * of them has a session at a time.
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

#include "toy_sim.h"

struct scene {
	struct air_local *air;
	struct test_host a;		/* the owner: the radio all share */
	struct toy_sim toy;
	uint8_t toy_id[PAWLINK_ID_LEN];
};

/* Another host on the owner's radio, with its own key store. */
struct extra_host {
	char dir[64];
	struct pawlink *p;
};

static void extra_open(struct extra_host *h, struct scene *s)
{
	char err[256];

	assert_int_equal(test_tmpdir(h->dir, sizeof(h->dir), "host",
				     TEST_TMP_DISK), 0);
	assert_int_equal(pawlink_open_transport(&h->p, s->a.t, h->dir, err,
						sizeof(err)), 0);
}

static void extra_close(struct extra_host *h)
{
	assert_false(pawlink_connected(h->p));
	pawlink_close(h->p);
	h->p = NULL;
	assert_int_equal(test_rm_tree(h->dir), 0);
}

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
	/* The owner pairs with the printed code: the toy is claimed. */
	if (test_host_pair(&s->a, &s->toy))
		fail_msg("pairing: %s", pawlink_error(s->a.p));
}

static void scene_close(struct scene *s)
{
	pawlink_disconnect(s->a.p);
	toy_sim_stop(&s->toy, s->a.t, false);
	test_host_close(&s->a);
	toy_sim_done(&s->toy);
	assert_int_equal(air_local_free(s->air), 0);
}

/*
 * A pairing the toy did not allow: refused when it reached the toy, or
 * unanswered because a claimed toy outside a window is not at its
 * identity id on the air at all (beacon_id.h).
 */
static bool refused(int rc)
{
	return rc == -EACCES || rc == -ETIMEDOUT;
}

static void connect_ok(struct pawlink *p, const uint8_t toy_id[PAWLINK_ID_LEN])
{
	if (pawlink_connect(p, toy_id, NULL))
		fail_msg("session: %s", pawlink_error(p));
}

/* An invite through @p's session: the code, as the toy made it. */
static void invite(struct pawlink *p, const uint8_t toy_id[PAWLINK_ID_LEN],
		   const char *name, char code[PAWLINK_INVITE_CODE_SIZE])
{
	uint32_t valid_ms = 0;

	connect_ok(p, toy_id);
	if (pawlink_invite(p, name, code, &valid_ms))
		fail_msg("invite: %s", pawlink_error(p));
	assert_int_equal(valid_ms, 10 * 60 * 1000);
	assert_int_equal(strlen(code), 9);
	assert_int_equal(code[4], '-');
	assert_int_equal(pawlink_disconnect(p), 0);
}

static struct pawlink_toy_status_info status_of(struct scene *s)
{
	struct pawlink_toy_status_info st;

	toy_sim_status(&s->toy, &st);
	return st;
}

/* The log entries of @event the toy made, and the host of the last. */
static size_t events(struct scene *s, uint8_t event,
		     uint8_t host[PAWLINK_ID_LEN])
{
	size_t i, n = 0;

	pthread_mutex_lock(&s->toy.lock);
	for (i = 0; i < s->toy.n_events; i++) {
		if (s->toy.events[i].event != event)
			continue;
		n++;
		if (host)
			memcpy(host, s->toy.events[i].host_id, PAWLINK_ID_LEN);
	}
	pthread_mutex_unlock(&s->toy.lock);
	return n;
}

static void test_stolen_label_is_useless_after_pairing(void **state)
{
	struct pawlink_toy_status_info st;
	struct extra_host thief;
	struct scene s;

	(void)state;
	scene_open(&s);
	extra_open(&thief, &s);
	/* The button opens nothing on a claimed toy ... */
	assert_int_equal(toy_sim_press(&s.toy), -EACCES);
	st = status_of(&s);
	assert_false(st.pairing_window);
	/* ... and the printed code pairs nobody, pressed or not. */
	assert_true(refused(pawlink_pair(thief.p, s.toy_id, s.toy.label, "")));
	st = status_of(&s);
	assert_int_equal(st.paired_hosts, 1);
	assert_int_equal(st.lifetime_failures, 0);
	assert_int_equal(events(&s, PAWLINK_TOY_EV_PAIR_OK, NULL), 1);

	/* A re-pair by the owner is refused before anything is sent. */
	assert_int_equal(pawlink_pair(s.a.p, s.toy_id, s.toy.label, ""),
			 -EEXIST);
	assert_non_null(strstr(pawlink_error(s.a.p), "never replaces"));

	/* A factory reset brings the printed code back. */
	assert_int_equal(toy_sim_factory_reset(&s.toy), 0);
	toy_sim_id(&s.toy, s.toy_id);
	assert_int_equal(test_host_pair(&(struct test_host){ .p = thief.p,
							     .t = s.a.t },
					&s.toy), 0);
	st = status_of(&s);
	assert_int_equal(st.paired_hosts, 1);
	extra_close(&thief);
	scene_close(&s);
}

static void test_invite_hosts_revoke(void **state)
{
	struct pawlink_toy_host_info h[PAWLINK_TOY_HOSTS_MAX];
	char code[PAWLINK_INVITE_CODE_SIZE];
	uint8_t id_a[PAWLINK_ID_LEN], id_b[PAWLINK_ID_LEN];
	uint8_t logged[PAWLINK_ID_LEN];
	struct extra_host b, thief;
	uint64_t uptime;
	uint32_t boot;
	size_t n, i;
	struct scene s;

	(void)state;
	scene_open(&s);
	extra_open(&b, &s);
	extra_open(&thief, &s);
	assert_int_equal(pawlink_host_id(s.a.p, id_a), 0);
	assert_int_equal(pawlink_host_id(b.p, id_b), 0);

	/* The owner invites; the toy logs who did, never the code. */
	invite(s.a.p, s.toy_id, "tablet", code);
	assert_int_equal(events(&s, PAWLINK_TOY_EV_INVITE, logged), 1);
	assert_memory_equal(logged, id_a, PAWLINK_ID_LEN);
	assert_true(status_of(&s).pairing_window);

	/* The invited host pairs with the code, no button pressed. */
	if (pawlink_pair(b.p, s.toy_id, code, "bear"))
		fail_msg("invited pairing: %s", pawlink_error(b.p));
	/* One use: the same code pairs nobody else. */
	assert_false(status_of(&s).pairing_window);
	assert_true(refused(pawlink_pair(thief.p, s.toy_id, code, "")));
	assert_int_equal(status_of(&s).paired_hosts, 2);

	/* hosts: both, named, and which one asks. */
	connect_ok(b.p, s.toy_id);
	assert_int_equal(pawlink_disconnect(b.p), 0);
	connect_ok(s.a.p, s.toy_id);
	assert_int_equal(pawlink_hosts(s.a.p, h, PAWLINK_TOY_HOSTS_MAX, &n,
				       &boot, &uptime), 0);
	assert_int_equal(n, 2);
	assert_int_equal(boot, status_of(&s).boot);
	for (i = 0; i < n; i++) {
		bool is_a = !memcmp(h[i].id, id_a, PAWLINK_ID_LEN);

		assert_true(is_a || !memcmp(h[i].id, id_b, PAWLINK_ID_LEN));
		assert_int_equal(h[i].you, is_a);
		assert_string_equal(h[i].name, is_a ? "" : "tablet");
		assert_int_equal(h[i].paired_boot, boot);
		assert_true(h[i].paired_ms <= uptime);
		assert_true(h[i].seen);	/* both had a session this boot */
		assert_true(h[i].seen_ms <= uptime);
	}

	/* revoke: not oneself, not a stranger; then B is gone for good. */
	assert_int_equal(pawlink_revoke(s.a.p, id_a), -EINVAL);
	assert_int_equal(pawlink_revoke(s.a.p, (const uint8_t *)"nobody!!"),
			 -ENOENT);
	assert_int_equal(pawlink_revoke(s.a.p, id_b), 0);
	assert_int_equal(events(&s, PAWLINK_TOY_EV_REVOKE, logged), 1);
	assert_memory_equal(logged, id_b, PAWLINK_ID_LEN);
	assert_int_equal(pawlink_revoke(s.a.p, id_b), -ENOENT);
	assert_int_equal(pawlink_hosts(s.a.p, h, PAWLINK_TOY_HOSTS_MAX, &n,
				       NULL, NULL), 0);
	assert_int_equal(n, 1);
	assert_int_equal(pawlink_disconnect(s.a.p), 0);
	assert_int_equal(pawlink_connect(b.p, s.toy_id, NULL), -EACCES);
	assert_int_equal(status_of(&s).paired_hosts, 1);

	/* An invite lasts 10 minutes, then its code is dead. */
	invite(s.a.p, s.toy_id, "", code);
	test_host_idle(&s.a, 10 * 60 * 1000 + 1000);
	assert_false(status_of(&s).pairing_window);
	assert_true(refused(pawlink_pair(thief.p, s.toy_id, code, "")));
	assert_int_equal(status_of(&s).paired_hosts, 1);

	sodium_memzero(code, sizeof(code));
	extra_close(&thief);
	extra_close(&b);
	scene_close(&s);
}

/*
 * Strangers cannot lock pairing: with the toy claimed, 150 HELLOs with
 * guessed codes (more than the 100 that lock a new toy), some during an
 * invite's window, leave the lifetime count at zero; an invite still
 * pairs afterwards.
 */
static void test_strangers_cannot_lock_pairing(void **state)
{
	static const char *const guesses[] = { "1111-2222", "3333-4444" };
	char code[PAWLINK_INVITE_CODE_SIZE];
	struct pawlink_toy_status_info st;
	struct extra_host stranger, b;
	struct scene s;
	int i;

	(void)state;
	scene_open(&s);
	extra_open(&stranger, &s);
	extra_open(&b, &s);
	for (i = 0; i < 150; i++) {
		if (i == 50)
			invite(s.a.p, s.toy_id, "", code);
		toy_sim_press(&s.toy);	/* even the button, all along */
		assert_true(refused(pawlink_pair(stranger.p, s.toy_id,
						 guesses[i % 2], "")));
		/* A new identity each time: another "host". */
		if (i % 10 == 9) {
			extra_close(&stranger);
			extra_open(&stranger, &s);
		}
	}
	st = status_of(&s);
	assert_false(st.locked);
	assert_int_equal(st.lifetime_failures, 0);
	assert_int_equal(st.paired_hosts, 1);
	/* 20 failures burnt that invite; a new one pairs. */
	assert_false(st.pairing_window);
	invite(s.a.p, s.toy_id, "", code);
	if (pawlink_pair(b.p, s.toy_id, code, ""))
		fail_msg("invited pairing: %s", pawlink_error(b.p));
	assert_int_equal(status_of(&s).paired_hosts, 2);
	sodium_memzero(code, sizeof(code));
	extra_close(&stranger);
	extra_close(&b);
	scene_close(&s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_stolen_label_is_useless_after_pairing),
		cmocka_unit_test(test_invite_hosts_revoke),
		cmocka_unit_test(test_strangers_cannot_lock_pairing),
	};

	if (sodium_init() < 0)
		return 1;
	return cmocka_run_group_tests(tests, NULL, NULL);
}

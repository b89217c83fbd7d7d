// SPDX-License-Identifier: GPL-2.0
/*
 * The toy's pairing policy as pure logic under a test-controlled clock:
 * window, failure limits, lock-out, busy, stale attempts, host table and
 * the persisted byte format.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>
#include <sodium.h>

#include "pairing_policy.h"
#include "bytes.h"
#include "byteorder.h"

#define T0	1000000u	/* an arbitrary boot-relative start time */

static const uint8_t host_a[PAWLINK_ID_LEN] = { 'h', 'o', 's', 't', 'A' };
static const uint8_t host_b[PAWLINK_ID_LEN] = { 'h', 'o', 's', 't', 'B' };
static const uint8_t key1[PAWLINK_PAIR_STATIC_LEN] = { 1, 1, 1 };
static const uint8_t key2[PAWLINK_PAIR_STATIC_LEN] = { 2, 2, 2 };
/* Radios: the honest host's, and another one. */
static const uint8_t src0[PAWLINK_ID_LEN] = { 'r', 'a', 'd', 'i', 'o', '0' };
static const uint8_t src1[PAWLINK_ID_LEN] = { 'r', 'a', 'd', 'i', 'o', '1' };
#define INVITE_CODE	"24681357"

/* The window for the next host: the button until claimed, then an invite. */
static int open_window(struct pawlink_pair_policy *p, uint64_t now)
{
	if (!p->claimed)
		return pawlink_policy_press_button(p, now);
	return pawlink_policy_invite(p, now, INVITE_CODE, "");
}

/* One attempt from @host that fails (wrong code) at @now. */
static enum pawlink_policy_verdict fail_once(struct pawlink_pair_policy *p,
					     uint64_t now,
					     const uint8_t *host)
{
	enum pawlink_policy_verdict v;
	uint32_t gen = 0;

	v = pawlink_policy_begin(p, now, src0, host, &gen);
	if (v == PAWLINK_POLICY_ALLOW)
		pawlink_policy_fail(p, now, gen);
	return v;
}

static void test_window_only_by_button_and_lasts_ten_minutes(void **state)
{
	struct pawlink_pair_policy p;
	uint32_t gen;

	(void)state;
	pawlink_policy_init(&p);
	assert_false(pawlink_policy_window_is_open(&p, T0));
	assert_int_equal(pawlink_policy_begin(&p, T0, src0, host_a, &gen),
			 PAWLINK_POLICY_CLOSED);
	assert_int_equal(p.lifetime_failures, 0);

	assert_int_equal(pawlink_policy_press_button(&p, T0), 0);
	assert_true(pawlink_policy_window_is_open(&p, T0));
	assert_true(pawlink_policy_window_is_open(&p,
						  T0 + PAWLINK_POLICY_WINDOW_MS - 1));
	assert_false(pawlink_policy_window_is_open(&p,
						   T0 + PAWLINK_POLICY_WINDOW_MS));
	assert_int_equal(pawlink_policy_begin(&p, T0 + PAWLINK_POLICY_WINDOW_MS, src0,
					      host_a, &gen),
			 PAWLINK_POLICY_CLOSED);
	assert_int_equal(p.lifetime_failures, 0);
}

static void test_attempt_started_in_window_may_finish(void **state)
{
	const uint64_t late = T0 + PAWLINK_POLICY_WINDOW_MS - 10;
	struct pawlink_pair_policy p;
	uint32_t gen;

	(void)state;
	pawlink_policy_init(&p);
	pawlink_policy_press_button(&p, T0);
	assert_int_equal(pawlink_policy_begin(&p, late, src0, host_a, &gen),
			 PAWLINK_POLICY_ALLOW);
	assert_int_equal(pawlink_policy_succeed(&p, late + 100, gen, key1), 0);
	assert_non_null(pawlink_policy_find_host(&p, host_a));
}

static void test_charge_and_refund(void **state)
{
	struct pawlink_pair_policy p;
	uint32_t gen;

	(void)state;
	pawlink_policy_init(&p);
	pawlink_policy_press_button(&p, T0);
	assert_int_equal(pawlink_policy_begin(&p, T0, src0, host_a, &gen),
			 PAWLINK_POLICY_ALLOW);
	/* Charged before anything is known about the code. */
	assert_int_equal(p.lifetime_failures, 1);
	assert_int_equal(p.window_failures, 1);
	assert_int_equal(pawlink_policy_succeed(&p, T0 + 5, gen, key1), 0);
	assert_int_equal(p.lifetime_failures, 0);
	/* One pairing per press. */
	assert_false(pawlink_policy_window_is_open(&p, T0 + 6));
	assert_memory_equal(pawlink_policy_find_host(&p, host_a)->static_key,
			    key1, sizeof(key1));
}

static void test_walking_away_counts_as_failure(void **state)
{
	const uint64_t stale = T0 + PAWLINK_POLICY_ATTEMPT_TIMEOUT_MS;
	struct pawlink_pair_policy p;
	uint32_t gen, gen2;

	(void)state;
	pawlink_policy_init(&p);
	pawlink_policy_press_button(&p, T0);
	assert_int_equal(pawlink_policy_begin(&p, T0, src0, host_a, &gen),
			 PAWLINK_POLICY_ALLOW);
	assert_true(pawlink_policy_attempt_is_current(&p, stale - 1, gen));
	/* No fail() call ever comes: the peer just went quiet. */
	assert_false(pawlink_policy_attempt_is_current(&p, stale, gen));
	assert_int_equal(pawlink_policy_succeed(&p, stale, gen, key1), -ESTALE);
	assert_int_equal(p.lifetime_failures, 1);
	assert_int_equal(pawlink_policy_begin(&p, stale, src0, host_b, &gen2),
			 PAWLINK_POLICY_ALLOW);
	assert_int_equal(p.lifetime_failures, 2);
	assert_null(pawlink_policy_find_host(&p, host_a));
}

static void test_twenty_failures_close_the_window(void **state)
{
	struct pawlink_pair_policy p;
	uint32_t gen;
	unsigned int i;

	(void)state;
	pawlink_policy_init(&p);
	pawlink_policy_press_button(&p, T0);
	for (i = 0; i < PAWLINK_POLICY_WINDOW_FAILURES; i++)
		assert_int_equal(fail_once(&p, T0 + i, host_a),
				 PAWLINK_POLICY_ALLOW);
	assert_false(pawlink_policy_window_is_open(&p, T0 + 100));
	assert_int_equal(pawlink_policy_begin(&p, T0 + 100, src0, host_a, &gen),
			 PAWLINK_POLICY_CLOSED);
	assert_int_equal(p.lifetime_failures, PAWLINK_POLICY_WINDOW_FAILURES);
	/* A new press opens a fresh window with a fresh count. */
	assert_int_equal(pawlink_policy_press_button(&p, T0 + 200), 0);
	assert_int_equal(fail_once(&p, T0 + 201, host_a), PAWLINK_POLICY_ALLOW);
}

static void test_nineteen_failures_then_success(void **state)
{
	struct pawlink_pair_policy p;
	uint32_t gen;
	unsigned int i;

	(void)state;
	pawlink_policy_init(&p);
	pawlink_policy_press_button(&p, T0);
	for (i = 0; i < PAWLINK_POLICY_WINDOW_FAILURES - 1; i++)
		fail_once(&p, T0 + i, host_a);
	/* The 20th attempt is still allowed, and succeeds. */
	assert_int_equal(pawlink_policy_begin(&p, T0 + 50, src0, host_a, &gen),
			 PAWLINK_POLICY_ALLOW);
	assert_int_equal(pawlink_policy_succeed(&p, T0 + 51, gen, key1), 0);
	assert_int_equal(p.lifetime_failures,
			 PAWLINK_POLICY_WINDOW_FAILURES - 1);
}

static void test_lifetime_lockout_until_factory_reset(void **state)
{
	uint8_t saved[PAWLINK_POLICY_STATE_LEN];
	struct pawlink_pair_policy p, q;
	uint64_t now = T0;
	uint32_t gen;
	unsigned int i;

	(void)state;
	pawlink_policy_init(&p);
	for (i = 0; i < PAWLINK_POLICY_LIFETIME_FAILURES; i++) {
		if (i % PAWLINK_POLICY_WINDOW_FAILURES == 0)
			assert_int_equal(pawlink_policy_press_button(&p, now),
					 0);
		assert_int_equal(fail_once(&p, now++, host_a),
				 PAWLINK_POLICY_ALLOW);
	}
	assert_true(pawlink_policy_is_locked(&p));
	assert_int_equal(pawlink_policy_press_button(&p, now), -EPERM);
	assert_int_equal(pawlink_policy_begin(&p, now, src0, host_a, &gen),
			 PAWLINK_POLICY_LOCKED);

	/* The lock survives a reboot (save, load). */
	pawlink_policy_save(&p, saved);
	assert_int_equal(pawlink_policy_load(&q, saved, sizeof(saved)), 0);
	assert_true(pawlink_policy_is_locked(&q));
	assert_int_equal(pawlink_policy_press_button(&q, now), -EPERM);

	pawlink_policy_factory_reset(&q);
	assert_false(pawlink_policy_is_locked(&q));
	assert_int_equal(pawlink_policy_press_button(&q, now), 0);
	assert_int_equal(pawlink_policy_begin(&q, now, src0, host_a, &gen),
			 PAWLINK_POLICY_ALLOW);
}

static void test_busy_and_same_host_restart(void **state)
{
	struct pawlink_pair_policy p;
	uint32_t gen_a, gen_a2, gen_b;

	(void)state;
	pawlink_policy_init(&p);
	pawlink_policy_press_button(&p, T0);
	assert_int_equal(pawlink_policy_begin(&p, T0, src0, host_a, &gen_a),
			 PAWLINK_POLICY_ALLOW);
	assert_int_equal(pawlink_policy_begin(&p, T0 + 1, src0, host_b, &gen_b),
			 PAWLINK_POLICY_BUSY);
	/* BUSY costs nobody an attempt. */
	assert_int_equal(p.lifetime_failures, 1);
	/* Host A's id from another radio (it is public) is only BUSY. */
	assert_int_equal(pawlink_policy_begin(&p, T0 + 1, src1, host_a, &gen_b),
			 PAWLINK_POLICY_BUSY);
	assert_true(pawlink_policy_attempt_is_current(&p, T0 + 1, gen_a));
	assert_int_equal(p.lifetime_failures, 1);
	/* Host A starts over (its RESPONSE was lost): old attempt failed. */
	assert_int_equal(pawlink_policy_begin(&p, T0 + 2, src0, host_a, &gen_a2),
			 PAWLINK_POLICY_ALLOW);
	assert_int_not_equal(gen_a, gen_a2);
	assert_false(pawlink_policy_attempt_is_current(&p, T0 + 2, gen_a));
	assert_int_equal(p.lifetime_failures, 2);
	assert_int_equal(pawlink_policy_succeed(&p, T0 + 3, gen_a, key1),
			 -ESTALE);
	assert_int_equal(pawlink_policy_succeed(&p, T0 + 3, gen_a2, key1), 0);
	assert_int_equal(p.lifetime_failures, 1);
}

static void test_stale_attempt_frees_the_slot(void **state)
{
	struct pawlink_pair_policy p;
	uint32_t gen_a, gen_b;

	(void)state;
	pawlink_policy_init(&p);
	pawlink_policy_press_button(&p, T0);
	pawlink_policy_begin(&p, T0, src0, host_a, &gen_a);
	assert_int_equal(pawlink_policy_begin(&p,
					      T0 + PAWLINK_POLICY_ATTEMPT_TIMEOUT_MS - 1, src0,
					      host_b, &gen_b),
			 PAWLINK_POLICY_BUSY);
	assert_int_equal(pawlink_policy_begin(&p,
					      T0 + PAWLINK_POLICY_ATTEMPT_TIMEOUT_MS, src0,
					      host_b, &gen_b),
			 PAWLINK_POLICY_ALLOW);
	/* The stale attempt's fail() arriving late changes nothing. */
	pawlink_policy_fail(&p, T0 + PAWLINK_POLICY_ATTEMPT_TIMEOUT_MS, gen_a);
	assert_true(pawlink_policy_attempt_is_current(
		&p, T0 + PAWLINK_POLICY_ATTEMPT_TIMEOUT_MS, gen_b));
}

static void test_host_table_limit_replace_and_unpair(void **state)
{
	struct pawlink_pair_policy p;
	uint8_t id[PAWLINK_ID_LEN] = { 0 };
	uint64_t now = T0;
	uint32_t gen;
	unsigned int i;

	(void)state;
	pawlink_policy_init(&p);
	for (i = 0; i < PAWLINK_POLICY_MAX_HOSTS; i++) {
		id[0] = (uint8_t)(i + 1);
		assert_int_equal(open_window(&p, now), 0);
		assert_int_equal(pawlink_policy_begin(&p, now, src0, id, &gen),
				 PAWLINK_POLICY_ALLOW);
		assert_int_equal(pawlink_policy_succeed(&p, now, gen, key1), 0);
		now += 10;
	}
	assert_int_equal(p.n_hosts, PAWLINK_POLICY_MAX_HOSTS);
	assert_int_equal(open_window(&p, now), -ENOSPC);

	/* Unpair one, and the slot is free again. */
	id[0] = 3;
	assert_int_equal(pawlink_policy_unpair(&p, id), 0);
	assert_null(pawlink_policy_find_host(&p, id));
	assert_int_equal(pawlink_policy_unpair(&p, id), -ENOENT);
	assert_int_equal(p.n_hosts, PAWLINK_POLICY_MAX_HOSTS - 1);
	for (i = 1; i <= PAWLINK_POLICY_MAX_HOSTS; i++) {
		id[0] = (uint8_t)i;
		if (i != 3)
			assert_non_null(pawlink_policy_find_host(&p, id));
	}
	assert_int_equal(open_window(&p, now), 0);

	/* Re-pairing a known host never replaces its pin: refused, free. */
	id[0] = 5;
	assert_int_equal(pawlink_policy_begin(&p, now, src0, id, &gen),
			 PAWLINK_POLICY_KNOWN);
	assert_int_equal(p.window_failures, 0);
	assert_int_equal(p.n_hosts, PAWLINK_POLICY_MAX_HOSTS - 1);
	assert_memory_equal(pawlink_policy_find_host(&p, id)->static_key, key1,
			    sizeof(key1));

	/* Filling the last slot; then a new host is FULL even if open. */
	id[0] = 9;
	pawlink_policy_begin(&p, now, src0, id, &gen);
	assert_int_equal(pawlink_policy_succeed(&p, now, gen, key1), 0);
	p.window_open = true;	/* as if the press came before the last pin */
	p.window_opened_ms = now;
	id[0] = 10;
	assert_int_equal(pawlink_policy_begin(&p, now, src0, id, &gen),
			 PAWLINK_POLICY_FULL);
}

static void test_zero_host_id_is_reserved(void **state)
{
	static const uint8_t zero[PAWLINK_ID_LEN];
	struct pawlink_pair_policy p;
	uint32_t gen;

	(void)state;
	pawlink_policy_init(&p);
	pawlink_policy_press_button(&p, T0);
	assert_int_equal(pawlink_policy_begin(&p, T0, src0, zero, &gen),
			 PAWLINK_POLICY_INVALID);
	assert_int_equal(p.lifetime_failures, 0);
}

static void test_clock_going_backwards_closes(void **state)
{
	struct pawlink_pair_policy p;

	(void)state;
	pawlink_policy_init(&p);
	pawlink_policy_press_button(&p, T0);
	assert_false(pawlink_policy_window_is_open(&p, T0 - 1));
}

static void test_save_load_round_trip(void **state)
{
	uint8_t a[PAWLINK_POLICY_STATE_LEN], b[PAWLINK_POLICY_STATE_LEN];
	struct pawlink_pair_policy p, q;
	uint32_t gen;

	(void)state;
	pawlink_policy_init(&p);
	pawlink_policy_press_button(&p, T0);
	fail_once(&p, T0, host_b);
	fail_once(&p, T0, host_b);
	pawlink_policy_begin(&p, T0, src0, host_a, &gen);
	pawlink_policy_succeed(&p, T0, gen, key1);
	open_window(&p, T0);
	pawlink_policy_begin(&p, T0, src0, host_b, &gen);
	pawlink_policy_save(&p, a);

	assert_memory_equal(a, "PWPL", 4);
	assert_int_equal(a[4], 2);
	assert_int_equal(a[5], 1);
	assert_int_equal(a[6], PAWLINK_POLICY_FLAG_CLAIMED);
	/* Two printed-code failures; the invite's attempt is not counted. */
	assert_int_equal(pawlink_load_le32(a + 8), 2);
	assert_memory_equal(a + 16, host_a, PAWLINK_ID_LEN);
	assert_memory_equal(a + 16 + PAWLINK_ID_LEN, key1, sizeof(key1));

	assert_int_equal(pawlink_policy_load(&q, a, sizeof(a)), 0);
	/* A reboot closes the window and drops the attempt. */
	assert_false(pawlink_policy_window_is_open(&q, T0));
	assert_false(q.attempt_active);
	assert_int_equal(q.lifetime_failures, 2);
	assert_true(q.claimed);
	assert_non_null(pawlink_policy_find_host(&q, host_a));
	pawlink_policy_save(&q, b);
	assert_memory_equal(a, b, sizeof(a));
}

static void test_load_is_strict(void **state)
{
	uint8_t good[PAWLINK_POLICY_STATE_LEN], bad[PAWLINK_POLICY_STATE_LEN + 1];
	struct pawlink_pair_policy p, q, before;
	uint32_t gen;

	(void)state;
	pawlink_policy_init(&p);
	pawlink_policy_press_button(&p, T0);
	pawlink_policy_begin(&p, T0, src0, host_a, &gen);
	pawlink_policy_succeed(&p, T0, gen, key1);
	open_window(&p, T0);
	pawlink_policy_begin(&p, T0, src0, host_b, &gen);
	pawlink_policy_succeed(&p, T0, gen, key2);
	pawlink_policy_save(&p, good);

	pawlink_policy_init(&q);
	q.lifetime_failures = 7;
	before = q;
#define EXPECT_BAD(len) do {						\
		assert_int_equal(pawlink_policy_load(&q, bad, (len)), -EINVAL); \
		assert_memory_equal(&q, &before, sizeof(q));		\
	} while (0)

	memcpy(bad, good, sizeof(good));
	EXPECT_BAD(sizeof(good) - 1);
	bad[sizeof(good)] = 0;
	EXPECT_BAD(sizeof(good) + 1);
	memcpy(bad, good, sizeof(good));
	bad[0] = 'X';
	EXPECT_BAD(sizeof(good));
	memcpy(bad, good, sizeof(good));
	bad[4] = 3;	/* unknown format version */
	EXPECT_BAD(sizeof(good));
	memcpy(bad, good, sizeof(good));
	bad[5] = PAWLINK_POLICY_MAX_HOSTS + 1;
	EXPECT_BAD(sizeof(good));
	memcpy(bad, good, sizeof(good));
	bad[5] = 3;	/* counts a record of zeros: host id 0 is reserved */
	EXPECT_BAD(sizeof(good));
	memcpy(bad, good, sizeof(good));
	bad[5] = 1;	/* the second record is then "unused" but not zero */
	EXPECT_BAD(sizeof(good));
	memcpy(bad, good, sizeof(good));
	bad[6] = 2;	/* an unknown flag */
	EXPECT_BAD(sizeof(good));
	memcpy(bad, good, sizeof(good));
	bad[6] = 0;	/* hosts, but unclaimed: only a reset unclaims */
	EXPECT_BAD(sizeof(good));
	memcpy(bad, good, sizeof(good));
	bad[16 + PAWLINK_ID_LEN + PAWLINK_PAIR_STATIC_LEN + 4] = 1;	/* reserved */
	EXPECT_BAD(sizeof(good));
	memcpy(bad, good, sizeof(good));
	bad[16 + PAWLINK_POLICY_HOST_RECORD_LEN - PAWLINK_POLICY_NAME_LEN] = 7;
	EXPECT_BAD(sizeof(good));	/* a name that is not printable */
	memcpy(bad, good, sizeof(good));
	bad[16 + PAWLINK_POLICY_HOST_RECORD_LEN - 1] = 'x';	/* after a NUL */
	EXPECT_BAD(sizeof(good));
	memcpy(bad, good, sizeof(good));
	bad[13] = 1;
	EXPECT_BAD(sizeof(good));
	memcpy(bad, good, sizeof(good));
	pawlink_store_le32(bad + 8, PAWLINK_POLICY_LIFETIME_FAILURES + 1);
	EXPECT_BAD(sizeof(good));
	memcpy(bad, good, sizeof(good));
	/* Duplicate host id. */
	memcpy(bad + 16 + PAWLINK_POLICY_HOST_RECORD_LEN, bad + 16,
	       PAWLINK_ID_LEN);
	EXPECT_BAD(sizeof(good));
#undef EXPECT_BAD
}

/* After the first pairing the printed code is dead; an invite pairs one. */
static void test_claimed_button_dead_invite_pairs_once(void **state)
{
	struct pawlink_pair_policy p;
	uint32_t gen;

	(void)state;
	pawlink_policy_init(&p);
	assert_null(pawlink_policy_window_code(&p));
	assert_int_equal(pawlink_policy_press_button(&p, T0), 0);
	assert_null(pawlink_policy_window_code(&p));
	assert_int_equal(pawlink_policy_begin(&p, T0, src0, host_a, &gen),
			 PAWLINK_POLICY_ALLOW);
	assert_int_equal(pawlink_policy_succeed(&p, T0, gen, key1), 0);
	assert_true(p.claimed);

	/* The button opens nothing now, however often it is pressed. */
	assert_int_equal(pawlink_policy_press_button(&p, T0 + 1), -EACCES);
	assert_false(pawlink_policy_window_is_open(&p, T0 + 1));
	assert_int_equal(pawlink_policy_begin(&p, T0 + 1, src1, host_b, &gen),
			 PAWLINK_POLICY_CLOSED);

	/* An invite opens the window with its own code and names the host. */
	assert_int_equal(pawlink_policy_invite(&p, T0 + 2, "1234", ""), -EINVAL);
	assert_int_equal(pawlink_policy_invite(&p, T0 + 2, INVITE_CODE,
					       "bad\x01name"), -EINVAL);
	assert_int_equal(pawlink_policy_invite(&p, T0 + 2, INVITE_CODE,
					       "grandma"), 0);
	assert_string_equal(pawlink_policy_window_code(&p), INVITE_CODE);
	assert_int_equal(pawlink_policy_begin(&p, T0 + 3, src1, host_b, &gen),
			 PAWLINK_POLICY_ALLOW);
	assert_int_equal(pawlink_policy_succeed(&p, T0 + 4, gen, key2), 0);
	assert_string_equal(pawlink_policy_find_host(&p, host_b)->name,
			    "grandma");
	assert_int_equal(pawlink_policy_find_host(&p, host_b)->paired_ms, T0 + 4);
	/* One use: the window and its code are gone. */
	assert_null(pawlink_policy_window_code(&p));
	assert_false(pawlink_policy_window_is_open(&p, T0 + 5));
	assert_int_equal(p.lifetime_failures, 0);

	/* An invite lasts ten minutes. */
	assert_int_equal(pawlink_policy_invite(&p, T0 + 10, INVITE_CODE, ""), 0);
	assert_int_equal(pawlink_policy_begin(&p, T0 + 10 +
					      PAWLINK_POLICY_WINDOW_MS, src1,
					      src1, &gen),
			 PAWLINK_POLICY_CLOSED);
	assert_null(pawlink_policy_window_code(&p));

	/* A factory reset brings the printed code back. */
	pawlink_policy_factory_reset(&p);
	assert_false(p.claimed);
	assert_int_equal(pawlink_policy_press_button(&p, T0 + 20), 0);
}

/*
 * Strangers cannot lock pairing for good: once claimed the printed code
 * is never tried again, and an invite's failures close only its window.
 */
static void test_strangers_cannot_lock(void **state)
{
	uint8_t stranger[PAWLINK_ID_LEN] = { 's' };
	struct pawlink_pair_policy p;
	uint64_t now = T0;
	uint32_t gen;
	unsigned int i;

	(void)state;
	pawlink_policy_init(&p);
	pawlink_policy_press_button(&p, now);
	pawlink_policy_begin(&p, now, src0, host_a, &gen);
	pawlink_policy_succeed(&p, now, gen, key1);
	for (i = 0; i < 10 * PAWLINK_POLICY_LIFETIME_FAILURES; i++) {
		/* The owner's presses, and invites, all along. */
		if (i % PAWLINK_POLICY_WINDOW_FAILURES == 0) {
			assert_int_equal(pawlink_policy_press_button(&p, now),
					 -EACCES);
			assert_int_equal(pawlink_policy_invite(&p, now,
							       INVITE_CODE, ""),
					 0);
		}
		stranger[1] = (uint8_t)i;
		stranger[2] = (uint8_t)(i >> 8);
		assert_int_equal(fail_once(&p, now++, stranger),
				 PAWLINK_POLICY_ALLOW);
	}
	assert_false(pawlink_policy_is_locked(&p));
	assert_int_equal(p.lifetime_failures, 0);
	/* 20 failures burnt the last invite; a new one still pairs. */
	assert_false(pawlink_policy_window_is_open(&p, now));
	assert_int_equal(pawlink_policy_invite(&p, now, INVITE_CODE, ""), 0);
	assert_int_equal(pawlink_policy_begin(&p, now, src0, host_b, &gen),
			 PAWLINK_POLICY_ALLOW);
	assert_int_equal(pawlink_policy_succeed(&p, now, gen, key2), 0);
}

/* A paired host's id (public) in a HELLO changes nothing at all. */
static void test_known_host_id_disturbs_nothing(void **state)
{
	struct pawlink_pair_policy p, before;
	uint32_t gen, gen_b;

	(void)state;
	pawlink_policy_init(&p);
	pawlink_policy_press_button(&p, T0);
	pawlink_policy_begin(&p, T0, src0, host_a, &gen);
	pawlink_policy_succeed(&p, T0, gen, key1);
	pawlink_policy_invite(&p, T0, INVITE_CODE, "");
	assert_int_equal(pawlink_policy_begin(&p, T0, src0, host_b, &gen_b),
			 PAWLINK_POLICY_ALLOW);
	before = p;
	/* From any radio, at any time in the attempt. */
	assert_int_equal(pawlink_policy_begin(&p, T0 + 1, src1, host_a, &gen),
			 PAWLINK_POLICY_KNOWN);
	assert_int_equal(pawlink_policy_begin(&p, T0 + 1, src0, host_a, &gen),
			 PAWLINK_POLICY_KNOWN);
	assert_memory_equal(&p, &before, sizeof(p));
	assert_true(pawlink_policy_attempt_from(&p, src0));
	assert_false(pawlink_policy_attempt_from(&p, src1));
	assert_int_equal(pawlink_policy_succeed(&p, T0 + 2, gen_b, key2), 0);
	assert_memory_equal(pawlink_policy_find_host(&p, host_a)->static_key,
			    key1, sizeof(key1));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_window_only_by_button_and_lasts_ten_minutes),
		cmocka_unit_test(test_attempt_started_in_window_may_finish),
		cmocka_unit_test(test_charge_and_refund),
		cmocka_unit_test(test_walking_away_counts_as_failure),
		cmocka_unit_test(test_twenty_failures_close_the_window),
		cmocka_unit_test(test_nineteen_failures_then_success),
		cmocka_unit_test(test_lifetime_lockout_until_factory_reset),
		cmocka_unit_test(test_busy_and_same_host_restart),
		cmocka_unit_test(test_stale_attempt_frees_the_slot),
		cmocka_unit_test(test_host_table_limit_replace_and_unpair),
		cmocka_unit_test(test_zero_host_id_is_reserved),
		cmocka_unit_test(test_clock_going_backwards_closes),
		cmocka_unit_test(test_save_load_round_trip),
		cmocka_unit_test(test_load_is_strict),
		cmocka_unit_test(test_claimed_button_dead_invite_pairs_once),
		cmocka_unit_test(test_strangers_cannot_lock),
		cmocka_unit_test(test_known_host_id_disturbs_nothing),
	};

	if (sodium_init() < 0)
		return 1;
	return cmocka_run_group_tests(tests, NULL, NULL);
}

// SPDX-License-Identifier: GPL-2.0
/*
 * The pairing protocol end to end in one process: the host and toy state
 * machines exchange messages through this file, which plays the air and,
 * where a test says so, the attacker on it.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>
#include <sodium.h>

#include "pairing.h"
#include "bytes.h"
#include "byteorder.h"

#define T0	5000000u

struct rig {
	struct pawlink_pair_policy policy;
	struct pawlink_pair_toy toy;
	struct pawlink_pair_host host;
	struct pawlink_pair_host_params hp;
	struct pawlink_pair_toy_params tp;
	uint64_t now;
	int persist_calls;
	int persist_fail_on;	/* fail the n-th call (1-based); 0: never */
	uint8_t saved[PAWLINK_POLICY_STATE_LEN];
	/* The last message each side produced. */
	uint8_t msg[PAWLINK_PAIR_MSG_MAX];
	size_t msg_len;
};

static int persist_cb(const struct pawlink_pair_policy *policy, void *ctx)
{
	struct rig *r = ctx;

	r->persist_calls++;
	if (r->persist_fail_on && r->persist_calls == r->persist_fail_on)
		return -EIO;
	pawlink_policy_save(policy, r->saved);
	return 0;
}

static void new_static_key(uint8_t pk[32])
{
	uint8_t sk[32];

	crypto_box_keypair(pk, sk);
	sodium_memzero(sk, sizeof(sk));
}

/* A toy with code "40187263", its window open, and a host that knows it. */
static void rig_init(struct rig *r)
{
	memset(r, 0, sizeof(*r));
	r->now = T0;
	pawlink_policy_init(&r->policy);
	randombytes_buf(r->tp.toy_id, PAWLINK_ID_LEN);
	new_static_key(r->tp.toy_static);
	memcpy(r->tp.code.digits, "40187263", PAWLINK_SETUP_CODE_SIZE);
	r->tp.policy = &r->policy;
	r->tp.persist = persist_cb;
	r->tp.persist_ctx = r;
	assert_int_equal(pawlink_pair_toy_init(&r->toy, &r->tp), 0);

	randombytes_buf(r->hp.host_id, PAWLINK_ID_LEN);
	r->hp.host_id[0] |= 1;	/* never the reserved id 0 */
	new_static_key(r->hp.host_static);
	memcpy(r->hp.toy_id, r->tp.toy_id, PAWLINK_ID_LEN);
	memcpy(r->hp.code.digits, "40187263", PAWLINK_SETUP_CODE_SIZE);
	assert_int_equal(pawlink_policy_press_button(&r->policy, r->now), 0);
}

static enum pawlink_pair_result host_start(struct rig *r)
{
	return pawlink_pair_host_start(&r->host, &r->hp, r->msg, &r->msg_len);
}

/* Delivers @msg to the toy; its reply lands in r->msg. */
static enum pawlink_pair_result to_toy(struct rig *r, const uint8_t *msg,
				       size_t len,
				       struct pawlink_pair_peer *host)
{
	uint8_t in[PAWLINK_PAIR_MSG_MAX + 8];

	assert_true(len <= sizeof(in));
	memcpy(in, msg, len);
	return pawlink_pair_toy_receive(&r->toy, r->now, in, len, r->msg,
					&r->msg_len, host);
}

static enum pawlink_pair_result to_host(struct rig *r, const uint8_t *msg,
					size_t len)
{
	uint8_t in[PAWLINK_PAIR_MSG_MAX + 8];

	assert_true(len <= sizeof(in));
	memcpy(in, msg, len);
	return pawlink_pair_host_receive(&r->host, in, len, r->msg,
					 &r->msg_len);
}

/* The four messages of one honest run, kept for replays. */
struct run {
	uint8_t hello[PAWLINK_PAIR_HELLO_LEN];
	uint8_t response[PAWLINK_PAIR_RESPONSE_LEN];
	uint8_t confirm[PAWLINK_PAIR_CONFIRM_LEN];
	uint8_t done[PAWLINK_PAIR_DONE_LEN];
	struct pawlink_pair_peer toy_saw, host_saw;
};

static void keep(uint8_t *dst, size_t want, const struct rig *r)
{
	assert_int_equal(r->msg_len, want);
	memcpy(dst, r->msg, want);
}

static void honest_run(struct rig *r, struct run *run)
{
	assert_int_equal(host_start(r), PAWLINK_PAIR_SEND);
	keep(run->hello, sizeof(run->hello), r);
	assert_int_equal(to_toy(r, run->hello, sizeof(run->hello), NULL),
			 PAWLINK_PAIR_SEND);
	keep(run->response, sizeof(run->response), r);
	assert_int_equal(to_host(r, run->response, sizeof(run->response)),
			 PAWLINK_PAIR_SEND);
	keep(run->confirm, sizeof(run->confirm), r);
	assert_int_equal(to_toy(r, run->confirm, sizeof(run->confirm),
				&run->toy_saw), PAWLINK_PAIR_COMPLETE);
	keep(run->done, sizeof(run->done), r);
	assert_int_equal(to_host(r, run->done, sizeof(run->done)),
			 PAWLINK_PAIR_COMPLETE);
	assert_int_equal(r->msg_len, 0);
	assert_int_equal(pawlink_pair_host_peer(&r->host, &run->host_saw), 0);
}

static const uint8_t fail_msg[4] = { PAWLINK_PAIR_MSG_FAIL, 1, 0, 0 };
static const uint8_t busy_msg[4] = { PAWLINK_PAIR_MSG_BUSY, 1, 0, 0 };

static void assert_msg_is(const struct rig *r, const uint8_t want[4])
{
	assert_int_equal(r->msg_len, 4);
	assert_memory_equal(r->msg, want, 4);
}

/* ---- the good path ---- */

static void test_full_pairing(void **state)
{
	uint8_t saved[PAWLINK_POLICY_STATE_LEN];
	const struct pawlink_paired_host *pinned;
	struct pawlink_pair_policy reloaded;
	struct run run;
	struct rig r;

	(void)state;
	rig_init(&r);
	honest_run(&r, &run);

	/* Each side pins the other's id and static key. */
	assert_memory_equal(run.host_saw.id, r.tp.toy_id, PAWLINK_ID_LEN);
	assert_memory_equal(run.host_saw.static_key, r.tp.toy_static, 32);
	assert_memory_equal(run.toy_saw.id, r.hp.host_id, PAWLINK_ID_LEN);
	assert_memory_equal(run.toy_saw.static_key, r.hp.host_static, 32);
	pinned = pawlink_policy_find_host(&r.policy, r.hp.host_id);
	assert_non_null(pinned);
	assert_memory_equal(pinned->static_key, r.hp.host_static, 32);

	/* The charge was refunded; the window closed; state persisted. */
	assert_int_equal(r.policy.lifetime_failures, 0);
	assert_false(pawlink_policy_window_is_open(&r.policy, r.now));
	assert_int_equal(r.persist_calls, 2);
	pawlink_policy_save(&r.policy, saved);
	assert_memory_equal(saved, r.saved, sizeof(saved));
	assert_int_equal(pawlink_policy_load(&reloaded, r.saved,
					     sizeof(r.saved)), 0);
	assert_non_null(pawlink_policy_find_host(&reloaded, r.hp.host_id));

	/* Two round trips: four messages of the documented sizes. */
	assert_int_equal(run.hello[0], PAWLINK_PAIR_MSG_HELLO);
	assert_int_equal(run.response[0], PAWLINK_PAIR_MSG_RESPONSE);
	assert_int_equal(run.confirm[0], PAWLINK_PAIR_MSG_CONFIRM);
	assert_int_equal(run.done[0], PAWLINK_PAIR_MSG_DONE);
}

static void test_static_keys_never_in_clear(void **state)
{
	struct run run;
	struct rig r;
	size_t i;

	(void)state;
	rig_init(&r);
	honest_run(&r, &run);
	/* An eavesdropper never sees either static key on the air. */
	for (i = 0; i + 32 <= sizeof(run.response); i++)
		assert_memory_not_equal(run.response + i, r.tp.toy_static, 32);
	for (i = 0; i + 32 <= sizeof(run.confirm); i++)
		assert_memory_not_equal(run.confirm + i, r.hp.host_static, 32);
}

static void test_secrets_wiped_after_run(void **state)
{
	struct run run;
	struct rig r;

	(void)state;
	rig_init(&r);
	honest_run(&r, &run);
	assert_true(sodium_is_zero((const uint8_t *)&r.host.cpace,
				   sizeof(r.host.cpace)));
	assert_true(sodium_is_zero((const uint8_t *)&r.host.p.code,
				   sizeof(r.host.p.code)));
	assert_true(sodium_is_zero(r.host.k_done, sizeof(r.host.k_done)));
	assert_true(sodium_is_zero(r.toy.k_host_mac, sizeof(r.toy.k_host_mac)));
	assert_true(sodium_is_zero(r.toy.k_host_seal,
				   sizeof(r.toy.k_host_seal)));
	assert_true(sodium_is_zero(r.toy.k_done, sizeof(r.toy.k_done)));
	/* A finished host accepts nothing more. */
	assert_int_equal(to_host(&r, run.done, sizeof(run.done)),
			 PAWLINK_PAIR_ERROR);
}

static void test_repairing_never_replaces_the_pin(void **state)
{
	uint8_t first[PAWLINK_PAIR_STATIC_LEN];
	struct run run;
	struct rig r;

	(void)state;
	rig_init(&r);
	honest_run(&r, &run);
	memcpy(first, r.hp.host_static, sizeof(first));
	/* Even in an open window, with the right code, from its own radio. */
	new_static_key(r.hp.host_static);
	assert_int_equal(pawlink_policy_invite(&r.policy, r.now, "40187263", ""),
			 0);
	assert_int_equal(host_start(&r), PAWLINK_PAIR_SEND);
	assert_int_equal(to_toy(&r, r.msg, r.msg_len, NULL),
			 PAWLINK_PAIR_CLOSED);
	assert_msg_is(&r, fail_msg);
	assert_int_equal(r.policy.n_hosts, 1);
	assert_int_equal(r.policy.window_failures, 0);
	assert_memory_equal(pawlink_policy_find_host(&r.policy,
						     r.hp.host_id)->static_key,
			    first, sizeof(first));
	pawlink_pair_host_wipe(&r.host);
}

/* Delivers @msg to the toy as if from radio @src. */
static enum pawlink_pair_result to_toy_from(struct rig *r, uint8_t src,
					    const uint8_t *msg, size_t len,
					    struct pawlink_pair_peer *host)
{
	uint8_t in[PAWLINK_PAIR_MSG_MAX + 8], radio[PAWLINK_ID_LEN] = { 0 };

	radio[0] = src;
	assert_true(len <= sizeof(in));
	memcpy(in, msg, len);
	return pawlink_pair_toy_receive_from(&r->toy, r->now, radio, in, len,
					     r->msg, &r->msg_len, host);
}

/*
 * The honest host's id travels in clear: a stranger's radio sending a
 * HELLO with it, a FAIL, or a junk CONFIRM does not end its pairing.
 */
static void test_copied_host_id_does_not_kill_pairing(void **state)
{
	uint8_t resp[PAWLINK_PAIR_RESPONSE_LEN], junk[PAWLINK_PAIR_CONFIRM_LEN];
	struct pawlink_pair_host_params ep;
	struct pawlink_pair_host evil;
	uint8_t out[PAWLINK_PAIR_MSG_MAX];
	struct pawlink_pair_peer toy_saw;
	size_t out_len;
	struct rig r;

	(void)state;
	rig_init(&r);
	assert_int_equal(host_start(&r), PAWLINK_PAIR_SEND);
	assert_int_equal(to_toy_from(&r, 1, r.msg, r.msg_len, NULL),
			 PAWLINK_PAIR_SEND);
	keep(resp, sizeof(resp), &r);

	ep = r.hp;	/* the same host id, a guessed code */
	memcpy(ep.code.digits, "11112222", PAWLINK_SETUP_CODE_SIZE);
	assert_int_equal(pawlink_pair_host_start(&evil, &ep, out, &out_len),
			 PAWLINK_PAIR_SEND);
	assert_int_equal(to_toy_from(&r, 2, out, out_len, NULL),
			 PAWLINK_PAIR_BUSY);
	assert_int_equal(to_toy_from(&r, 2, fail_msg, sizeof(fail_msg), NULL),
			 PAWLINK_PAIR_PROTOCOL);
	assert_int_equal(r.msg_len, 0);
	memset(junk, 0, sizeof(junk));
	junk[0] = PAWLINK_PAIR_MSG_CONFIRM;
	junk[1] = PAWLINK_PAIR_VERSION;
	assert_int_equal(to_toy_from(&r, 2, junk, sizeof(junk), NULL),
			 PAWLINK_PAIR_PROTOCOL);
	assert_int_equal(r.msg_len, 0);
	/* Only the honest attempt was charged. */
	assert_int_equal(r.policy.lifetime_failures, 1);

	assert_int_equal(to_host(&r, resp, sizeof(resp)), PAWLINK_PAIR_SEND);
	assert_int_equal(to_toy_from(&r, 1, r.msg, r.msg_len, &toy_saw),
			 PAWLINK_PAIR_COMPLETE);
	assert_int_equal(to_host(&r, r.msg, r.msg_len), PAWLINK_PAIR_COMPLETE);
	assert_int_equal(r.policy.lifetime_failures, 0);
	pawlink_pair_host_wipe(&evil);
}

/* Once claimed only an invite's code pairs, once; the printed one never. */
static void test_invite_code_pairs_once(void **state)
{
	struct pawlink_pair_host_params first;
	struct run run;
	struct rig r;

	(void)state;
	rig_init(&r);
	honest_run(&r, &run);
	first = r.hp;
	assert_int_equal(pawlink_policy_press_button(&r.policy, r.now), -EACCES);
	assert_int_equal(pawlink_policy_invite(&r.policy, r.now, "13572468",
					       "tablet"), 0);
	/* A second host with the printed code (a stolen label): refused. */
	randombytes_buf(r.hp.host_id, PAWLINK_ID_LEN);
	r.hp.host_id[0] |= 1;
	new_static_key(r.hp.host_static);
	assert_int_equal(host_start(&r), PAWLINK_PAIR_SEND);
	assert_int_equal(to_toy(&r, r.msg, r.msg_len, NULL), PAWLINK_PAIR_SEND);
	assert_int_equal(to_host(&r, r.msg, r.msg_len), PAWLINK_PAIR_FAILED);
	assert_int_equal(to_toy(&r, r.msg, r.msg_len, NULL), PAWLINK_PAIR_FAILED);
	/* With the invite's code it pairs. */
	memcpy(r.hp.code.digits, "13572468", PAWLINK_SETUP_CODE_SIZE);
	honest_run(&r, &run);
	assert_int_equal(r.policy.n_hosts, 2);
	assert_string_equal(pawlink_policy_find_host(&r.policy,
						     r.hp.host_id)->name,
			    "tablet");
	/* One use: a third host with the same code finds the window shut. */
	randombytes_buf(r.hp.host_id, PAWLINK_ID_LEN);
	r.hp.host_id[0] |= 1;
	assert_int_equal(host_start(&r), PAWLINK_PAIR_SEND);
	assert_int_equal(to_toy(&r, r.msg, r.msg_len, NULL), PAWLINK_PAIR_CLOSED);
	assert_int_equal(r.policy.n_hosts, 2);
	/* Invite failures never touch the printed code's lifetime count. */
	assert_int_equal(r.policy.lifetime_failures, 0);
	pawlink_pair_host_wipe(&r.host);
	sodium_memzero(&first, sizeof(first));
}

/* ---- wrong code, window, limits ---- */

static void test_wrong_code(void **state)
{
	struct rig r;

	(void)state;
	rig_init(&r);
	memcpy(r.hp.code.digits, "40187264", PAWLINK_SETUP_CODE_SIZE);
	assert_int_equal(host_start(&r), PAWLINK_PAIR_SEND);
	assert_int_equal(to_toy(&r, r.msg, r.msg_len, NULL), PAWLINK_PAIR_SEND);
	/* The toy's confirmation does not verify; the host tells the toy. */
	assert_int_equal(to_host(&r, r.msg, r.msg_len), PAWLINK_PAIR_FAILED);
	assert_msg_is(&r, fail_msg);
	assert_int_equal(pawlink_pair_host_peer(&r.host,
						&(struct pawlink_pair_peer){ 0 }),
			 -EINVAL);
	assert_int_equal(to_toy(&r, r.msg, r.msg_len, NULL),
			 PAWLINK_PAIR_FAILED);
	assert_int_equal(r.msg_len, 0);	/* a FAIL is never answered */
	assert_int_equal(r.policy.n_hosts, 0);
	assert_int_equal(r.policy.lifetime_failures, 1);
	assert_int_equal(r.policy.window_failures, 1);
	/* The charge was persisted before the toy answered. */
	assert_int_equal(pawlink_load_le32(r.saved + 8), 1);
}

/*
 * A host that does not know the code cannot produce a CONFIRM the toy
 * accepts, even if it skips its own check and carries on.
 */
static void test_wrong_code_host_forges_confirm(void **state)
{
	uint8_t confirm[PAWLINK_PAIR_CONFIRM_LEN];
	struct rig r;

	(void)state;
	rig_init(&r);
	assert_int_equal(host_start(&r), PAWLINK_PAIR_SEND);
	assert_int_equal(to_toy(&r, r.msg, r.msg_len, NULL), PAWLINK_PAIR_SEND);
	memset(confirm, 0x5a, sizeof(confirm));
	memcpy(confirm, (uint8_t[]){ PAWLINK_PAIR_MSG_CONFIRM, 1, 0, 0 }, 4);
	assert_int_equal(to_toy(&r, confirm, sizeof(confirm), NULL),
			 PAWLINK_PAIR_FAILED);
	assert_msg_is(&r, fail_msg);
	assert_int_equal(r.policy.n_hosts, 0);
	assert_int_equal(r.policy.lifetime_failures, 1);
}

static void test_walk_away_after_response_is_charged(void **state)
{
	struct rig r;

	(void)state;
	rig_init(&r);
	assert_int_equal(host_start(&r), PAWLINK_PAIR_SEND);
	assert_int_equal(to_toy(&r, r.msg, r.msg_len, NULL), PAWLINK_PAIR_SEND);
	/* The attacker checks its guess offline against RESPONSE and leaves. */
	r.now += PAWLINK_POLICY_ATTEMPT_TIMEOUT_MS;
	pawlink_pair_toy_tick(&r.toy, r.now);
	assert_true(sodium_is_zero(r.toy.k_host_mac, sizeof(r.toy.k_host_mac)));
	assert_int_equal(r.policy.lifetime_failures, 1);
	assert_int_equal(r.policy.window_failures, 1);
}

static void test_window_closed_gives_plain_fail(void **state)
{
	struct rig r;

	(void)state;
	rig_init(&r);
	r.now += PAWLINK_POLICY_WINDOW_MS;
	assert_int_equal(host_start(&r), PAWLINK_PAIR_SEND);
	assert_int_equal(to_toy(&r, r.msg, r.msg_len, NULL),
			 PAWLINK_PAIR_CLOSED);
	/* Byte for byte the same FAIL as a wrong code: no oracle. */
	assert_msg_is(&r, fail_msg);
	assert_int_equal(to_host(&r, r.msg, r.msg_len), PAWLINK_PAIR_FAILED);
	assert_int_equal(r.policy.lifetime_failures, 0);
	assert_int_equal(r.persist_calls, 0);
}

static void test_never_opened_window(void **state)
{
	struct rig r;

	(void)state;
	rig_init(&r);
	pawlink_policy_init(&r.policy);	/* nobody pressed the button */
	assert_int_equal(host_start(&r), PAWLINK_PAIR_SEND);
	assert_int_equal(to_toy(&r, r.msg, r.msg_len, NULL),
			 PAWLINK_PAIR_CLOSED);
	assert_msg_is(&r, fail_msg);
}

/* One full attempt with the wrong code; returns the toy's verdict. */
static enum pawlink_pair_result wrong_code_attempt(struct rig *r)
{
	enum pawlink_pair_result tr;

	memcpy(r->hp.code.digits, "11223344", PAWLINK_SETUP_CODE_SIZE);
	assert_int_equal(host_start(r), PAWLINK_PAIR_SEND);
	tr = to_toy(r, r->msg, r->msg_len, NULL);
	if (tr != PAWLINK_PAIR_SEND)
		return tr;
	assert_int_equal(to_host(r, r->msg, r->msg_len), PAWLINK_PAIR_FAILED);
	return to_toy(r, r->msg, r->msg_len, NULL);
}

static void test_twenty_failures_close_window(void **state)
{
	struct run run;
	struct rig r;
	unsigned int i;

	(void)state;
	rig_init(&r);
	for (i = 0; i < PAWLINK_POLICY_WINDOW_FAILURES; i++) {
		assert_int_equal(wrong_code_attempt(&r), PAWLINK_PAIR_FAILED);
		r.now += 1000;
	}
	/* Now even the right code gets the same plain FAIL. */
	memcpy(r.hp.code.digits, "40187263", PAWLINK_SETUP_CODE_SIZE);
	assert_int_equal(host_start(&r), PAWLINK_PAIR_SEND);
	assert_int_equal(to_toy(&r, r.msg, r.msg_len, NULL),
			 PAWLINK_PAIR_CLOSED);
	assert_msg_is(&r, fail_msg);
	assert_int_equal(r.policy.lifetime_failures, 20);
	/* The owner presses the button again and pairs. */
	assert_int_equal(pawlink_policy_press_button(&r.policy, r.now), 0);
	honest_run(&r, &run);
	assert_int_equal(r.policy.lifetime_failures, 20);
}

static void test_lifetime_lockout(void **state)
{
	struct run run;
	struct rig r;
	unsigned int i;

	(void)state;
	rig_init(&r);
	for (i = 0; i < PAWLINK_POLICY_LIFETIME_FAILURES; i++) {
		if (i && i % PAWLINK_POLICY_WINDOW_FAILURES == 0)
			assert_int_equal(pawlink_policy_press_button(&r.policy,
								     r.now), 0);
		assert_int_equal(wrong_code_attempt(&r), PAWLINK_PAIR_FAILED);
		r.now += 1000;
	}
	assert_true(pawlink_policy_is_locked(&r.policy));
	assert_int_equal(pawlink_policy_press_button(&r.policy, r.now), -EPERM);
	memcpy(r.hp.code.digits, "40187263", PAWLINK_SETUP_CODE_SIZE);
	assert_int_equal(host_start(&r), PAWLINK_PAIR_SEND);
	assert_int_equal(to_toy(&r, r.msg, r.msg_len, NULL),
			 PAWLINK_PAIR_CLOSED);
	assert_msg_is(&r, fail_msg);
	/* The persisted counter shows the lock too. */
	assert_int_equal(pawlink_load_le32(r.saved + 8),
			 PAWLINK_POLICY_LIFETIME_FAILURES);

	/* Factory reset: pairing works again. */
	pawlink_policy_factory_reset(&r.policy);
	assert_int_equal(pawlink_policy_press_button(&r.policy, r.now), 0);
	honest_run(&r, &run);
}

/* ---- one at a time ---- */

static void test_busy(void **state)
{
	uint8_t other_id[PAWLINK_ID_LEN];
	struct pawlink_pair_host other;
	struct pawlink_pair_host_params op;
	uint8_t hello_a[PAWLINK_PAIR_HELLO_LEN], resp_a[PAWLINK_PAIR_RESPONSE_LEN];
	uint8_t out[PAWLINK_PAIR_MSG_MAX];
	size_t out_len;
	struct pawlink_pair_peer toy_saw;
	struct rig r;

	(void)state;
	rig_init(&r);
	assert_int_equal(host_start(&r), PAWLINK_PAIR_SEND);
	keep(hello_a, sizeof(hello_a), &r);
	assert_int_equal(to_toy(&r, hello_a, sizeof(hello_a), NULL),
			 PAWLINK_PAIR_SEND);
	keep(resp_a, sizeof(resp_a), &r);

	/* A second host, even with the right code, is told BUSY. */
	op = r.hp;
	randombytes_buf(other_id, sizeof(other_id));
	other_id[0] |= 1;
	memcpy(op.host_id, other_id, PAWLINK_ID_LEN);
	assert_int_equal(pawlink_pair_host_start(&other, &op, out, &out_len),
			 PAWLINK_PAIR_SEND);
	assert_int_equal(to_toy(&r, out, out_len, NULL), PAWLINK_PAIR_BUSY);
	assert_msg_is(&r, busy_msg);
	assert_int_equal(pawlink_pair_host_receive(&other, r.msg, r.msg_len,
						   out, &out_len),
			 PAWLINK_PAIR_BUSY);
	assert_int_equal(out_len, 0);

	/* The first pairing is undisturbed. */
	assert_int_equal(to_host(&r, resp_a, sizeof(resp_a)), PAWLINK_PAIR_SEND);
	assert_int_equal(to_toy(&r, r.msg, r.msg_len, &toy_saw),
			 PAWLINK_PAIR_COMPLETE);
	assert_int_equal(to_host(&r, r.msg, r.msg_len), PAWLINK_PAIR_COMPLETE);
	assert_int_equal(r.policy.lifetime_failures, 0);
	pawlink_pair_host_wipe(&other);
}

static void test_stale_pairing_times_out(void **state)
{
	uint8_t resp[PAWLINK_PAIR_RESPONSE_LEN];
	struct run run;
	struct rig r;

	(void)state;
	rig_init(&r);
	assert_int_equal(host_start(&r), PAWLINK_PAIR_SEND);
	assert_int_equal(to_toy(&r, r.msg, r.msg_len, NULL), PAWLINK_PAIR_SEND);
	keep(resp, sizeof(resp), &r);
	assert_int_equal(to_host(&r, resp, sizeof(resp)), PAWLINK_PAIR_SEND);
	/* CONFIRM arrives after the toy gave up: no pairing. */
	r.now += PAWLINK_POLICY_ATTEMPT_TIMEOUT_MS;
	assert_int_not_equal(to_toy(&r, r.msg, r.msg_len, NULL),
			     PAWLINK_PAIR_COMPLETE);
	assert_msg_is(&r, fail_msg);
	assert_int_equal(r.policy.n_hosts, 0);
	assert_int_equal(r.policy.lifetime_failures, 1);
	/* And the slot is free for the next try. */
	honest_run(&r, &run);
}

static void test_same_host_restart(void **state)
{
	struct run run;
	struct rig r;

	(void)state;
	rig_init(&r);
	/* HELLO reaches the toy, RESPONSE is lost; the host starts over. */
	assert_int_equal(host_start(&r), PAWLINK_PAIR_SEND);
	assert_int_equal(to_toy(&r, r.msg, r.msg_len, NULL), PAWLINK_PAIR_SEND);
	honest_run(&r, &run);
	assert_int_equal(r.policy.lifetime_failures, 1);
}

/* ---- an attacker on the air ---- */

/*
 * Flips one bit of message @which (0 HELLO, 1 RESPONSE, 2 CONFIRM, 3 DONE)
 * at byte @at and runs the rest honestly.  Returns through @host_ok and
 * @toy_ok whether each side completed.
 */
static void tampered_run(int which, size_t at, uint8_t bit, bool *host_ok,
			 bool *toy_ok)
{
	enum pawlink_pair_result hr = PAWLINK_PAIR_SEND, tr = PAWLINK_PAIR_SEND;
	struct rig r;
	int step;

	rig_init(&r);
	*host_ok = *toy_ok = false;
	assert_int_equal(host_start(&r), PAWLINK_PAIR_SEND);
	for (step = 0; step < 4; step++) {
		uint8_t m[PAWLINK_PAIR_MSG_MAX];
		size_t len = r.msg_len;

		if (len == 0)
			break;
		memcpy(m, r.msg, len);
		if (step == which)
			m[at % len] ^= bit;
		if (step % 2 == 0) {
			tr = to_toy(&r, m, len, NULL);
			if (tr == PAWLINK_PAIR_COMPLETE)
				*toy_ok = true;
			else if (tr != PAWLINK_PAIR_SEND) {
				if (r.msg_len)
					to_host(&r, r.msg, r.msg_len);
				break;
			}
		} else {
			hr = to_host(&r, m, len);
			if (hr == PAWLINK_PAIR_COMPLETE)
				*host_ok = true;
			if (hr != PAWLINK_PAIR_SEND) {
				if (r.msg_len)
					to_toy(&r, r.msg, r.msg_len, NULL);
				break;
			}
		}
	}
	/* Whatever happened, a pin exists only where that side completed. */
	assert_int_equal(r.policy.n_hosts, *toy_ok ? 1 : 0);
}

static void test_tamper_every_byte_of_every_message(void **state)
{
	static const size_t lens[4] = {
		PAWLINK_PAIR_HELLO_LEN, PAWLINK_PAIR_RESPONSE_LEN,
		PAWLINK_PAIR_CONFIRM_LEN, PAWLINK_PAIR_DONE_LEN,
	};
	bool host_ok, toy_ok;
	int which;
	size_t at;

	(void)state;
	for (which = 0; which < 4; which++) {
		for (at = 0; at < lens[which]; at++) {
			uint8_t bit = (uint8_t)(1u << (at % 8));

			tampered_run(which, at, bit, &host_ok, &toy_ok);
			/* The host never accepts a tampered run. */
			assert_false(host_ok);
			/* Only a tampered DONE leaves the toy having pinned
			 * (it finished first); the host re-pairs. */
			if (which < 3)
				assert_false(toy_ok);
			else
				assert_true(toy_ok);
		}
	}
}

static void test_truncated_and_extended_messages(void **state)
{
	struct run run;
	struct rig r;
	size_t len;

	(void)state;
	for (len = 0; len <= PAWLINK_PAIR_HELLO_LEN + 1; len++) {
		uint8_t m[PAWLINK_PAIR_HELLO_LEN + 1] = { 0 };

		if (len == PAWLINK_PAIR_HELLO_LEN)
			continue;
		rig_init(&r);
		assert_int_equal(host_start(&r), PAWLINK_PAIR_SEND);
		memcpy(m, r.msg, PAWLINK_PAIR_HELLO_LEN);
		assert_int_equal(to_toy(&r, m, len, NULL),
				 PAWLINK_PAIR_PROTOCOL);
		/* A malformed HELLO costs nothing and is not answered with
		 * anything but FAIL. */
		if (len)
			assert_msg_is(&r, fail_msg);
		assert_int_equal(r.policy.lifetime_failures, 0);
	}
	for (len = 0; len <= PAWLINK_PAIR_RESPONSE_LEN + 1; len++) {
		uint8_t m[PAWLINK_PAIR_RESPONSE_LEN + 1] = { 0 };

		if (len == PAWLINK_PAIR_RESPONSE_LEN)
			continue;
		rig_init(&r);
		assert_int_equal(host_start(&r), PAWLINK_PAIR_SEND);
		assert_int_equal(to_toy(&r, r.msg, r.msg_len, NULL),
				 PAWLINK_PAIR_SEND);
		memcpy(m, r.msg, PAWLINK_PAIR_RESPONSE_LEN);
		assert_int_equal(to_host(&r, m, len), PAWLINK_PAIR_PROTOCOL);
	}
	for (len = 0; len <= PAWLINK_PAIR_CONFIRM_LEN + 1; len++) {
		uint8_t m[PAWLINK_PAIR_CONFIRM_LEN + 1] = { 0 };

		if (len == PAWLINK_PAIR_CONFIRM_LEN)
			continue;
		rig_init(&r);
		assert_int_equal(host_start(&r), PAWLINK_PAIR_SEND);
		assert_int_equal(to_toy(&r, r.msg, r.msg_len, NULL),
				 PAWLINK_PAIR_SEND);
		assert_int_equal(to_host(&r, r.msg, r.msg_len),
				 PAWLINK_PAIR_SEND);
		memcpy(m, r.msg, PAWLINK_PAIR_CONFIRM_LEN);
		assert_int_equal(to_toy(&r, m, len, NULL),
				 PAWLINK_PAIR_PROTOCOL);
		assert_int_equal(r.policy.n_hosts, 0);
		assert_int_equal(r.policy.lifetime_failures, 1);
	}
	for (len = 0; len <= PAWLINK_PAIR_DONE_LEN + 1; len++) {
		uint8_t m[PAWLINK_PAIR_DONE_LEN + 1] = { 0 };

		if (len == PAWLINK_PAIR_DONE_LEN)
			continue;
		rig_init(&r);
		honest_run(&r, &run);
		/* Replay the run up to DONE with a fresh host state. */
		rig_init(&r);
		assert_int_equal(host_start(&r), PAWLINK_PAIR_SEND);
		assert_int_equal(to_toy(&r, r.msg, r.msg_len, NULL),
				 PAWLINK_PAIR_SEND);
		assert_int_equal(to_host(&r, r.msg, r.msg_len),
				 PAWLINK_PAIR_SEND);
		assert_int_equal(to_toy(&r, r.msg, r.msg_len, NULL),
				 PAWLINK_PAIR_COMPLETE);
		memcpy(m, r.msg, PAWLINK_PAIR_DONE_LEN);
		assert_int_equal(to_host(&r, m, len), PAWLINK_PAIR_PROTOCOL);
	}
}

static void test_replayed_messages(void **state)
{
	struct run old;
	struct rig r;

	(void)state;
	rig_init(&r);
	honest_run(&r, &old);
	/* The next runs are a second host's, under an invite. */
	r.hp.host_id[1] ^= 0x55;

	/* An old RESPONSE does not fit a new run of the host. */
	pawlink_policy_invite(&r.policy, r.now, "40187263", "");
	assert_int_equal(host_start(&r), PAWLINK_PAIR_SEND);
	assert_int_equal(to_host(&r, old.response, sizeof(old.response)),
			 PAWLINK_PAIR_FAILED);

	/* An old CONFIRM does not fit a new attempt of the toy. */
	assert_int_equal(host_start(&r), PAWLINK_PAIR_SEND);
	assert_int_equal(to_toy(&r, r.msg, r.msg_len, NULL), PAWLINK_PAIR_SEND);
	assert_int_equal(to_toy(&r, old.confirm, sizeof(old.confirm), NULL),
			 PAWLINK_PAIR_FAILED);
	assert_int_equal(r.policy.window_failures, 1);

	/* An old DONE does not complete a new run. */
	pawlink_policy_invite(&r.policy, r.now, "40187263", "");
	assert_int_equal(host_start(&r), PAWLINK_PAIR_SEND);
	assert_int_equal(to_toy(&r, r.msg, r.msg_len, NULL), PAWLINK_PAIR_SEND);
	assert_int_equal(to_host(&r, r.msg, r.msg_len), PAWLINK_PAIR_SEND);
	assert_int_equal(to_host(&r, old.done, sizeof(old.done)),
			 PAWLINK_PAIR_FAILED);

	/* A replayed HELLO of a paired host is refused outright. */
	pawlink_policy_invite(&r.policy, r.now, "40187263", "");
	assert_int_equal(to_toy(&r, old.hello, sizeof(old.hello), NULL),
			 PAWLINK_PAIR_CLOSED);
	assert_int_equal(to_toy(&r, old.confirm, sizeof(old.confirm), NULL),
			 PAWLINK_PAIR_PROTOCOL);
	assert_int_equal(r.policy.n_hosts, 1);	/* only the first pairing */
}

static void test_duplicate_within_a_run(void **state)
{
	uint8_t resp[PAWLINK_PAIR_RESPONSE_LEN], confirm[PAWLINK_PAIR_CONFIRM_LEN];
	struct rig r;

	(void)state;
	rig_init(&r);
	assert_int_equal(host_start(&r), PAWLINK_PAIR_SEND);
	assert_int_equal(to_toy(&r, r.msg, r.msg_len, NULL), PAWLINK_PAIR_SEND);
	keep(resp, sizeof(resp), &r);
	assert_int_equal(to_host(&r, resp, sizeof(resp)), PAWLINK_PAIR_SEND);
	keep(confirm, sizeof(confirm), &r);
	/* RESPONSE again, while the host waits for DONE: abort. */
	assert_int_equal(to_host(&r, resp, sizeof(resp)), PAWLINK_PAIR_PROTOCOL);
	assert_msg_is(&r, fail_msg);

	/* CONFIRM twice at the toy: the second finds nothing to confirm. */
	rig_init(&r);
	assert_int_equal(host_start(&r), PAWLINK_PAIR_SEND);
	assert_int_equal(to_toy(&r, r.msg, r.msg_len, NULL), PAWLINK_PAIR_SEND);
	assert_int_equal(to_host(&r, r.msg, r.msg_len), PAWLINK_PAIR_SEND);
	keep(confirm, sizeof(confirm), &r);
	assert_int_equal(to_toy(&r, confirm, sizeof(confirm), NULL),
			 PAWLINK_PAIR_COMPLETE);
	assert_int_equal(to_toy(&r, confirm, sizeof(confirm), NULL),
			 PAWLINK_PAIR_PROTOCOL);
	assert_int_equal(r.policy.n_hosts, 1);
}

static void test_reflected_messages(void **state)
{
	struct rig r;
	uint8_t m[PAWLINK_PAIR_MSG_MAX];
	size_t len;

	(void)state;
	/* HELLO back to the host. */
	rig_init(&r);
	assert_int_equal(host_start(&r), PAWLINK_PAIR_SEND);
	assert_int_equal(to_host(&r, r.msg, r.msg_len), PAWLINK_PAIR_PROTOCOL);

	/* RESPONSE back to the toy: the attempt is aborted. */
	rig_init(&r);
	assert_int_equal(host_start(&r), PAWLINK_PAIR_SEND);
	assert_int_equal(to_toy(&r, r.msg, r.msg_len, NULL), PAWLINK_PAIR_SEND);
	len = r.msg_len;
	memcpy(m, r.msg, len);
	assert_int_equal(to_toy(&r, m, len, NULL), PAWLINK_PAIR_PROTOCOL);
	assert_msg_is(&r, fail_msg);
	assert_int_equal(r.policy.lifetime_failures, 1);
	assert_false(r.policy.attempt_active);

	/* CONFIRM back to the host. */
	rig_init(&r);
	assert_int_equal(host_start(&r), PAWLINK_PAIR_SEND);
	assert_int_equal(to_toy(&r, r.msg, r.msg_len, NULL), PAWLINK_PAIR_SEND);
	assert_int_equal(to_host(&r, r.msg, r.msg_len), PAWLINK_PAIR_SEND);
	len = r.msg_len;
	memcpy(m, r.msg, len);
	assert_int_equal(to_host(&r, m, len), PAWLINK_PAIR_PROTOCOL);
	assert_int_equal(to_toy(&r, r.msg, r.msg_len, NULL),
			 PAWLINK_PAIR_FAILED);
	assert_int_equal(r.policy.n_hosts, 0);

	/* DONE back to the toy. */
	rig_init(&r);
	assert_int_equal(host_start(&r), PAWLINK_PAIR_SEND);
	assert_int_equal(to_toy(&r, r.msg, r.msg_len, NULL), PAWLINK_PAIR_SEND);
	assert_int_equal(to_host(&r, r.msg, r.msg_len), PAWLINK_PAIR_SEND);
	assert_int_equal(to_toy(&r, r.msg, r.msg_len, NULL),
			 PAWLINK_PAIR_COMPLETE);
	len = r.msg_len;
	memcpy(m, r.msg, len);
	assert_int_equal(to_toy(&r, m, len, NULL), PAWLINK_PAIR_PROTOCOL);

	/* FAIL and BUSY out of the blue: the toy answers nothing. */
	rig_init(&r);
	assert_int_equal(to_toy(&r, fail_msg, 4, NULL), PAWLINK_PAIR_PROTOCOL);
	assert_int_equal(r.msg_len, 0);
	assert_int_equal(to_toy(&r, busy_msg, 4, NULL), PAWLINK_PAIR_PROTOCOL);
	assert_int_equal(r.msg_len, 0);

	/* BUSY after RESPONSE is not something a toy says. */
	rig_init(&r);
	assert_int_equal(host_start(&r), PAWLINK_PAIR_SEND);
	assert_int_equal(to_toy(&r, r.msg, r.msg_len, NULL), PAWLINK_PAIR_SEND);
	assert_int_equal(to_host(&r, r.msg, r.msg_len), PAWLINK_PAIR_SEND);
	assert_int_equal(to_host(&r, busy_msg, 4), PAWLINK_PAIR_PROTOCOL);
}

static const char *const bad_points[] = {
	/* The identity. */
	"0000000000000000000000000000000000000000000000000000000000000000",
	/* Not a valid encoding (draft B.3.11 Y_i1). */
	"2b3c6b8c4f3800e7aef6864025b4ed79bd599117e427c41bd47d93d654b4a51c",
	/* Non-canonical: p, and a set top bit. */
	"edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
	"0000000000000000000000000000000000000000000000000000000000000080",
	/* A negative (odd) field element. */
	"0100000000000000000000000000000000000000000000000000000000000000",
};

static void test_identity_and_noncanonical_shares(void **state)
{
	uint8_t m[PAWLINK_PAIR_RESPONSE_LEN], p[32];
	struct rig r;
	size_t i;

	(void)state;
	for (i = 0; i < PAWLINK_ARRAY_SIZE(bad_points); i++) {
		assert_int_equal(pawlink_hex_decode(p, 32, bad_points[i], 64),
				 0);
		/* In HELLO: the toy aborts (the attempt counts). */
		rig_init(&r);
		assert_int_equal(host_start(&r), PAWLINK_PAIR_SEND);
		memcpy(m, r.msg, PAWLINK_PAIR_HELLO_LEN);
		memcpy(m + offsetof(struct pawlink_pair_hello, share), p, 32);
		assert_int_equal(to_toy(&r, m, PAWLINK_PAIR_HELLO_LEN, NULL),
				 PAWLINK_PAIR_PROTOCOL);
		assert_msg_is(&r, fail_msg);
		assert_false(r.policy.attempt_active);

		/* In RESPONSE: the host aborts. */
		rig_init(&r);
		assert_int_equal(host_start(&r), PAWLINK_PAIR_SEND);
		assert_int_equal(to_toy(&r, r.msg, r.msg_len, NULL),
				 PAWLINK_PAIR_SEND);
		memcpy(m, r.msg, PAWLINK_PAIR_RESPONSE_LEN);
		memcpy(m + offsetof(struct pawlink_pair_response, share), p,
		       32);
		assert_int_equal(to_host(&r, m, PAWLINK_PAIR_RESPONSE_LEN),
				 PAWLINK_PAIR_PROTOCOL);
		assert_msg_is(&r, fail_msg);
	}
}

static void test_low_order_static_keys_refused(void **state)
{
	struct rig r;

	(void)state;
	/* A host that knows the code but offers a degenerate key. */
	rig_init(&r);
	memset(r.hp.host_static, 0, 32);
	assert_int_equal(host_start(&r), PAWLINK_PAIR_SEND);
	assert_int_equal(to_toy(&r, r.msg, r.msg_len, NULL), PAWLINK_PAIR_SEND);
	assert_int_equal(to_host(&r, r.msg, r.msg_len), PAWLINK_PAIR_SEND);
	assert_int_equal(to_toy(&r, r.msg, r.msg_len, NULL),
			 PAWLINK_PAIR_PROTOCOL);
	assert_int_equal(r.policy.n_hosts, 0);

	/* A toy doing the same. */
	rig_init(&r);
	memset(r.toy.p.toy_static, 0, 32);
	r.toy.p.toy_static[0] = 1;	/* u = 1: order 4 */
	assert_int_equal(host_start(&r), PAWLINK_PAIR_SEND);
	assert_int_equal(to_toy(&r, r.msg, r.msg_len, NULL), PAWLINK_PAIR_SEND);
	assert_int_equal(to_host(&r, r.msg, r.msg_len), PAWLINK_PAIR_PROTOCOL);
}

static void test_changed_version_aborts(void **state)
{
	struct pawlink_pair_hello hello;
	uint8_t m[PAWLINK_PAIR_MSG_MAX];
	struct rig r;
	size_t len;

	(void)state;
	/* HELLO claiming another version: refused, nothing charged. */
	rig_init(&r);
	assert_int_equal(host_start(&r), PAWLINK_PAIR_SEND);
	memcpy(m, r.msg, r.msg_len);
	m[1] = PAWLINK_PAIR_VERSION + 1;
	assert_int_equal(pawlink_pair_parse_hello(&hello, m,
						  PAWLINK_PAIR_HELLO_LEN),
			 -EPROTONOSUPPORT);
	assert_int_equal(to_toy(&r, m, PAWLINK_PAIR_HELLO_LEN, NULL),
			 PAWLINK_PAIR_PROTOCOL);
	assert_int_equal(r.policy.lifetime_failures, 0);
	m[1] = 0;	/* a downgrade */
	assert_int_equal(to_toy(&r, m, PAWLINK_PAIR_HELLO_LEN, NULL),
			 PAWLINK_PAIR_PROTOCOL);

	/* RESPONSE with another version: the host aborts. */
	rig_init(&r);
	assert_int_equal(host_start(&r), PAWLINK_PAIR_SEND);
	assert_int_equal(to_toy(&r, r.msg, r.msg_len, NULL), PAWLINK_PAIR_SEND);
	len = r.msg_len;
	memcpy(m, r.msg, len);
	m[1] = 0;
	assert_int_equal(to_host(&r, m, len), PAWLINK_PAIR_PROTOCOL);

	/* CONFIRM with another version: the toy aborts, no pin. */
	rig_init(&r);
	assert_int_equal(host_start(&r), PAWLINK_PAIR_SEND);
	assert_int_equal(to_toy(&r, r.msg, r.msg_len, NULL), PAWLINK_PAIR_SEND);
	assert_int_equal(to_host(&r, r.msg, r.msg_len), PAWLINK_PAIR_SEND);
	len = r.msg_len;
	memcpy(m, r.msg, len);
	m[1] = 2;
	assert_int_equal(to_toy(&r, m, len, NULL), PAWLINK_PAIR_PROTOCOL);
	assert_int_equal(r.policy.n_hosts, 0);

	/* DONE and FAIL with another version: the host aborts. */
	rig_init(&r);
	assert_int_equal(host_start(&r), PAWLINK_PAIR_SEND);
	assert_int_equal(to_toy(&r, r.msg, r.msg_len, NULL), PAWLINK_PAIR_SEND);
	assert_int_equal(to_host(&r, r.msg, r.msg_len), PAWLINK_PAIR_SEND);
	assert_int_equal(to_toy(&r, r.msg, r.msg_len, NULL),
			 PAWLINK_PAIR_COMPLETE);
	len = r.msg_len;
	memcpy(m, r.msg, len);
	m[1] = 2;
	assert_int_equal(to_host(&r, m, len), PAWLINK_PAIR_PROTOCOL);
	memcpy(m, fail_msg, 4);
	m[1] = 2;
	assert_int_equal(pawlink_pair_parse_status(m, 4), -EPROTONOSUPPORT);
}

static void test_parsers_are_strict(void **state)
{
	uint8_t m[PAWLINK_PAIR_MSG_MAX + 1] = { 0 };
	struct pawlink_pair_hello hello;
	struct pawlink_pair_response resp;
	struct pawlink_pair_confirm confirm;
	struct pawlink_pair_done done;

	(void)state;
	assert_int_equal(pawlink_pair_msg_type(m, 0), -EBADMSG);
	assert_int_equal(pawlink_pair_msg_type(NULL, 4), -EBADMSG);

	m[1] = PAWLINK_PAIR_VERSION;
	m[0] = PAWLINK_PAIR_MSG_HELLO;
	assert_int_equal(pawlink_pair_parse_hello(&hello, m, 68), 0);
	assert_int_equal(pawlink_pair_parse_response(&resp, m, 116), -EBADMSG);
	m[2] = 1;	/* reserved */
	assert_int_equal(pawlink_pair_parse_hello(&hello, m, 68), -EBADMSG);
	m[2] = 0;
	m[3] = 0x80;
	assert_int_equal(pawlink_pair_parse_hello(&hello, m, 68), -EBADMSG);
	m[3] = 0;

	m[0] = PAWLINK_PAIR_MSG_RESPONSE;
	assert_int_equal(pawlink_pair_parse_response(&resp, m, 116), 0);
	assert_int_equal(pawlink_pair_parse_response(&resp, m, 117), -EBADMSG);
	m[0] = PAWLINK_PAIR_MSG_CONFIRM;
	assert_int_equal(pawlink_pair_parse_confirm(&confirm, m, 84), 0);
	assert_int_equal(pawlink_pair_parse_confirm(&confirm, m, 83), -EBADMSG);
	m[0] = PAWLINK_PAIR_MSG_DONE;
	assert_int_equal(pawlink_pair_parse_done(&done, m, 36), 0);
	assert_int_equal(pawlink_pair_parse_done(&done, m, 4), -EBADMSG);
	m[0] = PAWLINK_PAIR_MSG_FAIL;
	assert_int_equal(pawlink_pair_parse_status(m, 4), PAWLINK_PAIR_MSG_FAIL);
	assert_int_equal(pawlink_pair_parse_status(m, 5), -EBADMSG);
	m[0] = PAWLINK_PAIR_MSG_BUSY;
	assert_int_equal(pawlink_pair_parse_status(m, 4), PAWLINK_PAIR_MSG_BUSY);
	/* Unknown types in the pairing range, and session types. */
	m[0] = 0x14;
	assert_int_equal(pawlink_pair_parse_status(m, 4), -EBADMSG);
	m[0] = 0x20;
	assert_int_equal(pawlink_pair_parse_hello(&hello, m, 68), -EBADMSG);
}

static void test_unknown_types_at_the_toy(void **state)
{
	uint8_t m[PAWLINK_PAIR_HELLO_LEN] = { 0x17, PAWLINK_PAIR_VERSION };
	struct rig r;

	(void)state;
	rig_init(&r);
	assert_int_equal(to_toy(&r, m, sizeof(m), NULL), PAWLINK_PAIR_PROTOCOL);
	assert_msg_is(&r, fail_msg);
	assert_int_equal(r.policy.lifetime_failures, 0);
}

static void test_hello_for_another_toy(void **state)
{
	struct rig r;

	(void)state;
	rig_init(&r);
	r.hp.toy_id[0] ^= 0xff;
	assert_int_equal(host_start(&r), PAWLINK_PAIR_SEND);
	assert_int_equal(to_toy(&r, r.msg, r.msg_len, NULL),
			 PAWLINK_PAIR_PROTOCOL);
	assert_msg_is(&r, fail_msg);
	assert_int_equal(r.policy.lifetime_failures, 0);
}

static void test_zero_host_id_refused(void **state)
{
	uint8_t m[PAWLINK_PAIR_HELLO_LEN];
	struct rig r;

	(void)state;
	rig_init(&r);
	assert_int_equal(host_start(&r), PAWLINK_PAIR_SEND);
	memcpy(m, r.msg, sizeof(m));
	memset(m + offsetof(struct pawlink_pair_hello, host_id), 0,
	       PAWLINK_ID_LEN);
	assert_int_equal(to_toy(&r, m, sizeof(m), NULL), PAWLINK_PAIR_PROTOCOL);
	assert_msg_is(&r, fail_msg);
	assert_int_equal(r.policy.lifetime_failures, 0);
	/* Nor does a host start with the reserved id. */
	memset(r.hp.host_id, 0, PAWLINK_ID_LEN);
	assert_int_equal(host_start(&r), PAWLINK_PAIR_ERROR);
}

static void test_persist_failures(void **state)
{
	struct rig r;

	(void)state;
	/* The charge cannot be made durable: nothing code-dependent goes out. */
	rig_init(&r);
	r.persist_fail_on = 1;
	assert_int_equal(host_start(&r), PAWLINK_PAIR_SEND);
	assert_int_equal(to_toy(&r, r.msg, r.msg_len, NULL),
			 PAWLINK_PAIR_ERROR);
	assert_msg_is(&r, fail_msg);

	/* The pin cannot be made durable: the toy does not claim it. */
	rig_init(&r);
	r.persist_fail_on = 2;
	assert_int_equal(host_start(&r), PAWLINK_PAIR_SEND);
	assert_int_equal(to_toy(&r, r.msg, r.msg_len, NULL), PAWLINK_PAIR_SEND);
	assert_int_equal(to_host(&r, r.msg, r.msg_len), PAWLINK_PAIR_SEND);
	assert_int_equal(to_toy(&r, r.msg, r.msg_len, NULL),
			 PAWLINK_PAIR_ERROR);
	assert_msg_is(&r, fail_msg);
	assert_int_equal(r.policy.n_hosts, 0);
	/* Nothing of the success stays in memory: no claim, no refund. */
	assert_false(r.policy.claimed);
	assert_int_equal(r.policy.lifetime_failures, 1);
	assert_false(r.policy.attempt_active);
	assert_int_equal(to_host(&r, r.msg, r.msg_len), PAWLINK_PAIR_FAILED);
}

static void test_bad_parameters(void **state)
{
	struct pawlink_pair_host_params hp;
	struct pawlink_pair_toy_params tp;
	struct pawlink_pair_policy policy;
	struct pawlink_pair_host h;
	struct pawlink_pair_toy t;
	uint8_t out[PAWLINK_PAIR_MSG_MAX];
	size_t out_len = 99;

	(void)state;
	memset(&hp, 0, sizeof(hp));
	memset(&tp, 0, sizeof(tp));
	memcpy(hp.code.digits, "12345678", PAWLINK_SETUP_CODE_SIZE);
	assert_int_equal(pawlink_pair_host_start(&h, &hp, out, &out_len),
			 PAWLINK_PAIR_ERROR);
	assert_int_equal(out_len, 0);
	assert_int_equal(pawlink_pair_host_receive(&h, fail_msg, 4, out,
						   &out_len),
			 PAWLINK_PAIR_ERROR);
	pawlink_policy_init(&policy);
	memcpy(tp.code.digits, "40187263", PAWLINK_SETUP_CODE_SIZE);
	assert_int_equal(pawlink_pair_toy_init(&t, &tp), -EINVAL);
	tp.policy = &policy;
	assert_int_equal(pawlink_pair_toy_init(&t, &tp), -EINVAL);
	tp.persist = persist_cb;
	memcpy(tp.code.digits, "4018726", PAWLINK_SETUP_CODE_SIZE - 1);
	tp.code.digits[7] = 'x';
	assert_int_equal(pawlink_pair_toy_init(&t, &tp), -EINVAL);
	assert_non_null(pawlink_pair_result_str(PAWLINK_PAIR_FAILED));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_full_pairing),
		cmocka_unit_test(test_static_keys_never_in_clear),
		cmocka_unit_test(test_secrets_wiped_after_run),
		cmocka_unit_test(test_repairing_never_replaces_the_pin),
		cmocka_unit_test(test_copied_host_id_does_not_kill_pairing),
		cmocka_unit_test(test_invite_code_pairs_once),
		cmocka_unit_test(test_wrong_code),
		cmocka_unit_test(test_wrong_code_host_forges_confirm),
		cmocka_unit_test(test_walk_away_after_response_is_charged),
		cmocka_unit_test(test_window_closed_gives_plain_fail),
		cmocka_unit_test(test_never_opened_window),
		cmocka_unit_test(test_twenty_failures_close_window),
		cmocka_unit_test(test_lifetime_lockout),
		cmocka_unit_test(test_busy),
		cmocka_unit_test(test_stale_pairing_times_out),
		cmocka_unit_test(test_same_host_restart),
		cmocka_unit_test(test_tamper_every_byte_of_every_message),
		cmocka_unit_test(test_truncated_and_extended_messages),
		cmocka_unit_test(test_replayed_messages),
		cmocka_unit_test(test_duplicate_within_a_run),
		cmocka_unit_test(test_reflected_messages),
		cmocka_unit_test(test_identity_and_noncanonical_shares),
		cmocka_unit_test(test_low_order_static_keys_refused),
		cmocka_unit_test(test_changed_version_aborts),
		cmocka_unit_test(test_parsers_are_strict),
		cmocka_unit_test(test_unknown_types_at_the_toy),
		cmocka_unit_test(test_hello_for_another_toy),
		cmocka_unit_test(test_zero_host_id_refused),
		cmocka_unit_test(test_persist_failures),
		cmocka_unit_test(test_bad_parameters),
	};

	if (sodium_init() < 0)
		return 1;
	return cmocka_run_group_tests(tests, NULL, NULL);
}

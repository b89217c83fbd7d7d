// SPDX-License-Identifier: GPL-2.0
/*
 * Pairing on the toy: the protocol's toy state machine (pairing.h) under
 * its policy (pairing_policy.h), fed the plaintext pairing messages the
 * dispatcher hands on, with every outcome in the event log.  The
 * policy is saved through the platform before any answer that depends on
 * it goes out (pairing.rst, "The run").
 */
#include <errno.h>
#include <string.h>

#include "toy_priv.h"

int toy_policy_persist(const struct pawlink_pair_policy *policy, void *ctx)
{
	struct toy *t = ctx;
	uint8_t buf[PAWLINK_POLICY_STATE_LEN];

	pawlink_policy_save(policy, buf);
	return t->pf.blob_save(t->pf.ctx, TOY_BLOB_POLICY, buf, sizeof(buf));
}

int toy_pairing_init(struct toy *t)
{
	struct pawlink_pair_toy_params params;
	int rc;

	memset(&params, 0, sizeof(params));
	memcpy(params.toy_id, t->id.id, PAWLINK_ID_LEN);
	memcpy(params.toy_static, t->id.public_key, PAWLINK_PAIR_STATIC_LEN);
	params.code = t->id.code;
	params.policy = &t->policy;
	params.persist = toy_policy_persist;
	params.persist_ctx = t;
	/* New hosts' records carry the boot they were paired in. */
	t->policy.boot = t->log.boot;
	t->policy.boot_ms = t->boot_us / 1000;
	rc = pawlink_pair_toy_init(&t->pair, &params);
	pawlink_setup_code_wipe(&params.code);
	return rc;
}

static uint64_t now_ms(const struct toy *t)
{
	return toy_now(t) / 1000;
}

/* Whether the state machine has an attempt in progress. */
static bool attempt_open(const struct toy *t)
{
	return t->pair.gen != 0;
}

void toy_pairing_input(struct toy *t, const uint8_t src[PAWLINK_ID_LEN],
		       const uint8_t *msg, size_t len)
{
	uint8_t out[PAWLINK_PAIR_MSG_MAX], attempt_host[PAWLINK_ID_LEN];
	struct pawlink_pair_hello hello;
	struct pawlink_pair_peer host;
	enum pawlink_pair_result r;
	bool was_live, was_locked, is_hello;
	size_t out_len = 0;

	/* A stale attempt ends (and is logged) before anything new. */
	toy_pairing_tick(t);
	was_live = attempt_open(t);
	memcpy(attempt_host, t->policy.attempt_host, PAWLINK_ID_LEN);
	was_locked = pawlink_policy_is_locked(&t->policy);
	is_hello = pawlink_pair_parse_hello(&hello, msg, len) == 0;

	r = pawlink_pair_toy_receive_from(&t->pair, now_ms(t), src, msg, len,
					  out, &out_len, &host);
	if (out_len)
		toy_send_plain(t, src, out, out_len);

	switch (r) {
	case PAWLINK_PAIR_SEND:
		toy_log_event(t, PAWLINK_TOY_EV_PAIR_START, 0, hello.host_id);
		break;
	case PAWLINK_PAIR_COMPLETE:
		toy_log_event(t, PAWLINK_TOY_EV_PAIR_OK, 0, host.id);
		break;
	case PAWLINK_PAIR_FAILED:
		if (was_live)
			toy_log_event(t, PAWLINK_TOY_EV_PAIR_FAIL,
				      PAWLINK_TOY_PAIR_AUTH, attempt_host);
		break;
	case PAWLINK_PAIR_CLOSED:
	case PAWLINK_PAIR_BUSY:
		if (was_live && !attempt_open(t))
			toy_log_event(t, PAWLINK_TOY_EV_PAIR_FAIL,
				      PAWLINK_TOY_PAIR_PROTOCOL, attempt_host);
		else if (is_hello)
			toy_log_event(t, PAWLINK_TOY_EV_PAIR_REFUSED, 0,
				      hello.host_id);
		break;
	case PAWLINK_PAIR_PROTOCOL:
	case PAWLINK_PAIR_ERROR:
		/* Junk aimed at nothing costs nothing and is not logged. */
		if (was_live && !attempt_open(t))
			toy_log_event(t, PAWLINK_TOY_EV_PAIR_FAIL,
				      r == PAWLINK_PAIR_ERROR ?
				      PAWLINK_TOY_PAIR_STORAGE :
				      PAWLINK_TOY_PAIR_PROTOCOL, attempt_host);
		break;
	}
	if (!was_locked && pawlink_policy_is_locked(&t->policy))
		toy_log_event(t, PAWLINK_TOY_EV_LOCKED, 0, NULL);
	memset(&host, 0, sizeof(host));
}

void toy_pairing_tick(struct toy *t)
{
	uint8_t attempt_host[PAWLINK_ID_LEN];
	bool was_live = attempt_open(t);

	memcpy(attempt_host, t->policy.attempt_host, PAWLINK_ID_LEN);
	pawlink_pair_toy_tick(&t->pair, now_ms(t));
	if (was_live && !attempt_open(t))
		toy_log_event(t, PAWLINK_TOY_EV_PAIR_FAIL,
			      PAWLINK_TOY_PAIR_TIMEOUT, attempt_host);
}

uint64_t toy_pairing_deadline(const struct toy *t)
{
	if (!attempt_open(t) || !t->policy.attempt_active)
		return UINT64_MAX;
	return (t->policy.attempt_started_ms +
		PAWLINK_POLICY_ATTEMPT_TIMEOUT_MS) * 1000;
}

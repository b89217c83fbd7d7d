// SPDX-License-Identifier: GPL-2.0
/* The toy's pairing policy; the rules are in pairing_policy.h. */
#include <errno.h>
#include <string.h>

#include <sodium.h>

#include "pairing_policy.h"
#include "bytes.h"
#include "byteorder.h"

/* Milliseconds since @then; a clock that went backwards counts as forever. */
static uint64_t elapsed(uint64_t now, uint64_t then)
{
	return now >= then ? now - then : UINT64_MAX;
}

static void close_window(struct pawlink_pair_policy *p)
{
	p->window_open = false;
	p->window_failures = 0;
}

static void end_attempt_failed(struct pawlink_pair_policy *p)
{
	p->attempt_active = false;
	memset(p->attempt_host, 0, sizeof(p->attempt_host));
	if (p->window_failures >= PAWLINK_POLICY_WINDOW_FAILURES)
		close_window(p);
}

/* Applies the passage of time: stale attempts fail, old windows close. */
static void expire(struct pawlink_pair_policy *p, uint64_t now)
{
	if (p->attempt_active &&
	    elapsed(now, p->attempt_started_ms) >=
		    PAWLINK_POLICY_ATTEMPT_TIMEOUT_MS)
		end_attempt_failed(p);
	/* An attempt that started inside the window may finish. */
	if (p->window_open && !p->attempt_active &&
	    elapsed(now, p->window_opened_ms) >= PAWLINK_POLICY_WINDOW_MS)
		close_window(p);
}

void pawlink_policy_init(struct pawlink_pair_policy *p)
{
	memset(p, 0, sizeof(*p));
}

bool pawlink_policy_is_locked(const struct pawlink_pair_policy *p)
{
	return p->lifetime_failures >= PAWLINK_POLICY_LIFETIME_FAILURES;
}

int pawlink_policy_press_button(struct pawlink_pair_policy *p, uint64_t now)
{
	expire(p, now);
	if (pawlink_policy_is_locked(p))
		return -EPERM;
	if (p->n_hosts >= PAWLINK_POLICY_MAX_HOSTS)
		return -ENOSPC;
	p->window_open = true;
	p->window_opened_ms = now;
	p->window_failures = 0;
	return 0;
}

bool pawlink_policy_window_is_open(struct pawlink_pair_policy *p,
				   uint64_t now)
{
	expire(p, now);
	return p->window_open && !pawlink_policy_is_locked(p);
}

static int host_index(const struct pawlink_pair_policy *p,
		      const uint8_t host_id[PAWLINK_ID_LEN])
{
	unsigned int i;

	for (i = 0; i < p->n_hosts; i++)
		if (memcmp(p->hosts[i].id, host_id, PAWLINK_ID_LEN) == 0)
			return (int)i;
	return -1;
}

enum pawlink_policy_verdict
pawlink_policy_begin(struct pawlink_pair_policy *p, uint64_t now,
		     const uint8_t host_id[PAWLINK_ID_LEN], uint32_t *gen)
{
	expire(p, now);
	if (pawlink_is_zero(host_id, PAWLINK_ID_LEN))
		return PAWLINK_POLICY_INVALID;
	if (pawlink_policy_is_locked(p))
		return PAWLINK_POLICY_LOCKED;
	if (!p->window_open)
		return PAWLINK_POLICY_CLOSED;
	if (p->attempt_active) {
		if (memcmp(p->attempt_host, host_id, PAWLINK_ID_LEN) != 0)
			return PAWLINK_POLICY_BUSY;
		/* The same host starts over: its old attempt failed. */
		end_attempt_failed(p);
		if (!p->window_open)
			return PAWLINK_POLICY_CLOSED;
	}
	if (host_index(p, host_id) < 0 &&
	    p->n_hosts >= PAWLINK_POLICY_MAX_HOSTS)
		return PAWLINK_POLICY_FULL;

	/* Charge first: refunded only by pawlink_policy_succeed(). */
	p->window_failures++;
	p->lifetime_failures++;
	p->attempt_active = true;
	memcpy(p->attempt_host, host_id, PAWLINK_ID_LEN);
	p->attempt_started_ms = now;
	*gen = ++p->attempt_gen;
	return PAWLINK_POLICY_ALLOW;
}

bool pawlink_policy_attempt_is_current(struct pawlink_pair_policy *p,
				       uint64_t now, uint32_t gen)
{
	expire(p, now);
	return p->attempt_active && p->attempt_gen == gen;
}

int pawlink_policy_succeed(struct pawlink_pair_policy *p, uint64_t now,
			   uint32_t gen,
			   const uint8_t static_key[PAWLINK_PAIR_STATIC_LEN])
{
	int i;

	if (!pawlink_policy_attempt_is_current(p, now, gen))
		return -ESTALE;
	i = host_index(p, p->attempt_host);
	if (i < 0) {
		if (p->n_hosts >= PAWLINK_POLICY_MAX_HOSTS)
			return -ENOSPC;
		i = (int)p->n_hosts++;
		memcpy(p->hosts[i].id, p->attempt_host, PAWLINK_ID_LEN);
	}
	memcpy(p->hosts[i].static_key, static_key, PAWLINK_PAIR_STATIC_LEN);
	p->window_failures--;
	p->lifetime_failures--;
	p->attempt_active = false;
	memset(p->attempt_host, 0, sizeof(p->attempt_host));
	/* One pairing per press of the button. */
	close_window(p);
	return 0;
}

void pawlink_policy_fail(struct pawlink_pair_policy *p, uint64_t now,
			 uint32_t gen)
{
	if (pawlink_policy_attempt_is_current(p, now, gen))
		end_attempt_failed(p);
}

const struct pawlink_paired_host *
pawlink_policy_find_host(const struct pawlink_pair_policy *p,
			 const uint8_t host_id[PAWLINK_ID_LEN])
{
	int i = host_index(p, host_id);

	return i < 0 ? NULL : &p->hosts[i];
}

int pawlink_policy_unpair(struct pawlink_pair_policy *p,
			  const uint8_t host_id[PAWLINK_ID_LEN])
{
	int i = host_index(p, host_id);

	if (i < 0)
		return -ENOENT;
	/* Keep the table dense: move the last record into the hole. */
	p->n_hosts--;
	if ((unsigned int)i != p->n_hosts)
		p->hosts[i] = p->hosts[p->n_hosts];
	memset(&p->hosts[p->n_hosts], 0, sizeof(p->hosts[0]));
	return 0;
}

void pawlink_policy_factory_reset(struct pawlink_pair_policy *p)
{
	sodium_memzero(p, sizeof(*p));
}

void pawlink_policy_save(const struct pawlink_pair_policy *p,
			 uint8_t out[PAWLINK_POLICY_STATE_LEN])
{
	uint8_t *rec = out + 16;
	unsigned int i;

	memset(out, 0, PAWLINK_POLICY_STATE_LEN);
	memcpy(out, PAWLINK_POLICY_STATE_MAGIC, 4);
	out[4] = PAWLINK_POLICY_STATE_VERSION;
	out[5] = (uint8_t)p->n_hosts;
	pawlink_store_le32(out + 8, p->lifetime_failures);
	for (i = 0; i < p->n_hosts; i++) {
		memcpy(rec, p->hosts[i].id, PAWLINK_ID_LEN);
		memcpy(rec + PAWLINK_ID_LEN, p->hosts[i].static_key,
		       PAWLINK_PAIR_STATIC_LEN);
		rec += PAWLINK_POLICY_HOST_RECORD_LEN;
	}
}

int pawlink_policy_load(struct pawlink_pair_policy *p, const uint8_t *in,
			size_t len)
{
	struct pawlink_pair_policy tmp;
	const uint8_t *rec = in + 16;
	unsigned int i;

	if (len != PAWLINK_POLICY_STATE_LEN ||
	    memcmp(in, PAWLINK_POLICY_STATE_MAGIC, 4) != 0 ||
	    in[4] != PAWLINK_POLICY_STATE_VERSION ||
	    in[5] > PAWLINK_POLICY_MAX_HOSTS || in[6] || in[7] ||
	    !pawlink_is_zero(in + 12, 4))
		return -EINVAL;
	pawlink_policy_init(&tmp);
	tmp.lifetime_failures = pawlink_load_le32(in + 8);
	if (tmp.lifetime_failures > PAWLINK_POLICY_LIFETIME_FAILURES)
		return -EINVAL;
	tmp.n_hosts = in[5];
	for (i = 0; i < PAWLINK_POLICY_MAX_HOSTS; i++) {
		if (i >= tmp.n_hosts) {
			if (!pawlink_is_zero(rec, PAWLINK_POLICY_HOST_RECORD_LEN))
				return -EINVAL;
		} else {
			unsigned int j;

			if (pawlink_is_zero(rec, PAWLINK_ID_LEN))
				return -EINVAL;
			for (j = 0; j < i; j++)
				if (memcmp(tmp.hosts[j].id, rec,
					   PAWLINK_ID_LEN) == 0)
					return -EINVAL;
			memcpy(tmp.hosts[i].id, rec, PAWLINK_ID_LEN);
			memcpy(tmp.hosts[i].static_key, rec + PAWLINK_ID_LEN,
			       PAWLINK_PAIR_STATIC_LEN);
		}
		rec += PAWLINK_POLICY_HOST_RECORD_LEN;
	}
	*p = tmp;
	return 0;
}

void pawlink_policy_charge_back(struct pawlink_pair_policy *p)
{
	/* What succeed() refunded; flash still holds the charge. */
	p->window_failures++;
	p->lifetime_failures++;
}

// SPDX-License-Identifier: GPL-2.0
/* The toy's pairing policy; the rules are in pairing_policy.h. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <sodium.h>

#include "pairing_policy.h"
#include "bytes.h"
#include "byteorder.h"

/* A host record in the saved state (pairing.rst "Policy state"). */
enum {
	REC_ID = 0,
	REC_KEY = REC_ID + PAWLINK_ID_LEN,
	REC_BOOT = REC_KEY + PAWLINK_PAIR_STATIC_LEN,
	REC_RESERVED = REC_BOOT + 4,
	REC_MS = REC_RESERVED + 4,
	REC_NAME = REC_MS + 8,
};
_Static_assert(REC_NAME + PAWLINK_POLICY_NAME_LEN ==
	       PAWLINK_POLICY_HOST_RECORD_LEN, "host record layout");

/* Milliseconds since @then; a clock that went backwards counts as forever. */
static uint64_t elapsed(uint64_t now, uint64_t then)
{
	return now >= then ? now - then : UINT64_MAX;
}

static void close_window(struct pawlink_pair_policy *p)
{
	p->window_open = false;
	p->window_failures = 0;
	/* An invite lives exactly as long as its window. */
	p->invite = false;
	sodium_memzero(p->invite_code, sizeof(p->invite_code));
	memset(p->invite_name, 0, sizeof(p->invite_name));
}

static void end_attempt_failed(struct pawlink_pair_policy *p)
{
	p->attempt_active = false;
	p->attempt_invite = false;
	memset(p->attempt_host, 0, sizeof(p->attempt_host));
	memset(p->attempt_src, 0, sizeof(p->attempt_src));
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
	/* Claimed: the printed code is dead; a paired host invites. */
	if (p->claimed)
		return -EACCES;
	if (pawlink_policy_is_locked(p))
		return -EPERM;
	if (p->n_hosts >= PAWLINK_POLICY_MAX_HOSTS)
		return -ENOSPC;
	p->window_open = true;
	p->window_opened_ms = now;
	p->window_failures = 0;
	return 0;
}

static bool name_ok(const char *name)
{
	size_t i, n = strnlen(name, PAWLINK_POLICY_NAME_LEN + 1);

	if (n > PAWLINK_POLICY_NAME_LEN)
		return false;
	for (i = 0; i < n; i++)
		if (name[i] < 0x20 || name[i] > 0x7e)
			return false;
	return true;
}

int pawlink_policy_invite(struct pawlink_pair_policy *p, uint64_t now,
			  const char *code, const char *name)
{
	size_t i;

	expire(p, now);
	if (!code || strnlen(code, PAWLINK_POLICY_CODE_DIGITS + 1) !=
			     PAWLINK_POLICY_CODE_DIGITS || !name ||
	    !name_ok(name))
		return -EINVAL;
	for (i = 0; i < PAWLINK_POLICY_CODE_DIGITS; i++)
		if (code[i] < '0' || code[i] > '9')
			return -EINVAL;
	if (p->n_hosts >= PAWLINK_POLICY_MAX_HOSTS)
		return -ENOSPC;
	/* A new invite supersedes whatever ran under the old window. */
	if (p->attempt_active)
		end_attempt_failed(p);
	close_window(p);
	p->window_open = true;
	p->window_opened_ms = now;
	p->invite = true;
	memcpy(p->invite_code, code, PAWLINK_POLICY_CODE_DIGITS + 1);
	snprintf(p->invite_name, sizeof(p->invite_name), "%s", name);
	return 0;
}

const char *pawlink_policy_window_code(const struct pawlink_pair_policy *p)
{
	return p->window_open && p->invite ? p->invite_code : NULL;
}

bool pawlink_policy_window_is_open(struct pawlink_pair_policy *p,
				   uint64_t now)
{
	expire(p, now);
	return p->window_open && (p->invite || !pawlink_policy_is_locked(p));
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

bool pawlink_policy_attempt_from(const struct pawlink_pair_policy *p,
				 const uint8_t src[PAWLINK_ID_LEN])
{
	return p->attempt_active &&
	       memcmp(p->attempt_src, src, PAWLINK_ID_LEN) == 0;
}

enum pawlink_policy_verdict
pawlink_policy_begin(struct pawlink_pair_policy *p, uint64_t now,
		     const uint8_t src[PAWLINK_ID_LEN],
		     const uint8_t host_id[PAWLINK_ID_LEN], uint32_t *gen)
{
	expire(p, now);
	if (pawlink_is_zero(host_id, PAWLINK_ID_LEN))
		return PAWLINK_POLICY_INVALID;
	/* The lock guards the printed code; an invite has its own. */
	if (!(p->window_open && p->invite) && pawlink_policy_is_locked(p))
		return PAWLINK_POLICY_LOCKED;
	if (!p->window_open)
		return PAWLINK_POLICY_CLOSED;
	/* Its id is public: copying it must change nothing. */
	if (host_index(p, host_id) >= 0)
		return PAWLINK_POLICY_KNOWN;
	if (p->attempt_active) {
		if (memcmp(p->attempt_host, host_id, PAWLINK_ID_LEN) != 0 ||
		    !pawlink_policy_attempt_from(p, src))
			return PAWLINK_POLICY_BUSY;
		/* The same host starts over: its old attempt failed. */
		end_attempt_failed(p);
		if (!p->window_open)
			return PAWLINK_POLICY_CLOSED;
	}
	if (p->n_hosts >= PAWLINK_POLICY_MAX_HOSTS)
		return PAWLINK_POLICY_FULL;

	/* Charge first: refunded only by pawlink_policy_succeed(). */
	p->window_failures++;
	p->attempt_invite = p->invite;
	if (!p->attempt_invite)
		p->lifetime_failures++;
	p->attempt_active = true;
	memcpy(p->attempt_host, host_id, PAWLINK_ID_LEN);
	memcpy(p->attempt_src, src, PAWLINK_ID_LEN);
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
	/* A pinned key is never replaced: unpair or revoke first. */
	if (host_index(p, p->attempt_host) >= 0)
		return -EEXIST;
	if (p->n_hosts >= PAWLINK_POLICY_MAX_HOSTS)
		return -ENOSPC;
	i = (int)p->n_hosts++;
	memset(&p->hosts[i], 0, sizeof(p->hosts[i]));
	memcpy(p->hosts[i].id, p->attempt_host, PAWLINK_ID_LEN);
	memcpy(p->hosts[i].static_key, static_key, PAWLINK_PAIR_STATIC_LEN);
	p->hosts[i].paired_boot = p->boot;
	p->hosts[i].paired_ms = now - (now >= p->boot_ms ? p->boot_ms : now);
	if (p->attempt_invite)
		memcpy(p->hosts[i].name, p->invite_name, sizeof(p->invite_name));
	p->claimed = true;
	p->window_failures--;
	if (!p->attempt_invite)
		p->lifetime_failures--;
	p->attempt_active = false;
	p->attempt_invite = false;
	memset(p->attempt_host, 0, sizeof(p->attempt_host));
	memset(p->attempt_src, 0, sizeof(p->attempt_src));
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

void pawlink_policy_seen(struct pawlink_pair_policy *p,
			 const uint8_t host_id[PAWLINK_ID_LEN], uint64_t now)
{
	int i = host_index(p, host_id);

	if (i >= 0) {
		p->hosts[i].seen = true;
		p->hosts[i].seen_ms = now - (now >= p->boot_ms ? p->boot_ms : now);
	}
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
	out[6] = p->claimed ? PAWLINK_POLICY_FLAG_CLAIMED : 0;
	pawlink_store_le32(out + 8, p->lifetime_failures);
	for (i = 0; i < p->n_hosts; i++) {
		memcpy(rec + REC_ID, p->hosts[i].id, PAWLINK_ID_LEN);
		memcpy(rec + REC_KEY, p->hosts[i].static_key,
		       PAWLINK_PAIR_STATIC_LEN);
		pawlink_store_le32(rec + REC_BOOT, p->hosts[i].paired_boot);
		pawlink_store_le64(rec + REC_MS, p->hosts[i].paired_ms);
		memcpy(rec + REC_NAME, p->hosts[i].name,
		       strnlen(p->hosts[i].name, PAWLINK_POLICY_NAME_LEN));
		rec += PAWLINK_POLICY_HOST_RECORD_LEN;
	}
}

/* A saved name: printable, then zero padding only. */
static int load_name(char out[PAWLINK_POLICY_NAME_LEN + 1], const uint8_t *in)
{
	size_t n = 0;

	while (n < PAWLINK_POLICY_NAME_LEN && in[n])
		n++;
	if (!pawlink_is_zero(in + n, PAWLINK_POLICY_NAME_LEN - n))
		return -EINVAL;
	memcpy(out, in, n);
	out[n] = '\0';
	return name_ok(out) ? 0 : -EINVAL;
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
	    in[5] > PAWLINK_POLICY_MAX_HOSTS ||
	    (in[6] & ~PAWLINK_POLICY_FLAG_CLAIMED) || in[7] ||
	    !pawlink_is_zero(in + 12, 4))
		return -EINVAL;
	pawlink_policy_init(&tmp);
	tmp.lifetime_failures = pawlink_load_le32(in + 8);
	if (tmp.lifetime_failures > PAWLINK_POLICY_LIFETIME_FAILURES)
		return -EINVAL;
	tmp.n_hosts = in[5];
	tmp.claimed = in[6] & PAWLINK_POLICY_FLAG_CLAIMED;
	/* A paired host claimed the toy; only a reset unclaims it. */
	if (tmp.n_hosts && !tmp.claimed)
		return -EINVAL;
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
			if (!pawlink_is_zero(rec + REC_RESERVED, 4) ||
			    load_name(tmp.hosts[i].name, rec + REC_NAME))
				return -EINVAL;
			memcpy(tmp.hosts[i].id, rec + REC_ID, PAWLINK_ID_LEN);
			memcpy(tmp.hosts[i].static_key, rec + REC_KEY,
			       PAWLINK_PAIR_STATIC_LEN);
			tmp.hosts[i].paired_boot = pawlink_load_le32(rec + REC_BOOT);
			tmp.hosts[i].paired_ms = pawlink_load_le64(rec + REC_MS);
		}
		rec += PAWLINK_POLICY_HOST_RECORD_LEN;
	}
	*p = tmp;
	return 0;
}

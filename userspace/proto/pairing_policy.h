/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The toy's pairing policy: when a pairing may run, how many may fail, and
 * which hosts are paired.  Pure logic: every call takes the current time
 * from the caller (milliseconds of a monotonic clock), so tests control
 * time and the toy firmware passes its own clock.
 *
 *  - The window opens only by pawlink_policy_press_button() (the toy's
 *    physical button), lasts PAWLINK_POLICY_WINDOW_MS and closes after a
 *    successful pairing or PAWLINK_POLICY_WINDOW_FAILURES failures.
 *  - Every pairing attempt is charged as a failure when it starts, before
 *    the toy sends anything that depends on the setup code, and refunded
 *    only when it succeeds.  A peer that learns the answer and walks away
 *    has therefore spent an attempt.
 *  - PAWLINK_POLICY_LIFETIME_FAILURES failures over the toy's life lock
 *    pairing until a factory reset.
 *  - One attempt runs at a time; a stale one ends (as a failure) after
 *    PAWLINK_POLICY_ATTEMPT_TIMEOUT_MS.
 *  - At most PAWLINK_POLICY_MAX_HOSTS hosts are paired.
 *
 * The lifetime counter and the host table persist (pawlink_policy_save());
 * the window and an attempt in progress do not, so a reboot closes the
 * window.  Callers persist after every call that changes persisted state;
 * the functions that do say so.
 *
 * Not thread-safe: the toy serialises calls (one radio, one event loop).
 */
#ifndef PAWLINK_PAIRING_POLICY_H
#define PAWLINK_PAIRING_POLICY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <pawlink/pairing.h>

#define PAWLINK_POLICY_WINDOW_MS		(10u * 60u * 1000u)
#define PAWLINK_POLICY_WINDOW_FAILURES		20u
#define PAWLINK_POLICY_LIFETIME_FAILURES	100u
#define PAWLINK_POLICY_ATTEMPT_TIMEOUT_MS	(30u * 1000u)
#define PAWLINK_POLICY_MAX_HOSTS		8u

/* Serialised size, Documentation/pairing.rst "Policy state". */
#define PAWLINK_POLICY_STATE_MAGIC		"PWPL"
#define PAWLINK_POLICY_STATE_VERSION		1
#define PAWLINK_POLICY_HOST_RECORD_LEN \
	(PAWLINK_ID_LEN + PAWLINK_PAIR_STATIC_LEN)
#define PAWLINK_POLICY_STATE_LEN \
	(16 + PAWLINK_POLICY_MAX_HOSTS * PAWLINK_POLICY_HOST_RECORD_LEN)

struct pawlink_paired_host {
	uint8_t id[PAWLINK_ID_LEN];
	uint8_t static_key[PAWLINK_PAIR_STATIC_LEN];	/* pinned X25519 */
};

struct pawlink_pair_policy {
	/* Persisted. */
	uint32_t lifetime_failures;
	unsigned int n_hosts;
	struct pawlink_paired_host hosts[PAWLINK_POLICY_MAX_HOSTS];

	/* Volatile. */
	bool window_open;
	uint64_t window_opened_ms;
	uint32_t window_failures;
	bool attempt_active;
	uint8_t attempt_host[PAWLINK_ID_LEN];
	uint64_t attempt_started_ms;
	uint32_t attempt_gen;	/* names the attempt in progress */
};

enum pawlink_policy_verdict {
	PAWLINK_POLICY_ALLOW,	/* attempt started and charged: persist */
	PAWLINK_POLICY_BUSY,	/* another host's attempt is in progress */
	PAWLINK_POLICY_CLOSED,	/* no window open */
	PAWLINK_POLICY_LOCKED,	/* lifetime limit reached: factory reset */
	PAWLINK_POLICY_FULL,	/* new host, but the table is full */
	PAWLINK_POLICY_INVALID,	/* host id 0, which means "no host" */
};

/* A new toy: no hosts, no failures, window closed. */
void pawlink_policy_init(struct pawlink_pair_policy *p);

/*
 * The physical button.  Opens (or reopens, restarting the 10 minutes and
 * the window's failure count) the window.  -EPERM when locked, -ENOSPC
 * when PAWLINK_POLICY_MAX_HOSTS hosts are paired (unpair one first).
 */
int pawlink_policy_press_button(struct pawlink_pair_policy *p, uint64_t now);

bool pawlink_policy_window_is_open(struct pawlink_pair_policy *p,
				   uint64_t now);
bool pawlink_policy_is_locked(const struct pawlink_pair_policy *p);

/*
 * A HELLO from @host_id arrived.  On PAWLINK_POLICY_ALLOW the attempt is
 * charged (persist now, before answering) and *@gen names it.  A HELLO from
 * the host whose attempt is in progress replaces that attempt, which stays
 * counted as failed.
 */
enum pawlink_policy_verdict
pawlink_policy_begin(struct pawlink_pair_policy *p, uint64_t now,
		     const uint8_t host_id[PAWLINK_ID_LEN], uint32_t *gen);

/* True while attempt @gen is in progress and not stale. */
bool pawlink_policy_attempt_is_current(struct pawlink_pair_policy *p,
				       uint64_t now, uint32_t gen);

/*
 * Attempt @gen succeeded: refund its charge, pin @static_key for its host
 * (replacing an earlier pin for the same host id) and close the window.
 * Persist afterwards.  -ESTALE if @gen is not current, -ENOSPC if full.
 */
int pawlink_policy_succeed(struct pawlink_pair_policy *p, uint64_t now,
			   uint32_t gen,
			   const uint8_t static_key[PAWLINK_PAIR_STATIC_LEN]);

/*
 * Attempt @gen failed; its charge stays.  Closes the window at the
 * window's failure limit.  No-op when @gen is not current.
 */
/*
 * Undoes pawlink_policy_succeed()'s refund, when the state it produced
 * could not be saved: the attempt stays charged, as the flash says.
 */
void pawlink_policy_charge_back(struct pawlink_pair_policy *p);

void pawlink_policy_fail(struct pawlink_pair_policy *p, uint64_t now,
			 uint32_t gen);

/* The pinned host, or NULL. */
const struct pawlink_paired_host *
pawlink_policy_find_host(const struct pawlink_pair_policy *p,
			 const uint8_t host_id[PAWLINK_ID_LEN]);

/* Forgets a host; persist afterwards.  -ENOENT if it is not paired. */
int pawlink_policy_unpair(struct pawlink_pair_policy *p,
			  const uint8_t host_id[PAWLINK_ID_LEN]);

/* Back to a new toy: hosts, counters and lock-out all cleared. */
void pawlink_policy_factory_reset(struct pawlink_pair_policy *p);

/* Serialises the persisted part into @out (PAWLINK_POLICY_STATE_LEN). */
void pawlink_policy_save(const struct pawlink_pair_policy *p,
			 uint8_t out[PAWLINK_POLICY_STATE_LEN]);

/*
 * Loads saved state; the window starts closed.  Strict: exact length,
 * magic, version, zero reserved bytes, at most 8 hosts, unused records
 * zero, no host id 0, no duplicate host, a counter not above the limit.  -EINVAL leaves
 * @p untouched.
 */
int pawlink_policy_load(struct pawlink_pair_policy *p, const uint8_t *in,
			size_t len);

#endif /* PAWLINK_PAIRING_POLICY_H */

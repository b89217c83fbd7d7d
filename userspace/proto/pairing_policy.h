/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The toy's pairing policy: when a pairing may run, how many may fail, and
 * which hosts are paired.  Pure logic: every call takes the current time
 * from the caller (milliseconds of a monotonic clock), so tests control
 * time and the toy firmware passes its own clock.
 *
 *  - Claiming: until the first host pairs, the window opens by
 *    pawlink_policy_press_button() (the toy's physical button) and takes
 *    the printed setup code.  Once a host has paired the toy is claimed:
 *    the button no longer opens the window and the printed code is dead
 *    until a factory reset (HomeKit's "pair-setup disabled once paired").
 *  - Invites: a paired host opens the window with
 *    pawlink_policy_invite(), which takes a fresh one-time code (Matter's
 *    commissioning window).  The invite lasts PAWLINK_POLICY_WINDOW_MS,
 *    pairs one host, and dies with the window.
 *  - The window closes after a successful pairing or
 *    PAWLINK_POLICY_WINDOW_FAILURES failures.
 *  - Every pairing attempt is charged as a failure when it starts, before
 *    the toy sends anything that depends on the code, and refunded only
 *    when it succeeds.  A peer that learns the answer and walks away has
 *    therefore spent an attempt.
 *  - The lifetime counter counts only attempts on the printed code, the
 *    one code that lives long enough to be guessed over many windows:
 *    PAWLINK_POLICY_LIFETIME_FAILURES of them lock the button until a
 *    factory reset.  Since only the button opens a window for the printed
 *    code, and only on an unclaimed toy, nobody can reach the lock
 *    without the owner's presses; an invite's code lives one window, so
 *    its failures are bounded by that window alone.
 *  - A HELLO naming a host that is already paired is refused without a
 *    charge: a re-pair never replaces a pinned key (unpair or revoke
 *    first), and a stranger copying a paired host's id (it travels in
 *    clear) changes nothing.
 *  - One attempt runs at a time; a stale one ends (as a failure) after
 *    PAWLINK_POLICY_ATTEMPT_TIMEOUT_MS.  The attempt belongs to the radio
 *    its HELLO came from: a HELLO with the same host id from another radio
 *    is BUSY, and only its own radio may restart it.
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
#define PAWLINK_POLICY_CODE_DIGITS		8

/* Serialised size, Documentation/pairing.rst "Policy state". */
#define PAWLINK_POLICY_STATE_MAGIC		"PWPL"
#define PAWLINK_POLICY_STATE_VERSION		2
#define PAWLINK_POLICY_FLAG_CLAIMED		0x01
/* id, static key, paired boot, reserved, paired ms, name. */
#define PAWLINK_POLICY_HOST_RECORD_LEN \
	(PAWLINK_ID_LEN + PAWLINK_PAIR_STATIC_LEN + 4 + 4 + 8 + \
	 PAWLINK_POLICY_NAME_LEN)
#define PAWLINK_POLICY_NAME_LEN			16
#define PAWLINK_POLICY_STATE_LEN \
	(16 + PAWLINK_POLICY_MAX_HOSTS * PAWLINK_POLICY_HOST_RECORD_LEN)

struct pawlink_paired_host {
	uint8_t id[PAWLINK_ID_LEN];
	uint8_t static_key[PAWLINK_PAIR_STATIC_LEN];	/* pinned X25519 */
	uint32_t paired_boot;		/* the toy's boot then, and */
	uint64_t paired_ms;		/* the time since that boot */
	char name[PAWLINK_POLICY_NAME_LEN + 1];	/* from the invite */
	/* Volatile: not saved, so a session start costs no flash write. */
	bool seen;
	uint64_t seen_ms;		/* since this boot */
};

struct pawlink_pair_policy {
	/* Persisted. */
	uint32_t lifetime_failures;	/* printed-code attempts only */
	bool claimed;			/* a host paired since manufacture */
	unsigned int n_hosts;
	struct pawlink_paired_host hosts[PAWLINK_POLICY_MAX_HOSTS];

	/* Set by the toy at boot: stamps are since this boot began. */
	uint32_t boot;
	uint64_t boot_ms;		/* the policy's clock at boot */

	/* Volatile. */
	bool window_open;
	uint64_t window_opened_ms;
	uint32_t window_failures;
	bool attempt_active;
	uint8_t attempt_host[PAWLINK_ID_LEN];
	uint8_t attempt_src[PAWLINK_ID_LEN];	/* the radio it came from */
	bool attempt_invite;		/* on the invite's code */
	uint64_t attempt_started_ms;
	uint32_t attempt_gen;	/* names the attempt in progress */
	/* The window an invite opened: its one-time code, its host's name. */
	bool invite;
	char invite_code[PAWLINK_POLICY_CODE_DIGITS + 1];
	char invite_name[PAWLINK_POLICY_NAME_LEN + 1];
};

enum pawlink_policy_verdict {
	PAWLINK_POLICY_ALLOW,	/* attempt started and charged: persist */
	PAWLINK_POLICY_BUSY,	/* another host's attempt is in progress */
	PAWLINK_POLICY_CLOSED,	/* no window open */
	PAWLINK_POLICY_LOCKED,	/* lifetime limit reached: factory reset */
	PAWLINK_POLICY_FULL,	/* new host, but the table is full */
	PAWLINK_POLICY_INVALID,	/* host id 0, which means "no host" */
	PAWLINK_POLICY_KNOWN,	/* that host is paired already */
};

/* A new toy: no hosts, no failures, window closed. */
void pawlink_policy_init(struct pawlink_pair_policy *p);

/*
 * The physical button.  Opens (or reopens, restarting the 10 minutes and
 * the window's failure count) the window for the printed code.  -EACCES
 * once claimed (a paired host invites instead), -EPERM when locked,
 * -ENOSPC when PAWLINK_POLICY_MAX_HOSTS hosts are paired.
 */
int pawlink_policy_press_button(struct pawlink_pair_policy *p, uint64_t now);

/*
 * A paired host's invite: opens (or reopens) the window for @code (8
 * ASCII digits, fresh from the caller's CSPRNG), naming the host that
 * pairs with it @name (at most PAWLINK_POLICY_NAME_LEN printable
 * characters).  Any earlier invite and any printed-code window end;
 * an attempt in progress fails.  -ENOSPC when full, -EINVAL bad
 * arguments.  Nothing persisted changes.
 */
int pawlink_policy_invite(struct pawlink_pair_policy *p, uint64_t now,
			  const char *code, const char *name);

/*
 * The code the window takes now: the invite's, or NULL for the printed
 * one.  Valid until the next call into the policy.
 */
const char *pawlink_policy_window_code(const struct pawlink_pair_policy *p);

bool pawlink_policy_window_is_open(struct pawlink_pair_policy *p,
				   uint64_t now);
bool pawlink_policy_is_locked(const struct pawlink_pair_policy *p);

/*
 * A HELLO from @host_id arrived from radio @src.  On PAWLINK_POLICY_ALLOW
 * the attempt is charged (persist now, before answering) and *@gen names
 * it.  A HELLO from the host whose attempt is in progress, and from its
 * radio, replaces that attempt, which stays counted as failed; from any
 * other radio it is BUSY.  A paired @host_id is KNOWN: nothing changes.
 */
enum pawlink_policy_verdict
pawlink_policy_begin(struct pawlink_pair_policy *p, uint64_t now,
		     const uint8_t src[PAWLINK_ID_LEN],
		     const uint8_t host_id[PAWLINK_ID_LEN], uint32_t *gen);

/* Whether @src is the radio the attempt in progress came from. */
bool pawlink_policy_attempt_from(const struct pawlink_pair_policy *p,
				 const uint8_t src[PAWLINK_ID_LEN]);

/* True while attempt @gen is in progress and not stale. */
bool pawlink_policy_attempt_is_current(struct pawlink_pair_policy *p,
				       uint64_t now, uint32_t gen);

/*
 * Attempt @gen succeeded: refund its charge, pin @static_key for its host,
 * stamp it (@boot, @now, the invite's name), mark the toy claimed and close
 * the window (an invite is used up).  Persist afterwards.  -ESTALE if
 * @gen is not current, -ENOSPC if full, -EEXIST if the host is paired
 * already (a pin is never replaced).
 */
int pawlink_policy_succeed(struct pawlink_pair_policy *p, uint64_t now,
			   uint32_t gen,
			   const uint8_t static_key[PAWLINK_PAIR_STATIC_LEN]);

/*
 * Attempt @gen failed; its charge stays.  Closes the window at the
 * window's failure limit.  No-op when @gen is not current.
 */
void pawlink_policy_fail(struct pawlink_pair_policy *p, uint64_t now,
			 uint32_t gen);

/* The pinned host, or NULL. */
const struct pawlink_paired_host *
pawlink_policy_find_host(const struct pawlink_pair_policy *p,
			 const uint8_t host_id[PAWLINK_ID_LEN]);

/* A paired host had a session at @now (volatile: no flash write). */
void pawlink_policy_seen(struct pawlink_pair_policy *p,
			 const uint8_t host_id[PAWLINK_ID_LEN], uint64_t now);

/* Forgets a host; persist afterwards.  -ENOENT if it is not paired. */
int pawlink_policy_unpair(struct pawlink_pair_policy *p,
			  const uint8_t host_id[PAWLINK_ID_LEN]);

/* Back to a new toy: hosts, counters, lock-out and claim all cleared. */
void pawlink_policy_factory_reset(struct pawlink_pair_policy *p);

/* Serialises the persisted part into @out (PAWLINK_POLICY_STATE_LEN). */
void pawlink_policy_save(const struct pawlink_pair_policy *p,
			 uint8_t out[PAWLINK_POLICY_STATE_LEN]);

/*
 * Loads saved state; the window starts closed.  Strict: exact length,
 * magic, version, known flags, zero reserved bytes, at most 8 hosts,
 * unused records zero, no host id 0, no duplicate host, names printable
 * and zero padded, a counter not above the limit, claimed whenever a host
 * is paired.  -EINVAL leaves @p untouched.
 */
int pawlink_policy_load(struct pawlink_pair_policy *p, const uint8_t *in,
			size_t len);

#endif /* PAWLINK_PAIRING_POLICY_H */

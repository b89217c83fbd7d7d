/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The pawlink session handshake (Documentation/session.rst): Noise KK with
 * the host as initiator and the toy as responder, one round trip, giving
 * the four record keys of struct pawlink_key_install on both sides.
 *
 * A full setup in one process (what tests and the benchmark do):
 *
 *	struct pawlink_session_host host;
 *	struct pawlink_session_result hr, tr;
 *	uint8_t init[PAWLINK_SESS_INIT_LEN], resp[PAWLINK_SESS_MSG_LEN];
 *	size_t init_len, resp_len;
 *
 *	pawlink_session_host_start(&host, host_priv, toy_pub, 0,
 *				   init, sizeof(init), &init_len);
 *	pawlink_session_toy_respond(toy_priv, pinned, n_pinned, 0,
 *				    init, init_len, resp, sizeof(resp),
 *				    &resp_len, &tr);
 *	pawlink_session_host_finish(&host, resp, resp_len, &hr);
 *	... hr.keys and tr.keys are equal; install, then wipe both ...
 *	pawlink_session_result_wipe(&hr);
 *	pawlink_session_result_wipe(&tr);
 *
 * Errors are negative errno values and say nothing secret:
 *   -EINVAL          caller bug (NULL key, finish without start, ...)
 *   -ENOSPC          output buffer too small (nothing was consumed)
 *   -EBADMSG         malformed message: length, type, reserved byte, epoch
 *   -EPROTONOSUPPORT session version other than PAWLINK_SESS_VERSION
 *   -ESTALE          toy: INIT epoch not above the toy's current epoch
 *   -EPERM           toy: mac1 wrong (the sender does not know the toy's
 *                    static key); no X25519 was done
 *   -EALREADY        toy: stamp not above the last one accepted from the
 *                    host that sent it (a replay); nothing to send
 *   -EKEYREJECTED    peer ephemeral is a low-order or invalid X25519 point
 *   -EACCES          authentication failed: unpaired/unknown host, wrong
 *                    toy key, changed prologue (downgrade), tampering,
 *                    replayed or reflected message
 *   -ECONNREFUSED    host: the toy sent REJECT (reason in rejected_reason)
 *   -EOVERFLOW       host: the epoch counter is exhausted (2^32 - 1)
 * Any error on the host side ends the handshake: the state is wiped and a
 * new pawlink_session_host_start() is needed.
 */
#ifndef PAWLINK_SESSION_H
#define PAWLINK_SESSION_H

#include <stddef.h>
#include <stdint.h>

#include <pawlink/session.h>

#include "noise.h"

#define PAWLINK_SESSION_KEY_LEN		NOISE_DH_LEN	/* X25519 keys */
_Static_assert(PAWLINK_SESSION_HASH_LEN == NOISE_HASH_LEN, "handshake hash");

/* What a completed handshake gives each side. */
struct pawlink_session_result {
	/*
	 * Ready for PAWLINK_IOC_SET_KEYS: version PAWLINK_KEYS_VERSION, the
	 * new epoch, PAWLINK_KEYS_REKEY when replacing keys.  Same keys on
	 * both sides; the toy uses h2t to open and t2h to seal.
	 */
	struct pawlink_key_install keys;
	/* Noise handshake hash: public, equal on both sides; for display. */
	uint8_t handshake_hash[PAWLINK_SESSION_HASH_LEN];
	/* Toy side: index of the pinned host key that matched. */
	size_t host_index;
	/* Toy side: the INIT's stamp, to keep as that host's newest. */
	uint64_t stamp;
};

/* Host (initiator) state between start and finish.  Wiped on every end. */
struct pawlink_session_host {
	struct noise_handshake hs;
	uint8_t init_hdr[PAWLINK_SESS_INIT_HDR_LEN];	/* INIT's header, stamp */
	uint32_t epoch;				/* epoch being set up */
	uint32_t flags;				/* PAWLINK_KEYS_* to install */
	/* After -ECONNREFUSED: the toy's PAWLINK_SESS_REJ_* (unauthenticated). */
	uint8_t rejected_reason;
};

/*
 * Host: begins a handshake with the toy whose static public key was pinned
 * at pairing.  @current_epoch is the epoch of the keys installed now (0 if
 * none); the new one is @current_epoch + 1.  @stamp must be above every
 * stamp this host sent this toy before (libpawlink: wall-clock
 * microseconds, never repeated).  Writes the INIT message
 * (PAWLINK_SESS_INIT_LEN bytes) to @msg.
 */
int pawlink_session_host_start_at(struct pawlink_session_host *host,
				  const uint8_t host_priv[PAWLINK_SESSION_KEY_LEN],
				  const uint8_t toy_pub[PAWLINK_SESSION_KEY_LEN],
				  uint32_t current_epoch, uint64_t stamp,
				  uint8_t *msg, size_t msg_cap,
				  size_t *msg_len);

/* The same with stamp 1: for a toy that does not check stamps (tests). */
int pawlink_session_host_start(struct pawlink_session_host *host,
			       const uint8_t host_priv[PAWLINK_SESSION_KEY_LEN],
			       const uint8_t toy_pub[PAWLINK_SESSION_KEY_LEN],
			       uint32_t current_epoch,
			       uint8_t *msg, size_t msg_cap, size_t *msg_len);

/* mac1's key for the toy whose static public key is @toy_pub. */
void pawlink_session_mac1_key(uint8_t key[PAWLINK_SESS_MAC1_KEY_LEN],
			      const uint8_t toy_pub[PAWLINK_SESSION_KEY_LEN]);

/*
 * Host: takes the toy's answer (RESP or REJECT) and, on success, fills
 * @res.  The host state is wiped whatever the outcome.
 */
int pawlink_session_host_finish(struct pawlink_session_host *host,
				const uint8_t *msg, size_t msg_len,
				struct pawlink_session_result *res);

/* Host: gives up a started handshake. */
void pawlink_session_host_abort(struct pawlink_session_host *host);

/* What the toy answers INITs with. */
struct pawlink_session_toy_keys {
	const uint8_t *toy_priv;	/* X25519, PAWLINK_SESSION_KEY_LEN */
	const uint8_t *mac1_key;	/* pawlink_session_mac1_key() */
	const uint8_t (*host_pubs)[PAWLINK_SESSION_KEY_LEN];
	/* The last stamp accepted from each host; NULL: not checked. */
	const uint64_t *host_stamps;
	size_t n_hosts;
	/*
	 * Hosts removed lately (tombstones): their static keys and last
	 * accepted stamps.  With @gone_pubs set (even for none), an INIT no
	 * pinned key opens gets a REJECT(AUTH) only from one of these and
	 * only with a newer stamp (-EACCES); an older one is a replay
	 * (-EALREADY), and one nobody's key opens gets nothing (-EACCES, no
	 * answer).  NULL: every such INIT gets a REJECT(AUTH).
	 */
	const uint8_t (*gone_pubs)[PAWLINK_SESSION_KEY_LEN];
	const uint64_t *gone_stamps;
	size_t n_gone;
};

/*
 * Toy: answers an INIT.  In this order: the header (a REJECT for a bad
 * one), mac1 (-EPERM and a REJECT(AUTH), before any X25519), the epoch,
 * Noise against every pinned key, then the stamp against the matching
 * host's (-EALREADY, nothing to send); with no pinned key matching, the
 * tombstones as @k says.  As pawlink_session_toy_respond()
 * otherwise; res->stamp is the stamp to keep on success.
 */
int pawlink_session_toy_answer(const struct pawlink_session_toy_keys *k,
			       uint32_t current_epoch,
			       const uint8_t *msg, size_t msg_len,
			       uint8_t *out, size_t out_cap, size_t *out_len,
			       struct pawlink_session_result *res);

/*
 * Toy: answers an INIT, no stamps checked (tests, benchmarks; it derives
 * the toy's public key, one more X25519).  @host_pubs are the static public keys of the
 * @n_hosts paired hosts (pinned at pairing); the INIT does not name its
 * sender, so every key is tried (the same work whichever one matches).
 * @current_epoch is the epoch of the toy's installed keys (0 if none).
 *
 * On success writes RESP to @out, fills @res and returns 0.  On failure
 * returns the error and, where the sender deserves an answer, writes a
 * REJECT to @out; *@out_len is 0 when there is nothing to send (a message
 * that is not a session INIT at all, or no room in @out).
 */
int pawlink_session_toy_respond(const uint8_t toy_priv[PAWLINK_SESSION_KEY_LEN],
				const uint8_t (*host_pubs)[PAWLINK_SESSION_KEY_LEN],
				size_t n_hosts, uint32_t current_epoch,
				const uint8_t *msg, size_t msg_len,
				uint8_t *out, size_t out_cap, size_t *out_len,
				struct pawlink_session_result *res);

/* Zeroes the keys in @res once they are installed. */
void pawlink_session_result_wipe(struct pawlink_session_result *res);

/*
 * The record keys for a handshake outcome (exposed for the test vectors
 * in Documentation/session.rst): @k_h2t and @k_t2h are Noise's split
 * keys (initiator's sending key first), @hash the handshake hash.
 */
void pawlink_session_derive_keys(struct pawlink_key_install *keys,
				 const uint8_t k_h2t[NOISE_KEY_LEN],
				 const uint8_t k_t2h[NOISE_KEY_LEN],
				 const uint8_t hash[NOISE_HASH_LEN],
				 uint32_t epoch, uint32_t flags);

#endif /* PAWLINK_SESSION_H */

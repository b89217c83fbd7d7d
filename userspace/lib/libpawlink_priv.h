/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Inside the façade (libpawlink.h): the context, and what its files share.
 *
 * From the top down; each calls only those below it:
 *
 *   libpawlink.c          the context: open, attach, close, scan
 *   libpawlink_dongle.c   the dongle path: listing, attaching, kept sessions
 *   libpawlink_session.c  sessions (session.h), unpair, forget
 *   libpawlink_pair.c     pairing (pairing.h over the transport)
 *   libpawlink_msg.c      voice messages (msg_host.h) and audio
 *   libpawlink_toy.c      the toy's commands, one request at a time
 *   libpawlink_store.c    the key store: toys, names, host identity
 *   libpawlink_rx.c       the one receive path, by message type
 *   libpawlink_text.c     the error sentence, the checks that set it,
 *                         ids and numbers as text
 *
 * Time inside the library is microseconds on the transport's clock
 * (now_us()); only the receive path turns it into the millisecond
 * timeout the transport's recv() takes, as poll(2) does.
 */
#ifndef LIBPAWLINK_PRIV_H
#define LIBPAWLINK_PRIV_H

#include <limits.h>
#include <stdbool.h>
#include <stdint.h>

#include "keystore.h"
#include "libpawlink.h"
#include "msg_host.h"
#include "toy_cmd.h"
#include "transport.h"

_Static_assert(PAWLINK_KEYSTORE_ERR_LEN < PAWLINK_ERR_MAX,
	       "a key store error fits the façade's sentence");

/* A request is sent again after this, doubling up to the maximum. */
#define PAWLINK_REQ_TIMEOUT_US		250000ULL
#define PAWLINK_REQ_TIMEOUT_MAX_US	2000000ULL
#define PAWLINK_REQ_TRIES		8
/* BYE and UNPAIR end the session: a lost answer cannot be asked for
 * again, so fewer tries. */
#define PAWLINK_END_TRIES		3

struct pawlink {
	/* The key store, opened when first needed (libpawlink_store.c). */
	char store_dir[PATH_MAX];	/* "": the default */
	bool store_open;
	struct pawlink_keystore ks;
	bool have_host;
	struct pawlink_host_identity host;	/* secret key inside */

	/* How toys are reached; NULL until one is attached. */
	struct pawlink_transport *t;
	bool own_transport;

	bool session;
	uint8_t toy_id[PAWLINK_ID_LEN];
	uint8_t hash[PAWLINK_SESSION_HASH_LEN];
	uint16_t next_tag;			/* toy commands */
	struct pawlink_msg_host *msg;		/* one per session */
	uint64_t last_stamp;			/* the last INIT's stamp */

	/* pawlink_set_progress(): told how a transfer grows. */
	pawlink_progress_fn progress;
	void *progress_ctx;
	uint64_t progress_told;			/* last @done it was given */

	char err[PAWLINK_ERR_MAX];
};

/* Sets the error sentence and returns @rc (negative). */
int pawlink_fail(struct pawlink *p, int rc, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* -ENOTCONN with a sentence when no session is open. */
int pawlink_need_session(struct pawlink *p);
/* -ENOTCONN with a sentence when no transport is attached. */
int pawlink_need_transport(struct pawlink *p);

/*
 * Opens the key store.  With @create false a store that does not exist
 * yet is -ENOENT with no sentence (nothing is paired), so that looking
 * never creates it.  0, or a negative error with the sentence.
 */
int pawlink_need_store(struct pawlink *p, bool create);
/* Loads this host's identity, making it (and the store) on first use. */
int pawlink_need_host(struct pawlink *p);
/*
 * The paired toy a beacon id belongs to: its identity id, or a private id
 * its resolving key resolves (beacon_id.h).  0 with *@toy, or -ENOENT.
 */
int pawlink_store_resolve(struct pawlink *p, const uint8_t id[PAWLINK_ID_LEN],
			  struct pawlink_toy_record *toy);
/*
 * Where @toy is on the air now: listens to beacons for the one it sends
 * (its identity id while its window is open, else a private id it
 * rotates).  0, or -EHOSTUNREACH with @addr its identity id.
 */
int pawlink_toy_address(struct pawlink *p,
			const struct pawlink_toy_record *toy,
			uint8_t addr[PAWLINK_ID_LEN]);

/* ---- libpawlink_rx.c ---------------------------------------------------- */

/* The classes of control frames, by their first byte. */
#define PAWLINK_RX_PAIR		0x1	/* 0x10-0x1f, pawlink/pairing.h */
#define PAWLINK_RX_SESSION	0x2	/* 0x20-0x2f, pawlink/session.h */
#define PAWLINK_RX_MSG		0x4	/* 0x40-0x5f, pawlink/msg.h */
#define PAWLINK_RX_TOY		0x8	/* 0x60-0x7f, pawlink/toy.h */

/*
 * The façade's one receive path.  Waits until @deadline_us (0: only what
 * is already there) for a frame of a class in @want and copies it into
 * @buf (PAWLINK_FRAME_MAX bytes).  Whatever else comes is dispatched on
 * the way: message-protocol frames go to the session's message client
 * (and count as wanted if @want has PAWLINK_RX_MSG), the rest belongs to
 * no running exchange and is dropped.  0, -ETIMEDOUT, or the transport's
 * error (no sentence: the caller knows what it was doing).
 */
int pawlink_receive(struct pawlink *p, uint64_t deadline_us,
		    unsigned int want, uint8_t *buf, size_t *len);
/* The transport's clock, µs. */
uint64_t pawlink_now_us(struct pawlink *p);
/* Sends one control frame; the sentence on failure. */
int pawlink_send(struct pawlink *p, const uint8_t *buf, size_t len);
/*
 * A transport's error in words for the user: what the dongle path's
 * errors mean (gone, toy lost, busy, no sealing yet), else strerror().
 */
const char *pawlink_link_error(int rc);

/* ---- libpawlink_toy.c, libpawlink_session.c ----------------------------- */

/*
 * Sends toy command @req (its tag is set here) and waits for the answer,
 * resending on timeout up to @tries times.  0 with *@resp filled (its
 * status may still be an error), -ETIMEDOUT, or the transport's error.
 */
int pawlink_toy_request(struct pawlink *p, struct pawlink_toy_frame *req,
			struct pawlink_toy_frame *resp, unsigned int tries);
/* Forgets the session here only; the transport keeps what it has. */
void pawlink_session_forget(struct pawlink *p);
/* Ends the session locally: keys wiped in the transport, state freed. */
void pawlink_session_drop(struct pawlink *p);

#endif /* LIBPAWLINK_PRIV_H */

/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Inside the façade (libpawlink.h): the context, and what its three files
 * share.  libpawlink.c holds the context, pairing and sessions;
 * libpawlink_toy.c the toy's commands and the request engine;
 * libpawlink_msg.c the voice messages.
 */
#ifndef LIBPAWLINK_PRIV_H
#define LIBPAWLINK_PRIV_H

#include "libpawlink.h"
#include "msg_host.h"

/* A request is sent again after this, doubling up to the maximum. */
#define PAWLINK_REQ_TIMEOUT_MS		250
#define PAWLINK_REQ_TIMEOUT_MAX_MS	2000
#define PAWLINK_REQ_TRIES		8
/* BYE and UNPAIR end the session: a lost answer cannot be asked for
 * again, so fewer tries. */
#define PAWLINK_END_TRIES		3

struct pawlink {
	struct pawlink_transport *t;
	struct pawlink_keystore ks;
	struct pawlink_host_identity host;	/* secret key inside */

	bool session;
	uint8_t toy_id[PAWLINK_ID_LEN];
	uint8_t hash[PAWLINK_SESSION_HASH_LEN];
	uint16_t next_tag;			/* toy commands */
	struct pawlink_msg_host *msg;		/* one per session */

	char err[PAWLINK_ERR_MAX];
};

/* Sets the error sentence and returns @rc (negative). */
int pawlink_fail(struct pawlink *p, int rc, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* -ENOTCONN with a sentence when no session is open. */
int pawlink_need_session(struct pawlink *p);

/*
 * Sends toy command @req (its tag is set here) and waits for the answer,
 * resending on timeout up to @tries times.  0 with *@resp filled (its
 * status may still be an error), -ETIMEDOUT, or the transport's error.
 */
int pawlink_toy_request(struct pawlink *p, struct pawlink_toy_frame *req,
			struct pawlink_toy_frame *resp, unsigned int tries);

/* Ends the session locally: keys wiped in the transport, state freed. */
void pawlink_session_drop(struct pawlink *p);

#endif /* LIBPAWLINK_PRIV_H */

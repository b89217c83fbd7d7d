/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The pairing protocol (Documentation/pairing.rst): message codecs and the
 * host-side and toy-side state machines.
 *
 * The state machines do no I/O.  Each call consumes one received message
 * (the body of a PAWLINK_CH_PLAIN record) and may produce one message to
 * send, so pawctl, pawsim and the tests drive them over any transport.
 * @out must hold PAWLINK_PAIR_MSG_MAX bytes.
 *
 * Host:  start -> HELLO; RESPONSE -> CONFIRM; DONE -> PAWLINK_PAIR_COMPLETE.
 * Toy:   HELLO -> RESPONSE; CONFIRM -> DONE and PAWLINK_PAIR_COMPLETE.
 *
 * Secrets (setup code, CPace scalar, ISK and every derived key) stay in
 * these structs and are wiped when the run ends, whatever the outcome.
 * Not thread-safe: one caller drives one state machine.
 */
#ifndef PAWLINK_PAIRING_H
#define PAWLINK_PAIRING_H

#include <stddef.h>
#include <stdint.h>

#include <pawlink/pairing.h>

#include "cpace.h"
#include "pairing_policy.h"
#include "setup_code.h"

/* Keys derived from ISK, each 32 bytes (HKDF-Expand-SHA-512 labels). */
#define PAWLINK_PAIR_KEY_LEN		32
#define PAWLINK_PAIR_LABEL_TOY_MAC	"pawlink pair v1 toy confirm"
#define PAWLINK_PAIR_LABEL_HOST_MAC	"pawlink pair v1 host confirm"
#define PAWLINK_PAIR_LABEL_TOY_SEAL	"pawlink pair v1 toy static"
#define PAWLINK_PAIR_LABEL_HOST_SEAL	"pawlink pair v1 host static"
#define PAWLINK_PAIR_LABEL_DONE		"pawlink pair v1 done"
/* CI = lv_cat(PAWLINK_PAIR_CI_LABEL, version, host id, toy id). */
#define PAWLINK_PAIR_CI_LABEL		"PawlinkPair"
/* hello || the first PAWLINK_PAIR_RESPONSE_AD_LEN bytes of response. */
#define PAWLINK_PAIR_RESPONSE_AD_LEN \
	(PAWLINK_PAIR_HDR_LEN + PAWLINK_PAIR_SHARE_LEN)
#define PAWLINK_PAIR_TRANSCRIPT_LEN \
	(PAWLINK_PAIR_HELLO_LEN + PAWLINK_PAIR_RESPONSE_AD_LEN)

enum pawlink_pair_result {
	PAWLINK_PAIR_SEND,	/* send @out, then feed the reply */
	PAWLINK_PAIR_COMPLETE,	/* paired; toy: also send @out (DONE) */
	PAWLINK_PAIR_FAILED,	/* authentication failed or peer said so */
	PAWLINK_PAIR_BUSY,	/* toy is pairing with another host */
	PAWLINK_PAIR_CLOSED,	/* toy only: window closed, locked or full */
	PAWLINK_PAIR_PROTOCOL,	/* malformed, unexpected, wrong version,
				 * invalid point: aborted */
	PAWLINK_PAIR_ERROR,	/* local: bad arguments, state, persist */
};

/* Short English text for a result; never contains a secret. */
const char *pawlink_pair_result_str(enum pawlink_pair_result r);

/* ---- codecs ---- */

/* The type byte of a pairing message, or -EBADMSG if there is none. */
int pawlink_pair_msg_type(const uint8_t *msg, size_t len);

/*
 * Strict parsers.  0, -EBADMSG (wrong length or type, non-zero reserved)
 * or -EPROTONOSUPPORT (another protocol version: a downgrade).
 */
int pawlink_pair_parse_hello(struct pawlink_pair_hello *out,
			     const uint8_t *msg, size_t len);
int pawlink_pair_parse_response(struct pawlink_pair_response *out,
				const uint8_t *msg, size_t len);
int pawlink_pair_parse_confirm(struct pawlink_pair_confirm *out,
			       const uint8_t *msg, size_t len);
int pawlink_pair_parse_done(struct pawlink_pair_done *out,
			    const uint8_t *msg, size_t len);
/* FAIL or BUSY: returns the type, or a negative error as above. */
int pawlink_pair_parse_status(const uint8_t *msg, size_t len);

/* Encoders: write the header and return the message length. */
size_t pawlink_pair_encode_status(uint8_t *out, uint8_t type);

/* ---- the two parties ---- */

/* What a completed pairing pins: the peer's id and static key. */
struct pawlink_pair_peer {
	uint8_t id[PAWLINK_ID_LEN];
	uint8_t static_key[PAWLINK_PAIR_STATIC_LEN];
};

struct pawlink_pair_host_params {
	uint8_t host_id[PAWLINK_ID_LEN];
	uint8_t host_static[PAWLINK_PAIR_STATIC_LEN];	/* public key */
	uint8_t toy_id[PAWLINK_ID_LEN];			/* from its beacon */
	struct pawlink_setup_code code;			/* as typed */
};

struct pawlink_pair_host {
	int state;
	struct pawlink_pair_host_params p;
	struct pawlink_cpace cpace;
	uint8_t transcript[PAWLINK_PAIR_TRANSCRIPT_LEN];
	uint8_t k_done[PAWLINK_PAIR_KEY_LEN];
	struct pawlink_pair_peer toy;
};

/*
 * Starts pairing: copies @params (the caller may wipe its copy of the
 * code) and writes HELLO to @out.  PAWLINK_PAIR_SEND or _ERROR.
 */
enum pawlink_pair_result
pawlink_pair_host_start(struct pawlink_pair_host *h,
			const struct pawlink_pair_host_params *params,
			uint8_t *out, size_t *out_len);

/*
 * Feeds the toy's reply.  PAWLINK_PAIR_SEND (CONFIRM in @out),
 * _COMPLETE (read pawlink_pair_host_peer()), or a failure; after a
 * failure @out may hold a FAIL to send so the toy frees its slot early.
 */
enum pawlink_pair_result
pawlink_pair_host_receive(struct pawlink_pair_host *h, const uint8_t *msg,
			  size_t len, uint8_t *out, size_t *out_len);

/* The toy to pin; only after PAWLINK_PAIR_COMPLETE, else -EINVAL. */
int pawlink_pair_host_peer(const struct pawlink_pair_host *h,
			   struct pawlink_pair_peer *toy);

void pawlink_pair_host_wipe(struct pawlink_pair_host *h);

struct pawlink_pair_toy_params {
	uint8_t toy_id[PAWLINK_ID_LEN];
	uint8_t toy_static[PAWLINK_PAIR_STATIC_LEN];	/* public key */
	struct pawlink_setup_code code;			/* printed on it */
	struct pawlink_pair_policy *policy;
	/*
	 * Writes the policy's persisted state durably; 0 on success.  Called
	 * after an attempt is charged (before RESPONSE goes out) and after a
	 * host is pinned (before DONE goes out).
	 */
	int (*persist)(const struct pawlink_pair_policy *policy, void *ctx);
	void *persist_ctx;
};

struct pawlink_pair_toy {
	int state;
	struct pawlink_pair_toy_params p;
	uint32_t gen;			/* the policy's name for the attempt */
	uint8_t transcript[PAWLINK_PAIR_TRANSCRIPT_LEN];
	uint8_t k_host_mac[PAWLINK_PAIR_KEY_LEN];
	uint8_t k_host_seal[PAWLINK_PAIR_KEY_LEN];
	uint8_t k_done[PAWLINK_PAIR_KEY_LEN];
};

/* -EINVAL for an invalid code or missing policy/persist. */
int pawlink_pair_toy_init(struct pawlink_pair_toy *t,
			  const struct pawlink_pair_toy_params *params);

/*
 * Feeds one message received at @now (ms, the policy's clock).  Returns
 * PAWLINK_PAIR_SEND (RESPONSE in @out), _COMPLETE (DONE in @out, the new
 * host in *@host, already pinned in the policy), or a refusal or failure
 * with FAIL or BUSY in @out (or *@out_len == 0 when there is nothing to
 * answer, e.g. after the host's FAIL).
 */
enum pawlink_pair_result
pawlink_pair_toy_receive(struct pawlink_pair_toy *t, uint64_t now,
			 const uint8_t *msg, size_t len, uint8_t *out,
			 size_t *out_len, struct pawlink_pair_peer *host);

/*
 * The same, for a message from radio @src: an attempt belongs to the
 * radio its HELLO came from, and only that radio's CONFIRM or FAIL reaches
 * it (pawlink_pair_toy_receive() is this with an all-zero @src).
 */
enum pawlink_pair_result
pawlink_pair_toy_receive_from(struct pawlink_pair_toy *t, uint64_t now,
			      const uint8_t src[PAWLINK_ID_LEN],
			      const uint8_t *msg, size_t len, uint8_t *out,
			      size_t *out_len, struct pawlink_pair_peer *host);

/* Wipes the attempt's keys once the policy says it went stale. */
void pawlink_pair_toy_tick(struct pawlink_pair_toy *t, uint64_t now);

void pawlink_pair_toy_wipe(struct pawlink_pair_toy *t);

#endif /* PAWLINK_PAIRING_H */

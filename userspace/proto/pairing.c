// SPDX-License-Identifier: GPL-2.0
/*
 * The pairing protocol: codecs, key schedule and the two state machines.
 * Documentation/pairing.rst is the specification; this file follows it.
 */
#include <errno.h>
#include <string.h>

#include <sodium.h>

#include "pairing.h"
#include "bytes.h"

_Static_assert(sizeof(struct pawlink_pair_hdr) == PAWLINK_PAIR_HDR_LEN,
	       "pairing header size");
_Static_assert(sizeof(struct pawlink_pair_hello) == PAWLINK_PAIR_HELLO_LEN,
	       "HELLO size");
_Static_assert(sizeof(struct pawlink_pair_response) ==
		       PAWLINK_PAIR_RESPONSE_LEN, "RESPONSE size");
_Static_assert(sizeof(struct pawlink_pair_confirm) ==
		       PAWLINK_PAIR_CONFIRM_LEN, "CONFIRM size");
_Static_assert(sizeof(struct pawlink_pair_done) == PAWLINK_PAIR_DONE_LEN,
	       "DONE size");
_Static_assert(PAWLINK_PAIR_MAC_LEN == crypto_auth_hmacsha512256_BYTES,
	       "MAC is HMAC-SHA-512-256");
_Static_assert(PAWLINK_PAIR_SEALED_LEN == PAWLINK_PAIR_STATIC_LEN +
		       crypto_aead_chacha20poly1305_ietf_ABYTES,
	       "sealed static key");

/* Offsets into HELLO, which is also the start of the transcript. */
#define HELLO_AD_LEN	offsetof(struct pawlink_pair_hello, share)
#define HELLO_HOST_ID	offsetof(struct pawlink_pair_hello, host_id)
#define HELLO_SID	offsetof(struct pawlink_pair_hello, sid)
/* lv_cat("PawlinkPair", version, host id, toy id). */
#define CI_LEN		(1 + sizeof(PAWLINK_PAIR_CI_LABEL) - 1 + 2 + \
			 2 * (1 + PAWLINK_ID_LEN))

enum host_state {
	HOST_IDLE,
	HOST_AWAIT_RESPONSE,
	HOST_AWAIT_DONE,
	HOST_PAIRED,
	HOST_ENDED,
};

enum toy_state {
	TOY_UNSET,
	TOY_IDLE,
	TOY_AWAIT_CONFIRM,
};

const char *pawlink_pair_result_str(enum pawlink_pair_result r)
{
	switch (r) {
	case PAWLINK_PAIR_SEND:
		return "in progress";
	case PAWLINK_PAIR_COMPLETE:
		return "paired";
	case PAWLINK_PAIR_FAILED:
		return "pairing failed (check the setup code and that the "
		       "toy's pairing window is open)";
	case PAWLINK_PAIR_BUSY:
		return "the toy is pairing with another host; try again shortly";
	case PAWLINK_PAIR_CLOSED:
		return "pairing window closed, full or locked";
	case PAWLINK_PAIR_PROTOCOL:
		return "protocol error: malformed, unexpected or "
		       "wrong-version message";
	case PAWLINK_PAIR_ERROR:
		return "local error";
	}
	return "unknown result";
}

/* ---- codecs ---- */

int pawlink_pair_msg_type(const uint8_t *msg, size_t len)
{
	if (!msg || len < 1)
		return -EBADMSG;
	return msg[0];
}

/*
 * Common strict checks: type, then version (so that a message from another
 * version is reported as such whatever its length), then length and the
 * reserved bytes.
 */
static int check_hdr(const uint8_t *msg, size_t len, uint8_t type,
		     size_t want_len)
{
	if (!msg || len < PAWLINK_PAIR_HDR_LEN || msg[0] != type)
		return -EBADMSG;
	if (msg[1] != PAWLINK_PAIR_VERSION)
		return -EPROTONOSUPPORT;
	if (len != want_len || msg[2] || msg[3])
		return -EBADMSG;
	return 0;
}

int pawlink_pair_parse_hello(struct pawlink_pair_hello *out,
			     const uint8_t *msg, size_t len)
{
	int ret = check_hdr(msg, len, PAWLINK_PAIR_MSG_HELLO,
			    PAWLINK_PAIR_HELLO_LEN);

	if (!ret)
		memcpy(out, msg, sizeof(*out));
	return ret;
}

int pawlink_pair_parse_response(struct pawlink_pair_response *out,
				const uint8_t *msg, size_t len)
{
	int ret = check_hdr(msg, len, PAWLINK_PAIR_MSG_RESPONSE,
			    PAWLINK_PAIR_RESPONSE_LEN);

	if (!ret)
		memcpy(out, msg, sizeof(*out));
	return ret;
}

int pawlink_pair_parse_confirm(struct pawlink_pair_confirm *out,
			       const uint8_t *msg, size_t len)
{
	int ret = check_hdr(msg, len, PAWLINK_PAIR_MSG_CONFIRM,
			    PAWLINK_PAIR_CONFIRM_LEN);

	if (!ret)
		memcpy(out, msg, sizeof(*out));
	return ret;
}

int pawlink_pair_parse_done(struct pawlink_pair_done *out,
			    const uint8_t *msg, size_t len)
{
	int ret = check_hdr(msg, len, PAWLINK_PAIR_MSG_DONE, PAWLINK_PAIR_DONE_LEN);

	if (!ret)
		memcpy(out, msg, sizeof(*out));
	return ret;
}

int pawlink_pair_parse_status(const uint8_t *msg, size_t len)
{
	int type = pawlink_pair_msg_type(msg, len);
	int ret;

	if (type != PAWLINK_PAIR_MSG_FAIL && type != PAWLINK_PAIR_MSG_BUSY)
		return -EBADMSG;
	ret = check_hdr(msg, len, (uint8_t)type, PAWLINK_PAIR_STATUS_LEN);
	return ret ? ret : type;
}

static void put_hdr(struct pawlink_pair_hdr *hdr, uint8_t type)
{
	hdr->type = type;
	hdr->version = PAWLINK_PAIR_VERSION;
	hdr->reserved[0] = 0;
	hdr->reserved[1] = 0;
}

size_t pawlink_pair_encode_status(uint8_t *out, uint8_t type)
{
	struct pawlink_pair_hdr hdr;

	put_hdr(&hdr, type);
	memcpy(out, &hdr, sizeof(hdr));
	return sizeof(hdr);
}

/* ---- key schedule ---- */

/* HKDF-Expand(PRK = ISK, info = @label, L = 32) with SHA-512. */
static void derive_key(uint8_t out[PAWLINK_PAIR_KEY_LEN],
		       const uint8_t isk[PAWLINK_CPACE_ISK_LEN],
		       const char *label)
{
	static const uint8_t counter = 0x01;
	uint8_t t1[crypto_auth_hmacsha512_BYTES];
	crypto_auth_hmacsha512_state st;

	crypto_auth_hmacsha512_init(&st, isk, PAWLINK_CPACE_ISK_LEN);
	crypto_auth_hmacsha512_update(&st, (const uint8_t *)label,
				      strlen(label));
	crypto_auth_hmacsha512_update(&st, &counter, 1);
	crypto_auth_hmacsha512_final(&st, t1);
	memcpy(out, t1, PAWLINK_PAIR_KEY_LEN);
	sodium_memzero(t1, sizeof(t1));
	sodium_memzero(&st, sizeof(st));
}

/* HMAC-SHA-512-256(@key, @a || @b || @c); absent parts have length 0. */
static void mac3(uint8_t out[PAWLINK_PAIR_MAC_LEN],
		 const uint8_t key[PAWLINK_PAIR_KEY_LEN], const uint8_t *a,
		 size_t a_len, const uint8_t *b, size_t b_len,
		 const uint8_t *c, size_t c_len)
{
	crypto_auth_hmacsha512256_state st;

	crypto_auth_hmacsha512256_init(&st, key, PAWLINK_PAIR_KEY_LEN);
	crypto_auth_hmacsha512256_update(&st, a, a_len);
	if (b_len)
		crypto_auth_hmacsha512256_update(&st, b, b_len);
	if (c_len)
		crypto_auth_hmacsha512256_update(&st, c, c_len);
	crypto_auth_hmacsha512256_final(&st, out);
	sodium_memzero(&st, sizeof(st));
}

/* Constant-time check of a received tag against the expected one. */
static bool mac_ok(const uint8_t got[PAWLINK_PAIR_MAC_LEN],
		   const uint8_t key[PAWLINK_PAIR_KEY_LEN],
		   const uint8_t *a, size_t a_len, const uint8_t *b,
		   size_t b_len, const uint8_t *c, size_t c_len)
{
	uint8_t want[PAWLINK_PAIR_MAC_LEN];
	bool ok;

	mac3(want, key, a, a_len, b, b_len, c, c_len);
	ok = crypto_verify_32(want, got) == 0;
	sodium_memzero(want, sizeof(want));
	return ok;
}

/* Each sealing key seals exactly one message, so the nonce is zero. */
static const uint8_t zero_nonce[crypto_aead_chacha20poly1305_ietf_NPUBBYTES];

static void seal_static(uint8_t sealed[PAWLINK_PAIR_SEALED_LEN],
			const uint8_t key[PAWLINK_PAIR_KEY_LEN],
			const uint8_t static_key[PAWLINK_PAIR_STATIC_LEN],
			const uint8_t *transcript)
{
	crypto_aead_chacha20poly1305_ietf_encrypt(sealed, NULL, static_key,
						  PAWLINK_PAIR_STATIC_LEN,
						  transcript,
						  PAWLINK_PAIR_TRANSCRIPT_LEN,
						  NULL, zero_nonce, key);
}

static bool open_static(uint8_t static_key[PAWLINK_PAIR_STATIC_LEN],
			const uint8_t key[PAWLINK_PAIR_KEY_LEN],
			const uint8_t sealed[PAWLINK_PAIR_SEALED_LEN],
			const uint8_t *transcript)
{
	return crypto_aead_chacha20poly1305_ietf_decrypt(
		       static_key, NULL, NULL, sealed, PAWLINK_PAIR_SEALED_LEN,
		       transcript, PAWLINK_PAIR_TRANSCRIPT_LEN, zero_nonce,
		       key) == 0;
}

/*
 * A peer that knows the code could still hand over a low-order X25519
 * key, which would make every later Noise DH output zero; refuse it.
 * libsodium's X25519 fails exactly when the result is all zero.
 */
static bool static_key_ok(const uint8_t key[PAWLINK_PAIR_STATIC_LEN])
{
	static const uint8_t probe[crypto_scalarmult_SCALARBYTES] = {
		0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08,
		0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x0e, 0x0f, 0x10,
		0x11, 0x12, 0x13, 0x14, 0x15, 0x16, 0x17, 0x18,
		0x19, 0x1a, 0x1b, 0x1c, 0x1d, 0x1e, 0x1f, 0x20,
	};
	uint8_t q[crypto_scalarmult_BYTES];

	return crypto_scalarmult(q, probe, key) == 0;
}

static void build_ci(uint8_t ci[CI_LEN], const uint8_t host_id[PAWLINK_ID_LEN],
		     const uint8_t toy_id[PAWLINK_ID_LEN])
{
	static const uint8_t version = PAWLINK_PAIR_VERSION;
	size_t pos = 0;

	pos += pawlink_cpace_prepend_len(ci + pos, CI_LEN - pos,
					 (const uint8_t *)PAWLINK_PAIR_CI_LABEL,
					 sizeof(PAWLINK_PAIR_CI_LABEL) - 1);
	pos += pawlink_cpace_prepend_len(ci + pos, CI_LEN - pos, &version, 1);
	pos += pawlink_cpace_prepend_len(ci + pos, CI_LEN - pos, host_id,
					 PAWLINK_ID_LEN);
	pawlink_cpace_prepend_len(ci + pos, CI_LEN - pos, toy_id,
				  PAWLINK_ID_LEN);
}

/* Everything the two sides derive from ISK. */
struct pair_keys {
	uint8_t toy_mac[PAWLINK_PAIR_KEY_LEN];
	uint8_t host_mac[PAWLINK_PAIR_KEY_LEN];
	uint8_t toy_seal[PAWLINK_PAIR_KEY_LEN];
	uint8_t host_seal[PAWLINK_PAIR_KEY_LEN];
	uint8_t done[PAWLINK_PAIR_KEY_LEN];
};

static void derive_keys(struct pair_keys *k,
			const uint8_t isk[PAWLINK_CPACE_ISK_LEN])
{
	derive_key(k->toy_mac, isk, PAWLINK_PAIR_LABEL_TOY_MAC);
	derive_key(k->host_mac, isk, PAWLINK_PAIR_LABEL_HOST_MAC);
	derive_key(k->toy_seal, isk, PAWLINK_PAIR_LABEL_TOY_SEAL);
	derive_key(k->host_seal, isk, PAWLINK_PAIR_LABEL_HOST_SEAL);
	derive_key(k->done, isk, PAWLINK_PAIR_LABEL_DONE);
}

/* ---- host ---- */

static void host_wipe_secrets(struct pawlink_pair_host *h)
{
	pawlink_cpace_wipe(&h->cpace);
	pawlink_setup_code_wipe(&h->p.code);
	sodium_memzero(h->k_done, sizeof(h->k_done));
}

/* Ends the run; with @send_fail, tells the toy so it frees its slot. */
static enum pawlink_pair_result host_end(struct pawlink_pair_host *h,
					 enum pawlink_pair_result r,
					 bool send_fail, uint8_t *out,
					 size_t *out_len)
{
	host_wipe_secrets(h);
	h->state = r == PAWLINK_PAIR_COMPLETE ? HOST_PAIRED : HOST_ENDED;
	if (r != PAWLINK_PAIR_COMPLETE)
		sodium_memzero(&h->toy, sizeof(h->toy));
	*out_len = send_fail ? pawlink_pair_encode_status(out,
							  PAWLINK_PAIR_MSG_FAIL)
			     : 0;
	return r;
}

enum pawlink_pair_result
pawlink_pair_host_start(struct pawlink_pair_host *h,
			const struct pawlink_pair_host_params *params,
			uint8_t *out, size_t *out_len)
{
	struct pawlink_pair_hello hello;
	uint8_t ci[CI_LEN];
	int ret;

	sodium_memzero(h, sizeof(*h));
	*out_len = 0;
	if (!params || !pawlink_setup_code_is_valid(&params->code) ||
	    pawlink_is_zero(params->host_id, PAWLINK_ID_LEN) ||
	    sodium_init() < 0)
		return PAWLINK_PAIR_ERROR;
	h->p = *params;

	put_hdr(&hello.hdr, PAWLINK_PAIR_MSG_HELLO);
	memcpy(hello.host_id, h->p.host_id, PAWLINK_ID_LEN);
	memcpy(hello.toy_id, h->p.toy_id, PAWLINK_ID_LEN);
	randombytes_buf(hello.sid, sizeof(hello.sid));
	build_ci(ci, h->p.host_id, h->p.toy_id);
	ret = pawlink_cpace_start(&h->cpace, (const uint8_t *)h->p.code.digits,
				  PAWLINK_SETUP_CODE_DIGITS, ci, sizeof(ci),
				  hello.sid, sizeof(hello.sid));
	if (ret)
		return host_end(h, PAWLINK_PAIR_ERROR, false, out, out_len);
	memcpy(hello.share, h->cpace.share, PAWLINK_PAIR_SHARE_LEN);
	memcpy(h->transcript, &hello, sizeof(hello));
	memcpy(out, &hello, sizeof(hello));
	*out_len = sizeof(hello);
	h->state = HOST_AWAIT_RESPONSE;
	return PAWLINK_PAIR_SEND;
}

static enum pawlink_pair_result
host_on_response(struct pawlink_pair_host *h, const uint8_t *msg, size_t len,
		 uint8_t *out, size_t *out_len)
{
	struct pawlink_pair_response resp;
	struct pawlink_pair_confirm confirm;
	uint8_t isk[PAWLINK_CPACE_ISK_LEN];
	enum pawlink_pair_result r;
	struct pair_keys k;

	if (pawlink_pair_parse_response(&resp, msg, len))
		return host_end(h, PAWLINK_PAIR_PROTOCOL, true, out, out_len);
	memcpy(h->transcript + PAWLINK_PAIR_HELLO_LEN, msg,
	       PAWLINK_PAIR_RESPONSE_AD_LEN);
	/* ADa: HELLO up to its share; ADb: RESPONSE's header. */
	if (pawlink_cpace_finish(&h->cpace, isk, 1, PAWLINK_CPACE_IR,
				 h->transcript + HELLO_SID, PAWLINK_PAIR_SID_LEN,
				 resp.share, h->transcript, HELLO_AD_LEN, msg,
				 PAWLINK_PAIR_HDR_LEN))
		return host_end(h, PAWLINK_PAIR_PROTOCOL, true, out, out_len);
	derive_keys(&k, isk);
	sodium_memzero(isk, sizeof(isk));

	/* The toy proves it derived the same ISK: the code matched. */
	if (!mac_ok(resp.mac, k.toy_mac, h->transcript,
		    PAWLINK_PAIR_TRANSCRIPT_LEN, NULL, 0, NULL, 0) ||
	    !open_static(h->toy.static_key, k.toy_seal, resp.sealed_static,
			 h->transcript)) {
		r = PAWLINK_PAIR_FAILED;
		goto out_end;
	}
	if (!static_key_ok(h->toy.static_key)) {
		r = PAWLINK_PAIR_PROTOCOL;
		goto out_end;
	}
	memcpy(h->toy.id, h->p.toy_id, PAWLINK_ID_LEN);
	memcpy(h->k_done, k.done, sizeof(h->k_done));

	put_hdr(&confirm.hdr, PAWLINK_PAIR_MSG_CONFIRM);
	mac3(confirm.mac, k.host_mac, h->transcript,
	     PAWLINK_PAIR_TRANSCRIPT_LEN, NULL, 0, NULL, 0);
	seal_static(confirm.sealed_static, k.host_seal, h->p.host_static,
		    h->transcript);
	sodium_memzero(&k, sizeof(k));
	memcpy(out, &confirm, sizeof(confirm));
	*out_len = sizeof(confirm);
	h->state = HOST_AWAIT_DONE;
	return PAWLINK_PAIR_SEND;

out_end:
	sodium_memzero(&k, sizeof(k));
	return host_end(h, r, true, out, out_len);
}

static enum pawlink_pair_result
host_on_done(struct pawlink_pair_host *h, const uint8_t *msg, size_t len,
	     uint8_t *out, size_t *out_len)
{
	struct pawlink_pair_done done;

	if (pawlink_pair_parse_done(&done, msg, len))
		return host_end(h, PAWLINK_PAIR_PROTOCOL, true, out, out_len);
	/* The toy pinned exactly our key, in this run. */
	if (!mac_ok(done.mac, h->k_done, h->transcript,
		    PAWLINK_PAIR_TRANSCRIPT_LEN, h->p.host_static,
		    PAWLINK_PAIR_STATIC_LEN, h->toy.static_key,
		    PAWLINK_PAIR_STATIC_LEN))
		return host_end(h, PAWLINK_PAIR_FAILED, true, out, out_len);
	return host_end(h, PAWLINK_PAIR_COMPLETE, false, out, out_len);
}

enum pawlink_pair_result
pawlink_pair_host_receive(struct pawlink_pair_host *h, const uint8_t *msg,
			  size_t len, uint8_t *out, size_t *out_len)
{
	int type = pawlink_pair_msg_type(msg, len);
	int status;

	*out_len = 0;
	if (h->state != HOST_AWAIT_RESPONSE && h->state != HOST_AWAIT_DONE)
		return PAWLINK_PAIR_ERROR;
	if (type == PAWLINK_PAIR_MSG_FAIL || type == PAWLINK_PAIR_MSG_BUSY) {
		status = pawlink_pair_parse_status(msg, len);
		if (status == PAWLINK_PAIR_MSG_FAIL)
			return host_end(h, PAWLINK_PAIR_FAILED, false, out,
					out_len);
		/* BUSY only ever answers HELLO. */
		if (status == PAWLINK_PAIR_MSG_BUSY &&
		    h->state == HOST_AWAIT_RESPONSE)
			return host_end(h, PAWLINK_PAIR_BUSY, false, out,
					out_len);
		return host_end(h, PAWLINK_PAIR_PROTOCOL, true, out, out_len);
	}
	if (h->state == HOST_AWAIT_RESPONSE && type == PAWLINK_PAIR_MSG_RESPONSE)
		return host_on_response(h, msg, len, out, out_len);
	if (h->state == HOST_AWAIT_DONE && type == PAWLINK_PAIR_MSG_DONE)
		return host_on_done(h, msg, len, out, out_len);
	/* Out of order, reflected, or not a pairing message at all. */
	return host_end(h, PAWLINK_PAIR_PROTOCOL, true, out, out_len);
}

int pawlink_pair_host_peer(const struct pawlink_pair_host *h,
			   struct pawlink_pair_peer *toy)
{
	if (h->state != HOST_PAIRED)
		return -EINVAL;
	*toy = h->toy;
	return 0;
}

void pawlink_pair_host_wipe(struct pawlink_pair_host *h)
{
	sodium_memzero(h, sizeof(*h));
}

/* ---- toy ---- */

static void toy_wipe_attempt(struct pawlink_pair_toy *t)
{
	sodium_memzero(t->transcript, sizeof(t->transcript));
	sodium_memzero(t->k_host_mac, sizeof(t->k_host_mac));
	sodium_memzero(t->k_host_seal, sizeof(t->k_host_seal));
	sodium_memzero(t->k_done, sizeof(t->k_done));
	t->gen = 0;
	t->state = TOY_IDLE;
}

static enum pawlink_pair_result toy_reply(enum pawlink_pair_result r,
					  uint8_t type, uint8_t *out,
					  size_t *out_len)
{
	*out_len = pawlink_pair_encode_status(out, type);
	return r;
}

/* The attempt in progress ends as a failure; its charge stays. */
static enum pawlink_pair_result toy_abort(struct pawlink_pair_toy *t,
					  uint64_t now,
					  enum pawlink_pair_result r,
					  uint8_t *out, size_t *out_len)
{
	pawlink_policy_fail(t->p.policy, now, t->gen);
	toy_wipe_attempt(t);
	return toy_reply(r, PAWLINK_PAIR_MSG_FAIL, out, out_len);
}

int pawlink_pair_toy_init(struct pawlink_pair_toy *t,
			  const struct pawlink_pair_toy_params *params)
{
	sodium_memzero(t, sizeof(*t));
	if (!params || !params->policy || !params->persist ||
	    !pawlink_setup_code_is_valid(&params->code) || sodium_init() < 0)
		return -EINVAL;
	t->p = *params;
	t->state = TOY_IDLE;
	return 0;
}

void pawlink_pair_toy_tick(struct pawlink_pair_toy *t, uint64_t now)
{
	if (t->state == TOY_AWAIT_CONFIRM &&
	    !pawlink_policy_attempt_is_current(t->p.policy, now, t->gen))
		toy_wipe_attempt(t);
}

static enum pawlink_pair_result
toy_on_hello(struct pawlink_pair_toy *t, uint64_t now,
	     const uint8_t src[PAWLINK_ID_LEN], const uint8_t *msg,
	     size_t len, uint8_t *out, size_t *out_len)
{
	const char *code;
	static const uint8_t resp_hdr[PAWLINK_PAIR_HDR_LEN] = {
		PAWLINK_PAIR_MSG_RESPONSE, PAWLINK_PAIR_VERSION, 0, 0
	};
	struct pawlink_pair_response resp;
	struct pawlink_pair_hello hello;
	struct pawlink_cpace cpace;
	uint8_t isk[PAWLINK_CPACE_ISK_LEN];
	uint8_t ci[CI_LEN];
	struct pair_keys k;
	uint32_t gen = 0;
	int ret;

	/* A bad HELLO is answered but leaves any attempt in progress be. */
	if (pawlink_pair_parse_hello(&hello, msg, len) ||
	    memcmp(hello.toy_id, t->p.toy_id, PAWLINK_ID_LEN) != 0)
		return toy_reply(PAWLINK_PAIR_PROTOCOL, PAWLINK_PAIR_MSG_FAIL, out,
				 out_len);

	switch (pawlink_policy_begin(t->p.policy, now, src, hello.host_id,
				     &gen)) {
	case PAWLINK_POLICY_ALLOW:
		break;
	case PAWLINK_POLICY_KNOWN:
		/*
		 * A paired host's id: refused, nothing charged, and any
		 * attempt in progress left alone.  The answer is the same
		 * FAIL as a wrong code, so it tells a stranger nothing.
		 */
		return toy_reply(PAWLINK_PAIR_CLOSED, PAWLINK_PAIR_MSG_FAIL,
				 out, out_len);
	case PAWLINK_POLICY_BUSY:
		return toy_reply(PAWLINK_PAIR_BUSY, PAWLINK_PAIR_MSG_BUSY, out,
				 out_len);
	case PAWLINK_POLICY_INVALID:
		return toy_reply(PAWLINK_PAIR_PROTOCOL, PAWLINK_PAIR_MSG_FAIL,
				 out, out_len);
	default:
		/* Closed, locked and full look exactly like a wrong code. */
		if (t->state == TOY_AWAIT_CONFIRM)
			pawlink_pair_toy_tick(t, now);
		return toy_reply(PAWLINK_PAIR_CLOSED, PAWLINK_PAIR_MSG_FAIL, out,
				 out_len);
	}
	/* The policy failed the same host's earlier attempt, if any. */
	toy_wipe_attempt(t);
	t->gen = gen;
	t->state = TOY_AWAIT_CONFIRM;
	/* The charge is durable before anything code-dependent goes out. */
	if (t->p.persist(t->p.policy, t->p.persist_ctx))
		return toy_abort(t, now, PAWLINK_PAIR_ERROR, out, out_len);

	build_ci(ci, hello.host_id, t->p.toy_id);
	/* An invite's one-time code, or the printed one. */
	code = pawlink_policy_window_code(t->p.policy);
	ret = pawlink_cpace_start(&cpace, (const uint8_t *)(code ? code :
							   t->p.code.digits),
				  PAWLINK_SETUP_CODE_DIGITS, ci, sizeof(ci),
				  hello.sid, sizeof(hello.sid));
	if (ret)
		return toy_abort(t, now, PAWLINK_PAIR_ERROR, out, out_len);
	memcpy(t->transcript, msg, PAWLINK_PAIR_HELLO_LEN);
	memcpy(t->transcript + PAWLINK_PAIR_HELLO_LEN, resp_hdr,
	       sizeof(resp_hdr));
	memcpy(t->transcript + PAWLINK_PAIR_HELLO_LEN + PAWLINK_PAIR_HDR_LEN,
	       cpace.share, PAWLINK_PAIR_SHARE_LEN);
	ret = pawlink_cpace_finish(&cpace, isk, 0, PAWLINK_CPACE_IR, hello.sid,
				   sizeof(hello.sid), hello.share, msg,
				   HELLO_AD_LEN, resp_hdr, sizeof(resp_hdr));
	pawlink_cpace_wipe(&cpace);
	if (ret)
		return toy_abort(t, now, PAWLINK_PAIR_PROTOCOL, out, out_len);
	derive_keys(&k, isk);
	sodium_memzero(isk, sizeof(isk));

	memcpy(&resp.hdr, resp_hdr, sizeof(resp_hdr));
	memcpy(resp.share, t->transcript + PAWLINK_PAIR_HELLO_LEN +
	       PAWLINK_PAIR_HDR_LEN, PAWLINK_PAIR_SHARE_LEN);
	mac3(resp.mac, k.toy_mac, t->transcript, PAWLINK_PAIR_TRANSCRIPT_LEN,
	     NULL, 0, NULL, 0);
	seal_static(resp.sealed_static, k.toy_seal, t->p.toy_static,
		    t->transcript);
	memcpy(t->k_host_mac, k.host_mac, PAWLINK_PAIR_KEY_LEN);
	memcpy(t->k_host_seal, k.host_seal, PAWLINK_PAIR_KEY_LEN);
	memcpy(t->k_done, k.done, PAWLINK_PAIR_KEY_LEN);
	sodium_memzero(&k, sizeof(k));

	memcpy(out, &resp, sizeof(resp));
	*out_len = sizeof(resp);
	return PAWLINK_PAIR_SEND;
}

static enum pawlink_pair_result
toy_on_confirm(struct pawlink_pair_toy *t, uint64_t now, const uint8_t *msg,
	       size_t len, uint8_t *out, size_t *out_len,
	       struct pawlink_pair_peer *host)
{
	struct pawlink_pair_confirm confirm;
	struct pawlink_pair_policy before;
	struct pawlink_pair_done done;
	struct pawlink_pair_peer peer;

	if (pawlink_pair_parse_confirm(&confirm, msg, len))
		return toy_abort(t, now, PAWLINK_PAIR_PROTOCOL, out, out_len);
	if (!mac_ok(confirm.mac, t->k_host_mac, t->transcript,
		    PAWLINK_PAIR_TRANSCRIPT_LEN, NULL, 0, NULL, 0) ||
	    !open_static(peer.static_key, t->k_host_seal,
			 confirm.sealed_static, t->transcript))
		return toy_abort(t, now, PAWLINK_PAIR_FAILED, out, out_len);
	if (!static_key_ok(peer.static_key))
		return toy_abort(t, now, PAWLINK_PAIR_PROTOCOL, out, out_len);
	memcpy(peer.id, t->transcript + HELLO_HOST_ID, PAWLINK_ID_LEN);

	before = *t->p.policy;
	switch (pawlink_policy_succeed(t->p.policy, now, t->gen,
				       peer.static_key)) {
	case 0:
		break;
	case -ENOSPC:
		sodium_memzero(&before, sizeof(before));
		return toy_abort(t, now, PAWLINK_PAIR_CLOSED, out, out_len);
	default:
		/* Stale between HELLO and CONFIRM, or paired meanwhile. */
		sodium_memzero(&before, sizeof(before));
		return toy_abort(t, now, PAWLINK_PAIR_FAILED, out, out_len);
	}
	if (t->p.persist(t->p.policy, t->p.persist_ctx)) {
		/*
		 * Not durable: undo all of it (pin, claim and the refund),
		 * so the attempt ends charged as the flash already says.
		 */
		*t->p.policy = before;
		sodium_memzero(&before, sizeof(before));
		return toy_abort(t, now, PAWLINK_PAIR_ERROR, out, out_len);
	}
	sodium_memzero(&before, sizeof(before));

	put_hdr(&done.hdr, PAWLINK_PAIR_MSG_DONE);
	mac3(done.mac, t->k_done, t->transcript, PAWLINK_PAIR_TRANSCRIPT_LEN,
	     peer.static_key, PAWLINK_PAIR_STATIC_LEN, t->p.toy_static,
	     PAWLINK_PAIR_STATIC_LEN);
	toy_wipe_attempt(t);
	memcpy(out, &done, sizeof(done));
	*out_len = sizeof(done);
	if (host)
		*host = peer;
	return PAWLINK_PAIR_COMPLETE;
}

enum pawlink_pair_result
pawlink_pair_toy_receive(struct pawlink_pair_toy *t, uint64_t now,
			 const uint8_t *msg, size_t len, uint8_t *out,
			 size_t *out_len, struct pawlink_pair_peer *host)
{
	static const uint8_t no_src[PAWLINK_ID_LEN];

	return pawlink_pair_toy_receive_from(t, now, no_src, msg, len, out,
					     out_len, host);
}

enum pawlink_pair_result
pawlink_pair_toy_receive_from(struct pawlink_pair_toy *t, uint64_t now,
			      const uint8_t src[PAWLINK_ID_LEN],
			      const uint8_t *msg, size_t len, uint8_t *out,
			      size_t *out_len, struct pawlink_pair_peer *host)
{
	int type = pawlink_pair_msg_type(msg, len);

	*out_len = 0;
	if (t->state != TOY_IDLE && t->state != TOY_AWAIT_CONFIRM)
		return PAWLINK_PAIR_ERROR;
	pawlink_pair_toy_tick(t, now);

	if (type == PAWLINK_PAIR_MSG_HELLO)
		return toy_on_hello(t, now, src, msg, len, out, out_len);
	/*
	 * The attempt belongs to the radio of its HELLO: from any other,
	 * a CONFIRM or FAIL is ignored rather than allowed to end it.
	 */
	if (t->state == TOY_AWAIT_CONFIRM &&
	    !pawlink_policy_attempt_from(t->p.policy, src))
		return PAWLINK_PAIR_PROTOCOL;
	if (t->state != TOY_AWAIT_CONFIRM) {
		/* Nothing in progress: never answer a FAIL or BUSY. */
		if (type == PAWLINK_PAIR_MSG_FAIL || type == PAWLINK_PAIR_MSG_BUSY)
			return PAWLINK_PAIR_PROTOCOL;
		return toy_reply(PAWLINK_PAIR_PROTOCOL, PAWLINK_PAIR_MSG_FAIL, out,
				 out_len);
	}
	if (type == PAWLINK_PAIR_MSG_CONFIRM)
		return toy_on_confirm(t, now, msg, len, out, out_len, host);
	if (pawlink_pair_parse_status(msg, len) == PAWLINK_PAIR_MSG_FAIL) {
		pawlink_policy_fail(t->p.policy, now, t->gen);
		toy_wipe_attempt(t);
		return PAWLINK_PAIR_FAILED;
	}
	/* Anything else aimed at the attempt in progress aborts it. */
	return toy_abort(t, now, PAWLINK_PAIR_PROTOCOL, out, out_len);
}

void pawlink_pair_toy_wipe(struct pawlink_pair_toy *t)
{
	sodium_memzero(t, sizeof(*t));
}

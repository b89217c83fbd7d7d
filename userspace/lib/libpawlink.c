// SPDX-License-Identifier: GPL-2.0
/*
 * The façade's context, pairing and sessions; see libpawlink.h.  Each
 * handshake is a libpawlink state machine (pairing.h, session.h) driven
 * over the transport, with retries where a lost message can be asked for
 * again.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "libpawlink_priv.h"
#include "pairing.h"
#include "setup_code.h"
#include "bytes.h"

/* A lost HELLO or RESPONSE costs a new HELLO; the toy charges each. */
#define PAIR_ATTEMPTS		3
#define PAIR_REPLY_MS		2000
/* A lost INIT or RESP costs a new INIT, which the toy takes in its place. */
#define SESSION_ATTEMPTS	6
#define SESSION_REPLY_MS	1000
/*
 * Handshakes whose keys the toy never confirmed (a replayed INIT can
 * replace what it staged), each confirmed by a STATUS sent this often.
 */
#define CONFIRM_ROUNDS		3
#define CONFIRM_TRIES		4

int pawlink_fail(struct pawlink *p, int rc, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(p->err, sizeof(p->err), fmt, ap);
	va_end(ap);
	return rc;
}

int pawlink_need_session(struct pawlink *p)
{
	if (p->session)
		return 0;
	return pawlink_fail(p, -ENOTCONN,
			    "no session with a toy: connect first");
}

const char *pawlink_error(const struct pawlink *p)
{
	return p->err;
}

void pawlink_host_id(const struct pawlink *p, uint8_t id[PAWLINK_ID_LEN])
{
	memcpy(id, p->host.id, PAWLINK_ID_LEN);
}

static void id_hex(char out[2 * PAWLINK_ID_LEN + 1],
		   const uint8_t id[PAWLINK_ID_LEN])
{
	pawlink_hex_encode(out, id, PAWLINK_ID_LEN);
}

int pawlink_open(struct pawlink **out, struct pawlink_transport *t,
		 const char *keystore_dir, char *err, size_t err_len)
{
	struct pawlink *p;
	int rc;

	*out = NULL;
	if (!t) {
		pawlink_errf(err, err_len, "no transport to reach a toy");
		return -EINVAL;
	}
	if (sodium_init() < 0) {
		pawlink_errf(err, err_len, "libsodium could not start");
		return -EIO;
	}
	p = calloc(1, sizeof(*p));
	if (!p) {
		pawlink_errf(err, err_len, "out of memory");
		return -ENOMEM;
	}
	p->t = t;
	rc = pawlink_keystore_open(&p->ks, keystore_dir, err, err_len);
	if (rc)
		goto err_free;
	rc = pawlink_keystore_host_load(&p->ks, &p->host, err, err_len);
	if (rc == -ENOENT)
		rc = pawlink_keystore_host_create(&p->ks, &p->host, err,
						  err_len);
	if (rc)
		goto err_keystore;
	*out = p;
	return 0;

err_keystore:
	pawlink_keystore_close(&p->ks);
err_free:
	sodium_memzero(p, sizeof(*p));
	free(p);
	return rc;
}

void pawlink_close(struct pawlink *p)
{
	if (!p)
		return;
	pawlink_disconnect(p);
	pawlink_keystore_close(&p->ks);
	pawlink_host_identity_wipe(&p->host);
	sodium_memzero(p, sizeof(*p));
	free(p);
}

int pawlink_scan(struct pawlink *p, unsigned int listen_ms,
		 struct pawlink_beacon *out, size_t max, size_t *n)
{
	int rc;

	*n = 0;
	rc = p->t->ops->scan(p->t, listen_ms, out, max, n);
	if (rc)
		return pawlink_fail(p, rc, "scanning failed: %s",
				    strerror(-rc));
	return 0;
}

int pawlink_link_stats(struct pawlink *p, struct pawlink_stats *st)
{
	int rc = p->t->ops->get_stats(p->t, st);

	if (rc)
		return pawlink_fail(p, rc, "no link counters: %s",
				    strerror(-rc));
	return 0;
}

/* ---- pairing ------------------------------------------------------------ */

static int send_frame(struct pawlink *p, const uint8_t *buf, size_t len)
{
	int rc = p->t->ops->send(p->t, buf, len);

	if (rc)
		return pawlink_fail(p, rc, "sending to the toy failed: %s",
				    strerror(-rc));
	return 0;
}

/*
 * Waits until @deadline_us for a frame whose type is in [@lo, @hi];
 * others are not for this exchange and are skipped.
 */
static int wait_type(struct pawlink *p, uint64_t deadline_us, uint8_t lo,
		     uint8_t hi, uint8_t *buf, size_t *len)
{
	uint64_t now;
	int rc, wait_ms;

	for (;;) {
		now = p->t->ops->now_us(p->t);
		wait_ms = deadline_us > now ?
			  (int)((deadline_us - now + 999) / 1000) : 0;
		rc = p->t->ops->recv(p->t, buf, PAWLINK_FRAME_MAX, len,
				     wait_ms);
		if (rc)
			return rc;
		if (*len >= 1 && buf[0] >= lo && buf[0] <= hi)
			return 0;
	}
}

static int pair_result_errno(struct pawlink *p, enum pawlink_pair_result r)
{
	switch (r) {
	case PAWLINK_PAIR_FAILED:
		return pawlink_fail(p, -EACCES,
				    "pairing failed: wrong setup code, or the toy's pairing window is not open (press its button)");
	case PAWLINK_PAIR_BUSY:
		return pawlink_fail(p, -EBUSY,
				    "the toy is pairing with another host; try again shortly");
	case PAWLINK_PAIR_PROTOCOL:
		return pawlink_fail(p, -EPROTO,
				    "pairing failed: the toy's answer was malformed");
	default:
		return pawlink_fail(p, -EIO, "pairing failed: %s",
				    pawlink_pair_result_str(r));
	}
}

/*
 * One run of the host state machine from HELLO.  1 when the HELLO or
 * RESPONSE went missing (worth a new run), 0 paired (*@toy filled), or a
 * negative error.
 */
static int pair_run(struct pawlink *p,
		    const struct pawlink_pair_host_params *params,
		    struct pawlink_pair_peer *toy)
{
	uint8_t out[PAWLINK_PAIR_MSG_MAX], in[PAWLINK_FRAME_MAX];
	struct pawlink_pair_host h;
	enum pawlink_pair_result r;
	bool confirmed = false;
	size_t out_len, in_len;
	uint64_t deadline;
	int rc;

	r = pawlink_pair_host_start(&h, params, out, &out_len);
	if (r != PAWLINK_PAIR_SEND) {
		rc = pair_result_errno(p, r);
		goto out;
	}
	rc = send_frame(p, out, out_len);
	if (rc)
		goto out;
	deadline = p->t->ops->now_us(p->t) + PAIR_REPLY_MS * 1000ULL;
	for (;;) {
		rc = wait_type(p, deadline, PAWLINK_PAIR_MSG_HELLO,
			       PAWLINK_PAIR_MSG_BUSY, in, &in_len);
		if (rc == -ETIMEDOUT && !confirmed) {
			rc = 1;
			goto out;
		}
		if (rc == -ETIMEDOUT) {
			rc = pawlink_fail(p, -ETIMEDOUT,
					  "pairing did not finish (the toy's last answer was lost): press the toy's button and pair again");
			goto out;
		}
		if (rc) {
			rc = pawlink_fail(p, rc, "receiving from the toy failed: %s",
					  strerror(-rc));
			goto out;
		}
		r = pawlink_pair_host_receive(&h, in, in_len, out, &out_len);
		if (r == PAWLINK_PAIR_SEND) {
			rc = send_frame(p, out, out_len);
			if (rc)
				goto out;
			confirmed = true;
			deadline = p->t->ops->now_us(p->t) +
				   PAIR_REPLY_MS * 1000ULL;
			continue;
		}
		if (r == PAWLINK_PAIR_COMPLETE) {
			rc = pawlink_pair_host_peer(&h, toy) ? -EIO : 0;
			goto out;
		}
		/* Tell the toy, so it frees its attempt early. */
		if (out_len)
			p->t->ops->send(p->t, out, out_len);
		rc = pair_result_errno(p, r);
		goto out;
	}
out:
	pawlink_pair_host_wipe(&h);
	sodium_memzero(in, sizeof(in));
	return rc;
}

int pawlink_pair(struct pawlink *p, const uint8_t toy_id[PAWLINK_ID_LEN],
		 const char *code_text, const char *name)
{
	struct pawlink_pair_host_params params;
	struct pawlink_toy_record rec;
	struct pawlink_pair_peer toy;
	char hex[2 * PAWLINK_ID_LEN + 1];
	const char *why = NULL;
	int attempt, rc;

	if (p->session)
		return pawlink_fail(p, -EISCONN,
				    "a session is open: disconnect before pairing");
	if (!name)
		name = "";
	if (!pawlink_keystore_name_ok(name))
		return pawlink_fail(p, -EINVAL,
				    "a toy's name is at most %d printable characters",
				    PAWLINK_KEYSTORE_NAME_MAX);
	memset(&params, 0, sizeof(params));
	if (pawlink_setup_code_parse(&params.code, code_text ? code_text : "",
				     &why))
		return pawlink_fail(p, -EINVAL, "setup code: %s", why);
	memcpy(params.host_id, p->host.id, PAWLINK_ID_LEN);
	memcpy(params.host_static, p->host.public_key, PAWLINK_PAIR_STATIC_LEN);
	memcpy(params.toy_id, toy_id, PAWLINK_ID_LEN);

	rc = p->t->ops->connect(p->t, toy_id);
	if (rc) {
		rc = pawlink_fail(p, rc, "cannot reach the toy: %s",
				  strerror(-rc));
		goto out;
	}
	rc = 1;
	for (attempt = 0; attempt < PAIR_ATTEMPTS && rc == 1; attempt++)
		rc = pair_run(p, &params, &toy);
	p->t->ops->disconnect(p->t);
	if (rc == 1) {
		id_hex(hex, toy_id);
		rc = pawlink_fail(p, -ETIMEDOUT,
				  "toy %s did not answer: is it in range, with its pairing window open?",
				  hex);
	}
	if (rc)
		goto out;

	memset(&rec, 0, sizeof(rec));
	memcpy(rec.id, toy.id, PAWLINK_ID_LEN);
	memcpy(rec.static_key, toy.static_key, PAWLINK_PAIR_STATIC_LEN);
	snprintf(rec.name, sizeof(rec.name), "%s", name);
	rc = pawlink_keystore_toy_save(&p->ks, &rec, p->err, sizeof(p->err));
out:
	pawlink_setup_code_wipe(&params.code);
	sodium_memzero(&params, sizeof(params));
	return rc;
}

/* ---- sessions ----------------------------------------------------------- */

static int session_reject_errno(struct pawlink *p, uint8_t reason)
{
	switch (reason) {
	case PAWLINK_SESS_REJ_AUTH:
		return pawlink_fail(p, -EACCES,
				    "the toy does not know this host (unpaired, or reset): pair again");
	case PAWLINK_SESS_REJ_VERSION:
		return pawlink_fail(p, -EPROTONOSUPPORT,
				    "the toy speaks another session version");
	default:
		return pawlink_fail(p, -EPROTO,
				    "the toy refused the session (reason %u)",
				    reason);
	}
}

/* Drops frames that are already waiting: answers to an older attempt. */
static void drain(struct pawlink *p)
{
	uint8_t buf[PAWLINK_FRAME_MAX];
	size_t len;

	while (p->t->ops->recv(p->t, buf, sizeof(buf), &len, 0) == 0)
		;
	sodium_memzero(buf, sizeof(buf));
}

/*
 * One Noise KK round trip.  1 when nothing usable came back (worth
 * another INIT), 0 with @res filled, or a negative error.
 *
 * An answer that does not verify (a late one to an earlier INIT, a replay,
 * a forgery) is tried on a copy of the handshake and skipped, so it
 * cannot end the handshake it was not part of.
 */
static int session_run(struct pawlink *p, const struct pawlink_toy_record *toy,
		       struct pawlink_session_result *res)
{
	uint8_t init[PAWLINK_SESS_MSG_LEN], in[PAWLINK_FRAME_MAX];
	struct pawlink_session_host hs, trial;
	size_t init_len, in_len;
	uint64_t deadline;
	int rc;

	drain(p);
	rc = pawlink_session_host_start(&hs, p->host.secret_key,
					toy->static_key, 0, init, sizeof(init),
					&init_len);
	if (rc)
		return pawlink_fail(p, rc, "session setup failed: %s",
				    strerror(-rc));
	rc = send_frame(p, init, init_len);
	if (rc)
		goto out;
	deadline = p->t->ops->now_us(p->t) + SESSION_REPLY_MS * 1000ULL;
	for (;;) {
		rc = wait_type(p, deadline, PAWLINK_SESS_RESP,
			       PAWLINK_SESS_REJECT, in, &in_len);
		if (rc == -ETIMEDOUT) {
			rc = 1;
			goto out;
		}
		if (rc) {
			rc = pawlink_fail(p, rc, "receiving from the toy failed: %s",
					  strerror(-rc));
			goto out;
		}
		trial = hs;
		rc = pawlink_session_host_finish(&trial, in, in_len, res);
		if (rc == 0)
			goto out;
		if (rc == -ECONNREFUSED) {
			rc = session_reject_errno(p, trial.rejected_reason);
			goto out;
		}
	}
out:
	sodium_memzero(&trial, sizeof(trial));
	pawlink_session_host_abort(&hs);
	sodium_memzero(in, sizeof(in));
	return rc;
}

void pawlink_session_drop(struct pawlink *p)
{
	p->t->ops->disconnect(p->t);
	pawlink_msg_host_free(p->msg);
	p->msg = NULL;
	p->session = false;
	memset(p->toy_id, 0, sizeof(p->toy_id));
	memset(p->hash, 0, sizeof(p->hash));
}

/*
 * A handshake, then keys in the transport: 0, or a negative error with
 * the transport disconnected.
 */
static int handshake(struct pawlink *p, const struct pawlink_toy_record *toy,
		     const char *hex)
{
	struct pawlink_session_result res;
	int attempt, rc;

	rc = p->t->ops->connect(p->t, toy->id);
	if (rc)
		return pawlink_fail(p, rc, "cannot reach toy %s: %s", hex,
				    strerror(-rc));
	memset(&res, 0, sizeof(res));
	rc = 1;
	for (attempt = 0; attempt < SESSION_ATTEMPTS && rc == 1; attempt++)
		rc = session_run(p, toy, &res);
	if (rc == 1)
		rc = pawlink_fail(p, -ETIMEDOUT,
				  "toy %s did not answer: out of range, or in a session with another host",
				  hex);
	if (rc == 0) {
		rc = p->t->ops->set_keys(p->t, &res.keys);
		if (rc)
			rc = pawlink_fail(p, rc,
					  "installing the session keys failed: %s",
					  strerror(-rc));
	}
	if (rc == 0)
		memcpy(p->hash, res.handshake_hash, sizeof(p->hash));
	else
		p->t->ops->disconnect(p->t);
	pawlink_session_result_wipe(&res);
	return rc;
}

int pawlink_connect(struct pawlink *p, const uint8_t toy_id[PAWLINK_ID_LEN],
		    struct pawlink_toy_status_info *status)
{
	struct pawlink_toy_frame req = { .type = PAWLINK_TOY_STATUS_REQ }, resp;
	struct pawlink_toy_record toy;
	char hex[2 * PAWLINK_ID_LEN + 1];
	int round, rc;

	if (p->session)
		return pawlink_fail(p, -EISCONN, "a session is already open");
	id_hex(hex, toy_id);
	rc = pawlink_keystore_toy_load(&p->ks, toy_id, &toy, p->err,
				       sizeof(p->err));
	if (rc == -ENOENT)
		return pawlink_fail(p, rc, "not paired with toy %s: pair first",
				    hex);
	if (rc)
		return rc;
	for (round = 0; round < CONFIRM_ROUNDS; round++) {
		rc = handshake(p, &toy, hex);
		if (rc)
			return rc;
		rc = pawlink_msg_host_new(&p->msg, p->host.id);
		if (rc) {
			p->t->ops->disconnect(p->t);
			return pawlink_fail(p, rc, "out of memory");
		}
		memcpy(p->toy_id, toy_id, PAWLINK_ID_LEN);
		p->next_tag = (uint16_t)randombytes_uniform(1u << 16);
		p->session = true;
		/*
		 * The first sealed frame confirms the keys to the toy, which
		 * only staged them.  If it goes unanswered, an INIT replayed
		 * after ours may have replaced them there: start again.
		 */
		rc = pawlink_toy_request(p, &req, &resp, CONFIRM_TRIES);
		if (rc == 0)
			break;
		pawlink_session_drop(p);
		if (rc != -ETIMEDOUT)
			return rc;
	}
	if (rc)
		return pawlink_fail(p, rc, "toy %s did not confirm the session",
				    hex);
	if (resp.status != PAWLINK_TOY_OK) {
		pawlink_session_drop(p);
		return pawlink_fail(p, -EIO, "%s",
				    pawlink_toy_status_str(resp.status));
	}
	if (status)
		*status = resp.u.status;
	return 0;
}

int pawlink_disconnect(struct pawlink *p)
{
	struct pawlink_toy_frame req = { .type = PAWLINK_TOY_BYE_REQ }, resp;

	if (!p->session)
		return 0;
	/* Best effort: the toy also ends an idle session by itself. */
	pawlink_toy_request(p, &req, &resp, PAWLINK_END_TRIES);
	pawlink_session_drop(p);
	return 0;
}

bool pawlink_connected(const struct pawlink *p)
{
	return p->session;
}

int pawlink_session_hash(const struct pawlink *p,
			 uint8_t hash[PAWLINK_SESSION_HASH_LEN])
{
	if (!p->session)
		return -ENOTCONN;
	memcpy(hash, p->hash, PAWLINK_SESSION_HASH_LEN);
	return 0;
}

/* ---- forgetting --------------------------------------------------------- */

int pawlink_unpair(struct pawlink *p)
{
	struct pawlink_toy_frame req = { .type = PAWLINK_TOY_UNPAIR_REQ }, resp;
	uint8_t toy_id[PAWLINK_ID_LEN];
	int rc;

	rc = pawlink_need_session(p);
	if (rc)
		return rc;
	memcpy(toy_id, p->toy_id, PAWLINK_ID_LEN);
	rc = pawlink_toy_request(p, &req, &resp, PAWLINK_END_TRIES);
	pawlink_session_drop(p);
	if (rc == 0 && resp.status != PAWLINK_TOY_OK)
		return pawlink_fail(p, -EIO, "the toy could not unpair: %s",
				    pawlink_toy_status_str(resp.status));
	if (rc == -ETIMEDOUT) {
		/*
		 * The answer may be what got lost: if the toy now refuses a
		 * session as unknown, it did forget this host.
		 */
		rc = pawlink_connect(p, toy_id, NULL);
		if (rc == 0) {
			pawlink_disconnect(p);
			return pawlink_fail(p, -ETIMEDOUT,
					    "the toy did not confirm; it still knows this host");
		}
		if (rc != -EACCES)
			return pawlink_fail(p, -ETIMEDOUT,
					    "the toy did not confirm that it forgot this host");
	} else if (rc) {
		return rc;
	}
	return pawlink_keystore_toy_erase(&p->ks, toy_id, p->err,
					  sizeof(p->err));
}

int pawlink_forget(struct pawlink *p, const uint8_t toy_id[PAWLINK_ID_LEN])
{
	char saved[PAWLINK_ERR_MAX];
	int toy_rc = 0, rc;

	if (p->session && !memcmp(p->toy_id, toy_id, PAWLINK_ID_LEN)) {
		toy_rc = pawlink_unpair(p);
		/* Unpairing erased the pin; nothing more to do here. */
		if (toy_rc == 0)
			return 0;
		snprintf(saved, sizeof(saved), "%s", p->err);
	}
	rc = pawlink_keystore_toy_erase(&p->ks, toy_id, p->err,
					sizeof(p->err));
	if (rc)
		return rc;
	if (toy_rc)
		return pawlink_fail(p, toy_rc,
				    "erased on this host, but %s", saved);
	return 0;
}

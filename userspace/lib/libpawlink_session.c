// SPDX-License-Identifier: GPL-2.0
/*
 * Sessions through the façade (libpawlink.h): the host half of the
 * session handshake (session.h) over the transport, its keys installed in
 * the transport and confirmed by a first sealed request; and unpairing
 * and forgetting, which end one.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <sodium.h>

#include "libpawlink_priv.h"
#include "session.h"

/* A lost INIT or RESP costs a new INIT, which the toy takes in its place. */
#define SESSION_ATTEMPTS	6
#define SESSION_REPLY_MS	1000
/*
 * Handshakes whose keys the toy never confirmed (a replayed INIT can
 * replace what it staged), each confirmed by a STATUS sent this often.
 */
#define CONFIRM_ROUNDS		3
#define CONFIRM_TRIES		4


static int session_reject_errno(struct pawlink *p, uint8_t reason)
{
	switch (reason) {
	case PAWLINK_SESS_REJ_AUTH:
		return pawlink_fail(p, -EACCES,
				    "the toy does not know this host (unpaired, or reset): pair again");
	case PAWLINK_SESS_REJ_BUSY:
		return pawlink_fail(p, -EBUSY,
				    "the toy is in a session with another host: try again when it ends");
	case PAWLINK_SESS_REJ_VERSION:
		return pawlink_fail(p, -EPROTONOSUPPORT,
				    "the toy speaks another session version");
	default:
		return pawlink_fail(p, -EPROTO,
				    "the toy refused the session (reason %u)",
				    reason);
	}
}

/*
 * The INIT's stamp: wall-clock microseconds, so that it grows across runs
 * of pawctl without a write per session, and never repeats within one.
 * A clock set back stalls this host until it passes its last stamp.
 */
static uint64_t next_stamp(struct pawlink *p)
{
	struct timespec ts;
	uint64_t now = 0;

	if (clock_gettime(CLOCK_REALTIME, &ts) == 0 && ts.tv_sec > 0)
		now = (uint64_t)ts.tv_sec * 1000000 +
		      (uint64_t)ts.tv_nsec / 1000;
	if (now <= p->last_stamp)
		now = p->last_stamp + 1;
	p->last_stamp = now;
	return now;
}

/* Drops frames that are already waiting: answers to an older attempt. */
static void drain(struct pawlink *p)
{
	uint8_t buf[PAWLINK_FRAME_MAX];
	size_t len;

	while (pawlink_receive(p, 0, 0, buf, &len) == 0)
		;
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
	uint8_t init[PAWLINK_SESS_INIT_LEN], in[PAWLINK_FRAME_MAX];
	struct pawlink_session_host hs, trial;
	size_t init_len, in_len;
	uint64_t deadline;
	int rc;

	drain(p);
	rc = pawlink_session_host_start_at(&hs, p->host.secret_key,
					   toy->static_key, 0, next_stamp(p),
					   init, sizeof(init), &init_len);
	if (rc)
		return pawlink_fail(p, rc, "session setup failed: %s",
				    strerror(-rc));
	rc = pawlink_send(p, init, init_len);
	if (rc)
		goto out;
	deadline = pawlink_now_us(p) + SESSION_REPLY_MS * 1000ULL;
	for (;;) {
		rc = pawlink_receive(p, deadline, PAWLINK_RX_SESSION, in,
				     &in_len);
		if (rc == -ETIMEDOUT) {
			rc = 1;
			goto out;
		}
		if (rc) {
			rc = pawlink_fail(p, rc, "receiving from the toy failed: %s",
					  pawlink_link_error(rc));
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

void pawlink_session_forget(struct pawlink *p)
{
	pawlink_msg_host_free(p->msg);
	p->msg = NULL;
	p->session = false;
	memset(p->toy_id, 0, sizeof(p->toy_id));
	memset(p->hash, 0, sizeof(p->hash));
}

void pawlink_session_drop(struct pawlink *p)
{
	p->t->ops->disconnect(p->t);
	pawlink_session_forget(p);
}

/*
 * A handshake, then keys in the transport: 0, or a negative error with
 * the transport disconnected.
 */
static int handshake(struct pawlink *p, const struct pawlink_toy_record *toy,
		     const char *hex)
{
	uint8_t addr[PAWLINK_ID_LEN], moved[PAWLINK_ID_LEN];
	struct pawlink_session_result res;
	int attempt, rc;

	/* Its address on the air rotates (beacon_id.h): find it first. */
	pawlink_toy_address(p, toy, addr);
	rc = p->t->ops->connect(p->t, addr);
	if (rc)
		return pawlink_fail(p, rc, "cannot reach toy %s: %s", hex,
				    pawlink_link_error(rc));
	memset(&res, 0, sizeof(res));
	rc = 1;
	for (attempt = 0; attempt < SESSION_ATTEMPTS && rc == 1; attempt++) {
		/*
		 * No answer: the toy may have taken a new address just as we
		 * found the old one (a closing pairing window, a rotation),
		 * and a dongle lists an id for seconds after its last beacon.
		 * Look again, and follow it if it moved.
		 */
		if (attempt && pawlink_toy_address(p, toy, moved) == 0 &&
		    memcmp(moved, addr, sizeof(addr))) {
			memcpy(addr, moved, sizeof(addr));
			p->t->ops->disconnect(p->t);
			rc = p->t->ops->connect(p->t, addr);
			if (rc)
				return pawlink_fail(p, rc,
						    "cannot reach toy %s: %s",
						    hex, pawlink_link_error(rc));
			rc = 1;
		}
		rc = session_run(p, toy, &res);
	}
	if (rc == 1)
		rc = pawlink_fail(p, -ETIMEDOUT,
				  "toy %s did not answer: out of range, or switched off",
				  hex);
	if (rc == 0) {
		rc = p->t->ops->set_keys(p->t, &res.keys);
		if (rc)
			rc = pawlink_fail(p, rc,
					  "installing the session keys failed: %s",
					  pawlink_link_error(rc));
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

	rc = pawlink_need_transport(p);
	if (rc)
		return rc;
	if (p->session)
		return pawlink_fail(p, -EISCONN, "a session is already open");
	rc = pawlink_need_host(p);
	if (rc)
		return rc;
	pawlink_toy_id_hex(hex, toy_id);
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

/*
 * Only the toy's authenticated UNPAIR answer lets this host erase its pin.
 * If the answer is lost, a new session asks again; a REJECT on the way
 * (unauthenticated: anyone can forge one) proves nothing, so the pin stays
 * and the caller hears that the toy could not confirm.
 */
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
	if (rc == -ETIMEDOUT) {
		/* The answer may be what got lost: ask again, in a session. */
		if (pawlink_connect(p, toy_id, NULL) != 0)
			return pawlink_fail(p, -ETIMEDOUT,
					    "the toy could not confirm that it forgot this host; this host still holds its pin");
		rc = pawlink_toy_request(p, &req, &resp, PAWLINK_END_TRIES);
		pawlink_session_drop(p);
		if (rc == -ETIMEDOUT)
			return pawlink_fail(p, rc,
					    "the toy could not confirm that it forgot this host; this host still holds its pin");
	}
	if (rc)
		return rc;
	if (resp.status != PAWLINK_TOY_OK)
		return pawlink_fail(p, -EIO, "the toy could not unpair: %s",
				    pawlink_toy_status_str(resp.status));
	return pawlink_keystore_toy_erase(&p->ks, toy_id, p->err,
					  sizeof(p->err));
}

int pawlink_forget(struct pawlink *p, const uint8_t toy_id[PAWLINK_ID_LEN])
{
	char saved[PAWLINK_ERR_MAX], hex[PAWLINK_TOY_HEX_LEN + 1];
	int toy_rc = 0, rc;

	if (p->session && !memcmp(p->toy_id, toy_id, PAWLINK_ID_LEN)) {
		toy_rc = pawlink_unpair(p);
		/* Unpairing erased the pin; nothing more to do here. */
		if (toy_rc == 0)
			return 0;
		snprintf(saved, sizeof(saved), "%s", p->err);
	}
	rc = pawlink_need_store(p, false);
	if (rc == 0)
		rc = pawlink_keystore_toy_erase(&p->ks, toy_id, p->err,
						sizeof(p->err));
	if (rc == -ENOENT) {
		pawlink_toy_id_hex(hex, toy_id);
		return pawlink_fail(p, rc,
				    "this host holds nothing about toy %s", hex);
	}
	if (rc)
		return rc;
	if (toy_rc)
		return pawlink_fail(p, toy_rc,
				    "erased on this host, but %s", saved);
	return 0;
}

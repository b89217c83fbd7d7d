// SPDX-License-Identifier: GPL-2.0
/*
 * Pairing through the façade (libpawlink.h): the host half of the
 * pairing protocol (pairing.h) driven over the transport, with a new
 * HELLO where a lost message can be asked for again.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <sodium.h>

#include "libpawlink_priv.h"
#include "pairing.h"
#include "setup_code.h"

/* A lost HELLO or RESPONSE costs a new HELLO; the toy charges each. */
#define PAIR_ATTEMPTS		3
#define PAIR_REPLY_MS		2000

static int pair_result_errno(struct pawlink *p, enum pawlink_pair_result r)
{
	switch (r) {
	case PAWLINK_PAIR_FAILED:
		return pawlink_fail(p, -EACCES,
				    "pairing failed: wrong setup code (or invite code), or the toy's pairing window is not open (a new toy: press its button and use the printed code; a paired toy: run 'pawctl invite' on a host it knows and use that code), or the toy already knows this host");
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
	rc = pawlink_send(p, out, out_len);
	if (rc)
		goto out;
	deadline = pawlink_now_us(p) + PAIR_REPLY_MS * 1000ULL;
	for (;;) {
		rc = pawlink_receive(p, deadline, PAWLINK_RX_PAIR, in,
				     &in_len);
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
					  pawlink_link_error(rc));
			goto out;
		}
		r = pawlink_pair_host_receive(&h, in, in_len, out, &out_len);
		if (r == PAWLINK_PAIR_SEND) {
			rc = pawlink_send(p, out, out_len);
			if (rc)
				goto out;
			confirmed = true;
			deadline = pawlink_now_us(p) +
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
	struct pawlink_keystore_reservation room;
	struct pawlink_pair_host_params params;
	struct pawlink_toy_record rec;
	struct pawlink_pair_peer toy;
	char hex[2 * PAWLINK_ID_LEN + 1];
	const char *why = NULL;
	int attempt, rc;

	rc = pawlink_need_transport(p);
	if (rc)
		return rc;
	if (p->session)
		return pawlink_fail(p, -EISCONN,
				    "a session is open: disconnect before pairing");
	if (!name)
		name = "";
	/* Whether another toy has the name is the caller's to ask first. */
	if (!pawlink_keystore_name_ok(name))
		return pawlink_fail(p, -EINVAL,
				    "a toy's name is at most %d printable characters",
				    PAWLINK_TOY_NAME_MAX);
	rc = pawlink_need_host(p);
	if (rc)
		return rc;
	memset(&params, 0, sizeof(params));
	if (pawlink_setup_code_parse(&params.code, code_text ? code_text : "",
				     &why))
		return pawlink_fail(p, -EINVAL, "setup code: %s", why);
	memcpy(params.host_id, p->host.id, PAWLINK_ID_LEN);
	memcpy(params.host_static, p->host.public_key, PAWLINK_PAIR_STATIC_LEN);
	memcpy(params.toy_id, toy_id, PAWLINK_ID_LEN);
	/* The toy refuses a paired host's id; say why here, plainly. */
	if (pawlink_keystore_toy_load(&p->ks, toy_id, &rec, NULL, 0) == 0) {
		pawlink_toy_id_hex(hex, toy_id);
		sodium_memzero(&rec, sizeof(rec));
		rc = pawlink_fail(p, -EEXIST,
				  "this host is already paired with toy %s: a pairing never replaces a key the toy holds; unpair first (or forget, if the toy was reset)",
				  hex);
		goto out;
	}

	/*
	 * The room for the toy's key first: once the toy has pinned this
	 * host, a key this host cannot save loses the toy until its reset.
	 */
	rc = pawlink_keystore_toy_reserve(&p->ks, toy_id, &room, p->err,
					  sizeof(p->err));
	if (rc)
		goto out;
	rc = p->t->ops->connect(p->t, toy_id);
	if (rc) {
		rc = pawlink_fail(p, rc, "cannot reach the toy: %s",
				  pawlink_link_error(rc));
		goto out_drop_room;
	}
	rc = 1;
	for (attempt = 0; attempt < PAIR_ATTEMPTS && rc == 1; attempt++)
		rc = pair_run(p, &params, &toy);
	p->t->ops->disconnect(p->t);
	if (rc == 1) {
		pawlink_toy_id_hex(hex, toy_id);
		rc = pawlink_fail(p, -ETIMEDOUT,
				  "toy %s did not answer: is it in range, with its pairing window open?",
				  hex);
	}
	if (rc)
		goto out_drop_room;

	memset(&rec, 0, sizeof(rec));
	memcpy(rec.id, toy.id, PAWLINK_ID_LEN);
	memcpy(rec.static_key, toy.static_key, PAWLINK_PAIR_STATIC_LEN);
	snprintf(rec.name, sizeof(rec.name), "%s", name);
	rc = pawlink_keystore_toy_save_reserved(&p->ks, &room, &rec, p->err,
						sizeof(p->err));
	goto out;
out_drop_room:
	pawlink_keystore_reservation_drop(&p->ks, &room);
out:
	pawlink_setup_code_wipe(&params.code);
	sodium_memzero(&params, sizeof(params));
	return rc;
}

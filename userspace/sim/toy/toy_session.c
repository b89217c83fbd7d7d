// SPDX-License-Identifier: GPL-2.0
/*
 * Sessions (Documentation/toy.rst, "The gate" and "Sessions"): the record
 * layer (record_layer.h) opens every record here first, and what fails is
 * dropped and counted there; the Noise KK responder (session.h) answers
 * INITs; and the session's keys live and die here.
 *
 * Plaintext passes only while no session is keyed (the record layer drops
 * it in one); the first record that authenticates under staged keys
 * starts the session with the host that staged them.  Where an opened
 * record goes next is the dispatcher's (toy_core.c) business, and so is
 * what else a session's end stops.
 */
#include <errno.h>
#include <string.h>

#include <sodium.h>

#include "session.h"
#include "toy_priv.h"

/*
 * Answers an INIT with the pinned hosts' keys.  Unkeyed, it came in the
 * clear and its RESP goes back the same way; in a session it came sealed
 * (a rekey) and its RESP is sealed too.
 */
void toy_session_init(struct toy *t, const uint8_t src[PAWLINK_ID_LEN],
		      const uint8_t *msg, size_t len)
{
	uint8_t pubs[PAWLINK_POLICY_MAX_HOSTS][PAWLINK_SESSION_KEY_LEN];
	uint8_t out[PAWLINK_SESS_MSG_LEN];
	struct pawlink_session_result res;
	uint32_t epoch = t->link.keyed ? t->link.tx_ctrl.epoch : 0;
	size_t out_len = 0;
	unsigned int i;
	int rc;

	for (i = 0; i < t->policy.n_hosts; i++)
		memcpy(pubs[i], t->policy.hosts[i].static_key,
		       PAWLINK_SESSION_KEY_LEN);
	rc = pawlink_session_toy_respond(t->id.secret, (const void *)pubs,
					 t->policy.n_hosts, epoch, msg, len,
					 out, sizeof(out), &out_len, &res);
	sodium_memzero(pubs, sizeof(pubs));
	/* In a session only the session's host may renew its keys. */
	if (rc == 0 && t->session &&
	    memcmp(t->policy.hosts[res.host_index].id, t->host,
		   PAWLINK_ID_LEN) != 0)
		rc = -EACCES;
	if (rc == 0)
		rc = pawlink_record_link_stage(&t->link, &res.keys,
					       PAWLINK_ROLE_TOY);
	if (rc == 0) {
		t->staged = true;
		memcpy(t->staged_peer, src, PAWLINK_ID_LEN);
		memcpy(t->staged_host, t->policy.hosts[res.host_index].id,
		       PAWLINK_ID_LEN);
	}
	pawlink_session_result_wipe(&res);
	if (rc == -EACCES || rc == -EKEYREJECTED)
		toy_log_event(t, PAWLINK_TOY_EV_SESSION_REJECT, 0, NULL);
	if (!out_len || (rc && t->session))
		return;
	if (t->session)
		toy_send(t, PAWLINK_CH_CTRL, out, out_len);
	else
		toy_send_plain(t, src, out, out_len);
}

/* The staged keys just took over: a new session, or a rekey of this one. */
static bool session_started(struct toy *t, bool was_keyed)
{
	t->staged = false;
	if (was_keyed)
		return false;
	memcpy(t->peer, t->staged_peer, PAWLINK_ID_LEN);
	memcpy(t->host, t->staged_host, PAWLINK_ID_LEN);
	t->session = true;
	t->c.sessions++;
	toy_log_event(t, PAWLINK_TOY_EV_SESSION_START, 0, t->host);
	return true;
}

int toy_session_open(struct toy *t, const uint8_t *rec, size_t len,
		     struct toy_record *r)
{
	bool was_keyed = t->link.keyed;
	uint32_t was_epoch = t->link.tx_ctrl.epoch;
	int rc;

	r->started = false;
	rc = pawlink_record_link_open(&t->link, rec, len, &r->channel, r->pt,
				      sizeof(r->pt), &r->len);
	if (rc)
		return rc;
	if (r->channel == PAWLINK_CH_PLAIN)
		return 0;
	if (!was_keyed || t->link.tx_ctrl.epoch != was_epoch)
		r->started = session_started(t, was_keyed);
	t->heard_us = toy_now(t);
	return 0;
}

void toy_session_close(struct toy *t, uint8_t reason)
{
	/* The drop counts outlive the link they were counted on. */
	t->c.dropped_plaintext += t->link.dropped_plaintext;
	t->c.dropped_auth += t->link.rx_ctrl.stats.forged +
			     t->link.rx_audio.stats.forged;
	t->c.dropped_replay += t->link.rx_ctrl.stats.replayed +
			       t->link.rx_audio.stats.replayed;
	t->c.dropped_malformed += t->link.rx_ctrl.stats.malformed +
				  t->link.rx_audio.stats.malformed;
	pawlink_record_link_wipe(&t->link);
	t->staged = false;
	t->session = false;
	toy_log_event(t, PAWLINK_TOY_EV_SESSION_END, reason, t->host);
	memset(t->peer, 0, sizeof(t->peer));
	memset(t->host, 0, sizeof(t->host));
}

bool toy_session_idle(const struct toy *t)
{
	return t->session && toy_now(t) - t->heard_us >= TOY_SESSION_IDLE_US;
}

uint64_t toy_session_deadline(const struct toy *t)
{
	return t->session ? t->heard_us + TOY_SESSION_IDLE_US : UINT64_MAX;
}

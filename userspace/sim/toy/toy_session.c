// SPDX-License-Identifier: GPL-2.0
/*
 * The gate every received record passes, and the session's life
 * (Documentation/toy.rst, "Sessions").
 *
 * The record layer (record_layer.h) opens each record first; what fails is
 * dropped and counted there.  Then:
 *
 *  - plaintext (only while no session is keyed): pairing messages go to
 *    pairing, a session INIT to the Noise KK responder (session.h), and
 *    anything else (a command sent in the clear) is refused and counted;
 *  - sealed and authenticated (a session): the first record under staged
 *    keys starts the session; after that control frames go to the
 *    message service and the toy's commands, audio to the speaker.
 *
 * So nothing reaches the toy's functions without a session with a pinned
 * host.  A session ends on BYE, UNPAIR, a factory reset, or after
 * TOY_SESSION_IDLE_US without an authenticated record from the host.
 */
#include <errno.h>
#include <string.h>

#include <sodium.h>

#include "msg_wire.h"
#include "session.h"
#include "toy_priv.h"

static void send_plain(struct toy *t, const uint8_t dst[PAWLINK_ID_LEN],
		       const uint8_t *body, size_t len)
{
	uint8_t rec[PAWLINK_REC_HDR_LEN + PAWLINK_SESS_MSG_LEN];
	size_t rec_len;

	if (pawlink_record_write_plain(PAWLINK_CH_PLAIN, body, len, rec,
				       sizeof(rec), &rec_len) == 0)
		t->pf.radio_send(t->pf.ctx, dst, rec, rec_len);
}

int toy_session_send(struct toy *t, uint8_t channel, const uint8_t *pt,
		     size_t len)
{
	uint8_t rec[PAWLINK_RECORD_MAX];
	size_t rec_len;
	int rc;

	if (!t->session)
		return -ENOTCONN;
	rc = pawlink_record_link_seal(&t->link, channel, pt, len, rec,
				      sizeof(rec), &rec_len);
	if (rc)
		return rc;
	return t->pf.radio_send(t->pf.ctx, t->peer, rec, rec_len);
}

/*
 * Answers an INIT with the pinned hosts' keys.  Unkeyed, it came in the
 * clear and its RESP goes back the same way; in a session it came sealed
 * (a rekey) and its RESP is sealed too.
 */
static void session_init(struct toy *t, const uint8_t src[PAWLINK_ID_LEN],
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
		toy_session_send(t, PAWLINK_CH_CTRL, out, out_len);
	else
		send_plain(t, src, out, out_len);
}

/* A message service for the session's host; without memory, none. */
static void messages_open(struct toy *t)
{
	static const struct pawlink_msg_toy_ops msg_ops = {
		.play = toy_play_message,
	};

	if (pawlink_msg_toy_new(&t->msg, t->pf.messages(t->pf.ctx), t->host,
				&msg_ops, t))
		t->msg = NULL;
	t->xfer_req_valid = false;
}

/*
 * A message-protocol frame of the session.  The host's client runs one
 * operation at a time, so a request that is not a repeat of the one that
 * started the transfer still running means the host is done with that
 * transfer (its XFER_END may have been lost): the service starts afresh
 * (an unfinished upload is checkpointed) rather than hold the message
 * busy until its own timeout.
 */
static void messages_input(struct toy *t, const uint8_t *frame, size_t len)
{
	struct pawlink_msg_frame f;

	if (pawlink_msg_decode(&f, frame, len) == 0 &&
	    pawlink_msg_is_request(f.type)) {
		if (pawlink_msg_toy_busy(t->msg) &&
		    !(t->xfer_req_valid && f.type == t->xfer_req_type &&
		      f.tag == t->xfer_req_tag)) {
			pawlink_msg_toy_free(t->msg);
			messages_open(t);
			if (!t->msg)
				return;
		}
		if (f.type == PAWLINK_MSG_PUT_REQ ||
		    f.type == PAWLINK_MSG_GET_REQ) {
			t->xfer_req_valid = true;
			t->xfer_req_type = f.type;
			t->xfer_req_tag = f.tag;
		}
	}
	pawlink_msg_toy_input(t->msg, frame, len, toy_now(t));
}

/* The staged keys just took over: a new session, or a rekey of this one. */
static void session_started(struct toy *t, bool was_keyed)
{
	t->staged = false;
	if (was_keyed)
		return;
	memcpy(t->peer, t->staged_peer, PAWLINK_ID_LEN);
	memcpy(t->host, t->staged_host, PAWLINK_ID_LEN);
	toy_commands_reset(t);
	messages_open(t);
	t->session = true;
	t->c.sessions++;
	toy_log_event(t, PAWLINK_TOY_EV_SESSION_START, 0, t->host);
}

void toy_session_end(struct toy *t, uint8_t reason)
{
	if (!t->session)
		return;
	toy_mic_stop(t, PAWLINK_TOY_MIC_SESSION_END);
	pawlink_msg_toy_free(t->msg);
	t->msg = NULL;
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
	toy_commands_reset(t);
	toy_log_event(t, PAWLINK_TOY_EV_SESSION_END, reason, t->host);
	memset(t->peer, 0, sizeof(t->peer));
	memset(t->host, 0, sizeof(t->host));
}

/* A record that came in the clear: only beacons' world may use it. */
static void plaintext(struct toy *t, const uint8_t src[PAWLINK_ID_LEN],
		      const uint8_t *body, size_t len)
{
	uint8_t type = len ? body[0] : 0;

	if (type >= PAWLINK_PAIR_MSG_HELLO && type <= PAWLINK_PAIR_MSG_BUSY)
		toy_pairing_input(t, src, body, len);
	else if (type == PAWLINK_SESS_INIT)
		session_init(t, src, body, len);
	else
		t->c.refused_unauth++;	/* a command without a session */
}

/* An authenticated control frame of the session. */
static void control(struct toy *t, const uint8_t *pt, size_t len)
{
	uint8_t type = pt[0];

	if (type == PAWLINK_SESS_INIT)
		session_init(t, t->peer, pt, len);
	else if (type >= PAWLINK_MSG_TYPE_FIRST &&
		 type <= PAWLINK_MSG_TYPE_LAST && t->msg)
		messages_input(t, pt, len);
	else if (type >= PAWLINK_TOY_TYPE_FIRST &&
		 type <= PAWLINK_TOY_TYPE_LAST)
		toy_command(t, pt, len);
}

void toy_receive(struct toy *t, const uint8_t src[PAWLINK_ID_LEN],
		 const uint8_t *rec, size_t len)
{
	uint8_t pt[PAWLINK_FRAME_MAX];
	bool was_keyed = t->link.keyed;
	uint32_t was_epoch = t->link.tx_ctrl.epoch;
	uint8_t channel;
	size_t n;

	if (pawlink_record_link_open(&t->link, rec, len, &channel, pt,
				     sizeof(pt), &n))
		return;		/* dropped, and counted by the link */
	if (channel == PAWLINK_CH_PLAIN) {
		plaintext(t, src, pt, n);
		return;
	}
	if (!was_keyed || t->link.tx_ctrl.epoch != was_epoch)
		session_started(t, was_keyed);
	t->heard_us = toy_now(t);
	if (channel == PAWLINK_CH_AUDIO)
		toy_audio_from_host(t, pt, n);
	else if (n > 0)
		control(t, pt, n);
	sodium_memzero(pt, n);
}

void toy_session_tick(struct toy *t)
{
	if (t->session && toy_now(t) - t->heard_us >= TOY_SESSION_IDLE_US)
		toy_session_end(t, PAWLINK_TOY_END_IDLE);
}

uint64_t toy_session_deadline(const struct toy *t)
{
	return t->session ? t->heard_us + TOY_SESSION_IDLE_US : UINT64_MAX;
}

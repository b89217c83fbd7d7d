// SPDX-License-Identifier: GPL-2.0
/*
 * The toy's commands (toy_cmd.h, Documentation/toy.rst "Commands"), which
 * only the dispatcher (toy_core.c) calls: an authenticated frame from the
 * session's host.  Each request gets one answer; the last answer is kept
 * so that a repeated request (same type and tag: the host resending after
 * a loss) is answered again without being done twice.  A command that
 * ends the session (BYE, UNPAIR) answers first and leaves the ending to
 * the dispatcher.
 */
#include <errno.h>
#include <string.h>

#include <sodium.h>

#include "toy_priv.h"

void toy_commands_reset(struct toy *t)
{
	t->resp_valid = false;
	t->resp_len = 0;
	/* The kept answer may be an invite's code: it ends here. */
	sodium_memzero(t->resp, sizeof(t->resp));
}

/* Sends @resp and keeps it for a repeat of request @req_type. */
static void answer(struct toy *t, uint8_t req_type,
		   struct pawlink_toy_frame *resp)
{
	int len;

	resp->type = (uint8_t)(req_type + 1);
	len = pawlink_toy_encode(t->resp, sizeof(t->resp), resp);
	if (len < 0) {
		/* Only a bug here could make it; say so plainly. */
		struct pawlink_toy_frame e = {
			.type = resp->type, .tag = resp->tag,
			.status = PAWLINK_TOY_E_IO,
		};

		len = pawlink_toy_encode(t->resp, sizeof(t->resp), &e);
	}
	if (len < 0)
		return;
	t->resp_valid = true;
	t->resp_type = req_type;
	t->resp_tag = resp->tag;
	t->resp_len = (size_t)len;
	toy_send(t, PAWLINK_CH_CTRL, t->resp, t->resp_len);
}

static void answer_status(struct toy *t, const struct pawlink_toy_frame *req,
			  int status)
{
	struct pawlink_toy_frame resp = {
		.tag = req->tag, .status = (uint8_t)status,
	};

	answer(t, req->type, &resp);
}

static void cmd_status(struct toy *t, const struct pawlink_toy_frame *req)
{
	struct pawlink_toy_frame resp = { .tag = req->tag };

	toy_get_status(t, &resp.u.status);
	answer(t, req->type, &resp);
}

static void cmd_volume(struct toy *t, const struct pawlink_toy_frame *req)
{
	uint8_t old = t->volume;

	t->volume = req->u.value;
	if (toy_settings_save(t)) {
		t->volume = old;
		answer_status(t, req, PAWLINK_TOY_E_IO);
		return;
	}
	answer_status(t, req, PAWLINK_TOY_OK);
}

static void cmd_log(struct toy *t, const struct pawlink_toy_frame *req)
{
	struct pawlink_toy_frame resp = { .tag = req->tag };

	toy_log_read(t, req->u.from, &resp);
	answer(t, req->type, &resp);
}

/* @id's record in @policy, or NULL. */
static const struct pawlink_paired_host *
host_in(const struct pawlink_pair_policy *policy,
	const uint8_t id[PAWLINK_ID_LEN])
{
	unsigned int i;

	for (i = 0; i < policy->n_hosts; i++)
		if (!memcmp(policy->hosts[i].id, id, PAWLINK_ID_LEN))
			return &policy->hosts[i];
	return NULL;
}

/*
 * @id was removed (its record in @before): a tombstone for its INITs.  A
 * failed save loses only the "pair again" answer to its next fresh INIT
 * (it then gets nothing, as its replays do), so it does not fail the
 * removal.
 */
static void tombstone(struct toy *t, const struct pawlink_pair_policy *before,
		      const uint8_t id[PAWLINK_ID_LEN])
{
	const struct pawlink_paired_host *h = host_in(before, id);

	if (h)
		(void)toy_session_forget(t, h);
}

/* Forgets the session's host for good; then the session must end. */
static uint8_t cmd_unpair(struct toy *t, const struct pawlink_toy_frame *req)
{
	struct pawlink_pair_policy before = t->policy;

	if (pawlink_policy_unpair(&t->policy, t->host) ||
	    toy_policy_persist(&t->policy, t)) {
		t->policy = before;
		sodium_memzero(&before, sizeof(before));
		answer_status(t, req, PAWLINK_TOY_E_IO);
		return 0;
	}
	tombstone(t, &before, t->host);
	sodium_memzero(&before, sizeof(before));
	answer_status(t, req, PAWLINK_TOY_OK);
	toy_log_event(t, PAWLINK_TOY_EV_UNPAIR, 0, t->host);
	return PAWLINK_TOY_END_UNPAIRED;
}

/* Every paired host, with the toy's clock to read their times by. */
static void cmd_hosts(struct toy *t, const struct pawlink_toy_frame *req)
{
	struct pawlink_toy_frame resp = { .tag = req->tag };
	unsigned int i;

	resp.u.hosts.boot = t->log.boot;
	resp.u.hosts.uptime_ms = (toy_now(t) - t->boot_us) / 1000;
	resp.u.hosts.count = (uint8_t)t->policy.n_hosts;
	for (i = 0; i < t->policy.n_hosts; i++) {
		const struct pawlink_paired_host *h = &t->policy.hosts[i];
		struct pawlink_toy_host_info *e = &resp.u.hosts.entries[i];

		memcpy(e->id, h->id, PAWLINK_ID_LEN);
		memcpy(e->name, h->name, sizeof(e->name));
		e->you = memcmp(h->id, t->host, PAWLINK_ID_LEN) == 0;
		e->paired_boot = h->paired_boot;
		e->paired_ms = h->paired_ms;
		e->seen = h->seen;
		e->seen_ms = h->seen ? h->seen_ms : 0;
	}
	answer(t, req->type, &resp);
}

/*
 * Forgets another paired host for good (HomeKit's RemovePairing).  In a
 * session only the session's host can stage keys, so the revoked host
 * has none.  The session's own host unpairs itself (UNPAIR), which also
 * ends the session.
 */
static void cmd_revoke(struct toy *t, const struct pawlink_toy_frame *req)
{
	struct pawlink_pair_policy before = t->policy;
	int rc;

	if (memcmp(req->u.host_id, t->host, PAWLINK_ID_LEN) == 0) {
		answer_status(t, req, PAWLINK_TOY_E_BAD_REQUEST);
		return;
	}
	rc = pawlink_policy_unpair(&t->policy, req->u.host_id);
	if (rc) {
		answer_status(t, req, PAWLINK_TOY_E_NOT_FOUND);
		return;
	}
	if (toy_policy_persist(&t->policy, t)) {
		t->policy = before;
		sodium_memzero(&before, sizeof(before));
		answer_status(t, req, PAWLINK_TOY_E_IO);
		return;
	}
	tombstone(t, &before, req->u.host_id);
	sodium_memzero(&before, sizeof(before));
	answer_status(t, req, PAWLINK_TOY_OK);
	toy_log_event(t, PAWLINK_TOY_EV_REVOKE, 0, req->u.host_id);
}

/*
 * Opens the pairing window for one new host with a fresh one-time code
 * (Matter's commissioning window), which goes back sealed in this
 * session and nowhere else: never in the log, never on the air in clear.
 */
static void cmd_invite(struct toy *t, const struct pawlink_toy_frame *req)
{
	struct pawlink_toy_frame resp = { .tag = req->tag };
	struct pawlink_setup_code code;
	int rc;

	pawlink_setup_code_generate(&code);
	rc = pawlink_policy_invite(&t->policy, toy_now(t) / 1000,
				   code.digits, req->u.name);
	if (rc) {
		pawlink_setup_code_wipe(&code);
		answer_status(t, req, rc == -ENOSPC ? PAWLINK_TOY_E_FULL :
					 PAWLINK_TOY_E_BAD_REQUEST);
		return;
	}
	/* An attempt the invite ended has no keys to keep. */
	pawlink_pair_toy_tick(&t->pair, toy_now(t) / 1000);
	memcpy(resp.u.invite.code, code.digits, sizeof(resp.u.invite.code));
	resp.u.invite.valid_ms = PAWLINK_POLICY_WINDOW_MS;
	pawlink_setup_code_wipe(&code);
	answer(t, req->type, &resp);
	sodium_memzero(&resp, sizeof(resp));
	toy_log_event(t, PAWLINK_TOY_EV_INVITE, 0, t->host);
	/* Beacon the open window at once. */
	t->beacon_next_us = toy_now(t);
}

uint8_t toy_command(struct toy *t, const uint8_t *frame, size_t len)
{
	struct pawlink_toy_frame req;

	if (pawlink_toy_decode(&req, frame, len) ||
	    !pawlink_toy_is_request(req.type)) {
		/* Malformed: answer the known request types, drop the rest. */
		if (len >= PAWLINK_TOY_HDR_LEN &&
		    pawlink_toy_is_request(frame[0])) {
			req.type = frame[0];
			req.tag = (uint16_t)(frame[2] | frame[3] << 8);
			answer_status(t, &req, PAWLINK_TOY_E_BAD_REQUEST);
		}
		return 0;
	}
	if (t->resp_valid && req.type == t->resp_type &&
	    req.tag == t->resp_tag) {
		toy_send(t, PAWLINK_CH_CTRL, t->resp, t->resp_len);
		return 0;
	}
	switch (req.type) {
	case PAWLINK_TOY_STATUS_REQ:
		cmd_status(t, &req);
		break;
	case PAWLINK_TOY_LED_REQ:
		toy_led_set(t, req.u.value);
		answer_status(t, &req, PAWLINK_TOY_OK);
		break;
	case PAWLINK_TOY_VOLUME_REQ:
		cmd_volume(t, &req);
		break;
	case PAWLINK_TOY_MIC_START_REQ:
		answer_status(t, &req, toy_mic_start(t) ? PAWLINK_TOY_E_IO :
							 PAWLINK_TOY_OK);
		break;
	case PAWLINK_TOY_MIC_STOP_REQ:
		toy_mic_stop(t, PAWLINK_TOY_MIC_HOST);
		answer_status(t, &req, PAWLINK_TOY_OK);
		break;
	case PAWLINK_TOY_LOG_REQ:
		cmd_log(t, &req);
		break;
	case PAWLINK_TOY_UNPAIR_REQ:
		return cmd_unpair(t, &req);
	case PAWLINK_TOY_BYE_REQ:
		answer_status(t, &req, PAWLINK_TOY_OK);
		return PAWLINK_TOY_END_BYE;
	case PAWLINK_TOY_HOSTS_REQ:
		cmd_hosts(t, &req);
		break;
	case PAWLINK_TOY_REVOKE_REQ:
		cmd_revoke(t, &req);
		break;
	case PAWLINK_TOY_INVITE_REQ:
		cmd_invite(t, &req);
		break;
	}
	return 0;
}

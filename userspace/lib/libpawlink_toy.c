// SPDX-License-Identifier: GPL-2.0
/*
 * The toy's commands through the façade (libpawlink.h): one request and
 * its answer at a time (toy_cmd.h), resent with backoff until the toy
 * answers.  The toy answers a repeated request from its kept response, so
 * resending never does anything twice.
 */
#include <errno.h>
#include <string.h>

#include <sodium.h>

#include "bytes.h"
#include "libpawlink_priv.h"

int pawlink_toy_request(struct pawlink *p, struct pawlink_toy_frame *req,
			struct pawlink_toy_frame *resp, unsigned int tries)
{
	uint64_t timeout = PAWLINK_REQ_TIMEOUT_US, deadline;
	uint8_t out[PAWLINK_FRAME_MAX], in[PAWLINK_FRAME_MAX];
	unsigned int i;
	size_t in_len;
	int len, rc;

	req->tag = p->next_tag++;
	len = pawlink_toy_encode(out, sizeof(out), req);
	if (len < 0)
		return pawlink_fail(p, -EINVAL, "invalid toy command");
	for (i = 0; i < tries; i++) {
		rc = pawlink_send(p, out, (size_t)len);
		if (rc)
			return rc;
		deadline = pawlink_now_us(p) + timeout;
		for (;;) {
			rc = pawlink_receive(p, deadline, PAWLINK_RX_TOY, in,
					     &in_len);
			if (rc == -ETIMEDOUT)
				break;
			if (rc)
				return pawlink_fail(p, rc,
						    "receiving from the toy failed: %s",
						    pawlink_link_error(rc));
			/* An answer to an earlier request is skipped. */
			if (pawlink_toy_decode(resp, in, in_len) == 0 &&
			    resp->type == req->type + 1 &&
			    resp->tag == req->tag) {
				/* It may hold an invite's code. */
				sodium_memzero(in, sizeof(in));
				return 0;
			}
		}
		timeout = timeout * 2 > PAWLINK_REQ_TIMEOUT_MAX_US ?
			  PAWLINK_REQ_TIMEOUT_MAX_US : timeout * 2;
	}
	return pawlink_fail(p, -ETIMEDOUT, "the toy did not answer");
}

/* A request whose answer is only a status. */
static int simple_request(struct pawlink *p, struct pawlink_toy_frame *req,
			  struct pawlink_toy_frame *resp)
{
	int rc;

	rc = pawlink_need_session(p);
	if (rc)
		return rc;
	rc = pawlink_toy_request(p, req, resp, PAWLINK_REQ_TRIES);
	if (rc)
		return rc;
	switch (resp->status) {
	case PAWLINK_TOY_OK:
		return 0;
	case PAWLINK_TOY_E_BAD_REQUEST:
		return pawlink_fail(p, -EINVAL, "%s",
				    pawlink_toy_status_str(resp->status));
	default:
		return pawlink_fail(p, -EIO, "%s",
				    pawlink_toy_status_str(resp->status));
	}
}

int pawlink_status(struct pawlink *p, struct pawlink_toy_status_info *st)
{
	struct pawlink_toy_frame req = { .type = PAWLINK_TOY_STATUS_REQ }, resp;
	int rc = simple_request(p, &req, &resp);

	if (rc == 0)
		*st = resp.u.status;
	return rc;
}

int pawlink_led(struct pawlink *p, bool on)
{
	struct pawlink_toy_frame req = { .type = PAWLINK_TOY_LED_REQ }, resp;

	req.u.value = on;
	return simple_request(p, &req, &resp);
}

int pawlink_volume(struct pawlink *p, unsigned int volume)
{
	struct pawlink_toy_frame req = { .type = PAWLINK_TOY_VOLUME_REQ }, resp;

	if (volume > PAWLINK_TOY_VOLUME_MAX)
		return pawlink_fail(p, -EINVAL, "volume is 0 to %d",
				    PAWLINK_TOY_VOLUME_MAX);
	req.u.value = (uint8_t)volume;
	return simple_request(p, &req, &resp);
}

int pawlink_mic_start(struct pawlink *p)
{
	struct pawlink_toy_frame req = { .type = PAWLINK_TOY_MIC_START_REQ };
	struct pawlink_toy_frame resp;

	return simple_request(p, &req, &resp);
}

int pawlink_mic_stop(struct pawlink *p)
{
	struct pawlink_toy_frame req = { .type = PAWLINK_TOY_MIC_STOP_REQ };
	struct pawlink_toy_frame resp;

	return simple_request(p, &req, &resp);
}

int pawlink_mic_read(struct pawlink *p, int16_t *pcm, int timeout_ms)
{
	int rc;

	/* Asked before the session, so a program can check first. */
	rc = pawlink_need_transport(p);
	if (rc)
		return rc;
	if (!p->t->ops->recv_audio)
		return pawlink_fail(p, -EOPNOTSUPP,
				    "through a dongle the toy's microphone is the dongle's sound card (arecord), not this program's");
	rc = pawlink_need_session(p);
	if (rc)
		return rc;
	rc = p->t->ops->recv_audio(p->t, pcm, timeout_ms);
	if (rc == -ETIMEDOUT)
		return pawlink_fail(p, rc, "no microphone audio arrived");
	if (rc)
		return pawlink_fail(p, rc, "receiving audio failed: %s",
				    strerror(-rc));
	return 0;
}

int pawlink_log(struct pawlink *p, uint32_t from,
		struct pawlink_toy_event *out, size_t max, size_t *n,
		uint32_t *next)
{
	struct pawlink_toy_frame req = { .type = PAWLINK_TOY_LOG_REQ }, resp;
	size_t i, taken;
	int rc;

	*n = 0;
	*next = from;
	while (*n < max) {
		req.u.from = *next;
		rc = simple_request(p, &req, &resp);
		if (rc)
			return rc;
		/* Entries before the oldest held are gone: skip ahead. */
		if (*next < resp.u.log.first)
			*next = resp.u.log.first;
		taken = 0;
		for (i = 0; i < resp.u.log.count && *n < max; i++) {
			if (resp.u.log.entries[i].seq < *next)
				continue;
			out[(*n)++] = resp.u.log.entries[i];
			*next = resp.u.log.entries[i].seq + 1;
			taken++;
		}
		/* Done, or a toy that does not move on: stop asking. */
		if (taken == 0 || *next >= resp.u.log.next)
			break;
	}
	return 0;
}

/* ---- administration (toy.rst "Administration") ---- */

int pawlink_hosts(struct pawlink *p, struct pawlink_toy_host_info *out,
		  size_t max, size_t *n, uint32_t *boot, uint64_t *uptime_ms)
{
	struct pawlink_toy_frame req = { .type = PAWLINK_TOY_HOSTS_REQ }, resp;
	size_t i;
	int rc;

	*n = 0;
	rc = simple_request(p, &req, &resp);
	if (rc)
		return rc;
	for (i = 0; i < resp.u.hosts.count && i < max; i++)
		out[i] = resp.u.hosts.entries[i];
	*n = i;
	if (boot)
		*boot = resp.u.hosts.boot;
	if (uptime_ms)
		*uptime_ms = resp.u.hosts.uptime_ms;
	return 0;
}

int pawlink_revoke(struct pawlink *p, const uint8_t host_id[PAWLINK_ID_LEN])
{
	struct pawlink_toy_frame req = { .type = PAWLINK_TOY_REVOKE_REQ }, resp;
	char hex[PAWLINK_TOY_HEX_LEN + 1];
	int rc;

	if (pawlink_is_zero(host_id, PAWLINK_ID_LEN))
		return pawlink_fail(p, -EINVAL, "no host id given");
	rc = pawlink_host_id(p, req.u.host_id);
	if (rc)
		return rc;
	if (memcmp(req.u.host_id, host_id, PAWLINK_ID_LEN) == 0)
		return pawlink_fail(p, -EINVAL,
				    "that is this host: unpair removes this host");
	memcpy(req.u.host_id, host_id, PAWLINK_ID_LEN);
	rc = pawlink_need_session(p);
	if (rc)
		return rc;
	rc = pawlink_toy_request(p, &req, &resp, PAWLINK_REQ_TRIES);
	if (rc)
		return rc;
	pawlink_to_hex(hex, host_id, PAWLINK_ID_LEN);
	switch (resp.status) {
	case PAWLINK_TOY_OK:
		return 0;
	case PAWLINK_TOY_E_NOT_FOUND:
		return pawlink_fail(p, -ENOENT,
				    "the toy has no host %s paired", hex);
	case PAWLINK_TOY_E_BAD_REQUEST:
		return pawlink_fail(p, -EINVAL, "%s",
				    pawlink_toy_status_str(resp.status));
	default:
		return pawlink_fail(p, -EIO, "%s",
				    pawlink_toy_status_str(resp.status));
	}
}

int pawlink_invite(struct pawlink *p, const char *name,
		   char code[PAWLINK_INVITE_CODE_SIZE], uint32_t *valid_ms)
{
	struct pawlink_toy_frame req = { .type = PAWLINK_TOY_INVITE_REQ }, resp;
	int rc;

	memset(code, 0, PAWLINK_INVITE_CODE_SIZE);
	if (!name)
		name = "";
	if (!pawlink_toy_host_name_ok(name))
		return pawlink_fail(p, -EINVAL,
				    "a host's name is at most %d printable characters",
				    PAWLINK_TOY_HOST_NAME_LEN);
	memcpy(req.u.name, name, strlen(name));
	rc = pawlink_need_session(p);
	if (rc)
		return rc;
	rc = pawlink_toy_request(p, &req, &resp, PAWLINK_REQ_TRIES);
	if (rc)
		return rc;
	switch (resp.status) {
	case PAWLINK_TOY_OK:
		break;
	case PAWLINK_TOY_E_FULL:
		return pawlink_fail(p, -ENOSPC, "%s",
				    pawlink_toy_status_str(resp.status));
	case PAWLINK_TOY_E_BAD_REQUEST:
		return pawlink_fail(p, -EINVAL, "%s",
				    pawlink_toy_status_str(resp.status));
	default:
		return pawlink_fail(p, -EIO, "%s",
				    pawlink_toy_status_str(resp.status));
	}
	/* As printed on a toy: "1234-5678". */
	memcpy(code, resp.u.invite.code, 4);
	code[4] = '-';
	memcpy(code + 5, resp.u.invite.code + 4, 4);
	code[9] = '\0';
	if (valid_ms)
		*valid_ms = resp.u.invite.valid_ms;
	sodium_memzero(&resp, sizeof(resp));
	return 0;
}

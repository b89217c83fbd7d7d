// SPDX-License-Identifier: GPL-2.0
/*
 * The message service of a session (Documentation/toy.rst, "Voice
 * messages"): msg_toy.h over the platform's store, for the session's host,
 * fed the session's message-protocol frames by the dispatcher, and its
 * frames sent as the radio takes them.
 */
#include <stdbool.h>

#include "msg_wire.h"
#include "toy_priv.h"

/* A service for the session's host; without memory, none. */
void toy_messages_open(struct toy *t)
{
	static const struct pawlink_msg_toy_ops msg_ops = {
		.play = toy_play_message,
	};

	if (pawlink_msg_toy_new(&t->msg, t->pf.messages(t->pf.ctx), t->host,
				&msg_ops, t))
		t->msg = NULL;
	t->xfer_req_valid = false;
}

void toy_messages_close(struct toy *t)
{
	pawlink_msg_toy_free(t->msg);
	t->msg = NULL;
}

void toy_messages_drop(struct toy *t)
{
	pawlink_msg_toy_drop(t->msg);
	t->msg = NULL;
}

/*
 * A message-protocol frame of the session.  The host's client runs one
 * operation at a time, so a request that is not a repeat of the one that
 * started the transfer still running means the host is done with that
 * transfer (its XFER_END may have been lost): the service starts afresh
 * (an unfinished upload is checkpointed) rather than hold the message
 * busy until its own timeout.
 */
void toy_messages_input(struct toy *t, const uint8_t *frame, size_t len)
{
	struct pawlink_msg_frame f;

	if (!t->msg)
		return;
	if (pawlink_msg_decode(&f, frame, len) == 0 &&
	    pawlink_msg_is_request(f.type)) {
		if (pawlink_msg_toy_busy(t->msg) &&
		    !(t->xfer_req_valid && f.type == t->xfer_req_type &&
		      f.tag == t->xfer_req_tag)) {
			toy_messages_close(t);
			toy_messages_open(t);
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

static bool radio_ready(const struct toy *t)
{
	return !t->pf.radio_ready_us ||
	       t->pf.radio_ready_us(t->pf.ctx) <= toy_now(t);
}

/*
 * Message frames leave as the radio has room: the time they are stamped
 * with is the time they go.
 */
void toy_messages_run(struct toy *t)
{
	uint8_t buf[PAWLINK_FRAME_MAX];
	int n;

	t->paced = false;
	while (t->session && t->msg) {
		if (!radio_ready(t)) {
			t->paced = true;
			break;
		}
		n = pawlink_msg_toy_output(t->msg, toy_now(t), buf,
					   sizeof(buf));
		if (n <= 0)
			break;
		toy_send(t, PAWLINK_CH_CTRL, buf, (size_t)n);
	}
}

uint64_t toy_messages_deadline(const struct toy *t)
{
	uint64_t d = UINT64_MAX, ready;

	if (t->session && t->msg)
		d = pawlink_msg_toy_deadline(t->msg);
	if (t->paced) {
		ready = t->pf.radio_ready_us(t->pf.ctx);
		if (ready < d)
			d = ready;
	}
	return d;
}

/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The toy's side of the message protocol (Documentation/messages.rst): it
 * answers LIST, PUT, GET, DELETE and PLAY requests from the host of the
 * current session out of a message store (msg_store_ops.h), and runs the
 * one transfer (upload into the store, or download out of it) those
 * requests start.
 *
 * Like the transfers it is a state machine with an injected clock: feed
 * every received control frame of types 0x40-0x5f to input(), call
 * output() whenever the link can take a frame until it returns 0, and
 * call output() again at deadline() at the latest.  Times are in
 * microseconds.
 *
 * Requests are idempotent on the wire: the response to the last request
 * is kept, and a repeated request (same type and tag, as a host resends
 * after a timeout) gets the same response again without being redone.
 */
#ifndef PAWLINK_MSG_TOY_H
#define PAWLINK_MSG_TOY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <pawlink/msg.h>

#include "msg_store_ops.h"
#include "msg_xfer.h"

struct pawlink_msg_toy_ops {
	/*
	 * Plays message @info, stored in @st (read it with
	 * pawlink_msg_store_read()).  Returns PAWLINK_MSG_OK,
	 * PAWLINK_MSG_E_BUSY (already playing) or PAWLINK_MSG_E_IO.
	 */
	int (*play)(void *ctx, struct pawlink_msg_store *st,
		    const struct pawlink_msg_info *info);
};

/* Counters for `pawctl status` and tests. */
struct pawlink_msg_toy_stats {
	uint64_t requests;
	uint64_t repeats;		/* answered from the kept response */
	uint64_t dropped;		/* malformed or unexpected frames */
	uint64_t superseded;		/* transfers replaced by a new one */
	uint64_t no_xfer;		/* frames for an unknown transfer */
};

struct pawlink_msg_toy;

/*
 * A service for the session with host @peer_id over store @st (any
 * msg_store_ops.h implementation; it must outlive the service).  Uploads
 * must name @peer_id as their sender.  0, -EINVAL (no play callback) or
 * -ENOMEM.
 */
int pawlink_msg_toy_new(struct pawlink_msg_toy **out,
			struct pawlink_msg_store *st,
			const uint8_t peer_id[PAWLINK_ID_LEN],
			const struct pawlink_msg_toy_ops *ops, void *ops_ctx);
/*
 * Ends the service.  An unfinished upload is checkpointed first, so the
 * host can resume it in a later session.
 */
void pawlink_msg_toy_free(struct pawlink_msg_toy *toy);
/*
 * Frees without writing anything, as if the power went: for crash tests.
 */
void pawlink_msg_toy_drop(struct pawlink_msg_toy *toy);

/* 0, or -EBADMSG for a frame that is not a valid message-protocol frame. */
int pawlink_msg_toy_input(struct pawlink_msg_toy *toy, const uint8_t *frame,
			  size_t len, uint64_t now);
/* Length of the next frame to send (@cap >= PAWLINK_FRAME_MAX), or 0. */
int pawlink_msg_toy_output(struct pawlink_msg_toy *toy, uint64_t now,
			   uint8_t *buf, size_t cap);
uint64_t pawlink_msg_toy_deadline(const struct pawlink_msg_toy *toy);

const struct pawlink_msg_toy_stats *
pawlink_msg_toy_stats(const struct pawlink_msg_toy *toy);
/* Whether a transfer is running (not finished, not abandoned). */
bool pawlink_msg_toy_busy(const struct pawlink_msg_toy *toy);

#endif /* PAWLINK_MSG_TOY_H */

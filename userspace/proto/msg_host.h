/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The host's side of the message protocol (Documentation/messages.rst):
 * one operation at a time (list, put, get, delete, play), each a request
 * resent on timeout with backoff until the toy answers, and for put and
 * get the transfer that follows.
 *
 * A state machine with an injected clock, like the toy's: start an
 * operation, then feed every received frame of types 0x40-0x5f to
 * input(), call output() whenever the link can take a frame until it
 * returns 0, call output() at deadline() at the latest, and stop when
 * done() says so.  Times are in microseconds.
 *
 * Resuming: a put of a message the toy partly holds sends only the chunks
 * it lacks (the toy says which in PUT_RESP), so after any failure the
 * caller simply puts the same message (same metadata) again.  A get
 * resumes the same way from what the caller's sink reports it has.
 */
#ifndef PAWLINK_MSG_HOST_H
#define PAWLINK_MSG_HOST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <pawlink/msg.h>

#include "msg_xfer.h"

/*
 * Called when the toy has answered a get with the message's metadata
 * @info: set up *sink for it and mark in @have (PAWLINK_MSG_BITMAP_LEN
 * bytes, zeroed) the chunks it already holds durably.  Returns
 * PAWLINK_MSG_OK, or a status that ends the get (the transfer is aborted).
 */
typedef int (*pawlink_msg_get_begin_fn)(void *ctx,
					const struct pawlink_msg_info *info,
					struct pawlink_msg_sink *sink,
					uint8_t *have);

struct pawlink_msg_host_stats {
	uint64_t requests;
	uint64_t resends;		/* requests sent again on timeout */
	uint64_t dropped;		/* malformed or unexpected frames */
};

struct pawlink_msg_host;

/* 0 or -ENOMEM.  @host_id is this host's id, the sender of its puts. */
int pawlink_msg_host_new(struct pawlink_msg_host **out,
			 const uint8_t host_id[PAWLINK_ID_LEN]);
/* Frees; an unfinished get's sink is checkpointed and released. */
void pawlink_msg_host_free(struct pawlink_msg_host *h);

/*
 * Operations.  Each returns 0 once started, -EBUSY while another one runs
 * or -EINVAL for bad arguments (a put's metadata must pass
 * pawlink_msg_info_check() and name this host as sender; ids are never
 * all zero).  The source of a put and the context of a get must outlive
 * the operation.
 */
int pawlink_msg_host_list(struct pawlink_msg_host *h, const uint8_t *after,
			  uint64_t now);
int pawlink_msg_host_put(struct pawlink_msg_host *h,
			 const struct pawlink_msg_info *info,
			 const struct pawlink_msg_source *src, uint64_t now);
int pawlink_msg_host_get(struct pawlink_msg_host *h,
			 const uint8_t id[PAWLINK_MSG_ID_LEN],
			 pawlink_msg_get_begin_fn begin, void *ctx,
			 uint64_t now);
int pawlink_msg_host_delete(struct pawlink_msg_host *h,
			    const uint8_t id[PAWLINK_MSG_ID_LEN], uint64_t now);
int pawlink_msg_host_play(struct pawlink_msg_host *h,
			  const uint8_t id[PAWLINK_MSG_ID_LEN], uint64_t now);
/* Ends the running operation with PAWLINK_MSG_E_ABORTED, telling the toy. */
void pawlink_msg_host_cancel(struct pawlink_msg_host *h);

/* 0, or -EBADMSG for a frame that is not a valid message-protocol frame. */
int pawlink_msg_host_input(struct pawlink_msg_host *h, const uint8_t *frame,
			   size_t len, uint64_t now);
/* Length of the next frame to send (@cap >= PAWLINK_FRAME_MAX), or 0. */
int pawlink_msg_host_output(struct pawlink_msg_host *h, uint64_t now,
			    uint8_t *buf, size_t cap);
uint64_t pawlink_msg_host_deadline(const struct pawlink_msg_host *h);

/*
 * True when no operation is running; then *status (if not NULL) is the
 * last one's result: PAWLINK_MSG_OK, a PAWLINK_MSG_E_* from the toy, or a
 * local one (TIMEOUT, PROTOCOL, NOMEM).
 */
bool pawlink_msg_host_done(const struct pawlink_msg_host *h, int *status);

/* The last list: entries in id order, whether more follow, the total. */
size_t pawlink_msg_host_list_result(const struct pawlink_msg_host *h,
				    const struct pawlink_msg_info **entries,
				    bool *more, uint32_t *total);
/* The metadata of the last get (valid once the toy answered). */
const struct pawlink_msg_info *
pawlink_msg_host_get_info(const struct pawlink_msg_host *h);
/*
 * How far the running (or last) put's or get's transfer is: *@done bytes
 * of *@total are held by the receiver (the toy for a put, the sink for a
 * get; counted in whole chunks, the last one short).  false while no
 * transfer has started (a list, a delete, a request not answered yet).
 */
bool pawlink_msg_host_progress(const struct pawlink_msg_host *h,
			       uint64_t *done, uint64_t *total);
/* Counters of the last put's or get's transfer. */
const struct pawlink_msg_xfer_stats *
pawlink_msg_host_xfer_stats(const struct pawlink_msg_host *h);
const struct pawlink_msg_host_stats *
pawlink_msg_host_stats(const struct pawlink_msg_host *h);

#endif /* PAWLINK_MSG_HOST_H */

/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The air as a medium, with no I/O and no clock of its own: radios join
 * and leave, offer frames, and the owner of the clock asks which frames
 * are due and has them delivered.  `pawsim air` drives it from
 * CLOCK_MONOTONIC over a socket; the in-process air (sim/air_local.h) drives
 * it from a virtual clock.  Both therefore share one model:
 *
 *  - one frame on the air at a time: a frame starts when the air is free,
 *    takes bytes * 8 / rate of airtime, and arrives @latency after it ends;
 *  - frames offered at the same instant go on the air in the order their
 *    radios joined (then in the order each radio offered them);
 *  - every radio that had joined when the frame was offered hears it,
 *    except its sender, unless the loss model drops it for that receiver:
 *    one PRNG draw per (frame, receiver), receivers in join order.
 *
 * Not thread-safe: the owner serialises every call.
 */
#ifndef PAWLINK_AIR_MEDIUM_H
#define PAWLINK_AIR_MEDIUM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <pawlink/air.h>

#include "air_params.h"

struct air_medium;

/* Delivers one frame to the radio whose owner pointer is @owner. */
typedef int (*air_deliver_fn)(void *ctx, void *owner, const uint8_t *frame,
			      size_t len, uint64_t at_ns);

/* 0, -EINVAL (bad config) or -ENOMEM. */
int air_medium_new(const struct air_config *cfg, struct air_medium **out);
void air_medium_free(struct air_medium *m);

/*
 * Adds a radio; @owner is passed back to the deliver callback.  Writes
 * its slot to @slot.  0, or -ENOSPC when AIR_RADIOS_MAX are on the air.
 */
int air_medium_join(struct air_medium *m, void *owner, unsigned int *slot);
/* Frames it offered stay on the air; nothing is delivered to it any more. */
void air_medium_leave(struct air_medium *m, unsigned int slot);
void air_medium_set_id(struct air_medium *m, unsigned int slot,
		       const uint8_t id[PAWLINK_ID_LEN]);

/*
 * Offers a frame from @slot.  A frame air_frame_parse() refuses is
 * counted against the radio and is -EINVAL; -ENOBUFS when the radio
 * already has AIR_TX_BACKLOG_MAX frames offered; -ENOMEM.  An accepted
 * frame contends for the air until air_medium_schedule().
 */
int air_medium_offer(struct air_medium *m, unsigned int slot,
		     const uint8_t *frame, size_t len);
/* Counts one malformed message from @slot that never was a frame. */
void air_medium_reject(struct air_medium *m, unsigned int slot);
/* Frames @slot has offered that have not been delivered yet. */
unsigned int air_medium_backlog(const struct air_medium *m, unsigned int slot);

/* Puts every contending frame on the air, as offered at @now_ns. */
void air_medium_schedule(struct air_medium *m, uint64_t now_ns);
/* True while frames wait for air_medium_schedule(). */
bool air_medium_contending(const struct air_medium *m);
/* When the next scheduled frame arrives; UINT64_MAX if none is on the air. */
uint64_t air_medium_next_delivery(const struct air_medium *m);
/*
 * Delivers every frame due at @now_ns.  @deliver returns 0, or -ENOBUFS
 * when the receiver's queue is full (counted as an overrun).
 */
void air_medium_deliver(struct air_medium *m, uint64_t now_ns,
			air_deliver_fn deliver, void *ctx);

void air_medium_stats(const struct air_medium *m, uint64_t now_ns,
		      struct air_stats *st);
/* The stats of one radio, into @rs. */
void air_medium_radio_stats(const struct air_medium *m, unsigned int slot,
			    struct air_radio_stats *rs);

#endif /* PAWLINK_AIR_MEDIUM_H */

/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The in-process air: the same medium as `pawsim air` (sim/air_medium.h) with
 * no socket and no process, on a virtual clock, so that protocol tests run
 * deterministically and in no wall-clock time.  Radios join it with
 * radio_open_local() and are then used through radio.h like any other.
 *
 * Virtual time moves only when nothing can happen at the current instant:
 *
 *  - Single-threaded use (no RADIO_ACTOR radios): a radio_recv() that has
 *    to wait moves time itself, to the next delivery or its own deadline;
 *    air_local_step() and air_local_advance() move it explicitly.
 *  - Threaded use: each thread that runs a party (host, toy, rogue) opens
 *    its radio with RADIO_ACTOR before the threads start, and waits only
 *    in radio_recv()/radio_send*().  Time moves when every open actor
 *    radio is waiting, to the earliest delivery or deadline among the
 *    waiters.  Computation therefore takes no air time, and frames sent
 *    at one instant contend in join order, not in thread-scheduling order.
 *
 * When everyone waits forever and nothing is on the air, the waits fail
 * with -EDEADLK instead of hanging (and, with actors, keep failing: the
 * air is stuck for good).
 */
#ifndef PAWLINK_AIR_LOCAL_H
#define PAWLINK_AIR_LOCAL_H

#include <stdint.h>

#include "air_medium.h"
#include "radio.h"

/* Frames queued for one in-process radio before it overruns. */
#define AIR_LOCAL_RX_MAX	4096

struct air_local;

/* 0, -EINVAL (bad config) or -ENOMEM.  Virtual time starts at 0. */
int air_local_new(const struct air_config *cfg, struct air_local **out);
/* -EBUSY, freeing nothing, while radios are still open on it. */
int air_local_free(struct air_local *air);

uint64_t air_local_now(struct air_local *air);
/*
 * Moves time to the next delivery and delivers every frame due then.
 * 1 if it delivered, 0 if nothing is on the air, -EBUSY with actor radios
 * open (time is theirs to move).
 */
int air_local_step(struct air_local *air);
/*
 * When the next frame on the air arrives (UINT64_MAX: none), for event
 * loops that also have deadlines of their own: advance to the earlier.
 */
uint64_t air_local_next_arrival(struct air_local *air);
/* Moves time forward by @ns, delivering what falls due.  0 or -EBUSY. */
int air_local_advance(struct air_local *air, uint64_t ns);
void air_local_stats(struct air_local *air, struct air_stats *st);

/* Joins an in-process air.  @flags: RADIO_PROMISC, RADIO_ACTOR. */
int radio_open_local(struct air_local *air, unsigned int flags,
		     struct radio **out);

#endif /* PAWLINK_AIR_LOCAL_H */

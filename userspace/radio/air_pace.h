/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Pacing a sender to the air, as a radio driver with a short transmit
 * queue would: a frame is handed to the radio only when at most
 * AIR_PACE_QUEUE frames wait behind the one on the air.  Then a frame
 * leaves about when it is stamped, so round-trip samples and loss signals
 * of the message transfer are fresh, and whoever answers is not stuck
 * behind a long queue of ours.  The toy's platforms and the air
 * transport use it.
 *
 * Times are air time in ns (radio_now()); pure arithmetic, no I/O.
 */
#ifndef PAWLINK_AIR_PACE_H
#define PAWLINK_AIR_PACE_H

#include <stddef.h>
#include <stdint.h>

#include "air_params.h"

/*
 * Largest frames that may wait behind the one on the air: two ride out a
 * sender's scheduling jitter of one frame time (4.3 ms at 2 Mbit/s).
 */
#define AIR_PACE_QUEUE	2

struct air_pace {
	struct air_config cfg;		/* only the rate is used */
	uint64_t busy_until;		/* our last frame leaves the air */
};

void air_pace_init(struct air_pace *p, uint64_t rate_bps);
/* A frame of @bytes (air header included) was handed over at @now. */
void air_pace_sent(struct air_pace *p, uint64_t now, size_t bytes);
/* From when the radio may take the next frame. */
uint64_t air_pace_ready(const struct air_pace *p);

#endif /* PAWLINK_AIR_PACE_H */

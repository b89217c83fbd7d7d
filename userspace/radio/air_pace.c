// SPDX-License-Identifier: GPL-2.0
/* Pacing a sender to the air; see air_pace.h. */
#include <pawlink/air.h>

#include "air_pace.h"

void air_pace_init(struct air_pace *p, uint64_t rate_bps)
{
	air_config_init(&p->cfg);
	if (rate_bps)
		p->cfg.rate_bps = rate_bps;
	p->busy_until = 0;
}

void air_pace_sent(struct air_pace *p, uint64_t now, size_t bytes)
{
	uint64_t start = p->busy_until > now ? p->busy_until : now;

	/* Our own frames only: others' traffic shows up as a late ack. */
	p->busy_until = start + air_airtime_ns(&p->cfg, bytes);
}

uint64_t air_pace_ready(const struct air_pace *p)
{
	uint64_t queue = AIR_PACE_QUEUE *
			 air_airtime_ns(&p->cfg, PAWLINK_AIR_FRAME_MAX);

	return p->busy_until > queue ? p->busy_until - queue : 0;
}

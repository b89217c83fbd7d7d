// SPDX-License-Identifier: GPL-2.0
/* The air's configuration and airtime (air_params.h). */
#include <errno.h>

#include "air_params.h"

void air_config_init(struct air_config *cfg)
{
	cfg->rate_bps = AIR_RATE_DEFAULT;
	cfg->latency_ns = AIR_LATENCY_DEFAULT;
	cfg->loss_ppm = 0;
	cfg->seed = 0;
}

int air_config_check(const struct air_config *cfg)
{
	if (cfg->rate_bps < 1 || cfg->rate_bps > AIR_RATE_MAX)
		return -EINVAL;
	if (cfg->latency_ns > AIR_LATENCY_MAX)
		return -EINVAL;
	if (cfg->loss_ppm > AIR_LOSS_SCALE)
		return -EINVAL;
	return 0;
}

uint64_t air_airtime_ns(const struct air_config *cfg, size_t bytes)
{
	/* bytes <= PAWLINK_AIR_FRAME_MAX, so bits * 1e9 fits in 64 bits. */
	uint64_t bits = (uint64_t)bytes * 8;
	uint64_t ns = (bits * 1000000000ULL + cfg->rate_bps - 1) / cfg->rate_bps;

	return ns ? ns : 1;
}

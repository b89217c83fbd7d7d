/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What every radio may know about the simulated air (Documentation/air.rst):
 * its limits and defaults, its configuration (rate, latency, loss), the
 * airtime of a frame, and the counters `pawsim air` reports over its
 * socket.  The medium itself, which only the simulators run, is
 * sim/air_medium.h.
 */
#ifndef PAWLINK_AIR_PARAMS_H
#define PAWLINK_AIR_PARAMS_H

#include <stddef.h>
#include <stdint.h>

#include <linux/pawlink.h>

#define AIR_RATE_DEFAULT	2000000ULL	/* bit/s */
#define AIR_LATENCY_DEFAULT	1000000ULL	/* ns */
#define AIR_RATE_MAX		10000000000ULL	/* 10 Gbit/s */
#define AIR_LATENCY_MAX		10000000000ULL	/* 10 s */
#define AIR_LOSS_SCALE		1000000U	/* loss is in parts per million */

/* Radios on one air at once; all that join later are refused. */
#define AIR_RADIOS_MAX		64
/* Frames one radio may have offered and not yet delivered. */
#define AIR_TX_BACKLOG_MAX	32

struct air_config {
	uint64_t rate_bps;	/* 1 .. AIR_RATE_MAX */
	uint64_t latency_ns;	/* 0 .. AIR_LATENCY_MAX */
	uint32_t loss_ppm;	/* 0 .. AIR_LOSS_SCALE */
	uint64_t seed;		/* loss PRNG seed */
};

/* 2 Mbit/s, 1 ms, no loss, seed 0. */
void air_config_init(struct air_config *cfg);
/* 0, or -EINVAL when a field is out of range. */
int air_config_check(const struct air_config *cfg);
/* Airtime of a frame of @bytes bytes, rounded up, at least 1 ns. */
uint64_t air_airtime_ns(const struct air_config *cfg, size_t bytes);

/* What the air saw of one radio. */
struct air_radio_stats {
	uint32_t index;			/* join number, from 1 */
	uint8_t id[PAWLINK_ID_LEN];	/* as the radio set it; zero if not */
	uint64_t tx_frames;		/* accepted onto the air */
	uint64_t tx_bytes;
	uint64_t rejected;		/* malformed frames it offered */
	uint64_t rx_frames;		/* delivered to it */
	uint64_t rx_bytes;
	uint64_t rx_lost;		/* dropped by the loss model */
	uint64_t rx_overrun;		/* dropped: it did not read in time */
};

struct air_stats {
	uint64_t now_ns;		/* air time */
	uint64_t rate_bps;
	uint64_t latency_ns;
	uint64_t loss_ppm;
	uint64_t frames;		/* accepted onto the air */
	uint64_t bytes;			/* their bytes, headers included */
	uint64_t busy_ns;		/* their airtime */
	uint64_t delivered;		/* frame copies delivered */
	uint64_t lost;
	uint64_t overrun;
	uint64_t rejected;
	uint64_t joined;		/* radios ever joined */
	uint32_t nradios;		/* radios on the air now */
	struct air_radio_stats radio[AIR_RADIOS_MAX];	/* in join order */
};

#endif /* PAWLINK_AIR_PARAMS_H */

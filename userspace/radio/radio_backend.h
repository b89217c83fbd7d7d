/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Inside struct radio: what a transport (radio/radio_sock.c, sim/air_local.c) provides
 * to the façade in radio.c.  Not for users of radio.h.
 */
#ifndef PAWLINK_AIR_RADIO_BACKEND_H
#define PAWLINK_AIR_RADIO_BACKEND_H

#include "radio.h"

struct radio_ops {
	/* Offers @len bytes as a frame, unchecked; may block on backlog. */
	int (*send)(struct radio *r, const uint8_t *bytes, size_t len);
	/*
	 * The next frame from the air into rx->frame, rx->len, rx->time_ns,
	 * waiting until @deadline_ns on this radio's clock (UINT64_MAX:
	 * forever).  -ETIMEDOUT once the deadline has passed.
	 */
	int (*recv)(struct radio *r, struct radio_rx *rx, uint64_t deadline_ns);
	int (*set_id)(struct radio *r, const uint8_t id[PAWLINK_ID_LEN]);
	uint64_t (*now)(const struct radio *r);
	int (*air_stats)(struct radio *r, struct air_stats *st);
	void (*close)(struct radio *r);
};

struct radio {
	const struct radio_ops *ops;
	int fd;
	uint8_t id[PAWLINK_ID_LEN];
	bool promisc;
	struct radio_stats stats;
};

/* The socket transport: connects and waits for the welcome. */
int radio_sock_open(const char *path, struct radio **out);

#endif /* PAWLINK_AIR_RADIO_BACKEND_H */

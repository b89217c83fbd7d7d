/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The process behind `pawsim air`: the medium (sim/air_medium.h) on
 * CLOCK_MONOTONIC, serving radios on a UNIX SOCK_SEQPACKET socket with
 * the protocol of radio/air_sock.h.  Single-threaded; one ppoll() loop.
 */
#ifndef PAWSIM_AIR_SERVER_H
#define PAWSIM_AIR_SERVER_H

#include <stdbool.h>

#include "air_medium.h"

/* Messages queued for one radio before further frames overrun it. */
#define AIR_SERVER_OUT_MAX	1024
/* Messages read from one radio per turn of the loop, for fairness. */
#define AIR_SERVER_READ_BUDGET	64

struct air_server_opts {
	const char *path;		/* socket to create */
	struct air_config cfg;
	int ready_fd;			/* written "ready\n" and closed; or -1 */
};

/*
 * Runs the air until SIGINT or SIGTERM, then fills @final and removes the
 * socket.  0, or -errno if it could not start (the reason is printed).
 */
int air_server_run(const struct air_server_opts *opts, struct air_stats *final);

#endif /* PAWSIM_AIR_SERVER_H */

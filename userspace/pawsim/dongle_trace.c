// SPDX-License-Identifier: GPL-2.0
/* pawsim dongle --trace FILE: see dongle_trace.h. */
#include <endian.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <linux/pawlink.h>

#include "dongle_trace.h"

int dongle_trace_open(struct dongle_trace *tr, const char *path)
{
	tr->fd = -1;
	if (!path)
		return 0;
	if (pthread_mutex_init(&tr->lock, NULL))
		return -ENOMEM;
	tr->fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_APPEND |
		      O_CLOEXEC, 0644);
	if (tr->fd < 0) {
		int err = -errno;

		pthread_mutex_destroy(&tr->lock);
		return err;
	}
	return 0;
}

void dongle_trace_close(struct dongle_trace *tr)
{
	if (tr->fd < 0)
		return;
	close(tr->fd);
	tr->fd = -1;
	pthread_mutex_destroy(&tr->lock);
}

uint64_t dongle_trace_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

void dongle_trace_record(struct dongle_trace *tr, bool in, bool audio,
			 uint64_t start_ns, uint64_t end_ns,
			 const uint8_t *rec, size_t len)
{
	struct pawlink_rec_hdr hdr;
	char line[128];
	uint64_t counter = 0;
	int n;

	if (tr->fd < 0)
		return;
	if (len >= sizeof(hdr)) {
		memcpy(&hdr, rec, sizeof(hdr));
		counter = le64toh(hdr.counter);
	}
	n = snprintf(line, sizeof(line), "%" PRIu64 " %" PRIu64
		     " %s %s %zu %" PRIu64 "\n", start_ns, end_ns,
		     in ? "in" : "out", audio ? "audio" : "ctrl", len, counter);
	pthread_mutex_lock(&tr->lock);
	/* One write per line, O_APPEND: lines never interleave. */
	if (write(tr->fd, line, (size_t)n) < 0) {
		/* A trace we cannot write loses lines, not records. */
	}
	pthread_mutex_unlock(&tr->lock);
}

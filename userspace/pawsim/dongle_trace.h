/* SPDX-License-Identifier: GPL-2.0 */
/*
 * pawsim dongle --trace FILE: one line per record the relay moves over USB,
 * with CLOCK_MONOTONIC times, so a program in the same machine can tell
 * how long the host took with it (make bench's audio latencies):
 *
 *   <start_ns> <end_ns> in|out ctrl|audio <bytes> <counter>
 *
 * "in" (dongle to host): start is just before the write() of the transfer,
 * end when FunctionFS says the host has taken it.  "out" (host to dongle):
 * both are when the read() returned.  The counter is the record header's,
 * in the clear; nothing of a sealed body is written.
 */
#ifndef PAWSIM_DONGLE_TRACE_H
#define PAWSIM_DONGLE_TRACE_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Lock rule: lock serialises the lines of the relay's four threads. */
struct dongle_trace {
	int fd;				/* -1: no trace */
	pthread_mutex_t lock;
};

/* Opens @path (NULL: tracing off).  Returns 0 or -errno. */
int dongle_trace_open(struct dongle_trace *tr, const char *path);
void dongle_trace_close(struct dongle_trace *tr);

/* CLOCK_MONOTONIC in ns: the trace's clock. */
uint64_t dongle_trace_now(void);

/* Takes tr->lock.  One line for the record @rec of @len bytes. */
void dongle_trace_record(struct dongle_trace *tr, bool in, bool audio,
			 uint64_t start_ns, uint64_t end_ns,
			 const uint8_t *rec, size_t len);

#endif /* PAWSIM_DONGLE_TRACE_H */

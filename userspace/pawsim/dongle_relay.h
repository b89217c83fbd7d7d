/* SPDX-License-Identifier: GPL-2.0 */
/*
 * pawsim dongle: the bulk relay between the four endpoint files and the far
 * side.  It frames records by their header and nothing more: the bodies are
 * opaque (sealed by the host kernel and the toy), and no key ever reaches a
 * dongle.
 *
 * One reader thread per OUT endpoint hands each well-framed record to the
 * far side; one writer thread per IN endpoint drains a queue the far side
 * and the EP0 handler (LINK events) fill.  The relay runs while the host has
 * the interface enabled: dongle_relay_start() on FUNCTIONFS_ENABLE,
 * dongle_relay_stop() on DISABLE or UNBIND.
 */
#ifndef PAWSIM_DONGLE_RELAY_H
#define PAWSIM_DONGLE_RELAY_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#include <linux/pawlink.h>

#include "dongle_far.h"
#include "dongle_fault.h"
#include "dongle_trace.h"

/* Records waiting for the host, per IN endpoint. */
#define DONGLE_RELAY_QUEUE_DEPTH	32

/*
 * One read() on an OUT endpoint: a multiple of every wMaxPacketSize and far
 * above PAWLINK_RECORD_MAX, so a well-formed record always ends with a short
 * packet inside it and a longer transfer shows up as a full buffer.
 */
#define DONGLE_RELAY_READ_MAX		4096

enum dongle_slot_kind {
	DONGLE_SLOT_RECORD,		/* relayed from the far side */
	DONGLE_SLOT_EVENT,		/* PAWLINK_CH_EVENT from the dongle */
	DONGLE_SLOT_VANISH,		/* fault: start a transfer, never end it */
};

struct dongle_slot {
	enum dongle_slot_kind kind;
	uint16_t len;
	uint8_t rec[PAWLINK_RECORD_MAX];
};

/*
 * Lock rule: lock protects every other field.  A queue is open only while
 * its writer thread runs; pushes to a closed queue are dropped.
 */
struct dongle_queue {
	pthread_mutex_t lock;
	pthread_cond_t not_empty;
	pthread_cond_t not_full;
	bool open;
	unsigned int head, count;
	struct dongle_slot slots[DONGLE_RELAY_QUEUE_DEPTH];
};

struct dongle_relay_stats {
	atomic_ulong rx_records;	/* well-framed, handed to the far side */
	atomic_ulong rx_malformed;	/* header missing or len disagrees */
	atomic_ulong rx_oversized;	/* longer than PAWLINK_RECORD_MAX */
	atomic_ulong tx_records;	/* written to an IN endpoint */
	atomic_ulong tx_events;		/* of which LINK events */
	atomic_ulong tx_dropped;	/* no running IN endpoint, or queue full */
	atomic_ulong tx_errors;		/* write() failed or was cut short */
};

struct dongle_relay;

struct dongle_worker {
	struct dongle_relay *relay;
	enum dongle_pair pair;
	bool started;
	pthread_t thread;
};

struct dongle_relay {
	/* Set before the first start and constant afterwards. */
	int ep_fd[PAWLINK_NUM_EPS];	/* -1 for an endpoint not declared */
	struct dongle_far *far;
	struct dongle_fault *fault;
	struct dongle_trace *trace;	/* --trace; fd -1 when off */
	bool verbose;
	/* DONGLE_FAULT_VANISH: unbinds the UDC and exits; never returns. */
	void (*vanish)(void *ctx);
	void *vanish_ctx;

	/* Touched only by the thread that calls start and stop. */
	bool running;
	struct dongle_worker readers[DONGLE_NUM_PAIRS];
	struct dongle_worker writers[DONGLE_NUM_PAIRS];

	atomic_bool stop;
	atomic_ulong rx_count;		/* records received, for vanish */
	struct dongle_queue queues[DONGLE_NUM_PAIRS];

	/* DONGLE_FAULT_VANISH: the host has the endless transfer's packet. */
	pthread_mutex_t vanish_lock;
	pthread_cond_t vanish_cond;
	bool vanish_sent;

	/* Lock order: event_lock, then a queue's lock. */
	pthread_mutex_t event_lock;
	uint64_t event_counter;		/* last LINK event's record counter */

	struct dongle_relay_stats stats;

	/* The attacker modes' output, per pair: one user each (its writer). */
	struct dongle_attack_out attack_out[DONGLE_NUM_PAIRS];
	/* The control reader's, toward the toy. */
	struct dongle_attack_out attack_toy;
};

/* Sets @relay up with no far side yet; every ep_fd -1.  Returns 0 or -errno. */
int dongle_relay_init(struct dongle_relay *relay, struct dongle_fault *fault,
		      struct dongle_trace *trace, bool verbose);
void dongle_relay_destroy(struct dongle_relay *relay);

/* The callbacks a far side needs to reach the host through @relay. */
struct dongle_far_host dongle_relay_far_host(struct dongle_relay *relay);

/*
 * Starts the threads; the endpoints have just been enabled.  Returns 0 or
 * -errno (then nothing runs).  Call with the relay stopped.
 */
int dongle_relay_start(struct dongle_relay *relay);

/* Stops and joins every thread and drops what is queued.  Idempotent. */
void dongle_relay_stop(struct dongle_relay *relay);

#endif /* PAWSIM_DONGLE_RELAY_H */

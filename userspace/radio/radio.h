/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A radio on the simulated air: the userspace air path of libpawlink.
 * Host-side protocol tests, the toy, the dongle's far side and the rogue
 * all join the air through this one interface, over either
 *
 *  - a socket: radio_open() joins a running `pawsim air` (real time), or
 *  - an in-process air: radio_open_local() joins a struct air_local
 *    (sim/air_local.h, for simulators and tests), which runs on a
 *    virtual clock.
 *
 * Protocol code written against struct radio runs unchanged over both.
 * Times are air time in nanoseconds (radio_now()), so timers written with
 * it run in virtual time in-process.
 *
 * A radio keeps frames addressed to its id or to broadcast, unless it is
 * promiscuous; it never hears its own frames.
 *
 * Threads: a radio may be used by two threads at once, one sending
 * (radio_send*()) and one receiving (radio_recv(), radio_air_stats());
 * everything else, one thread at a time.  Functions return 0 (or a count)
 * on success and -errno on error.
 */
#ifndef PAWLINK_RADIO_H
#define PAWLINK_RADIO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <pawlink/air.h>

#include "air_frame.h"
#include "air_params.h"

struct radio;

/* Air time is in ns; the waits a radio takes are in ms. */
#define RADIO_NS_PER_MS	1000000ULL

/* radio_open*() flags. */
#define RADIO_PROMISC	0x1	/* keep every frame, whatever its dst */
/*
 * In-process only: this radio is served by its own thread, which waits
 * only in radio_recv() and radio_send*().  Virtual time moves only while
 * every actor radio waits (see sim/air_local.h).
 */
#define RADIO_ACTOR	0x2

/* One frame as heard. */
struct radio_rx {
	uint64_t time_ns;			/* air time it arrived */
	size_t len;				/* bytes in @frame */
	uint8_t frame[PAWLINK_AIR_FRAME_MAX];	/* exactly as on the air */
	/* Parsed view of @frame; f.payload points into this struct's @frame,
	 * so a copy of the struct must not use the original's f.payload. */
	struct air_frame f;
};

/* What this radio itself counted. */
struct radio_stats {
	uint64_t sent;		/* frames handed to the air */
	uint64_t heard;		/* frames radio_recv() returned */
	uint64_t filtered;	/* frames for another radio, not returned */
	uint64_t malformed;	/* frames from the air that did not parse */
};

/*
 * Joins the `pawsim air` listening at @path and waits for its welcome.
 * @flags: RADIO_PROMISC.  -ECONNREFUSED/-ENOENT if no air listens,
 * -EPROTO if it speaks another protocol, -ECONNRESET if it is full.
 */
int radio_open(const char *path, unsigned int flags, struct radio **out);
/* Leaves the air.  Frames already sent still reach the others. */
void radio_close(struct radio *r);

/* Sets this radio's id: the filter for received frames, the source of
 * radio_send_record() and radio_send_beacon(), its name in the stats. */
int radio_set_id(struct radio *r, const uint8_t id[PAWLINK_ID_LEN]);
/* The id set; all zero before radio_set_id(). */
void radio_get_id(const struct radio *r, uint8_t id[PAWLINK_ID_LEN]);
void radio_set_promisc(struct radio *r, bool promisc);

/*
 * Readable while a frame may be waiting.  For a socket radio this is the
 * socket; in-process it is an eventfd that is readable exactly while
 * frames are queued.  poll() on it never moves virtual time: in-process
 * threads wait in radio_recv(), single-threaded loops use air_local_step().
 */
int radio_fd(const struct radio *r);
/* Air time now, in ns. */
uint64_t radio_now(const struct radio *r);

/*
 * Sends one whole air frame, any source id (that is how a rogue forges
 * frames).  -EINVAL if air_frame_parse() refuses it.  Blocks while the
 * radio has AIR_TX_BACKLOG_MAX frames waiting for the air.
 */
int radio_send_frame(struct radio *r, const void *frame, size_t len);
/* A data frame from this radio's id to @dst carrying record @rec. */
int radio_send_record(struct radio *r, const uint8_t dst[PAWLINK_ID_LEN],
		      const void *rec, size_t len);
/* A beacon from this radio's id. */
int radio_send_beacon(struct radio *r, uint8_t flags);
/*
 * Hands @len arbitrary bytes (1 .. AIR_MSG_FRAME_MAX) to the air as a
 * frame, unchecked.  For the rogue and for tests of the air's own
 * checks: the air refuses and counts what is malformed.
 */
int radio_send_unchecked(struct radio *r, const void *bytes, size_t len);

/*
 * Waits up to @timeout_ms (air time; -1 forever, 0 just looks) for a frame
 * for this radio.  0 with @rx filled, -ETIMEDOUT, -EPIPE when the air has
 * gone, -EINTR when a signal interrupted a socket radio's wait, -EDEADLK
 * in-process when every actor waits forever.
 */
int radio_recv(struct radio *r, struct radio_rx *rx, int timeout_ms);
/* The same, until air time @deadline_ns (UINT64_MAX: forever). */
int radio_recv_until(struct radio *r, struct radio_rx *rx,
		     uint64_t deadline_ns);

void radio_get_stats(const struct radio *r, struct radio_stats *st);
/* The air's own counters (all radios, and bytes on the air). */
int radio_air_stats(struct radio *r, struct air_stats *st);

#endif /* PAWLINK_RADIO_H */

/* SPDX-License-Identifier: GPL-2.0 */
/*
 * pawsim dongle: the far side of the radio, the part of a dongle that is
 * not USB.  The relay and the EP0 handler talk to it only through these
 * operations, so the loopback (dongle_loopback.c) and the simulated air
 * are interchangeable.
 *
 * Threading: every operation may be called from any thread and at the same
 * time as any other, so an implementation locks its own state.  The
 * callbacks in struct dongle_far_host may likewise be called from any
 * thread, but never with a lock held that an operation also takes.
 */
#ifndef PAWSIM_DONGLE_FAR_H
#define PAWSIM_DONGLE_FAR_H

#include <stddef.h>
#include <stdint.h>

#include <linux/pawlink.h>

/* The two endpoint pairs: which one a record came on or goes out on. */
enum dongle_pair {
	DONGLE_PAIR_CTRL,		/* PAWLINK_EP_CTRL_OUT / _IN */
	DONGLE_PAIR_AUDIO,		/* PAWLINK_EP_AUDIO_OUT / _IN */
	DONGLE_NUM_PAIRS,
};

/* What the far side may do to the USB side; provided by the dongle. */
struct dongle_far_host {
	/*
	 * A record for the host on @pair.  The callee copies it; it may wait
	 * for room (back pressure) but returns once the relay stops.
	 */
	void (*to_host)(void *ctx, enum dongle_pair pair, const uint8_t *rec,
			size_t len);
	/* The link changed; the dongle tells the host with a LINK event. */
	void (*link_changed)(void *ctx, const struct pawlink_link *link);
	void *ctx;
};

struct dongle_far;

struct dongle_far_ops {
	const char *name;
	/* A well-framed record from the host on @pair. */
	void (*from_host)(struct dongle_far *far, enum dongle_pair pair,
			  const uint8_t *rec, size_t len);
	/* Fills up to @max beacons heard recently; returns how many. */
	size_t (*scan)(struct dongle_far *far, struct pawlink_beacon *out,
		       size_t max);
	/*
	 * Starts connecting to @toy_id.  The outcome is reported through
	 * link_changed(): CONNECTED, or IDLE when the toy is not there.
	 */
	void (*connect)(struct dongle_far *far,
			const uint8_t toy_id[PAWLINK_ID_LEN]);
	/* Drops the link (no-op when idle); reported through link_changed(). */
	void (*disconnect)(struct dongle_far *far);
	void (*get_link)(struct dongle_far *far, struct pawlink_link *out);
	void (*destroy)(struct dongle_far *far);
};

struct dongle_far {
	const struct dongle_far_ops *ops;
	struct dongle_far_host host;
};

/* The loopback far side: echoes every record, one simulated toy. */
struct dongle_far *dongle_loopback_create(const struct dongle_far_host *host);

/* The id of the loopback's one simulated toy. */
extern const uint8_t dongle_loopback_toy_id[PAWLINK_ID_LEN];

#endif /* PAWSIM_DONGLE_FAR_H */

// SPDX-License-Identifier: GPL-2.0
/*
 * pawsim dongle: the far side on the simulated air.  The dongle joins a
 * running `pawsim air` as one radio (its id is the dongle id) and relays:
 *
 *  - beacons it hears fill a table SCAN reads (most recent first; a toy not
 *    heard for DONGLE_AIR_BEACON_TTL_MS drops out);
 *  - data frames from the connected toy go to the host, on the audio pair
 *    when the record's channel is PAWLINK_CH_AUDIO, else on the control pair;
 *  - records from the host go to the connected toy as data frames;
 *  - a link whose toy is heard neither beaconing nor sending for the
 *    supervision timeout is lost, as on a radio: the toy beacons all the
 *    time, in a session too, so its beacons are the link's keepalive.
 *
 * Like a real dongle it is an untrusted relay: it looks at nothing past the
 * record header's channel byte, and the air has already checked framing.
 */
#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sodium.h>

#include "dongle_air.h"
#include "pawsim.h"
#include "radio.h"

/* A toy not heard for this long is out of range: SCAN stops listing it. */
#define DONGLE_AIR_BEACON_TTL_MS	3000
/* Distinct toys remembered; more than a SCAN reply holds. */
#define DONGLE_AIR_HEARD_MAX		(2 * PAWLINK_SCAN_MAX)
/* The simulated air has no signal strength: every toy is "close". */
#define DONGLE_AIR_RSSI			(-40)
/* How long the receive thread waits before it looks at the stop flag. */
#define DONGLE_AIR_RECV_MS		100

struct heard_toy {
	uint8_t toy_id[PAWLINK_ID_LEN];
	uint8_t flags;
	uint64_t when_ms;		/* 0: slot unused */
};

struct air_far {
	struct dongle_far far;
	struct radio *radio;
	pthread_t rx_thread;
	bool rx_started;		/* under lock */
	atomic_bool stop;
	atomic_ulong ignored;		/* frames heard that were not ours */
	pthread_mutex_t send_lock;	/* one sender on the radio at a time */
	pthread_mutex_t lock;		/* protects link and heard */
	struct pawlink_link link;
	uint64_t link_heard_ms;		/* the linked toy's last frame */
	unsigned int supervision_ms;	/* 0: the link never times out */
	struct heard_toy heard[DONGLE_AIR_HEARD_MAX];
};

static struct air_far *to_air(struct dongle_far *far)
{
	return (struct air_far *)far;
}

static uint64_t mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

static bool id_equal(const uint8_t *a, const uint8_t *b)
{
	/* Ids are public; the compare is constant time out of habit. */
	return !sodium_memcmp(a, b, PAWLINK_ID_LEN);
}

static bool heard_fresh(const struct heard_toy *h, uint64_t now)
{
	/* A beacon stamped after @now was taken is fresh, not ancient. */
	return h->when_ms && (h->when_ms >= now ||
			      now - h->when_ms <= DONGLE_AIR_BEACON_TTL_MS);
}

/* Caller holds af->lock.  The linked toy's beacon keeps its link up. */
static void heard_beacon(struct air_far *af,
			 const struct pawlink_air_beacon *b, uint64_t now)
{
	struct heard_toy *slot = &af->heard[0];
	size_t i;

	/* The toy's own slot, else the stalest one. */
	for (i = 0; i < DONGLE_AIR_HEARD_MAX; i++) {
		struct heard_toy *h = &af->heard[i];

		if (h->when_ms && id_equal(h->toy_id, b->toy_id)) {
			slot = h;
			break;
		}
		if (h->when_ms < slot->when_ms)
			slot = h;
	}
	memcpy(slot->toy_id, b->toy_id, PAWLINK_ID_LEN);
	slot->flags = b->flags;
	slot->when_ms = now;
	if (af->link.state == PAWLINK_LINK_CONNECTED &&
	    id_equal(b->toy_id, af->link.toy_id))
		af->link_heard_ms = now;
}

/* Data from the connected toy goes to the host; the rest is not ours. */
static void heard_data(struct air_far *af, const struct air_frame *f)
{
	const struct pawlink_rec_hdr *hdr;
	enum dongle_pair pair;
	bool ours;

	pthread_mutex_lock(&af->lock);
	ours = af->link.state == PAWLINK_LINK_CONNECTED &&
	       id_equal(f->src, af->link.toy_id);
	if (ours)
		af->link_heard_ms = mono_ms();
	pthread_mutex_unlock(&af->lock);
	if (!ours) {
		atomic_fetch_add(&af->ignored, 1);
		return;
	}
	/* air_frame_parse() checked that the payload is one framed record. */
	hdr = (const struct pawlink_rec_hdr *)f->payload;
	pair = hdr->channel == PAWLINK_CH_AUDIO ? DONGLE_PAIR_AUDIO :
						  DONGLE_PAIR_CTRL;
	af->far.host.to_host(af->far.host.ctx, pair, f->payload,
			     f->payload_len);
}

/*
 * A link that is up is lost: the air went away (@air_gone), or its toy
 * has been silent past the supervision timeout at @now_ms.  Takes and
 * releases af->lock; calls link_changed() without it.
 */
static void link_lost(struct air_far *af, bool air_gone, uint64_t now_ms)
{
	struct pawlink_link link;
	bool lost;

	pthread_mutex_lock(&af->lock);
	lost = af->link.state == PAWLINK_LINK_CONNECTED &&
	       (air_gone || (af->supervision_ms &&
			     now_ms > af->link_heard_ms &&
			     now_ms - af->link_heard_ms > af->supervision_ms));
	if (lost) {
		memset(&af->link, 0, sizeof(af->link));
		af->link.state = PAWLINK_LINK_LOST;
	}
	link = af->link;
	pthread_mutex_unlock(&af->lock);
	if (lost) {
		if (!air_gone)
			pawsim_msg("the toy was not heard for %u ms: link lost",
				   af->supervision_ms);
		af->far.host.link_changed(af->far.host.ctx, &link);
	}
}

/* One frame heard on the air.  Takes and releases af->lock. */
static void heard_frame(struct air_far *af, const struct air_frame *f)
{
	if (f->type == PAWLINK_AIR_BEACON) {
		pthread_mutex_lock(&af->lock);
		heard_beacon(af, (const struct pawlink_air_beacon *)f->payload,
			     mono_ms());
		pthread_mutex_unlock(&af->lock);
	} else if (f->type == PAWLINK_AIR_DATA) {
		heard_data(af, f);
	} else {
		atomic_fetch_add(&af->ignored, 1);
	}
}

static void *rx_main(void *arg)
{
	struct air_far *af = arg;
	struct radio_rx *rx;
	int err;

	rx = malloc(sizeof(*rx));
	if (!rx) {
		pawsim_msg("air receiver: out of memory; hearing nothing");
		return NULL;
	}
	while (!atomic_load(&af->stop)) {
		err = radio_recv(af->radio, rx, DONGLE_AIR_RECV_MS);
		if (err && err != -ETIMEDOUT && err != -EINTR) {
			pawsim_msg("the air went away (%s); hearing nothing "
				   "more", strerror(-err));
			link_lost(af, true, 0);
			break;
		}
		if (!err)
			heard_frame(af, &rx->f);
		/*
		 * After the frame: a receiver that ran late itself finds the
		 * toy's queued beacons first and is not fooled into a loss.
		 */
		link_lost(af, false, mono_ms());
	}
	free(rx);
	return NULL;
}

/*
 * The receiver starts with the host's first request (in practice the
 * driver's GET_LINK at probe), not in dongle_air_create(): --background
 * forks after the far side exists, and a thread would not follow.  Takes
 * and releases af->lock.
 */
static void ensure_receiver(struct air_far *af)
{
	int err;

	pthread_mutex_lock(&af->lock);
	if (!af->rx_started) {
		err = pthread_create(&af->rx_thread, NULL, rx_main, af);
		if (err)
			pawsim_msg("cannot start the air receiver: %s",
				   strerror(err));
		else
			af->rx_started = true;
	}
	pthread_mutex_unlock(&af->lock);
}

/* Takes af->lock, then af->send_lock, one after the other. */
static void air_from_host(struct dongle_far *far, enum dongle_pair pair,
			  const uint8_t *rec, size_t len)
{
	struct air_far *af = to_air(far);
	uint8_t toy[PAWLINK_ID_LEN];
	bool up;
	int err;

	(void)pair;	/* the record's own channel says which pair it is */
	ensure_receiver(af);
	pthread_mutex_lock(&af->lock);
	up = af->link.state == PAWLINK_LINK_CONNECTED;
	memcpy(toy, af->link.toy_id, PAWLINK_ID_LEN);
	pthread_mutex_unlock(&af->lock);
	if (!up)
		return;		/* no toy to send to: dropped, as on a radio */

	pthread_mutex_lock(&af->send_lock);
	err = radio_send_record(af->radio, toy, rec, len);
	pthread_mutex_unlock(&af->send_lock);
	if (err)
		pawsim_msg("cannot send a %zu-byte record on the air: %s", len,
			   strerror(-err));
}

/* Takes and releases af->lock. */
static size_t air_scan(struct dongle_far *far, struct pawlink_beacon *out,
		       size_t max)
{
	struct air_far *af = to_air(far);
	bool taken[DONGLE_AIR_HEARD_MAX] = { false };
	uint64_t now = mono_ms();
	size_t n, i;

	ensure_receiver(af);
	pthread_mutex_lock(&af->lock);
	/* Most recent first: pick the freshest untaken entry each time. */
	for (n = 0; n < max; n++) {
		const struct heard_toy *best = NULL;
		size_t best_i = 0;

		for (i = 0; i < DONGLE_AIR_HEARD_MAX; i++) {
			const struct heard_toy *h = &af->heard[i];

			if (taken[i] || !heard_fresh(h, now))
				continue;
			if (!best || h->when_ms > best->when_ms) {
				best = h;
				best_i = i;
			}
		}
		if (!best)
			break;
		taken[best_i] = true;
		memset(&out[n], 0, sizeof(out[n]));
		memcpy(out[n].toy_id, best->toy_id, PAWLINK_ID_LEN);
		out[n].flags = best->flags;
		out[n].rssi = DONGLE_AIR_RSSI;
	}
	pthread_mutex_unlock(&af->lock);
	return n;
}

/*
 * Connected at once if @toy_id's beacon was heard within the TTL, else
 * IDLE: the air has no link setup of its own.  Takes and releases
 * af->lock; calls link_changed() without it.
 */
static void air_connect(struct dongle_far *far,
			const uint8_t toy_id[PAWLINK_ID_LEN])
{
	struct air_far *af = to_air(far);
	struct pawlink_link now;
	uint64_t t = mono_ms();
	bool heard = false;
	size_t i;

	ensure_receiver(af);
	pthread_mutex_lock(&af->lock);
	for (i = 0; i < DONGLE_AIR_HEARD_MAX && !heard; i++)
		heard = heard_fresh(&af->heard[i], t) &&
			id_equal(af->heard[i].toy_id, toy_id);
	memset(&af->link, 0, sizeof(af->link));
	if (heard) {
		af->link.state = PAWLINK_LINK_CONNECTED;
		memcpy(af->link.toy_id, toy_id, PAWLINK_ID_LEN);
		af->link_heard_ms = t;
	} else {
		af->link.state = PAWLINK_LINK_IDLE;
	}
	now = af->link;
	pthread_mutex_unlock(&af->lock);

	far->host.link_changed(far->host.ctx, &now);
}

/* Takes and releases af->lock; calls link_changed() without it. */
static void air_disconnect(struct dongle_far *far)
{
	struct air_far *af = to_air(far);
	struct pawlink_link now;
	bool was_up;

	ensure_receiver(af);
	pthread_mutex_lock(&af->lock);
	was_up = af->link.state != PAWLINK_LINK_IDLE;
	memset(&af->link, 0, sizeof(af->link));
	af->link.state = PAWLINK_LINK_IDLE;
	now = af->link;
	pthread_mutex_unlock(&af->lock);

	if (was_up)
		far->host.link_changed(far->host.ctx, &now);
}

/* Takes and releases af->lock. */
static void air_get_link(struct dongle_far *far, struct pawlink_link *out)
{
	struct air_far *af = to_air(far);

	ensure_receiver(af);
	pthread_mutex_lock(&af->lock);
	*out = af->link;
	pthread_mutex_unlock(&af->lock);
}

/* Called once nothing else uses @far (the relay has stopped). */
static void air_destroy(struct dongle_far *far)
{
	struct air_far *af = to_air(far);
	unsigned long ignored;

	atomic_store(&af->stop, true);
	if (af->rx_started)
		pthread_join(af->rx_thread, NULL);
	ignored = atomic_load(&af->ignored);
	if (ignored)
		pawsim_msg("ignored %lu air frames not from the connected toy",
			   ignored);
	radio_close(af->radio);
	pthread_mutex_destroy(&af->lock);
	pthread_mutex_destroy(&af->send_lock);
	free(af);
}

static const struct dongle_far_ops air_ops = {
	.name = "air",
	.from_host = air_from_host,
	.scan = air_scan,
	.connect = air_connect,
	.disconnect = air_disconnect,
	.get_link = air_get_link,
	.destroy = air_destroy,
};

struct dongle_far *dongle_air_create(const struct dongle_far_host *host,
				     const char *path,
				     const uint8_t dongle_id[PAWLINK_ID_LEN],
				     unsigned int supervision_ms)
{
	struct air_far *af;
	int err;

	af = calloc(1, sizeof(*af));
	if (!af) {
		pawsim_msg("out of memory");
		return NULL;
	}
	af->far.ops = &air_ops;
	af->far.host = *host;
	af->link.state = PAWLINK_LINK_IDLE;
	af->supervision_ms = supervision_ms;
	atomic_init(&af->stop, false);
	atomic_init(&af->ignored, 0);
	if (pthread_mutex_init(&af->lock, NULL)) {
		pawsim_msg("out of memory");
		goto free_af;
	}
	if (pthread_mutex_init(&af->send_lock, NULL)) {
		pawsim_msg("out of memory");
		goto destroy_lock;
	}

	err = radio_open(path, 0, &af->radio);
	if (err) {
		pawsim_msg("cannot join the air at %s: %s", path,
			   strerror(-err));
		goto destroy_send_lock;
	}
	err = radio_set_id(af->radio, dongle_id);
	if (err) {
		pawsim_msg("cannot set the dongle's id on the air at %s: %s",
			   path, strerror(-err));
		goto close_radio;
	}
	return &af->far;

close_radio:
	radio_close(af->radio);
destroy_send_lock:
	pthread_mutex_destroy(&af->send_lock);
destroy_lock:
	pthread_mutex_destroy(&af->lock);
free_af:
	free(af);
	return NULL;
}

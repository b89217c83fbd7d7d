// SPDX-License-Identifier: GPL-2.0
/*
 * pawsim dongle: the loopback far side.  There is no air and no toy: every
 * record the host sends comes straight back on the IN endpoint of the same
 * pair, SCAN hears one fixed simulated toy, and CONNECT to that toy
 * succeeds at once.  Enough to test the driver's transport on its own.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "dongle_far.h"

/* "loopback" in ASCII: obviously not a real toy in any log. */
const uint8_t dongle_loopback_toy_id[PAWLINK_ID_LEN] = {
	0x6c, 0x6f, 0x6f, 0x70, 0x62, 0x61, 0x63, 0x6b,
};

#define LOOPBACK_RSSI	(-40)	/* dBm: the toy is right next to us */

struct loopback {
	struct dongle_far far;
	pthread_mutex_t lock;		/* protects link */
	struct pawlink_link link;
};

static struct loopback *to_loopback(struct dongle_far *far)
{
	return (struct loopback *)far;
}

static void loopback_from_host(struct dongle_far *far, enum dongle_pair pair,
			       const uint8_t *rec, size_t len)
{
	far->host.to_host(far->host.ctx, pair, rec, len);
}

static size_t loopback_scan(struct dongle_far *far, struct pawlink_beacon *out,
			    size_t max)
{
	(void)far;
	if (!max)
		return 0;
	memset(out, 0, sizeof(*out));
	memcpy(out->toy_id, dongle_loopback_toy_id, PAWLINK_ID_LEN);
	out->flags = PAWLINK_BEACON_PAIRING;
	out->rssi = LOOPBACK_RSSI;
	return 1;
}

/* Takes and releases lp->lock; calls link_changed() without it. */
static void loopback_connect(struct dongle_far *far,
			     const uint8_t toy_id[PAWLINK_ID_LEN])
{
	struct loopback *lp = to_loopback(far);
	struct pawlink_link now;

	pthread_mutex_lock(&lp->lock);
	memset(&lp->link, 0, sizeof(lp->link));
	/* Ids are public; the compare is constant time out of habit. */
	if (!sodium_memcmp(toy_id, dongle_loopback_toy_id, PAWLINK_ID_LEN)) {
		lp->link.state = PAWLINK_LINK_CONNECTED;
		memcpy(lp->link.toy_id, toy_id, PAWLINK_ID_LEN);
	} else {
		lp->link.state = PAWLINK_LINK_IDLE;
	}
	now = lp->link;
	pthread_mutex_unlock(&lp->lock);

	far->host.link_changed(far->host.ctx, &now);
}

/* Takes and releases lp->lock; calls link_changed() without it. */
static void loopback_disconnect(struct dongle_far *far)
{
	struct loopback *lp = to_loopback(far);
	struct pawlink_link now;
	int was_up;

	pthread_mutex_lock(&lp->lock);
	was_up = lp->link.state != PAWLINK_LINK_IDLE;
	memset(&lp->link, 0, sizeof(lp->link));
	now = lp->link;
	pthread_mutex_unlock(&lp->lock);

	if (was_up)
		far->host.link_changed(far->host.ctx, &now);
}

/* Takes and releases lp->lock. */
static void loopback_get_link(struct dongle_far *far, struct pawlink_link *out)
{
	struct loopback *lp = to_loopback(far);

	pthread_mutex_lock(&lp->lock);
	*out = lp->link;
	pthread_mutex_unlock(&lp->lock);
}

static void loopback_destroy(struct dongle_far *far)
{
	struct loopback *lp = to_loopback(far);

	pthread_mutex_destroy(&lp->lock);
	free(lp);
}

static const struct dongle_far_ops loopback_ops = {
	.name = "loopback",
	.from_host = loopback_from_host,
	.scan = loopback_scan,
	.connect = loopback_connect,
	.disconnect = loopback_disconnect,
	.get_link = loopback_get_link,
	.destroy = loopback_destroy,
};

struct dongle_far *dongle_loopback_create(const struct dongle_far_host *host)
{
	struct loopback *lp = calloc(1, sizeof(*lp));

	if (!lp)
		return NULL;
	if (pthread_mutex_init(&lp->lock, NULL)) {
		free(lp);
		return NULL;
	}
	lp->far.ops = &loopback_ops;
	lp->far.host = *host;
	lp->link.state = PAWLINK_LINK_IDLE;
	return &lp->far;
}

// SPDX-License-Identifier: GPL-2.0
/*
 * The in-process air and its radio transport; the time rules are in
 * sim/air_local.h.  One mutex guards the whole air: the medium, the clock,
 * every radio's queue and the waiting counts.
 */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include "air_local.h"
#include "radio_backend.h"

struct rx_item {
	struct rx_item *next;
	uint64_t time_ns;
	size_t len;
	uint8_t frame[];
};

struct local_radio {
	struct radio base;
	struct air_local *air;
	struct local_radio *next;	/* on air->radios */
	unsigned int slot;
	bool actor;
	bool waiting;
	/* While waiting: what it waits for, and until when. */
	bool (*ready)(const struct local_radio *lr);
	uint64_t deadline;
	struct rx_item *rx_head, **rx_tail;
	unsigned int rx_count;
};

struct air_local {
	pthread_mutex_t lock;
	pthread_cond_t changed;		/* time moved, a frame came, a radio left */
	struct air_medium *medium;
	uint64_t now;
	struct local_radio *radios;
	unsigned int nradios;
	unsigned int actors;
	unsigned int actors_waiting;
	bool deadlocked;
};

static struct local_radio *to_local(const struct radio *r)
{
	return (struct local_radio *)r;
}

int air_local_new(const struct air_config *cfg, struct air_local **out)
{
	struct air_local *air;
	int rc;

	*out = NULL;
	air = calloc(1, sizeof(*air));
	if (!air)
		return -ENOMEM;
	rc = air_medium_new(cfg, &air->medium);
	if (rc)
		goto err_free;
	rc = -pthread_mutex_init(&air->lock, NULL);
	if (rc)
		goto err_medium;
	rc = -pthread_cond_init(&air->changed, NULL);
	if (rc)
		goto err_mutex;
	*out = air;
	return 0;

err_mutex:
	pthread_mutex_destroy(&air->lock);
err_medium:
	air_medium_free(air->medium);
err_free:
	free(air);
	return rc;
}

int air_local_free(struct air_local *air)
{
	if (!air)
		return 0;
	pthread_mutex_lock(&air->lock);
	if (air->nradios) {
		pthread_mutex_unlock(&air->lock);
		return -EBUSY;
	}
	pthread_mutex_unlock(&air->lock);
	air_medium_free(air->medium);
	pthread_cond_destroy(&air->changed);
	pthread_mutex_destroy(&air->lock);
	free(air);
	return 0;
}

/*
 * The eventfd is readable exactly while frames are queued: it is raised
 * on empty -> not empty and cleared on not empty -> empty.  Its counter is
 * only ever 0 or 1, so neither write nor read can fail.
 */
static void rx_ready_raise(int efd)
{
	uint64_t one = 1;
	ssize_t n = write(efd, &one, sizeof(one));

	(void)n;
}

static void rx_ready_clear(int efd)
{
	uint64_t count;
	ssize_t n = read(efd, &count, sizeof(count));

	(void)n;
}

/* Lock: air->lock held. */
static int local_deliver(void *ctx, void *owner, const uint8_t *frame,
			 size_t len, uint64_t at_ns)
{
	struct local_radio *lr = owner;
	struct rx_item *item;

	(void)ctx;
	if (lr->rx_count >= AIR_LOCAL_RX_MAX)
		return -ENOBUFS;
	item = malloc(sizeof(*item) + len);
	if (!item)
		return -ENOBUFS;
	item->next = NULL;
	item->time_ns = at_ns;
	item->len = len;
	memcpy(item->frame, frame, len);
	*lr->rx_tail = item;
	lr->rx_tail = &item->next;
	if (lr->rx_count++ == 0)
		rx_ready_raise(lr->base.fd);
	return 0;
}

/* Lock: air->lock held. */
static void deliver_due(struct air_local *air)
{
	air_medium_deliver(air->medium, air->now, local_deliver, air);
	pthread_cond_broadcast(&air->changed);
}

/*
 * Moves time to the next event: a delivery, or the deadline of a waiter.
 * 1 if time moved or frames arrived; 0 if a waiter can already go on (its
 * frame came or its deadline passed, but its thread has not run yet: time
 * must wait for what it does next); -EDEADLK if there is no event at all.
 * Lock: air->lock held.
 */
static int advance(struct air_local *air)
{
	struct local_radio *lr;
	uint64_t next;

	for (lr = air->radios; lr; lr = lr->next)
		if (lr->waiting && (lr->ready(lr) || lr->deadline <= air->now))
			return 0;
	air_medium_schedule(air->medium, air->now);
	next = air_medium_next_delivery(air->medium);
	if (next <= air->now) {
		deliver_due(air);
		return 1;
	}
	for (lr = air->radios; lr; lr = lr->next)
		if (lr->waiting && lr->deadline < next)
			next = lr->deadline;
	if (next == UINT64_MAX)
		return -EDEADLK;
	air->now = next;
	deliver_due(air);
	return 1;
}

/*
 * Waits until @ready, the virtual @deadline or a deadlock; moves time
 * when every actor is waiting.
 * Lock: air->lock held (released while sleeping).
 */
static int local_wait(struct local_radio *lr,
		      bool (*ready)(const struct local_radio *),
		      uint64_t deadline)
{
	struct air_local *air = lr->air;
	int rc;

	lr->waiting = true;
	lr->ready = ready;
	lr->deadline = deadline;
	if (lr->actor)
		air->actors_waiting++;
	for (;;) {
		if (ready(lr)) {
			rc = 0;
			break;
		}
		if (air->deadlocked) {
			rc = -EDEADLK;
			break;
		}
		if (air->now >= deadline) {
			rc = -ETIMEDOUT;
			break;
		}
		if (air->actors_waiting == air->actors) {
			rc = advance(air);
			if (rc == -EDEADLK) {
				/* With actors, every one of them is stuck. */
				if (air->actors) {
					air->deadlocked = true;
					pthread_cond_broadcast(&air->changed);
				}
				break;
			}
			if (rc > 0)
				continue;
		}
		pthread_cond_wait(&air->changed, &air->lock);
	}
	lr->waiting = false;
	if (lr->actor)
		air->actors_waiting--;
	/* Others may have been waiting for this radio to leave. */
	pthread_cond_broadcast(&air->changed);
	return rc;
}

static bool has_rx(const struct local_radio *lr)
{
	return lr->rx_head != NULL;
}

static bool can_offer(const struct local_radio *lr)
{
	return air_medium_backlog(lr->air->medium, lr->slot) <
	       AIR_TX_BACKLOG_MAX;
}

static int local_send(struct radio *r, const uint8_t *bytes, size_t len)
{
	struct local_radio *lr = to_local(r);
	struct air_local *air = lr->air;
	int rc;

	pthread_mutex_lock(&air->lock);
	for (;;) {
		rc = air_medium_offer(air->medium, lr->slot, bytes, len);
		if (rc != -ENOBUFS)
			break;
		rc = local_wait(lr, can_offer, UINT64_MAX);
		if (rc)
			break;
	}
	pthread_mutex_unlock(&air->lock);
	/* The air refused and counted a malformed frame: it was sent. */
	return rc == -EINVAL ? 0 : rc;
}

static int local_recv(struct radio *r, struct radio_rx *rx,
		      uint64_t deadline_ns)
{
	struct local_radio *lr = to_local(r);
	struct air_local *air = lr->air;
	struct rx_item *item;
	int rc;

	pthread_mutex_lock(&air->lock);
	rc = local_wait(lr, has_rx, deadline_ns);
	if (rc)
		goto out;
	item = lr->rx_head;
	lr->rx_head = item->next;
	if (!lr->rx_head)
		lr->rx_tail = &lr->rx_head;
	if (--lr->rx_count == 0)
		rx_ready_clear(r->fd);
	rx->time_ns = item->time_ns;
	rx->len = item->len;
	memcpy(rx->frame, item->frame, item->len);
	free(item);
out:
	pthread_mutex_unlock(&air->lock);
	return rc;
}

static int local_set_id(struct radio *r, const uint8_t id[PAWLINK_ID_LEN])
{
	struct local_radio *lr = to_local(r);

	pthread_mutex_lock(&lr->air->lock);
	air_medium_set_id(lr->air->medium, lr->slot, id);
	pthread_mutex_unlock(&lr->air->lock);
	return 0;
}

static uint64_t local_now(const struct radio *r)
{
	return air_local_now(to_local(r)->air);
}

static int local_air_stats(struct radio *r, struct air_stats *st)
{
	air_local_stats(to_local(r)->air, st);
	return 0;
}

static void local_close(struct radio *r)
{
	struct local_radio *lr = to_local(r), **pp;
	struct air_local *air = lr->air;

	pthread_mutex_lock(&air->lock);
	air_medium_leave(air->medium, lr->slot);
	for (pp = &air->radios; *pp != lr; pp = &(*pp)->next)
		;
	*pp = lr->next;
	air->nradios--;
	if (lr->actor)
		air->actors--;
	/* The others may now be all that time waits for. */
	pthread_cond_broadcast(&air->changed);
	pthread_mutex_unlock(&air->lock);

	while (lr->rx_head) {
		struct rx_item *item = lr->rx_head;

		lr->rx_head = item->next;
		free(item);
	}
	close(r->fd);
	free(lr);
}

static const struct radio_ops local_ops = {
	.send = local_send,
	.recv = local_recv,
	.set_id = local_set_id,
	.now = local_now,
	.air_stats = local_air_stats,
	.close = local_close,
};

int radio_open_local(struct air_local *air, unsigned int flags,
		     struct radio **out)
{
	struct local_radio *lr;
	int rc;

	*out = NULL;
	if (flags & ~(RADIO_PROMISC | RADIO_ACTOR))
		return -EINVAL;
	lr = calloc(1, sizeof(*lr));
	if (!lr)
		return -ENOMEM;
	lr->base.ops = &local_ops;
	lr->base.promisc = flags & RADIO_PROMISC;
	lr->air = air;
	lr->actor = flags & RADIO_ACTOR;
	lr->rx_tail = &lr->rx_head;
	lr->base.fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	if (lr->base.fd < 0) {
		rc = -errno;
		goto err_free;
	}

	pthread_mutex_lock(&air->lock);
	rc = air_medium_join(air->medium, lr, &lr->slot);
	if (rc) {
		pthread_mutex_unlock(&air->lock);
		goto err_close;
	}
	lr->next = air->radios;
	air->radios = lr;
	air->nradios++;
	if (lr->actor)
		air->actors++;
	pthread_mutex_unlock(&air->lock);
	*out = &lr->base;
	return 0;

err_close:
	close(lr->base.fd);
err_free:
	free(lr);
	return rc;
}

uint64_t air_local_now(struct air_local *air)
{
	uint64_t now;

	pthread_mutex_lock(&air->lock);
	now = air->now;
	pthread_mutex_unlock(&air->lock);
	return now;
}

int air_local_step(struct air_local *air)
{
	uint64_t next;
	int rc = 0;

	pthread_mutex_lock(&air->lock);
	if (air->actors) {
		rc = -EBUSY;
		goto out;
	}
	air_medium_schedule(air->medium, air->now);
	next = air_medium_next_delivery(air->medium);
	if (next != UINT64_MAX) {
		if (next > air->now)
			air->now = next;
		deliver_due(air);
		rc = 1;
	}
out:
	pthread_mutex_unlock(&air->lock);
	return rc;
}

uint64_t air_local_next_arrival(struct air_local *air)
{
	uint64_t next;

	pthread_mutex_lock(&air->lock);
	/* Frames offered now go on the air now; with actors running, more
	 * may still be offered at this instant, so only they place them. */
	if (!air->actors)
		air_medium_schedule(air->medium, air->now);
	next = air_medium_next_delivery(air->medium);
	pthread_mutex_unlock(&air->lock);
	return next;
}

int air_local_advance(struct air_local *air, uint64_t ns)
{
	uint64_t target, next;
	int rc = 0;

	pthread_mutex_lock(&air->lock);
	if (air->actors) {
		rc = -EBUSY;
		goto out;
	}
	target = air->now + ns;
	air_medium_schedule(air->medium, air->now);
	while ((next = air_medium_next_delivery(air->medium)) <= target) {
		if (next > air->now)
			air->now = next;
		deliver_due(air);
	}
	air->now = target;
	pthread_cond_broadcast(&air->changed);
out:
	pthread_mutex_unlock(&air->lock);
	return rc;
}

void air_local_stats(struct air_local *air, struct air_stats *st)
{
	pthread_mutex_lock(&air->lock);
	air_medium_stats(air->medium, air->now, st);
	pthread_mutex_unlock(&air->lock);
}

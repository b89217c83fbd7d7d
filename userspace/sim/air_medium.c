// SPDX-License-Identifier: GPL-2.0
/* The medium model of the air; see air_medium.h for the rules it keeps. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "air_frame.h"
#include "air_medium.h"

struct air_slot {
	bool used;
	void *owner;
	uint64_t join_seq;		/* join number, from 1 */
	unsigned int backlog;		/* offered, not yet delivered */
	struct air_radio_stats st;
};

/* One accepted frame, contending for the air or on it. */
struct air_offer {
	struct air_offer *next;
	uint64_t deliver_at;
	uint64_t offer_seq;
	uint64_t sender_join;		/* tells the sender from a later slot user */
	uint64_t cutoff;		/* radios with join_seq <= cutoff hear it */
	unsigned int sender;
	size_t len;
	uint8_t bytes[];
};

struct air_medium {
	struct air_config cfg;
	uint64_t prng;
	struct air_slot slot[AIR_RADIOS_MAX];
	unsigned int order[AIR_RADIOS_MAX];	/* used slots, in join order */
	unsigned int nradios;
	uint64_t joined;
	uint64_t offer_seq;
	uint64_t busy_until;		/* when the last scheduled frame ends */
	struct air_offer *contending;	/* sorted: sender_join, offer_seq */
	struct air_offer *on_air;	/* by deliver_at, which only grows */
	struct air_offer **on_air_tail;
	uint64_t frames, bytes, busy_ns;
	uint64_t delivered, lost, overrun, rejected;
};

/* splitmix64: small, fast, and the same sequence on every host. */
static uint64_t prng_next(uint64_t *state)
{
	uint64_t z = (*state += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

/* One draw per (frame, receiver), whatever the loss rate, so that the
 * sequence depends only on the seed and the frame order. */
static bool draw_lost(struct air_medium *m)
{
	uint64_t r = prng_next(&m->prng) >> 32;

	return ((r * AIR_LOSS_SCALE) >> 32) < m->cfg.loss_ppm;
}

int air_medium_new(const struct air_config *cfg, struct air_medium **out)
{
	struct air_medium *m;

	*out = NULL;
	if (air_config_check(cfg))
		return -EINVAL;
	m = calloc(1, sizeof(*m));
	if (!m)
		return -ENOMEM;
	m->cfg = *cfg;
	m->prng = cfg->seed;
	m->on_air_tail = &m->on_air;
	*out = m;
	return 0;
}

static void free_list(struct air_offer *o)
{
	while (o) {
		struct air_offer *next = o->next;

		free(o);
		o = next;
	}
}

void air_medium_free(struct air_medium *m)
{
	if (!m)
		return;
	free_list(m->contending);
	free_list(m->on_air);
	free(m);
}

int air_medium_join(struct air_medium *m, void *owner, unsigned int *slot)
{
	unsigned int i;

	for (i = 0; i < AIR_RADIOS_MAX; i++)
		if (!m->slot[i].used)
			break;
	if (i == AIR_RADIOS_MAX)
		return -ENOSPC;
	memset(&m->slot[i], 0, sizeof(m->slot[i]));
	m->slot[i].used = true;
	m->slot[i].owner = owner;
	m->slot[i].join_seq = ++m->joined;
	m->slot[i].st.index = (uint32_t)m->slot[i].join_seq;
	m->order[m->nradios++] = i;
	*slot = i;
	return 0;
}

void air_medium_leave(struct air_medium *m, unsigned int slot)
{
	unsigned int i;

	if (slot >= AIR_RADIOS_MAX || !m->slot[slot].used)
		return;
	m->slot[slot].used = false;
	m->slot[slot].owner = NULL;
	for (i = 0; i < m->nradios; i++)
		if (m->order[i] == slot)
			break;
	memmove(&m->order[i], &m->order[i + 1],
		(m->nradios - i - 1) * sizeof(m->order[0]));
	m->nradios--;
}

void air_medium_set_id(struct air_medium *m, unsigned int slot,
		       const uint8_t id[PAWLINK_ID_LEN])
{
	if (slot < AIR_RADIOS_MAX && m->slot[slot].used)
		memcpy(m->slot[slot].st.id, id, PAWLINK_ID_LEN);
}

void air_medium_reject(struct air_medium *m, unsigned int slot)
{
	m->rejected++;
	if (slot < AIR_RADIOS_MAX && m->slot[slot].used)
		m->slot[slot].st.rejected++;
}

unsigned int air_medium_backlog(const struct air_medium *m, unsigned int slot)
{
	if (slot >= AIR_RADIOS_MAX || !m->slot[slot].used)
		return 0;
	return m->slot[slot].backlog;
}

static bool offer_before(const struct air_offer *a, const struct air_offer *b)
{
	if (a->sender_join != b->sender_join)
		return a->sender_join < b->sender_join;
	return a->offer_seq < b->offer_seq;
}

int air_medium_offer(struct air_medium *m, unsigned int slot,
		     const uint8_t *frame, size_t len)
{
	struct air_slot *s;
	struct air_offer *o, **pos;
	struct air_frame f;

	if (slot >= AIR_RADIOS_MAX || !m->slot[slot].used)
		return -EINVAL;
	s = &m->slot[slot];
	if (air_frame_parse(frame, len, &f) != AIR_FRAME_OK) {
		air_medium_reject(m, slot);
		return -EINVAL;
	}
	if (s->backlog >= AIR_TX_BACKLOG_MAX)
		return -ENOBUFS;
	o = malloc(sizeof(*o) + len);
	if (!o)
		return -ENOMEM;
	o->next = NULL;
	o->deliver_at = 0;
	o->offer_seq = ++m->offer_seq;
	o->sender_join = s->join_seq;
	o->cutoff = m->joined;
	o->sender = slot;
	o->len = len;
	memcpy(o->bytes, frame, len);

	for (pos = &m->contending; *pos && offer_before(*pos, o);
	     pos = &(*pos)->next)
		;
	o->next = *pos;
	*pos = o;

	s->backlog++;
	s->st.tx_frames++;
	s->st.tx_bytes += len;
	m->frames++;
	m->bytes += len;
	return 0;
}

void air_medium_schedule(struct air_medium *m, uint64_t now_ns)
{
	while (m->contending) {
		struct air_offer *o = m->contending;
		uint64_t start = m->busy_until > now_ns ? m->busy_until : now_ns;
		uint64_t airtime = air_airtime_ns(&m->cfg, o->len);

		m->contending = o->next;
		m->busy_until = start + airtime;
		m->busy_ns += airtime;
		o->deliver_at = m->busy_until + m->cfg.latency_ns;
		o->next = NULL;
		*m->on_air_tail = o;
		m->on_air_tail = &o->next;
	}
}

bool air_medium_contending(const struct air_medium *m)
{
	return m->contending != NULL;
}

uint64_t air_medium_next_delivery(const struct air_medium *m)
{
	return m->on_air ? m->on_air->deliver_at : UINT64_MAX;
}

static void deliver_one(struct air_medium *m, const struct air_offer *o,
			air_deliver_fn deliver, void *ctx)
{
	unsigned int i;

	for (i = 0; i < m->nradios; i++) {
		struct air_slot *s = &m->slot[m->order[i]];

		if (s->join_seq > o->cutoff)
			continue;	/* joined after the frame was offered */
		if (s->join_seq == o->sender_join)
			continue;	/* a radio does not hear itself */
		if (draw_lost(m)) {
			s->st.rx_lost++;
			m->lost++;
			continue;
		}
		if (deliver(ctx, s->owner, o->bytes, o->len, o->deliver_at)) {
			s->st.rx_overrun++;
			m->overrun++;
			continue;
		}
		s->st.rx_frames++;
		s->st.rx_bytes += o->len;
		m->delivered++;
	}
}

void air_medium_deliver(struct air_medium *m, uint64_t now_ns,
			air_deliver_fn deliver, void *ctx)
{
	while (m->on_air && m->on_air->deliver_at <= now_ns) {
		struct air_offer *o = m->on_air;
		struct air_slot *sender = &m->slot[o->sender];

		m->on_air = o->next;
		if (!m->on_air)
			m->on_air_tail = &m->on_air;
		deliver_one(m, o, deliver, ctx);
		if (sender->used && sender->join_seq == o->sender_join)
			sender->backlog--;
		free(o);
	}
}

void air_medium_radio_stats(const struct air_medium *m, unsigned int slot,
			    struct air_radio_stats *rs)
{
	if (slot < AIR_RADIOS_MAX && m->slot[slot].used)
		*rs = m->slot[slot].st;
	else
		memset(rs, 0, sizeof(*rs));
}

void air_medium_stats(const struct air_medium *m, uint64_t now_ns,
		      struct air_stats *st)
{
	unsigned int i;

	memset(st, 0, sizeof(*st));
	st->now_ns = now_ns;
	st->rate_bps = m->cfg.rate_bps;
	st->latency_ns = m->cfg.latency_ns;
	st->loss_ppm = m->cfg.loss_ppm;
	st->frames = m->frames;
	st->bytes = m->bytes;
	st->busy_ns = m->busy_ns;
	st->delivered = m->delivered;
	st->lost = m->lost;
	st->overrun = m->overrun;
	st->rejected = m->rejected;
	st->joined = m->joined;
	st->nradios = m->nradios;
	for (i = 0; i < m->nradios; i++)
		st->radio[i] = m->slot[m->order[i]].st;
}

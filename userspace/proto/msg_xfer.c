// SPDX-License-Identifier: GPL-2.0
/*
 * Transfer of one message object: sender and receiver state machines; see
 * msg_xfer.h and Documentation/messages.rst.
 *
 * Loss recovery, in short: the receiver acks with a cumulative point and a
 * bitmap (selective acks).  The sender numbers every transmission; a chunk
 * not acked while a later transmission was is lost (the air and the
 * record layer never reorder, so nothing else can explain it) and is sent
 * again, alone.  When acks stop altogether, the retransmission timer sends
 * the oldest unacked chunk as a probe that asks for an immediate ACK, with
 * exponential backoff, and gives up after PAWLINK_MSG_RETRIES_MAX.
 */
#include <errno.h>
#include <stdint.h>
#include <string.h>

#include "msg_xfer.h"

#define RTO_GRANULARITY_US	1000

/* ---- round-trip time ---------------------------------------------------- */

void pawlink_msg_rtt_init(struct pawlink_msg_rtt *rtt)
{
	memset(rtt, 0, sizeof(*rtt));
	rtt->rto_us = PAWLINK_MSG_RTO_INITIAL_US;
}

void pawlink_msg_rtt_sample(struct pawlink_msg_rtt *rtt, uint64_t rtt_us)
{
	uint64_t delta, var4;

	if (!rtt->sampled) {
		rtt->srtt_us = rtt_us;
		rtt->rttvar_us = rtt_us / 2;
		rtt->sampled = true;
	} else {
		delta = rtt->srtt_us > rtt_us ? rtt->srtt_us - rtt_us :
						rtt_us - rtt->srtt_us;
		rtt->rttvar_us = (3 * rtt->rttvar_us + delta) / 4;
		rtt->srtt_us = (7 * rtt->srtt_us + rtt_us) / 8;
	}
	/*
	 * RFC 6298's margin, but never under half the estimate: acks come
	 * in batches (PAWLINK_MSG_ACK_EVERY), so the samples are steadier
	 * than the gaps between acks, and a timeout fired between two
	 * batches would be spurious.
	 */
	var4 = 4 * rtt->rttvar_us;
	if (var4 < rtt->srtt_us / 2)
		var4 = rtt->srtt_us / 2;
	rtt->rto_us = rtt->srtt_us +
		      (var4 > RTO_GRANULARITY_US ? var4 : RTO_GRANULARITY_US);
	if (rtt->rto_us < PAWLINK_MSG_RTO_MIN_US)
		rtt->rto_us = PAWLINK_MSG_RTO_MIN_US;
	if (rtt->rto_us > PAWLINK_MSG_RTO_MAX_US)
		rtt->rto_us = PAWLINK_MSG_RTO_MAX_US;
	/* A fresh sample from a first transmission ends any backoff. */
	rtt->backoff = 0;
}

uint64_t pawlink_msg_rtt_timeout(const struct pawlink_msg_rtt *rtt)
{
	uint64_t t = rtt->rto_us;
	unsigned int i;

	for (i = 0; i < rtt->backoff && t < PAWLINK_MSG_RTO_MAX_US; i++)
		t *= 2;
	if (t < PAWLINK_MSG_RTO_MIN_US)
		t = PAWLINK_MSG_RTO_MIN_US;
	return t > PAWLINK_MSG_RTO_MAX_US ? PAWLINK_MSG_RTO_MAX_US : t;
}

void pawlink_msg_rtt_backoff(struct pawlink_msg_rtt *rtt)
{
	if (pawlink_msg_rtt_timeout(rtt) < PAWLINK_MSG_RTO_MAX_US)
		rtt->backoff++;
}

/* ---- shared helpers ----------------------------------------------------- */

static int emit_status(uint8_t *buf, size_t cap, uint8_t type, uint16_t tag,
		       int status, struct pawlink_msg_xfer_stats *stats)
{
	struct pawlink_msg_frame f = {
		.type = type,
		.tag = tag,
		.status = (uint8_t)status,
	};
	int len = pawlink_msg_encode(buf, cap, &f);

	if (len > 0) {
		stats->frames_out++;
		stats->bytes_out += (uint64_t)len;
	}
	return len;
}

/* A status that may go on the wire; local ones travel as a generic one. */
static int wire_status(int status, int fallback)
{
	return status >= 0 && status <= PAWLINK_MSG_STATUS_LAST ?
		status : fallback;
}

/* Highest set bit of a minimal map, or -1 for an empty one. */
static int map_highest(const struct pawlink_msg_have_info *h)
{
	int i;

	if (h->map_len == 0)
		return -1;
	for (i = h->map_len * 8 - 1; i >= 0; i--)
		if (pawlink_msg_bit(h->map, (uint32_t)i))
			return i;
	return -1;
}

/* ---- sender ------------------------------------------------------------- */

static struct pawlink_msg_tx_slot *slot_of(struct pawlink_msg_tx *tx,
					   uint32_t index)
{
	return &tx->slot[index % PAWLINK_MSG_WINDOW_MAX];
}

static bool in_window(const struct pawlink_msg_tx *tx, uint32_t index)
{
	return index >= tx->base && index < tx->nchunks &&
	       index - tx->base < PAWLINK_MSG_WINDOW_MAX;
}

/* One past the last chunk the window lets us send. */
static uint32_t send_limit(const struct pawlink_msg_tx *tx)
{
	uint64_t lim = (uint64_t)tx->base + tx->window;

	return lim < tx->nchunks ? (uint32_t)lim : tx->nchunks;
}

/* A chunk sent and not yet acked exists. */
static bool tx_in_flight(struct pawlink_msg_tx *tx)
{
	uint32_t i;

	for (i = tx->base; i < tx->next_new; i++) {
		const struct pawlink_msg_tx_slot *s = slot_of(tx, i);

		if (s->seq && !(s->flags & PAWLINK_MSG_SLOT_ACKED))
			return true;
	}
	return false;
}

/* A never-sent chunk the window allows, not already held by the peer. */
static bool tx_new_ready(struct pawlink_msg_tx *tx)
{
	uint32_t i, lim = send_limit(tx);

	for (i = tx->next_new; i < lim; i++)
		if (!(slot_of(tx, i)->flags & PAWLINK_MSG_SLOT_ACKED))
			return true;
	return false;
}

/*
 * The timer runs while something is unacked, or while everything is and
 * the receiver's XFER_END has not come.  @restart: progress was made.
 */
static void tx_update_timer(struct pawlink_msg_tx *tx, uint64_t now,
			    bool restart)
{
	if (tx->done || (!tx_in_flight(tx) && tx->base < tx->nchunks)) {
		tx->rto_armed = false;
		return;
	}
	if (restart || !tx->rto_armed) {
		tx->rto_at = now + pawlink_msg_rtt_timeout(tx->rtt);
		tx->rto_armed = true;
	}
}

/*
 * What one have-state acknowledged.  The RTT sample is taken from the
 * oldest first transmission it acks: the time from sending a chunk until
 * an ack covers it, batching delay included, which is what the
 * retransmission timer has to wait for.
 */
struct ack_scan {
	bool progress;
	bool sampled;
	uint64_t sample_sent;
};

static void tx_mark_acked(struct pawlink_msg_tx *tx,
			  struct pawlink_msg_tx_slot *s, struct ack_scan *scan)
{
	if (s->flags & PAWLINK_MSG_SLOT_ACKED)
		return;
	if (s->flags & PAWLINK_MSG_SLOT_LOST)
		tx->lost--;
	s->flags = (uint8_t)((s->flags & ~PAWLINK_MSG_SLOT_LOST) |
			     PAWLINK_MSG_SLOT_ACKED);
	scan->progress = true;
	if (!s->seq)
		return;		/* held from an earlier transfer */
	if (s->seq > tx->acked_seq)
		tx->acked_seq = s->seq;
	/* Karn: a resent chunk's ack may answer either transmission. */
	if (!(s->flags & PAWLINK_MSG_SLOT_RESENT) &&
	    (!scan->sampled || s->sent_us < scan->sample_sent)) {
		scan->sampled = true;
		scan->sample_sent = s->sent_us;
	}
}

/* Slides @base over acked chunks, freeing their slots for new ones. */
static void tx_slide(struct pawlink_msg_tx *tx)
{
	while (tx->base < tx->nchunks &&
	       (slot_of(tx, tx->base)->flags & PAWLINK_MSG_SLOT_ACKED)) {
		memset(slot_of(tx, tx->base), 0, sizeof(tx->slot[0]));
		tx->base++;
	}
	if (tx->next_new < tx->base)
		tx->next_new = tx->base;
}

/* Applies a have-state; false if it names chunks the object lacks. */
static bool tx_apply_have(struct pawlink_msg_tx *tx,
			  const struct pawlink_msg_have_info *h,
			  struct ack_scan *scan)
{
	int hi = map_highest(h);
	uint32_t i, index;

	if (h->next > tx->nchunks ||
	    (hi >= 0 && (uint64_t)h->next + 1 + (uint32_t)hi >= tx->nchunks))
		return false;
	/* Everything below @next is held. */
	while (tx->base < h->next) {
		struct pawlink_msg_tx_slot *s = slot_of(tx, tx->base);

		tx_mark_acked(tx, s, scan);
		memset(s, 0, sizeof(*s));
		tx->base++;
	}
	if (tx->next_new < tx->base)
		tx->next_new = tx->base;
	for (i = 0; hi >= 0 && i <= (uint32_t)hi; i++) {
		index = h->next + 1 + i;
		if (pawlink_msg_bit(h->map, i) && in_window(tx, index))
			tx_mark_acked(tx, slot_of(tx, index), scan);
	}
	tx_slide(tx);
	tx->window = h->window < PAWLINK_MSG_WINDOW_MAX ?
		     h->window : PAWLINK_MSG_WINDOW_MAX;
	return true;
}

/* Every chunk sent before the newest acked one and still unacked is lost. */
static void tx_detect_loss(struct pawlink_msg_tx *tx)
{
	uint32_t i;

	for (i = tx->base; i < tx->next_new; i++) {
		struct pawlink_msg_tx_slot *s = slot_of(tx, i);

		if (s->seq && s->seq < tx->acked_seq &&
		    !(s->flags & (PAWLINK_MSG_SLOT_ACKED |
				  PAWLINK_MSG_SLOT_LOST))) {
			s->flags |= PAWLINK_MSG_SLOT_LOST;
			tx->lost++;
		}
	}
}

int pawlink_msg_tx_init(struct pawlink_msg_tx *tx, uint16_t tag,
			uint32_t size, const struct pawlink_msg_source *src,
			struct pawlink_msg_rtt *rtt,
			const struct pawlink_msg_have_info *have, uint64_t now)
{
	struct ack_scan scan = { 0 };

	memset(tx, 0, sizeof(*tx));
	if (size == 0 || size > PAWLINK_MSG_SIZE_MAX || !src || !src->ops ||
	    !src->ops->read || !rtt)
		return -EINVAL;
	tx->tag = tag;
	tx->size = size;
	tx->nchunks = pawlink_msg_nchunks(size);
	tx->window = PAWLINK_MSG_WINDOW_INITIAL;
	tx->src = *src;
	tx->rtt = rtt;
	if (have && !tx_apply_have(tx, have, &scan)) {
		memset(tx, 0, sizeof(*tx));
		return -EINVAL;
	}
	tx_update_timer(tx, now, true);
	return 0;
}

void pawlink_msg_tx_input(struct pawlink_msg_tx *tx,
			  const struct pawlink_msg_frame *f, uint64_t now)
{
	struct ack_scan scan = { 0 };

	tx->stats.frames_in++;
	if (f->tag != tx->tag || tx->done) {
		tx->stats.dropped++;
		return;
	}
	switch (f->type) {
	case PAWLINK_MSG_ACK:
		if (!tx_apply_have(tx, &f->u.have, &scan)) {
			tx->stats.dropped++;
			return;
		}
		if (scan.sampled && now >= scan.sample_sent)
			pawlink_msg_rtt_sample(tx->rtt, now - scan.sample_sent);
		tx_detect_loss(tx);
		if (scan.progress)
			tx->timeouts = 0;
		tx_update_timer(tx, now, scan.progress);
		return;
	case PAWLINK_MSG_XFER_END:
		tx->done = true;
		tx->status = f->status;
		tx->rto_armed = false;
		return;
	case PAWLINK_MSG_XFER_ABORT:
		tx->done = true;
		tx->status = f->status;
		tx->rto_armed = false;
		return;
	default:
		tx->stats.dropped++;
		return;
	}
}

void pawlink_msg_tx_abort(struct pawlink_msg_tx *tx, int status)
{
	if (tx->done)
		return;
	tx->done = true;
	tx->status = status;
	tx->abort_pending = true;
	tx->rto_armed = false;
}

static void tx_timeout(struct pawlink_msg_tx *tx, uint64_t now)
{
	uint32_t i;

	tx->stats.timeouts++;
	if (++tx->timeouts > PAWLINK_MSG_RETRIES_MAX) {
		tx->done = true;
		tx->status = PAWLINK_MSG_E_TIMEOUT;
		tx->rto_armed = false;
		return;
	}
	pawlink_msg_rtt_backoff(tx->rtt);
	/* Probe with the oldest unacked chunk; the last one if all are. */
	tx->probe_index = tx->nchunks - 1;
	for (i = tx->base; i < tx->next_new; i++) {
		const struct pawlink_msg_tx_slot *s = slot_of(tx, i);

		if (s->seq && !(s->flags & PAWLINK_MSG_SLOT_ACKED)) {
			tx->probe_index = i;
			break;
		}
	}
	tx->probe = true;
	tx->rto_at = now + pawlink_msg_rtt_timeout(tx->rtt);
	tx->rto_armed = true;
}

/* Picks the next chunk to transmit; false if none. */
static bool tx_pick(struct pawlink_msg_tx *tx, uint32_t *index, bool *probe)
{
	uint32_t i, lim;

	*probe = false;
	if (tx->probe) {
		tx->probe = false;
		*probe = true;
		*index = tx->probe_index;
		return true;
	}
	if (tx->lost) {
		for (i = tx->base; i < tx->next_new; i++) {
			if (slot_of(tx, i)->flags & PAWLINK_MSG_SLOT_LOST) {
				*index = i;
				return true;
			}
		}
	}
	lim = send_limit(tx);
	while (tx->next_new < lim &&
	       (slot_of(tx, tx->next_new)->flags & PAWLINK_MSG_SLOT_ACKED))
		tx->next_new++;
	if (tx->next_new >= lim)
		return false;
	*index = tx->next_new++;
	return true;
}

int pawlink_msg_tx_output(struct pawlink_msg_tx *tx, uint64_t now,
			  uint8_t *buf, size_t cap)
{
	uint8_t data[PAWLINK_MSG_CHUNK_DATA];
	struct pawlink_msg_frame f = { .type = PAWLINK_MSG_CHUNK };
	struct pawlink_msg_tx_slot *s;
	uint32_t index, len;
	bool probe;
	int st, n;

	if (cap < PAWLINK_FRAME_MAX)
		return -ENOSPC;
	if (!tx->done && tx->rto_armed && now >= tx->rto_at)
		tx_timeout(tx, now);
	if (tx->done) {
		if (!tx->abort_pending)
			return 0;
		tx->abort_pending = false;
		return emit_status(buf, cap, PAWLINK_MSG_XFER_ABORT, tx->tag,
				   wire_status(tx->status,
					       PAWLINK_MSG_E_ABORTED),
				   &tx->stats);
	}
	if (!tx_pick(tx, &index, &probe))
		return 0;

	len = pawlink_msg_chunk_len(tx->size, index);
	st = tx->src.ops->read(tx->src.ctx, index * PAWLINK_MSG_CHUNK_DATA,
			       data, len);
	if (st != PAWLINK_MSG_OK) {
		pawlink_msg_tx_abort(tx, st);
		return pawlink_msg_tx_output(tx, now, buf, cap);
	}

	/* A probe of an already-acked chunk has no slot any more. */
	if (in_window(tx, index)) {
		s = slot_of(tx, index);
		if (s->flags & PAWLINK_MSG_SLOT_LOST) {
			s->flags &= (uint8_t)~PAWLINK_MSG_SLOT_LOST;
			tx->lost--;
		}
		if (s->seq) {
			s->flags |= PAWLINK_MSG_SLOT_RESENT;
			tx->stats.chunks_resent++;
		} else {
			tx->stats.chunks_sent++;
		}
		s->seq = ++tx->seq;
		s->sent_us = now;
	} else {
		tx->stats.chunks_resent++;
	}

	f.tag = tx->tag;
	f.u.chunk.index = index;
	f.u.chunk.data = data;
	f.u.chunk.len = len;
	/* Ask for an ACK at once when we are about to fall silent. */
	if (probe || (!tx->lost && !tx_new_ready(tx)))
		f.flags = PAWLINK_MSG_F_ACK_REQ;
	n = pawlink_msg_encode(buf, cap, &f);
	if (n < 0)
		return n;
	tx->stats.frames_out++;
	tx->stats.bytes_out += (uint64_t)n;
	tx_update_timer(tx, now, false);
	return n;
}

uint64_t pawlink_msg_tx_deadline(const struct pawlink_msg_tx *tx)
{
	struct pawlink_msg_tx *mtx = (struct pawlink_msg_tx *)tx;

	if (tx->done)
		return tx->abort_pending ? 0 : UINT64_MAX;
	if (tx->probe || tx->lost || tx_new_ready(mtx))
		return 0;
	return tx->rto_armed ? tx->rto_at : UINT64_MAX;
}

bool pawlink_msg_tx_done(const struct pawlink_msg_tx *tx, int *status)
{
	if (tx->done && status)
		*status = tx->status;
	return tx->done;
}

/* ---- receiver ----------------------------------------------------------- */

int pawlink_msg_rx_init(struct pawlink_msg_rx *rx, uint16_t tag,
			uint32_t size, const struct pawlink_msg_sink *sink,
			const uint8_t *have, uint64_t now)
{
	uint32_t i;

	memset(rx, 0, sizeof(*rx));
	if (size == 0 || size > PAWLINK_MSG_SIZE_MAX || !sink || !sink->ops ||
	    !sink->ops->write || !sink->ops->checkpoint || !sink->ops->commit)
		return -EINVAL;
	rx->tag = tag;
	rx->size = size;
	rx->nchunks = pawlink_msg_nchunks(size);
	rx->sink = *sink;
	rx->heard_us = now;
	for (i = 0; have && i < rx->nchunks; i++) {
		if (pawlink_msg_bit(have, i)) {
			pawlink_msg_bit_set(rx->have, i);
			rx->held++;
			rx->highest = i + 1;
		}
	}
	while (rx->next < rx->nchunks && pawlink_msg_bit(rx->have, rx->next))
		rx->next++;
	if (rx->held == rx->nchunks) {
		rx->status = rx->sink.ops->commit(rx->sink.ctx);
		rx->done = true;
		rx->end_pending = true;
	}
	return 0;
}

void pawlink_msg_rx_have(const struct pawlink_msg_rx *rx,
			 struct pawlink_msg_have_info *have)
{
	uint32_t i, index;

	memset(have, 0, sizeof(*have));
	have->next = rx->next;
	have->window = PAWLINK_MSG_WINDOW_MAX;
	for (i = 0; i < PAWLINK_MSG_WINDOW_MAX - 1; i++) {
		index = rx->next + 1 + i;
		if (index >= rx->nchunks)
			break;
		if (pawlink_msg_bit(rx->have, index)) {
			pawlink_msg_bit_set(have->map, i);
			have->map_len = (uint8_t)(i / 8 + 1);
		}
	}
}

void pawlink_msg_rx_ack_now(struct pawlink_msg_rx *rx)
{
	if (!rx->done)
		rx->ack_now = true;
}

static void rx_fail(struct pawlink_msg_rx *rx, int status)
{
	rx->done = true;
	rx->status = status;
	rx->end_pending = true;
}

static void rx_store_chunk(struct pawlink_msg_rx *rx,
			   const struct pawlink_msg_frame *f, uint64_t now)
{
	uint32_t index = f->u.chunk.index;
	int st;

	st = rx->sink.ops->write(rx->sink.ctx, index, f->u.chunk.data,
				 f->u.chunk.len);
	if (st != PAWLINK_MSG_OK) {
		rx_fail(rx, st);
		return;
	}
	pawlink_msg_bit_set(rx->have, index);
	rx->held++;
	rx->stats.chunks_new++;
	rx->since_checkpoint++;
	/*
	 * Tell the sender at once of a gap before this chunk (a loss), and
	 * of a retransmission that filled the first hole (its window slides).
	 */
	if (index > rx->highest || (index < rx->highest && index == rx->next))
		rx->ack_now = true;
	if (index >= rx->highest)
		rx->highest = index + 1;
	while (rx->next < rx->nchunks && pawlink_msg_bit(rx->have, rx->next))
		rx->next++;
	if (f->flags & PAWLINK_MSG_F_ACK_REQ)
		rx->ack_now = true;
	if (++rx->unacked >= PAWLINK_MSG_ACK_EVERY)
		rx->ack_now = true;
	else if (!rx->ack_at)
		rx->ack_at = now + PAWLINK_MSG_ACK_DELAY_US;

	if (rx->held == rx->nchunks) {
		/* commit() verifies the hash and makes it all durable. */
		rx->status = rx->sink.ops->commit(rx->sink.ctx);
		rx->done = true;
		rx->end_pending = true;
		return;
	}
	if (rx->since_checkpoint >= PAWLINK_MSG_CHECKPOINT_CHUNKS) {
		rx->since_checkpoint = 0;
		st = rx->sink.ops->checkpoint(rx->sink.ctx, rx->have,
					      rx->nchunks);
		if (st != PAWLINK_MSG_OK)
			rx_fail(rx, st);
	}
}

void pawlink_msg_rx_input(struct pawlink_msg_rx *rx,
			  const struct pawlink_msg_frame *f, uint64_t now)
{
	uint32_t index;

	rx->stats.frames_in++;
	if (f->tag != rx->tag) {
		rx->stats.dropped++;
		return;
	}
	rx->heard_us = now;
	if (f->type == PAWLINK_MSG_XFER_ABORT) {
		if (!rx->done) {
			rx->done = true;
			rx->status = f->status;
		}
		rx->end_pending = false;
		return;
	}
	if (f->type != PAWLINK_MSG_CHUNK) {
		rx->stats.dropped++;
		return;
	}
	/* Over: the sender has not heard the result yet. */
	if (rx->done) {
		rx->end_pending = true;
		return;
	}
	index = f->u.chunk.index;
	if (index >= rx->nchunks ||
	    f->u.chunk.len != pawlink_msg_chunk_len(rx->size, index)) {
		rx->stats.dropped++;
		return;
	}
	if (index >= rx->next && index - rx->next >= PAWLINK_MSG_WINDOW_MAX) {
		/* Beyond the window we advertised: refuse, say where we are. */
		rx->stats.dropped++;
		rx->ack_now = true;
		return;
	}
	if (pawlink_msg_bit(rx->have, index)) {
		rx->stats.chunks_dup++;
		rx->ack_now = true;
		return;
	}
	rx_store_chunk(rx, f, now);
}

int pawlink_msg_rx_output(struct pawlink_msg_rx *rx, uint64_t now,
			  uint8_t *buf, size_t cap)
{
	struct pawlink_msg_frame f = { .type = PAWLINK_MSG_ACK };
	int n;

	if (cap < PAWLINK_FRAME_MAX)
		return -ENOSPC;
	if (rx->end_pending) {
		rx->end_pending = false;
		return emit_status(buf, cap, PAWLINK_MSG_XFER_END, rx->tag,
				   wire_status(rx->status, PAWLINK_MSG_E_IO),
				   &rx->stats);
	}
	if (rx->done)
		return 0;
	if (now > rx->heard_us && now - rx->heard_us >= PAWLINK_MSG_IDLE_US) {
		/* Abandoned by the sender: keep what came, for a resume. */
		pawlink_msg_rx_suspend(rx);
		rx->done = true;
		rx->end_pending = false;
		rx->status = PAWLINK_MSG_E_TIMEOUT;
		return 0;
	}
	if (!rx->ack_now && !(rx->ack_at && now >= rx->ack_at))
		return 0;
	f.tag = rx->tag;
	pawlink_msg_rx_have(rx, &f.u.have);
	n = pawlink_msg_encode(buf, cap, &f);
	if (n < 0)
		return n;
	rx->ack_now = false;
	rx->ack_at = 0;
	rx->unacked = 0;
	rx->stats.acks++;
	rx->stats.frames_out++;
	rx->stats.bytes_out += (uint64_t)n;
	return n;
}

uint64_t pawlink_msg_rx_deadline(const struct pawlink_msg_rx *rx)
{
	uint64_t idle;

	if (rx->end_pending || (!rx->done && rx->ack_now))
		return 0;
	if (rx->done)
		return UINT64_MAX;
	idle = rx->heard_us + PAWLINK_MSG_IDLE_US;
	return rx->ack_at && rx->ack_at < idle ? rx->ack_at : idle;
}

void pawlink_msg_rx_suspend(struct pawlink_msg_rx *rx)
{
	if (rx->done || rx->since_checkpoint == 0)
		return;
	rx->since_checkpoint = 0;
	if (rx->sink.ops->checkpoint(rx->sink.ctx, rx->have, rx->nchunks) !=
	    PAWLINK_MSG_OK)
		rx_fail(rx, PAWLINK_MSG_E_IO);
}

bool pawlink_msg_rx_done(const struct pawlink_msg_rx *rx, int *status)
{
	if (rx->done && status)
		*status = rx->status;
	return rx->done;
}

/* ---- memory source ------------------------------------------------------ */

static int mem_read(void *ctx, uint32_t off, uint8_t *buf, size_t len)
{
	const struct pawlink_msg_mem_source *mem = ctx;

	if (off > mem->len || len > mem->len - off)
		return PAWLINK_MSG_E_IO;
	memcpy(buf, mem->data + off, len);
	return PAWLINK_MSG_OK;
}

static const struct pawlink_msg_source_ops mem_source_ops = {
	.read = mem_read,
};

void pawlink_msg_mem_source(struct pawlink_msg_source *src,
			    struct pawlink_msg_mem_source *mem,
			    const uint8_t *data, size_t len)
{
	mem->data = data;
	mem->len = len;
	src->ops = &mem_source_ops;
	src->ctx = mem;
}

// SPDX-License-Identifier: GPL-2.0
/* The host's message client; see msg_host.h. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "msg_host.h"
#include "msg_wire.h"
#include "bytes.h"

enum phase {
	PH_IDLE,		/* nothing started yet */
	PH_REQUEST,		/* request sent, no answer yet */
	PH_XFER,		/* put or get transfer running */
	PH_DONE,		/* @status is the result */
};

struct pawlink_msg_host {
	uint8_t host_id[PAWLINK_ID_LEN];
	uint16_t next_tag;
	struct pawlink_msg_rtt rtt;

	enum phase phase;
	int status;
	uint8_t op;			/* the request type */
	uint16_t tag;

	/* The request, resent until answered. */
	uint8_t req[PAWLINK_MSG_HDR_LEN + PAWLINK_MSG_META_LEN];
	size_t req_len;
	bool req_due;
	unsigned int req_tries;		/* resends so far */
	uint64_t req_sent_us;
	uint64_t req_timer_at;

	/* An XFER_ABORT to send (cancel, or a get the sink refused). */
	bool abort_pending;
	uint16_t abort_tag;
	uint8_t abort_status;

	uint8_t id[PAWLINK_MSG_ID_LEN];
	struct pawlink_msg_info info;	/* put: ours; get: the toy's */
	struct pawlink_msg_info list[PAWLINK_MSG_LIST_MAX];
	size_t list_n;
	bool list_more;
	uint32_t list_total;

	struct pawlink_msg_source src;
	bool tx_live;
	struct pawlink_msg_tx tx;

	pawlink_msg_get_begin_fn begin;
	void *begin_ctx;
	bool sink_open;
	struct pawlink_msg_sink sink;
	bool rx_live;
	struct pawlink_msg_rx rx;

	struct pawlink_msg_xfer_stats no_stats;
	struct pawlink_msg_host_stats stats;
};

int pawlink_msg_host_new(struct pawlink_msg_host **out,
			 const uint8_t host_id[PAWLINK_ID_LEN])
{
	struct pawlink_msg_host *h;

	*out = NULL;
	if (sodium_init() < 0)
		return -ENOMEM;
	h = calloc(1, sizeof(*h));
	if (!h)
		return -ENOMEM;
	memcpy(h->host_id, host_id, PAWLINK_ID_LEN);
	/* A random first tag keeps a restarted host off its old tags. */
	h->next_tag = (uint16_t)randombytes_uniform(1u << 16);
	pawlink_msg_rtt_init(&h->rtt);
	*out = h;
	return 0;
}

static void close_sink(struct pawlink_msg_host *h)
{
	if (!h->sink_open)
		return;
	pawlink_msg_rx_suspend(&h->rx);
	h->sink.ops->release(h->sink.ctx);
	h->sink_open = false;
}

void pawlink_msg_host_free(struct pawlink_msg_host *h)
{
	if (!h)
		return;
	close_sink(h);
	free(h);
}

static void finish(struct pawlink_msg_host *h, int status)
{
	h->phase = PH_DONE;
	h->status = status;
	h->req_due = false;
}

/* Common start of every operation: a fresh tag and request header. */
static int start(struct pawlink_msg_host *h, uint8_t op,
		 const struct pawlink_msg_frame *req_body, uint64_t now)
{
	struct pawlink_msg_frame f = *req_body;
	int len;

	if (h->phase == PH_REQUEST || h->phase == PH_XFER)
		return -EBUSY;
	close_sink(h);
	h->tx_live = false;
	h->rx_live = false;
	h->abort_pending = false;
	h->list_n = 0;
	h->list_more = false;
	h->list_total = 0;
	f.type = op;
	f.tag = h->next_tag++;
	len = pawlink_msg_encode(h->req, sizeof(h->req), &f);
	if (len < 0)
		return -EINVAL;
	h->req_len = (size_t)len;
	h->op = op;
	h->tag = f.tag;
	h->phase = PH_REQUEST;
	h->status = PAWLINK_MSG_OK;
	h->req_due = true;
	h->req_tries = 0;
	h->req_timer_at = now;
	h->stats.requests++;
	return 0;
}

static int start_id(struct pawlink_msg_host *h, uint8_t op,
		    const uint8_t *id, bool zero_ok, uint64_t now)
{
	struct pawlink_msg_frame f = { 0 };

	if (id)
		memcpy(f.u.id, id, PAWLINK_MSG_ID_LEN);
	if (!zero_ok && pawlink_is_zero(f.u.id, PAWLINK_MSG_ID_LEN))
		return -EINVAL;
	memcpy(h->id, f.u.id, PAWLINK_MSG_ID_LEN);
	return start(h, op, &f, now);
}

int pawlink_msg_host_list(struct pawlink_msg_host *h, const uint8_t *after,
			  uint64_t now)
{
	return start_id(h, PAWLINK_MSG_LIST_REQ, after, true, now);
}

int pawlink_msg_host_put(struct pawlink_msg_host *h,
			 const struct pawlink_msg_info *info,
			 const struct pawlink_msg_source *src, uint64_t now)
{
	struct pawlink_msg_frame f = { 0 };
	int err;

	if (!src || !src->ops || !src->ops->read ||
	    pawlink_msg_info_check(info) != PAWLINK_MSG_OK ||
	    memcmp(info->sender, h->host_id, PAWLINK_ID_LEN) != 0)
		return -EINVAL;
	f.u.info = *info;
	err = start(h, PAWLINK_MSG_PUT_REQ, &f, now);
	if (err)
		return err;
	h->info = *info;
	memcpy(h->id, info->id, PAWLINK_MSG_ID_LEN);
	h->src = *src;
	return 0;
}

int pawlink_msg_host_get(struct pawlink_msg_host *h,
			 const uint8_t id[PAWLINK_MSG_ID_LEN],
			 pawlink_msg_get_begin_fn begin, void *ctx,
			 uint64_t now)
{
	int err;

	if (!begin)
		return -EINVAL;
	err = start_id(h, PAWLINK_MSG_GET_REQ, id, false, now);
	if (err)
		return err;
	memset(&h->info, 0, sizeof(h->info));
	h->begin = begin;
	h->begin_ctx = ctx;
	return 0;
}

int pawlink_msg_host_delete(struct pawlink_msg_host *h,
			    const uint8_t id[PAWLINK_MSG_ID_LEN], uint64_t now)
{
	return start_id(h, PAWLINK_MSG_DELETE_REQ, id, false, now);
}

int pawlink_msg_host_play(struct pawlink_msg_host *h,
			  const uint8_t id[PAWLINK_MSG_ID_LEN], uint64_t now)
{
	return start_id(h, PAWLINK_MSG_PLAY_REQ, id, false, now);
}

static void send_abort(struct pawlink_msg_host *h, int status)
{
	h->abort_pending = true;
	h->abort_tag = h->tag;
	h->abort_status = (uint8_t)status;
}

void pawlink_msg_host_cancel(struct pawlink_msg_host *h)
{
	if (h->phase != PH_REQUEST && h->phase != PH_XFER)
		return;
	/* A put or get may have started a transfer on the toy: stop it. */
	if (h->tx_live)
		pawlink_msg_tx_abort(&h->tx, PAWLINK_MSG_E_ABORTED);
	else if (h->op == PAWLINK_MSG_PUT_REQ || h->op == PAWLINK_MSG_GET_REQ)
		send_abort(h, PAWLINK_MSG_E_ABORTED);
	/* An unfinished get keeps what came, for a resume. */
	close_sink(h);
	h->rx_live = false;
	finish(h, PAWLINK_MSG_E_ABORTED);
}

/* ---- responses ---------------------------------------------------------- */

static void on_put_resp(struct pawlink_msg_host *h,
			const struct pawlink_msg_frame *f, uint64_t now)
{
	if (f->status != PAWLINK_MSG_OK) {
		finish(h, f->status);
		return;
	}
	if (pawlink_msg_tx_init(&h->tx, h->tag, h->info.size, &h->src,
				&h->rtt, &f->u.have, now) != 0) {
		send_abort(h, PAWLINK_MSG_E_BAD_REQUEST);
		finish(h, PAWLINK_MSG_E_PROTOCOL);
		return;
	}
	h->tx_live = true;
	h->phase = PH_XFER;
}

static void on_get_resp(struct pawlink_msg_host *h,
			const struct pawlink_msg_frame *f, uint64_t now)
{
	uint8_t have[PAWLINK_MSG_BITMAP_LEN];
	int status;

	if (f->status != PAWLINK_MSG_OK) {
		finish(h, f->status);
		return;
	}
	h->info = f->u.info;
	if (memcmp(f->u.info.id, h->id, PAWLINK_MSG_ID_LEN) != 0 ||
	    pawlink_msg_info_check(&f->u.info) != PAWLINK_MSG_OK) {
		send_abort(h, PAWLINK_MSG_E_BAD_REQUEST);
		finish(h, PAWLINK_MSG_E_PROTOCOL);
		return;
	}
	memset(have, 0, sizeof(have));
	status = h->begin(h->begin_ctx, &f->u.info, &h->sink, have);
	if (status != PAWLINK_MSG_OK) {
		send_abort(h, status <= PAWLINK_MSG_STATUS_LAST && status > 0 ?
			   status : PAWLINK_MSG_E_ABORTED);
		finish(h, status);
		return;
	}
	h->sink_open = true;
	if (pawlink_msg_rx_init(&h->rx, h->tag, f->u.info.size, &h->sink,
				have, now) != 0) {
		close_sink(h);
		send_abort(h, PAWLINK_MSG_E_ABORTED);
		finish(h, PAWLINK_MSG_E_IO);
		return;
	}
	/* Tell the toy at once what we hold, so it sends only the rest. */
	pawlink_msg_rx_ack_now(&h->rx);
	h->rx_live = true;
	h->phase = PH_XFER;
}

static void on_response(struct pawlink_msg_host *h,
			const struct pawlink_msg_frame *f, uint64_t now)
{
	size_t i;

	if (h->phase != PH_REQUEST || f->type != h->op + 1 ||
	    f->tag != h->tag) {
		h->stats.dropped++;	/* late repeat or someone else's */
		return;
	}
	if (h->req_tries == 0)
		pawlink_msg_rtt_sample(&h->rtt, now - h->req_sent_us);
	switch (f->type) {
	case PAWLINK_MSG_LIST_RESP:
		if (f->status == PAWLINK_MSG_OK) {
			h->list_n = f->u.list.count;
			for (i = 0; i < h->list_n; i++)
				h->list[i] = f->u.list.entries[i];
			h->list_more = f->flags & PAWLINK_MSG_F_MORE;
			h->list_total = f->u.list.total;
		}
		finish(h, f->status);
		break;
	case PAWLINK_MSG_PUT_RESP:
		on_put_resp(h, f, now);
		break;
	case PAWLINK_MSG_GET_RESP:
		on_get_resp(h, f, now);
		break;
	default:
		finish(h, f->status);
		break;
	}
}

/* ---- transfers ---------------------------------------------------------- */

/* Moves a finished transfer's result into the operation's. */
static void settle(struct pawlink_msg_host *h)
{
	int status;

	if (h->rx_live && pawlink_msg_rx_done(&h->rx, &status)) {
		if (h->sink_open) {
			h->sink.ops->release(h->sink.ctx);
			h->sink_open = false;
		}
		if (h->phase == PH_XFER)
			finish(h, status);
	}
	if (h->tx_live && pawlink_msg_tx_done(&h->tx, &status) &&
	    h->phase == PH_XFER)
		finish(h, status);
}

static void on_xfer_frame(struct pawlink_msg_host *h,
			  const struct pawlink_msg_frame *f, uint64_t now)
{
	bool ours = f->tag == h->tag;

	if (ours && h->tx_live && f->type != PAWLINK_MSG_CHUNK) {
		pawlink_msg_tx_input(&h->tx, f, now);
		return;
	}
	if (ours && h->rx_live && (f->type == PAWLINK_MSG_CHUNK ||
				   f->type == PAWLINK_MSG_XFER_ABORT)) {
		pawlink_msg_rx_input(&h->rx, f, now);
		return;
	}
	/* A get's first chunks may overtake a lost GET_RESP: drop them. */
	h->stats.dropped++;
}

int pawlink_msg_host_input(struct pawlink_msg_host *h, const uint8_t *frame,
			   size_t len, uint64_t now)
{
	struct pawlink_msg_frame f;

	if (pawlink_msg_decode(&f, frame, len) != 0) {
		h->stats.dropped++;
		return -EBADMSG;
	}
	if (pawlink_msg_is_response(f.type))
		on_response(h, &f, now);
	else if (pawlink_msg_is_request(f.type))
		h->stats.dropped++;	/* toys make no requests */
	else
		on_xfer_frame(h, &f, now);
	settle(h);
	return 0;
}

static int output_request(struct pawlink_msg_host *h, uint64_t now,
			  uint8_t *buf)
{
	if (!h->req_due) {
		/* The timer ran out: resend, backing off, or give up. */
		if (h->req_tries >= PAWLINK_MSG_RETRIES_MAX) {
			finish(h, PAWLINK_MSG_E_TIMEOUT);
			return 0;
		}
		h->req_tries++;
		h->stats.resends++;
		pawlink_msg_rtt_backoff(&h->rtt);
	}
	h->req_due = false;
	h->req_sent_us = now;
	h->req_timer_at = now + pawlink_msg_rtt_timeout(&h->rtt);
	memcpy(buf, h->req, h->req_len);
	return (int)h->req_len;
}

int pawlink_msg_host_output(struct pawlink_msg_host *h, uint64_t now,
			    uint8_t *buf, size_t cap)
{
	struct pawlink_msg_frame f = { .type = PAWLINK_MSG_XFER_ABORT };
	int len = 0;

	if (cap < PAWLINK_FRAME_MAX)
		return -ENOSPC;
	if (h->abort_pending) {
		h->abort_pending = false;
		f.tag = h->abort_tag;
		f.status = h->abort_status;
		return pawlink_msg_encode(buf, cap, &f);
	}
	if (h->phase == PH_REQUEST && (h->req_due || now >= h->req_timer_at)) {
		len = output_request(h, now, buf);
		if (len)
			return len;
	}
	if (h->rx_live)
		len = pawlink_msg_rx_output(&h->rx, now, buf, cap);
	if (len == 0 && h->tx_live)
		len = pawlink_msg_tx_output(&h->tx, now, buf, cap);
	settle(h);
	return len;
}

uint64_t pawlink_msg_host_deadline(const struct pawlink_msg_host *h)
{
	uint64_t d = UINT64_MAX, t;

	if (h->abort_pending || (h->phase == PH_REQUEST && h->req_due))
		return 0;
	if (h->phase == PH_REQUEST)
		d = h->req_timer_at;
	if (h->rx_live) {
		t = pawlink_msg_rx_deadline(&h->rx);
		d = t < d ? t : d;
	}
	if (h->tx_live) {
		t = pawlink_msg_tx_deadline(&h->tx);
		d = t < d ? t : d;
	}
	return d;
}

bool pawlink_msg_host_done(const struct pawlink_msg_host *h, int *status)
{
	bool done = h->phase == PH_IDLE || h->phase == PH_DONE;

	if (done && status)
		*status = h->status;
	return done;
}

size_t pawlink_msg_host_list_result(const struct pawlink_msg_host *h,
				    const struct pawlink_msg_info **entries,
				    bool *more, uint32_t *total)
{
	*entries = h->list;
	*more = h->list_more;
	*total = h->list_total;
	return h->list_n;
}

const struct pawlink_msg_info *
pawlink_msg_host_get_info(const struct pawlink_msg_host *h)
{
	return &h->info;
}

bool pawlink_msg_host_progress(const struct pawlink_msg_host *h,
			       uint64_t *done, uint64_t *total)
{
	uint64_t chunks;

	if (h->tx_live) {
		chunks = h->tx.base;
		*total = h->tx.size;
	} else if (h->rx_live) {
		chunks = h->rx.held;
		*total = h->rx.size;
	} else {
		return false;
	}
	*done = chunks * PAWLINK_MSG_CHUNK_DATA;
	if (*done > *total)
		*done = *total;
	return true;
}

const struct pawlink_msg_xfer_stats *
pawlink_msg_host_xfer_stats(const struct pawlink_msg_host *h)
{
	if (h->tx_live)
		return &h->tx.stats;
	if (h->rx_live)
		return &h->rx.stats;
	return &h->no_stats;
}

const struct pawlink_msg_host_stats *
pawlink_msg_host_stats(const struct pawlink_msg_host *h)
{
	return &h->stats;
}

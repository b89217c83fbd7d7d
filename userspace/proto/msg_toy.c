// SPDX-License-Identifier: GPL-2.0
/* The toy's message service; see msg_toy.h. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "msg_toy.h"
#include "msg_wire.h"

enum xfer_kind {
	XFER_NONE,
	XFER_UPLOAD,		/* host -> toy: rx into the store */
	XFER_DOWNLOAD,		/* toy -> host: tx out of the store */
};

struct pawlink_msg_toy {
	struct pawlink_msg_store *st;
	uint8_t peer[PAWLINK_ID_LEN];
	struct pawlink_msg_toy_ops ops;
	void *ops_ctx;
	struct pawlink_msg_rtt rtt;

	/* The response to the last request, kept for repeats. */
	uint8_t resp[PAWLINK_FRAME_MAX];
	size_t resp_len;
	uint8_t resp_req_type;
	uint16_t resp_tag;
	bool resp_valid;
	bool resp_pending;

	/* An XFER_ABORT(NO_XFER) owed for a frame of an unknown transfer. */
	bool nox_pending;
	uint16_t nox_tag;

	/* The one transfer; kept after it ends to answer late frames. */
	enum xfer_kind kind;
	uint16_t xfer_tag;
	uint8_t xfer_id[PAWLINK_MSG_ID_LEN];
	bool sink_open;
	struct pawlink_msg_sink sink;
	struct pawlink_msg_rx rx;
	bool src_open;
	struct pawlink_msg_source src;
	struct pawlink_msg_tx tx;

	struct pawlink_msg_toy_stats stats;
};

/* Frees the transfer's store handles; @suspend: checkpoint an upload. */
static void close_xfer(struct pawlink_msg_toy *toy, bool suspend)
{
	if (toy->sink_open) {
		if (suspend)
			pawlink_msg_rx_suspend(&toy->rx);
		toy->sink.ops->release(toy->sink.ctx);
		toy->sink_open = false;
	}
	if (toy->src_open) {
		pawlink_msg_store_reader_close(toy->st, &toy->src);
		toy->src_open = false;
	}
}

static void forget_xfer(struct pawlink_msg_toy *toy)
{
	if (toy->kind != XFER_NONE && pawlink_msg_toy_busy(toy))
		toy->stats.superseded++;
	close_xfer(toy, true);
	toy->kind = XFER_NONE;
}

/* A finished transfer no longer needs its store handles. */
static void reap_xfer(struct pawlink_msg_toy *toy)
{
	if (toy->kind == XFER_UPLOAD && toy->sink_open &&
	    pawlink_msg_rx_done(&toy->rx, NULL))
		close_xfer(toy, false);
	if (toy->kind == XFER_DOWNLOAD && toy->src_open &&
	    pawlink_msg_tx_done(&toy->tx, NULL))
		close_xfer(toy, false);
}

int pawlink_msg_toy_new(struct pawlink_msg_toy **out,
			struct pawlink_msg_store *st,
			const uint8_t peer_id[PAWLINK_ID_LEN],
			const struct pawlink_msg_toy_ops *ops, void *ops_ctx)
{
	struct pawlink_msg_toy *toy;

	*out = NULL;
	if (!st || !ops || !ops->play)
		return -EINVAL;
	toy = calloc(1, sizeof(*toy));
	if (!toy)
		return -ENOMEM;
	toy->st = st;
	memcpy(toy->peer, peer_id, PAWLINK_ID_LEN);
	toy->ops = *ops;
	toy->ops_ctx = ops_ctx;
	pawlink_msg_rtt_init(&toy->rtt);
	*out = toy;
	return 0;
}

void pawlink_msg_toy_free(struct pawlink_msg_toy *toy)
{
	if (!toy)
		return;
	close_xfer(toy, true);
	free(toy);
}

void pawlink_msg_toy_drop(struct pawlink_msg_toy *toy)
{
	if (!toy)
		return;
	close_xfer(toy, false);
	free(toy);
}

bool pawlink_msg_toy_busy(const struct pawlink_msg_toy *toy)
{
	switch (toy->kind) {
	case XFER_UPLOAD:
		return !pawlink_msg_rx_done(&toy->rx, NULL);
	case XFER_DOWNLOAD:
		return !pawlink_msg_tx_done(&toy->tx, NULL);
	default:
		return false;
	}
}

const struct pawlink_msg_toy_stats *
pawlink_msg_toy_stats(const struct pawlink_msg_toy *toy)
{
	return &toy->stats;
}

/* ---- requests ----------------------------------------------------------- */

/* Keeps @f as the response to request (@req_type, @tag) and sends it. */
static void respond(struct pawlink_msg_toy *toy, uint8_t req_type,
		    struct pawlink_msg_frame *f)
{
	int len;

	f->type = (uint8_t)(req_type + 1);
	len = pawlink_msg_encode(toy->resp, sizeof(toy->resp), f);
	if (len < 0) {
		/* Cannot happen for frames built here; answer plainly. */
		struct pawlink_msg_frame e = {
			.type = f->type, .tag = f->tag,
			.status = PAWLINK_MSG_E_IO,
		};

		len = pawlink_msg_encode(toy->resp, sizeof(toy->resp), &e);
	}
	toy->resp_len = len > 0 ? (size_t)len : 0;
	toy->resp_req_type = req_type;
	toy->resp_tag = f->tag;
	toy->resp_valid = len > 0;
	toy->resp_pending = len > 0;
}

static void respond_status(struct pawlink_msg_toy *toy, uint8_t req_type,
			   uint16_t tag, int status)
{
	struct pawlink_msg_frame f = { .tag = tag, .status = (uint8_t)status };

	respond(toy, req_type, &f);
}

static void handle_list(struct pawlink_msg_toy *toy,
			const struct pawlink_msg_frame *req)
{
	struct pawlink_msg_frame f = { .tag = req->tag };
	uint64_t bytes;
	uint32_t count;
	size_t n;
	bool more;

	pawlink_msg_store_list(toy->st, req->u.id, f.u.list.entries,
			       PAWLINK_MSG_LIST_MAX, &n, &more);
	pawlink_msg_store_usage(toy->st, &count, &bytes);
	f.u.list.count = (uint8_t)n;
	f.u.list.total = count;
	f.flags = more ? PAWLINK_MSG_F_MORE : 0;
	respond(toy, req->type, &f);
}

static void handle_put(struct pawlink_msg_toy *toy,
		       const struct pawlink_msg_frame *req, uint64_t now)
{
	uint8_t have[PAWLINK_MSG_BITMAP_LEN];
	struct pawlink_msg_frame f = { .tag = req->tag };
	const struct pawlink_msg_info *info = &req->u.info;
	int status;

	status = pawlink_msg_info_check(info);
	if (status == PAWLINK_MSG_OK &&
	    sodium_memcmp(info->sender, toy->peer, PAWLINK_ID_LEN) != 0)
		status = PAWLINK_MSG_E_BAD_REQUEST;	/* not this host's */
	if (status != PAWLINK_MSG_OK) {
		respond_status(toy, req->type, req->tag, status);
		return;
	}
	/* A new upload replaces any transfer; its partial stays resumable. */
	forget_xfer(toy);
	status = pawlink_msg_store_put_begin(toy->st, info, &toy->sink, have);
	if (status != PAWLINK_MSG_OK) {
		respond_status(toy, req->type, req->tag, status);
		return;
	}
	toy->sink_open = true;
	if (pawlink_msg_rx_init(&toy->rx, req->tag, info->size, &toy->sink,
				have, now) != 0) {
		close_xfer(toy, false);
		respond_status(toy, req->type, req->tag, PAWLINK_MSG_E_IO);
		return;
	}
	toy->kind = XFER_UPLOAD;
	toy->xfer_tag = req->tag;
	memcpy(toy->xfer_id, info->id, PAWLINK_MSG_ID_LEN);
	pawlink_msg_rx_have(&toy->rx, &f.u.have);
	respond(toy, req->type, &f);
}

static void handle_get(struct pawlink_msg_toy *toy,
		       const struct pawlink_msg_frame *req, uint64_t now)
{
	struct pawlink_msg_frame f = { .tag = req->tag };
	int status;

	forget_xfer(toy);
	status = pawlink_msg_store_reader_open(toy->st, req->u.id, &f.u.info,
					       &toy->src);
	if (status != PAWLINK_MSG_OK) {
		respond_status(toy, req->type, req->tag, status);
		return;
	}
	toy->src_open = true;
	if (pawlink_msg_tx_init(&toy->tx, req->tag, f.u.info.size, &toy->src,
				&toy->rtt, NULL, now) != 0) {
		close_xfer(toy, false);
		respond_status(toy, req->type, req->tag, PAWLINK_MSG_E_IO);
		return;
	}
	toy->kind = XFER_DOWNLOAD;
	toy->xfer_tag = req->tag;
	memcpy(toy->xfer_id, req->u.id, PAWLINK_MSG_ID_LEN);
	respond(toy, req->type, &f);
}

static bool is_xfer_of(const struct pawlink_msg_toy *toy, enum xfer_kind kind,
		       const uint8_t *id)
{
	return toy->kind == kind && pawlink_msg_toy_busy(toy) &&
	       memcmp(toy->xfer_id, id, PAWLINK_MSG_ID_LEN) == 0;
}

static void handle_delete(struct pawlink_msg_toy *toy,
			  const struct pawlink_msg_frame *req)
{
	int status;

	if (is_xfer_of(toy, XFER_DOWNLOAD, req->u.id)) {
		respond_status(toy, req->type, req->tag, PAWLINK_MSG_E_BUSY);
		return;
	}
	/* Deleting the message being uploaded cancels the upload. */
	if (is_xfer_of(toy, XFER_UPLOAD, req->u.id)) {
		close_xfer(toy, false);
		toy->kind = XFER_NONE;
	}
	status = pawlink_msg_store_delete(toy->st, req->u.id);
	respond_status(toy, req->type, req->tag, status);
}

static void handle_play(struct pawlink_msg_toy *toy,
			const struct pawlink_msg_frame *req)
{
	struct pawlink_msg_info info;
	int status;

	status = pawlink_msg_store_find(toy->st, req->u.id, &info);
	if (status == PAWLINK_MSG_OK)
		status = toy->ops.play(toy->ops_ctx, toy->st, &info);
	if (status < 0 || status > PAWLINK_MSG_STATUS_LAST)
		status = PAWLINK_MSG_E_IO;
	respond_status(toy, req->type, req->tag, status);
}

static void handle_request(struct pawlink_msg_toy *toy,
			   const struct pawlink_msg_frame *f, uint64_t now)
{
	if (toy->resp_valid && f->type == toy->resp_req_type &&
	    f->tag == toy->resp_tag) {
		toy->stats.repeats++;
		toy->resp_pending = true;
		return;
	}
	toy->stats.requests++;
	switch (f->type) {
	case PAWLINK_MSG_LIST_REQ:
		handle_list(toy, f);
		break;
	case PAWLINK_MSG_PUT_REQ:
		handle_put(toy, f, now);
		break;
	case PAWLINK_MSG_GET_REQ:
		handle_get(toy, f, now);
		break;
	case PAWLINK_MSG_DELETE_REQ:
		handle_delete(toy, f);
		break;
	case PAWLINK_MSG_PLAY_REQ:
		handle_play(toy, f);
		break;
	}
}

/* ---- transfer frames ---------------------------------------------------- */

static void no_such_xfer(struct pawlink_msg_toy *toy, uint16_t tag)
{
	toy->stats.no_xfer++;
	toy->nox_pending = true;
	toy->nox_tag = tag;
}

static void handle_xfer(struct pawlink_msg_toy *toy,
			const struct pawlink_msg_frame *f, uint64_t now)
{
	bool ours = f->tag == toy->xfer_tag;
	bool up = ours && toy->kind == XFER_UPLOAD;
	bool down = ours && toy->kind == XFER_DOWNLOAD;

	switch (f->type) {
	case PAWLINK_MSG_CHUNK:
		if (up)
			pawlink_msg_rx_input(&toy->rx, f, now);
		else
			no_such_xfer(toy, f->tag);
		break;
	case PAWLINK_MSG_ACK:
		if (down)
			pawlink_msg_tx_input(&toy->tx, f, now);
		else
			no_such_xfer(toy, f->tag);
		break;
	case PAWLINK_MSG_XFER_END:
		if (down)
			pawlink_msg_tx_input(&toy->tx, f, now);
		else
			toy->stats.dropped++;
		break;
	case PAWLINK_MSG_XFER_ABORT:
		if (up) {
			/* The host gave up; keep what came for its retry. */
			pawlink_msg_rx_suspend(&toy->rx);
			pawlink_msg_rx_input(&toy->rx, f, now);
		} else if (down) {
			pawlink_msg_tx_input(&toy->tx, f, now);
		} else {
			toy->stats.dropped++;
		}
		break;
	default:
		toy->stats.dropped++;	/* a response: hosts send none */
		break;
	}
}

int pawlink_msg_toy_input(struct pawlink_msg_toy *toy, const uint8_t *frame,
			  size_t len, uint64_t now)
{
	struct pawlink_msg_frame f;

	if (pawlink_msg_decode(&f, frame, len) != 0) {
		toy->stats.dropped++;
		return -EBADMSG;
	}
	if (pawlink_msg_is_request(f.type))
		handle_request(toy, &f, now);
	else
		handle_xfer(toy, &f, now);
	reap_xfer(toy);
	return 0;
}

int pawlink_msg_toy_output(struct pawlink_msg_toy *toy, uint64_t now,
			   uint8_t *buf, size_t cap)
{
	struct pawlink_msg_frame f = { .type = PAWLINK_MSG_XFER_ABORT };
	int len = 0;

	if (cap < PAWLINK_FRAME_MAX)
		return -ENOSPC;
	if (toy->resp_pending) {
		toy->resp_pending = false;
		memcpy(buf, toy->resp, toy->resp_len);
		return (int)toy->resp_len;
	}
	if (toy->nox_pending) {
		toy->nox_pending = false;
		f.tag = toy->nox_tag;
		f.status = PAWLINK_MSG_E_NO_XFER;
		return pawlink_msg_encode(buf, cap, &f);
	}
	if (toy->kind == XFER_UPLOAD)
		len = pawlink_msg_rx_output(&toy->rx, now, buf, cap);
	else if (toy->kind == XFER_DOWNLOAD)
		len = pawlink_msg_tx_output(&toy->tx, now, buf, cap);
	reap_xfer(toy);
	return len;
}

uint64_t pawlink_msg_toy_deadline(const struct pawlink_msg_toy *toy)
{
	if (toy->resp_pending || toy->nox_pending)
		return 0;
	if (toy->kind == XFER_UPLOAD)
		return pawlink_msg_rx_deadline(&toy->rx);
	if (toy->kind == XFER_DOWNLOAD)
		return pawlink_msg_tx_deadline(&toy->tx);
	return UINT64_MAX;
}

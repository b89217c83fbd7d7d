// SPDX-License-Identifier: GPL-2.0
/*
 * The whole message protocol, host client against toy service, each with a
 * real message store, over the deterministic lossy air of msg_sim.h:
 * list/put/get/delete/play and their errors, request retransmission and
 * idempotence, resume after a host restart, after a toy power loss at any
 * file operation, and for downloads; and the time a 60 s message takes on
 * the default air (printed, not asserted).
 */
#include <errno.h>
#include <inttypes.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <sodium.h>

#include "msg_host.h"
#include "msg_object.h"
#include "msg_sim.h"
#include "msg_store.h"
#include "msg_toy.h"
#include "msg_wire.h"
#include "tmpdir.h"

#define AIR_RATE	2000000
#define AIR_LATENCY	1000
#define HOUR_US		(3600ULL * 1000000)

static const uint8_t host_id[PAWLINK_ID_LEN] = { 0xa1, 0xa2, 0xa3, 0xa4,
						 0xa5, 0xa6, 0xa7, 0xa8 };

struct proto {
	struct sim air;
	char toy_dir[64];
	char host_dir[64];
	struct pawlink_msg_store_limits toy_lim;
	struct pawlink_msg_store *toy_st;
	struct pawlink_msg_store *host_st;
	struct pawlink_msg_toy *toy;
	struct pawlink_msg_host *host;
	unsigned int plays;
	uint8_t played[PAWLINK_MSG_ID_LEN];
	int play_status;
	bool stop_on_crash;
};

/* ---- plumbing ----------------------------------------------------------- */

static int toy_play(void *ctx, struct pawlink_msg_store *st,
		    const struct pawlink_msg_info *info)
{
	struct proto *p = ctx;
	uint8_t *data;
	size_t len;

	if (p->play_status != PAWLINK_MSG_OK)
		return p->play_status;
	/* A player reads the whole, verified object. */
	assert_int_equal(pawlink_msg_store_read(st, info->id, &data, &len),
			 PAWLINK_MSG_OK);
	free(data);
	p->plays++;
	memcpy(p->played, info->id, PAWLINK_MSG_ID_LEN);
	return PAWLINK_MSG_OK;
}

static const struct pawlink_msg_toy_ops toy_ops = { .play = toy_play };

static int host_in(void *ctx, const uint8_t *buf, size_t len, uint64_t now)
{
	return pawlink_msg_host_input(((struct proto *)ctx)->host, buf, len,
				      now);
}

static int host_out(void *ctx, uint64_t now, uint8_t *buf, size_t cap)
{
	return pawlink_msg_host_output(((struct proto *)ctx)->host, now, buf,
				       cap);
}

static uint64_t host_deadline(void *ctx)
{
	return pawlink_msg_host_deadline(((struct proto *)ctx)->host);
}

static int toy_in(void *ctx, const uint8_t *buf, size_t len, uint64_t now)
{
	return pawlink_msg_toy_input(((struct proto *)ctx)->toy, buf, len, now);
}

static int toy_out(void *ctx, uint64_t now, uint8_t *buf, size_t cap)
{
	return pawlink_msg_toy_output(((struct proto *)ctx)->toy, now, buf,
				      cap);
}

static uint64_t toy_deadline(void *ctx)
{
	return pawlink_msg_toy_deadline(((struct proto *)ctx)->toy);
}

static void open_toy(struct proto *p)
{
	char err[256];

	assert_int_equal(pawlink_msg_store_open(&p->toy_st, p->toy_dir,
						&p->toy_lim, err, sizeof(err)),
			 0);
	assert_int_equal(pawlink_msg_toy_new(&p->toy, p->toy_st, host_id,
					     &toy_ops, p), 0);
}

static void new_host(struct proto *p)
{
	pawlink_msg_host_free(p->host);
	assert_int_equal(pawlink_msg_host_new(&p->host, host_id), 0);
}

static int setup(void **state)
{
	struct proto *p = calloc(1, sizeof(*p));
	char err[256];

	if (!p)
		return -1;
	if (test_tmpdir(p->toy_dir, sizeof(p->toy_dir), "toy", TEST_TMP_FAST) ||
	    test_tmpdir(p->host_dir, sizeof(p->host_dir), "host",
			TEST_TMP_FAST))
		return -1;
	p->toy_lim.max_bytes = PAWLINK_MSG_STORE_BYTES_DEFAULT;
	p->toy_lim.max_count = PAWLINK_MSG_STORE_COUNT_DEFAULT;
	if (sim_init(&p->air, AIR_RATE, AIR_LATENCY, 50000, 1))
		return -1;
	open_toy(p);
	if (pawlink_msg_store_open(&p->host_st, p->host_dir, NULL, err,
				   sizeof(err)))
		return -1;
	if (pawlink_msg_host_new(&p->host, host_id))
		return -1;
	p->air.node[0] = (struct sim_node){ host_in, host_out, host_deadline,
					    p };
	p->air.node[1] = (struct sim_node){ toy_in, toy_out, toy_deadline, p };
	p->play_status = PAWLINK_MSG_OK;
	*state = p;
	return 0;
}

static int teardown(void **state)
{
	struct proto *p = *state;

	pawlink_msg_host_free(p->host);
	pawlink_msg_toy_free(p->toy);
	pawlink_msg_store_close(p->toy_st);
	pawlink_msg_store_close(p->host_st);
	sim_fini(&p->air);
	test_rm_tree(p->toy_dir);
	test_rm_tree(p->host_dir);
	free(p);
	return 0;
}

static bool host_done(void *ctx)
{
	struct proto *p = ctx;

	if (p->stop_on_crash && pawlink_msg_store_crashed(p->toy_st))
		return true;
	return pawlink_msg_host_done(p->host, NULL);
}

static bool toy_idle(void *ctx)
{
	return !pawlink_msg_toy_busy(((struct proto *)ctx)->toy);
}

/* Runs the started operation to its end; returns its status. */
static int finish_op(struct proto *p)
{
	int status = -1;

	assert_int_equal(sim_run(&p->air, host_done, p, p->air.now + HOUR_US),
			 0);
	assert_true(pawlink_msg_host_done(p->host, &status));
	/* Let the toy hear the end of a download, too. */
	assert_int_equal(sim_run(&p->air, toy_idle, p, p->air.now + HOUR_US),
			 0);
	return status;
}

static uint8_t *new_message(uint32_t size, struct pawlink_msg_info *info)
{
	uint8_t *data = malloc(size);

	assert_non_null(data);
	randombytes_buf(data, size);
	assert_int_equal(pawlink_msg_info_create(info, host_id, 1700000000,
						 size / 4 + 1, data, size),
			 PAWLINK_MSG_OK);
	return data;
}

static int do_put(struct proto *p, const struct pawlink_msg_info *info,
		  const uint8_t *data)
{
	struct pawlink_msg_mem_source mem;
	struct pawlink_msg_source src;

	pawlink_msg_mem_source(&src, &mem, data, info->size);
	assert_int_equal(pawlink_msg_host_put(p->host, info, &src, p->air.now),
			 0);
	return finish_op(p);
}

static int begin_into_store(void *ctx, const struct pawlink_msg_info *info,
			    struct pawlink_msg_sink *sink, uint8_t *have)
{
	return pawlink_msg_store_put_begin(ctx, info, sink, have);
}

static int do_get(struct proto *p, const uint8_t *id)
{
	assert_int_equal(pawlink_msg_host_get(p->host, id, begin_into_store,
					      p->host_st, p->air.now), 0);
	return finish_op(p);
}

static int do_simple(struct proto *p, uint8_t type, const uint8_t *id)
{
	switch (type) {
	case PAWLINK_MSG_LIST_REQ:
		assert_int_equal(pawlink_msg_host_list(p->host, id, p->air.now),
				 0);
		break;
	case PAWLINK_MSG_DELETE_REQ:
		assert_int_equal(pawlink_msg_host_delete(p->host, id,
							 p->air.now), 0);
		break;
	default:
		assert_int_equal(pawlink_msg_host_play(p->host, id, p->air.now),
				 0);
		break;
	}
	return finish_op(p);
}

static void assert_in_store(struct pawlink_msg_store *st,
			    const struct pawlink_msg_info *info,
			    const uint8_t *data)
{
	uint8_t *got;
	size_t len;

	assert_int_equal(pawlink_msg_store_read(st, info->id, &got, &len),
			 PAWLINK_MSG_OK);
	assert_int_equal(len, info->size);
	assert_memory_equal(got, data, len);
	free(got);
}

/* ---- tests -------------------------------------------------------------- */

static void test_operations(void **state)
{
	struct proto *p = *state;
	struct pawlink_msg_info info[14];
	const struct pawlink_msg_info *entries;
	uint8_t *data[14], after[PAWLINK_MSG_ID_LEN] = { 0 };
	size_t n, seen = 0;
	uint32_t total;
	bool more = true;
	int i;

	for (i = 0; i < 14; i++) {
		data[i] = new_message((uint32_t)(2000 + 3000 * i), &info[i]);
		assert_int_equal(do_put(p, &info[i], data[i]), PAWLINK_MSG_OK);
		assert_in_store(p->toy_st, &info[i], data[i]);
	}
	/* 14 messages: two pages of a list. */
	while (more) {
		assert_int_equal(do_simple(p, PAWLINK_MSG_LIST_REQ, after),
				 PAWLINK_MSG_OK);
		n = pawlink_msg_host_list_result(p->host, &entries, &more,
						 &total);
		assert_int_equal(total, 14);
		assert_true(n > 0);
		seen += n;
		memcpy(after, entries[n - 1].id, PAWLINK_MSG_ID_LEN);
	}
	assert_int_equal(seen, 14);

	/* Download into the host's own store. */
	assert_int_equal(do_get(p, info[9].id), PAWLINK_MSG_OK);
	assert_true(pawlink_msg_info_equal(pawlink_msg_host_get_info(p->host),
					   &info[9]));
	assert_in_store(p->host_st, &info[9], data[9]);

	assert_int_equal(do_simple(p, PAWLINK_MSG_PLAY_REQ, info[4].id),
			 PAWLINK_MSG_OK);
	assert_int_equal(p->plays, 1);
	assert_memory_equal(p->played, info[4].id, PAWLINK_MSG_ID_LEN);

	assert_int_equal(do_simple(p, PAWLINK_MSG_DELETE_REQ, info[4].id),
			 PAWLINK_MSG_OK);
	assert_int_equal(do_simple(p, PAWLINK_MSG_DELETE_REQ, info[4].id),
			 PAWLINK_MSG_E_NOT_FOUND);
	assert_int_equal(do_simple(p, PAWLINK_MSG_PLAY_REQ, info[4].id),
			 PAWLINK_MSG_E_NOT_FOUND);
	assert_int_equal(do_get(p, info[4].id), PAWLINK_MSG_E_NOT_FOUND);
	assert_int_equal(p->plays, 1);
	/* The same message again: already there. */
	assert_int_equal(do_put(p, &info[3], data[3]), PAWLINK_MSG_E_EXISTS);
	for (i = 0; i < 14; i++)
		free(data[i]);
}

static void test_error_statuses(void **state)
{
	struct proto *p = *state;
	struct pawlink_msg_info a, b, bad;
	struct pawlink_msg_mem_source mem;
	struct pawlink_msg_source src;
	const struct pawlink_msg_info *entries;
	uint8_t *da, *db;
	uint32_t total;
	bool more;

	/* Quota: a toy with room for 50000 bytes. */
	pawlink_msg_toy_free(p->toy);
	pawlink_msg_store_close(p->toy_st);
	p->toy_lim.max_bytes = 50000;
	open_toy(p);
	da = new_message(30000, &a);
	db = new_message(30000, &b);
	assert_int_equal(do_put(p, &a, da), PAWLINK_MSG_OK);
	assert_int_equal(do_put(p, &b, db), PAWLINK_MSG_E_QUOTA);

	/* Bad hash: the bytes are not what the metadata says. */
	assert_int_equal(do_simple(p, PAWLINK_MSG_DELETE_REQ, a.id),
			 PAWLINK_MSG_OK);
	db[100] ^= 1;
	assert_int_equal(do_put(p, &b, db), PAWLINK_MSG_E_BAD_HASH);
	assert_int_equal(do_simple(p, PAWLINK_MSG_LIST_REQ, NULL),
			 PAWLINK_MSG_OK);
	assert_int_equal(pawlink_msg_host_list_result(p->host, &entries, &more,
						      &total), 0);
	assert_false(pawlink_msg_store_has_partial(p->toy_st, b.id));

	/* The player is busy. */
	assert_int_equal(do_put(p, &a, da), PAWLINK_MSG_OK);
	p->play_status = PAWLINK_MSG_E_BUSY;
	assert_int_equal(do_simple(p, PAWLINK_MSG_PLAY_REQ, a.id),
			 PAWLINK_MSG_E_BUSY);

	/* The host refuses to send what the toy would refuse. */
	pawlink_msg_mem_source(&src, &mem, da, a.size);
	bad = a;
	bad.duration_ms = PAWLINK_MSG_DURATION_MAX_MS + 1;
	assert_int_equal(pawlink_msg_host_put(p->host, &bad, &src, p->air.now),
			 -EINVAL);
	bad = a;
	bad.sender[0] ^= 1;
	assert_int_equal(pawlink_msg_host_put(p->host, &bad, &src, p->air.now),
			 -EINVAL);
	/* One operation at a time. */
	assert_int_equal(pawlink_msg_host_list(p->host, NULL, p->air.now), 0);
	assert_int_equal(pawlink_msg_host_play(p->host, a.id, p->air.now),
			 -EBUSY);
	assert_int_equal(finish_op(p), PAWLINK_MSG_OK);
	free(da);
	free(db);
}

/* Sends @frame to the toy directly and returns its decoded answer. */
static void ask_toy(struct proto *p, const struct pawlink_msg_frame *req,
		    struct pawlink_msg_frame *resp, uint8_t *raw)
{
	uint8_t buf[PAWLINK_FRAME_MAX];
	int n;

	n = pawlink_msg_encode(buf, sizeof(buf), req);
	assert_true(n > 0);
	assert_int_equal(pawlink_msg_toy_input(p->toy, buf, (size_t)n,
					       p->air.now), 0);
	n = pawlink_msg_toy_output(p->toy, p->air.now, raw, PAWLINK_FRAME_MAX);
	assert_true(n > 0);
	assert_int_equal(pawlink_msg_decode(resp, raw, (size_t)n), 0);
}

static void test_toy_checks_requests(void **state)
{
	struct proto *p = *state;
	struct pawlink_msg_frame req = { .type = PAWLINK_MSG_PUT_REQ, .tag = 1 };
	struct pawlink_msg_frame resp;
	uint8_t raw[PAWLINK_FRAME_MAX], *data;
	struct pawlink_msg_info info;

	data = new_message(20000, &info);
	/* Over 5 minutes. */
	req.u.info = info;
	req.u.info.duration_ms = PAWLINK_MSG_DURATION_MAX_MS + 1;
	ask_toy(p, &req, &resp, raw);
	assert_int_equal(resp.type, PAWLINK_MSG_PUT_RESP);
	assert_int_equal(resp.tag, 1);
	assert_int_equal(resp.status, PAWLINK_MSG_E_TOO_LONG);
	/* Over the size limit. */
	req.tag = 2;
	req.u.info = info;
	req.u.info.size = PAWLINK_MSG_SIZE_MAX + 1;
	ask_toy(p, &req, &resp, raw);
	assert_int_equal(resp.status, PAWLINK_MSG_E_TOO_LONG);
	/* Another host's name as sender. */
	req.tag = 3;
	req.u.info = info;
	req.u.info.sender[7] ^= 0xff;
	ask_toy(p, &req, &resp, raw);
	assert_int_equal(resp.status, PAWLINK_MSG_E_BAD_REQUEST);
	/* Unknown codec. */
	req.tag = 4;
	req.u.info = info;
	req.u.info.codec = 9;
	ask_toy(p, &req, &resp, raw);
	assert_int_equal(resp.status, PAWLINK_MSG_E_BAD_REQUEST);
	/* A chunk for no transfer: the toy says so. */
	req = (struct pawlink_msg_frame){ .type = PAWLINK_MSG_CHUNK,
					  .tag = 999 };
	req.u.chunk.data = data;
	req.u.chunk.len = 10;
	ask_toy(p, &req, &resp, raw);
	assert_int_equal(resp.type, PAWLINK_MSG_XFER_ABORT);
	assert_int_equal(resp.tag, 999);
	assert_int_equal(resp.status, PAWLINK_MSG_E_NO_XFER);
	/* Garbage is refused and counted. */
	assert_int_equal(pawlink_msg_toy_input(p->toy, raw, 3, p->air.now),
			 -EBADMSG);
	assert_true(pawlink_msg_toy_stats(p->toy)->dropped >= 1);
	assert_int_equal(pawlink_msg_toy_output(p->toy, p->air.now, raw,
						sizeof(raw)), 0);
	free(data);
}

static void test_delete_while_downloading_is_busy(void **state)
{
	struct proto *p = *state;
	struct pawlink_msg_frame req = { .type = PAWLINK_MSG_GET_REQ, .tag = 50 };
	struct pawlink_msg_frame resp;
	uint8_t raw[PAWLINK_FRAME_MAX], *data;
	struct pawlink_msg_info info;

	data = new_message(50000, &info);
	assert_int_equal(do_put(p, &info, data), PAWLINK_MSG_OK);
	memcpy(req.u.id, info.id, PAWLINK_MSG_ID_LEN);
	ask_toy(p, &req, &resp, raw);
	assert_int_equal(resp.type, PAWLINK_MSG_GET_RESP);
	assert_int_equal(resp.status, PAWLINK_MSG_OK);
	assert_true(pawlink_msg_info_equal(&resp.u.info, &info));
	assert_true(pawlink_msg_toy_busy(p->toy));
	req.type = PAWLINK_MSG_DELETE_REQ;
	req.tag = 51;
	ask_toy(p, &req, &resp, raw);
	assert_int_equal(resp.type, PAWLINK_MSG_DELETE_RESP);
	assert_int_equal(resp.status, PAWLINK_MSG_E_BUSY);
	assert_in_store(p->toy_st, &info, data);
	free(data);
}

/* Drops the first @n frames a given side sends. */
struct dropper {
	int from;
	unsigned int n;
};

static bool drop_first(void *ctx, int from, const uint8_t *buf, size_t len)
{
	struct dropper *d = ctx;

	(void)buf;
	(void)len;
	if (from != d->from || d->n == 0)
		return false;
	d->n--;
	return true;
}

static void test_requests_resent_and_idempotent(void **state)
{
	struct proto *p = *state;
	struct dropper d = { .from = 0, .n = 3 };
	struct pawlink_msg_info info;
	uint8_t *data;

	p->air.loss_ppm = 0;
	data = new_message(10000, &info);
	assert_int_equal(do_put(p, &info, data), PAWLINK_MSG_OK);
	/* The first three requests are lost: resent with backoff. */
	p->air.drop = drop_first;
	p->air.drop_ctx = &d;
	assert_int_equal(do_simple(p, PAWLINK_MSG_LIST_REQ, NULL),
			 PAWLINK_MSG_OK);
	assert_int_equal(pawlink_msg_host_stats(p->host)->resends, 3);
	/* The toy's answers to a delete are lost: the delete is not redone. */
	d.from = 1;
	d.n = 2;
	assert_int_equal(do_simple(p, PAWLINK_MSG_DELETE_REQ, info.id),
			 PAWLINK_MSG_OK);
	assert_int_equal(pawlink_msg_toy_stats(p->toy)->repeats, 2);
	assert_int_equal(pawlink_msg_store_find(p->toy_st, info.id, NULL),
			 PAWLINK_MSG_E_NOT_FOUND);
	free(data);
}

static bool drop_all(void *ctx, int from, const uint8_t *buf, size_t len)
{
	(void)ctx;
	(void)from;
	(void)buf;
	(void)len;
	return true;
}

static void test_unreachable_toy_times_out(void **state)
{
	struct proto *p = *state;
	uint64_t start = p->air.now;
	int status;

	p->air.drop = drop_all;
	assert_int_equal(pawlink_msg_host_list(p->host, NULL, p->air.now), 0);
	assert_int_equal(sim_run(&p->air, host_done, p, p->air.now + HOUR_US),
			 0);
	assert_true(pawlink_msg_host_done(p->host, &status));
	assert_int_equal(status, PAWLINK_MSG_E_TIMEOUT);
	assert_int_equal(pawlink_msg_host_stats(p->host)->resends,
			 PAWLINK_MSG_RETRIES_MAX);
	/* With backoff, the give-up takes seconds, not milliseconds. */
	assert_true(p->air.now - start > 4000000);
}

/* Stops once the toy holds @n chunks of the running upload. */
struct upload_watch {
	struct proto *p;
	const uint8_t *id;
	uint32_t n;
};

static bool toy_has_chunks(void *ctx)
{
	struct upload_watch *w = ctx;

	return w->p->toy_st && pawlink_msg_store_has_partial(w->p->toy_st,
							     w->id) &&
	       pawlink_msg_toy_stats(w->p->toy)->requests > 0 &&
	       w->p->air.frames[0] > w->n + 1;
}

static void test_host_restart_resumes_upload(void **state)
{
	struct proto *p = *state;
	struct pawlink_msg_mem_source mem;
	struct pawlink_msg_source src;
	struct pawlink_msg_info info;
	struct upload_watch w = { .p = p };
	uint32_t n;
	uint8_t *data;

	data = new_message(300000, &info);
	n = pawlink_msg_nchunks(info.size);
	w.id = info.id;
	w.n = 2 * n / 3;
	pawlink_msg_mem_source(&src, &mem, data, info.size);
	assert_int_equal(pawlink_msg_host_put(p->host, &info, &src, p->air.now),
			 0);
	assert_int_equal(sim_run(&p->air, toy_has_chunks, &w,
				 p->air.now + HOUR_US), 0);
	/* The host dies; a new one (new random tags) puts the same message. */
	new_host(p);
	assert_int_equal(do_put(p, &info, data), PAWLINK_MSG_OK);
	assert_in_store(p->toy_st, &info, data);
	/* It sent only what the toy lacked: well under the whole. */
	assert_true(pawlink_msg_host_xfer_stats(p->host)->chunks_sent < n / 2);
	printf("# host restart: resumed upload sent %" PRIu64 " of %u chunks\n",
	       pawlink_msg_host_xfer_stats(p->host)->chunks_sent, n);
	free(data);
}

static void test_cancel_keeps_partial(void **state)
{
	struct proto *p = *state;
	struct pawlink_msg_mem_source mem;
	struct pawlink_msg_source src;
	struct pawlink_msg_info info;
	struct upload_watch w = { .p = p };
	uint8_t *data;
	int status;

	data = new_message(200000, &info);
	w.id = info.id;
	w.n = 120;
	pawlink_msg_mem_source(&src, &mem, data, info.size);
	assert_int_equal(pawlink_msg_host_put(p->host, &info, &src, p->air.now),
			 0);
	assert_int_equal(sim_run(&p->air, toy_has_chunks, &w,
				 p->air.now + HOUR_US), 0);
	pawlink_msg_host_cancel(p->host);
	assert_true(pawlink_msg_host_done(p->host, &status));
	assert_int_equal(status, PAWLINK_MSG_E_ABORTED);
	p->air.loss_ppm = 0;
	assert_int_equal(sim_run(&p->air, toy_idle, p, p->air.now + HOUR_US),
			 0);
	/* The toy stopped, kept what it had, and committed nothing. */
	assert_true(pawlink_msg_store_has_partial(p->toy_st, info.id));
	assert_int_equal(pawlink_msg_store_find(p->toy_st, info.id, NULL),
			 PAWLINK_MSG_E_NOT_FOUND);
	assert_int_equal(do_put(p, &info, data), PAWLINK_MSG_OK);
	assert_true(pawlink_msg_host_xfer_stats(p->host)->chunks_sent <
		    pawlink_msg_nchunks(info.size));
	assert_in_store(p->toy_st, &info, data);
	free(data);
}

static void test_toy_power_loss_any_step(void **state)
{
	struct proto *p = *state;
	struct pawlink_msg_info info, out[2];
	struct pawlink_msg_mem_source mem;
	struct pawlink_msg_source src;
	uint32_t n, fewer = 0;
	uint8_t *data;
	long ops;
	size_t k;
	bool more, crashed = true;
	int status;

	/* 130 chunks: two checkpoints (every 64) before the commit. */
	data = new_message(130 * PAWLINK_MSG_CHUNK_DATA - 7, &info);
	n = pawlink_msg_nchunks(info.size);
	pawlink_msg_mem_source(&src, &mem, data, info.size);
	for (ops = 0; crashed; ops++) {
		pawlink_msg_store_crash_after(p->toy_st, ops);
		p->stop_on_crash = true;
		assert_int_equal(pawlink_msg_host_put(p->host, &info, &src,
						      p->air.now), 0);
		assert_int_equal(sim_run(&p->air, host_done, p,
					 p->air.now + HOUR_US), 0);
		p->stop_on_crash = false;
		crashed = pawlink_msg_store_crashed(p->toy_st);
		if (!crashed) {
			assert_true(pawlink_msg_host_done(p->host, &status));
			assert_int_equal(status, PAWLINK_MSG_OK);
		}
		/* Power loss: the toy dies where it stands, then reboots. */
		pawlink_msg_toy_drop(p->toy);
		pawlink_msg_store_close(p->toy_st);
		p->toy = NULL;
		open_toy(p);
		pawlink_msg_store_list(p->toy_st, NULL, out, 2, &k, &more);
		assert_true(k <= 1);
		if (k == 1)
			assert_in_store(p->toy_st, &info, data);
		/* The host, restarted too, tries again. */
		new_host(p);
		status = do_put(p, &info, data);
		assert_true(status == PAWLINK_MSG_OK ||
			    (k == 1 && status == PAWLINK_MSG_E_EXISTS));
		if (k == 0 && pawlink_msg_host_xfer_stats(p->host)->chunks_sent < n)
			fewer++;
		assert_in_store(p->toy_st, &info, data);
		assert_int_equal(do_simple(p, PAWLINK_MSG_DELETE_REQ, info.id),
				 PAWLINK_MSG_OK);
	}
	/* Later cuts found checkpointed chunks and did not resend them. */
	assert_true(fewer > 0);
	printf("# toy power cut at each of %ld file operations; %u resumes "
	       "sent fewer chunks\n", ops - 1, fewer);
	free(data);
}

struct download_watch {
	struct proto *p;
	uint32_t n;
};

static bool host_got_chunks(void *ctx)
{
	struct download_watch *w = ctx;

	return pawlink_msg_host_xfer_stats(w->p->host)->chunks_new >= w->n;
}

static void test_download_resumes(void **state)
{
	struct proto *p = *state;
	struct download_watch w = { .p = p, .n = 150 };
	struct pawlink_msg_info info;
	uint32_t n;
	uint8_t *data;

	data = new_message(250000, &info);
	n = pawlink_msg_nchunks(info.size);
	assert_int_equal(do_put(p, &info, data), PAWLINK_MSG_OK);
	assert_int_equal(pawlink_msg_host_get(p->host, info.id,
					      begin_into_store, p->host_st,
					      p->air.now), 0);
	assert_int_equal(sim_run(&p->air, host_got_chunks, &w,
				 p->air.now + HOUR_US), 0);
	/* The host stops; its store keeps what arrived (checkpointed). */
	new_host(p);
	assert_true(pawlink_msg_store_has_partial(p->host_st, info.id));
	assert_int_equal(do_get(p, info.id), PAWLINK_MSG_OK);
	assert_in_store(p->host_st, &info, data);
	/* Only the rest was written this time. */
	assert_true(pawlink_msg_host_xfer_stats(p->host)->chunks_new <=
		    n - w.n);
	free(data);
}

static void test_sixty_second_message(void **state)
{
	struct proto *p = *state;
	struct pawlink_msg_info info;
	uint64_t start;
	double took, airtime;
	uint8_t *data;
	int loss;

	/* 60 s of Ogg Opus at about 32 kbit/s, as audio_convert writes it. */
	data = new_message(240000, &info);
	for (loss = 0; loss <= 5; loss += 5) {
		p->air.loss_ppm = (uint32_t)loss * 10000;
		start = p->air.now;
		assert_int_equal(do_put(p, &info, data), PAWLINK_MSG_OK);
		took = (double)(p->air.now - start) / 1e6;
		airtime = (double)info.size * 8 / AIR_RATE;
		printf("# 60 s message, put end to end at %d%% loss: %.3f s, "
		       "airtime %.3f s, ratio %.3f, goodput %.1f%%\n", loss,
		       took, airtime, took / airtime, 100 * airtime / took);
		assert_int_equal(do_simple(p, PAWLINK_MSG_DELETE_REQ, info.id),
				 PAWLINK_MSG_OK);
	}
	free(data);
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(test_operations),
		T(test_error_statuses),
		T(test_toy_checks_requests),
		T(test_delete_while_downloading_is_busy),
		T(test_requests_resent_and_idempotent),
		T(test_unreachable_toy_times_out),
		T(test_host_restart_resumes_upload),
		T(test_cancel_keeps_partial),
		T(test_toy_power_loss_any_step),
		T(test_download_resumes),
		T(test_sixty_second_message),
	};
#undef T

	if (sodium_init() < 0)
		return 1;
	return cmocka_run_group_tests(tests, NULL, NULL);
}

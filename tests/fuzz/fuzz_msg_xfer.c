// SPDX-License-Identifier: GPL-2.0
/*
 * Fuzzes the transfer state machines (msg_xfer.c): a sender and a
 * receiver of one object, driven by a script in the fuzz input that mixes
 * forged frames into either side, lossless or lossy exchanges between
 * them, and jumps of the clock.
 *
 * Input: byte 0 picks the object size, byte 1 bit 0 starts the sender
 * without a have-state (as a download does); then steps, each an op byte
 * and its operand (see step()).  Checks after every step: the counters
 * stay within the object and the window, every frame either side emits
 * decodes and is of a type it may send, a side with nothing to send has
 * no deadline in the past, and a receiver that committed holds exactly
 * the sender's bytes.
 */
#include <stddef.h>
#include <stdint.h>

#include "fuzz_msg.h"
#include "msg_object.h"
#include "msg_sink_mem.h"
#include "msg_wire.h"
#include "msg_xfer.h"

#define MAX_SIZE	(24 * PAWLINK_MSG_CHUNK_DATA)
#define TAG		0x1234

static uint8_t object[MAX_SIZE];

struct world {
	uint64_t now;
	struct pawlink_msg_info info;
	struct pawlink_msg_mem_source mem;
	struct pawlink_msg_source src;
	struct pawlink_msg_rtt rtt;
	struct pawlink_msg_tx tx;
	struct pawlink_msg_mem_sink ms;
	struct pawlink_msg_sink sink;
	struct pawlink_msg_rx rx;
};

static void check_state(const struct world *w)
{
	const struct pawlink_msg_tx *tx = &w->tx;
	const struct pawlink_msg_rx *rx = &w->rx;

	FUZZ_CHECK(tx->base <= tx->nchunks);
	FUZZ_CHECK(tx->next_new >= tx->base &&
		   tx->next_new <= tx->nchunks);
	FUZZ_CHECK(tx->next_new - tx->base <= PAWLINK_MSG_WINDOW_MAX);
	FUZZ_CHECK(tx->lost <= tx->next_new - tx->base);
	FUZZ_CHECK(tx->window >= 1 &&
		   tx->window <= PAWLINK_MSG_WINDOW_MAX);
	FUZZ_CHECK(rx->next <= rx->held && rx->held <= rx->nchunks);
	/* No write outside the object, no checkpoint of another size. */
	FUZZ_CHECK(w->ms.refused == 0);
	/* Committed means exactly the sender's bytes. */
	if (w->ms.committed)
		FUZZ_CHECK(memcmp(w->ms.buf, object, w->info.size) == 0);
}

/* One frame out of the sender: a chunk of the object, or an abort. */
static bool tx_emit(struct world *w, uint8_t *buf, size_t *len)
{
	struct pawlink_msg_frame f;
	int n = pawlink_msg_tx_output(&w->tx, w->now, buf, PAWLINK_FRAME_MAX);

	FUZZ_CHECK(n >= 0);
	if (n == 0) {
		FUZZ_CHECK(pawlink_msg_tx_deadline(&w->tx) > w->now);
		return false;
	}
	FUZZ_CHECK(pawlink_msg_decode(&f, buf, (size_t)n) == 0);
	FUZZ_CHECK(f.tag == TAG);
	if (f.type == PAWLINK_MSG_CHUNK) {
		FUZZ_CHECK(f.u.chunk.index < w->tx.nchunks);
		FUZZ_CHECK(f.u.chunk.len ==
			   pawlink_msg_chunk_len(w->info.size,
						 f.u.chunk.index));
		FUZZ_CHECK(memcmp(f.u.chunk.data,
				  object + (size_t)f.u.chunk.index *
				  PAWLINK_MSG_CHUNK_DATA,
				  f.u.chunk.len) == 0);
	} else {
		FUZZ_CHECK(f.type == PAWLINK_MSG_XFER_ABORT);
	}
	*len = (size_t)n;
	return true;
}

static bool rx_emit(struct world *w, uint8_t *buf, size_t *len)
{
	struct pawlink_msg_frame f;
	int n = pawlink_msg_rx_output(&w->rx, w->now, buf, PAWLINK_FRAME_MAX);

	FUZZ_CHECK(n >= 0);
	if (n == 0) {
		FUZZ_CHECK(pawlink_msg_rx_deadline(&w->rx) > w->now);
		return false;
	}
	FUZZ_CHECK(pawlink_msg_decode(&f, buf, (size_t)n) == 0);
	FUZZ_CHECK(f.tag == TAG);
	FUZZ_CHECK(f.type == PAWLINK_MSG_ACK ||
		   f.type == PAWLINK_MSG_XFER_END);
	if (f.type == PAWLINK_MSG_ACK)
		FUZZ_CHECK(f.u.have.next <= w->rx.nchunks);
	*len = (size_t)n;
	return true;
}

static void feed(struct world *w, bool to_rx, const uint8_t *buf, size_t len)
{
	struct pawlink_msg_frame f;

	if (pawlink_msg_decode(&f, buf, len) != 0)
		return;
	if (to_rx)
		pawlink_msg_rx_input(&w->rx, &f, w->now);
	else
		pawlink_msg_tx_input(&w->tx, &f, w->now);
}

/* Up to 64 frames each way; bit i of @drop loses the i-th (mod 8). */
static void exchange(struct world *w, uint8_t drop)
{
	uint8_t buf[PAWLINK_FRAME_MAX];
	size_t len;
	int i;

	for (i = 0; i < 64; i++) {
		bool any = false;

		if (tx_emit(w, buf, &len)) {
			any = true;
			if (!(drop >> (i % 8) & 1))
				feed(w, true, buf, len);
		}
		if (rx_emit(w, buf, &len)) {
			any = true;
			if (!(drop >> ((i + 4) % 8) & 1))
				feed(w, false, buf, len);
		}
		w->now += 4000;
		if (!any)
			break;
	}
}

static void step(struct world *w, uint8_t op, struct msg_fuzz_input *in)
{
	const uint8_t *frame;
	size_t len;
	uint8_t b = 0;

	switch (op % 8) {
	case 0:		/* a forged frame to the receiver */
	case 1:		/* ... or to the sender */
		if (msg_fuzz_frame(in, &frame, &len))
			feed(w, op % 8 == 0, frame, len);
		break;
	case 2:
		msg_fuzz_byte(in, &b);
		w->now += (uint64_t)b * 500;
		break;
	case 3:
		msg_fuzz_byte(in, &b);
		w->now += (uint64_t)b * 100000;
		break;
	case 4:
		exchange(w, 0);
		break;
	case 5:
		msg_fuzz_byte(in, &b);
		exchange(w, b);
		break;
	case 6:
		pawlink_msg_tx_abort(&w->tx, PAWLINK_MSG_E_ABORTED);
		break;
	default:
		pawlink_msg_rx_suspend(&w->rx);
		break;
	}
}

/* The object every input sends: the same bytes each time. */
static void fill_object(void)
{
	size_t i;

	for (i = 0; i < sizeof(object); i++)
		object[i] = (uint8_t)(i * 31 + i / 1016);
}

/* A clean run, a lossy one, one with clock jumps. */
static void write_seeds(void)
{
	uint8_t seed[64];
	size_t i;

	seed[0] = 200;
	seed[1] = 0;
	memset(seed + 2, 4, 8);
	fuzz_write_seed("clean", seed, 10);
	seed[1] = 1;
	for (i = 2; i + 1 < 20; i += 2) {
		seed[i] = 5;
		seed[i + 1] = (uint8_t)(0x11 << (i % 4));
	}
	fuzz_write_seed("lossy-download", seed, 20);
	for (i = 2; i + 1 < 30; i += 3) {
		seed[i] = 3;
		seed[i + 1] = 40;
		seed[i + 2] = 4;
	}
	fuzz_write_seed("timeouts", seed, 30);
}

FUZZ_INITIALIZE(fill_object, write_seeds)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct world w;
	struct msg_fuzz_input in = { data, size };
	struct pawlink_msg_have_info have;
	uint8_t b0 = 0, b1 = 0, op;
	static const uint8_t host[PAWLINK_ID_LEN] = { 1 };

	msg_fuzz_byte(&in, &b0);
	msg_fuzz_byte(&in, &b1);
	memset(&w, 0, sizeof(w));
	w.now = 1000000;
	/* Zero to 24 chunks and a ragged tail: 1..MAX_SIZE bytes. */
	w.info.size = 1 + (uint32_t)b0 * (MAX_SIZE - 1) / 255;
	if (pawlink_msg_info_create(&w.info, host, 1, 1000, object,
				    w.info.size) != PAWLINK_MSG_OK)
		abort();
	FUZZ_CHECK(pawlink_msg_mem_sink_start(&w.ms, &w.info, &w.sink) ==
		   PAWLINK_MSG_OK);
	pawlink_msg_mem_source(&w.src, &w.mem, object, w.info.size);
	pawlink_msg_rtt_init(&w.rtt);
	FUZZ_CHECK(pawlink_msg_rx_init(&w.rx, TAG, w.info.size, &w.sink,
				       NULL, w.now) == 0);
	pawlink_msg_rx_have(&w.rx, &have);
	FUZZ_CHECK(pawlink_msg_tx_init(&w.tx, TAG, w.info.size, &w.src,
				       &w.rtt, b1 & 1 ? NULL : &have,
				       w.now) == 0);
	check_state(&w);
	while (msg_fuzz_byte(&in, &op)) {
		step(&w, op, &in);
		check_state(&w);
	}
	pawlink_msg_mem_sink_free(&w.ms);
	return 0;
}

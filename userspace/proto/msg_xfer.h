/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Chunked, windowed, resumable transfer of one message object
 * (Documentation/messages.rst, "Transfer"): a sender (struct
 * pawlink_msg_tx) and a receiver (struct pawlink_msg_rx), the same for
 * uploads and downloads.
 *
 * Both are transport-agnostic state machines with no thread, no clock and
 * no I/O of their own.  Their owner drives them with three calls and an
 * injected time @now in microseconds (any monotonic origin):
 *
 *   *_input(x, frame, now)     for every decoded frame of this transfer
 *                              (CHUNK for a receiver; ACK, XFER_END and
 *                              XFER_ABORT for a sender);
 *   *_output(x, now, buf, cap) repeatedly, whenever the link can take a
 *                              frame, until it returns 0; it also runs
 *                              any timer that has expired;
 *   *_deadline(x)              when to call *_output() at the latest if
 *                              nothing arrives (UINT64_MAX: no timer).
 *
 * Object bytes come from a source and go to a sink, both callbacks, so
 * the same code moves a message between a memory buffer, the toy's
 * store and the host's store.
 */
#ifndef PAWLINK_MSG_XFER_H
#define PAWLINK_MSG_XFER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <pawlink/msg.h>

#include "msg_object.h"
#include "msg_wire.h"

/* Bytes of a bitmap with one bit per chunk of the largest object. */
#define PAWLINK_MSG_BITMAP_LEN		((PAWLINK_MSG_CHUNKS_MAX + 7) / 8)

/* Timers and policy, in microseconds where a time. */
#define PAWLINK_MSG_RTO_INITIAL_US	250000	/* before any RTT sample */
#define PAWLINK_MSG_RTO_MIN_US		20000
#define PAWLINK_MSG_RTO_MAX_US		4000000
#define PAWLINK_MSG_RETRIES_MAX		10	/* timeouts in a row: give up */
#define PAWLINK_MSG_ACK_EVERY		8	/* in-order chunks per ACK */
#define PAWLINK_MSG_ACK_DELAY_US	40000	/* longest an ACK waits */
#define PAWLINK_MSG_IDLE_US		30000000	/* receiver gives up */
#define PAWLINK_MSG_CHECKPOINT_CHUNKS	64	/* new chunks per checkpoint */
#define PAWLINK_MSG_WINDOW_INITIAL	16	/* until the first have-state */

/* Round-trip estimate and retransmission timeout, RFC 6298 style. */
struct pawlink_msg_rtt {
	uint64_t srtt_us;
	uint64_t rttvar_us;
	uint64_t rto_us;		/* without backoff */
	unsigned int backoff;		/* the timeout is rto_us << backoff */
	bool sampled;
};

void pawlink_msg_rtt_init(struct pawlink_msg_rtt *rtt);
void pawlink_msg_rtt_sample(struct pawlink_msg_rtt *rtt, uint64_t rtt_us);
/* The current timeout, backoff included, within [RTO_MIN, RTO_MAX]. */
uint64_t pawlink_msg_rtt_timeout(const struct pawlink_msg_rtt *rtt);
void pawlink_msg_rtt_backoff(struct pawlink_msg_rtt *rtt);

/*
 * Where a sender's bytes come from.  read() fills @len bytes from object
 * offset @off and returns PAWLINK_MSG_OK or a status (PAWLINK_MSG_E_IO).
 */
struct pawlink_msg_source_ops {
	int (*read)(void *ctx, uint32_t off, uint8_t *buf, size_t len);
};

struct pawlink_msg_source {
	const struct pawlink_msg_source_ops *ops;
	void *ctx;
};

/*
 * Where a receiver's bytes go.  Each returns PAWLINK_MSG_OK or a status:
 *   write()      stores chunk @index (@len bytes, already checked);
 *   checkpoint() makes every chunk written so far durable, then records
 *                @have (@nchunks bits) so a later transfer can resume;
 *   commit()     all chunks are in: verify the SHA-256 and make the
 *                message visible (PAWLINK_MSG_E_BAD_HASH: rejected and
 *                dropped, nothing committed);
 *   release()    the transfer is over (done or abandoned): free the
 *                sink; an uncommitted partial object may stay for resume.
 */
struct pawlink_msg_sink_ops {
	int (*write)(void *ctx, uint32_t index, const uint8_t *data,
		     size_t len);
	int (*checkpoint)(void *ctx, const uint8_t *have, uint32_t nchunks);
	int (*commit)(void *ctx);
	void (*release)(void *ctx);
};

struct pawlink_msg_sink {
	const struct pawlink_msg_sink_ops *ops;
	void *ctx;
};

/* Counters of one transfer (frames and bytes are frame plaintext). */
struct pawlink_msg_xfer_stats {
	uint64_t frames_out;
	uint64_t bytes_out;
	uint64_t frames_in;
	uint64_t chunks_sent;		/* sender: first transmissions */
	uint64_t chunks_resent;		/* sender: retransmissions */
	uint64_t timeouts;		/* sender: retransmission timeouts */
	uint64_t chunks_new;		/* receiver: chunks stored */
	uint64_t chunks_dup;		/* receiver: already had them */
	uint64_t dropped;		/* frames that were invalid here */
	uint64_t acks;			/* receiver: ACKs sent */
};

#define PAWLINK_MSG_SLOT_ACKED		0x01
#define PAWLINK_MSG_SLOT_LOST		0x02
#define PAWLINK_MSG_SLOT_RESENT		0x04

/* Sender state of one chunk inside the window. */
struct pawlink_msg_tx_slot {
	uint64_t sent_us;		/* last transmission */
	uint32_t seq;			/* its transmission number; 0: unsent */
	uint8_t flags;			/* PAWLINK_MSG_SLOT_* */
};

struct pawlink_msg_tx {
	uint16_t tag;
	uint32_t size;
	uint32_t nchunks;
	uint32_t base;			/* lowest chunk not known received */
	uint32_t next_new;		/* lowest chunk never sent */
	uint32_t window;		/* chunks from @base we may send */
	uint32_t seq;			/* last transmission number */
	uint32_t acked_seq;		/* highest transmission acked */
	uint32_t lost;			/* slots marked LOST */
	struct pawlink_msg_tx_slot slot[PAWLINK_MSG_WINDOW_MAX];
	struct pawlink_msg_source src;
	struct pawlink_msg_rtt *rtt;
	uint64_t rto_at;
	bool rto_armed;
	unsigned int timeouts;		/* in a row, without progress */
	bool probe;			/* resend @probe_index with ACK_REQ */
	uint32_t probe_index;
	bool done;
	bool abort_pending;		/* send XFER_ABORT(@status) */
	int status;
	struct pawlink_msg_xfer_stats stats;
};

/*
 * Prepares to send an object of @size bytes (1..PAWLINK_MSG_SIZE_MAX) as
 * transfer @tag.  @rtt is shared with the owner and outlives @tx.  If
 * @have is not NULL it is the receiver's initial have-state (PUT_RESP);
 * otherwise the sender starts with PAWLINK_MSG_WINDOW_INITIAL and learns
 * the state from the first ACK.  0, or -EINVAL for a bad size or a
 * have-state that does not fit the object.
 */
int pawlink_msg_tx_init(struct pawlink_msg_tx *tx, uint16_t tag,
			uint32_t size, const struct pawlink_msg_source *src,
			struct pawlink_msg_rtt *rtt,
			const struct pawlink_msg_have_info *have, uint64_t now);
void pawlink_msg_tx_input(struct pawlink_msg_tx *tx,
			  const struct pawlink_msg_frame *f, uint64_t now);
int pawlink_msg_tx_output(struct pawlink_msg_tx *tx, uint64_t now,
			  uint8_t *buf, size_t cap);
uint64_t pawlink_msg_tx_deadline(const struct pawlink_msg_tx *tx);
/* Gives up: done with @status, one XFER_ABORT(@status) to send. */
void pawlink_msg_tx_abort(struct pawlink_msg_tx *tx, int status);
/* True once over; then *status (if not NULL) says how. */
bool pawlink_msg_tx_done(const struct pawlink_msg_tx *tx, int *status);

struct pawlink_msg_rx {
	uint16_t tag;
	uint32_t size;
	uint32_t nchunks;
	uint32_t next;			/* chunks 0..next-1 all held */
	uint32_t held;			/* chunks held in all */
	uint32_t highest;		/* 1 + highest chunk received */
	uint8_t have[PAWLINK_MSG_BITMAP_LEN];
	struct pawlink_msg_sink sink;
	uint32_t unacked;		/* chunks since the last ACK */
	uint32_t since_checkpoint;
	uint64_t ack_at;		/* delayed ACK due; 0: none */
	uint64_t heard_us;		/* last frame from the sender */
	bool ack_now;
	bool end_pending;		/* send XFER_END(@status) */
	bool done;
	int status;
	struct pawlink_msg_xfer_stats stats;
};

/*
 * Prepares to receive transfer @tag of an object of @size bytes into
 * @sink.  @have (PAWLINK_MSG_BITMAP_LEN bytes, or NULL for none) lists
 * chunks the sink already holds durably, from an earlier transfer.  When
 * it holds them all the object is committed at once.  0 or -EINVAL.
 */
int pawlink_msg_rx_init(struct pawlink_msg_rx *rx, uint16_t tag,
			uint32_t size, const struct pawlink_msg_sink *sink,
			const uint8_t *have, uint64_t now);
/* The current have-state, as a PUT_RESP or ACK carries it. */
void pawlink_msg_rx_have(const struct pawlink_msg_rx *rx,
			 struct pawlink_msg_have_info *have);
/* Sends an ACK at the next output (a download's first have-state). */
void pawlink_msg_rx_ack_now(struct pawlink_msg_rx *rx);
void pawlink_msg_rx_input(struct pawlink_msg_rx *rx,
			  const struct pawlink_msg_frame *f, uint64_t now);
int pawlink_msg_rx_output(struct pawlink_msg_rx *rx, uint64_t now,
			  uint8_t *buf, size_t cap);
uint64_t pawlink_msg_rx_deadline(const struct pawlink_msg_rx *rx);
/*
 * The transfer is being abandoned unfinished: checkpoint what arrived
 * since the last checkpoint so a later transfer resumes from it.
 */
void pawlink_msg_rx_suspend(struct pawlink_msg_rx *rx);
bool pawlink_msg_rx_done(const struct pawlink_msg_rx *rx, int *status);

/* A source reading from memory; @mem must outlive the transfer. */
struct pawlink_msg_mem_source {
	const uint8_t *data;
	size_t len;
};

void pawlink_msg_mem_source(struct pawlink_msg_source *src,
			    struct pawlink_msg_mem_source *mem,
			    const uint8_t *data, size_t len);

#endif /* PAWLINK_MSG_XFER_H */

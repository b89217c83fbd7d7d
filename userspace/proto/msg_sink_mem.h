/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A receiver's sink in memory (struct pawlink_msg_sink, msg_xfer.h): a
 * zeroed buffer of the object's size that chunks are copied into, checked
 * against the object's SHA-256 at commit.  Memory is lost with the
 * process anyway, so a checkpoint has nothing to make durable.
 *
 * The façade downloads into one; tests and fuzz targets receive into one
 * to compare what arrived with what was sent.
 */
#ifndef PAWLINK_MSG_SINK_MEM_H
#define PAWLINK_MSG_SINK_MEM_H

#include <stdbool.h>
#include <stdint.h>

#include "msg_object.h"
#include "msg_xfer.h"

struct pawlink_msg_mem_sink {
	struct pawlink_msg_info info;	/* the object expected */
	uint8_t *buf;			/* info.size bytes, owned by the sink */
	bool committed;			/* all in, and the SHA-256 matched */
	unsigned int writes;		/* chunks stored */
	unsigned int checkpoints;
	/*
	 * Calls that fall outside the object (a chunk past its end, a
	 * checkpoint of another chunk count): a receiver bug, refused with
	 * PAWLINK_MSG_E_IO rather than written past the buffer.
	 */
	unsigned int refused;
};

/* The sink's operations; their @ctx is a struct pawlink_msg_mem_sink. */
extern const struct pawlink_msg_sink_ops pawlink_msg_mem_sink_ops;

/*
 * Makes @m ready to receive the object @info describes, freeing the
 * buffer of any earlier object (@m is zeroed before its first start), and
 * points @sink at it.  PAWLINK_MSG_OK or PAWLINK_MSG_E_NOMEM.
 */
int pawlink_msg_mem_sink_start(struct pawlink_msg_mem_sink *m,
			       const struct pawlink_msg_info *info,
			       struct pawlink_msg_sink *sink);

/*
 * pawlink_msg_mem_sink_start() in the shape of a download's begin
 * callback (pawlink_msg_get_begin_fn, msg_host.h), @ctx being the memory
 * sink.  A fresh buffer holds nothing yet, so @have stays as it is.
 */
int pawlink_msg_mem_sink_get_begin(void *ctx,
				   const struct pawlink_msg_info *info,
				   struct pawlink_msg_sink *sink,
				   uint8_t *have);

/* Frees the buffer; whoever took m->buf over sets it to NULL first. */
void pawlink_msg_mem_sink_free(struct pawlink_msg_mem_sink *m);

#endif /* PAWLINK_MSG_SINK_MEM_H */

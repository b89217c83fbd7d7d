// SPDX-License-Identifier: GPL-2.0
/* A receiver's sink in memory; see msg_sink_mem.h. */
#include <stdlib.h>
#include <string.h>

#include "msg_sink_mem.h"

static int mem_write(void *ctx, uint32_t index, const uint8_t *data,
		     size_t len)
{
	struct pawlink_msg_mem_sink *m = ctx;
	uint64_t off = (uint64_t)index * PAWLINK_MSG_CHUNK_DATA;

	if (off > m->info.size || len > m->info.size - off) {
		m->refused++;
		return PAWLINK_MSG_E_IO;
	}
	memcpy(m->buf + off, data, len);
	m->writes++;
	return PAWLINK_MSG_OK;
}

static int mem_checkpoint(void *ctx, const uint8_t *have, uint32_t nchunks)
{
	struct pawlink_msg_mem_sink *m = ctx;

	(void)have;
	if (nchunks != pawlink_msg_nchunks(m->info.size)) {
		m->refused++;
		return PAWLINK_MSG_E_IO;
	}
	m->checkpoints++;
	return PAWLINK_MSG_OK;
}

static int mem_commit(void *ctx)
{
	struct pawlink_msg_mem_sink *m = ctx;
	int status = pawlink_msg_info_verify(&m->info, m->buf, m->info.size);

	m->committed = status == PAWLINK_MSG_OK;
	return status;
}

static void mem_release(void *ctx)
{
	/* The buffer outlives the transfer: its owner takes or frees it. */
	(void)ctx;
}

const struct pawlink_msg_sink_ops pawlink_msg_mem_sink_ops = {
	.write = mem_write,
	.checkpoint = mem_checkpoint,
	.commit = mem_commit,
	.release = mem_release,
};

int pawlink_msg_mem_sink_start(struct pawlink_msg_mem_sink *m,
			       const struct pawlink_msg_info *info,
			       struct pawlink_msg_sink *sink)
{
	pawlink_msg_mem_sink_free(m);
	memset(m, 0, sizeof(*m));
	m->info = *info;
	m->buf = calloc(1, info->size);
	if (!m->buf)
		return PAWLINK_MSG_E_NOMEM;
	sink->ops = &pawlink_msg_mem_sink_ops;
	sink->ctx = m;
	return PAWLINK_MSG_OK;
}

int pawlink_msg_mem_sink_get_begin(void *ctx,
				   const struct pawlink_msg_info *info,
				   struct pawlink_msg_sink *sink,
				   uint8_t *have)
{
	(void)have;
	return pawlink_msg_mem_sink_start(ctx, info, sink);
}

void pawlink_msg_mem_sink_free(struct pawlink_msg_mem_sink *m)
{
	free(m->buf);
	m->buf = NULL;
}

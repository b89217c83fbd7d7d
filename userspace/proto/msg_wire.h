/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The message protocol's frames (types 0x40-0x5f of <pawlink.h>, layout in
 * Documentation/messages.rst): one strict decoder and one encoder.
 *
 * The decoder accepts only the canonical form of each type: exact length,
 * no unknown flag, status only where the type has one, zero reserved
 * bytes, a minimal have-map with no bit outside the window.  So for any
 * frame it accepts, pawlink_msg_encode() of the result gives back the
 * same bytes (the fuzz target checks this).
 */
#ifndef PAWLINK_MSG_WIRE_H
#define PAWLINK_MSG_WIRE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <pawlink/msg.h>

#include "msg_object.h"

/* A receiver's have-state (struct pawlink_msg_have), host order. */
struct pawlink_msg_have_info {
	uint32_t next;
	uint16_t window;
	uint8_t map_len;
	uint8_t map[PAWLINK_MSG_MAP_MAX];
};

/* One decoded frame.  Which member of @u is set depends on @type. */
struct pawlink_msg_frame {
	uint8_t type;
	uint8_t flags;
	uint8_t status;		/* responses, XFER_END, XFER_ABORT */
	uint16_t tag;
	union {
		/* LIST_REQ (after), GET_REQ, DELETE_REQ, PLAY_REQ */
		uint8_t id[PAWLINK_MSG_ID_LEN];
		/* PUT_REQ, GET_RESP with status OK */
		struct pawlink_msg_info info;
		/* PUT_RESP with status OK, ACK */
		struct pawlink_msg_have_info have;
		/* CHUNK: @data points into the decoded buffer */
		struct {
			uint32_t index;
			const uint8_t *data;
			size_t len;
		} chunk;
		/* LIST_RESP with status OK; more is PAWLINK_MSG_F_MORE */
		struct {
			uint32_t total;
			uint8_t count;
			struct pawlink_msg_info entries[PAWLINK_MSG_LIST_MAX];
		} list;
	} u;
};

/* Whether @type is one of ours (0x40-0x5f), known or not. */
static inline bool pawlink_msg_type_in_range(uint8_t type)
{
	return type >= PAWLINK_MSG_TYPE_FIRST && type <= PAWLINK_MSG_TYPE_LAST;
}

/* Request types answer with type + 1. */
static inline bool pawlink_msg_is_request(uint8_t type)
{
	return type == PAWLINK_MSG_LIST_REQ || type == PAWLINK_MSG_PUT_REQ ||
	       type == PAWLINK_MSG_GET_REQ || type == PAWLINK_MSG_DELETE_REQ ||
	       type == PAWLINK_MSG_PLAY_REQ;
}

static inline bool pawlink_msg_is_response(uint8_t type)
{
	return type == PAWLINK_MSG_LIST_RESP || type == PAWLINK_MSG_PUT_RESP ||
	       type == PAWLINK_MSG_GET_RESP ||
	       type == PAWLINK_MSG_DELETE_RESP ||
	       type == PAWLINK_MSG_PLAY_RESP;
}

/*
 * Decodes @len bytes.  0, or -EBADMSG for anything but the canonical form
 * of a known type (then @f is zeroed).  A CHUNK's data stays in @buf.
 */
int pawlink_msg_decode(struct pawlink_msg_frame *f, const uint8_t *buf,
		       size_t len);

/*
 * Encodes @f into @buf (@cap bytes).  Returns the length (8 or more), or
 * -EINVAL when @f is no valid frame (the same rules the decoder applies),
 * or -ENOSPC when it does not fit.
 */
int pawlink_msg_encode(uint8_t *buf, size_t cap,
		       const struct pawlink_msg_frame *f);

/* Bit @i of a little-endian-bit-order map. */
static inline bool pawlink_msg_bit(const uint8_t *map, uint32_t i)
{
	return map[i / 8] >> (i % 8) & 1;
}

static inline void pawlink_msg_bit_set(uint8_t *map, uint32_t i)
{
	map[i / 8] |= (uint8_t)(1u << (i % 8));
}

#endif /* PAWLINK_MSG_WIRE_H */

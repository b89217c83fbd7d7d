// SPDX-License-Identifier: GPL-2.0
/* Message protocol frames: strict decoder and encoder; see msg_wire.h. */
#include <errno.h>
#include <stddef.h>
#include <string.h>

#include "byteorder.h"
#include "msg_wire.h"
#include "bytes.h"

_Static_assert(sizeof(struct pawlink_msg_hdr) == PAWLINK_MSG_HDR_LEN,
	       "message header is 8 bytes");
_Static_assert(sizeof(struct pawlink_msg_have) == PAWLINK_MSG_HAVE_LEN,
	       "have-state is 8 bytes before its map");
_Static_assert(sizeof(struct pawlink_msg_chunk) == 8,
	       "chunk header is 8 bytes");
_Static_assert(PAWLINK_MSG_CHUNK_DATA + 8 == PAWLINK_FRAME_MAX,
	       "one chunk fills one control frame");
_Static_assert(PAWLINK_MSG_MAP_MAX * 8 >= PAWLINK_MSG_WINDOW_MAX - 1,
	       "the map covers the window after @next");
_Static_assert(16 + PAWLINK_MSG_LIST_MAX * PAWLINK_MSG_META_LEN <=
	       PAWLINK_FRAME_MAX, "a full LIST_RESP fits one frame");
_Static_assert(PAWLINK_MSG_SIZE_MAX <= UINT32_MAX, "sizes are 32-bit");

/* Offsets inside the common header and the bodies that follow it. */
enum {
	OFF_TYPE = 0,
	OFF_FLAGS = 1,
	OFF_TAG = 2,
	OFF_STATUS = 4,
	OFF_RESERVED = 5,
	OFF_BODY = PAWLINK_MSG_HDR_LEN,
	OFF_CHUNK_INDEX = 4,
	CHUNK_HDR_LEN = 8,
	ID_FRAME_LEN = OFF_BODY + PAWLINK_MSG_ID_LEN,		/* 24 */
	META_FRAME_LEN = OFF_BODY + PAWLINK_MSG_META_LEN,	/* 88 */
	LIST_HDR_LEN = OFF_BODY + 8,				/* 16 */
	HAVE_FRAME_LEN = OFF_BODY + PAWLINK_MSG_HAVE_LEN,	/* 16 + map */
};

static int decode_have(struct pawlink_msg_have_info *h, const uint8_t *p,
		       size_t len)
{
	uint32_t i, last;

	if (len < PAWLINK_MSG_HAVE_LEN)
		return -EBADMSG;
	h->next = pawlink_load_le32(p);
	h->window = pawlink_load_le16(p + 4);
	h->map_len = p[6];
	if (p[7] != 0 || h->window == 0 ||
	    h->window > PAWLINK_MSG_WINDOW_MAX ||
	    h->map_len > PAWLINK_MSG_MAP_MAX ||
	    len != (size_t)PAWLINK_MSG_HAVE_LEN + h->map_len ||
	    h->next > PAWLINK_MSG_CHUNKS_MAX)
		return -EBADMSG;
	memcpy(h->map, p + PAWLINK_MSG_HAVE_LEN, h->map_len);
	if (h->map_len == 0)
		return 0;
	/* Minimal map: its last byte has a set bit. */
	if (h->map[h->map_len - 1] == 0)
		return -EBADMSG;
	/* The highest set bit names a chunk inside the window and object. */
	last = (uint32_t)h->map_len * 8 - 1;
	for (i = last; !pawlink_msg_bit(h->map, i); i--)
		;
	if (i + 1 >= h->window ||
	    (uint64_t)h->next + 1 + i >= PAWLINK_MSG_CHUNKS_MAX)
		return -EBADMSG;
	return 0;
}

static int decode_list(struct pawlink_msg_frame *f, const uint8_t *p,
		       size_t len)
{
	unsigned int i;

	f->u.list.total = pawlink_load_le32(p);
	f->u.list.count = p[4];
	if (!pawlink_is_zero(p + 5, 3) ||
	    f->u.list.count > PAWLINK_MSG_LIST_MAX ||
	    len != 8 + (size_t)f->u.list.count * PAWLINK_MSG_META_LEN ||
	    f->u.list.total < f->u.list.count ||
	    ((f->flags & PAWLINK_MSG_F_MORE) && f->u.list.count == 0))
		return -EBADMSG;
	for (i = 0; i < f->u.list.count; i++) {
		const uint8_t *m = p + 8 + i * PAWLINK_MSG_META_LEN;

		if (pawlink_msg_info_decode(&f->u.list.entries[i], m,
					    PAWLINK_MSG_META_LEN) != 0 ||
		    pawlink_msg_info_check(&f->u.list.entries[i]) !=
		    PAWLINK_MSG_OK)
			return -EBADMSG;
		/* Listed in strictly increasing id order. */
		if (i > 0 && memcmp(f->u.list.entries[i - 1].id,
				    f->u.list.entries[i].id,
				    PAWLINK_MSG_ID_LEN) >= 0)
			return -EBADMSG;
	}
	return 0;
}

/* Which flag bits a type may carry. */
static uint8_t allowed_flags(uint8_t type)
{
	switch (type) {
	case PAWLINK_MSG_CHUNK:
		return PAWLINK_MSG_F_ACK_REQ;
	case PAWLINK_MSG_LIST_RESP:
		return PAWLINK_MSG_F_MORE;
	default:
		return 0;
	}
}

static bool has_status(uint8_t type)
{
	return pawlink_msg_is_response(type) ||
	       type == PAWLINK_MSG_XFER_END || type == PAWLINK_MSG_XFER_ABORT;
}

static int decode_body(struct pawlink_msg_frame *f, const uint8_t *buf,
		       size_t len)
{
	const uint8_t *body = buf + OFF_BODY;
	size_t body_len = len - OFF_BODY;

	/* A failed response is the bare header. */
	if (pawlink_msg_is_response(f->type) && f->status != PAWLINK_MSG_OK)
		return len == PAWLINK_MSG_HDR_LEN && f->flags == 0 ?
			0 : -EBADMSG;

	switch (f->type) {
	case PAWLINK_MSG_LIST_REQ:
	case PAWLINK_MSG_GET_REQ:
	case PAWLINK_MSG_DELETE_REQ:
	case PAWLINK_MSG_PLAY_REQ:
		if (len != ID_FRAME_LEN)
			return -EBADMSG;
		memcpy(f->u.id, body, PAWLINK_MSG_ID_LEN);
		return 0;
	case PAWLINK_MSG_PUT_REQ:
	case PAWLINK_MSG_GET_RESP:
		return pawlink_msg_info_decode(&f->u.info, body, body_len);
	case PAWLINK_MSG_PUT_RESP:
	case PAWLINK_MSG_ACK:
		return decode_have(&f->u.have, body, body_len);
	case PAWLINK_MSG_LIST_RESP:
		if (len < LIST_HDR_LEN)
			return -EBADMSG;
		return decode_list(f, body, body_len);
	case PAWLINK_MSG_DELETE_RESP:
	case PAWLINK_MSG_PLAY_RESP:
	case PAWLINK_MSG_XFER_END:
		return len == PAWLINK_MSG_HDR_LEN ? 0 : -EBADMSG;
	case PAWLINK_MSG_XFER_ABORT:
		/* An abort always says why. */
		return len == PAWLINK_MSG_HDR_LEN &&
		       f->status != PAWLINK_MSG_OK ? 0 : -EBADMSG;
	default:
		return -EBADMSG;
	}
}

int pawlink_msg_decode(struct pawlink_msg_frame *f, const uint8_t *buf,
		       size_t len)
{
	int err;

	memset(f, 0, sizeof(*f));
	if (!buf || len < PAWLINK_MSG_HDR_LEN || len > PAWLINK_FRAME_MAX)
		return -EBADMSG;
	f->type = buf[OFF_TYPE];
	f->flags = buf[OFF_FLAGS];
	f->tag = pawlink_load_le16(buf + OFF_TAG);
	if (f->flags & ~allowed_flags(f->type))
		goto bad;

	if (f->type == PAWLINK_MSG_CHUNK) {
		f->u.chunk.index = pawlink_load_le32(buf + OFF_CHUNK_INDEX);
		f->u.chunk.data = buf + CHUNK_HDR_LEN;
		f->u.chunk.len = len - CHUNK_HDR_LEN;
		if (f->u.chunk.len == 0 ||
		    f->u.chunk.index >= PAWLINK_MSG_CHUNKS_MAX)
			goto bad;
		return 0;
	}

	f->status = buf[OFF_STATUS];
	if (!pawlink_is_zero(buf + OFF_RESERVED, 3))
		goto bad;
	if (has_status(f->type) ? f->status > PAWLINK_MSG_STATUS_LAST :
				  f->status != 0)
		goto bad;
	err = decode_body(f, buf, len);
	if (err)
		goto bad;
	return 0;
bad:
	memset(f, 0, sizeof(*f));
	return -EBADMSG;
}

static size_t encode_have(uint8_t *p, const struct pawlink_msg_have_info *h)
{
	pawlink_store_le32(p, h->next);
	pawlink_store_le16(p + 4, h->window);
	p[6] = h->map_len;
	p[7] = 0;
	memcpy(p + PAWLINK_MSG_HAVE_LEN, h->map, h->map_len);
	return PAWLINK_MSG_HAVE_LEN + h->map_len;
}

/*
 * Writes @f into @buf, which has room for PAWLINK_FRAME_MAX bytes; returns
 * the length, or 0 when a count is out of range.
 */
static size_t encode_unchecked(uint8_t *buf, const struct pawlink_msg_frame *f)
{
	uint8_t *body = buf + OFF_BODY;
	unsigned int i;

	buf[OFF_TYPE] = f->type;
	buf[OFF_FLAGS] = f->flags;
	pawlink_store_le16(buf + OFF_TAG, f->tag);
	if (f->type == PAWLINK_MSG_CHUNK) {
		if (f->u.chunk.len > PAWLINK_MSG_CHUNK_DATA || !f->u.chunk.data)
			return 0;
		pawlink_store_le32(buf + OFF_CHUNK_INDEX, f->u.chunk.index);
		memcpy(buf + CHUNK_HDR_LEN, f->u.chunk.data, f->u.chunk.len);
		return CHUNK_HDR_LEN + f->u.chunk.len;
	}
	buf[OFF_STATUS] = f->status;
	memset(buf + OFF_RESERVED, 0, 3);
	if (pawlink_msg_is_response(f->type) && f->status != PAWLINK_MSG_OK)
		return PAWLINK_MSG_HDR_LEN;

	switch (f->type) {
	case PAWLINK_MSG_LIST_REQ:
	case PAWLINK_MSG_GET_REQ:
	case PAWLINK_MSG_DELETE_REQ:
	case PAWLINK_MSG_PLAY_REQ:
		memcpy(body, f->u.id, PAWLINK_MSG_ID_LEN);
		return ID_FRAME_LEN;
	case PAWLINK_MSG_PUT_REQ:
	case PAWLINK_MSG_GET_RESP:
		pawlink_msg_info_encode(body, &f->u.info);
		return META_FRAME_LEN;
	case PAWLINK_MSG_PUT_RESP:
	case PAWLINK_MSG_ACK:
		if (f->u.have.map_len > PAWLINK_MSG_MAP_MAX)
			return 0;
		return OFF_BODY + encode_have(body, &f->u.have);
	case PAWLINK_MSG_LIST_RESP:
		if (f->u.list.count > PAWLINK_MSG_LIST_MAX)
			return 0;
		pawlink_store_le32(body, f->u.list.total);
		body[4] = f->u.list.count;
		memset(body + 5, 0, 3);
		for (i = 0; i < f->u.list.count; i++)
			pawlink_msg_info_encode(body + 8 +
						i * PAWLINK_MSG_META_LEN,
						&f->u.list.entries[i]);
		return LIST_HDR_LEN +
		       (size_t)f->u.list.count * PAWLINK_MSG_META_LEN;
	default:
		return PAWLINK_MSG_HDR_LEN;
	}
}

int pawlink_msg_encode(uint8_t *buf, size_t cap,
		       const struct pawlink_msg_frame *f)
{
	uint8_t tmp[PAWLINK_FRAME_MAX];
	struct pawlink_msg_frame check;
	size_t len;

	len = encode_unchecked(tmp, f);
	/* The decoder is the one statement of validity: apply it. */
	if (len == 0 || pawlink_msg_decode(&check, tmp, len) != 0)
		return -EINVAL;
	if (len > cap)
		return -ENOSPC;
	memcpy(buf, tmp, len);
	return (int)len;
}

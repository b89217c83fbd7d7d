/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Voice message objects (Documentation/messages.rst): the metadata of one
 * message in host byte order, its 80-byte wire form (struct
 * pawlink_msg_meta), creation with a random id and SHA-256, and the
 * status codes every part of the message protocol reports.
 *
 * Statuses are the wire codes PAWLINK_MSG_OK / PAWLINK_MSG_E_* of
 * <pawlink.h>, plus the local-only codes below, which never go on the
 * wire.  Functions that return "a status" return one of these, never a
 * negative errno.
 */
#ifndef PAWLINK_MSG_OBJECT_H
#define PAWLINK_MSG_OBJECT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <pawlink/msg.h>

/* Local statuses: reported to the caller, never sent. */
#define PAWLINK_MSG_E_TIMEOUT		0x80	/* the peer stopped answering */
#define PAWLINK_MSG_E_PROTOCOL		0x81	/* the peer broke the rules */
#define PAWLINK_MSG_E_NOMEM		0x82	/* out of memory */

/* One message's metadata, host byte order. */

/* Chunks an object of @size bytes is cut into (0 for size 0). */
static inline uint32_t pawlink_msg_nchunks(uint32_t size)
{
	return (uint32_t)(((uint64_t)size + PAWLINK_MSG_CHUNK_DATA - 1) /
			  PAWLINK_MSG_CHUNK_DATA);
}

/* Bytes in chunk @index of an object of @size bytes (0 if out of range). */
static inline uint32_t pawlink_msg_chunk_len(uint32_t size, uint32_t index)
{
	uint64_t off = (uint64_t)index * PAWLINK_MSG_CHUNK_DATA;

	if (off >= size)
		return 0;
	return size - off < PAWLINK_MSG_CHUNK_DATA ?
		(uint32_t)(size - off) : PAWLINK_MSG_CHUNK_DATA;
}

/*
 * Writes the 80-byte wire form of @info into @out.  Encoding never fails:
 * validity is pawlink_msg_info_check()'s business.
 */
void pawlink_msg_info_encode(uint8_t out[PAWLINK_MSG_META_LEN],
			     const struct pawlink_msg_info *info);

/*
 * Decodes exactly PAWLINK_MSG_META_LEN bytes.  Only the layout is checked
 * here (reserved bytes zero): 0, or -EBADMSG for a wrong length or a
 * non-zero reserved byte, leaving @info zeroed.
 */
int pawlink_msg_info_decode(struct pawlink_msg_info *info, const uint8_t *in,
			    size_t len);

/*
 * Whether @info describes a message this implementation accepts.  Returns
 * PAWLINK_MSG_OK, PAWLINK_MSG_E_TOO_LONG (duration over 5 minutes or size
 * over PAWLINK_MSG_SIZE_MAX) or PAWLINK_MSG_E_BAD_REQUEST (all-zero id,
 * zero size or duration, unknown codec).
 */
int pawlink_msg_info_check(const struct pawlink_msg_info *info);

/*
 * Fills @info for the Ogg Opus object @data (@len bytes): a fresh random
 * id, @sender, @time, @duration_ms, codec Ogg Opus, the size and SHA-256.
 * Returns pawlink_msg_info_check()'s status for the result.
 */
int pawlink_msg_info_create(struct pawlink_msg_info *info,
			    const uint8_t sender[PAWLINK_ID_LEN],
			    uint64_t time, uint32_t duration_ms,
			    const uint8_t *data, size_t len);

/*
 * Whether @data (@len bytes) is the object @info describes: PAWLINK_MSG_OK,
 * or PAWLINK_MSG_E_BAD_HASH for a different size or SHA-256.
 */
int pawlink_msg_info_verify(const struct pawlink_msg_info *info,
			    const uint8_t *data, size_t len);

/* All fields equal (ids, hashes and the rest). */
bool pawlink_msg_info_equal(const struct pawlink_msg_info *a,
			    const struct pawlink_msg_info *b);

/* Lower-case hex of an id into @out (2 * PAWLINK_MSG_ID_LEN + 1 bytes). */
void pawlink_msg_id_hex(char out[2 * PAWLINK_MSG_ID_LEN + 1],
			const uint8_t id[PAWLINK_MSG_ID_LEN]);

/*
 * Parses exactly 32 hex digits into @id: 0, or -EINVAL for anything else
 * or for the all-zero id, which names no message.
 */
int pawlink_msg_id_parse(uint8_t id[PAWLINK_MSG_ID_LEN], const char *text);

/*
 * Reads a whole file of at most PAWLINK_MSG_SIZE_MAX bytes into a new
 * buffer (free() it).  0, -EFBIG when larger, -ENODATA when empty, or the
 * -errno of open/read.
 */
int pawlink_msg_load_file(const char *path, uint8_t **data, size_t *len);

/* A short English description of a status, for error messages. */
const char *pawlink_msg_status_str(int status);

#endif /* PAWLINK_MSG_OBJECT_H */

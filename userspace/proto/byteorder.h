/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Little-endian loads and stores: every multi-byte field pawlink puts on a
 * wire (records, air frames, the air socket, capture files, messages, toy
 * commands, the toy's blobs) is little endian.  Byte-wise, so neither the
 * host's byte order nor the buffer's alignment matters.  The one set of
 * these in userspace.
 */
#ifndef PAWLINK_BYTEORDER_H
#define PAWLINK_BYTEORDER_H

#include <stdint.h>

static inline uint16_t pawlink_load_le16(const uint8_t *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

static inline uint32_t pawlink_load_le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[3] << 24;
}

static inline uint64_t pawlink_load_le64(const uint8_t *p)
{
	return (uint64_t)pawlink_load_le32(p) |
	       (uint64_t)pawlink_load_le32(p + 4) << 32;
}

static inline void pawlink_store_le16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
}

static inline void pawlink_store_le32(uint8_t *p, uint32_t v)
{
	pawlink_store_le16(p, (uint16_t)v);
	pawlink_store_le16(p + 2, (uint16_t)(v >> 16));
}

static inline void pawlink_store_le64(uint8_t *p, uint64_t v)
{
	pawlink_store_le32(p, (uint32_t)v);
	pawlink_store_le32(p + 4, (uint32_t)(v >> 32));
}

#endif /* PAWLINK_BYTEORDER_H */

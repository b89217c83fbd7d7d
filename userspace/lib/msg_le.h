/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Little-endian 16- and 64-bit loads and stores for the message codecs
 * (util.h has the 32-bit ones).  Byte-wise, so neither the host's byte
 * order nor the buffer's alignment matters.
 */
#ifndef PAWLINK_MSG_LE_H
#define PAWLINK_MSG_LE_H

#include <stdint.h>

#include "util.h"

static inline uint16_t pawlink_msg_load_le16(const uint8_t *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

static inline void pawlink_msg_store_le16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
}

static inline uint64_t pawlink_msg_load_le64(const uint8_t *p)
{
	return (uint64_t)pawlink_load_le32(p) |
	       (uint64_t)pawlink_load_le32(p + 4) << 32;
}

static inline void pawlink_msg_store_le64(uint8_t *p, uint64_t v)
{
	pawlink_store_le32(p, (uint32_t)v);
	pawlink_store_le32(p + 4, (uint32_t)(v >> 32));
}

#endif /* PAWLINK_MSG_LE_H */

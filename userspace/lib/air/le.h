/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Little-endian loads and stores for the air codecs.  Every multi-byte
 * field on the air, on the air socket and in capture files is little
 * endian; these never depend on the host's byte order or alignment.
 */
#ifndef PAWLINK_AIR_LE_H
#define PAWLINK_AIR_LE_H

#include <stdint.h>

static inline uint16_t air_get_le16(const uint8_t *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

static inline uint32_t air_get_le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[3] << 24;
}

static inline uint64_t air_get_le64(const uint8_t *p)
{
	return (uint64_t)air_get_le32(p) | (uint64_t)air_get_le32(p + 4) << 32;
}

static inline void air_put_le16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
}

static inline void air_put_le32(uint8_t *p, uint32_t v)
{
	air_put_le16(p, (uint16_t)v);
	air_put_le16(p + 2, (uint16_t)(v >> 16));
}

static inline void air_put_le64(uint8_t *p, uint64_t v)
{
	air_put_le32(p, (uint32_t)v);
	air_put_le32(p + 4, (uint32_t)(v >> 32));
}

#endif /* PAWLINK_AIR_LE_H */

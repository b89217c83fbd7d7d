/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Helpers shared by the air and rogue tests: radio ids, and building
 * records and frames.  Running `pawsim` is tests/support/pawsim_procs.h.
 */
#ifndef PAWLINK_TEST_AIR_HELPERS_H
#define PAWLINK_TEST_AIR_HELPERS_H

#include <stdint.h>
#include <string.h>

#include <pawlink/air.h>

#include "air_frame.h"
#include "byteorder.h"

static const uint8_t ID_A[PAWLINK_ID_LEN] = { 0xa0, 1, 2, 3, 4, 5, 6, 7 };
static const uint8_t ID_B[PAWLINK_ID_LEN] = { 0xb0, 1, 2, 3, 4, 5, 6, 7 };
static const uint8_t ID_C[PAWLINK_ID_LEN] = { 0xc0, 1, 2, 3, 4, 5, 6, 7 };
static const uint8_t ID_T[PAWLINK_ID_LEN] = { 0x70, 0x79, 2, 3, 4, 5, 6, 7 };

/* A plaintext record whose body is @body_len bytes of @fill. */
static inline size_t make_record(uint8_t *out, uint8_t channel,
				 uint64_t counter, uint8_t fill,
				 size_t body_len)
{
	out[0] = PAWLINK_REC_VERSION;
	out[1] = channel;
	pawlink_store_le16(out + 2, (uint16_t)body_len);
	pawlink_store_le32(out + 4, channel == PAWLINK_CH_PLAIN ? 0 : 1);
	pawlink_store_le64(out + 8, counter);
	memset(out + PAWLINK_REC_HDR_LEN, fill, body_len);
	return PAWLINK_REC_HDR_LEN + body_len;
}

/* A data frame src -> dst carrying make_record(). */
static inline size_t make_data_frame(uint8_t *out, const uint8_t *src,
				     const uint8_t *dst, uint64_t counter,
				     size_t body_len)
{
	uint8_t rec[PAWLINK_RECORD_MAX];
	size_t n = make_record(rec, PAWLINK_CH_PLAIN, counter,
			       (uint8_t)counter, body_len);

	return air_frame_build(out, PAWLINK_AIR_FRAME_MAX, PAWLINK_AIR_DATA,
			       src, dst, rec, n);
}

#endif /* PAWLINK_TEST_AIR_HELPERS_H */

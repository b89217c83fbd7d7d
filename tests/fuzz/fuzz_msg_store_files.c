// SPDX-License-Identifier: GPL-2.0
/*
 * Fuzzes the message store's on-disk decoders (msg_store.c): the header
 * of a committed message file and the resume state of a partial upload,
 * both read back after a crash.  Input: one selector byte (even: header,
 * odd: resume state), then the file's bytes.  Checks that an accepted
 * file is canonical (re-encodes to the same bytes) and describes a valid
 * message.
 */
#include <stddef.h>
#include <stdint.h>

#include "fuzz_msg.h"
#include "msg_store.h"
#include "msg_wire.h"

static const struct pawlink_msg_info seed_info = {
	.id = { 0xaa, 0xbb }, .sender = { 1 }, .time = 1700000000,
	.duration_ms = 60000, .size = 3 * PAWLINK_MSG_CHUNK_DATA + 5,
	.codec = PAWLINK_MSG_CODEC_OGG_OPUS, .sha256 = { 0x42 },
};

static void write_seeds(void)
{
	uint8_t buf[1 + PAWLINK_MSG_RESUME_MAX];
	uint8_t have[PAWLINK_MSG_BITMAP_LEN] = { 0x05 };
	int n;

	buf[0] = 0;
	pawlink_msg_store_hdr_encode(buf + 1, &seed_info);
	fuzz_write_seed("header", buf, 1 + PAWLINK_MSG_STORE_HDR_LEN);
	buf[0] = 1;
	n = pawlink_msg_resume_encode(buf + 1, sizeof(buf) - 1, &seed_info,
				      have);
	FUZZ_CHECK(n > 0);
	fuzz_write_seed("resume", buf, 1 + (size_t)n);
}

FUZZ_INITIALIZE(fuzz_no_setup, write_seeds)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t have[PAWLINK_MSG_BITMAP_LEN], again[PAWLINK_MSG_RESUME_MAX];
	struct pawlink_msg_info info;
	uint32_t i, n;
	int len;

	if (size < 1)
		return 0;
	if (data[0] % 2 == 0) {
		if (pawlink_msg_store_hdr_decode(&info, data + 1, size - 1))
			return 0;
		FUZZ_CHECK(pawlink_msg_info_check(&info) == PAWLINK_MSG_OK);
		pawlink_msg_store_hdr_encode(again, &info);
		FUZZ_CHECK(size - 1 == PAWLINK_MSG_STORE_HDR_LEN &&
			   memcmp(again, data + 1, size - 1) == 0);
		return 0;
	}
	if (pawlink_msg_resume_decode(&info, have, data + 1, size - 1))
		return 0;
	FUZZ_CHECK(pawlink_msg_info_check(&info) == PAWLINK_MSG_OK);
	/* No chunk past the object is claimed. */
	n = pawlink_msg_nchunks(info.size);
	for (i = n; i < PAWLINK_MSG_BITMAP_LEN * 8; i++)
		FUZZ_CHECK(!pawlink_msg_bit(have, i));
	len = pawlink_msg_resume_encode(again, sizeof(again), &info, have);
	FUZZ_CHECK(len == (int)(size - 1) &&
		   memcmp(again, data + 1, size - 1) == 0);
	return 0;
}

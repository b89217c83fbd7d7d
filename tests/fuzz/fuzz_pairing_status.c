// SPDX-License-Identifier: GPL-2.0
/*
 * Fuzzes the FAIL/BUSY parser and the type byte reader: only the two exact
 * 4-byte headers are accepted.
 */
#include <stddef.h>
#include <stdint.h>

#include "fuzz_pairing.h"

static void write_seeds(void)
{
	fuzz_write_seed("fail", (const uint8_t[]){
		PAWLINK_PAIR_MSG_FAIL, PAWLINK_PAIR_VERSION, 0, 0 }, 4);
	fuzz_write_seed("busy", (const uint8_t[]){
		PAWLINK_PAIR_MSG_BUSY, PAWLINK_PAIR_VERSION, 0, 0 }, 4);
}

FUZZ_PAIR_INITIALIZE(write_seeds)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	int type = pawlink_pair_msg_type(data, size);
	int ret = pawlink_pair_parse_status(data, size);
	uint8_t canon[PAWLINK_PAIR_STATUS_LEN];

	FUZZ_CHECK(size ? type == data[0] : type == -EBADMSG);
	if (ret >= 0) {
		FUZZ_CHECK(ret == PAWLINK_PAIR_MSG_FAIL ||
			   ret == PAWLINK_PAIR_MSG_BUSY);
		FUZZ_CHECK(size == PAWLINK_PAIR_STATUS_LEN);
		/* Accepted means byte-identical to what we would send. */
		pawlink_pair_encode_status(canon, (uint8_t)ret);
		FUZZ_CHECK(memcmp(canon, data, size) == 0);
	} else {
		FUZZ_CHECK(ret == -EBADMSG || ret == -EPROTONOSUPPORT);
	}
	return 0;
}

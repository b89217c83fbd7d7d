// SPDX-License-Identifier: GPL-2.0
/*
 * Fuzzes the host's DONE handling: any bytes, sent to a host that has sent
 * CONFIRM.  The host reports a pairing only for the DONE the toy computed
 * over both pinned keys.
 */
#include <stddef.h>
#include <stdint.h>

#include "fuzz_pairing.h"

static enum pawlink_pair_result check_input(const uint8_t *data,
						size_t size);

static void write_seeds(void)
{
	struct fuzz_pair_rig r;

	fuzz_pair_rig_init(&r);
	fuzz_pair_to_toy(&r, PAWLINK_PAIR_SEND);
	fuzz_pair_to_host(&r, PAWLINK_PAIR_SEND);
	fuzz_pair_to_toy(&r, PAWLINK_PAIR_COMPLETE);
	fuzz_write_seed("done", r.msg, r.msg_len);
	/* The target replays the same run: the seed takes the good path. */
	FUZZ_CHECK(check_input(r.msg, r.msg_len) == PAWLINK_PAIR_COMPLETE);
	r.msg[PAWLINK_PAIR_HDR_LEN] ^= 0x80;
	fuzz_write_seed("done-bad-mac", r.msg, r.msg_len);
}

FUZZ_PAIR_INITIALIZE(write_seeds)

static enum pawlink_pair_result check_input(const uint8_t *data, size_t size)
{
	struct pawlink_pair_done done;
	struct pawlink_pair_peer toy;
	enum pawlink_pair_result res;
	struct fuzz_pair_rig r;
	uint8_t out[PAWLINK_PAIR_MSG_MAX];
	size_t out_len = 9999;
	int parsed;

	fuzz_pair_rig_init(&r);
	fuzz_pair_to_toy(&r, PAWLINK_PAIR_SEND);
	fuzz_pair_to_host(&r, PAWLINK_PAIR_SEND);
	parsed = pawlink_pair_parse_done(&done, data, size);
	FUZZ_CHECK(parsed == 0 || parsed == -EBADMSG ||
		   parsed == -EPROTONOSUPPORT);

	res = pawlink_pair_host_receive(&r.host, data, size, out, &out_len);
	if (res == PAWLINK_PAIR_COMPLETE) {
		FUZZ_CHECK(parsed == 0);
		FUZZ_CHECK(out_len == 0);
		FUZZ_CHECK(pawlink_pair_host_peer(&r.host, &toy) == 0);
		FUZZ_CHECK(memcmp(toy.static_key, r.toy.p.toy_static,
				  32) == 0);
	} else {
		FUZZ_CHECK(res != PAWLINK_PAIR_SEND);
		fuzz_pair_check_refusal(out, out_len);
		FUZZ_CHECK(pawlink_pair_host_peer(&r.host, &toy) != 0);
	}
	pawlink_pair_toy_wipe(&r.toy);
	pawlink_pair_host_wipe(&r.host);
	return res;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	check_input(data, size);
	return 0;
}

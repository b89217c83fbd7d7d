// SPDX-License-Identifier: GPL-2.0
/*
 * Fuzzes the host's RESPONSE handling: any bytes, sent to a host that has
 * just said HELLO.  The host moves on (CONFIRM) only for a RESPONSE that
 * proves knowledge of the code; otherwise it stops, sending at most FAIL.
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
	fuzz_write_seed("response", r.msg, r.msg_len);
	/* The target replays the same run: the seed takes the good path. */
	FUZZ_CHECK(check_input(r.msg, r.msg_len) == PAWLINK_PAIR_SEND);
	r.msg[PAWLINK_PAIR_HDR_LEN] ^= 1;
	fuzz_write_seed("response-bad-share", r.msg, r.msg_len);
	fuzz_write_seed("busy", (const uint8_t[]){
		PAWLINK_PAIR_MSG_BUSY, PAWLINK_PAIR_VERSION, 0, 0 }, 4);
	fuzz_write_seed("fail", (const uint8_t[]){
		PAWLINK_PAIR_MSG_FAIL, PAWLINK_PAIR_VERSION, 0, 0 }, 4);
}

FUZZ_PAIR_INITIALIZE(write_seeds)

static enum pawlink_pair_result check_input(const uint8_t *data, size_t size)
{
	struct pawlink_pair_response resp;
	struct pawlink_pair_peer toy;
	enum pawlink_pair_result res;
	struct fuzz_pair_rig r;
	uint8_t out[PAWLINK_PAIR_MSG_MAX];
	size_t out_len = 9999;
	int parsed;

	fuzz_pair_rig_init(&r);
	parsed = pawlink_pair_parse_response(&resp, data, size);
	FUZZ_CHECK(parsed == 0 || parsed == -EBADMSG ||
		   parsed == -EPROTONOSUPPORT);
	if (parsed == 0)
		FUZZ_CHECK(size == PAWLINK_PAIR_RESPONSE_LEN);

	res = pawlink_pair_host_receive(&r.host, data, size, out, &out_len);
	FUZZ_CHECK(res != PAWLINK_PAIR_COMPLETE);
	if (res == PAWLINK_PAIR_SEND) {
		FUZZ_CHECK(parsed == 0);
		FUZZ_CHECK(out_len == PAWLINK_PAIR_CONFIRM_LEN);
		FUZZ_CHECK(out[0] == PAWLINK_PAIR_MSG_CONFIRM);
	} else {
		fuzz_pair_check_refusal(out, out_len);
		FUZZ_CHECK(pawlink_pair_host_peer(&r.host, &toy) != 0);
		/* The run is over: nothing more is accepted. */
		FUZZ_CHECK(pawlink_pair_host_receive(&r.host, data, size,
						     out, &out_len) ==
			   PAWLINK_PAIR_ERROR);
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

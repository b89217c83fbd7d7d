// SPDX-License-Identifier: GPL-2.0
/*
 * Fuzzes the toy's HELLO handling: any bytes, sent to a toy whose window
 * is open.  Only a well-formed HELLO for this toy may start an attempt;
 * everything else is answered with at most a bare FAIL or BUSY and costs
 * no attempt.
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
	fuzz_write_seed("hello", r.msg, r.msg_len);
	/* The target replays the same run: the seed takes the good path. */
	FUZZ_CHECK(check_input(r.msg, r.msg_len) == PAWLINK_PAIR_SEND);
	r.msg[1] = PAWLINK_PAIR_VERSION + 1;
	fuzz_write_seed("hello-version2", r.msg, r.msg_len);
	fuzz_write_seed("hello-truncated", r.msg, PAWLINK_PAIR_HDR_LEN);
}

FUZZ_PAIR_INITIALIZE(write_seeds)

static enum pawlink_pair_result check_input(const uint8_t *data, size_t size)
{
	struct pawlink_pair_hello hello;
	enum pawlink_pair_result res;
	struct fuzz_pair_rig r;
	uint8_t out[PAWLINK_PAIR_MSG_MAX];
	size_t out_len = 9999;
	int parsed;

	fuzz_pair_rig_init(&r);
	parsed = pawlink_pair_parse_hello(&hello, data, size);
	FUZZ_CHECK(parsed == 0 || parsed == -EBADMSG ||
		   parsed == -EPROTONOSUPPORT);
	if (parsed == 0)
		FUZZ_CHECK(size == PAWLINK_PAIR_HELLO_LEN &&
			   memcmp(&hello, data, size) == 0);

	res = pawlink_pair_toy_receive(&r.toy, FUZZ_PAIR_NOW, data, size, out,
				       &out_len, NULL);
	if (res == PAWLINK_PAIR_SEND) {
		FUZZ_CHECK(parsed == 0);
		FUZZ_CHECK(out_len == PAWLINK_PAIR_RESPONSE_LEN);
		FUZZ_CHECK(out[0] == PAWLINK_PAIR_MSG_RESPONSE);
		/* Charged before the code-dependent RESPONSE went out. */
		FUZZ_CHECK(r.policy.lifetime_failures == 1);
	} else {
		FUZZ_CHECK(res != PAWLINK_PAIR_COMPLETE);
		fuzz_pair_check_refusal(out, out_len);
		FUZZ_CHECK(r.policy.n_hosts == 0);
		/* Only a valid HELLO with a bad share costs an attempt. */
		if (parsed)
			FUZZ_CHECK(r.policy.lifetime_failures == 0);
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

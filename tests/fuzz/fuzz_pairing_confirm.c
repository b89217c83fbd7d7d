// SPDX-License-Identifier: GPL-2.0
/*
 * Fuzzes the toy's CONFIRM handling: any bytes, sent to a toy that has
 * answered an honest HELLO.  A host is pinned only for the CONFIRM that
 * proves knowledge of the code; anything else ends the attempt, which
 * stays counted as a failure.
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
	fuzz_write_seed("confirm", r.msg, r.msg_len);
	/* The target replays the same run: the seed takes the good path. */
	FUZZ_CHECK(check_input(r.msg, r.msg_len) == PAWLINK_PAIR_COMPLETE);
	r.msg[r.msg_len - 1] ^= 1;
	fuzz_write_seed("confirm-bad-seal", r.msg, r.msg_len);
	fuzz_write_seed("fail", (const uint8_t[]){
		PAWLINK_PAIR_MSG_FAIL, PAWLINK_PAIR_VERSION, 0, 0 }, 4);
}

FUZZ_PAIR_INITIALIZE(write_seeds)

static enum pawlink_pair_result check_input(const uint8_t *data, size_t size)
{
	struct pawlink_pair_confirm confirm;
	struct pawlink_pair_peer host;
	enum pawlink_pair_result res;
	struct fuzz_pair_rig r;
	uint8_t out[PAWLINK_PAIR_MSG_MAX];
	size_t out_len = 9999;
	int parsed;

	fuzz_pair_rig_init(&r);
	fuzz_pair_to_toy(&r, PAWLINK_PAIR_SEND);
	parsed = pawlink_pair_parse_confirm(&confirm, data, size);
	FUZZ_CHECK(parsed == 0 || parsed == -EBADMSG ||
		   parsed == -EPROTONOSUPPORT);

	memset(&host, 0, sizeof(host));
	res = pawlink_pair_toy_receive(&r.toy, FUZZ_PAIR_NOW, data, size, out,
				       &out_len, &host);
	if (res == PAWLINK_PAIR_COMPLETE) {
		FUZZ_CHECK(parsed == 0);
		FUZZ_CHECK(out_len == PAWLINK_PAIR_DONE_LEN);
		FUZZ_CHECK(out[0] == PAWLINK_PAIR_MSG_DONE);
		FUZZ_CHECK(r.policy.n_hosts == 1);
		FUZZ_CHECK(r.policy.lifetime_failures == 0);
		FUZZ_CHECK(memcmp(r.policy.hosts[0].static_key,
				  host.static_key, 32) == 0);
	} else if (res == PAWLINK_PAIR_SEND) {
		/* A second valid HELLO (same host) restarts the attempt. */
		FUZZ_CHECK(out_len == PAWLINK_PAIR_RESPONSE_LEN);
		FUZZ_CHECK(r.policy.n_hosts == 0);
	} else {
		fuzz_pair_check_refusal(out, out_len);
		FUZZ_CHECK(r.policy.n_hosts == 0);
		FUZZ_CHECK(r.policy.lifetime_failures >= 1);
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

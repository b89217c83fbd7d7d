// SPDX-License-Identifier: GPL-2.0
/*
 * Fuzzes the toy's side of the session: any bytes as an INIT, against a
 * toy with two pinned hosts.  Checks that an answer is always either a
 * full RESP with keys or at most a bare REJECT, and never both.
 */
#include <errno.h>
#include <stddef.h>
#include <stdint.h>

#include "fuzz_session.h"
#include "session.h"

static struct fuzz_keys keys;

static void write_seeds(void)
{
	struct pawlink_session_host host;
	uint8_t init[PAWLINK_SESS_MSG_LEN];
	size_t len;

	if (pawlink_session_host_start(&host, keys.host_priv, keys.toy_pub, 0,
				       init, sizeof(init), &len))
		abort();
	fuzz_write_seed("init-epoch1", init, len);
	pawlink_session_host_abort(&host);
	if (pawlink_session_host_start(&host, keys.host_priv, keys.toy_pub, 41,
				       init, sizeof(init), &len))
		abort();
	fuzz_write_seed("init-epoch42-rekey", init, len);
	pawlink_session_host_abort(&host);
	init[1] = 2;
	fuzz_write_seed("init-version2", init, len);
	fuzz_write_seed("init-header-only", init, PAWLINK_SESS_HDR_LEN);
}

static void setup(void)
{
	fuzz_keys_init(&keys);
}

FUZZ_SESSION_INITIALIZE(setup, write_seeds)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct pawlink_session_result res;
	uint8_t out[PAWLINK_SESS_MSG_LEN];
	size_t out_len = 12345;
	int ret;

	fuzz_rng_reset();
	ret = pawlink_session_toy_respond(keys.toy_priv,
					  (const uint8_t (*)[32])keys.pinned,
					  2, 0, data, size, out, sizeof(out),
					  &out_len, &res);
	if (ret == 0) {
		/* Only a real INIT from our host gets this far. */
		FUZZ_CHECK(size == PAWLINK_SESS_MSG_LEN);
		FUZZ_CHECK(out_len == PAWLINK_SESS_MSG_LEN);
		FUZZ_CHECK(out[0] == PAWLINK_SESS_RESP);
		FUZZ_CHECK(res.host_index == 1);
		FUZZ_CHECK(res.keys.version == PAWLINK_KEYS_VERSION);
		FUZZ_CHECK(res.keys.epoch >= 1);
		pawlink_session_result_wipe(&res);
	} else {
		FUZZ_CHECK(ret == -EBADMSG || ret == -EPROTONOSUPPORT ||
			   ret == -ESTALE || ret == -EKEYREJECTED ||
			   ret == -EACCES);
		FUZZ_CHECK(out_len == 0 || out_len == PAWLINK_SESS_REJECT_LEN);
		if (out_len)
			FUZZ_CHECK(out[0] == PAWLINK_SESS_REJECT);
	}
	return 0;
}

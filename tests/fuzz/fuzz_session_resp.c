// SPDX-License-Identifier: GPL-2.0
/*
 * Fuzzes the host's side of the session: any bytes as the answer to an
 * INIT.  The host's ephemeral is the same on every run (deterministic
 * randombytes), so the seed RESP is valid and the fuzzer can explore
 * around an accepted handshake.  Checks that the host state is wiped after
 * every answer and that only a well-formed RESP yields keys.
 */
#include <errno.h>
#include <stddef.h>
#include <stdint.h>

#include "fuzz_session.h"
#include "session.h"

static struct fuzz_keys keys;

static void host_start(struct pawlink_session_host *host)
{
	uint8_t init[PAWLINK_SESS_INIT_LEN];
	size_t len;

	fuzz_rng_reset();
	if (pawlink_session_host_start(host, keys.host_priv, keys.toy_pub, 0,
				       init, sizeof(init), &len))
		abort();
}

static void write_seeds(void)
{
	static const uint8_t reasons[] = {
		PAWLINK_SESS_REJ_VERSION, PAWLINK_SESS_REJ_MALFORMED,
		PAWLINK_SESS_REJ_EPOCH, PAWLINK_SESS_REJ_AUTH,
		PAWLINK_SESS_REJ_BUSY,
	};
	struct pawlink_session_result res;
	struct pawlink_session_host host;
	uint8_t init[PAWLINK_SESS_INIT_LEN], resp[PAWLINK_SESS_MSG_LEN];
	char name[32];
	size_t len, i;

	/* The INIT the target's host sends, answered by the real toy. */
	fuzz_rng_reset();
	if (pawlink_session_host_start(&host, keys.host_priv, keys.toy_pub, 0,
				       init, sizeof(init), &len) ||
	    pawlink_session_toy_respond(keys.toy_priv,
					(const uint8_t (*)[32])keys.pinned, 2,
					0, init, len, resp, sizeof(resp), &len,
					&res))
		abort();
	fuzz_write_seed("resp-valid", resp, len);
	pawlink_session_result_wipe(&res);
	pawlink_session_host_abort(&host);

	memcpy(resp, "\x22\x02\x00\x00\x01\x00\x00\x00", 8);
	for (i = 0; i < sizeof(reasons); i++) {
		resp[2] = reasons[i];
		snprintf(name, sizeof(name), "reject-%u", reasons[i]);
		fuzz_write_seed(name, resp, PAWLINK_SESS_REJECT_LEN);
	}
}

static void setup(void)
{
	fuzz_keys_init(&keys);
}

FUZZ_SESSION_INITIALIZE(setup, write_seeds)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct pawlink_session_result res;
	struct pawlink_session_host host;
	uint8_t reason;
	int ret;

	host_start(&host);
	ret = pawlink_session_host_finish(&host, data, size, &res);
	reason = host.rejected_reason;
	host.rejected_reason = 0;
	FUZZ_CHECK(sodium_is_zero((const unsigned char *)&host, sizeof(host)));
	if (ret == 0) {
		FUZZ_CHECK(size == PAWLINK_SESS_MSG_LEN);
		FUZZ_CHECK(data[0] == PAWLINK_SESS_RESP);
		FUZZ_CHECK(res.keys.version == PAWLINK_KEYS_VERSION);
		FUZZ_CHECK(res.keys.epoch == 1 && res.keys.flags == 0);
		pawlink_session_result_wipe(&res);
	} else if (ret == -ECONNREFUSED) {
		FUZZ_CHECK(size == PAWLINK_SESS_REJECT_LEN);
		FUZZ_CHECK(reason == data[2]);
	} else {
		FUZZ_CHECK(ret == -EBADMSG || ret == -EPROTONOSUPPORT ||
			   ret == -EKEYREJECTED || ret == -EACCES);
		FUZZ_CHECK(reason == 0);
	}
	return 0;
}

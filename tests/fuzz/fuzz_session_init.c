// SPDX-License-Identifier: GPL-2.0
/*
 * Fuzzes the toy's side of the session: any bytes as an INIT, against a
 * toy with two pinned hosts, as the firmware calls it (mac1 key, stamps).
 * Checks that an answer is always either a full RESP with keys or at most
 * a bare REJECT, never both, and that a replay gets nothing.  Then the
 * same bytes against a toy that removed our host (its tombstone, stamp
 * 7): never a RESP, a REJECT(AUTH) only for a newer stamp, and nothing
 * for a replay (session.rst, "Processing" 6b-6d).
 */
#include <errno.h>
#include <stddef.h>
#include <stdint.h>

#include "byteorder.h"
#include "fuzz_session.h"
#include "session.h"

static struct fuzz_keys keys;

static void write_seeds(void)
{
	struct pawlink_session_host host;
	uint8_t init[PAWLINK_SESS_INIT_LEN];
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
	init[1] = 3;
	fuzz_write_seed("init-version3", init, len);
	fuzz_write_seed("init-header-only", init, PAWLINK_SESS_HDR_LEN);
	init[1] = PAWLINK_SESS_VERSION;
	init[PAWLINK_SESS_INIT_LEN - 1] ^= 1;
	fuzz_write_seed("init-bad-mac1", init, len);
	if (pawlink_session_host_start_at(&host, keys.host_priv, keys.toy_pub,
					  0, 7, init, sizeof(init), &len))
		abort();
	fuzz_write_seed("init-stale-stamp", init, len);
	pawlink_session_host_abort(&host);
}

static uint8_t mac1_key[PAWLINK_SESS_MAC1_KEY_LEN];
/* The other host's last stamp, then ours: 7 and below are replays. */
static const uint64_t stamps[2] = { 1000, 7 };

static void setup(void)
{
	fuzz_keys_init(&keys);
	pawlink_session_mac1_key(mac1_key, keys.toy_pub);
}

FUZZ_SESSION_INITIALIZE(setup, write_seeds)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct pawlink_session_result res;
	uint8_t out[PAWLINK_SESS_MSG_LEN];
	size_t out_len = 12345;
	int ret;

	struct pawlink_session_toy_keys k = {
		.toy_priv = keys.toy_priv,
		.mac1_key = mac1_key,
		.host_pubs = (const uint8_t (*)[32])keys.pinned,
		.host_stamps = stamps,
		.n_hosts = 2,
	};

	fuzz_rng_reset();
	ret = pawlink_session_toy_answer(&k, 0, data, size, out, sizeof(out),
					 &out_len, &res);
	if (ret == 0) {
		/* Only a real, fresh INIT from our host gets this far. */
		FUZZ_CHECK(size == PAWLINK_SESS_INIT_LEN);
		FUZZ_CHECK(res.stamp > stamps[1]);
		FUZZ_CHECK(out_len == PAWLINK_SESS_MSG_LEN);
		FUZZ_CHECK(out[0] == PAWLINK_SESS_RESP);
		FUZZ_CHECK(res.host_index == 1);
		FUZZ_CHECK(res.keys.version == PAWLINK_KEYS_VERSION);
		FUZZ_CHECK(res.keys.epoch >= 1);
		pawlink_session_result_wipe(&res);
	} else {
		FUZZ_CHECK(ret == -EBADMSG || ret == -EPROTONOSUPPORT ||
			   ret == -ESTALE || ret == -EKEYREJECTED ||
			   ret == -EACCES || ret == -EPERM ||
			   ret == -EALREADY);
		/* A replay gets nothing at all. */
		if (ret == -EALREADY)
			FUZZ_CHECK(out_len == 0);
		FUZZ_CHECK(out_len == 0 || out_len == PAWLINK_SESS_REJECT_LEN);
		if (out_len)
			FUZZ_CHECK(out[0] == PAWLINK_SESS_REJECT);
	}

	/* Our host removed: only the other one pinned, ours a tombstone. */
	k.n_hosts = 1;
	k.gone_pubs = (const uint8_t (*)[32])&keys.pinned[1];
	k.gone_stamps = &stamps[1];
	k.n_gone = 1;
	fuzz_rng_reset();
	out_len = 12345;
	ret = pawlink_session_toy_answer(&k, 0, data, size, out, sizeof(out),
					 &out_len, &res);
	FUZZ_CHECK(ret != 0);
	FUZZ_CHECK(out_len == 0 || out_len == PAWLINK_SESS_REJECT_LEN);
	if (ret == -EALREADY)
		FUZZ_CHECK(out_len == 0);
	/* Past mac1, a REJECT(AUTH) means our key and a newer stamp. */
	if (ret == -EACCES && out_len)
		FUZZ_CHECK(size == PAWLINK_SESS_INIT_LEN &&
			   pawlink_load_le64(data + PAWLINK_SESS_HDR_LEN) >
			   stamps[1]);
	return 0;
}

/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the pairing fuzz targets share besides fuzz_support.h: a
 * deterministic randombytes (a ChaCha20 keystream from a fixed key,
 * rewound before every input) so one input always takes one path and an
 * honest run can be replayed to any step; and a host and a toy with fixed
 * ids, keys and code.
 */
#ifndef PAWLINK_FUZZ_PAIRING_H
#define PAWLINK_FUZZ_PAIRING_H

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "fuzz_support.h"
#include "pairing.h"

#define FUZZ_PAIR_NOW	123456789u

/* ---- deterministic randombytes: ChaCha20(key 0x50.., nonce, counter) ---- */

static uint64_t fuzz_pair_block;
static uint8_t fuzz_pair_pool[64];
static size_t fuzz_pair_used = sizeof(fuzz_pair_pool);

static inline void fuzz_pair_rng_rewind(void)
{
	fuzz_pair_block = 0;
	fuzz_pair_used = sizeof(fuzz_pair_pool);
}

static inline void fuzz_pair_rng_buf(void *const buf, const size_t size)
{
	static const uint8_t key[crypto_stream_chacha20_KEYBYTES] = {
		'p', 'a', 'w', 'l', 'i', 'n', 'k', ' ', 'f', 'u', 'z', 'z',
	};
	static const uint8_t nonce[crypto_stream_chacha20_NONCEBYTES];
	uint8_t *p = buf;
	size_t i;

	for (i = 0; i < size; i++) {
		if (fuzz_pair_used == sizeof(fuzz_pair_pool)) {
			memset(fuzz_pair_pool, 0, sizeof(fuzz_pair_pool));
			crypto_stream_chacha20_xor_ic(fuzz_pair_pool,
						      fuzz_pair_pool,
						      sizeof(fuzz_pair_pool),
						      nonce, fuzz_pair_block++,
						      key);
			fuzz_pair_used = 0;
		}
		p[i] = fuzz_pair_pool[fuzz_pair_used++];
	}
}

static inline uint32_t fuzz_pair_rng_random(void)
{
	uint32_t v;

	fuzz_pair_rng_buf(&v, sizeof(v));
	return v;
}

static inline const char *fuzz_pair_rng_name(void)
{
	return "pawlink-pairing-fuzz";
}

static struct randombytes_implementation fuzz_pair_rng = {
	.implementation_name = fuzz_pair_rng_name,
	.random = fuzz_pair_rng_random,
	.buf = fuzz_pair_rng_buf,
};

/* First thing in LLVMFuzzerInitialize, before libsodium initialises. */
static inline void fuzz_pair_sodium_init(void)
{
	if (randombytes_set_implementation(&fuzz_pair_rng) != 0 ||
	    sodium_init() < 0)
		abort();
	fuzz_pair_rng_rewind();
}

/* ---- a host and a toy that know the same code ---- */

struct fuzz_pair_rig {
	struct pawlink_pair_policy policy;
	struct pawlink_pair_host host;
	struct pawlink_pair_toy toy;
	uint8_t msg[PAWLINK_PAIR_MSG_MAX];
	size_t msg_len;
};

static inline int fuzz_pair_persist(const struct pawlink_pair_policy *policy,
				    void *ctx)
{
	(void)policy;
	(void)ctx;
	return 0;
}

/* Rewinds the RNG, builds both parties and opens the toy's window. */
static inline void fuzz_pair_rig_init(struct fuzz_pair_rig *r)
{
	struct pawlink_pair_host_params hp;
	struct pawlink_pair_toy_params tp;
	uint8_t sk[32];

	fuzz_pair_rng_rewind();
	memset(r, 0, sizeof(*r));
	memset(&hp, 0, sizeof(hp));
	memset(&tp, 0, sizeof(tp));
	pawlink_policy_init(&r->policy);
	FUZZ_CHECK(pawlink_policy_press_button(&r->policy,
						    FUZZ_PAIR_NOW) == 0);
	memset(tp.toy_id, 0x70, PAWLINK_ID_LEN);
	memset(hp.host_id, 0x68, PAWLINK_ID_LEN);
	memcpy(hp.toy_id, tp.toy_id, PAWLINK_ID_LEN);
	memset(sk, 0x11, sizeof(sk));
	crypto_scalarmult_base(tp.toy_static, sk);
	memset(sk, 0x22, sizeof(sk));
	crypto_scalarmult_base(hp.host_static, sk);
	memcpy(tp.code.digits, "40187263", PAWLINK_SETUP_CODE_SIZE);
	memcpy(hp.code.digits, "40187263", PAWLINK_SETUP_CODE_SIZE);
	tp.policy = &r->policy;
	tp.persist = fuzz_pair_persist;
	FUZZ_CHECK(pawlink_pair_toy_init(&r->toy, &tp) == 0);
	FUZZ_CHECK(pawlink_pair_host_start(&r->host, &hp, r->msg,
						&r->msg_len) ==
			PAWLINK_PAIR_SEND);
}

/* Honest steps: each passes r->msg to the other side. */
static inline void fuzz_pair_to_toy(struct fuzz_pair_rig *r,
				    enum pawlink_pair_result want)
{
	uint8_t in[PAWLINK_PAIR_MSG_MAX];
	size_t len = r->msg_len;

	memcpy(in, r->msg, len);
	FUZZ_CHECK(pawlink_pair_toy_receive(&r->toy, FUZZ_PAIR_NOW, in,
						 len, r->msg, &r->msg_len,
						 NULL) == want);
}

static inline void fuzz_pair_to_host(struct fuzz_pair_rig *r,
				     enum pawlink_pair_result want)
{
	uint8_t in[PAWLINK_PAIR_MSG_MAX];
	size_t len = r->msg_len;

	memcpy(in, r->msg, len);
	FUZZ_CHECK(pawlink_pair_host_receive(&r->host, in, len, r->msg,
						  &r->msg_len) == want);
}

/* A reply that is not a protocol step is FAIL, BUSY or nothing. */
static inline void fuzz_pair_check_refusal(const uint8_t *out,
					   size_t out_len)
{
	FUZZ_CHECK(out_len == 0 || out_len == PAWLINK_PAIR_STATUS_LEN);
	if (out_len)
		FUZZ_CHECK(pawlink_pair_parse_status(out, out_len) ==
					PAWLINK_PAIR_MSG_FAIL ||
				pawlink_pair_parse_status(out, out_len) ==
					PAWLINK_PAIR_MSG_BUSY);
}

/*
 * Defines LLVMFuzzerInitialize() for a target with its own seeds: the
 * deterministic libsodium, then, under --write-seeds, @write_seeds() and
 * exit.
 */
#define FUZZ_PAIR_INITIALIZE(write_seeds)				\
	FUZZ_INITIALIZE(fuzz_pair_sodium_init, write_seeds)

#endif /* PAWLINK_FUZZ_PAIRING_H */

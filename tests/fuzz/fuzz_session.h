/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the session and record fuzz targets share besides fuzz_support.h:
 * fixed keys, and the deterministic randombytes started from one fixed
 * value, so that one input always takes one path (the host's ephemeral,
 * and so a valid RESP, is the same on every run).
 */
#ifndef PAWLINK_FUZZ_SESSION_H
#define PAWLINK_FUZZ_SESSION_H

#include <stdint.h>
#include <string.h>

#include <sodium.h>

#include "fuzz_support.h"

/* Where the deterministic randombytes starts: "pawlink!". */
#define FUZZ_SESSION_RNG_SEED	0x7061776c696e6b21ULL

/* Starts the deterministic randombytes over. */
static inline void fuzz_rng_reset(void)
{
	fuzz_rng_seed(FUZZ_SESSION_RNG_SEED);
}

static inline void fuzz_session_sodium_init(void)
{
	fuzz_sodium_init(FUZZ_SESSION_RNG_SEED);
}

/* ---- fixed keys --------------------------------------------------------- */

struct fuzz_keys {
	uint8_t toy_priv[32], toy_pub[32];
	uint8_t host_priv[32], host_pub[32];
	uint8_t pinned[2][32];		/* another host, then ours */
};

static inline void fuzz_keys_init(struct fuzz_keys *k)
{
	uint8_t other_priv[32];

	memset(k->toy_priv, 0x11, 32);
	memset(k->host_priv, 0x22, 32);
	memset(other_priv, 0x33, 32);
	crypto_scalarmult_base(k->toy_pub, k->toy_priv);
	crypto_scalarmult_base(k->host_pub, k->host_priv);
	crypto_scalarmult_base(k->pinned[0], other_priv);
	memcpy(k->pinned[1], k->host_pub, 32);
}

/*
 * Defines the target's LLVMFuzzerInitialize: libsodium with the
 * deterministic randombytes, then @setup(), then, under --write-seeds,
 * @write_seeds() and exit.
 */
#define FUZZ_SESSION_INITIALIZE(setup, write_seeds)			\
	static void fuzz_session_setup(void)				\
	{								\
		fuzz_session_sodium_init();				\
		setup();						\
	}								\
	FUZZ_INITIALIZE(fuzz_session_setup, write_seeds)

#endif /* PAWLINK_FUZZ_SESSION_H */

/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the session and record fuzz targets share: fixed keys, a
 * deterministic randombytes so that one input always takes one path (the
 * host's ephemeral, and so a valid RESP, is the same on every run), a way
 * to write the seed corpus, and an invariant check that crashes.
 *
 * Seeds: "tests/fuzz/run --write-seeds BINARY" sets
 * PAWLINK_FUZZ_WRITE_SEEDS to the target's corpus directory; the target
 * then writes its valid messages there from LLVMFuzzerInitialize and exits.
 */
#ifndef PAWLINK_FUZZ_SESSION_H
#define PAWLINK_FUZZ_SESSION_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#define FUZZ_CHECK(cond)						\
	do {								\
		if (!(cond)) {						\
			fprintf(stderr, "invariant broken: %s (%s:%d)\n", \
				#cond, __FILE__, __LINE__);		\
			abort();					\
		}							\
	} while (0)

/* ---- deterministic randombytes (splitmix64; for fuzzing only) ---------- */

static uint64_t fuzz_rng_state;

static inline void fuzz_rng_reset(void)
{
	fuzz_rng_state = 0x7061776c696e6b21ULL;	/* "pawlink!" */
}

static inline uint32_t fuzz_rng_random(void)
{
	uint64_t z = (fuzz_rng_state += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return (uint32_t)((z ^ (z >> 31)) >> 32);
}

static inline void fuzz_rng_buf(void *const buf, const size_t size)
{
	uint8_t *p = buf;
	size_t i;

	for (i = 0; i < size; i++)
		p[i] = (uint8_t)fuzz_rng_random();
}

static inline const char *fuzz_rng_name(void)
{
	return "pawlink-fuzz-deterministic";
}

static struct randombytes_implementation fuzz_rng = {
	.implementation_name = fuzz_rng_name,
	.random = fuzz_rng_random,
	.buf = fuzz_rng_buf,
};

/* Call first in LLVMFuzzerInitialize: before libsodium initialises. */
static inline void fuzz_sodium_init(void)
{
	fuzz_rng_reset();
	if (randombytes_set_implementation(&fuzz_rng) != 0 ||
	    sodium_init() < 0)
		abort();
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

/* ---- seed corpus -------------------------------------------------------- */

static inline const char *fuzz_seed_dir(void)
{
	return getenv("PAWLINK_FUZZ_WRITE_SEEDS");
}

static inline void fuzz_write_seed(const char *name, const void *data,
				   size_t len)
{
	char path[4096];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", fuzz_seed_dir(), name);
	f = fopen(path, "wb");
	if (!f || fwrite(data, 1, len, f) != len || fclose(f) != 0) {
		fprintf(stderr, "cannot write seed %s\n", path);
		exit(1);
	}
}

/*
 * Defines the target's LLVMFuzzerInitialize: libsodium with the
 * deterministic randombytes, then @setup(), then, under --write-seeds,
 * @write_seeds() and exit.
 */
#define FUZZ_SESSION_INITIALIZE(setup, write_seeds)			\
	int LLVMFuzzerInitialize(int *argc, char ***argv)		\
	{								\
		(void)argc;						\
		(void)argv;						\
		fuzz_sodium_init();					\
		setup();						\
		if (fuzz_seed_dir()) {					\
			write_seeds();					\
			exit(0);					\
		}							\
		return 0;						\
	}

#endif /* PAWLINK_FUZZ_SESSION_H */

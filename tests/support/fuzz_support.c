// SPDX-License-Identifier: GPL-2.0
/* What every fuzz target shares; see fuzz_support.h. */
#include <stdio.h>
#include <stdlib.h>

#include <sodium.h>

#include "fuzz_support.h"

void fuzz_invariant_broken(const char *cond, const char *file, int line)
{
	fprintf(stderr, "invariant broken: %s (%s:%d)\n", cond, file, line);
	abort();
}

const char *fuzz_seed_dir(void)
{
	return getenv("PAWLINK_FUZZ_WRITE_SEEDS");
}

void fuzz_write_seed(const char *name, const void *data, size_t len)
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

void fuzz_no_setup(void)
{
}

/* ---- deterministic randombytes (splitmix64; for fuzzing only) ---------- */

static uint64_t rng_state;

static uint32_t rng_random(void)
{
	uint64_t z = (rng_state += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return (uint32_t)((z ^ (z >> 31)) >> 32);
}

static void rng_buf(void *const buf, const size_t size)
{
	uint8_t *p = buf;
	size_t i;

	for (i = 0; i < size; i++)
		p[i] = (uint8_t)rng_random();
}

static const char *rng_name(void)
{
	return "pawlink-fuzz-deterministic";
}

static struct randombytes_implementation rng = {
	.implementation_name = rng_name,
	.random = rng_random,
	.buf = rng_buf,
};

void fuzz_rng_seed(uint64_t seed)
{
	rng_state = seed;
}

void fuzz_sodium_init(uint64_t seed)
{
	fuzz_rng_seed(seed);
	if (randombytes_set_implementation(&rng) != 0 || sodium_init() < 0)
		abort();
}

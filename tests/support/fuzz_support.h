/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What every fuzz target shares: an invariant check that crashes (so
 * libFuzzer keeps the input), the seed corpus, the target's
 * LLVMFuzzerInitialize, and a deterministic randombytes so that one input
 * always takes one path.
 *
 * Seeds: "tests/fuzz/run --write-seeds BINARY" sets
 * PAWLINK_FUZZ_WRITE_SEEDS to the target's corpus directory; the target
 * then writes its valid messages there from LLVMFuzzerInitialize and
 * exits.
 */
#ifndef PAWLINK_TEST_FUZZ_SUPPORT_H
#define PAWLINK_TEST_FUZZ_SUPPORT_H

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FUZZ_CHECK(cond)						\
	do {								\
		if (!(cond))						\
			fuzz_invariant_broken(#cond, __FILE__, __LINE__); \
	} while (0)

/* Says which invariant broke, and where, then aborts. */
void fuzz_invariant_broken(const char *cond, const char *file, int line)
	__attribute__((noreturn));

/* The corpus directory under --write-seeds, else NULL. */
const char *fuzz_seed_dir(void);

/* Writes seed @name into fuzz_seed_dir(); exits 1 if it cannot. */
void fuzz_write_seed(const char *name, const void *data, size_t len);

/* For FUZZ_INITIALIZE() when there is nothing to set up. */
void fuzz_no_setup(void);

/*
 * Defines the target's LLVMFuzzerInitialize: @setup(), then, under
 * --write-seeds, @write_seeds() and exit.
 */
#define FUZZ_INITIALIZE(setup, write_seeds)				\
	int LLVMFuzzerInitialize(int *argc, char ***argv)		\
	{								\
		(void)argc;						\
		(void)argv;						\
		setup();						\
		if (fuzz_seed_dir()) {					\
			write_seeds();					\
			exit(0);					\
		}							\
		return 0;						\
	}

/*
 * Initialises libsodium with a splitmix64 randombytes starting from
 * @seed: first thing in LLVMFuzzerInitialize, before libsodium is used.
 */
void fuzz_sodium_init(uint64_t seed);
/* Starts that randombytes over from @seed. */
void fuzz_rng_seed(uint64_t seed);

#endif /* PAWLINK_TEST_FUZZ_SUPPORT_H */

// SPDX-License-Identifier: GPL-2.0
/*
 * Fuzzes the loader of the toy's persisted pairing policy.  Whatever it
 * accepts must save back to the same bytes (one encoding per state) and
 * must respect the limits.
 */
#include <stddef.h>
#include <stdint.h>

#include "fuzz_pairing.h"

static void write_seeds(void)
{
	uint8_t state[PAWLINK_POLICY_STATE_LEN];
	struct pawlink_pair_policy p;
	uint8_t host[PAWLINK_ID_LEN] = { 1, 2, 3 };
	uint8_t key[PAWLINK_PAIR_STATIC_LEN] = { 9 };
	uint32_t gen;

	pawlink_policy_init(&p);
	pawlink_policy_save(&p, state);
	fuzz_write_seed("new-toy", state, sizeof(state));
	pawlink_policy_press_button(&p, 1);
	pawlink_policy_begin(&p, 1, host, host, &gen);
	pawlink_policy_succeed(&p, 2, gen, key);
	pawlink_policy_save(&p, state);
	fuzz_write_seed("one-host", state, sizeof(state));
	/* A second host by invite: a name and a stamp in its record. */
	p.boot = 3;
	pawlink_policy_invite(&p, 10, "40187263", "tablet");
	host[0] = 7;
	pawlink_policy_begin(&p, 11, host, host, &gen);
	pawlink_policy_succeed(&p, 12, gen, key);
	pawlink_policy_save(&p, state);
	fuzz_write_seed("invited-host", state, sizeof(state));
}

FUZZ_PAIR_INITIALIZE(write_seeds)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t again[PAWLINK_POLICY_STATE_LEN];
	struct pawlink_pair_policy p;

	pawlink_policy_init(&p);
	p.lifetime_failures = 42;
	if (pawlink_policy_load(&p, data, size) != 0) {
		/* A refused load leaves the state as it was. */
		FUZZ_CHECK(p.lifetime_failures == 42 && p.n_hosts == 0);
		return 0;
	}
	FUZZ_CHECK(size == PAWLINK_POLICY_STATE_LEN);
	FUZZ_CHECK(p.n_hosts <= PAWLINK_POLICY_MAX_HOSTS);
	FUZZ_CHECK(p.lifetime_failures <= PAWLINK_POLICY_LIFETIME_FAILURES);
	FUZZ_CHECK(!pawlink_policy_window_is_open(&p, 0));
	pawlink_policy_save(&p, again);
	FUZZ_CHECK(memcmp(again, data, size) == 0);
	return 0;
}

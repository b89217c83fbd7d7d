// SPDX-License-Identifier: GPL-2.0
/*
 * The toy's storage at rest (issue 11, finding 7): every blob the core
 * saves (identity with its static secret key, pairing policy with the
 * pins, event log, settings) is sealed under a device key that only the
 * secure element holds, and a factory reset replaces that key first.
 * With the power cut after every possible number of flash writes of a
 * factory reset, the toy still boots with its printed code, and nothing
 * it held before opens under the key it has now.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <sodium.h>

#include "toy_sim.h"

/* The layouts of toy_vault.c: what an attacker reading the flash sees. */
#define SE_KEY_ID	8
#define SE_KEY		16
#define SB_KEY_ID	8
#define SB_NONCE	16
#define SB_HDR		40

static const enum toy_blob sealed[] = {
	TOY_BLOB_IDENTITY, TOY_BLOB_POLICY, TOY_BLOB_LOG, TOY_BLOB_SETTINGS,
};

struct flash {
	uint8_t blob[TOY_BLOB_COUNT][TOY_BLOB_MAX];
	size_t len[TOY_BLOB_COUNT];
	bool set[TOY_BLOB_COUNT];
};

static void flash_take(struct flash *f, const struct toy_sim *s)
{
	memcpy(f->blob, s->blob, sizeof(f->blob));
	memcpy(f->len, s->blob_len, sizeof(f->len));
	memcpy(f->set, s->blob_set, sizeof(f->set));
}

static void flash_put(struct toy_sim *s, const struct flash *f)
{
	memcpy(s->blob, f->blob, sizeof(f->blob));
	memcpy(s->blob_len, f->len, sizeof(f->len));
	memcpy(s->blob_set, f->set, sizeof(f->set));
}

/* Whether sealed blob @b opens under device key @key. */
static bool opens(const uint8_t *b, size_t len, const uint8_t key[32])
{
	uint8_t out[TOY_BLOB_MAX];
	unsigned long long n;

	if (len < SB_HDR + crypto_aead_xchacha20poly1305_ietf_ABYTES)
		return false;
	return crypto_aead_xchacha20poly1305_ietf_decrypt(out, &n, NULL,
							  b + SB_HDR,
							  len - SB_HDR, b,
							  SB_HDR, b + SB_NONCE,
							  key) == 0;
}

static bool contains(const uint8_t *hay, size_t n, const uint8_t *needle,
		     size_t m)
{
	size_t i;

	for (i = 0; i + m <= n; i++)
		if (!memcmp(hay + i, needle, m))
			return true;
	return false;
}

static void test_power_loss_at_every_step_of_factory_reset(void **state)
{
	static struct flash before;
	struct pawlink_toy_status_info st;
	char label[PAWLINK_SETUP_CODE_DISPLAY_SIZE];
	uint8_t old_key[32], now_key[32], toy_id[PAWLINK_ID_LEN];
	struct air_local *air;
	struct air_config cfg;
	struct test_host a;
	struct toy_sim s;
	int k, rc = -1;
	size_t i, b;

	(void)state;
	air_config_init(&cfg);
	assert_int_equal(air_local_new(&cfg, &air), 0);
	assert_int_equal(test_host_open(&a, air), 0);
	assert_int_equal(toy_sim_init(&s, air), 0);
	assert_int_equal(toy_sim_start(&s), 0);
	toy_sim_id(&s, toy_id);
	/* A toy with a past: a host, a session, a setting, a log. */
	assert_int_equal(test_host_pair(&a, &s), 0);
	assert_int_equal(pawlink_connect(a.p, toy_id, NULL), 0);
	assert_int_equal(pawlink_volume(a.p, 40), 0);
	assert_int_equal(pawlink_disconnect(a.p), 0);
	toy_sim_stop(&s, a.t, false);
	memcpy(label, s.label, sizeof(label));
	flash_take(&before, &s);
	memcpy(old_key, before.blob[TOY_BLOB_SECURE_ELEMENT] + SE_KEY, 32);
	/* Sealed: each opens under the key, none holds it in clear. */
	for (b = 0; b < sizeof(sealed) / sizeof(sealed[0]); b++) {
		assert_true(before.set[sealed[b]]);
		assert_true(opens(before.blob[sealed[b]], before.len[sealed[b]],
				  old_key));
	}

	for (k = 0; rc != 0; k++) {
		assert_true(k < 64);
		flash_put(&s, &before);
		assert_int_equal(toy_sim_start(&s), 0);
		pthread_mutex_lock(&s.lock);
		s.saves_left = k;
		pthread_mutex_unlock(&s.lock);
		rc = toy_sim_factory_reset(&s);
		toy_sim_stop(&s, a.t, true);
		s.saves_left = -1;

		/* Whatever the cut, it boots, with its label's code. */
		assert_int_equal(toy_sim_start(&s), 0);
		assert_string_equal(s.label, label);
		memcpy(now_key, s.blob[TOY_BLOB_SECURE_ELEMENT] + SE_KEY, 32);
		if (k == 0) {
			/* Cut before the first write: no reset happened. */
			assert_memory_equal(now_key, old_key, 32);
			toy_sim_stop(&s, a.t, false);
			continue;
		}
		/* The key went first: nothing of before opens any more ... */
		assert_memory_not_equal(now_key, old_key, 32);
		assert_memory_not_equal(s.blob[TOY_BLOB_SECURE_ELEMENT] +
					SE_KEY_ID,
					before.blob[TOY_BLOB_SECURE_ELEMENT] +
					SE_KEY_ID, 8);
		for (b = 0; b < sizeof(sealed) / sizeof(sealed[0]); b++)
			assert_false(opens(before.blob[sealed[b]],
					   before.len[sealed[b]], now_key));
		/* ... the old key is nowhere in the flash ... */
		for (i = 0; i < TOY_BLOB_COUNT; i++)
			if (s.blob_set[i])
				assert_false(contains(s.blob[i], s.blob_len[i],
						      old_key, 32));
		/* ... and the toy is a new one. */
		toy_sim_status(&s, &st);
		assert_int_equal(st.paired_hosts, 0);
		assert_false(st.locked);
		assert_int_equal(st.volume, TOY_VOLUME_DEFAULT);
		assert_true(st.log_next <= 3);
		toy_sim_stop(&s, a.t, false);
	}
	/* Every write of the reset was a place to cut. */
	assert_true(k >= 5);
	sodium_memzero(old_key, sizeof(old_key));
	sodium_memzero(now_key, sizeof(now_key));
	test_host_close(&a);
	toy_sim_done(&s);
	assert_int_equal(air_local_free(air), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_power_loss_at_every_step_of_factory_reset),
	};

	if (sodium_init() < 0)
		return 1;
	return cmocka_run_group_tests(tests, NULL, NULL);
}

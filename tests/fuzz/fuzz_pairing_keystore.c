// SPDX-License-Identifier: GPL-2.0
/*
 * Fuzzes the parsers of the host key store's two file formats (host.key
 * and toy-<id>): whatever they accept is well formed, whatever they refuse
 * leaves nothing behind.
 */
#include <stddef.h>
#include <stdint.h>

#include "fuzz_pairing.h"
#include "keystore.h"

static void write_seeds(void)
{
	static const char host[] =
		"pawlink-host 1\nid 0102030405060708\nsecret "
		"00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff\n";
	static const char toy[] =
		"pawlink-toy 1\nid 0102030405060708\npublic "
		"00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff\n"
		"name Bunny\n";

	fuzz_write_seed("host", host, sizeof(host) - 1);
	fuzz_write_seed("toy", toy, sizeof(toy) - 1);
}

FUZZ_PAIR_INITIALIZE(write_seeds)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct pawlink_host_identity host;
	struct pawlink_toy_record toy;
	const char *text = (const char *)data;

	if (pawlink_keystore_parse_host(text, size, &host) == 0) {
		uint8_t pk[32];

		FUZZ_CHECK(!sodium_is_zero(host.id, sizeof(host.id)));
		crypto_scalarmult_base(pk, host.secret_key);
		FUZZ_CHECK(memcmp(pk, host.public_key, 32) == 0);
		pawlink_host_identity_wipe(&host);
	} else {
		FUZZ_CHECK(sodium_is_zero((const uint8_t *)&host,
					  sizeof(host)));
	}
	if (pawlink_keystore_parse_toy(text, size, &toy) == 0) {
		FUZZ_CHECK(pawlink_keystore_name_ok(toy.name));
		FUZZ_CHECK(strlen(toy.name) <= PAWLINK_KEYSTORE_NAME_MAX);
	} else {
		FUZZ_CHECK(sodium_is_zero((const uint8_t *)&toy,
					  sizeof(toy)));
	}
	return 0;
}

// SPDX-License-Identifier: GPL-2.0
/*
 * Fuzzes the parser of what a user types as a setup code.  An accepted
 * input yields a valid, displayable code; a refused one yields a zeroed
 * code and a message that repeats no digit.
 */
#include <stddef.h>
#include <stdint.h>

#include "fuzz_pairing.h"

static void write_seeds(void)
{
	static const char *const seeds[] = {
		"4018-7263", " 4018 7263\n", "40187263", "1234-5678",
		"4018 - 7263",
	};
	char name[16];
	size_t i;

	for (i = 0; i < sizeof(seeds) / sizeof(seeds[0]); i++) {
		snprintf(name, sizeof(name), "code-%zu", i);
		fuzz_write_seed(name, seeds[i], strlen(seeds[i]));
	}
}

FUZZ_PAIR_INITIALIZE(write_seeds)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char display[PAWLINK_SETUP_CODE_DISPLAY_SIZE];
	struct pawlink_setup_code code;
	const char *err = NULL;
	char text[256];

	if (size >= sizeof(text))
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	if (pawlink_setup_code_parse(&code, text, &err) == 0) {
		FUZZ_CHECK(err == NULL);
		FUZZ_CHECK(pawlink_setup_code_is_valid(&code));
		FUZZ_CHECK(pawlink_setup_code_format(&code, display) == 0);
	} else {
		FUZZ_CHECK(err != NULL);
		FUZZ_CHECK(strpbrk(err, "0123456789") == NULL);
		FUZZ_CHECK(sodium_is_zero((const uint8_t *)&code,
					  sizeof(code)));
	}
	pawlink_setup_code_wipe(&code);
	return 0;
}

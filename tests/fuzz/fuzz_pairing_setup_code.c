// SPDX-License-Identifier: GPL-2.0
/*
 * Fuzzes the parser of what a user types as a setup code.  An accepted
 * input yields a valid, displayable code; a refused one yields a zeroed
 * code and a message that repeats no digit.
 */
#include <stddef.h>
#include <stdint.h>

#include "fuzz_pairing.h"

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	static const char *const seeds[] = {
		"4018-7263", " 4018 7263\n", "40187263", "1234-5678",
		"4018 - 7263",
	};
	char name[16];
	size_t i;

	(void)argc;
	(void)argv;
	fuzz_pair_sodium_init();
	if (fuzz_pair_seed_dir()) {
		for (i = 0; i < sizeof(seeds) / sizeof(seeds[0]); i++) {
			snprintf(name, sizeof(name), "code-%zu", i);
			fuzz_pair_write_seed(name, seeds[i], strlen(seeds[i]));
		}
		exit(0);
	}
	return 0;
}

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
		FUZZ_PAIR_CHECK(err == NULL);
		FUZZ_PAIR_CHECK(pawlink_setup_code_is_valid(&code));
		FUZZ_PAIR_CHECK(pawlink_setup_code_format(&code, display) == 0);
	} else {
		FUZZ_PAIR_CHECK(err != NULL);
		FUZZ_PAIR_CHECK(strpbrk(err, "0123456789") == NULL);
		FUZZ_PAIR_CHECK(sodium_is_zero((const uint8_t *)&code,
					       sizeof(code)));
	}
	pawlink_setup_code_wipe(&code);
	return 0;
}

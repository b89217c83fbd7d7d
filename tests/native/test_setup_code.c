// SPDX-License-Identifier: GPL-2.0
/* Setup codes: CSPRNG generation, banned list, display and parsing. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>
#include <sodium.h>

#include "setup_code.h"
#include "bytes.h"

static void test_banned_list(void **state)
{
	static const char *const banned[] = {
		"00000000", "11111111", "22222222", "33333333", "44444444",
		"55555555", "66666666", "77777777", "88888888", "99999999",
		"12345678", "87654321",
	};
	size_t i;

	(void)state;
	for (i = 0; i < PAWLINK_ARRAY_SIZE(banned); i++)
		assert_true(pawlink_setup_code_is_banned(banned[i]));
	assert_false(pawlink_setup_code_is_banned("11111112"));
	assert_false(pawlink_setup_code_is_banned("23456789"));
	assert_false(pawlink_setup_code_is_banned("01234567"));
	assert_false(pawlink_setup_code_is_banned("98765432"));
}

static void test_generate_is_valid_and_varies(void **state)
{
	struct pawlink_setup_code c;
	unsigned int seen[PAWLINK_SETUP_CODE_DIGITS][10] = { { 0 } };
	char first[PAWLINK_SETUP_CODE_SIZE];
	bool differs = false;
	int i, d;

	(void)state;
	pawlink_setup_code_generate(&c);
	memcpy(first, c.digits, sizeof(first));
	for (i = 0; i < 2000; i++) {
		pawlink_setup_code_generate(&c);
		assert_true(pawlink_setup_code_is_valid(&c));
		assert_int_equal(strlen(c.digits), 8);
		if (memcmp(first, c.digits, sizeof(first)))
			differs = true;
		for (d = 0; d < PAWLINK_SETUP_CODE_DIGITS; d++)
			seen[d][c.digits[d] - '0']++;
	}
	assert_true(differs);
	/*
	 * Every digit value turns up in every position (expected 200 each;
	 * missing one in 2000 draws has probability about 1e-91).
	 */
	for (d = 0; d < PAWLINK_SETUP_CODE_DIGITS; d++)
		for (i = 0; i < 10; i++)
			assert_true(seen[d][i] > 0);
	pawlink_setup_code_wipe(&c);
	assert_true(sodium_is_zero((const uint8_t *)&c, sizeof(c)));
}

static void test_format(void **state)
{
	struct pawlink_setup_code c = { .digits = "40187263" };
	struct pawlink_setup_code banned = { .digits = "12345678" };
	struct pawlink_setup_code short_code = { .digits = "4018726" };
	char out[PAWLINK_SETUP_CODE_DISPLAY_SIZE];

	(void)state;
	assert_int_equal(pawlink_setup_code_format(&c, out), 0);
	assert_string_equal(out, "4018-7263");
	assert_int_equal(pawlink_setup_code_format(&banned, out), -EINVAL);
	assert_int_equal(pawlink_setup_code_format(&short_code, out), -EINVAL);
}

static void test_parse_accepts_common_spellings(void **state)
{
	static const char *const good[] = {
		"40187263", "4018-7263", "4018 7263", "  4018-7263\n",
		"\t4018 7263 ", "4018 - 7263", "40 18 72 63", "4018  7263",
		"4-0-1-8-7-2-6-3",
	};
	struct pawlink_setup_code c;
	const char *err;
	size_t i;

	(void)state;
	for (i = 0; i < PAWLINK_ARRAY_SIZE(good); i++) {
		err = "unset";
		assert_int_equal(pawlink_setup_code_parse(&c, good[i], &err), 0);
		assert_null(err);
		assert_string_equal(c.digits, "40187263");
		assert_true(pawlink_setup_code_is_valid(&c));
	}
}

static void test_parse_rejects_everything_else(void **state)
{
	static const char *const bad[] = {
		"", "   ", "4018726", "401872634", "4018-72634", "4018_7263",
		"4018--7263", "-40187263", "40187263-", "4018.7263",
		"4018\t7263", "４０１８７２６３", "4018-726a", "+40187263",
		"12345678", "1234-5678", "87654321", "0000-0000", "9999 9999",
		"40187263x", "x40187263", "4018 7263 0",
	};
	struct pawlink_setup_code c;
	const char *err;
	size_t i;

	(void)state;
	for (i = 0; i < PAWLINK_ARRAY_SIZE(bad); i++) {
		err = NULL;
		memset(&c, 0x55, sizeof(c));
		assert_int_equal(pawlink_setup_code_parse(&c, bad[i], &err),
				 -EINVAL);
		assert_non_null(err);
		/* The message never repeats the code, or any digit of it. */
		assert_null(strpbrk(err, "0123456789"));
		/* Nothing of the input survives in the output. */
		assert_true(sodium_is_zero((const uint8_t *)&c, sizeof(c)));
	}
	assert_int_equal(pawlink_setup_code_parse(&c, NULL, &err), -EINVAL);
	assert_non_null(err);
}

static void test_parse_error_messages_say_why(void **state)
{
	struct pawlink_setup_code c;
	const char *err;

	(void)state;
	pawlink_setup_code_parse(&c, "4018726", &err);
	assert_non_null(strstr(err, "too few"));
	pawlink_setup_code_parse(&c, "401872631", &err);
	assert_non_null(strstr(err, "too many"));
	pawlink_setup_code_parse(&c, "4018/7263", &err);
	assert_non_null(strstr(err, "unexpected character"));
	pawlink_setup_code_parse(&c, "1111-1111", &err);
	assert_non_null(strstr(err, "never issued"));
	pawlink_setup_code_parse(&c, " ", &err);
	assert_non_null(strstr(err, "no setup code"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_banned_list),
		cmocka_unit_test(test_generate_is_valid_and_varies),
		cmocka_unit_test(test_format),
		cmocka_unit_test(test_parse_accepts_common_spellings),
		cmocka_unit_test(test_parse_rejects_everything_else),
		cmocka_unit_test(test_parse_error_messages_say_why),
	};

	if (sodium_init() < 0)
		return 1;
	return cmocka_run_group_tests(tests, NULL, NULL);
}

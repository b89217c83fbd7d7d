// SPDX-License-Identifier: GPL-2.0
/* Setup codes: generation, display and parsing of user input. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "setup_code.h"

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static bool is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' ||
	       c == '\f';
}

bool pawlink_setup_code_is_banned(const char *digits)
{
	bool all_equal = true;
	int i;

	for (i = 1; i < PAWLINK_SETUP_CODE_DIGITS; i++)
		if (digits[i] != digits[0])
			all_equal = false;
	return all_equal ||
	       memcmp(digits, "12345678", PAWLINK_SETUP_CODE_DIGITS) == 0 ||
	       memcmp(digits, "87654321", PAWLINK_SETUP_CODE_DIGITS) == 0;
}

bool pawlink_setup_code_is_valid(const struct pawlink_setup_code *code)
{
	int i;

	for (i = 0; i < PAWLINK_SETUP_CODE_DIGITS; i++)
		if (!is_digit(code->digits[i]))
			return false;
	return code->digits[PAWLINK_SETUP_CODE_DIGITS] == '\0' &&
	       !pawlink_setup_code_is_banned(code->digits);
}

void pawlink_setup_code_generate(struct pawlink_setup_code *code)
{
	int i;

	/* Without a working CSPRNG there is no safe code to print. */
	if (sodium_init() < 0)
		abort();
	do {
		for (i = 0; i < PAWLINK_SETUP_CODE_DIGITS; i++)
			code->digits[i] = (char)('0' + randombytes_uniform(10));
		code->digits[PAWLINK_SETUP_CODE_DIGITS] = '\0';
	} while (pawlink_setup_code_is_banned(code->digits));
}

int pawlink_setup_code_format(const struct pawlink_setup_code *code,
			      char out[PAWLINK_SETUP_CODE_DISPLAY_SIZE])
{
	if (!pawlink_setup_code_is_valid(code))
		return -EINVAL;
	memcpy(out, code->digits, 4);
	out[4] = '-';
	memcpy(out + 5, code->digits + 4, 4);
	out[9] = '\0';
	return 0;
}

static int parse_fail(struct pawlink_setup_code *code, const char **error,
		      const char *why)
{
	pawlink_setup_code_wipe(code);
	if (error)
		*error = why;
	return -EINVAL;
}

int pawlink_setup_code_parse(struct pawlink_setup_code *code, const char *text,
			     const char **error)
{
	const char *start, *end, *p;
	int n = 0;

	pawlink_setup_code_wipe(code);
	if (!text)
		return parse_fail(code, error, "no setup code given");
	start = text;
	while (is_space(*start))
		start++;
	end = start + strlen(start);
	while (end > start && is_space(end[-1]))
		end--;
	if (start == end)
		return parse_fail(code, error, "no setup code given");

	for (p = start; p < end;) {
		if (is_digit(*p)) {
			if (n == PAWLINK_SETUP_CODE_DIGITS)
				return parse_fail(code, error,
						  "too many digits: a setup code has eight digits");
			code->digits[n++] = *p++;
			continue;
		}
		if (*p == ' ' || *p == '-') {
			int dashes = 0;

			/* A separator only ever stands between two digits. */
			if (p == start)
				return parse_fail(code, error,
						  "a setup code starts with a digit");
			while (p < end && (*p == ' ' || *p == '-'))
				dashes += *p++ == '-';
			if (p == end)
				return parse_fail(code, error,
						  "a setup code ends with a digit");
			if (dashes > 1)
				return parse_fail(code, error,
						  "use at most one dash between the digit groups");
			continue;
		}
		return parse_fail(code, error,
				  "unexpected character: a setup code has only digits, "
				  "optionally grouped with a space or a dash");
	}
	if (n < PAWLINK_SETUP_CODE_DIGITS)
		return parse_fail(code, error,
				  "too few digits: a setup code has eight digits");
	code->digits[PAWLINK_SETUP_CODE_DIGITS] = '\0';
	if (pawlink_setup_code_is_banned(code->digits))
		return parse_fail(code, error,
				  "not a setup code any toy has (such simple codes are "
				  "never issued); check the code printed on the toy");
	if (error)
		*error = NULL;
	return 0;
}

void pawlink_setup_code_wipe(struct pawlink_setup_code *code)
{
	sodium_memzero(code, sizeof(*code));
}

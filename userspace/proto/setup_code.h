/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Setup codes: the 8-digit secret printed on each toy and typed by the
 * user on the host.  It is the CPace password (Documentation/pairing.rst).
 *
 * A code is never logged and never echoed in an error message.  Callers
 * wipe a struct pawlink_setup_code with pawlink_setup_code_wipe() once the
 * pairing that needed it has finished.
 */
#ifndef PAWLINK_SETUP_CODE_H
#define PAWLINK_SETUP_CODE_H

#include <stdbool.h>

#define PAWLINK_SETUP_CODE_DIGITS	8
/* "12345678" and its NUL. */
#define PAWLINK_SETUP_CODE_SIZE		(PAWLINK_SETUP_CODE_DIGITS + 1)
/* "1234-5678" and its NUL. */
#define PAWLINK_SETUP_CODE_DISPLAY_SIZE	(PAWLINK_SETUP_CODE_DIGITS + 2)

/* A canonical code: exactly 8 ASCII digits, NUL-terminated, not banned. */
struct pawlink_setup_code {
	char digits[PAWLINK_SETUP_CODE_SIZE];
};

/* Draws a code from libsodium's CSPRNG, retrying while it is banned. */
void pawlink_setup_code_generate(struct pawlink_setup_code *code);

/*
 * True for the codes HomeKit and Matter ban: all digits equal, 12345678
 * and 87654321.  @digits is 8 ASCII digits.
 */
bool pawlink_setup_code_is_banned(const char *digits);

/*
 * True when @code holds 8 ASCII digits and is not banned; the pairing
 * state machines refuse to run with anything else.
 */
bool pawlink_setup_code_is_valid(const struct pawlink_setup_code *code);

/* Writes "1234-5678" into @out; -EINVAL if @code is not valid. */
int pawlink_setup_code_format(const struct pawlink_setup_code *code,
			      char out[PAWLINK_SETUP_CODE_DISPLAY_SIZE]);

/*
 * Parses what a user typed.  Accepted: 8 digits, optionally split into
 * groups by spaces and/or one dash ("1234-5678", "1234 5678",
 * "1234 - 5678", "12345678"), with any surrounding whitespace.  Anything
 * else is -EINVAL with *@error set to a sentence that explains the
 * problem without repeating the input.  @code is zeroed on error.
 */
int pawlink_setup_code_parse(struct pawlink_setup_code *code, const char *text,
			     const char **error);

/* Erases @code (sodium_memzero). */
void pawlink_setup_code_wipe(struct pawlink_setup_code *code);

#endif /* PAWLINK_SETUP_CODE_H */

/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Reading the line-based vector files in tests/vectors/ from cmocka tests.
 * Include after <cmocka.h>.  Tests run from the top of the tree (as
 * "make check-native" does); PAWLINK_TOP overrides that.
 */
#ifndef PAWLINK_TESTVEC_H
#define PAWLINK_TESTVEC_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bytes.h"

static inline FILE *testvec_open(const char *name)
{
	const char *top = getenv("PAWLINK_TOP");
	char path[4096];
	FILE *f;

	snprintf(path, sizeof(path), "%s/tests/vectors/%s", top ? top : ".",
		 name);
	f = fopen(path, "r");
	if (!f)
		fail_msg("cannot open %s (run from the top of the tree or set "
			 "PAWLINK_TOP)", path);
	return f;
}

/*
 * Splits @line in place at single spaces into at most @max fields and
 * returns how many; 0 for a blank line or a "#" comment.
 */
static inline size_t testvec_fields(char *line, char **fields, size_t max)
{
	size_t n = 0;
	char *save = NULL;
	char *tok;

	line[strcspn(line, "\r\n")] = '\0';
	if (line[0] == '\0' || line[0] == '#')
		return 0;
	for (tok = strtok_r(line, " ", &save); tok;
	     tok = strtok_r(NULL, " ", &save)) {
		assert_true(n < max);
		fields[n++] = tok;
	}
	return n;
}

/* Decodes a hex field ("-" is empty) into @out; the test fails on junk. */
static inline size_t testvec_hex(const char *hex, uint8_t *out, size_t cap)
{
	size_t len;

	if (strcmp(hex, "-") == 0)
		return 0;
	len = strlen(hex);
	assert_true(len % 2 == 0 && len / 2 <= cap);
	assert_int_equal(pawlink_hex_decode(out, len / 2, hex, len), 0);
	return len / 2;
}

/* A hex field that must be exactly @len bytes. */
static inline void testvec_hex_exact(const char *hex, uint8_t *out, size_t len)
{
	assert_int_equal(testvec_hex(hex, out, len), len);
}

/* A hex number field, e.g. an epoch or counter. */
static inline unsigned long long testvec_num(const char *hex)
{
	char *end;
	unsigned long long v = strtoull(hex, &end, 16);

	assert_true(*hex != '\0' && *end == '\0');
	return v;
}

/*
 * X25519 public keys of small order (0, 1, the two points of order 8, and
 * p - 1, p, p + 1): each gives an all-zero shared secret.  Returns the
 * @i-th as hex, or NULL past the last.
 */
static inline const char *testvec_x25519_low_order(size_t i)
{
	static const char *const points[] = {
		"0000000000000000000000000000000000000000000000000000000000000000",
		"0100000000000000000000000000000000000000000000000000000000000000",
		"e0eb7a7c3b41b8ae1656e3faf19fc46ada098deb9c32b1fd866205165f49b800",
		"5f9c95bca3508c24b1d0b1559c83ef5b04445cc4581c8e86d8224eddd09f1157",
		"ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
		"edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
		"eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
	};

	return i < sizeof(points) / sizeof(points[0]) ? points[i] : NULL;
}

#endif /* PAWLINK_TESTVEC_H */

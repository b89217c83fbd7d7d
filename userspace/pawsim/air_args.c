// SPDX-License-Identifier: GPL-2.0
/* Strict command-line values; see air_args.h. */
#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <string.h>

#include "air_args.h"
#include "bytes.h"

static int digit(char c)
{
	return c >= '0' && c <= '9' ? c - '0' : -1;
}

/* Appends one decimal digit to *@v, refusing overflow. */
static int push_digit(uint64_t *v, int d)
{
	if (*v > (UINT64_MAX - (uint64_t)d) / 10)
		return -ERANGE;
	*v = *v * 10 + (uint64_t)d;
	return 0;
}

int air_arg_fixed(const char *s, unsigned int frac_digits, uint64_t *out)
{
	unsigned int frac = 0;
	bool point = false, any = false;
	uint64_t v = 0;

	*out = 0;
	for (; *s; s++) {
		if (*s == '.' && !point) {
			point = true;
			continue;
		}
		if (digit(*s) < 0 || (point && frac == frac_digits))
			return -EINVAL;
		if (push_digit(&v, digit(*s)))
			return -ERANGE;
		any = true;
		frac += point;
	}
	if (!any)
		return -EINVAL;
	for (; frac < frac_digits; frac++)
		if (push_digit(&v, 0))
			return -ERANGE;
	*out = v;
	return 0;
}

int air_arg_rate(const char *s, uint64_t *out)
{
	char digits[32];
	uint64_t mult = 1, v;
	size_t n = strlen(s);
	int rc;

	*out = 0;
	if (n == 0 || n >= sizeof(digits))
		return -EINVAL;
	memcpy(digits, s, n + 1);
	switch (digits[n - 1]) {
	case 'k':
		mult = 1000;
		break;
	case 'M':
		mult = 1000000;
		break;
	case 'G':
		mult = 1000000000;
		break;
	}
	if (mult != 1)
		digits[n - 1] = '\0';
	rc = pawlink_decimal_parse(digits, &v);
	if (rc)
		return rc;
	if (v > UINT64_MAX / mult)
		return -ERANGE;
	*out = v * mult;
	return 0;
}

int air_arg_hex(const char *s, uint8_t *out, size_t cap, size_t *len)
{
	size_t n = strlen(s), i;

	*len = 0;
	if (n % 2 || n / 2 > cap)
		return n % 2 ? -EINVAL : -ERANGE;
	for (i = 0; i < n / 2; i++) {
		int v = 0, k;

		for (k = 0; k < 2; k++) {
			char c = s[2 * i + k];
			int d;

			if (c >= '0' && c <= '9')
				d = c - '0';
			else if (c >= 'a' && c <= 'f')
				d = c - 'a' + 10;
			else if (c >= 'A' && c <= 'F')
				d = c - 'A' + 10;
			else
				return -EINVAL;
			v = v << 4 | d;
		}
		out[i] = (uint8_t)v;
	}
	*len = n / 2;
	return 0;
}

int air_arg_id(const char *s, uint8_t id[PAWLINK_ID_LEN])
{
	size_t len;

	if (strlen(s) != 2 * PAWLINK_ID_LEN)
		return -EINVAL;
	return air_arg_hex(s, id, PAWLINK_ID_LEN, &len);
}

int air_arg_fd(const char *s, int *fd)
{
	uint64_t v;
	int rc = pawlink_decimal_parse(s, &v);

	if (rc)
		return rc;
	if (v > INT_MAX)
		return -ERANGE;
	*fd = (int)v;
	return 0;
}

// SPDX-License-Identifier: GPL-2.0
/* Small helpers shared by libpawlink; see bytes.h. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <sodium.h>

#include "bytes.h"

void pawlink_hex_encode(char *out, const uint8_t *bin, size_t len)
{
	sodium_bin2hex(out, 2 * len + 1, bin, len);
}

int pawlink_hex_decode(uint8_t *out, size_t out_len, const char *hex,
		       size_t hex_len)
{
	size_t bin_len = 0;
	const char *end = NULL;

	memset(out, 0, out_len);
	if (hex_len != 2 * out_len)
		return -EINVAL;
	/* sodium_hex2bin stops at the first non-hex character. */
	if (sodium_hex2bin(out, out_len, hex, hex_len, NULL, &bin_len,
			   &end) != 0 ||
	    bin_len != out_len || end != hex + hex_len) {
		sodium_memzero(out, out_len);
		return -EINVAL;
	}
	return 0;
}

void pawlink_errf(char *buf, size_t len, const char *fmt, ...)
{
	va_list ap;

	if (!buf || len == 0)
		return;
	va_start(ap, fmt);
	vsnprintf(buf, len, fmt, ap);
	va_end(ap);
}

int pawlink_is_zero(const uint8_t *p, size_t len)
{
	return sodium_is_zero(p, len);
}

int pawlink_decimal_parse(const char *text, uint64_t *out)
{
	uint64_t v = 0, d;

	*out = 0;
	if (!*text)
		return -EINVAL;
	for (; *text; text++) {
		if (*text < '0' || *text > '9')
			return -EINVAL;
		d = (uint64_t)(*text - '0');
		if (v > (UINT64_MAX - d) / 10)
			return -ERANGE;
		v = v * 10 + d;
	}
	*out = v;
	return 0;
}

/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Byte and text helpers every part of userspace shares: strict hex, a
 * constant-time all-zero test, and error-message formatting (byte order is
 * byteorder.h).  Nothing here ever sees a secret
 * it could print: callers pass only public data to pawlink_errf().
 */
#ifndef PAWLINK_BYTES_H
#define PAWLINK_BYTES_H

#include <stddef.h>
#include <stdint.h>

#define PAWLINK_ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

/* Hex-encodes @len bytes into @out (2 * @len + 1 bytes, NUL-terminated). */
void pawlink_hex_encode(char *out, const uint8_t *bin, size_t len);

/*
 * Decodes exactly 2 * @out_len hex digits (either case) from @hex, which is
 * @hex_len characters long and need not be NUL-terminated.  Anything else
 * (odd length, a non-hex character, too few or too many digits) is -EINVAL
 * and leaves @out zeroed.
 */
int pawlink_hex_decode(uint8_t *out, size_t out_len, const char *hex,
		       size_t hex_len);

/* Writes a formatted message into @buf if @buf is not NULL. */
void pawlink_errf(char *buf, size_t len, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/*
 * A decimal number and nothing else: no sign, no spaces, no base prefix.
 * 0, -EINVAL, or -ERANGE past UINT64_MAX.  The one strict number parser:
 * pawsim's options and libpawlink's pawlink_parse_uint() use it.
 */
int pawlink_decimal_parse(const char *text, uint64_t *out);

/* Non-zero when all @len bytes of @p are zero; constant time. */
int pawlink_is_zero(const uint8_t *p, size_t len);

#endif /* PAWLINK_BYTES_H */

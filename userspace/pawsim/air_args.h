/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Strict command-line values for every pawsim subcommand (air, toy,
 * dongle, rogue), so that each number is parsed one way: every parser
 * takes the whole string or fails with -EINVAL (-ERANGE when the value is
 * well formed but too large), never a prefix, a sign or a space.  A
 * whole decimal number is pawlink_decimal_parse() (proto/bytes.h), the
 * one parser libpawlink's pawlink_parse_uint() uses too.
 */
#ifndef PAWSIM_AIR_ARGS_H
#define PAWSIM_AIR_ARGS_H

#include <stddef.h>
#include <stdint.h>

#include <linux/pawlink.h>

/*
 * A non-negative decimal with up to @frac_digits digits after a point,
 * returned multiplied by 10^@frac_digits: ("1.5", 3) is 1500.
 */
int air_arg_fixed(const char *s, unsigned int frac_digits, uint64_t *out);
/* A bit rate: decimal digits with an optional k, M or G (powers of 1000). */
int air_arg_rate(const char *s, uint64_t *out);
/* A radio id: exactly 16 hex digits. */
int air_arg_id(const char *s, uint8_t id[PAWLINK_ID_LEN]);
/* Any even number of hex digits, at most @cap bytes; *@len gets the count. */
int air_arg_hex(const char *s, uint8_t *out, size_t cap, size_t *len);
/* A file descriptor number for --ready-fd. */
int air_arg_fd(const char *s, int *fd);

#endif /* PAWSIM_AIR_ARGS_H */

/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the message-protocol fuzz targets share besides fuzz_support.h: a
 * reader that cuts the fuzz input into bytes and length-prefixed frames.
 */
#ifndef PAWLINK_FUZZ_MSG_H
#define PAWLINK_FUZZ_MSG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <linux/pawlink.h>

#include "fuzz_support.h"

/* The fuzz input, consumed front to back. */
struct msg_fuzz_input {
	const uint8_t *p;
	size_t n;
};

static inline bool msg_fuzz_byte(struct msg_fuzz_input *in, uint8_t *b)
{
	if (in->n == 0)
		return false;
	*b = *in->p++;
	in->n--;
	return true;
}

/* A frame: little-endian 16-bit length (cut to what is left), then it. */
static inline bool msg_fuzz_frame(struct msg_fuzz_input *in,
				  const uint8_t **frame, size_t *len)
{
	size_t want;

	if (in->n < 2)
		return false;
	want = (size_t)(in->p[0] | in->p[1] << 8);
	in->p += 2;
	in->n -= 2;
	if (want > in->n)
		want = in->n;
	*frame = in->p;
	*len = want;
	in->p += want;
	in->n -= want;
	return true;
}

/* Appends @len bytes of @frame with its length prefix to a seed buffer. */
static inline size_t msg_fuzz_put_frame(uint8_t *seed, size_t at,
					const uint8_t *frame, size_t len)
{
	seed[at] = (uint8_t)len;
	seed[at + 1] = (uint8_t)(len >> 8);
	memcpy(seed + at + 2, frame, len);
	return at + 2 + len;
}

#endif /* PAWLINK_FUZZ_MSG_H */

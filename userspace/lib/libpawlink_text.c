// SPDX-License-Identifier: GPL-2.0
/*
 * What every part of the façade shares, at its bottom: the error sentence
 * and the checks that set it, and the text forms of ids and numbers
 * (libpawlink.h).
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "bytes.h"
#include "libpawlink_priv.h"
#include "msg_object.h"

int pawlink_fail(struct pawlink *p, int rc, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(p->err, sizeof(p->err), fmt, ap);
	va_end(ap);
	return rc;
}

int pawlink_need_session(struct pawlink *p)
{
	if (p->session)
		return 0;
	return pawlink_fail(p, -ENOTCONN,
			    "no session with a toy: connect first");
}

int pawlink_need_transport(struct pawlink *p)
{
	if (p->t)
		return 0;
	return pawlink_fail(p, -ENOTCONN,
			    "no way to reach a toy: attach a dongle or the simulated air first");
}

const char *pawlink_error(const struct pawlink *p)
{
	return p->err;
}

int pawlink_toy_id_parse(uint8_t id[PAWLINK_ID_LEN], const char *text)
{
	size_t len = strlen(text);

	if (len != PAWLINK_TOY_HEX_LEN)
		return -EINVAL;
	return pawlink_hex_decode(id, PAWLINK_ID_LEN, text, len);
}

void pawlink_toy_id_hex(char out[PAWLINK_TOY_HEX_LEN + 1],
			const uint8_t id[PAWLINK_ID_LEN])
{
	pawlink_hex_encode(out, id, PAWLINK_ID_LEN);
}

void pawlink_to_hex(char *out, const uint8_t *bin, size_t len)
{
	pawlink_hex_encode(out, bin, len);
}

const char *pawlink_event_name(uint8_t event)
{
	return pawlink_toy_event_name(event);
}

int pawlink_message_id_parse(uint8_t id[PAWLINK_MSG_ID_LEN], const char *text)
{
	return pawlink_msg_id_parse(id, text);
}

void pawlink_message_id_hex(char out[PAWLINK_MSG_HEX_LEN + 1],
			    const uint8_t id[PAWLINK_MSG_ID_LEN])
{
	pawlink_msg_id_hex(out, id);
}

int pawlink_parse_uint(const char *text, unsigned long lo, unsigned long hi,
		       unsigned long *out)
{
	uint64_t v;

	if (pawlink_decimal_parse(text, &v) || v < lo || v > hi)
		return -EINVAL;
	*out = (unsigned long)v;
	return 0;
}

// SPDX-License-Identifier: GPL-2.0
/*
 * The façade's one receive path (libpawlink_priv.h): every control frame
 * from the toy comes in here and is sorted by its type, so that each
 * exchange (a handshake, a toy command, a message transfer) sees only its
 * own frames and a late answer to one never ends another.
 */
#include <errno.h>
#include <limits.h>
#include <string.h>

#include <sodium.h>

#include "libpawlink_priv.h"
#include "msg_wire.h"

static unsigned int frame_class(const uint8_t *buf, size_t len)
{
	if (!len)
		return 0;
	if (buf[0] >= PAWLINK_PAIR_MSG_HELLO && buf[0] <= PAWLINK_PAIR_MSG_BUSY)
		return PAWLINK_RX_PAIR;
	if (buf[0] >= PAWLINK_SESS_INIT && buf[0] <= PAWLINK_SESS_REJECT)
		return PAWLINK_RX_SESSION;
	if (pawlink_msg_type_in_range(buf[0]))
		return PAWLINK_RX_MSG;
	if (buf[0] >= PAWLINK_TOY_TYPE_FIRST && buf[0] <= PAWLINK_TOY_TYPE_LAST)
		return PAWLINK_RX_TOY;
	return 0;
}

uint64_t pawlink_now_us(struct pawlink *p)
{
	return p->t->ops->now_us(p->t);
}

const char *pawlink_link_error(int rc)
{
	switch (rc) {
	case -ENODEV:
		return "the dongle is gone (unplugged?)";
	case -EHOSTUNREACH:
		return "the dongle does not hear the toy (out of range, or switched off)";
	case -ENOTCONN:
		return "the dongle's link to the toy is down (the toy went away, or another program ended the session)";
	case -EBUSY:
		return "the dongle holds a session already (a kept one ends with 'pawctl disconnect')";
	case -EOPNOTSUPP:
		/* The kernel path before pawlink.ko had the record layer. */
		return "this pawlink.ko cannot seal control frames (no record layer in the driver yet)";
	default:
		return strerror(-rc);
	}
}

int pawlink_send(struct pawlink *p, const uint8_t *buf, size_t len)
{
	int rc = p->t->ops->send(p->t, buf, len);

	if (rc)
		return pawlink_fail(p, rc, "sending to the toy failed: %s",
				    pawlink_link_error(rc));
	return 0;
}

/* The transport's recv() waits in ms, as poll(2) does; rounded up. */
static int wait_ms(struct pawlink *p, uint64_t deadline_us)
{
	uint64_t now = pawlink_now_us(p), ms;

	if (deadline_us <= now)
		return 0;
	ms = (deadline_us - now + 999) / 1000;
	return ms > INT_MAX ? INT_MAX : (int)ms;
}

int pawlink_receive(struct pawlink *p, uint64_t deadline_us,
		    unsigned int want, uint8_t *buf, size_t *len)
{
	unsigned int class;
	int rc;

	for (;;) {
		rc = p->t->ops->recv(p->t, buf, PAWLINK_FRAME_MAX, len,
				     wait_ms(p, deadline_us));
		if (rc)
			return rc;
		class = frame_class(buf, *len);
		if (class == PAWLINK_RX_MSG && p->msg)
			pawlink_msg_host_input(p->msg, buf, *len,
					       pawlink_now_us(p));
		if (class & want)
			return 0;
		/* Nobody waits for it: an answer that came too late. */
		sodium_memzero(buf, *len);
	}
}

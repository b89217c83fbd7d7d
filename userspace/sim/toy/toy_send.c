// SPDX-License-Identifier: GPL-2.0
/*
 * The one way out of the core: every record the toy sends, sealed for the
 * session's host or, for pairing and session handshakes only, in the
 * clear.  Beacons are the platform's own (radio_beacon).
 */
#include <errno.h>

#include "toy_priv.h"

int toy_send(struct toy *t, uint8_t channel, const uint8_t *pt, size_t len)
{
	uint8_t rec[PAWLINK_RECORD_MAX];
	size_t rec_len;
	int rc;

	if (!t->session)
		return -ENOTCONN;
	rc = pawlink_record_link_seal(&t->link, channel, pt, len, rec,
				      sizeof(rec), &rec_len);
	if (rc)
		return rc;
	return t->pf.radio_send(t->pf.ctx, t->peer, rec, rec_len);
}

int toy_send_plain(struct toy *t, const uint8_t dst[PAWLINK_ID_LEN],
		   const uint8_t *body, size_t len)
{
	uint8_t rec[PAWLINK_RECORD_MAX];
	size_t rec_len;
	int rc;

	rc = pawlink_record_write_plain(PAWLINK_CH_PLAIN, body, len, rec,
					sizeof(rec), &rec_len);
	if (rc)
		return rc;
	return t->pf.radio_send(t->pf.ctx, dst, rec, rec_len);
}

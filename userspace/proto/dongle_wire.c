// SPDX-License-Identifier: GPL-2.0
/*
 * The dongle's USB interface as a host reads it (dongle_wire.h).  The
 * rules are driver/usb.c's and driver/record.c's, in their order.
 */
#include <errno.h>
#include <string.h>

#include "byteorder.h"
#include "dongle_wire.h"

static bool all_zero(const uint8_t *p, size_t n)
{
	uint8_t acc = 0;

	while (n--)
		acc |= *p++;
	return !acc;
}

int dongle_wire_info(const uint8_t *buf, size_t n, struct dongle_info *out)
{
	const struct pawlink_dongle_info *w = (const void *)buf;

	if (n != sizeof(*w) ||
	    pawlink_load_le16(buf) != PAWLINK_USB_PROTOCOL ||
	    !all_zero(w->reserved, sizeof(w->reserved)))
		return -EPROTO;
	out->proto_version = pawlink_load_le16(buf);
	out->fw_version = pawlink_load_le16(buf + 2);
	memcpy(out->dongle_id, w->dongle_id, PAWLINK_ID_LEN);
	out->max_record = pawlink_load_le16(buf + 12);
	if (out->max_record < PAWLINK_RECORD_MAX)
		return -EMSGSIZE;
	return 0;
}

int dongle_wire_link(const uint8_t *buf, size_t n, struct pawlink_link *out)
{
	if (n != sizeof(*out))
		return -EPROTO;
	memcpy(out, buf, sizeof(*out));
	if (out->state > PAWLINK_LINK_LOST ||
	    !all_zero(out->reserved, sizeof(out->reserved)))
		return -EPROTO;
	return 0;
}

int dongle_wire_beacons(const uint8_t *buf, size_t n,
			struct pawlink_beacon *out)
{
	size_t i, count = n / sizeof(*out);

	if (n % sizeof(*out) || count > PAWLINK_SCAN_MAX)
		return -EPROTO;
	for (i = 0; i < count; i++) {
		memcpy(&out[i], buf + i * sizeof(*out), sizeof(*out));
		if (!all_zero(out[i].reserved, sizeof(out[i].reserved)))
			return -EPROTO;
	}
	return (int)count;
}

/* Which channels may arrive on which IN endpoint. */
static bool channel_allowed(unsigned int ep, uint8_t channel)
{
	if (ep == PAWLINK_EP_AUDIO_IN)
		return channel == PAWLINK_CH_AUDIO;
	return channel == PAWLINK_CH_PLAIN || channel == PAWLINK_CH_CTRL ||
	       channel == PAWLINK_CH_EVENT;
}

enum dongle_rx_verdict dongle_wire_rx_frame(unsigned int ep,
					    const uint8_t *rec, size_t n,
					    uint8_t *channel)
{
	size_t len;

	if (n < PAWLINK_REC_HDR_LEN || n > PAWLINK_RECORD_MAX)
		return DONGLE_RX_LENGTH;
	len = n - PAWLINK_REC_HDR_LEN;
	if (rec[0] != PAWLINK_REC_VERSION || !channel_allowed(ep, rec[1]))
		return DONGLE_RX_MALFORMED;
	if (pawlink_load_le16(rec + 2) != len)
		return DONGLE_RX_LENGTH;
	if (rec[1] == PAWLINK_CH_PLAIN) {
		if (len > PAWLINK_FRAME_MAX)
			return DONGLE_RX_LENGTH;
		/* No epoch or counter on channel 0. */
		if (!all_zero(rec + 4, 12))
			return DONGLE_RX_MALFORMED;
	}
	*channel = rec[1];
	return DONGLE_RX_OK;
}

enum dongle_rx_verdict dongle_wire_rx_keyed(const uint8_t *rec, size_t n,
					    uint32_t epoch)
{
	if (n - PAWLINK_REC_HDR_LEN < PAWLINK_TAG_LEN)
		return DONGLE_RX_LENGTH;
	if (pawlink_load_le64(rec + 8) >= PAWLINK_REKEY_AFTER)
		return DONGLE_RX_MALFORMED;
	if (pawlink_load_le32(rec + 4) != epoch)
		return DONGLE_RX_EPOCH;
	return DONGLE_RX_OK;
}

int dongle_wire_event(const uint8_t *rec, size_t n, uint64_t *number,
		      struct pawlink_link *link)
{
	const uint8_t *body = rec + PAWLINK_REC_HDR_LEN;

	if (n != PAWLINK_REC_HDR_LEN + sizeof(struct pawlink_event))
		return -EMSGSIZE;
	if (!all_zero(rec + 4, 4) || body[0] != PAWLINK_EVENT_LINK ||
	    body[4] > PAWLINK_LINK_LOST)
		return -EPROTO;
	*number = pawlink_load_le64(rec + 8);
	memcpy(link, body + 4, sizeof(*link));
	return 0;
}

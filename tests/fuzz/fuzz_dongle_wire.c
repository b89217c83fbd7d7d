// SPDX-License-Identifier: GPL-2.0
/*
 * Fuzzes what the libusb path reads from a dongle (dongle_wire.c): the
 * dongle is untrusted, and every byte of its EP0 replies and its bulk IN
 * transfers goes through these checks first.
 *
 * Input: one mode byte (taken modulo 6), then the reply or transfer:
 *   0 GET_INFO, 1 GET_LINK, 2 SCAN, 3 a transfer from control IN,
 *   4 a transfer from audio IN, 5 a LINK event.
 * Invariants: nothing is read past the input; what is accepted is what
 * usb-interface.rst allows (a protocol version 1 GET_INFO relaying whole
 * records, a link state that exists, reserved bytes zero, a record's len
 * the rest of its transfer on a channel its endpoint carries).
 */
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "byteorder.h"
#include "dongle_wire.h"
#include "fuzz_support.h"

enum { MODE_INFO, MODE_LINK, MODE_SCAN, MODE_CTRL_IN, MODE_AUDIO_IN,
       MODE_EVENT, NUM_MODES };

static void seed(const char *name, uint8_t mode, const uint8_t *body,
		 size_t len)
{
	uint8_t buf[1 + PAWLINK_RECORD_MAX];

	buf[0] = mode;
	memcpy(buf + 1, body, len);
	fuzz_write_seed(name, buf, len + 1);
}

static void write_seeds(void)
{
	uint8_t b[PAWLINK_RECORD_MAX];

	memset(b, 0, sizeof(b));
	pawlink_store_le16(b, PAWLINK_USB_PROTOCOL);
	pawlink_store_le16(b + 2, 0x0100);
	memset(b + 4, 0x42, PAWLINK_ID_LEN);
	pawlink_store_le16(b + 12, PAWLINK_RECORD_MAX);
	seed("get-info", MODE_INFO, b, 16);
	memset(b, 0, sizeof(b));
	b[0] = PAWLINK_LINK_CONNECTED;
	memset(b + 4, 0x6c, PAWLINK_ID_LEN);
	seed("get-link", MODE_LINK, b, 12);
	memset(b, 0, sizeof(b));
	memset(b, 0x6c, PAWLINK_ID_LEN);
	b[8] = PAWLINK_BEACON_PAIRING;
	b[9] = (uint8_t)-40;
	seed("scan", MODE_SCAN, b, 24);
	memset(b, 0, sizeof(b));
	b[0] = PAWLINK_REC_VERSION;
	b[1] = PAWLINK_CH_PLAIN;
	pawlink_store_le16(b + 2, 4);
	seed("plain", MODE_CTRL_IN, b, 20);
	b[1] = PAWLINK_CH_CTRL;
	pawlink_store_le16(b + 2, 32);
	pawlink_store_le32(b + 4, 1);
	seed("sealed", MODE_CTRL_IN, b, 48);
	b[1] = PAWLINK_CH_AUDIO;
	seed("audio", MODE_AUDIO_IN, b, 48);
	memset(b, 0, sizeof(b));
	b[0] = PAWLINK_REC_VERSION;
	b[1] = PAWLINK_CH_EVENT;
	pawlink_store_le16(b + 2, 16);
	pawlink_store_le64(b + 8, 1);
	b[16] = PAWLINK_EVENT_LINK;
	b[20] = PAWLINK_LINK_CONNECTED;
	seed("event", MODE_EVENT, b, 32);
}

FUZZ_INITIALIZE(fuzz_no_setup, write_seeds)

/* A copy of exactly @size bytes, so ASan sees a read past the input. */
static uint8_t *exact(const uint8_t *data, size_t size)
{
	uint8_t *p = malloc(size ? size : 1);

	FUZZ_CHECK(p != NULL);
	if (size)
		memcpy(p, data, size);
	return p;
}

static void check_info(const uint8_t *d, size_t n)
{
	struct dongle_info info;
	int rc = dongle_wire_info(d, n, &info);

	if (rc == -EPROTO)
		return;
	FUZZ_CHECK(n == 16 && info.proto_version == PAWLINK_USB_PROTOCOL);
	FUZZ_CHECK(d[14] == 0 && d[15] == 0);
	FUZZ_CHECK(rc == 0 ? info.max_record >= PAWLINK_RECORD_MAX :
		   rc == -EMSGSIZE && info.max_record < PAWLINK_RECORD_MAX);
}

static void check_scan(const uint8_t *d, size_t n)
{
	struct pawlink_beacon b[PAWLINK_SCAN_MAX];
	int count = dongle_wire_beacons(d, n, b), i;

	if (count < 0)
		return;
	FUZZ_CHECK((size_t)count * sizeof(b[0]) == n);
	for (i = 0; i < count; i++)
		FUZZ_CHECK(!b[i].reserved[0] && !b[i].reserved[1]);
}

static void check_rx(unsigned int ep, const uint8_t *d, size_t n)
{
	uint8_t channel = 0xff;
	enum dongle_rx_verdict v = dongle_wire_rx_frame(ep, d, n, &channel);

	if (v != DONGLE_RX_OK)
		return;
	FUZZ_CHECK(n >= PAWLINK_REC_HDR_LEN && n <= PAWLINK_RECORD_MAX);
	FUZZ_CHECK(pawlink_load_le16(d + 2) == n - PAWLINK_REC_HDR_LEN);
	FUZZ_CHECK(ep == PAWLINK_EP_AUDIO_IN ? channel == PAWLINK_CH_AUDIO :
		   channel != PAWLINK_CH_AUDIO &&
		   channel <= PAWLINK_CH_EVENT);
	if (channel == PAWLINK_CH_CTRL || channel == PAWLINK_CH_AUDIO) {
		if (dongle_wire_rx_keyed(d, n, 1) == DONGLE_RX_OK)
			FUZZ_CHECK(n >= PAWLINK_REC_HDR_LEN + PAWLINK_TAG_LEN &&
				   pawlink_load_le32(d + 4) == 1);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct pawlink_link link;
	uint64_t number;
	uint8_t *d;
	size_t n;

	if (size < 1)
		return 0;
	n = size - 1;
	d = exact(data + 1, n);
	switch (data[0] % NUM_MODES) {
	case MODE_INFO:
		check_info(d, n);
		break;
	case MODE_LINK:
		if (dongle_wire_link(d, n, &link) == 0)
			FUZZ_CHECK(n == 12 && link.state <= PAWLINK_LINK_LOST);
		break;
	case MODE_SCAN:
		check_scan(d, n);
		break;
	case MODE_CTRL_IN:
		check_rx(PAWLINK_EP_CTRL_IN, d, n);
		break;
	case MODE_AUDIO_IN:
		check_rx(PAWLINK_EP_AUDIO_IN, d, n);
		break;
	default:
		if (n >= PAWLINK_REC_HDR_LEN &&
		    dongle_wire_event(d, n, &number, &link) == 0)
			FUZZ_CHECK(link.state <= PAWLINK_LINK_LOST &&
				   number == pawlink_load_le64(d + 8));
		break;
	}
	free(d);
	return 0;
}

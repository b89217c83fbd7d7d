// SPDX-License-Identifier: GPL-2.0
/*
 * What the libusb path reads from a dongle (dongle_wire.h), held to
 * Documentation/usb-interface.rst and to the driver's verdicts: GET_INFO,
 * GET_LINK and SCAN replies checked field by field, the framing rule of
 * each IN endpoint, a keyed record's length, counter and epoch in the
 * driver's order, and LINK events.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "byteorder.h"
#include "dongle_wire.h"

static void good_info(uint8_t buf[16])
{
	memset(buf, 0, 16);
	pawlink_store_le16(buf, PAWLINK_USB_PROTOCOL);
	pawlink_store_le16(buf + 2, 0x0100);
	memset(buf + 4, 0xab, PAWLINK_ID_LEN);
	pawlink_store_le16(buf + 12, PAWLINK_RECORD_MAX);
}

static void test_info(void **state)
{
	struct dongle_info info;
	uint8_t buf[17];

	(void)state;
	good_info(buf);
	assert_int_equal(0, dongle_wire_info(buf, 16, &info));
	assert_int_equal(0x0100, info.fw_version);
	assert_int_equal(PAWLINK_RECORD_MAX, info.max_record);
	assert_int_equal(0xab, info.dongle_id[7]);
	/* Bigger is capped by the host, not refused (big-record). */
	pawlink_store_le16(buf + 12, 4224);
	assert_int_equal(0, dongle_wire_info(buf, 16, &info));
	/* Each fault mode of pawsim dongle's GET_INFO. */
	assert_int_equal(-EPROTO, dongle_wire_info(buf, 15, &info));
	assert_int_equal(-EPROTO, dongle_wire_info(buf, 17, &info));
	good_info(buf);
	pawlink_store_le16(buf, PAWLINK_USB_PROTOCOL + 1);
	assert_int_equal(-EPROTO, dongle_wire_info(buf, 16, &info));
	good_info(buf);
	buf[15] = 1;
	assert_int_equal(-EPROTO, dongle_wire_info(buf, 16, &info));
	good_info(buf);
	pawlink_store_le16(buf + 12, PAWLINK_RECORD_MAX - 1);
	assert_int_equal(-EMSGSIZE, dongle_wire_info(buf, 16, &info));
}

static void test_link_and_beacons(void **state)
{
	struct pawlink_beacon b[PAWLINK_SCAN_MAX];
	uint8_t buf[12 * (PAWLINK_SCAN_MAX + 1)];
	struct pawlink_link link;

	(void)state;
	memset(buf, 0, sizeof(buf));
	buf[0] = PAWLINK_LINK_CONNECTED;
	assert_int_equal(0, dongle_wire_link(buf, 12, &link));
	assert_int_equal(PAWLINK_LINK_CONNECTED, link.state);
	assert_int_equal(-EPROTO, dongle_wire_link(buf, 11, &link));
	buf[0] = PAWLINK_LINK_LOST + 1;
	assert_int_equal(-EPROTO, dongle_wire_link(buf, 12, &link));
	buf[0] = 0;
	buf[2] = 1;
	assert_int_equal(-EPROTO, dongle_wire_link(buf, 12, &link));

	memset(buf, 0, sizeof(buf));
	assert_int_equal(0, dongle_wire_beacons(buf, 0, b));
	assert_int_equal(2, dongle_wire_beacons(buf, 24, b));
	assert_int_equal(-EPROTO, dongle_wire_beacons(buf, 23, b));
	assert_int_equal(-EPROTO, dongle_wire_beacons(buf, sizeof(buf), b));
	buf[12 + 11] = 1;		/* reserved-beacon */
	assert_int_equal(-EPROTO, dongle_wire_beacons(buf, 24, b));
}

/* A record of @len bytes of body on @channel, epoch and counter given. */
static size_t record(uint8_t *rec, uint8_t channel, size_t len,
		     uint32_t epoch, uint64_t counter)
{
	memset(rec, 0, PAWLINK_REC_HDR_LEN + len);
	rec[0] = PAWLINK_REC_VERSION;
	rec[1] = channel;
	pawlink_store_le16(rec + 2, (uint16_t)len);
	pawlink_store_le32(rec + 4, epoch);
	pawlink_store_le64(rec + 8, counter);
	return PAWLINK_REC_HDR_LEN + len;
}

static void test_framing(void **state)
{
	uint8_t rec[PAWLINK_RECORD_MAX + 16], ch = 0xee;
	size_t n;

	(void)state;
	n = record(rec, PAWLINK_CH_PLAIN, 4, 0, 0);
	assert_int_equal(DONGLE_RX_OK,
			 dongle_wire_rx_frame(PAWLINK_EP_CTRL_IN, rec, n, &ch));
	assert_int_equal(PAWLINK_CH_PLAIN, ch);
	/* Too short for a header; len not the rest (truncated). */
	assert_int_equal(DONGLE_RX_LENGTH,
			 dongle_wire_rx_frame(PAWLINK_EP_CTRL_IN, rec, 15, &ch));
	assert_int_equal(DONGLE_RX_LENGTH,
			 dongle_wire_rx_frame(PAWLINK_EP_CTRL_IN, rec, n - 1,
					      &ch));
	/* Plaintext with an epoch or a counter. */
	n = record(rec, PAWLINK_CH_PLAIN, 4, 0, 1);
	assert_int_equal(DONGLE_RX_MALFORMED,
			 dongle_wire_rx_frame(PAWLINK_EP_CTRL_IN, rec, n, &ch));
	/* Channels by endpoint. */
	n = record(rec, PAWLINK_CH_AUDIO, 40, 1, 0);
	assert_int_equal(DONGLE_RX_MALFORMED,
			 dongle_wire_rx_frame(PAWLINK_EP_CTRL_IN, rec, n, &ch));
	assert_int_equal(DONGLE_RX_OK,
			 dongle_wire_rx_frame(PAWLINK_EP_AUDIO_IN, rec, n, &ch));
	n = record(rec, PAWLINK_CH_CTRL, 40, 1, 0);
	assert_int_equal(DONGLE_RX_MALFORMED,
			 dongle_wire_rx_frame(PAWLINK_EP_AUDIO_IN, rec, n, &ch));
	rec[0] = 2;
	assert_int_equal(DONGLE_RX_MALFORMED,
			 dongle_wire_rx_frame(PAWLINK_EP_CTRL_IN, rec, n, &ch));
	/* More than a record (oversized, with a bigger buffer). */
	n = record(rec, PAWLINK_CH_CTRL, PAWLINK_RECORD_MAX + 1 -
		   PAWLINK_REC_HDR_LEN, 1, 0);
	assert_int_equal(DONGLE_RX_LENGTH,
			 dongle_wire_rx_frame(PAWLINK_EP_CTRL_IN, rec, n, &ch));
}

static void test_keyed(void **state)
{
	uint8_t rec[PAWLINK_RECORD_MAX];
	size_t n;

	(void)state;
	n = record(rec, PAWLINK_CH_CTRL, 40, 3, 7);
	assert_int_equal(DONGLE_RX_OK, dongle_wire_rx_keyed(rec, n, 3));
	assert_int_equal(DONGLE_RX_EPOCH, dongle_wire_rx_keyed(rec, n, 2));
	assert_int_equal(DONGLE_RX_EPOCH, dongle_wire_rx_keyed(rec, n, 4));
	/* Shorter than a tag (cut), before anything else. */
	n = record(rec, PAWLINK_CH_CTRL, 8, 2, 7);
	assert_int_equal(DONGLE_RX_LENGTH, dongle_wire_rx_keyed(rec, n, 3));
	n = record(rec, PAWLINK_CH_CTRL, 40, 2, PAWLINK_REKEY_AFTER);
	assert_int_equal(DONGLE_RX_MALFORMED, dongle_wire_rx_keyed(rec, n, 3));
}

static void test_event(void **state)
{
	uint8_t rec[64];
	struct pawlink_link link;
	uint64_t number;
	size_t n;

	(void)state;
	n = record(rec, PAWLINK_CH_EVENT, 16, 0, 5);
	rec[16] = PAWLINK_EVENT_LINK;
	rec[20] = PAWLINK_LINK_CONNECTED;
	memset(rec + 24, 0x5a, PAWLINK_ID_LEN);
	assert_int_equal(0, dongle_wire_event(rec, n, &number, &link));
	assert_int_equal(5, number);
	assert_int_equal(PAWLINK_LINK_CONNECTED, link.state);
	assert_int_equal(0x5a, link.toy_id[0]);
	assert_int_equal(-EMSGSIZE, dongle_wire_event(rec, n - 1, &number,
						       &link));
	rec[20] = PAWLINK_LINK_LOST + 1;
	assert_int_equal(-EPROTO, dongle_wire_event(rec, n, &number, &link));
	rec[20] = PAWLINK_LINK_IDLE;
	rec[16] = 2;
	assert_int_equal(-EPROTO, dongle_wire_event(rec, n, &number, &link));
	rec[16] = PAWLINK_EVENT_LINK;
	rec[4] = 1;				/* an epoch on an event */
	assert_int_equal(-EPROTO, dongle_wire_event(rec, n, &number, &link));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_info),
		cmocka_unit_test(test_link_and_beacons),
		cmocka_unit_test(test_framing),
		cmocka_unit_test(test_keyed),
		cmocka_unit_test(test_event),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

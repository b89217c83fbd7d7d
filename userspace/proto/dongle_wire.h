/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The dongle's USB interface as a host reads it (Documentation/
 * usb-interface.rst), with no I/O: the checks of the EP0 replies, the
 * framing rule of the bulk IN endpoints, the dongle's LINK events, and
 * the verdicts on a keyed record in the driver's order, so a host in
 * userspace (transport_usb.c) drops and counts what pawlink.ko drops and
 * counts.  The dongle is untrusted: every field is checked before use.
 */
#ifndef PAWLINK_DONGLE_WIRE_H
#define PAWLINK_DONGLE_WIRE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <linux/pawlink.h>

/* bmRequestType of the vendor requests, addressed to the interface. */
#define DONGLE_REQ_TYPE_IN	0xc1
#define DONGLE_REQ_TYPE_OUT	0x41

/* GET_INFO's reply, host order, once checked. */
struct dongle_info {
	uint16_t proto_version;
	uint16_t fw_version;
	uint8_t dongle_id[PAWLINK_ID_LEN];
	uint16_t max_record;
};

/*
 * GET_INFO's @n bytes: 0, or -EPROTO for a reply of another size,
 * protocol version or with reserved bits set, -EMSGSIZE for a max_record
 * below PAWLINK_RECORD_MAX (the host's records would not pass).
 */
int dongle_wire_info(const uint8_t *buf, size_t n, struct dongle_info *out);
/* GET_LINK's @n bytes: 0 or -EPROTO. */
int dongle_wire_link(const uint8_t *buf, size_t n, struct pawlink_link *out);
/* SCAN's @n bytes into @out (PAWLINK_SCAN_MAX): the count, or -EPROTO. */
int dongle_wire_beacons(const uint8_t *buf, size_t n,
			struct pawlink_beacon *out);

/* Why a record from an IN endpoint is not taken, as struct pawlink_stats. */
enum dongle_rx_verdict {
	DONGLE_RX_OK,
	DONGLE_RX_LENGTH,	/* rx_dropped_length */
	DONGLE_RX_MALFORMED,	/* rx_dropped_malformed */
	DONGLE_RX_EPOCH,	/* rx_dropped_epoch */
};

/*
 * The framing of one transfer of @n bytes from IN endpoint position @ep
 * (PAWLINK_EP_CTRL_IN or _AUDIO_IN): at least a header, version 1, a
 * channel that endpoint carries, a len that is the rest; a plaintext
 * record no longer than a frame, with epoch and counter 0.  *@channel is
 * the record's when OK.
 */
enum dongle_rx_verdict dongle_wire_rx_frame(unsigned int ep,
					    const uint8_t *rec, size_t n,
					    uint8_t *channel);
/*
 * A keyed record of a session under @epoch, after the framing: the body
 * holds a tag, the counter is below PAWLINK_REKEY_AFTER and the epoch is
 * the session's (in the driver's order; replay and tag are the record
 * layer's).
 */
enum dongle_rx_verdict dongle_wire_rx_keyed(const uint8_t *rec, size_t n,
					    uint32_t epoch);

/*
 * A LINK event's record (channel EVENT, framing checked): 0 with its
 * number and link, -EMSGSIZE (rx_dropped_length) or -EPROTO
 * (rx_dropped_malformed).
 */
int dongle_wire_event(const uint8_t *rec, size_t n, uint64_t *number,
		      struct pawlink_link *link);

#endif /* PAWLINK_DONGLE_WIRE_H */

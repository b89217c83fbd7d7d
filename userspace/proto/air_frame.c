// SPDX-License-Identifier: GPL-2.0
/* The air frame codec; the rules are in Documentation/air.rst. */
#include <string.h>

#include "air_frame.h"
#include "byteorder.h"

_Static_assert(sizeof(struct pawlink_air_hdr) == PAWLINK_AIR_HDR_LEN,
	       "air header is 20 bytes");
_Static_assert(sizeof(struct pawlink_air_beacon) == PAWLINK_AIR_BEACON_LEN,
	       "air beacon is 9 bytes");
_Static_assert(sizeof(struct pawlink_rec_hdr) == PAWLINK_REC_HDR_LEN,
	       "record header is 16 bytes");
_Static_assert(PAWLINK_AIR_FRAME_MAX - PAWLINK_AIR_HDR_LEN <= UINT16_MAX,
	       "payload length fits the 16-bit len field");

/* Offsets in the header (struct pawlink_air_hdr). */
#define HDR_VERSION	0
#define HDR_TYPE	1
#define HDR_LEN		2
#define HDR_SRC		4
#define HDR_DST		(HDR_SRC + PAWLINK_ID_LEN)

/* Offsets in a record header (struct pawlink_rec_hdr). */
#define REC_VERSION	0
#define REC_CHANNEL	1
#define REC_LEN		2

const uint8_t air_broadcast_id[PAWLINK_ID_LEN] = {
	0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
};

bool air_id_is_broadcast(const uint8_t id[PAWLINK_ID_LEN])
{
	return memcmp(id, air_broadcast_id, PAWLINK_ID_LEN) == 0;
}

bool air_id_is_zero(const uint8_t id[PAWLINK_ID_LEN])
{
	static const uint8_t zero[PAWLINK_ID_LEN];

	return memcmp(id, zero, PAWLINK_ID_LEN) == 0;
}

bool air_id_is_radio(const uint8_t id[PAWLINK_ID_LEN])
{
	return !air_id_is_zero(id) && !air_id_is_broadcast(id);
}

static enum air_frame_status check_beacon(const uint8_t *src,
					  const uint8_t *dst,
					  const uint8_t *payload, size_t len)
{
	const struct pawlink_air_beacon *b;

	if (!air_id_is_broadcast(dst))
		return AIR_FRAME_EDST;
	if (len != PAWLINK_AIR_BEACON_LEN)
		return AIR_FRAME_EBEACON;
	b = (const struct pawlink_air_beacon *)payload;
	/* A beacon names the radio that sends it, nothing else. */
	if (memcmp(b->toy_id, src, PAWLINK_ID_LEN) != 0)
		return AIR_FRAME_EBEACON;
	if (b->flags & ~PAWLINK_BEACON_PAIRING)
		return AIR_FRAME_EBEACON;
	return AIR_FRAME_OK;
}

/*
 * The air only needs to know where the record ends; what the header
 * claims about keys and counters is checked by the endpoints.
 */
static enum air_frame_status check_data(const uint8_t *src,
					const uint8_t *dst,
					const uint8_t *payload, size_t len)
{
	uint8_t channel;

	if (air_id_is_zero(dst) || air_id_is_broadcast(dst) ||
	    memcmp(src, dst, PAWLINK_ID_LEN) == 0)
		return AIR_FRAME_EDST;
	if (len < PAWLINK_REC_HDR_LEN || len > PAWLINK_RECORD_MAX)
		return AIR_FRAME_ERECORD;
	if (payload[REC_VERSION] != PAWLINK_REC_VERSION)
		return AIR_FRAME_ERECORD;
	channel = payload[REC_CHANNEL];
	if (channel != PAWLINK_CH_PLAIN && channel != PAWLINK_CH_CTRL &&
	    channel != PAWLINK_CH_AUDIO)
		return AIR_FRAME_ERECORD;
	if (pawlink_load_le16(payload + REC_LEN) != len - PAWLINK_REC_HDR_LEN)
		return AIR_FRAME_ERECORD;
	return AIR_FRAME_OK;
}

enum air_frame_status air_frame_parse(const uint8_t *buf, size_t len,
				      struct air_frame *f)
{
	enum air_frame_status st;
	const uint8_t *src, *dst, *payload;
	size_t payload_len;
	uint8_t type;

	memset(f, 0, sizeof(*f));
	if (len < PAWLINK_AIR_HDR_LEN)
		return AIR_FRAME_ESHORT;
	if (len > PAWLINK_AIR_FRAME_MAX)
		return AIR_FRAME_ELONG;
	if (buf[HDR_VERSION] != PAWLINK_AIR_VERSION)
		return AIR_FRAME_EVERSION;
	type = buf[HDR_TYPE];
	if (type != PAWLINK_AIR_BEACON && type != PAWLINK_AIR_DATA)
		return AIR_FRAME_ETYPE;
	payload_len = len - PAWLINK_AIR_HDR_LEN;
	if (pawlink_load_le16(buf + HDR_LEN) != payload_len)
		return AIR_FRAME_ELENGTH;
	src = buf + HDR_SRC;
	dst = buf + HDR_DST;
	if (air_id_is_zero(src) || air_id_is_broadcast(src))
		return AIR_FRAME_ESRC;
	payload = buf + PAWLINK_AIR_HDR_LEN;
	if (type == PAWLINK_AIR_BEACON)
		st = check_beacon(src, dst, payload, payload_len);
	else
		st = check_data(src, dst, payload, payload_len);
	if (st != AIR_FRAME_OK)
		return st;

	f->type = type;
	memcpy(f->src, src, PAWLINK_ID_LEN);
	memcpy(f->dst, dst, PAWLINK_ID_LEN);
	f->payload = payload;
	f->payload_len = payload_len;
	return AIR_FRAME_OK;
}

const char *air_frame_strerror(enum air_frame_status status)
{
	static const char *const text[AIR_FRAME_NSTATUS] = {
		[AIR_FRAME_OK] = "valid frame",
		[AIR_FRAME_ESHORT] = "shorter than the air header",
		[AIR_FRAME_ELONG] = "longer than the largest air frame",
		[AIR_FRAME_EVERSION] = "unknown air frame version",
		[AIR_FRAME_ETYPE] = "unknown air frame type",
		[AIR_FRAME_ELENGTH] = "length field does not match the frame",
		[AIR_FRAME_ESRC] = "source id is zero or broadcast",
		[AIR_FRAME_EDST] = "destination id not allowed for this type",
		[AIR_FRAME_EBEACON] = "malformed beacon payload",
		[AIR_FRAME_ERECORD] = "payload is not one well-framed record",
	};

	if ((unsigned int)status >= AIR_FRAME_NSTATUS)
		return "unknown status";
	return text[status];
}

size_t air_frame_build(uint8_t *out, size_t cap, uint8_t type,
		       const uint8_t src[PAWLINK_ID_LEN],
		       const uint8_t dst[PAWLINK_ID_LEN],
		       const void *payload, size_t payload_len)
{
	size_t len;

	if (payload_len > PAWLINK_AIR_FRAME_MAX - PAWLINK_AIR_HDR_LEN)
		return 0;
	len = PAWLINK_AIR_HDR_LEN + payload_len;
	if (len > cap)
		return 0;
	out[HDR_VERSION] = PAWLINK_AIR_VERSION;
	out[HDR_TYPE] = type;
	pawlink_store_le16(out + HDR_LEN, (uint16_t)payload_len);
	memcpy(out + HDR_SRC, src, PAWLINK_ID_LEN);
	memcpy(out + HDR_DST, dst, PAWLINK_ID_LEN);
	if (payload_len)
		memcpy(out + PAWLINK_AIR_HDR_LEN, payload, payload_len);
	return len;
}

size_t air_frame_build_beacon(uint8_t *out, size_t cap,
			      const uint8_t toy_id[PAWLINK_ID_LEN],
			      uint8_t flags)
{
	struct pawlink_air_beacon b;

	memcpy(b.toy_id, toy_id, PAWLINK_ID_LEN);
	b.flags = flags;
	return air_frame_build(out, cap, PAWLINK_AIR_BEACON, toy_id,
			       air_broadcast_id, &b, sizeof(b));
}

/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Air frames (include/uapi/pawlink.h, Documentation/air.rst): a strict
 * parser and builders.  Everything that reaches or leaves the air goes
 * through air_frame_parse(), so a frame it accepts is safe to interpret
 * with no further length checks.
 */
#ifndef PAWLINK_AIR_FRAME_H
#define PAWLINK_AIR_FRAME_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <pawlink/air.h>

/* Why air_frame_parse() refused a frame; 0 is a valid frame. */
enum air_frame_status {
	AIR_FRAME_OK = 0,
	AIR_FRAME_ESHORT,	/* shorter than the header */
	AIR_FRAME_ELONG,	/* longer than PAWLINK_AIR_FRAME_MAX */
	AIR_FRAME_EVERSION,	/* not PAWLINK_AIR_VERSION */
	AIR_FRAME_ETYPE,	/* not BEACON or DATA */
	AIR_FRAME_ELENGTH,	/* header len is not the payload's size */
	AIR_FRAME_ESRC,		/* source is zero or broadcast */
	AIR_FRAME_EDST,		/* destination wrong for the type */
	AIR_FRAME_EBEACON,	/* beacon payload malformed */
	AIR_FRAME_ERECORD,	/* data payload is not one well-framed record */
	AIR_FRAME_NSTATUS
};

/* A parsed frame.  @payload points into the buffer that was parsed. */
struct air_frame {
	uint8_t type;				/* PAWLINK_AIR_* */
	uint8_t src[PAWLINK_ID_LEN];
	uint8_t dst[PAWLINK_ID_LEN];
	const uint8_t *payload;
	size_t payload_len;
};

/* The broadcast id: all eight bytes 0xff. */
extern const uint8_t air_broadcast_id[PAWLINK_ID_LEN];

bool air_id_is_broadcast(const uint8_t id[PAWLINK_ID_LEN]);
bool air_id_is_zero(const uint8_t id[PAWLINK_ID_LEN]);
/* An id a radio may have: neither all zeros (none) nor broadcast. */
bool air_id_is_radio(const uint8_t id[PAWLINK_ID_LEN]);

/*
 * Checks every rule of Documentation/air.rst ("Validity") and fills @f.
 * Returns AIR_FRAME_OK or the first rule @buf breaks; @f is then zeroed.
 */
enum air_frame_status air_frame_parse(const uint8_t *buf, size_t len,
				      struct air_frame *f);

/* A short, fixed description of @status for messages. */
const char *air_frame_strerror(enum air_frame_status status);

/*
 * Writes the header and @payload into @out (@cap bytes).  Returns the
 * frame's length, or 0 if it does not fit or @payload_len exceeds the
 * largest payload.  It does not validate: parse the result for that.
 */
size_t air_frame_build(uint8_t *out, size_t cap, uint8_t type,
		       const uint8_t src[PAWLINK_ID_LEN],
		       const uint8_t dst[PAWLINK_ID_LEN],
		       const void *payload, size_t payload_len);

/* A beacon from @toy_id with @flags; returns its length or 0. */
size_t air_frame_build_beacon(uint8_t *out, size_t cap,
			      const uint8_t toy_id[PAWLINK_ID_LEN],
			      uint8_t flags);

#endif /* PAWLINK_AIR_FRAME_H */

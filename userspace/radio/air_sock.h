/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The air socket protocol: what `pawsim air` and a radio (radio_open())
 * say over their UNIX SOCK_SEQPACKET connection.  One message per packet:
 * a 16-byte header, then a body whose size the kind fixes.  Byte by byte
 * in Documentation/air.rst ("The air socket").
 */
#ifndef PAWLINK_AIR_PROTO_H
#define PAWLINK_AIR_PROTO_H

#include <stddef.h>
#include <stdint.h>

#include "air_params.h"

#define AIR_PROTO_VERSION	1
#define AIR_MSG_HDR_LEN		16

enum air_msg_kind {
	AIR_MSG_WELCOME = 1,	/* air -> radio, first message: the air's setup */
	AIR_MSG_FRAME = 2,	/* either way: one air frame */
	AIR_MSG_SET_ID = 3,	/* radio -> air: its id, for the stats */
	AIR_MSG_STATS_REQ = 4,	/* radio -> air: no body */
	AIR_MSG_STATS = 5,	/* air -> radio: struct air_stats */
};

/*
 * The largest frame body a radio may send.  It is larger than the largest
 * valid frame so that a rogue can offer oversized frames, which the air
 * then refuses and counts.
 */
#define AIR_MSG_FRAME_MAX	2048
#define AIR_MSG_WELCOME_LEN	24
#define AIR_STATS_GLOBAL_LEN	104
#define AIR_STATS_RADIO_LEN	72
#define AIR_MSG_STATS_MAX \
	(AIR_STATS_GLOBAL_LEN + AIR_RADIOS_MAX * AIR_STATS_RADIO_LEN)
/* A buffer that holds any valid message. */
#define AIR_MSG_MAX		(AIR_MSG_HDR_LEN + AIR_MSG_STATS_MAX)

struct air_msg {
	uint8_t kind;		/* enum air_msg_kind */
	uint64_t time_ns;	/* air time it was sent; 0 from radios */
	const uint8_t *body;	/* points into the parsed buffer */
	size_t body_len;
};

/* What WELCOME tells a new radio. */
struct air_welcome {
	uint64_t rate_bps;
	uint64_t latency_ns;
	uint32_t loss_ppm;
	uint32_t index;		/* the radio's join number */
};

/*
 * Strict: version, zero reserved bytes, a known kind and the body size
 * that kind requires.  0 or -EINVAL.
 */
int air_msg_parse(const uint8_t *buf, size_t len, struct air_msg *msg);

/* Writes a header into @buf (AIR_MSG_HDR_LEN bytes). */
void air_msg_put_hdr(uint8_t *buf, uint8_t kind, uint64_t time_ns);

/* Each returns the whole message's length; @buf holds AIR_MSG_MAX. */
size_t air_msg_welcome(uint8_t *buf, uint64_t time_ns,
		       const struct air_welcome *w);
size_t air_msg_frame(uint8_t *buf, uint64_t time_ns, const uint8_t *frame,
		     size_t len);
size_t air_msg_set_id(uint8_t *buf, const uint8_t id[PAWLINK_ID_LEN]);
size_t air_msg_stats_req(uint8_t *buf);
size_t air_msg_stats(uint8_t *buf, const struct air_stats *st);

/* Decode the bodies of parsed messages; 0 or -EINVAL. */
int air_msg_get_welcome(const struct air_msg *msg, struct air_welcome *w);
int air_msg_get_stats(const struct air_msg *msg, struct air_stats *st);

#endif /* PAWLINK_AIR_PROTO_H */

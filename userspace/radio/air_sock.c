// SPDX-License-Identifier: GPL-2.0
/* The air socket protocol codec; see air_sock.h and Documentation/air.rst. */
#include <errno.h>
#include <string.h>

#include "byteorder.h"
#include "air_sock.h"

/* Header: version, kind, six reserved zero bytes, le64 time. */
#define MSG_VERSION	0
#define MSG_KIND	1
#define MSG_RESERVED	2
#define MSG_RESERVED_LEN 6
#define MSG_TIME	8

static int body_len_ok(uint8_t kind, size_t len)
{
	switch (kind) {
	case AIR_MSG_WELCOME:
		return len == AIR_MSG_WELCOME_LEN;
	case AIR_MSG_FRAME:
		return len >= 1 && len <= AIR_MSG_FRAME_MAX;
	case AIR_MSG_SET_ID:
		return len == PAWLINK_ID_LEN;
	case AIR_MSG_STATS_REQ:
		return len == 0;
	case AIR_MSG_STATS:
		return len >= AIR_STATS_GLOBAL_LEN &&
		       len <= AIR_MSG_STATS_MAX &&
		       (len - AIR_STATS_GLOBAL_LEN) % AIR_STATS_RADIO_LEN == 0;
	default:
		return 0;
	}
}

int air_msg_parse(const uint8_t *buf, size_t len, struct air_msg *msg)
{
	static const uint8_t zero[MSG_RESERVED_LEN];

	memset(msg, 0, sizeof(*msg));
	if (len < AIR_MSG_HDR_LEN || len > AIR_MSG_MAX)
		return -EINVAL;
	if (buf[MSG_VERSION] != AIR_PROTO_VERSION)
		return -EINVAL;
	if (memcmp(buf + MSG_RESERVED, zero, MSG_RESERVED_LEN) != 0)
		return -EINVAL;
	if (!body_len_ok(buf[MSG_KIND], len - AIR_MSG_HDR_LEN))
		return -EINVAL;
	msg->kind = buf[MSG_KIND];
	msg->time_ns = pawlink_load_le64(buf + MSG_TIME);
	msg->body = buf + AIR_MSG_HDR_LEN;
	msg->body_len = len - AIR_MSG_HDR_LEN;
	return 0;
}

void air_msg_put_hdr(uint8_t *buf, uint8_t kind, uint64_t time_ns)
{
	buf[MSG_VERSION] = AIR_PROTO_VERSION;
	buf[MSG_KIND] = kind;
	memset(buf + MSG_RESERVED, 0, MSG_RESERVED_LEN);
	pawlink_store_le64(buf + MSG_TIME, time_ns);
}

size_t air_msg_welcome(uint8_t *buf, uint64_t time_ns,
		       const struct air_welcome *w)
{
	uint8_t *b = buf + AIR_MSG_HDR_LEN;

	air_msg_put_hdr(buf, AIR_MSG_WELCOME, time_ns);
	pawlink_store_le64(b, w->rate_bps);
	pawlink_store_le64(b + 8, w->latency_ns);
	pawlink_store_le32(b + 16, w->loss_ppm);
	pawlink_store_le32(b + 20, w->index);
	return AIR_MSG_HDR_LEN + AIR_MSG_WELCOME_LEN;
}

int air_msg_get_welcome(const struct air_msg *msg, struct air_welcome *w)
{
	const uint8_t *b = msg->body;

	memset(w, 0, sizeof(*w));
	if (msg->kind != AIR_MSG_WELCOME ||
	    msg->body_len != AIR_MSG_WELCOME_LEN)
		return -EINVAL;
	w->rate_bps = pawlink_load_le64(b);
	w->latency_ns = pawlink_load_le64(b + 8);
	w->loss_ppm = pawlink_load_le32(b + 16);
	w->index = pawlink_load_le32(b + 20);
	return 0;
}

size_t air_msg_frame(uint8_t *buf, uint64_t time_ns, const uint8_t *frame,
		     size_t len)
{
	if (len < 1 || len > AIR_MSG_FRAME_MAX)
		return 0;
	air_msg_put_hdr(buf, AIR_MSG_FRAME, time_ns);
	memcpy(buf + AIR_MSG_HDR_LEN, frame, len);
	return AIR_MSG_HDR_LEN + len;
}

size_t air_msg_set_id(uint8_t *buf, const uint8_t id[PAWLINK_ID_LEN])
{
	air_msg_put_hdr(buf, AIR_MSG_SET_ID, 0);
	memcpy(buf + AIR_MSG_HDR_LEN, id, PAWLINK_ID_LEN);
	return AIR_MSG_HDR_LEN + PAWLINK_ID_LEN;
}

size_t air_msg_stats_req(uint8_t *buf)
{
	air_msg_put_hdr(buf, AIR_MSG_STATS_REQ, 0);
	return AIR_MSG_HDR_LEN;
}

/* The 12 global counters, in wire order. */
#define GLOBAL_FIELDS(st)                                                    \
	&(st)->now_ns, &(st)->rate_bps, &(st)->latency_ns, &(st)->loss_ppm,  \
	&(st)->frames, &(st)->bytes, &(st)->busy_ns, &(st)->delivered,      \
	&(st)->lost, &(st)->overrun, &(st)->rejected, &(st)->joined

/* The 7 per-radio counters, in wire order. */
#define RADIO_FIELDS(rs)                                                     \
	&(rs)->tx_frames, &(rs)->tx_bytes, &(rs)->rejected,                  \
	&(rs)->rx_frames, &(rs)->rx_bytes, &(rs)->rx_lost, &(rs)->rx_overrun

size_t air_msg_stats(uint8_t *buf, const struct air_stats *st)
{
	const uint64_t *global[] = { GLOBAL_FIELDS(st) };
	uint8_t *b = buf + AIR_MSG_HDR_LEN;
	size_t i, j;

	air_msg_put_hdr(buf, AIR_MSG_STATS, st->now_ns);
	for (i = 0; i < sizeof(global) / sizeof(global[0]); i++, b += 8)
		pawlink_store_le64(b, *global[i]);
	pawlink_store_le32(b, st->nradios);
	pawlink_store_le32(b + 4, 0);
	b += 8;
	for (i = 0; i < st->nradios && i < AIR_RADIOS_MAX; i++) {
		const struct air_radio_stats *rs = &st->radio[i];
		const uint64_t *fields[] = { RADIO_FIELDS(rs) };

		pawlink_store_le32(b, rs->index);
		pawlink_store_le32(b + 4, 0);
		memcpy(b + 8, rs->id, PAWLINK_ID_LEN);
		b += 8 + PAWLINK_ID_LEN;
		for (j = 0; j < sizeof(fields) / sizeof(fields[0]); j++, b += 8)
			pawlink_store_le64(b, *fields[j]);
	}
	return (size_t)(b - buf);
}

int air_msg_get_stats(const struct air_msg *msg, struct air_stats *st)
{
	uint64_t *global[] = { GLOBAL_FIELDS(st) };
	const uint8_t *b = msg->body;
	size_t i, j, n;

	memset(st, 0, sizeof(*st));
	if (msg->kind != AIR_MSG_STATS || msg->body_len < AIR_STATS_GLOBAL_LEN)
		return -EINVAL;
	n = (msg->body_len - AIR_STATS_GLOBAL_LEN) / AIR_STATS_RADIO_LEN;
	for (i = 0; i < sizeof(global) / sizeof(global[0]); i++, b += 8)
		*global[i] = pawlink_load_le64(b);
	st->nradios = pawlink_load_le32(b);
	if (st->nradios != n || pawlink_load_le32(b + 4) != 0) {
		memset(st, 0, sizeof(*st));
		return -EINVAL;
	}
	b += 8;
	for (i = 0; i < n; i++) {
		struct air_radio_stats *rs = &st->radio[i];
		uint64_t *fields[] = { RADIO_FIELDS(rs) };

		if (pawlink_load_le32(b + 4) != 0) {
			memset(st, 0, sizeof(*st));
			return -EINVAL;
		}
		rs->index = pawlink_load_le32(b);
		memcpy(rs->id, b + 8, PAWLINK_ID_LEN);
		b += 8 + PAWLINK_ID_LEN;
		for (j = 0; j < sizeof(fields) / sizeof(fields[0]); j++, b += 8)
			*fields[j] = pawlink_load_le64(b);
	}
	return 0;
}

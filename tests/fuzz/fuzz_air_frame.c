// SPDX-License-Identifier: GPL-2.0
/*
 * Fuzzes every parser of the air: the air frame, the air socket protocol,
 * the capture file reader, and the medium fed whatever radios offer.
 *
 * Input: one mode byte (taken modulo 4), then
 *   0  one air frame;
 *   1  one air socket message;
 *   2  a capture file;
 *   3  chunks (le16 length, bytes) offered in turn by three radios to one
 *      medium, the first byte of each chunk advancing the clock.
 * Invariants: what a parser accepts re-encodes to the same bytes, what it
 * refuses leaves nothing behind, and the medium delivers exactly the
 * frames the parser accepts, intact, once to every other radio.
 */
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "capture.h"
#include "air_frame.h"
#include "byteorder.h"
#include "air_medium.h"
#include "air_sock.h"
#include "fuzz_session.h"

enum { MODE_FRAME, MODE_MSG, MODE_CAPTURE, MODE_MEDIUM, NUM_MODES };

static const uint8_t id_a[PAWLINK_ID_LEN] = { 0xa0, 1, 2, 3, 4, 5, 6, 7 };
static const uint8_t id_b[PAWLINK_ID_LEN] = { 0xb0, 1, 2, 3, 4, 5, 6, 7 };

static void fuzz_frame(const uint8_t *data, size_t size)
{
	static const struct air_frame zero;
	static uint8_t again[PAWLINK_AIR_FRAME_MAX];
	struct air_frame f;
	enum air_frame_status st = air_frame_parse(data, size, &f);
	size_t n;

	FUZZ_CHECK(air_frame_strerror(st) != NULL);
	if (st != AIR_FRAME_OK) {
		FUZZ_CHECK(memcmp(&f, &zero, sizeof(f)) == 0);
		return;
	}
	FUZZ_CHECK(f.payload == data + PAWLINK_AIR_HDR_LEN);
	FUZZ_CHECK(f.payload_len == size - PAWLINK_AIR_HDR_LEN);
	FUZZ_CHECK(!air_id_is_zero(f.src) && !air_id_is_broadcast(f.src));
	if (f.type == PAWLINK_AIR_BEACON) {
		FUZZ_CHECK(air_id_is_broadcast(f.dst));
		FUZZ_CHECK(f.payload_len == PAWLINK_AIR_BEACON_LEN);
		FUZZ_CHECK(memcmp(f.payload, f.src, PAWLINK_ID_LEN) == 0);
	} else {
		FUZZ_CHECK(f.type == PAWLINK_AIR_DATA);
		FUZZ_CHECK(f.payload_len >= PAWLINK_REC_HDR_LEN &&
			   f.payload_len <= PAWLINK_RECORD_MAX);
		FUZZ_CHECK(pawlink_load_le16(f.payload + 2) ==
			   f.payload_len - PAWLINK_REC_HDR_LEN);
	}
	n = air_frame_build(again, sizeof(again), f.type, f.src, f.dst,
			    f.payload, f.payload_len);
	FUZZ_CHECK(n == size && memcmp(again, data, size) == 0);
}

static void fuzz_msg(const uint8_t *data, size_t size)
{
	static uint8_t again[AIR_MSG_MAX];
	static struct air_stats st;
	struct air_welcome w;
	struct air_msg msg;
	size_t n = 0;

	if (air_msg_parse(data, size, &msg)) {
		FUZZ_CHECK(msg.body == NULL && msg.body_len == 0);
		return;
	}
	FUZZ_CHECK(msg.body == data + AIR_MSG_HDR_LEN);
	switch (msg.kind) {
	case AIR_MSG_WELCOME:
		FUZZ_CHECK(air_msg_get_welcome(&msg, &w) == 0);
		n = air_msg_welcome(again, msg.time_ns, &w);
		break;
	case AIR_MSG_FRAME:
		n = air_msg_frame(again, msg.time_ns, msg.body, msg.body_len);
		break;
	case AIR_MSG_SET_ID:
		if (msg.time_ns)
			return;		/* radios send time 0; not encodable */
		n = air_msg_set_id(again, msg.body);
		break;
	case AIR_MSG_STATS_REQ:
		if (msg.time_ns)
			return;
		n = air_msg_stats_req(again);
		break;
	case AIR_MSG_STATS:
		if (air_msg_get_stats(&msg, &st))
			return;
		/* The header's time is the stats' own clock. */
		if (st.now_ns != msg.time_ns)
			return;
		n = air_msg_stats(again, &st);
		break;
	default:
		FUZZ_CHECK(0);
	}
	FUZZ_CHECK(n == size && memcmp(again, data, size) == 0);
}

static void fuzz_capture(const uint8_t *data, size_t size)
{
	struct air_capture_reader rd;
	struct air_capture_frame cf;
	struct air_frame f;
	int rc;

	if (air_capture_open(&rd, data, size))
		return;
	while ((rc = air_capture_next(&rd, &cf)) == 1) {
		FUZZ_CHECK(cf.frame > data && cf.frame + cf.len <= data + size);
		FUZZ_CHECK(air_frame_parse(cf.frame, cf.len, &f) ==
			   AIR_FRAME_OK);
	}
	/* A reader that failed stays failed; one that ended stays ended. */
	FUZZ_CHECK(air_capture_next(&rd, &cf) == rc);
}

struct deliveries {
	uint64_t count;
};

static int check_delivery(void *ctx, void *owner, const uint8_t *frame,
			  size_t len, uint64_t at_ns)
{
	struct deliveries *d = ctx;
	struct air_frame f;

	(void)owner;
	(void)at_ns;
	FUZZ_CHECK(air_frame_parse(frame, len, &f) == AIR_FRAME_OK);
	d->count++;
	return 0;
}

static void fuzz_medium(const uint8_t *data, size_t size)
{
	struct deliveries d = { 0 };
	uint64_t now = 0, accepted = 0, refused = 0;
	struct air_medium *m;
	struct air_config cfg;
	struct air_stats st;
	unsigned int slot[3], turn = 0, i;
	size_t at = 0;

	air_config_init(&cfg);
	if (air_medium_new(&cfg, &m))
		abort();
	for (i = 0; i < 3; i++)
		if (air_medium_join(m, NULL, &slot[i]))
			abort();
	while (at + 2 <= size) {
		size_t len = pawlink_load_le16(data + at);
		struct air_frame f;
		int rc;

		at += 2;
		if (len > size - at)
			len = size - at;
		if (len)
			now += (uint64_t)data[at] * 1000;
		air_medium_deliver(m, now, check_delivery, &d);
		rc = air_medium_offer(m, slot[turn++ % 3], data + at, len);
		if (air_frame_parse(data + at, len, &f) == AIR_FRAME_OK) {
			FUZZ_CHECK(rc == 0 || rc == -ENOBUFS);
			accepted += rc == 0;
		} else {
			FUZZ_CHECK(rc == -EINVAL);
			refused++;
		}
		air_medium_schedule(m, now);
		at += len;
	}
	air_medium_deliver(m, UINT64_MAX, check_delivery, &d);
	air_medium_stats(m, now, &st);
	FUZZ_CHECK(st.frames == accepted && st.rejected == refused);
	FUZZ_CHECK(d.count == 2 * accepted && st.delivered == d.count);
	FUZZ_CHECK(air_medium_next_delivery(m) == UINT64_MAX);
	for (i = 0; i < 3; i++)
		FUZZ_CHECK(air_medium_backlog(m, slot[i]) == 0);
	air_medium_free(m);
}

/* Writes mode byte + @len bytes of @body as seed @name. */
static void seed(const char *name, uint8_t mode, const uint8_t *body,
		 size_t len)
{
	static uint8_t buf[1 + AIR_MSG_MAX + 4096];

	buf[0] = mode;
	memcpy(buf + 1, body, len);
	fuzz_write_seed(name, buf, 1 + len);
}

static size_t data_frame(uint8_t *out, size_t body_len)
{
	uint8_t rec[PAWLINK_RECORD_MAX];

	memset(rec, 0x5a, sizeof(rec));
	rec[0] = PAWLINK_REC_VERSION;
	rec[1] = PAWLINK_CH_CTRL;
	pawlink_store_le16(rec + 2, (uint16_t)body_len);
	pawlink_store_le32(rec + 4, 1);
	pawlink_store_le64(rec + 8, 9);
	return air_frame_build(out, PAWLINK_AIR_FRAME_MAX, PAWLINK_AIR_DATA,
			       id_a, id_b, rec, PAWLINK_REC_HDR_LEN + body_len);
}

static void write_seeds(void)
{
	static uint8_t frame[PAWLINK_AIR_FRAME_MAX], msg[AIR_MSG_MAX];
	static uint8_t buf[4096];
	static struct air_stats st;
	struct air_welcome w = { AIR_RATE_DEFAULT, AIR_LATENCY_DEFAULT, 0, 1 };
	size_t n, m, at;
	FILE *f;

	n = air_frame_build_beacon(frame, sizeof(frame), id_a,
				   PAWLINK_BEACON_PAIRING);
	seed("frame-beacon", MODE_FRAME, frame, n);
	n = data_frame(frame, 40);
	seed("frame-data", MODE_FRAME, frame, n);

	seed("msg-welcome", MODE_MSG, msg, air_msg_welcome(msg, 77, &w));
	seed("msg-frame", MODE_MSG, msg, air_msg_frame(msg, 5, frame, n));
	seed("msg-set-id", MODE_MSG, msg, air_msg_set_id(msg, id_b));
	seed("msg-stats-req", MODE_MSG, msg, air_msg_stats_req(msg));
	memset(&st, 0, sizeof(st));
	st.nradios = 2;
	st.radio[0].index = 1;
	st.radio[1].index = 2;
	seed("msg-stats", MODE_MSG, msg, air_msg_stats(msg, &st));

	f = fmemopen(buf, sizeof(buf), "w");
	if (!f || air_capture_write_header(f) ||
	    air_capture_write_frame(f, 10, frame, n))
		abort();
	m = air_frame_build_beacon(frame, sizeof(frame), id_b, 0);
	if (air_capture_write_frame(f, 20, frame, m))
		abort();
	at = (size_t)ftell(f);
	fclose(f);
	seed("capture-2", MODE_CAPTURE, buf, at);

	at = 0;
	n = data_frame(frame, 100);
	pawlink_store_le16(buf + at, (uint16_t)n);
	memcpy(buf + at + 2, frame, n);
	at += 2 + n;
	pawlink_store_le16(buf + at, (uint16_t)m);
	air_frame_build_beacon(buf + at + 2, sizeof(buf) - at - 2, id_b, 0);
	at += 2 + m;
	seed("medium-2", MODE_MEDIUM, buf, at);
}

FUZZ_INITIALIZE(fuzz_no_setup, write_seeds)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	switch (data[0] % NUM_MODES) {
	case MODE_FRAME:
		fuzz_frame(data + 1, size - 1);
		break;
	case MODE_MSG:
		fuzz_msg(data + 1, size - 1);
		break;
	case MODE_CAPTURE:
		fuzz_capture(data + 1, size - 1);
		break;
	default:
		fuzz_medium(data + 1, size - 1);
		break;
	}
	return 0;
}

// SPDX-License-Identifier: GPL-2.0
/*
 * The toy command codec (toy_cmd.h): every type round-trips byte for
 * byte, and the decoder refuses anything that is not the canonical form:
 * wrong lengths, unknown types, reserved bytes, statuses where none
 * belongs, values out of range, statuses a toy cannot truthfully report,
 * and logs whose entries are not consecutive.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "toy_cmd.h"

static const uint8_t all_types[] = {
	PAWLINK_TOY_STATUS_REQ, PAWLINK_TOY_STATUS_RESP, PAWLINK_TOY_LED_REQ,
	PAWLINK_TOY_LED_RESP, PAWLINK_TOY_VOLUME_REQ, PAWLINK_TOY_VOLUME_RESP,
	PAWLINK_TOY_MIC_START_REQ, PAWLINK_TOY_MIC_START_RESP,
	PAWLINK_TOY_MIC_STOP_REQ, PAWLINK_TOY_MIC_STOP_RESP,
	PAWLINK_TOY_LOG_REQ, PAWLINK_TOY_LOG_RESP, PAWLINK_TOY_UNPAIR_REQ,
	PAWLINK_TOY_UNPAIR_RESP, PAWLINK_TOY_BYE_REQ, PAWLINK_TOY_BYE_RESP,
	PAWLINK_TOY_HOSTS_REQ, PAWLINK_TOY_HOSTS_RESP, PAWLINK_TOY_REVOKE_REQ,
	PAWLINK_TOY_REVOKE_RESP, PAWLINK_TOY_INVITE_REQ,
	PAWLINK_TOY_INVITE_RESP,
};

static struct pawlink_toy_status_info good_status(void)
{
	struct pawlink_toy_status_info s = {
		.boot = 3, .uptime_ms = 123456, .led = true, .volume = 70,
		.mic = true, .playing = false, .paired_hosts = 2,
		.pairing_window = true, .locked = false,
		.lifetime_failures = 7, .msg_count = 4, .msg_bytes = 40000,
		.log_next = 99, .mic_starts = 5, .rx_dropped_plaintext = 1,
		.rx_dropped_auth = 2, .rx_dropped_replay = 3,
		.rx_dropped_malformed = 4, .refused_unauth = 5,
		.audio_frames_sent = 6, .speaker_samples = 7,
	};

	return s;
}

/* A frame of every type, each with the most that type carries. */
static size_t example(uint8_t type, uint8_t *buf)
{
	struct pawlink_toy_frame f = { .type = type, .tag = 0xbeef };
	int i, n;

	if (type == PAWLINK_TOY_LED_REQ)
		f.u.value = 1;
	if (type == PAWLINK_TOY_VOLUME_REQ)
		f.u.value = PAWLINK_TOY_VOLUME_MAX;
	if (type == PAWLINK_TOY_LOG_REQ)
		f.u.from = 0x01020304;
	if (type == PAWLINK_TOY_STATUS_RESP)
		f.u.status = good_status();
	if (type == PAWLINK_TOY_LOG_RESP) {
		f.u.log.first = 10;
		f.u.log.next = 50;
		f.u.log.count = PAWLINK_TOY_LOG_MAX;
		for (i = 0; i < PAWLINK_TOY_LOG_MAX; i++) {
			f.u.log.entries[i].seq = (uint32_t)(12 + i);
			f.u.log.entries[i].event =
				(uint8_t)(1 + i % PAWLINK_TOY_EV_LAST);
			f.u.log.entries[i].detail = (uint8_t)i;
			/* Folded sessions: a count, no detail. */
			if (f.u.log.entries[i].event ==
			    PAWLINK_TOY_EV_SESSION) {
				f.u.log.entries[i].detail = 0;
				f.u.log.entries[i].count =
					(uint16_t)(0x100 + i);
			}
			f.u.log.entries[i].boot = 2;
			f.u.log.entries[i].time_ms = 1000u * (unsigned int)i;
			f.u.log.entries[i].host_id[0] = (uint8_t)i;
		}
	}
	if (type == PAWLINK_TOY_HOSTS_RESP) {
		f.u.hosts.boot = 4;
		f.u.hosts.uptime_ms = 99999;
		f.u.hosts.count = PAWLINK_TOY_HOSTS_MAX;
		for (i = 0; i < PAWLINK_TOY_HOSTS_MAX; i++) {
			struct pawlink_toy_host_info *h = &f.u.hosts.entries[i];

			h->id[0] = (uint8_t)(i + 1);
			h->paired_boot = (uint32_t)i;
			h->paired_ms = 1000u * (unsigned int)i;
			h->you = i == 2;
			h->seen = i % 2;
			h->seen_ms = h->seen ? 500u * (unsigned int)i : 0;
			memcpy(h->name, "sixteen chars!!!", i == 0 ? 16 : 5);
		}
	}
	if (type == PAWLINK_TOY_REVOKE_REQ)
		memcpy(f.u.host_id, "revokeme", PAWLINK_ID_LEN);
	if (type == PAWLINK_TOY_INVITE_REQ)
		memcpy(f.u.name, "grandma's tablet", 16);
	if (type == PAWLINK_TOY_INVITE_RESP) {
		memcpy(f.u.invite.code, "40187263", 9);
		f.u.invite.valid_ms = 600000;
	}
	n = pawlink_toy_encode(buf, PAWLINK_FRAME_MAX, &f);
	assert_true(n >= PAWLINK_TOY_HDR_LEN);
	return (size_t)n;
}

static void test_round_trip(void **state)
{
	uint8_t buf[PAWLINK_FRAME_MAX], again[PAWLINK_FRAME_MAX];
	struct pawlink_toy_frame f;
	size_t i, len;
	int n;

	(void)state;
	for (i = 0; i < sizeof(all_types); i++) {
		len = example(all_types[i], buf);
		assert_int_equal(pawlink_toy_decode(&f, buf, len), 0);
		assert_int_equal(f.type, all_types[i]);
		assert_int_equal(f.tag, 0xbeef);
		n = pawlink_toy_encode(again, sizeof(again), &f);
		assert_int_equal(n, (int)len);
		assert_memory_equal(again, buf, len);
	}
	/* Exact sizes, as toy.rst gives them. */
	assert_int_equal(example(PAWLINK_TOY_STATUS_REQ, buf), 8);
	assert_int_equal(example(PAWLINK_TOY_LED_REQ, buf), 16);
	assert_int_equal(example(PAWLINK_TOY_LOG_REQ, buf), 16);
	assert_int_equal(example(PAWLINK_TOY_STATUS_RESP, buf), 112);
	assert_int_equal(example(PAWLINK_TOY_LOG_RESP, buf),
			 24 + 32 * PAWLINK_TOY_LOG_MAX);
	/* Little endian on the wire. */
	example(PAWLINK_TOY_LOG_REQ, buf);
	assert_int_equal(buf[2], 0xef);
	assert_int_equal(buf[3], 0xbe);
	assert_int_equal(buf[8], 0x04);
	assert_int_equal(buf[11], 0x01);
}

static void test_every_length_but_one_refused(void **state)
{
	uint8_t buf[PAWLINK_FRAME_MAX + 1];
	struct pawlink_toy_frame f;
	size_t i, len, l;

	(void)state;
	for (i = 0; i < sizeof(all_types); i++) {
		len = example(all_types[i], buf);
		buf[len] = 0;
		for (l = 0; l <= len + 1; l++) {
			if (l == len)
				continue;
			assert_int_equal(pawlink_toy_decode(&f, buf, l), -EBADMSG);
			/* Refused means nothing comes out. */
			assert_int_equal(f.type, 0);
		}
	}
}

static void test_every_reserved_byte_refused(void **state)
{
	uint8_t buf[PAWLINK_FRAME_MAX];
	struct pawlink_toy_frame f;
	size_t i, j, len;

	(void)state;
	/* The header's four. */
	for (i = 0; i < sizeof(all_types); i++) {
		len = example(all_types[i], buf);
		for (j = 4; j < 8; j++) {
			buf[j] = 1;
			assert_int_equal(pawlink_toy_decode(&f, buf, len), -EBADMSG);
			buf[j] = 0;
		}
	}
	/* The bodies'. */
	len = example(PAWLINK_TOY_LED_REQ, buf);
	for (j = 9; j < 16; j++) {
		buf[j] = 0x80;
		assert_int_equal(pawlink_toy_decode(&f, buf, len), -EBADMSG);
		buf[j] = 0;
	}
	len = example(PAWLINK_TOY_LOG_REQ, buf);
	buf[12] = 1;
	assert_int_equal(pawlink_toy_decode(&f, buf, len), -EBADMSG);
	len = example(PAWLINK_TOY_STATUS_RESP, buf);
	buf[8 + 4] = 1;		/* reserved0 */
	assert_int_equal(pawlink_toy_decode(&f, buf, len), -EBADMSG);
	len = example(PAWLINK_TOY_STATUS_RESP, buf);
	buf[8 + 23] = 1;	/* reserved1 */
	assert_int_equal(pawlink_toy_decode(&f, buf, len), -EBADMSG);
	len = example(PAWLINK_TOY_LOG_RESP, buf);
	buf[8 + 9] = 1;		/* log header */
	assert_int_equal(pawlink_toy_decode(&f, buf, len), -EBADMSG);
	len = example(PAWLINK_TOY_LOG_RESP, buf);
	buf[24 + 6] = 1;	/* first entry (a boot): a count */
	assert_int_equal(pawlink_toy_decode(&f, buf, len), -EBADMSG);
	len = example(PAWLINK_TOY_LOG_RESP, buf);
	buf[24 + 32 + 12] = 1;	/* second entry, reserved2 */
	assert_int_equal(pawlink_toy_decode(&f, buf, len), -EBADMSG);
}

/*
 * A log entry's count (offset 6, le16) is there exactly on folded
 * sessions: 1..65535 and no detail; zero on every other event.
 */
static void test_log_count_only_on_folded_sessions(void **state)
{
	uint8_t buf[PAWLINK_FRAME_MAX];
	struct pawlink_toy_frame f;
	size_t len, s;

	(void)state;
	len = example(PAWLINK_TOY_LOG_RESP, buf);
	s = PAWLINK_TOY_EV_SESSION - 1;	/* the first session entry */
	assert_int_equal(buf[24 + 32 * s + 4], PAWLINK_TOY_EV_SESSION);
	assert_int_equal(pawlink_toy_decode(&f, buf, len), 0);
	assert_int_equal(f.u.log.entries[s].count, 0x100 + s);
	assert_int_equal(buf[24 + 32 * s + 6], (uint8_t)(0x100 + s));
	assert_int_equal(buf[24 + 32 * s + 7], 0x01);
	buf[24 + 32 * s + 6] = 0;
	buf[24 + 32 * s + 7] = 0;
	assert_int_equal(pawlink_toy_decode(&f, buf, len), -EBADMSG);
	len = example(PAWLINK_TOY_LOG_RESP, buf);
	buf[24 + 32 * s + 5] = 1;	/* a detail on a session */
	assert_int_equal(pawlink_toy_decode(&f, buf, len), -EBADMSG);
	len = example(PAWLINK_TOY_LOG_RESP, buf);
	buf[24 + 32 * (s - 1) + 7] = 1;	/* a count on an invite */
	assert_int_equal(pawlink_toy_decode(&f, buf, len), -EBADMSG);
	assert_string_equal(pawlink_toy_event_name(PAWLINK_TOY_EV_SESSION),
			    "session");
}

static void test_types_and_statuses(void **state)
{
	uint8_t buf[PAWLINK_FRAME_MAX] = { 0 };
	struct pawlink_toy_frame f;
	unsigned int t;

	(void)state;
	/* Every type outside the 22 known ones, as a bare header. */
	for (t = 0; t < 256; t++) {
		buf[0] = (uint8_t)t;
		if (t >= PAWLINK_TOY_STATUS_REQ && t <= PAWLINK_TOY_INVITE_RESP &&
		    t != PAWLINK_TOY_LED_REQ && t != PAWLINK_TOY_VOLUME_REQ &&
		    t != PAWLINK_TOY_LOG_REQ && t != PAWLINK_TOY_STATUS_RESP &&
		    t != PAWLINK_TOY_LOG_RESP && t != PAWLINK_TOY_HOSTS_RESP &&
		    t != PAWLINK_TOY_REVOKE_REQ && t != PAWLINK_TOY_INVITE_REQ &&
		    t != PAWLINK_TOY_INVITE_RESP)
			assert_int_equal(pawlink_toy_decode(&f, buf, 8), 0);
		else if (t < PAWLINK_TOY_STATUS_REQ ||
			 t > PAWLINK_TOY_INVITE_RESP)
			assert_int_equal(pawlink_toy_decode(&f, buf, 8),
					 -EBADMSG);
	}
	/* A request has no status. */
	buf[0] = PAWLINK_TOY_BYE_REQ;
	buf[1] = PAWLINK_TOY_E_IO;
	assert_int_equal(pawlink_toy_decode(&f, buf, 8), -EBADMSG);
	/* A response's status is a known one. */
	buf[0] = PAWLINK_TOY_BYE_RESP;
	assert_int_equal(pawlink_toy_decode(&f, buf, 8), 0);
	assert_int_equal(f.status, PAWLINK_TOY_E_IO);
	buf[1] = PAWLINK_TOY_STATUS_LAST + 1;
	assert_int_equal(pawlink_toy_decode(&f, buf, 8), -EBADMSG);
	/* A failed STATUS or LOG is the header alone. */
	buf[0] = PAWLINK_TOY_STATUS_RESP;
	buf[1] = PAWLINK_TOY_E_BAD_REQUEST;
	assert_int_equal(pawlink_toy_decode(&f, buf, 8), 0);
	assert_int_equal(example(PAWLINK_TOY_STATUS_RESP, buf), 112);
	buf[1] = PAWLINK_TOY_E_BAD_REQUEST;
	assert_int_equal(pawlink_toy_decode(&f, buf, 112), -EBADMSG);
	assert_true(pawlink_toy_is_request(PAWLINK_TOY_MIC_START_REQ));
	assert_false(pawlink_toy_is_request(PAWLINK_TOY_MIC_START_RESP));
	assert_false(pawlink_toy_is_request(0x76));
	assert_false(pawlink_toy_is_response(0x77));
}

/*
 * Log entries rise; gaps (entries the toy's eviction rule removed) are
 * allowed, a repeated or falling sequence number is not.
 */
/*
 * Log entries rise; gaps (entries the toy's eviction rule removed) are
 * allowed, a repeated or falling sequence number is not.
 */
static void test_log_entries_rise_with_gaps(void **state)
{
	uint8_t buf[PAWLINK_FRAME_MAX];
	struct pawlink_toy_frame f;
	size_t len = example(PAWLINK_TOY_LOG_RESP, buf), i;
	/* Entry 1's le32 seq (entries from byte 24, 32 bytes each). */
	uint8_t *seq1 = buf + PAWLINK_TOY_HDR_LEN +
			PAWLINK_TOY_LOG_RESP_HDR_LEN + PAWLINK_TOY_LOG_ENTRY_LEN;
	int n;

	(void)state;
	assert_int_equal(pawlink_toy_decode(&f, buf, len), 0);
	/* Entries 1.. one up: a gap after entry 0; it encodes and decodes. */
	for (i = 1; i < f.u.log.count; i++)
		f.u.log.entries[i].seq++;
	n = pawlink_toy_encode(buf, sizeof(buf), &f);
	assert_int_equal(n, (int)len);
	assert_int_equal(pawlink_toy_decode(&f, buf, len), 0);
	assert_int_equal(f.u.log.entries[1].seq, f.u.log.entries[0].seq + 2);
	seq1[0] = (uint8_t)f.u.log.entries[0].seq;		/* repeated */
	assert_int_equal(pawlink_toy_decode(&f, buf, len), -EBADMSG);
	example(PAWLINK_TOY_LOG_RESP, buf);
	seq1[0] = 11;						/* falling */
	assert_int_equal(pawlink_toy_decode(&f, buf, len), -EBADMSG);
}

/* The administration messages: names, ids, codes and flags are strict. */
static void test_admin_messages_strict(void **state)
{
	uint8_t buf[PAWLINK_FRAME_MAX];
	struct pawlink_toy_frame f;
	size_t len;

	(void)state;
	len = example(PAWLINK_TOY_HOSTS_RESP, buf);
	assert_int_equal(len, 8 + 16 + 8 * 48);
	assert_int_equal(pawlink_toy_decode(&f, buf, len), 0);
	assert_string_equal(f.u.hosts.entries[0].name, "sixteen chars!!!");
	assert_true(f.u.hosts.entries[2].you);
	buf[8 + 16 + 12] = 0x04;	/* an unknown host flag */
	assert_int_equal(pawlink_toy_decode(&f, buf, len), -EBADMSG);
	len = example(PAWLINK_TOY_HOSTS_RESP, buf);
	buf[8 + 16 + 48 + 32 + 7] = 'x';	/* a name byte after its NUL */
	assert_int_equal(pawlink_toy_decode(&f, buf, len), -EBADMSG);
	len = example(PAWLINK_TOY_HOSTS_RESP, buf);
	buf[8 + 16 + 32] = '\n';	/* not printable */
	assert_int_equal(pawlink_toy_decode(&f, buf, len), -EBADMSG);
	len = example(PAWLINK_TOY_HOSTS_RESP, buf);
	memcpy(buf + 8 + 16 + 48, buf + 8 + 16, PAWLINK_ID_LEN);	/* twice */
	assert_int_equal(pawlink_toy_decode(&f, buf, len), -EBADMSG);
	len = example(PAWLINK_TOY_HOSTS_RESP, buf);
	memset(buf + 8 + 16, 0, PAWLINK_ID_LEN);	/* host id 0 */
	assert_int_equal(pawlink_toy_decode(&f, buf, len), -EBADMSG);
	len = example(PAWLINK_TOY_HOSTS_RESP, buf);
	buf[8] = PAWLINK_TOY_HOSTS_MAX + 1;
	assert_int_equal(pawlink_toy_decode(&f, buf, len), -EBADMSG);
	len = example(PAWLINK_TOY_HOSTS_RESP, buf);
	buf[8 + 16 + 24] = 1;	/* not seen, yet a time */
	assert_int_equal(pawlink_toy_decode(&f, buf, len), -EBADMSG);

	len = example(PAWLINK_TOY_REVOKE_REQ, buf);
	assert_int_equal(len, 16);
	memset(buf + 8, 0, 8);
	assert_int_equal(pawlink_toy_decode(&f, buf, len), -EBADMSG);

	len = example(PAWLINK_TOY_INVITE_REQ, buf);
	assert_int_equal(len, 24);
	buf[8] = 0x7f;
	assert_int_equal(pawlink_toy_decode(&f, buf, len), -EBADMSG);

	len = example(PAWLINK_TOY_INVITE_RESP, buf);
	assert_int_equal(len, 24);
	assert_int_equal(pawlink_toy_decode(&f, buf, len), 0);
	assert_string_equal(f.u.invite.code, "40187263");
	buf[8 + 3] = 'a';
	assert_int_equal(pawlink_toy_decode(&f, buf, len), -EBADMSG);
	len = example(PAWLINK_TOY_INVITE_RESP, buf);
	memset(buf + 16, 0, 4);		/* valid for no time */
	assert_int_equal(pawlink_toy_decode(&f, buf, len), -EBADMSG);
	len = example(PAWLINK_TOY_INVITE_RESP, buf);
	buf[20] = 1;
	assert_int_equal(pawlink_toy_decode(&f, buf, len), -EBADMSG);
}

static void test_values_in_range(void **state)
{
	uint8_t buf[PAWLINK_FRAME_MAX];
	struct pawlink_toy_frame f = { .type = PAWLINK_TOY_LED_REQ };
	size_t len;

	(void)state;
	len = example(PAWLINK_TOY_LED_REQ, buf);
	buf[8] = 2;
	assert_int_equal(pawlink_toy_decode(&f, buf, len), -EBADMSG);
	len = example(PAWLINK_TOY_VOLUME_REQ, buf);
	buf[8] = PAWLINK_TOY_VOLUME_MAX + 1;
	assert_int_equal(pawlink_toy_decode(&f, buf, len), -EBADMSG);
	/* The encoder keeps the same rules. */
	f = (struct pawlink_toy_frame){ .type = PAWLINK_TOY_LED_REQ };
	f.u.value = 2;
	assert_int_equal(pawlink_toy_encode(buf, sizeof(buf), &f), -EINVAL);
	f = (struct pawlink_toy_frame){ .type = PAWLINK_TOY_BYE_REQ,
					.status = 1 };
	assert_int_equal(pawlink_toy_encode(buf, sizeof(buf), &f), -EINVAL);
	f = (struct pawlink_toy_frame){ .type = 0x76 };
	assert_int_equal(pawlink_toy_encode(buf, sizeof(buf), &f), -EINVAL);
	f = (struct pawlink_toy_frame){ .type = PAWLINK_TOY_BYE_REQ };
	assert_int_equal(pawlink_toy_encode(buf, 7, &f), -ENOSPC);
}

/* Encodes @s as a STATUS_RESP and decodes it back. */
static int status_decodes(const struct pawlink_toy_status_info *s)
{
	struct pawlink_toy_frame f = { .type = PAWLINK_TOY_STATUS_RESP };
	uint8_t buf[PAWLINK_FRAME_MAX];

	f.u.status = *s;
	return pawlink_toy_encode(buf, sizeof(buf), &f) < 0 ? -EBADMSG : 0;
}

static void test_status_a_toy_cannot_report(void **state)
{
	struct pawlink_toy_status_info s;

	(void)state;
	s = good_status();
	assert_int_equal(status_decodes(&s), 0);
	/* The microphone never streams with the LED off. */
	s.led = false;
	assert_int_equal(status_decodes(&s), -EBADMSG);
	s = good_status();
	s.paired_hosts = 9;
	assert_int_equal(status_decodes(&s), -EBADMSG);
	s = good_status();
	s.volume = 101;
	assert_int_equal(status_decodes(&s), -EBADMSG);
	/* Locked exactly at the lifetime limit, and then no window. */
	s = good_status();
	s.lifetime_failures = 100;
	assert_int_equal(status_decodes(&s), -EBADMSG);
	s.locked = true;
	assert_int_equal(status_decodes(&s), -EBADMSG);
	s.pairing_window = false;
	assert_int_equal(status_decodes(&s), 0);
	s.lifetime_failures = 101;
	assert_int_equal(status_decodes(&s), -EBADMSG);
	s = good_status();
	s.locked = true;
	s.pairing_window = false;
	assert_int_equal(status_decodes(&s), -EBADMSG);
}

static void test_log_must_be_consecutive(void **state)
{
	uint8_t buf[PAWLINK_FRAME_MAX];
	struct pawlink_toy_frame f;
	size_t len;

	(void)state;
	len = example(PAWLINK_TOY_LOG_RESP, buf);
	assert_int_equal(pawlink_toy_decode(&f, buf, len), 0);
	/* A gap between entries 2 and 3. */
	buf[24 + 2 * 32] += 1;
	assert_int_equal(pawlink_toy_decode(&f, buf, len), -EBADMSG);
	/* The first entry older than the oldest held. */
	len = example(PAWLINK_TOY_LOG_RESP, buf);
	buf[8] = 13;		/* first = 13, entries from 12 */
	assert_int_equal(pawlink_toy_decode(&f, buf, len), -EBADMSG);
	/* An entry at or past next. */
	len = example(PAWLINK_TOY_LOG_RESP, buf);
	buf[12] = 42;		/* next = 42, last entry is 42 */
	assert_int_equal(pawlink_toy_decode(&f, buf, len), -EBADMSG);
	/* first after next. */
	len = example(PAWLINK_TOY_LOG_RESP, buf);
	buf[8] = 51;
	assert_int_equal(pawlink_toy_decode(&f, buf, len), -EBADMSG);
	/* More entries than fit, and unknown events. */
	len = example(PAWLINK_TOY_LOG_RESP, buf);
	buf[16] = PAWLINK_TOY_LOG_MAX + 1;
	assert_int_equal(pawlink_toy_decode(&f, buf, len), -EBADMSG);
	len = example(PAWLINK_TOY_LOG_RESP, buf);
	buf[24 + 4] = 0;
	assert_int_equal(pawlink_toy_decode(&f, buf, len), -EBADMSG);
	buf[24 + 4] = PAWLINK_TOY_EV_LAST + 1;
	assert_int_equal(pawlink_toy_decode(&f, buf, len), -EBADMSG);
	/* An empty log is fine. */
	f = (struct pawlink_toy_frame){ .type = PAWLINK_TOY_LOG_RESP };
	f.u.log.first = f.u.log.next = 7;
	assert_int_equal(pawlink_toy_encode(buf, sizeof(buf), &f), 24);
}

static void test_names(void **state)
{
	(void)state;
	assert_string_equal(pawlink_toy_event_name(PAWLINK_TOY_EV_MIC_START),
			    "mic-start");
	assert_string_equal(pawlink_toy_event_name(0), "unknown");
	assert_string_equal(pawlink_toy_event_name(200), "unknown");
	assert_string_equal(pawlink_toy_status_str(99), "unknown status");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_every_length_but_one_refused),
		cmocka_unit_test(test_every_reserved_byte_refused),
		cmocka_unit_test(test_log_count_only_on_folded_sessions),
		cmocka_unit_test(test_types_and_statuses),
		cmocka_unit_test(test_log_entries_rise_with_gaps),
		cmocka_unit_test(test_values_in_range),
		cmocka_unit_test(test_admin_messages_strict),
		cmocka_unit_test(test_status_a_toy_cannot_report),
		cmocka_unit_test(test_log_must_be_consecutive),
		cmocka_unit_test(test_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

// SPDX-License-Identifier: GPL-2.0
/*
 * Message objects and frames: the metadata codec and checks, creation and
 * verification, ids, and the strict frame decoder/encoder on every type,
 * including byte-exact layouts from Documentation/messages.rst.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <sodium.h>

#include "msg_object.h"
#include "msg_wire.h"

static const uint8_t host_id[PAWLINK_ID_LEN] = { 0x11, 0x22, 0x33, 0x44,
						 0x55, 0x66, 0x77, 0x88 };

static void make_info(struct pawlink_msg_info *info, uint8_t id0)
{
	static const uint8_t data[] = "OggS not really, but bytes";

	assert_int_equal(pawlink_msg_info_create(info, host_id, 1700000000,
						 4321, data, sizeof(data)),
			 PAWLINK_MSG_OK);
	info->id[0] = id0;
}

/* ---- metadata ----------------------------------------------------------- */

static void test_meta_layout(void **state)
{
	struct pawlink_msg_info info = {
		.time = 0x0102030405060708ULL,
		.duration_ms = 0x11223344,
		.size = 0x00556677,
		.codec = PAWLINK_MSG_CODEC_OGG_OPUS,
	};
	struct pawlink_msg_info back;
	uint8_t out[PAWLINK_MSG_META_LEN];
	int i;

	(void)state;
	for (i = 0; i < PAWLINK_MSG_ID_LEN; i++)
		info.id[i] = (uint8_t)(0xa0 + i);
	memcpy(info.sender, host_id, sizeof(host_id));
	for (i = 0; i < PAWLINK_MSG_SHA256_LEN; i++)
		info.sha256[i] = (uint8_t)i;
	pawlink_msg_info_encode(out, &info);
	assert_int_equal(out[0], 0xa0);
	assert_int_equal(out[15], 0xaf);
	assert_int_equal(out[16], 0x11);
	assert_int_equal(out[23], 0x88);
	/* time, duration, size: little endian at 24, 32, 36. */
	assert_int_equal(out[24], 0x08);
	assert_int_equal(out[31], 0x01);
	assert_int_equal(out[32], 0x44);
	assert_int_equal(out[35], 0x11);
	assert_int_equal(out[36], 0x77);
	assert_int_equal(out[39], 0x00);
	assert_int_equal(out[40], PAWLINK_MSG_CODEC_OGG_OPUS);
	for (i = 41; i < 48; i++)
		assert_int_equal(out[i], 0);
	assert_int_equal(out[48], 0);
	assert_int_equal(out[79], 31);
	assert_int_equal(pawlink_msg_info_decode(&back, out, sizeof(out)), 0);
	assert_true(pawlink_msg_info_equal(&back, &info));
}

static void test_meta_strict(void **state)
{
	struct pawlink_msg_info info, back;
	uint8_t out[PAWLINK_MSG_META_LEN + 1];
	int i;

	(void)state;
	make_info(&info, 1);
	pawlink_msg_info_encode(out, &info);
	assert_int_equal(pawlink_msg_info_decode(&back, out,
						 PAWLINK_MSG_META_LEN - 1),
			 -EBADMSG);
	assert_int_equal(pawlink_msg_info_decode(&back, out,
						 PAWLINK_MSG_META_LEN + 1),
			 -EBADMSG);
	for (i = 41; i < 48; i++) {
		out[i] = 1;
		assert_int_equal(pawlink_msg_info_decode(&back, out,
							 PAWLINK_MSG_META_LEN),
				 -EBADMSG);
		/* A failed decode leaves nothing behind. */
		assert_true(sodium_is_zero((uint8_t *)&back, sizeof(back)));
		out[i] = 0;
	}
}

static void test_meta_check(void **state)
{
	struct pawlink_msg_info info, bad;

	(void)state;
	make_info(&info, 1);
	assert_int_equal(pawlink_msg_info_check(&info), PAWLINK_MSG_OK);
	bad = info;
	bad.duration_ms = PAWLINK_MSG_DURATION_MAX_MS;
	assert_int_equal(pawlink_msg_info_check(&bad), PAWLINK_MSG_OK);
	bad.duration_ms = PAWLINK_MSG_DURATION_MAX_MS + 1;
	assert_int_equal(pawlink_msg_info_check(&bad), PAWLINK_MSG_E_TOO_LONG);
	bad = info;
	bad.size = PAWLINK_MSG_SIZE_MAX + 1;
	assert_int_equal(pawlink_msg_info_check(&bad), PAWLINK_MSG_E_TOO_LONG);
	bad = info;
	bad.codec = 2;
	assert_int_equal(pawlink_msg_info_check(&bad),
			 PAWLINK_MSG_E_BAD_REQUEST);
	bad = info;
	memset(bad.id, 0, sizeof(bad.id));
	assert_int_equal(pawlink_msg_info_check(&bad),
			 PAWLINK_MSG_E_BAD_REQUEST);
	bad = info;
	bad.size = 0;
	assert_int_equal(pawlink_msg_info_check(&bad),
			 PAWLINK_MSG_E_BAD_REQUEST);
	bad = info;
	bad.duration_ms = 0;
	assert_int_equal(pawlink_msg_info_check(&bad),
			 PAWLINK_MSG_E_BAD_REQUEST);
}

static void test_create_and_verify(void **state)
{
	uint8_t data[3000], digest[32];
	struct pawlink_msg_info a, b;

	(void)state;
	randombytes_buf(data, sizeof(data));
	assert_int_equal(pawlink_msg_info_create(&a, host_id, 42, 1500, data,
						 sizeof(data)), PAWLINK_MSG_OK);
	assert_int_equal(pawlink_msg_info_create(&b, host_id, 42, 1500, data,
						 sizeof(data)), PAWLINK_MSG_OK);
	/* Ids are random: two messages of the same bytes still differ. */
	assert_memory_not_equal(a.id, b.id, PAWLINK_MSG_ID_LEN);
	crypto_hash_sha256(digest, data, sizeof(data));
	assert_memory_equal(a.sha256, digest, 32);
	assert_int_equal(a.size, sizeof(data));
	assert_int_equal(a.codec, PAWLINK_MSG_CODEC_OGG_OPUS);
	assert_memory_equal(a.sender, host_id, PAWLINK_ID_LEN);
	assert_int_equal(pawlink_msg_info_verify(&a, data, sizeof(data)),
			 PAWLINK_MSG_OK);
	data[1234] ^= 0x40;
	assert_int_equal(pawlink_msg_info_verify(&a, data, sizeof(data)),
			 PAWLINK_MSG_E_BAD_HASH);
	data[1234] ^= 0x40;
	assert_int_equal(pawlink_msg_info_verify(&a, data, sizeof(data) - 1),
			 PAWLINK_MSG_E_BAD_HASH);
	/* Over the limits: reported, not hidden. */
	assert_int_equal(pawlink_msg_info_create(&a, host_id, 42,
						 PAWLINK_MSG_DURATION_MAX_MS + 1,
						 data, sizeof(data)),
			 PAWLINK_MSG_E_TOO_LONG);
}

static void test_ids(void **state)
{
	uint8_t id[PAWLINK_MSG_ID_LEN], back[PAWLINK_MSG_ID_LEN];
	char hex[2 * PAWLINK_MSG_ID_LEN + 1];

	(void)state;
	randombytes_buf(id, sizeof(id));
	id[0] |= 1;
	pawlink_msg_id_hex(hex, id);
	assert_int_equal(strlen(hex), 32);
	assert_int_equal(pawlink_msg_id_parse(back, hex), 0);
	assert_memory_equal(id, back, sizeof(id));
	assert_int_equal(pawlink_msg_id_parse(back, "00000000000000000000000000000000"),
			 -EINVAL);
	assert_int_equal(pawlink_msg_id_parse(back, "0123"), -EINVAL);
	assert_int_equal(pawlink_msg_id_parse(back, "0123456789abcdef0123456789abcdeg"),
			 -EINVAL);
	assert_int_equal(pawlink_msg_id_parse(back, "0123456789abcdef0123456789abcdef0"),
			 -EINVAL);
	assert_int_equal(pawlink_msg_id_parse(back, NULL), -EINVAL);
}

static void test_status_strings(void **state)
{
	int s;

	(void)state;
	for (s = 0; s <= PAWLINK_MSG_STATUS_LAST; s++)
		assert_string_not_equal(pawlink_msg_status_str(s),
					"unknown status");
	assert_string_not_equal(pawlink_msg_status_str(PAWLINK_MSG_E_TIMEOUT),
				"unknown status");
	assert_string_equal(pawlink_msg_status_str(200), "unknown status");
}

static void test_load_file(void **state)
{
	char path[] = "/tmp/pawlink-msg-load-XXXXXX";
	uint8_t *data;
	size_t len;
	int fd;

	(void)state;
	fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(pawlink_msg_load_file(path, &data, &len), -ENODATA);
	assert_int_equal(write(fd, "abc", 3), 3);
	assert_int_equal(pawlink_msg_load_file(path, &data, &len), 0);
	assert_int_equal(len, 3);
	assert_memory_equal(data, "abc", 3);
	free(data);
	assert_int_equal(ftruncate(fd, PAWLINK_MSG_SIZE_MAX + 1), 0);
	assert_int_equal(pawlink_msg_load_file(path, &data, &len), -EFBIG);
	assert_null(data);
	close(fd);
	unlink(path);
	assert_int_equal(pawlink_msg_load_file(path, &data, &len), -ENOENT);
	assert_int_equal(pawlink_msg_load_file("/tmp", &data, &len), -EINVAL);
}

/* ---- frames ------------------------------------------------------------- */

/* Encodes @f, decodes it back, and re-encodes: bytes must not change. */
static size_t round_trip(const struct pawlink_msg_frame *f, uint8_t *out,
			 struct pawlink_msg_frame *back)
{
	uint8_t again[PAWLINK_FRAME_MAX];
	int n, m;

	n = pawlink_msg_encode(out, PAWLINK_FRAME_MAX, f);
	assert_true(n >= PAWLINK_MSG_HDR_LEN);
	assert_int_equal(pawlink_msg_decode(back, out, (size_t)n), 0);
	m = pawlink_msg_encode(again, sizeof(again), back);
	assert_int_equal(m, n);
	assert_memory_equal(again, out, (size_t)n);
	return (size_t)n;
}

static void test_frame_requests(void **state)
{
	static const uint8_t types[] = {
		PAWLINK_MSG_LIST_REQ, PAWLINK_MSG_GET_REQ,
		PAWLINK_MSG_DELETE_REQ, PAWLINK_MSG_PLAY_REQ,
	};
	struct pawlink_msg_frame f = { 0 }, back;
	uint8_t buf[PAWLINK_FRAME_MAX];
	unsigned int i;

	(void)state;
	for (i = 0; i < sizeof(types); i++) {
		f.type = types[i];
		f.tag = 0xbeef;
		memset(f.u.id, 0x5a, PAWLINK_MSG_ID_LEN);
		assert_int_equal(round_trip(&f, buf, &back), 24);
		assert_int_equal(buf[0], types[i]);
		assert_int_equal(buf[1], 0);
		assert_int_equal(buf[2], 0xef);
		assert_int_equal(buf[3], 0xbe);
		assert_int_equal(buf[4], 0);
		assert_int_equal(buf[8], 0x5a);
		assert_int_equal(back.tag, 0xbeef);
		assert_memory_equal(back.u.id, f.u.id, PAWLINK_MSG_ID_LEN);
		/* Requests carry no status, no flag, nothing extra. */
		buf[4] = 1;
		assert_int_equal(pawlink_msg_decode(&back, buf, 24), -EBADMSG);
		buf[4] = 0;
		buf[1] = 1;
		assert_int_equal(pawlink_msg_decode(&back, buf, 24), -EBADMSG);
		buf[1] = 0;
		buf[6] = 1;
		assert_int_equal(pawlink_msg_decode(&back, buf, 24), -EBADMSG);
		buf[6] = 0;
		assert_int_equal(pawlink_msg_decode(&back, buf, 23), -EBADMSG);
		assert_int_equal(pawlink_msg_decode(&back, buf, 25), -EBADMSG);
	}
}

static void test_frame_put_get(void **state)
{
	struct pawlink_msg_frame f = { .type = PAWLINK_MSG_PUT_REQ, .tag = 9 };
	struct pawlink_msg_frame back;
	uint8_t buf[PAWLINK_FRAME_MAX];

	(void)state;
	make_info(&f.u.info, 3);
	assert_int_equal(round_trip(&f, buf, &back), 88);
	assert_true(pawlink_msg_info_equal(&back.u.info, &f.u.info));
	/* Reserved bytes of the embedded metadata are checked too. */
	buf[8 + 41] = 1;
	assert_int_equal(pawlink_msg_decode(&back, buf, 88), -EBADMSG);

	f.type = PAWLINK_MSG_GET_RESP;
	assert_int_equal(round_trip(&f, buf, &back), 88);
	/* A failed response is the bare 8-byte header. */
	f.status = PAWLINK_MSG_E_NOT_FOUND;
	assert_int_equal(round_trip(&f, buf, &back), 8);
	assert_int_equal(buf[4], PAWLINK_MSG_E_NOT_FOUND);
	assert_int_equal(back.status, PAWLINK_MSG_E_NOT_FOUND);
	assert_int_equal(pawlink_msg_decode(&back, buf, 9), -EBADMSG);
	/* Unknown status codes are refused. */
	buf[4] = PAWLINK_MSG_STATUS_LAST + 1;
	assert_int_equal(pawlink_msg_decode(&back, buf, 8), -EBADMSG);
	f.status = PAWLINK_MSG_E_TIMEOUT;	/* local only */
	assert_int_equal(pawlink_msg_encode(buf, sizeof(buf), &f), -EINVAL);
}

static void test_frame_have(void **state)
{
	struct pawlink_msg_frame f = { .type = PAWLINK_MSG_ACK, .tag = 1 };
	struct pawlink_msg_frame back;
	uint8_t buf[PAWLINK_FRAME_MAX];

	(void)state;
	f.u.have.next = 0x01020304 & 0xfff;
	f.u.have.window = 256;
	f.u.have.map_len = 2;
	f.u.have.map[0] = 0x01;
	f.u.have.map[1] = 0x80;
	assert_int_equal(round_trip(&f, buf, &back), 18);
	assert_int_equal(buf[8], 0x04);
	assert_int_equal(buf[9], 0x03);
	assert_int_equal(buf[12], 0x00);
	assert_int_equal(buf[13], 0x01);
	assert_int_equal(buf[14], 2);
	assert_int_equal(buf[16], 0x01);
	assert_int_equal(buf[17], 0x80);

	/* Not minimal: a trailing zero byte. */
	f.u.have.map_len = 3;
	f.u.have.map[2] = 0;
	assert_int_equal(pawlink_msg_encode(buf, sizeof(buf), &f), -EINVAL);
	/* A bit at or past the window. */
	f.u.have.map_len = 2;
	f.u.have.window = 16;	/* bits 0..14 allowed; bit 15 is set */
	assert_int_equal(pawlink_msg_encode(buf, sizeof(buf), &f), -EINVAL);
	f.u.have.window = 17;
	assert_int_equal(round_trip(&f, buf, &back), 18);
	/* Window 0 or over the maximum. */
	f.u.have.window = 0;
	assert_int_equal(pawlink_msg_encode(buf, sizeof(buf), &f), -EINVAL);
	f.u.have.window = PAWLINK_MSG_WINDOW_MAX + 1;
	assert_int_equal(pawlink_msg_encode(buf, sizeof(buf), &f), -EINVAL);
	/* A chunk past the largest object. */
	f.u.have.window = 256;
	f.u.have.map_len = 0;
	f.u.have.next = PAWLINK_MSG_CHUNKS_MAX;
	assert_int_equal(round_trip(&f, buf, &back), 16);
	f.u.have.next = PAWLINK_MSG_CHUNKS_MAX + 1;
	assert_int_equal(pawlink_msg_encode(buf, sizeof(buf), &f), -EINVAL);
	f.u.have.next = PAWLINK_MSG_CHUNKS_MAX - 2;
	f.u.have.map_len = 1;
	f.u.have.map[0] = 0x02;	/* next + 2 = CHUNKS_MAX */
	assert_int_equal(pawlink_msg_encode(buf, sizeof(buf), &f), -EINVAL);
	/* ACKs carry no status; PUT_RESP does. */
	f.u.have.map[0] = 0x01;
	f.status = 0;
	assert_int_equal(round_trip(&f, buf, &back), 17);
	buf[4] = 1;
	assert_int_equal(pawlink_msg_decode(&back, buf, 17), -EBADMSG);
	f.type = PAWLINK_MSG_PUT_RESP;
	f.status = PAWLINK_MSG_E_QUOTA;
	assert_int_equal(round_trip(&f, buf, &back), 8);
	/* Map longer than the maximum. */
	f.type = PAWLINK_MSG_ACK;
	f.status = 0;
	memset(buf, 0, sizeof(buf));
	buf[0] = PAWLINK_MSG_ACK;
	buf[12] = 1;	/* window 1 */
	buf[14] = PAWLINK_MSG_MAP_MAX + 1;
	buf[16 + PAWLINK_MSG_MAP_MAX] = 1;
	assert_int_equal(pawlink_msg_decode(&back, buf,
					    17 + PAWLINK_MSG_MAP_MAX),
			 -EBADMSG);
}

static void test_frame_chunk(void **state)
{
	uint8_t data[PAWLINK_MSG_CHUNK_DATA], buf[PAWLINK_FRAME_MAX];
	struct pawlink_msg_frame f = { .type = PAWLINK_MSG_CHUNK, .tag = 77 };
	struct pawlink_msg_frame back;

	(void)state;
	memset(data, 0xc3, sizeof(data));
	f.flags = PAWLINK_MSG_F_ACK_REQ;
	f.u.chunk.index = 0x0102;
	f.u.chunk.data = data;
	f.u.chunk.len = sizeof(data);
	/* A full chunk fills a frame exactly. */
	assert_int_equal(round_trip(&f, buf, &back), PAWLINK_FRAME_MAX);
	assert_int_equal(buf[1], PAWLINK_MSG_F_ACK_REQ);
	assert_int_equal(buf[4], 0x02);
	assert_int_equal(buf[5], 0x01);
	assert_int_equal(buf[8], 0xc3);
	assert_int_equal(back.u.chunk.len, sizeof(data));
	assert_ptr_equal(back.u.chunk.data, buf + 8);
	/* No empty chunk, no unknown flag, no index past the largest object. */
	assert_int_equal(pawlink_msg_decode(&back, buf, 8), -EBADMSG);
	buf[1] = 0x02;
	assert_int_equal(pawlink_msg_decode(&back, buf, 20), -EBADMSG);
	buf[1] = 0;
	buf[4] = (uint8_t)PAWLINK_MSG_CHUNKS_MAX;
	buf[5] = (uint8_t)(PAWLINK_MSG_CHUNKS_MAX >> 8);
	assert_int_equal(pawlink_msg_decode(&back, buf, 20), -EBADMSG);
	/* Longer than a frame. */
	f.u.chunk.len = sizeof(data) + 1;
	assert_int_equal(pawlink_msg_encode(buf, sizeof(buf), &f), -EINVAL);
	assert_int_equal(pawlink_msg_decode(&back, buf, PAWLINK_FRAME_MAX + 1),
			 -EBADMSG);
}

static void test_frame_list(void **state)
{
	struct pawlink_msg_frame f = { .type = PAWLINK_MSG_LIST_RESP, .tag = 5 };
	struct pawlink_msg_frame back;
	uint8_t buf[PAWLINK_FRAME_MAX];
	int i;

	(void)state;
	f.u.list.count = PAWLINK_MSG_LIST_MAX;
	f.u.list.total = 30;
	f.flags = PAWLINK_MSG_F_MORE;
	for (i = 0; i < PAWLINK_MSG_LIST_MAX; i++)
		make_info(&f.u.list.entries[i], (uint8_t)(0x10 + i));
	assert_int_equal(round_trip(&f, buf, &back),
			 16 + 80 * PAWLINK_MSG_LIST_MAX);
	assert_int_equal(back.u.list.count, PAWLINK_MSG_LIST_MAX);
	assert_int_equal(back.u.list.total, 30);
	assert_int_equal(back.flags, PAWLINK_MSG_F_MORE);
	assert_int_equal(buf[8], 30);
	assert_int_equal(buf[12], PAWLINK_MSG_LIST_MAX);
	/* Out of id order, or a duplicate. */
	f.u.list.entries[3].id[0] = 0x10;
	assert_int_equal(pawlink_msg_encode(buf, sizeof(buf), &f), -EINVAL);
	f.u.list.entries[3].id[0] = 0x13;
	/* An entry the toy could never have stored. */
	f.u.list.entries[5].duration_ms = PAWLINK_MSG_DURATION_MAX_MS + 1;
	assert_int_equal(pawlink_msg_encode(buf, sizeof(buf), &f), -EINVAL);
	f.u.list.entries[5].duration_ms = 1;
	/* More than the total, more than fits, "more" with nothing. */
	f.u.list.total = 3;
	assert_int_equal(pawlink_msg_encode(buf, sizeof(buf), &f), -EINVAL);
	f.u.list.total = 30;
	f.u.list.count = PAWLINK_MSG_LIST_MAX + 1;
	assert_int_equal(pawlink_msg_encode(buf, sizeof(buf), &f), -EINVAL);
	f.u.list.count = 0;
	assert_int_equal(pawlink_msg_encode(buf, sizeof(buf), &f), -EINVAL);
	f.flags = 0;
	assert_int_equal(round_trip(&f, buf, &back), 16);
}

static void test_frame_status_only(void **state)
{
	static const uint8_t types[] = {
		PAWLINK_MSG_DELETE_RESP, PAWLINK_MSG_PLAY_RESP,
		PAWLINK_MSG_XFER_END,
	};
	struct pawlink_msg_frame f = { .tag = 3 }, back;
	uint8_t buf[PAWLINK_FRAME_MAX];
	unsigned int i;

	(void)state;
	for (i = 0; i < sizeof(types); i++) {
		f.type = types[i];
		f.status = PAWLINK_MSG_OK;
		assert_int_equal(round_trip(&f, buf, &back), 8);
		f.status = PAWLINK_MSG_E_BUSY;
		assert_int_equal(round_trip(&f, buf, &back), 8);
		assert_int_equal(pawlink_msg_decode(&back, buf, 12), -EBADMSG);
	}
	/* An abort must give a reason. */
	f.type = PAWLINK_MSG_XFER_ABORT;
	f.status = PAWLINK_MSG_OK;
	assert_int_equal(pawlink_msg_encode(buf, sizeof(buf), &f), -EINVAL);
	f.status = PAWLINK_MSG_E_ABORTED;
	assert_int_equal(round_trip(&f, buf, &back), 8);
}

static void test_frame_unknown_types(void **state)
{
	struct pawlink_msg_frame back;
	uint8_t buf[PAWLINK_FRAME_MAX] = { 0 };
	unsigned int t;

	(void)state;
	/* Every type of the range we do not define, and some outside it. */
	for (t = 0; t < 256; t++) {
		bool known = pawlink_msg_is_request((uint8_t)t) ||
			     pawlink_msg_is_response((uint8_t)t) ||
			     (t >= PAWLINK_MSG_CHUNK &&
			      t <= PAWLINK_MSG_XFER_ABORT);

		if (known)
			continue;
		buf[0] = (uint8_t)t;
		assert_int_equal(pawlink_msg_decode(&back, buf, 8), -EBADMSG);
		assert_int_equal(pawlink_msg_decode(&back, buf, 24), -EBADMSG);
	}
	assert_true(pawlink_msg_type_in_range(0x40));
	assert_true(pawlink_msg_type_in_range(0x5f));
	assert_false(pawlink_msg_type_in_range(0x3f));
	assert_false(pawlink_msg_type_in_range(0x60));
	assert_false(pawlink_msg_type_in_range(0x10));	/* pairing */
	assert_int_equal(pawlink_msg_decode(&back, NULL, 8), -EBADMSG);
	assert_int_equal(pawlink_msg_decode(&back, buf, 0), -EBADMSG);
}

static void test_encode_no_space(void **state)
{
	struct pawlink_msg_frame f = { .type = PAWLINK_MSG_PUT_REQ };
	uint8_t buf[PAWLINK_FRAME_MAX];

	(void)state;
	make_info(&f.u.info, 9);
	assert_int_equal(pawlink_msg_encode(buf, 87, &f), -ENOSPC);
	assert_int_equal(pawlink_msg_encode(buf, 88, &f), 88);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_meta_layout),
		cmocka_unit_test(test_meta_strict),
		cmocka_unit_test(test_meta_check),
		cmocka_unit_test(test_create_and_verify),
		cmocka_unit_test(test_ids),
		cmocka_unit_test(test_status_strings),
		cmocka_unit_test(test_load_file),
		cmocka_unit_test(test_frame_requests),
		cmocka_unit_test(test_frame_put_get),
		cmocka_unit_test(test_frame_have),
		cmocka_unit_test(test_frame_chunk),
		cmocka_unit_test(test_frame_list),
		cmocka_unit_test(test_frame_status_only),
		cmocka_unit_test(test_frame_unknown_types),
		cmocka_unit_test(test_encode_no_space),
	};

	if (sodium_init() < 0)
		return 1;
	return cmocka_run_group_tests(tests, NULL, NULL);
}

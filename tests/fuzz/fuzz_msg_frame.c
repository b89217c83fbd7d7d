// SPDX-License-Identifier: GPL-2.0
/*
 * Fuzzes the message-protocol frame decoder (msg_wire.c).  Any bytes.
 * Checks that a frame it accepts is canonical: encoding the decoded frame
 * gives back exactly the input, and that what it accepts stays within the
 * documented bounds.
 */
#include <stddef.h>
#include <stdint.h>

#include "fuzz_msg.h"
#include "msg_wire.h"

static void seed_frame(const char *name, const struct pawlink_msg_frame *f)
{
	uint8_t buf[PAWLINK_FRAME_MAX];
	int n = pawlink_msg_encode(buf, sizeof(buf), f);

	FUZZ_CHECK(n > 0);
	fuzz_write_seed(name, buf, (size_t)n);
}

static void write_seeds(void)
{
	static const uint8_t data[PAWLINK_MSG_CHUNK_DATA] = { 'O', 'g', 'g' };
	struct pawlink_msg_frame f;
	struct pawlink_msg_info info = {
		.id = { 1, 2, 3 }, .sender = { 4, 5 }, .time = 1700000000,
		.duration_ms = 1234, .size = 5000,
		.codec = PAWLINK_MSG_CODEC_OGG_OPUS, .sha256 = { 9 },
	};
	int i;

	f = (struct pawlink_msg_frame){ .type = PAWLINK_MSG_LIST_REQ, .tag = 1 };
	seed_frame("list-req", &f);
	f = (struct pawlink_msg_frame){ .type = PAWLINK_MSG_LIST_RESP, .tag = 1,
					.flags = PAWLINK_MSG_F_MORE };
	f.u.list.count = 3;
	f.u.list.total = 5;
	for (i = 0; i < 3; i++) {
		f.u.list.entries[i] = info;
		f.u.list.entries[i].id[0] = (uint8_t)(i + 1);
	}
	seed_frame("list-resp", &f);
	f = (struct pawlink_msg_frame){ .type = PAWLINK_MSG_PUT_REQ, .tag = 2 };
	f.u.info = info;
	seed_frame("put-req", &f);
	f = (struct pawlink_msg_frame){ .type = PAWLINK_MSG_PUT_RESP, .tag = 2 };
	f.u.have.next = 3;
	f.u.have.window = PAWLINK_MSG_WINDOW_MAX;
	f.u.have.map_len = 2;
	f.u.have.map[0] = 0x05;
	f.u.have.map[1] = 0x80;
	seed_frame("put-resp", &f);
	f.type = PAWLINK_MSG_ACK;
	seed_frame("ack", &f);
	f = (struct pawlink_msg_frame){ .type = PAWLINK_MSG_GET_REQ, .tag = 3,
					.u.id = { 7 } };
	seed_frame("get-req", &f);
	f = (struct pawlink_msg_frame){ .type = PAWLINK_MSG_GET_RESP, .tag = 3 };
	f.u.info = info;
	seed_frame("get-resp", &f);
	f = (struct pawlink_msg_frame){ .type = PAWLINK_MSG_DELETE_RESP,
					.tag = 4,
					.status = PAWLINK_MSG_E_NOT_FOUND };
	seed_frame("delete-resp", &f);
	f = (struct pawlink_msg_frame){ .type = PAWLINK_MSG_CHUNK, .tag = 5,
					.flags = PAWLINK_MSG_F_ACK_REQ };
	f.u.chunk.index = 4;
	f.u.chunk.data = data;
	f.u.chunk.len = sizeof(data);
	seed_frame("chunk", &f);
	f = (struct pawlink_msg_frame){ .type = PAWLINK_MSG_XFER_ABORT,
					.tag = 5,
					.status = PAWLINK_MSG_E_ABORTED };
	seed_frame("abort", &f);
}

FUZZ_INITIALIZE(fuzz_no_setup, write_seeds)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t again[PAWLINK_FRAME_MAX];
	struct pawlink_msg_frame f;
	int n;

	if (pawlink_msg_decode(&f, data, size) != 0)
		return 0;
	FUZZ_CHECK(size >= PAWLINK_MSG_HDR_LEN &&
		   size <= PAWLINK_FRAME_MAX);
	FUZZ_CHECK(pawlink_msg_type_in_range(f.type));
	n = pawlink_msg_encode(again, sizeof(again), &f);
	FUZZ_CHECK(n == (int)size);
	FUZZ_CHECK(memcmp(again, data, size) == 0);
	if (f.type == PAWLINK_MSG_CHUNK)
		FUZZ_CHECK(f.u.chunk.len >= 1 &&
			   f.u.chunk.len <= PAWLINK_MSG_CHUNK_DATA &&
			   f.u.chunk.index < PAWLINK_MSG_CHUNKS_MAX);
	if ((f.type == PAWLINK_MSG_ACK || f.type == PAWLINK_MSG_PUT_RESP) &&
	    f.status == PAWLINK_MSG_OK)
		FUZZ_CHECK(f.u.have.window >= 1 &&
			   f.u.have.window <= PAWLINK_MSG_WINDOW_MAX &&
			   f.u.have.map_len <= PAWLINK_MSG_MAP_MAX);
	return 0;
}

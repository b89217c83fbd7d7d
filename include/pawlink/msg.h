/* SPDX-License-Identifier: GPL-2.0 */
/*
 * pawlink wire format: the voice message protocol.
 *
 * Userspace only: the kernel relays these as opaque record bodies and never
 * parses them, so they are not kernel ABI (that is <linux/pawlink.h>).
 * Shared by libpawlink, the toy firmware core and pawsim;
 * Documentation/messages.rst gives the same layout byte by byte.  All
 * multi-byte fields are little endian.
 */
#ifndef PAWLINK_WIRE_MSG_H
#define PAWLINK_WIRE_MSG_H

#include <stdbool.h>
#include <stdint.h>

#include <linux/pawlink.h>

/* ---- Voice messages (Documentation/messages.rst) ---- */

/*
 * The message protocol rides in sealed PAWLINK_CH_CTRL frames: each
 * message below is the whole plaintext of one frame (at most
 * PAWLINK_FRAME_MAX bytes).  The first byte is the type; 0x40-0x5f belong
 * to this protocol.  Requests go host -> toy and each gets one response;
 * CHUNK, ACK, XFER_END and XFER_ABORT run a transfer in either direction
 * (PUT: host sends, toy receives; GET: toy sends, host receives).
 */
#define PAWLINK_MSG_TYPE_FIRST		0x40
#define PAWLINK_MSG_TYPE_LAST		0x5f

#define PAWLINK_MSG_LIST_REQ		0x40	/* host -> toy */
#define PAWLINK_MSG_LIST_RESP		0x41	/* toy -> host */
#define PAWLINK_MSG_PUT_REQ		0x42	/* host -> toy: offer an upload */
#define PAWLINK_MSG_PUT_RESP		0x43	/* toy -> host: + what it has */
#define PAWLINK_MSG_GET_REQ		0x44	/* host -> toy: ask a download */
#define PAWLINK_MSG_GET_RESP		0x45	/* toy -> host: + the metadata */
#define PAWLINK_MSG_DELETE_REQ		0x46
#define PAWLINK_MSG_DELETE_RESP		0x47
#define PAWLINK_MSG_PLAY_REQ		0x48
#define PAWLINK_MSG_PLAY_RESP		0x49
#define PAWLINK_MSG_CHUNK		0x50	/* sender -> receiver: data */
#define PAWLINK_MSG_ACK			0x51	/* receiver -> sender */
#define PAWLINK_MSG_XFER_END		0x52	/* receiver -> sender: result */
#define PAWLINK_MSG_XFER_ABORT		0x53	/* either way: transfer is over */

/* Status byte of responses, XFER_END and XFER_ABORT. */
#define PAWLINK_MSG_OK			0
#define PAWLINK_MSG_E_NOT_FOUND		1	/* no message with that id */
#define PAWLINK_MSG_E_QUOTA		2	/* store full: bytes or count */
#define PAWLINK_MSG_E_TOO_LONG		3	/* over 5 min or over SIZE_MAX */
#define PAWLINK_MSG_E_BUSY		4	/* message or player in use */
#define PAWLINK_MSG_E_BAD_HASH		5	/* SHA-256 differs: not committed */
#define PAWLINK_MSG_E_BAD_REQUEST	6	/* invalid field or metadata */
#define PAWLINK_MSG_E_EXISTS		7	/* that id is already stored */
#define PAWLINK_MSG_E_IO		8	/* the store failed */
#define PAWLINK_MSG_E_ABORTED		9	/* the peer gave the transfer up */
#define PAWLINK_MSG_E_NO_XFER		10	/* no transfer with that tag */
#define PAWLINK_MSG_STATUS_LAST		PAWLINK_MSG_E_NO_XFER

#define PAWLINK_MSG_ID_LEN		16	/* random, 128 bits, never 0 */
#define PAWLINK_MSG_SHA256_LEN		32
#define PAWLINK_MSG_CODEC_OGG_OPUS	1
#define PAWLINK_MSG_DURATION_MAX_MS	300000	/* 5 minutes */
#define PAWLINK_MSG_SIZE_MAX		(4U << 20)	/* bytes of one object */

/* Flags, per type; every other bit is zero. */
#define PAWLINK_MSG_F_ACK_REQ		0x01	/* CHUNK: ack at once */
#define PAWLINK_MSG_F_MORE		0x01	/* LIST_RESP: more ids follow */

/* Message metadata, 80 bytes; the object is the Ogg Opus file itself. */
struct pawlink_msg_meta {
	__u8 id[PAWLINK_MSG_ID_LEN];
	__u8 sender[PAWLINK_ID_LEN];	/* host id of the author */
	__le64 time;			/* unix seconds, set by the sender */
	__le32 duration_ms;		/* 1..PAWLINK_MSG_DURATION_MAX_MS */
	__le32 size;			/* 1..PAWLINK_MSG_SIZE_MAX bytes */
	__u8 codec;			/* PAWLINK_MSG_CODEC_* */
	__u8 reserved[7];		/* zero */
	__u8 sha256[PAWLINK_MSG_SHA256_LEN];	/* of all @size bytes */
};

/* Every message except CHUNK starts with these 8 bytes. */
struct pawlink_msg_hdr {
	__u8 type;			/* PAWLINK_MSG_* */
	__u8 flags;			/* PAWLINK_MSG_F_*, per type */
	__le16 tag;			/* request tag = transfer tag */
	__u8 status;			/* responses, END, ABORT; else 0 */
	__u8 reserved[3];		/* zero */
};

/*
 * What a receiver holds: chunks 0..@next-1 all, and chunk @next + 1 + i
 * when bit i (byte i / 8, bit i % 8) of the @map_len byte map is set.
 * @window is how many chunks from @next on it accepts.  @map_len is the
 * least that covers every set bit: its last byte is never zero.
 */
struct pawlink_msg_have {
	__le32 next;
	__le16 window;			/* 1..PAWLINK_MSG_WINDOW_MAX */
	__u8 map_len;			/* 0..PAWLINK_MSG_MAP_MAX */
	__u8 reserved;			/* zero */
	__u8 map[];
};

#define PAWLINK_MSG_WINDOW_MAX		256	/* chunks */
#define PAWLINK_MSG_MAP_MAX		32	/* (WINDOW_MAX - 1) bits */

/* CHUNK: 8 bytes, then 1..PAWLINK_MSG_CHUNK_DATA bytes of the object. */
struct pawlink_msg_chunk {
	__u8 type;			/* PAWLINK_MSG_CHUNK */
	__u8 flags;			/* PAWLINK_MSG_F_ACK_REQ */
	__le16 tag;
	__le32 index;			/* at byte index * CHUNK_DATA */
	__u8 data[];
};

#define PAWLINK_MSG_HDR_LEN		8
#define PAWLINK_MSG_META_LEN		80
#define PAWLINK_MSG_HAVE_LEN		8	/* + map_len */
#define PAWLINK_MSG_CHUNK_DATA		(PAWLINK_FRAME_MAX - 8)	/* 1016 */
#define PAWLINK_MSG_CHUNKS_MAX \
	((PAWLINK_MSG_SIZE_MAX + PAWLINK_MSG_CHUNK_DATA - 1) / \
	 PAWLINK_MSG_CHUNK_DATA)
#define PAWLINK_MSG_LIST_MAX		12	/* metadata per LIST_RESP */

/*
 * Bodies after the header (lengths are exact; a response whose status is
 * not PAWLINK_MSG_OK is the header alone):
 *   LIST_REQ     id after (all zero: from the start)            24
 *   LIST_RESP    __le32 total, __u8 count, 3 zero, count meta   16 + 80n
 *   PUT_REQ      meta                                           88
 *   PUT_RESP     have                                           16 + map
 *   GET_REQ      id                                             24
 *   GET_RESP     meta                                           88
 *   DELETE_REQ, PLAY_REQ   id                                   24
 *   DELETE_RESP, PLAY_RESP, XFER_END, XFER_ABORT  none          8
 *   ACK          have                                           16 + map
 */

/*
 * One message's metadata in host byte order: struct pawlink_msg_meta
 * decoded.  libpawlink hands these out (libpawlink.h).
 */
struct pawlink_msg_info {
	uint8_t id[PAWLINK_MSG_ID_LEN];
	uint8_t sender[PAWLINK_ID_LEN];
	uint64_t time;			/* unix seconds */
	uint32_t duration_ms;
	uint32_t size;			/* bytes of the Ogg Opus object */
	uint8_t codec;			/* PAWLINK_MSG_CODEC_* */
	uint8_t sha256[PAWLINK_MSG_SHA256_LEN];
};

#endif /* PAWLINK_WIRE_MSG_H */

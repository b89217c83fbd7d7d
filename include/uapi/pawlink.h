/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * pawlink: the one description of every wire format and of the ioctl ABI.
 *
 * Shared by the kernel driver (driver/), libpawlink, pawctl and pawsim.
 * Documentation/usb-interface.rst and Documentation/record-layer.rst
 * describe the same structures byte by byte; change them together.
 *
 * All multi-byte wire fields are little endian.
 */
#ifndef _UAPI_PAWLINK_H
#define _UAPI_PAWLINK_H

#include <linux/types.h>
#include <linux/ioctl.h>

/* ---- USB identity (Documentation/usb-interface.rst) ---- */

#define PAWLINK_USB_VID			0x1209	/* pid.codes */
#define PAWLINK_USB_PID			0x0001	/* pid.codes test PID */
#define PAWLINK_USB_CLASS		0xff	/* vendor specific */
#define PAWLINK_USB_SUBCLASS		0x50	/* 'P' */
#define PAWLINK_USB_PROTOCOL		0x01	/* this document, version 1 */

/*
 * The interface has exactly four bulk endpoints, in this order in the
 * interface descriptor.  The host finds them by position, not by address,
 * because FunctionFS and real UDCs renumber endpoint addresses.
 */
#define PAWLINK_EP_CTRL_OUT		0	/* control records, host -> dongle */
#define PAWLINK_EP_CTRL_IN		1	/* control records, dongle -> host */
#define PAWLINK_EP_AUDIO_OUT		2	/* audio records, host -> dongle */
#define PAWLINK_EP_AUDIO_IN		3	/* audio records, dongle -> host */
#define PAWLINK_NUM_EPS			4

/*
 * Vendor requests on EP0: bmRequestType is USB_TYPE_VENDOR |
 * USB_RECIP_INTERFACE (| USB_DIR_IN for the IN ones), wIndex is the
 * interface number, wValue is 0.
 */
#define PAWLINK_REQ_GET_INFO		0x01	/* IN:  struct pawlink_dongle_info */
#define PAWLINK_REQ_SCAN		0x02	/* IN:  up to wLength / 12 beacons */
#define PAWLINK_REQ_CONNECT		0x03	/* OUT: toy id, PAWLINK_ID_LEN bytes */
#define PAWLINK_REQ_DISCONNECT		0x04	/* OUT: no data stage */
#define PAWLINK_REQ_GET_LINK		0x05	/* IN:  struct pawlink_link */

#define PAWLINK_ID_LEN			8	/* toy, host and dongle ids */
#define PAWLINK_SCAN_MAX		16	/* beacons per SCAN reply */

/* Reply to PAWLINK_REQ_GET_INFO: 16 bytes. */
struct pawlink_dongle_info {
	__le16 proto_version;		/* PAWLINK_USB_PROTOCOL */
	__le16 fw_version;		/* major << 8 | minor */
	__u8 dongle_id[PAWLINK_ID_LEN];
	__le16 max_record;		/* largest record it relays, bytes */
	__u8 reserved[2];		/* zero */
};

/*
 * One beacon as heard on the air, 12 bytes.  A toy's beacon carries only
 * its id and the pairing-window flag; rssi is added by the dongle.
 */
#define PAWLINK_BEACON_PAIRING		0x01	/* pairing window is open */
struct pawlink_beacon {
	__u8 toy_id[PAWLINK_ID_LEN];
	__u8 flags;			/* PAWLINK_BEACON_* */
	__s8 rssi;			/* dBm, as measured by the dongle */
	__u8 reserved[2];		/* zero */
};

/* Reply to PAWLINK_REQ_GET_LINK: 12 bytes. */
#define PAWLINK_LINK_IDLE		0	/* not connected to a toy */
#define PAWLINK_LINK_CONNECTING		1
#define PAWLINK_LINK_CONNECTED		2
#define PAWLINK_LINK_LOST		3	/* toy went out of range */
struct pawlink_link {
	__u8 state;			/* PAWLINK_LINK_* */
	__u8 reserved[3];		/* zero */
	__u8 toy_id[PAWLINK_ID_LEN];	/* zero unless connected */
};

/* ---- Record layer (Documentation/record-layer.rst) ---- */

/*
 * Every bulk transfer, in either direction and on either endpoint pair,
 * carries exactly one record: this 16-byte header, then @len bytes of body.
 * A transfer ends with a short packet (a zero-length one when the record is
 * a multiple of wMaxPacketSize).
 *
 * For PAWLINK_CH_PLAIN and PAWLINK_CH_EVENT the body is plaintext.  For the
 * keyed channels the body is ChaCha20-Poly1305 IETF ciphertext followed by
 * the 16-byte tag; the 16 header bytes are the associated data and the
 * nonce is four zero bytes followed by @counter (little endian).
 */
#define PAWLINK_REC_VERSION		1

#define PAWLINK_CH_PLAIN		0	/* beacons and handshakes only */
#define PAWLINK_CH_CTRL			1	/* sealed control frames */
#define PAWLINK_CH_AUDIO		2	/* sealed 10 ms audio frames */
#define PAWLINK_CH_EVENT		3	/* dongle -> host, plaintext */

struct pawlink_rec_hdr {
	__u8 version;			/* PAWLINK_REC_VERSION */
	__u8 channel;			/* PAWLINK_CH_* */
	__le16 len;			/* body bytes after this header */
	__le32 epoch;			/* key generation; 0 while plaintext */
	__le64 counter;			/* strictly increasing per key */
};

#define PAWLINK_REC_HDR_LEN		16
#define PAWLINK_TAG_LEN			16
#define PAWLINK_KEY_LEN			32
#define PAWLINK_NONCE_LEN		12

/* Largest plaintext one write() or read() of /dev/pawlinkN moves. */
#define PAWLINK_FRAME_MAX		1024
/* Largest record on the wire: header, largest frame, tag. */
#define PAWLINK_RECORD_MAX \
	(PAWLINK_REC_HDR_LEN + PAWLINK_FRAME_MAX + PAWLINK_TAG_LEN)

/* A sender must rekey before a key has sealed this many records. */
#define PAWLINK_REKEY_AFTER		(1ULL << 32)

/* Audio: S16_LE, mono, 16 kHz, one 10 ms period per record. */
#define PAWLINK_AUDIO_RATE		16000
#define PAWLINK_AUDIO_CHANNELS		1
#define PAWLINK_AUDIO_PERIOD_FRAMES	160
#define PAWLINK_AUDIO_PERIOD_BYTES	320

/*
 * Dongle events on PAWLINK_CH_EVENT: body is one struct pawlink_event.
 * The dongle is untrusted; an event only changes what the host shows,
 * never what it accepts.
 */
#define PAWLINK_EVENT_LINK		1	/* link state changed */
struct pawlink_event {
	__u8 type;			/* PAWLINK_EVENT_* */
	__u8 reserved[3];
	struct pawlink_link link;
};

/* ---- Pairing messages (Documentation/pairing.rst) ---- */

/*
 * Pairing: CPace (ristretto255, SHA-512) between a host (initiator) and a
 * toy (responder), then an exchange of static X25519 public keys under keys
 * derived from the CPace output.  Each message is the whole body of one
 * PAWLINK_CH_PLAIN record and starts with struct pawlink_pair_hdr.
 *
 *   host -> toy   HELLO     host id, toy id, sid, host's CPace share
 *   toy  -> host  RESPONSE  toy's share, toy's confirmation tag, sealed
 *                           toy static key
 *   host -> toy   CONFIRM   host's confirmation tag, sealed host static key
 *   toy  -> host  DONE      tag over both pinned static keys
 *
 * FAIL says only "failed" (wrong code, window closed and lock-out all look
 * the same); BUSY says another pairing is in progress.  Every message has
 * one fixed length.  A parser refuses any other length, an unknown type, a
 * version other than PAWLINK_PAIR_VERSION (a downgrade) and non-zero
 * reserved bytes.
 */
#define PAWLINK_PAIR_VERSION		1

#define PAWLINK_PAIR_MSG_HELLO		0x10
#define PAWLINK_PAIR_MSG_RESPONSE	0x11
#define PAWLINK_PAIR_MSG_CONFIRM	0x12
#define PAWLINK_PAIR_MSG_DONE		0x13
#define PAWLINK_PAIR_MSG_FAIL		0x1e
#define PAWLINK_PAIR_MSG_BUSY		0x1f

#define PAWLINK_PAIR_SID_LEN		16	/* random, chosen by the host */
#define PAWLINK_PAIR_SHARE_LEN		32	/* ristretto255 encoding */
#define PAWLINK_PAIR_MAC_LEN		32	/* HMAC-SHA-512-256 */
#define PAWLINK_PAIR_STATIC_LEN		32	/* X25519 public key */
/* A static public key sealed with ChaCha20-Poly1305 IETF: ciphertext, tag. */
#define PAWLINK_PAIR_SEALED_LEN		(PAWLINK_PAIR_STATIC_LEN + PAWLINK_TAG_LEN)

struct pawlink_pair_hdr {
	__u8 type;			/* PAWLINK_PAIR_MSG_* */
	__u8 version;			/* PAWLINK_PAIR_VERSION */
	__u8 reserved[2];		/* zero */
};

/* 68 bytes.  Everything before @share is CPace's ADa. */
struct pawlink_pair_hello {
	struct pawlink_pair_hdr hdr;
	__u8 host_id[PAWLINK_ID_LEN];
	__u8 toy_id[PAWLINK_ID_LEN];	/* the toy this host means to pair */
	__u8 sid[PAWLINK_PAIR_SID_LEN];
	__u8 share[PAWLINK_PAIR_SHARE_LEN];	/* Ya */
};

/* 116 bytes.  @hdr is CPace's ADb. */
struct pawlink_pair_response {
	struct pawlink_pair_hdr hdr;
	__u8 share[PAWLINK_PAIR_SHARE_LEN];	/* Yb */
	__u8 mac[PAWLINK_PAIR_MAC_LEN];		/* toy's key confirmation */
	__u8 sealed_static[PAWLINK_PAIR_SEALED_LEN];	/* toy static key */
};

/* 84 bytes. */
struct pawlink_pair_confirm {
	struct pawlink_pair_hdr hdr;
	__u8 mac[PAWLINK_PAIR_MAC_LEN];		/* host's key confirmation */
	__u8 sealed_static[PAWLINK_PAIR_SEALED_LEN];	/* host static key */
};

/* 36 bytes. */
struct pawlink_pair_done {
	struct pawlink_pair_hdr hdr;
	__u8 mac[PAWLINK_PAIR_MAC_LEN];		/* over both static keys */
};

/* PAWLINK_PAIR_MSG_FAIL and _BUSY are a bare header, 4 bytes. */

#define PAWLINK_PAIR_HDR_LEN		4
#define PAWLINK_PAIR_HELLO_LEN		68
#define PAWLINK_PAIR_RESPONSE_LEN	116
#define PAWLINK_PAIR_CONFIRM_LEN	84
#define PAWLINK_PAIR_DONE_LEN		36
#define PAWLINK_PAIR_STATUS_LEN		PAWLINK_PAIR_HDR_LEN
#define PAWLINK_PAIR_MSG_MAX		PAWLINK_PAIR_RESPONSE_LEN

/* ---- Session handshake messages (Documentation/session.rst) ---- */

/*
 * Noise_KK_25519_ChaChaPoly_SHA256, host = initiator, toy = responder, one
 * round trip: INIT (Noise message 1), then RESP (message 2) or REJECT.
 * Each message is the body of one PAWLINK_CH_PLAIN record; a rekey on a
 * keyed link carries the same bytes as a sealed PAWLINK_CH_CTRL frame.
 * The first body byte is the type; 0x20-0x2f belong to the session.
 *
 * The Noise prologue is PAWLINK_SESS_PROLOGUE (no NUL) followed by the 8
 * header bytes of the INIT, so version and epoch cannot be changed on the
 * way.  Both Noise payloads are empty (message 1 is replayable).
 */
#define PAWLINK_SESS_VERSION		1
#define PAWLINK_SESS_PROLOGUE		"pawlink session v1"

#define PAWLINK_SESS_INIT		0x20	/* host -> toy: -> e, es, ss */
#define PAWLINK_SESS_RESP		0x21	/* toy -> host: <- e, ee, se */
#define PAWLINK_SESS_REJECT		0x22	/* toy -> host: refused */

/* Why a toy refused, in PAWLINK_SESS_REJECT.  Unauthenticated: a hint. */
#define PAWLINK_SESS_REJ_VERSION	1	/* version not supported */
#define PAWLINK_SESS_REJ_MALFORMED	2	/* bad length or field */
#define PAWLINK_SESS_REJ_EPOCH		3	/* epoch not above the toy's */
#define PAWLINK_SESS_REJ_AUTH		4	/* not a paired host, or altered */

/* The 8 bytes every session message starts with. */
struct pawlink_sess_hdr {
	__u8 type;			/* PAWLINK_SESS_INIT/RESP/REJECT */
	__u8 version;			/* PAWLINK_SESS_VERSION */
	__u8 reason;			/* REJECT: PAWLINK_SESS_REJ_*; else 0 */
	__u8 reserved;			/* zero */
	__le32 epoch;			/* record-key epoch being set up, >= 1 */
};

/* INIT and RESP: 56 bytes.  REJECT is the header alone: 8 bytes. */
struct pawlink_sess_msg {
	struct pawlink_sess_hdr hdr;
	__u8 ephemeral[32];		/* X25519 public key */
	__u8 tag[16];			/* Poly1305 tag of the empty payload */
};

#define PAWLINK_SESS_HDR_LEN		8
#define PAWLINK_SESS_MSG_LEN		56
#define PAWLINK_SESS_REJECT_LEN		PAWLINK_SESS_HDR_LEN

/* ---- Air frames (Documentation/air.rst) ---- */

/*
 * One frame on the simulated air (pawsim air): this 20-byte header, then
 * @len bytes of payload.  Every radio on the air hears every frame; a radio
 * keeps those addressed to its own id or to the broadcast id (all eight
 * bytes 0xff) unless it is promiscuous.  The air layer has no crypto:
 * security is end to end in the records it carries.
 *
 * PAWLINK_AIR_BEACON: @dst is broadcast and the payload is one
 * struct pawlink_air_beacon whose @toy_id equals @src.
 * PAWLINK_AIR_DATA: @dst is one radio (not broadcast, not @src) and the
 * payload is exactly one record: struct pawlink_rec_hdr, then its body.
 * The air checks the record's framing (version, channel PLAIN, CTRL or
 * AUDIO, length); epoch, counter and body are the endpoints' business.
 */
#define PAWLINK_AIR_VERSION		1

#define PAWLINK_AIR_BEACON		1
#define PAWLINK_AIR_DATA		2

struct pawlink_air_hdr {
	__u8 version;			/* PAWLINK_AIR_VERSION */
	__u8 type;			/* PAWLINK_AIR_* */
	__le16 len;			/* payload bytes after this header */
	__u8 src[PAWLINK_ID_LEN];	/* sending radio, never 0 or broadcast */
	__u8 dst[PAWLINK_ID_LEN];	/* receiving radio, or broadcast */
};

/*
 * A toy's beacon, 9 bytes: struct pawlink_beacon without what the dongle
 * adds.  Never a model, a name or a date.
 */
struct pawlink_air_beacon {
	__u8 toy_id[PAWLINK_ID_LEN];
	__u8 flags;			/* PAWLINK_BEACON_* */
};

#define PAWLINK_AIR_HDR_LEN		20
#define PAWLINK_AIR_BEACON_LEN		9
#define PAWLINK_AIR_FRAME_MAX	(PAWLINK_AIR_HDR_LEN + PAWLINK_RECORD_MAX)

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

/* ---- Toy commands (Documentation/toy.rst) ---- */

/*
 * The toy's own functions (status, LED, volume, microphone, event log,
 * unpairing, ending the session) ride in sealed PAWLINK_CH_CTRL frames like
 * the message protocol: each message below is the whole plaintext of one
 * frame, and a toy obeys them only inside a session with a paired host.
 * Types 0x60-0x7f.  Each request (an even type) goes host -> toy and is
 * answered with the next type, the same tag and a status; a repeated
 * request (same type and tag) gets the same answer again without being
 * redone.  Every message starts with struct pawlink_toy_hdr, lengths are
 * exact and reserved bytes are zero.
 */
#define PAWLINK_TOY_TYPE_FIRST		0x60
#define PAWLINK_TOY_TYPE_LAST		0x7f

#define PAWLINK_TOY_STATUS_REQ		0x60	/* header only */
#define PAWLINK_TOY_STATUS_RESP		0x61	/* + struct pawlink_toy_status */
#define PAWLINK_TOY_LED_REQ		0x62	/* + struct pawlink_toy_set */
#define PAWLINK_TOY_LED_RESP		0x63
#define PAWLINK_TOY_VOLUME_REQ		0x64	/* + struct pawlink_toy_set */
#define PAWLINK_TOY_VOLUME_RESP		0x65
#define PAWLINK_TOY_MIC_START_REQ	0x66	/* lights the LED, logs, streams */
#define PAWLINK_TOY_MIC_START_RESP	0x67
#define PAWLINK_TOY_MIC_STOP_REQ	0x68
#define PAWLINK_TOY_MIC_STOP_RESP	0x69
#define PAWLINK_TOY_LOG_REQ		0x6a	/* + struct pawlink_toy_log_req */
#define PAWLINK_TOY_LOG_RESP		0x6b	/* + log_resp, entries */
#define PAWLINK_TOY_UNPAIR_REQ		0x6c	/* forget this host; ends it */
#define PAWLINK_TOY_UNPAIR_RESP		0x6d
#define PAWLINK_TOY_BYE_REQ		0x6e	/* end the session */
#define PAWLINK_TOY_BYE_RESP		0x6f

/* Status byte of responses; a response that is not OK is the header alone. */
#define PAWLINK_TOY_OK			0
#define PAWLINK_TOY_E_BAD_REQUEST	1	/* malformed or out of range */
#define PAWLINK_TOY_E_IO		2	/* could not be made durable */
#define PAWLINK_TOY_STATUS_LAST		PAWLINK_TOY_E_IO

struct pawlink_toy_hdr {
	__u8 type;			/* PAWLINK_TOY_* */
	__u8 status;			/* responses: PAWLINK_TOY_OK/_E_*; else 0 */
	__le16 tag;			/* the request's, echoed */
	__u8 reserved[4];		/* zero */
};

/* LED_REQ (@value 0 off, 1 on) and VOLUME_REQ (@value 0..100): 8 bytes. */
#define PAWLINK_TOY_VOLUME_MAX		100
struct pawlink_toy_set {
	__u8 value;
	__u8 reserved[7];		/* zero */
};

/* LOG_REQ: the first sequence number wanted.  8 bytes. */
struct pawlink_toy_log_req {
	__le32 from;
	__le32 reserved;		/* zero */
};

/* STATUS_RESP body, 104 bytes.  Counters are since the toy's last boot. */
struct pawlink_toy_status {
	__le32 boot;			/* boots since manufacture or reset */
	__le32 reserved0;		/* zero */
	__le64 uptime_ms;		/* since this boot */
	__u8 led;			/* 0 off, 1 on */
	__u8 volume;			/* 0..PAWLINK_TOY_VOLUME_MAX */
	__u8 mic;			/* 1 while the microphone streams */
	__u8 playing;			/* 1 while a message plays */
	__u8 paired_hosts;		/* 0..8 */
	__u8 pairing_window;		/* 1 while the window is open */
	__u8 locked;			/* 1 once pairing is locked out */
	__u8 reserved1;			/* zero */
	__le32 lifetime_failures;	/* pairing failures, persisted */
	__le32 msg_count;		/* voice messages stored */
	__le64 msg_bytes;		/* their bytes */
	__le32 log_next;		/* sequence number of the next entry */
	__le32 mic_starts;		/* remote microphone starts, persisted */
	__le64 rx_dropped_plaintext;	/* plaintext during a session */
	__le64 rx_dropped_auth;		/* sealed records that did not verify */
	__le64 rx_dropped_replay;	/* replayed, reordered or old epoch */
	__le64 rx_dropped_malformed;	/* bad framing, or sealed with no key */
	__le64 refused_unauth;		/* commands without a session */
	__le64 audio_frames_sent;	/* microphone records */
	__le64 speaker_samples;		/* samples played */
};

/* LOG_RESP body: this, then @count entries of 32 bytes. */
struct pawlink_toy_log_resp {
	__le32 first;			/* oldest sequence number still held */
	__le32 next;			/* the next one the toy will use */
	__u8 count;			/* 0..PAWLINK_TOY_LOG_MAX */
	__u8 reserved[7];		/* zero */
};

/* One event in the toy's log, 32 bytes. */
struct pawlink_toy_log_entry {
	__le32 seq;			/* from 0, one per event */
	__u8 event;			/* PAWLINK_TOY_EV_* */
	__u8 detail;			/* per event, below */
	__u8 reserved[2];		/* zero */
	__le32 boot;			/* the boot it happened in */
	__le32 reserved2;		/* zero */
	__le64 time_ms;			/* since that boot */
	__u8 host_id[PAWLINK_ID_LEN];	/* the host concerned, or zero */
};

#define PAWLINK_TOY_EV_BOOT		1
#define PAWLINK_TOY_EV_FACTORY_RESET	2
#define PAWLINK_TOY_EV_BUTTON		3	/* detail: PAWLINK_TOY_BUTTON_* */
#define PAWLINK_TOY_EV_PAIR_START	4	/* host as claimed; charged */
#define PAWLINK_TOY_EV_PAIR_OK		5	/* host pinned */
#define PAWLINK_TOY_EV_PAIR_FAIL	6	/* detail: PAWLINK_TOY_PAIR_* */
/* window closed, locked, full or busy; detail: how many in a row */
#define PAWLINK_TOY_EV_PAIR_REFUSED	7	/* host: the last claimed */
#define PAWLINK_TOY_EV_LOCKED		8	/* lifetime failure limit reached */
#define PAWLINK_TOY_EV_SESSION_START	9	/* host authenticated */
#define PAWLINK_TOY_EV_SESSION_REJECT	10	/* detail: how many in a row */
#define PAWLINK_TOY_EV_SESSION_END	11	/* detail: PAWLINK_TOY_END_* */
#define PAWLINK_TOY_EV_MIC_START	12	/* host */
#define PAWLINK_TOY_EV_MIC_STOP		13	/* detail: PAWLINK_TOY_MIC_* */
#define PAWLINK_TOY_EV_UNPAIR		14	/* host removed itself */
#define PAWLINK_TOY_EV_LAST		PAWLINK_TOY_EV_UNPAIR

#define PAWLINK_TOY_BUTTON_OPENED	0	/* the pairing window opened */
#define PAWLINK_TOY_BUTTON_LOCKED	1	/* refused: locked out */
#define PAWLINK_TOY_BUTTON_FULL		2	/* refused: 8 hosts paired */
#define PAWLINK_TOY_PAIR_AUTH		1	/* wrong code, or forged */
#define PAWLINK_TOY_PAIR_PROTOCOL	2	/* malformed or out of order */
#define PAWLINK_TOY_PAIR_TIMEOUT	3	/* no CONFIRM in time */
#define PAWLINK_TOY_PAIR_STORAGE	4	/* the state could not be saved */
#define PAWLINK_TOY_END_BYE		1	/* the host ended it */
#define PAWLINK_TOY_END_IDLE		2	/* nothing from the host in time */
#define PAWLINK_TOY_END_UNPAIRED	3
#define PAWLINK_TOY_END_RESET		4	/* factory reset */
#define PAWLINK_TOY_MIC_HOST		1	/* the host stopped it */
#define PAWLINK_TOY_MIC_LED_OFF		2	/* the LED went off */
#define PAWLINK_TOY_MIC_SESSION_END	3	/* the session ended */

#define PAWLINK_TOY_HDR_LEN		8
#define PAWLINK_TOY_SET_LEN		16	/* LED_REQ, VOLUME_REQ */
#define PAWLINK_TOY_LOG_REQ_LEN		16
#define PAWLINK_TOY_STATUS_LEN		104	/* struct pawlink_toy_status */
#define PAWLINK_TOY_STATUS_RESP_LEN	(PAWLINK_TOY_HDR_LEN + PAWLINK_TOY_STATUS_LEN)
#define PAWLINK_TOY_LOG_RESP_HDR_LEN	16	/* struct pawlink_toy_log_resp */
#define PAWLINK_TOY_LOG_ENTRY_LEN	32
/* As many entries as fit one frame: 8 + 16 + 31 * 32 = 1016 bytes. */
#define PAWLINK_TOY_LOG_MAX		31

/* ---- ioctl ABI of /dev/pawlinkN (Documentation/char-device.rst) ---- */

#define PAWLINK_IOC_MAGIC		'P'

/* Filled from the dongle's GET_INFO and the driver's state. */
struct pawlink_info {
	__u32 proto_version;
	__u32 fw_version;
	__u8 dongle_id[PAWLINK_ID_LEN];
	__u32 max_frame;		/* PAWLINK_FRAME_MAX */
	__u32 speed;			/* enum usb_device_speed */
	__u32 link_state;		/* PAWLINK_LINK_* */
	__u32 keyed;			/* 1 once keys are installed */
	__u8 toy_id[PAWLINK_ID_LEN];
};

struct pawlink_scan {
	__u32 count;			/* out: entries filled */
	__u32 reserved;			/* zero */
	struct pawlink_beacon beacons[PAWLINK_SCAN_MAX];
};

struct pawlink_connect {
	__u8 toy_id[PAWLINK_ID_LEN];
	__u32 flags;			/* zero */
};

/*
 * Frame counters, also in sysfs under statistics/.  "dropped_*" are
 * records the driver received and threw away, each for one reason.
 */
struct pawlink_stats {
	__u64 tx_records;
	__u64 rx_records;
	__u64 rx_dropped_malformed;	/* bad version, channel or length */
	__u64 rx_dropped_overflow;	/* longer than PAWLINK_RECORD_MAX */
	__u64 rx_dropped_plaintext;	/* plaintext after keys were installed */
	__u64 rx_dropped_auth;		/* tag did not verify */
	__u64 rx_dropped_replay;	/* counter not above the last accepted */
	__u64 rx_dropped_queue_full;	/* reader too slow */
	__u64 stalls;			/* endpoint halts cleared */
	__u64 audio_lost_frames;	/* capture gaps filled with silence */
};

/*
 * Session keys, derived in userspace (Documentation/session.rst), one per
 * direction and channel.  h2t = host to toy, t2h = toy to host.  The driver
 * checks @version and the exact struct size, refuses a second install
 * unless PAWLINK_KEYS_REKEY is set, and zeroes every copy it makes.
 */
#define PAWLINK_KEYS_VERSION		1
#define PAWLINK_KEYS_REKEY		0x1
struct pawlink_key_install {
	__u32 version;			/* PAWLINK_KEYS_VERSION */
	__u32 flags;			/* PAWLINK_KEYS_* */
	__u32 epoch;			/* new epoch; above the current one */
	__u32 reserved;			/* zero */
	__u8 h2t_ctrl[PAWLINK_KEY_LEN];
	__u8 t2h_ctrl[PAWLINK_KEY_LEN];
	__u8 h2t_audio[PAWLINK_KEY_LEN];
	__u8 t2h_audio[PAWLINK_KEY_LEN];
};

#define PAWLINK_IOC_GET_INFO	_IOR(PAWLINK_IOC_MAGIC, 0x01, struct pawlink_info)
#define PAWLINK_IOC_SCAN	_IOR(PAWLINK_IOC_MAGIC, 0x02, struct pawlink_scan)
#define PAWLINK_IOC_CONNECT	_IOW(PAWLINK_IOC_MAGIC, 0x03, struct pawlink_connect)
#define PAWLINK_IOC_DISCONNECT	_IO(PAWLINK_IOC_MAGIC, 0x04)
#define PAWLINK_IOC_GET_STATS	_IOR(PAWLINK_IOC_MAGIC, 0x05, struct pawlink_stats)
#define PAWLINK_IOC_SET_KEYS	_IOW(PAWLINK_IOC_MAGIC, 0x10, struct pawlink_key_install)

#endif /* _UAPI_PAWLINK_H */

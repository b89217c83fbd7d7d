/* SPDX-License-Identifier: GPL-2.0 */
/*
 * pawlink wire format: the session handshake messages.
 *
 * Userspace only: the kernel relays these as opaque record bodies and never
 * parses them, so they are not kernel ABI (that is <linux/pawlink.h>).
 * Shared by libpawlink, the toy firmware core and pawsim;
 * Documentation/session.rst gives the same layout byte by byte.  All multi-byte
 * fields are little endian.
 */
#ifndef PAWLINK_WIRE_SESSION_H
#define PAWLINK_WIRE_SESSION_H

#include <linux/pawlink.h>

/* ---- Session handshake messages (Documentation/session.rst) ---- */

/*
 * Noise_KK_25519_ChaChaPoly_SHA256, host = initiator, toy = responder, one
 * round trip: INIT (Noise message 1), then RESP (message 2) or REJECT.
 * Each message is the body of one PAWLINK_CH_PLAIN record; a rekey on a
 * keyed link carries the same bytes as a sealed PAWLINK_CH_CTRL frame.
 * The first body byte is the type; 0x20-0x2f belong to the session.
 *
 * The Noise prologue is PAWLINK_SESS_PROLOGUE (no NUL) followed by the 16
 * cleartext bytes that open the INIT (header and stamp), so version, epoch
 * and stamp cannot be changed on the way.  Both Noise payloads are empty.
 *
 * The INIT also carries a stamp the toy requires to be above the last one
 * it accepted from that host (replays get nothing), and ends with mac1, a
 * keyed BLAKE2b over the bytes before it, keyed by the toy's static public
 * key (only paired hosts know it): the toy checks it before any X25519.
 */
#define PAWLINK_SESS_VERSION		2
#define PAWLINK_SESS_PROLOGUE		"pawlink session v2"
/* mac1's key is BLAKE2b-256(PAWLINK_SESS_MAC1_LABEL || toy static key). */
#define PAWLINK_SESS_MAC1_LABEL		"pawlink session mac1 v2"

#define PAWLINK_SESS_INIT		0x20	/* host -> toy: -> e, es, ss */
#define PAWLINK_SESS_RESP		0x21	/* toy -> host: <- e, ee, se */
#define PAWLINK_SESS_REJECT		0x22	/* toy -> host: refused */

/* Why a toy refused, in PAWLINK_SESS_REJECT.  Unauthenticated: a hint. */
#define PAWLINK_SESS_REJ_VERSION	1	/* version not supported */
#define PAWLINK_SESS_REJ_MALFORMED	2	/* bad length or field */
#define PAWLINK_SESS_REJ_EPOCH		3	/* epoch not above the toy's */
#define PAWLINK_SESS_REJ_AUTH		4	/* not a paired host, or altered */
#define PAWLINK_SESS_REJ_BUSY		5	/* in a session with another host */

/* The 8 bytes every session message starts with. */
struct pawlink_sess_hdr {
	__u8 type;			/* PAWLINK_SESS_INIT/RESP/REJECT */
	__u8 version;			/* PAWLINK_SESS_VERSION */
	__u8 reason;			/* REJECT: PAWLINK_SESS_REJ_*; else 0 */
	__u8 reserved;			/* zero */
	__le32 epoch;			/* record-key epoch being set up, >= 1 */
};

/* RESP: 56 bytes.  REJECT is the header alone: 8 bytes. */
struct pawlink_sess_msg {
	struct pawlink_sess_hdr hdr;
	__u8 ephemeral[32];		/* X25519 public key */
	__u8 tag[16];			/* Poly1305 tag of the empty payload */
};

/* INIT: 80 bytes. */
struct pawlink_sess_init {
	struct pawlink_sess_hdr hdr;
	__le64 stamp;			/* above the last one from this host */
	__u8 ephemeral[32];		/* X25519 public key */
	__u8 tag[16];			/* Poly1305 tag of the empty payload */
	__u8 mac1[16];			/* BLAKE2b-128 of bytes 0-63, keyed */
};

#define PAWLINK_SESS_HDR_LEN		8
#define PAWLINK_SESS_INIT_HDR_LEN	16	/* header and stamp */
#define PAWLINK_SESS_MAC1_LEN		16
#define PAWLINK_SESS_MAC1_KEY_LEN	32
#define PAWLINK_SESS_MSG_LEN		56
#define PAWLINK_SESS_INIT_LEN		80
#define PAWLINK_SESS_REJECT_LEN		PAWLINK_SESS_HDR_LEN

/* The Noise handshake hash (SHA-256), public: shown to the user. */
#define PAWLINK_SESSION_HASH_LEN	32

#endif /* PAWLINK_WIRE_SESSION_H */

/* SPDX-License-Identifier: GPL-2.0 */
/*
 * pawlink wire format: the pairing messages.
 *
 * Userspace only: the kernel relays these as opaque record bodies and never
 * parses them, so they are not kernel ABI (that is <linux/pawlink.h>).
 * Shared by libpawlink, the toy firmware core and pawsim;
 * Documentation/pairing.rst gives the same layout byte by byte.  All multi-byte
 * fields are little endian.
 */
#ifndef PAWLINK_WIRE_PAIRING_H
#define PAWLINK_WIRE_PAIRING_H

#include <linux/pawlink.h>

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

#endif /* PAWLINK_WIRE_PAIRING_H */

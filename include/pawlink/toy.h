/* SPDX-License-Identifier: GPL-2.0 */
/*
 * pawlink wire format: the toy commands.
 *
 * Userspace only: the kernel relays these as opaque record bodies and never
 * parses them, so they are not kernel ABI (that is <linux/pawlink.h>).
 * Shared by libpawlink, the toy firmware core and pawsim;
 * Documentation/toy.rst gives the same layout byte by byte.  All multi-byte
 * fields are little endian.
 */
#ifndef PAWLINK_WIRE_TOY_H
#define PAWLINK_WIRE_TOY_H

#include <stdbool.h>
#include <stdint.h>

#include <linux/pawlink.h>

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
/* Administration (toy.rst "Administration"): any paired host may. */
#define PAWLINK_TOY_HOSTS_REQ		0x70	/* header only */
#define PAWLINK_TOY_HOSTS_RESP		0x71	/* + hosts_resp, entries */
#define PAWLINK_TOY_REVOKE_REQ		0x72	/* + struct pawlink_toy_revoke */
#define PAWLINK_TOY_REVOKE_RESP		0x73
#define PAWLINK_TOY_INVITE_REQ		0x74	/* + struct pawlink_toy_invite */
#define PAWLINK_TOY_INVITE_RESP		0x75	/* + struct pawlink_toy_invite_resp */

/* Status byte of responses; a response that is not OK is the header alone. */
#define PAWLINK_TOY_OK			0
#define PAWLINK_TOY_E_BAD_REQUEST	1	/* malformed or out of range */
#define PAWLINK_TOY_E_IO		2	/* could not be made durable */
#define PAWLINK_TOY_E_NOT_FOUND		3	/* REVOKE: no such host */
#define PAWLINK_TOY_E_FULL		4	/* INVITE: 8 hosts paired */
#define PAWLINK_TOY_STATUS_LAST		PAWLINK_TOY_E_FULL

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

/*
 * HOSTS_RESP body: this, then @count entries of 48 bytes.  @boot and
 * @uptime_ms are the toy's clock now, so a host can turn the entries'
 * times (the toy has no calendar) into ages.
 */
#define PAWLINK_TOY_HOST_NAME_LEN	16	/* printable ASCII, zero padded */
struct pawlink_toy_hosts_resp {
	__u8 count;			/* 0..8 */
	__u8 reserved[3];		/* zero */
	__le32 boot;
	__le64 uptime_ms;
};

/* One paired host, 48 bytes. */
#define PAWLINK_TOY_HOST_YOU		0x01	/* the session's own host */
#define PAWLINK_TOY_HOST_SEEN		0x02	/* had a session this boot */
struct pawlink_toy_host_entry {
	__u8 host_id[PAWLINK_ID_LEN];
	__le32 paired_boot;		/* the boot it was paired in */
	__u8 flags;			/* PAWLINK_TOY_HOST_* */
	__u8 reserved[3];		/* zero */
	__le64 paired_ms;		/* since that boot */
	__le64 seen_ms;			/* last session start, this boot; 0
					 * without PAWLINK_TOY_HOST_SEEN */
	char name[PAWLINK_TOY_HOST_NAME_LEN];	/* from the invite */
};

/* REVOKE_REQ: the host to forget (not the session's own: UNPAIR). */
struct pawlink_toy_revoke {
	__u8 host_id[PAWLINK_ID_LEN];
};

/* INVITE_REQ: the name the invited host will have in HOSTS_RESP. */
struct pawlink_toy_invite {
	char name[PAWLINK_TOY_HOST_NAME_LEN];	/* printable, zero padded */
};

/* INVITE_RESP body: the one-time code the window now takes.  16 bytes. */
#define PAWLINK_TOY_INVITE_CODE_LEN	8	/* ASCII digits */
struct pawlink_toy_invite_resp {
	char code[PAWLINK_TOY_INVITE_CODE_LEN];
	__le32 valid_ms;		/* from now; one pairing, then gone */
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
	__le16 count;			/* PAWLINK_TOY_EV_SESSION: sessions
					 * folded in, 1..65535; else zero */
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
#define PAWLINK_TOY_EV_REVOKE		15	/* host: the one removed */
#define PAWLINK_TOY_EV_INVITE		16	/* host: the one who invited */
/*
 * Sessions of one host that each ended with BYE and had nothing else
 * logged inside or between them, folded: count says how many, time the
 * last one's start (toy.rst "Event log").
 */
#define PAWLINK_TOY_EV_SESSION		17
#define PAWLINK_TOY_EV_LAST		PAWLINK_TOY_EV_SESSION

#define PAWLINK_TOY_BUTTON_OPENED	0	/* the pairing window opened */
#define PAWLINK_TOY_BUTTON_LOCKED	1	/* refused: locked out */
#define PAWLINK_TOY_BUTTON_FULL		2	/* refused: 8 hosts paired */
#define PAWLINK_TOY_BUTTON_CLAIMED	3	/* refused: paired; invite */
#define PAWLINK_TOY_PAIR_AUTH		1	/* wrong code, or forged */
#define PAWLINK_TOY_PAIR_PROTOCOL	2	/* malformed or out of order */
#define PAWLINK_TOY_PAIR_TIMEOUT	3	/* no CONFIRM in time */
#define PAWLINK_TOY_PAIR_STORAGE	4	/* the state could not be saved */
#define PAWLINK_TOY_END_BYE		1	/* the host ended it */
#define PAWLINK_TOY_END_IDLE		2	/* nothing from the host in time */
#define PAWLINK_TOY_END_UNPAIRED	3
#define PAWLINK_TOY_END_RESET		4	/* factory reset */
#define PAWLINK_TOY_END_REPLACED	5	/* the same host started anew */
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
#define PAWLINK_TOY_HOSTS_RESP_HDR_LEN	16	/* struct pawlink_toy_hosts_resp */
#define PAWLINK_TOY_HOST_ENTRY_LEN	48
#define PAWLINK_TOY_REVOKE_LEN		(PAWLINK_TOY_HDR_LEN + PAWLINK_ID_LEN)
#define PAWLINK_TOY_INVITE_LEN		(PAWLINK_TOY_HDR_LEN + PAWLINK_TOY_HOST_NAME_LEN)
#define PAWLINK_TOY_INVITE_RESP_LEN	(PAWLINK_TOY_HDR_LEN + 16)
#define PAWLINK_TOY_HOSTS_MAX		8
/* As many entries as fit one frame: 8 + 16 + 31 * 32 = 1016 bytes. */
#define PAWLINK_TOY_LOG_MAX		31

/*
 * The toy's status (struct pawlink_toy_status) and one log entry (struct
 * pawlink_toy_log_entry) in host byte order, as libpawlink hands them out.
 */
struct pawlink_toy_status_info {
	uint32_t boot;
	uint64_t uptime_ms;
	bool led;
	uint8_t volume;
	bool mic;
	bool playing;
	uint8_t paired_hosts;
	bool pairing_window;
	bool locked;
	uint32_t lifetime_failures;
	uint32_t msg_count;
	uint64_t msg_bytes;
	uint32_t log_next;
	uint32_t mic_starts;
	uint64_t rx_dropped_plaintext;
	uint64_t rx_dropped_auth;
	uint64_t rx_dropped_replay;
	uint64_t rx_dropped_malformed;
	uint64_t refused_unauth;
	uint64_t audio_frames_sent;
	uint64_t speaker_samples;
};

/* One HOSTS_RESP entry in host order (pawlink_hosts()). */
struct pawlink_toy_host_info {
	uint8_t id[PAWLINK_ID_LEN];
	char name[PAWLINK_TOY_HOST_NAME_LEN + 1];	/* "" for none */
	bool you;			/* this host */
	bool seen;			/* had a session since the toy booted */
	uint32_t paired_boot;
	uint64_t paired_ms;		/* since that boot */
	uint64_t seen_ms;		/* since this boot, when @seen */
};

struct pawlink_toy_event {
	uint32_t seq;
	uint8_t event;			/* PAWLINK_TOY_EV_* */
	uint8_t detail;
	uint16_t count;			/* in the padding: the size is kept */
	uint32_t boot;
	uint64_t time_ms;
	uint8_t host_id[PAWLINK_ID_LEN];
};

#endif /* PAWLINK_WIRE_TOY_H */

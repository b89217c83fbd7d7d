/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * pawlink kernel ABI: what pawlink.ko and userspace share.  The dongle's
 * USB identity and vendor requests, the record header every bulk transfer
 * carries, the audio format of the ALSA card, and the ioctls of
 * /dev/pawlinkN.  Nothing else: the formats only userspace parses
 * (pairing, session, air, messages, toy commands) are in include/pawlink/.
 *
 * Documentation/usb-interface.rst, record-layer.rst and char-device.rst
 * describe the same structures byte by byte; change them together.
 *
 * All multi-byte wire fields are little endian.
 */
#ifndef _UAPI_LINUX_PAWLINK_H
#define _UAPI_LINUX_PAWLINK_H

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
 * The audio channel (Documentation/record-layer.rst, "Audio channel").
 * Every plaintext body sealed on PAWLINK_CH_AUDIO starts with this 12-byte
 * header.  A PAWLINK_AUDIO_PCM body has one period of samples after it; the
 * others end with the header.  On the dongle path the kernel owns this
 * channel (the ALSA card); on the air path, userspace.
 *
 * The toy's clock is the master.  Capture: while its microphone runs, the
 * toy sends one PCM record per period of its clock, @seq counting periods
 * from 0 at the start; a gap in @seq is periods lost on the way.
 * Playback: the host numbers its PCM records from 0 at the start and keeps
 * at most its window of them ahead of @played, the count of periods the
 * toy's speaker has consumed (played, or lost and played as silence).  The
 * toy reports @played in every record it sends while playback runs: in
 * its PCM records when the microphone runs too, otherwise in a
 * PAWLINK_AUDIO_STATE record each period it plays.  Every count is
 * cumulative, so a lost record costs nothing but its own samples.
 */
#define PAWLINK_AUDIO_PCM		1	/* both ways: one period follows */
#define PAWLINK_AUDIO_START		2	/* host -> toy: start @dirs */
#define PAWLINK_AUDIO_STOP		3	/* host -> toy: stop @dirs */
#define PAWLINK_AUDIO_STATE		4	/* toy -> host: answer and credit */

#define PAWLINK_AUDIO_DIR_CAPTURE	0x01	/* the toy's microphone */
#define PAWLINK_AUDIO_DIR_PLAYBACK	0x02	/* the toy's speaker */

/* @status of PAWLINK_AUDIO_STATE. */
#define PAWLINK_AUDIO_OK		0
#define PAWLINK_AUDIO_E_REFUSED		1	/* the toy would not start it */
#define PAWLINK_AUDIO_E_MALFORMED	2	/* a START or STOP it can't parse */

struct pawlink_audio_hdr {
	__u8 type;			/* PAWLINK_AUDIO_* */
	/*
	 * START, STOP: the directions asked for.  STATE: the directions
	 * running after the request it answers.  PCM: zero.
	 */
	__u8 dirs;
	__u8 status;			/* STATE: PAWLINK_AUDIO_OK or _E_*; else 0 */
	__u8 reserved;			/* zero */
	/*
	 * PCM: the period's number in its direction's stream, from 0 at
	 * START.  START, STOP: the request's number, from 1, chosen by the
	 * host.  STATE: the number of the last request it answers (0: none).
	 */
	__le32 seq;
	/* Toy -> host: periods played since playback started.  Else 0. */
	__le32 played;
};

#define PAWLINK_AUDIO_HDR_LEN		12
#define PAWLINK_AUDIO_PCM_LEN \
	(PAWLINK_AUDIO_HDR_LEN + PAWLINK_AUDIO_PERIOD_BYTES)
/* Periods the toy's speaker buffers at most; a host keeps fewer in flight. */
#define PAWLINK_AUDIO_JITTER_MAX	16

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
 * records the driver received and threw away, each for exactly one reason.
 *
 * The struct only ever grows at the end.  PAWLINK_IOC_GET_STATS encodes
 * its size, so a program built against an older header asks with the old
 * size; the driver answers every size listed below with that many bytes.
 */
struct pawlink_stats {
	__u64 tx_records;
	__u64 rx_records;
	__u64 rx_dropped_malformed;	/* bad version, channel or counter */
	__u64 rx_dropped_overflow;	/* longer than PAWLINK_RECORD_MAX */
	__u64 rx_dropped_plaintext;	/* plaintext in a keyed session */
	__u64 rx_dropped_auth;		/* tag did not verify, or no key */
	__u64 rx_dropped_replay;	/* counter not above the last accepted */
	__u64 rx_dropped_queue_full;	/* reader too slow */
	__u64 stalls;			/* endpoint halts cleared */
	__u64 audio_lost_frames;	/* capture gaps filled with silence */
	/* Added with the record layer (size PAWLINK_STATS_SIZE_V2). */
	__u64 rx_dropped_epoch;		/* sealed under another key generation */
	__u64 rx_dropped_length;	/* length wrong for the record or channel */
	/* Added with transaction-error recovery (PAWLINK_STATS_SIZE_V3). */
	__u64 xact_errors;		/* transfers failed EPROTO, EILSEQ, ETIME */
	/* Added with the sound card's streams (PAWLINK_STATS_SIZE_V4). */
	__u64 audio_rx_periods;		/* capture periods copied to the card */
	__u64 audio_tx_periods;		/* playback periods sent to the toy */
	__u64 audio_gaps_too_large;	/* capture gaps realigned, not filled */
	__u64 audio_dropped_malformed;	/* audio header wrong for the stream */
};

/* Sizes of struct pawlink_stats that PAWLINK_IOC_GET_STATS answers. */
#define PAWLINK_STATS_SIZE_V1		80	/* up to audio_lost_frames */
#define PAWLINK_STATS_SIZE_V2		96	/* up to rx_dropped_length */
#define PAWLINK_STATS_SIZE_V3		104	/* up to xact_errors */
#define PAWLINK_STATS_SIZE_V4		136	/* up to audio_dropped_malformed */

/*
 * Session keys, derived in userspace (Documentation/session.rst), one per
 * direction and channel.  h2t = host to toy, t2h = toy to host.  The driver
 * checks @version and the exact struct size, takes keys only while the link
 * is connected, refuses a second install unless PAWLINK_KEYS_REKEY is set
 * with a higher epoch, and zeroes every copy it makes.  The keys belong to
 * the dongle, not to the file that installed them: they stay until
 * PAWLINK_IOC_DISCONNECT, a LINK event saying the link is gone, or unplug.
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

/* GET_STATS as a program built against the first header asks for it. */
#define PAWLINK_IOC_GET_STATS_V1 \
	_IOC(_IOC_READ, PAWLINK_IOC_MAGIC, 0x05, PAWLINK_STATS_SIZE_V1)
/* GET_STATS as a program built against the record layer's header asks. */
#define PAWLINK_IOC_GET_STATS_V2 \
	_IOC(_IOC_READ, PAWLINK_IOC_MAGIC, 0x05, PAWLINK_STATS_SIZE_V2)
/* GET_STATS as a program built against transaction-error recovery asks. */
#define PAWLINK_IOC_GET_STATS_V3 \
	_IOC(_IOC_READ, PAWLINK_IOC_MAGIC, 0x05, PAWLINK_STATS_SIZE_V3)

#endif /* _UAPI_LINUX_PAWLINK_H */

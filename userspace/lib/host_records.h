/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The host's end of the record layer in userspace, for the transports
 * that seal and open records themselves (transport_air.c on the simulated
 * air, transport_usb.c on a dongle through libusb): the driver's rules
 * (record-layer.rst) over proto/record_layer.c.  Plaintext only until keys
 * are installed, then sealed control and audio records only; opened control
 * frames and microphone periods wait in queues for recv() and
 * recv_audio(); every drop is counted in struct pawlink_stats by reason,
 * as pawlink.ko counts it.  No I/O: the transport moves the records.
 */
#ifndef PAWLINK_HOST_RECORDS_H
#define PAWLINK_HOST_RECORDS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <linux/pawlink.h>

#include "record_layer.h"

/* Frames held for the caller, like the driver's read queue. */
#define HOST_CTRL_QUEUE_MAX	64
/* Audio periods held: 2.56 s. */
#define HOST_AUDIO_QUEUE_MAX	256

struct host_ctrl_slot {
	size_t len;
	uint8_t buf[PAWLINK_FRAME_MAX];
};

struct host_records {
	struct pawlink_record_link link;
	struct pawlink_stats st;

	struct host_ctrl_slot ctrl[HOST_CTRL_QUEUE_MAX];
	unsigned int ctrl_head, ctrl_n;
	int16_t audio[HOST_AUDIO_QUEUE_MAX][PAWLINK_AUDIO_PERIOD_FRAMES];
	unsigned int audio_head, audio_n;
	bool audio_any;
	uint32_t audio_next;		/* the microphone period expected next */
	/*
	 * Playback: the next period's number, the START's request number,
	 * whether the toy answered it, and its credit since (periods played).
	 * The transport that plays drives these; host_records_take() moves
	 * the answer and the credit.
	 */
	uint32_t play_seq, play_req;
	bool play_started, play_answered;
	uint32_t play_credit;
};

/* Empties the queues and forgets playback (a new link). */
void host_records_clear(struct host_records *h);
/* Installs a session's keys for the host's side; as the link's install. */
int host_records_install(struct host_records *h,
			 const struct pawlink_key_install *keys);
/*
 * One frame on @channel into a record at @rec (PAWLINK_RECORD_MAX bytes):
 * sealed once keyed, else a PAWLINK_CH_PLAIN record (control only:
 * -ENOTCONN for audio without a session).  -EMSGSIZE for a frame too long.
 */
int host_records_seal(struct host_records *h, uint8_t channel,
		      const uint8_t *pt, size_t len, uint8_t *rec,
		      size_t *rec_len);
/* One record from the toy: opened and queued, or dropped and counted. */
void host_records_take(struct host_records *h, const uint8_t *rec,
		       size_t len);
/*
 * The oldest control frame into @frame: 1 taken, 0 none, -EMSGSIZE
 * when @cap is too small (the frame stays).
 */
int host_records_pop_ctrl(struct host_records *h, uint8_t *frame,
			  size_t cap, size_t *len);
/* The oldest microphone period into @pcm: 1 taken, 0 none. */
int host_records_pop_audio(struct host_records *h, int16_t *pcm);
/* Keys and queued plaintext wiped; counters kept. */
void host_records_wipe(struct host_records *h);

#endif /* PAWLINK_HOST_RECORDS_H */

/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The toy firmware core (Documentation/toy.rst): everything a pawlink toy
 * does, with no operating system underneath.  It uses the protocol code
 * in userspace/proto/ (pairing.h, pairing_policy.h, session.h,
 * record_layer.h, msg_toy.h, toy_cmd.h), libsodium and the C library, and
 * nothing else: the world reaches it only through the platform operations
 * below, so it ports to a microcontroller by writing those (a message
 * store, msg_store_ops.h, and a message decoder among them) for the
 * board.  `pawsim toy` (toy_linux.c) is the Linux port; the native tests
 * have another, in memory.
 *
 * It is event driven and single threaded:
 *
 *	toy_boot(&t, &platform);
 *	for (;;) {
 *		wait for a radio frame or toy_deadline(t);
 *		if a data frame for the toy came:
 *			toy_receive(t, src, record, len);
 *		toy_run(t);
 *	}
 *
 * and toy_press_button() / toy_factory_reset() for the physical controls.
 * Times are the platform's monotonic clock in microseconds.
 */
#ifndef PAWSIM_TOY_H
#define PAWSIM_TOY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <linux/pawlink.h>

#include "msg_store_ops.h"
#include "toy_cmd.h"

/* The toy's persistent blobs (its flash, on a real toy). */
enum toy_blob {
	TOY_BLOB_IDENTITY,	/* toy id, static key, setup code */
	TOY_BLOB_POLICY,	/* pairing_policy.h's persisted state */
	TOY_BLOB_LOG,		/* the event log */
	TOY_BLOB_SETTINGS,	/* volume */
	/*
	 * The secure element: the device key every other blob is sealed
	 * under, and the printed setup code (toy.rst "Storage at rest").
	 * On a board, a key slot the flash cannot be read for; in pawsim,
	 * a separate blob.  The only blob not sealed.
	 */
	TOY_BLOB_SECURE_ELEMENT,
	TOY_BLOB_STAMPS,	/* the newest session INIT stamp per host */
	TOY_BLOB_COUNT
};

/* The largest blob the core writes (the log), and sealed, as stored. */
#define TOY_BLOB_PLAIN_MAX	16408
#define TOY_VAULT_OVERHEAD	56
#define TOY_BLOB_MAX		(TOY_BLOB_PLAIN_MAX + TOY_VAULT_OVERHEAD)

/* Beacon period, and how long a session may stay silent before it ends. */
#define TOY_BEACON_US		200000ULL
#define TOY_SESSION_IDLE_US	(5ULL * 60 * 1000000)
/* One audio period: 10 ms. */
#define TOY_AUDIO_PERIOD_US	10000ULL
/*
 * The speaker starts once this many periods are held, or this long after
 * the first came (a sound shorter than the prefill).
 */
#define TOY_SPEAKER_PREFILL	3
#define TOY_SPEAKER_PREFILL_US	(3 * TOY_AUDIO_PERIOD_US)
/*
 * A speaker that starves (nothing held) with no microphone record to carry
 * its credit says it again this often: if the host's last periods or the
 * credit before them were lost, the host learns that nothing is coming.
 */
#define TOY_CREDIT_REPEAT_US	(10 * TOY_AUDIO_PERIOD_US)
#define TOY_VOLUME_DEFAULT	70

/*
 * What the board provides.  Every operation gets @ctx.  Storage writes
 * must be atomic and durable (the old blob or the new one survives a
 * power cut, never a mix) before they return 0.
 */
struct toy_platform {
	void *ctx;
	/* Monotonic microseconds since some origin; never goes back. */
	uint64_t (*now_us)(void *ctx);
	/* Fills @buf from the hardware random number generator. */
	void (*random)(void *ctx, uint8_t *buf, size_t len);

	/* 0 with *@len, -ENOENT when never saved, or another -errno. */
	int (*blob_load)(void *ctx, enum toy_blob blob, uint8_t *buf,
			 size_t cap, size_t *len);
	int (*blob_save)(void *ctx, enum toy_blob blob, const uint8_t *buf,
			 size_t len);
	/* At manufacture: prints the setup code ("1234-5678") on the tag. */
	int (*print_label)(void *ctx, const char *code);

	/* The radio: this toy's id on it, a record to @dst, a beacon. */
	int (*radio_set_id)(void *ctx, const uint8_t id[PAWLINK_ID_LEN]);
	int (*radio_send)(void *ctx, const uint8_t dst[PAWLINK_ID_LEN],
			  const uint8_t *rec, size_t len);
	int (*radio_beacon)(void *ctx, uint8_t flags);
	/*
	 * Optional: from when (µs) the radio takes another frame without a
	 * long queue in front of it; bulk transfers wait for it.  NULL: any
	 * time (the radio paces itself).
	 */
	uint64_t (*radio_ready_us)(void *ctx);

	/* Audio out and in, 16 kHz mono S16, PAWLINK_AUDIO_PERIOD_FRAMES. */
	void (*speaker)(void *ctx, const int16_t *pcm, size_t frames);
	void (*mic)(void *ctx, int16_t *pcm, size_t frames);
	/*
	 * The voice message decoder (Ogg Opus, Documentation/messages.rst):
	 * the core reads a message's object out of the store, checked
	 * against its hash, and plays what this decodes at its own pace.
	 * open: a decoder over @obj (@len bytes, which outlive it) in *@dec;
	 * 0, or -errno for an object it cannot decode.  read: up to @frames
	 * samples, 16 kHz mono S16; how many, 0 at the end, or -errno.
	 * A decoder keeps its state in *@dec, so these take no @ctx: one
	 * decoder serves every platform that has it (libpawlink's
	 * pawlink_audio_message_*() on Linux).
	 */
	int (*decoder_open)(const uint8_t *obj, size_t len, void **dec);
	long (*decoder_read)(void *dec, int16_t *pcm, size_t frames);
	void (*decoder_close)(void *dec);
	void (*led)(void *ctx, bool on);
	/* Optional: every event as the log records it (a debug UART). */
	void (*event)(void *ctx, const struct pawlink_toy_event *ev);

	/*
	 * The voice message store, open and able to seal (msg_store_ops.h:
	 * on Linux the directory store of msg_store.h, opened sealed); the
	 * same until erase_messages.  The core gives it its key at boot and
	 * after erase_messages.
	 */
	struct pawlink_msg_store *(*messages)(void *ctx);
	/* Factory reset: every message and partial upload gone, for good. */
	int (*erase_messages)(void *ctx);
};

/* Counters the status command reports; since boot. */
struct toy_counters {
	uint64_t dropped_plaintext;
	uint64_t dropped_auth;
	uint64_t dropped_replay;
	uint64_t dropped_malformed;
	uint64_t refused_unauth;	/* commands without a session */
	uint64_t audio_frames_sent;
	uint64_t speaker_samples;
	/* The audio channel (toy.rst, "Audio streaming"); not on the wire. */
	uint64_t audio_malformed;	/* bodies dropped (also in malformed) */
	uint64_t speaker_underruns;	/* a period due and nothing held */
	uint64_t speaker_lost;		/* periods played as silence */
	uint64_t speaker_late;		/* already played, or held already */
	uint64_t speaker_dropped;	/* beyond the window, or not playing */
	uint64_t sessions;
	uint64_t beacons;
};

struct toy;

/*
 * Starts the toy: loads its identity, or on first boot makes one (id,
 * static key, setup code, printed on the label) and saves it.  -EINVAL
 * for an incomplete platform, -EBADMSG when a saved blob is corrupt (it is
 * kept: a factory reset is the way out), -ENOMEM, or a storage error.
 */
int toy_boot(struct toy **out, const struct toy_platform *platform);
/* Stops: ends a session (an unfinished upload is kept), wipes secrets. */
void toy_free(struct toy *t);
/* As if the power went: frees without writing anything (crash tests). */
void toy_drop(struct toy *t);

/* A data frame addressed to the toy: @src sent record @rec. */
void toy_receive(struct toy *t, const uint8_t src[PAWLINK_ID_LEN],
		 const uint8_t *rec, size_t len);
/* Runs timers and sends what is due; call it after every event. */
void toy_run(struct toy *t);
/* When toy_run() must be called next at the latest (µs). */
uint64_t toy_deadline(const struct toy *t);

/*
 * The pairing button: opens the window for the printed code, on a toy no
 * host has claimed yet.  -EACCES once a host has paired (a paired host
 * invites: INVITE_REQ), -EPERM when locked out, -ENOSPC with 8 hosts
 * paired (the press is logged).
 */
int toy_press_button(struct toy *t);
/*
 * Factory reset: first replaces the device key in the secure element, so
 * that nothing saved before can be read again whatever a power cut
 * interrupts next (crypto-erase); then ends any session, forgets every host, clears the
 * lock-out and the claim (the printed code pairs again), erases every
 * message and the log, and makes a new toy id and static key.  The setup
 * code stays: it is printed on the toy.
 */
int toy_factory_reset(struct toy *t);

void toy_get_id(const struct toy *t, uint8_t id[PAWLINK_ID_LEN]);
/* What the status command reports (also for the Linux layer's --json). */
void toy_get_status(struct toy *t, struct pawlink_toy_status_info *st);
const struct toy_counters *toy_get_counters(const struct toy *t);
bool toy_in_session(const struct toy *t);

#endif /* PAWSIM_TOY_H */

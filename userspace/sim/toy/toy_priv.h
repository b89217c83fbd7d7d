/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Inside the toy firmware core: its state, and what its files share.
 *
 *   toy_core.c      boot, the event loop's entry points, beacons, the
 *                   physical controls, status
 *   toy_identity.c  the identity blob: toy id, static key, setup code
 *   toy_log.c       the event log and its blob
 *   toy_pairing.c   pairing (pairing.h and its policy) on the air
 *   toy_session.c   sessions (session.h, record.h): the one gate every
 *                   frame passes, and the session's life
 *   toy_commands.c  the toy's commands (toy_cmd.h) inside a session
 *   toy_audio.c     LED, microphone, speaker and message playback
 *
 * Single threaded: one caller drives the core (toy.h).
 */
#ifndef PAWSIM_TOY_PRIV_H
#define PAWSIM_TOY_PRIV_H

#include "audio_convert.h"
#include "msg_toy.h"
#include "pairing.h"
#include "record_layer.h"
#include "setup_code.h"
#include "toy.h"

#define TOY_LOG_KEEP		64	/* entries the log holds */

struct toy_identity {
	uint8_t id[PAWLINK_ID_LEN];
	uint8_t secret[PAWLINK_PAIR_STATIC_LEN];	/* X25519 */
	uint8_t public_key[PAWLINK_PAIR_STATIC_LEN];
	struct pawlink_setup_code code;
};

struct toy_log {
	uint32_t boot;		/* boots since manufacture or reset */
	uint32_t next;		/* sequence number of the next entry */
	uint32_t mic_starts;	/* ever, since manufacture or reset */
	struct pawlink_toy_event ring[TOY_LOG_KEEP];	/* seq % KEEP */
};

struct toy_player {
	bool playing;
	uint8_t *obj;			/* the message object, verified */
	size_t len;
	struct pawlink_audio_decoder *dec;
	uint64_t next_us;		/* next period is due */
};

struct toy {
	struct toy_platform pf;
	uint64_t boot_us;
	struct toy_identity id;
	struct toy_log log;
	struct toy_counters c;
	uint64_t beacon_next_us;
	bool paced;			/* a transfer waits for the radio */

	/* Pairing: libpawlink's state machine and the policy it obeys. */
	struct pawlink_pair_policy policy;
	struct pawlink_pair_toy pair;

	/* The one link, its session, and keys staged for the next one. */
	struct pawlink_record_link link;
	bool session;
	uint8_t peer[PAWLINK_ID_LEN];		/* the host's radio */
	uint8_t host[PAWLINK_ID_LEN];		/* the host's id */
	uint64_t heard_us;		/* last authenticated record */
	bool staged;
	uint8_t staged_peer[PAWLINK_ID_LEN];
	uint8_t staged_host[PAWLINK_ID_LEN];
	struct pawlink_msg_toy *msg;
	/* The request that started the message service's transfer. */
	bool xfer_req_valid;
	uint8_t xfer_req_type;
	uint16_t xfer_req_tag;

	/* The last command's answer, for a repeated request. */
	bool resp_valid;
	uint8_t resp_type;
	uint16_t resp_tag;
	size_t resp_len;
	uint8_t resp[PAWLINK_FRAME_MAX];

	/* The indicator and the audio path. */
	bool led;
	bool led_by_mic;		/* the microphone lit it */
	bool mic;
	uint64_t mic_next_us;
	uint8_t volume;
	struct toy_player player;
};

static inline uint64_t toy_now(const struct toy *t)
{
	return t->pf.now_us(t->pf.ctx);
}

/* toy_identity.c */
int toy_identity_load(struct toy *t);
int toy_identity_renew(struct toy *t);
void toy_identity_wipe(struct toy_identity *id);

/* toy_log.c */
int toy_log_load(struct toy *t);
int toy_log_reset(struct toy *t);
/* Appends an event and saves the log; 0 once it is durable. */
int toy_log_event(struct toy *t, uint8_t event, uint8_t detail,
		  const uint8_t host[PAWLINK_ID_LEN]);
/* Fills a LOG_RESP (status OK) with entries from @from on. */
void toy_log_read(const struct toy *t, uint32_t from,
		  struct pawlink_toy_frame *resp);
uint32_t toy_log_first(const struct toy *t);

/* toy_pairing.c */
int toy_pairing_init(struct toy *t);
void toy_pairing_input(struct toy *t, const uint8_t src[PAWLINK_ID_LEN],
		       const uint8_t *msg, size_t len);
void toy_pairing_tick(struct toy *t);
uint64_t toy_pairing_deadline(const struct toy *t);
int toy_policy_persist(const struct pawlink_pair_policy *policy, void *ctx);

/* toy_session.c */
void toy_session_end(struct toy *t, uint8_t reason);
void toy_session_tick(struct toy *t);
uint64_t toy_session_deadline(const struct toy *t);
/* Seals a frame to the session's host; 0 or -errno (nothing sent). */
int toy_session_send(struct toy *t, uint8_t channel, const uint8_t *pt,
		     size_t len);

/* toy_commands.c */
void toy_command(struct toy *t, const uint8_t *frame, size_t len);
void toy_commands_reset(struct toy *t);

/* toy_audio.c */
void toy_led_set(struct toy *t, bool on);
int toy_mic_start(struct toy *t);
void toy_mic_stop(struct toy *t, uint8_t reason);
void toy_audio_tick(struct toy *t);
uint64_t toy_audio_deadline(const struct toy *t);
void toy_audio_from_host(struct toy *t, const uint8_t *pt, size_t len);
int toy_play_message(void *ctx, struct pawlink_msg_store *st,
		     const struct pawlink_msg_info *info);
void toy_player_stop(struct toy *t);
int toy_settings_load(struct toy *t);
int toy_settings_save(struct toy *t);

#endif /* PAWSIM_TOY_PRIV_H */

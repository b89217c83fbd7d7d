/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Inside the toy firmware core: its state, and what its files share.
 *
 *   toy_core.c      the dispatcher: boot, a record in (opened by the
 *                   session, then handed on by channel and type), the
 *                   timers, a session's end, beacons, the physical
 *                   controls
 *   toy_commands.c  the toy's commands (toy_cmd.h) inside a session
 *   toy_messages.c  the message service (msg_toy.h) inside a session
 *   toy_session.c   sessions (session.h, record_layer.h): opens every
 *                   record, answers INITs, the session's keys and life
 *   toy_pairing.c   pairing (pairing.h and its policy) on the air
 *   toy_stream.c    the audio channel: START, STOP, the host's periods
 *                   into the speaker, STATE answers and credits
 *   toy_audio.c     LED, microphone, message playback, volume
 *   toy_speaker.c   the speaker: its jitter buffer, played at the toy's
 *                   own clock, and volume
 *   toy_status.c    what the toy reports: id, status, counters
 *   toy_send.c      the one way out: records to the radio
 *   toy_identity.c  the identity blob: toy id, static key, setup code
 *   toy_log.c       the event log and its blob
 *   toy_vault.c     storage at rest: blobs sealed under the device key
 *
 * A file calls only files below it in this list, so no path leads back
 * up: what a lower file cannot do itself (end the session after BYE, say)
 * it returns to the dispatcher.  Single threaded: one caller drives the
 * core (toy.h).
 */
#ifndef PAWSIM_TOY_PRIV_H
#define PAWSIM_TOY_PRIV_H

#include <pawlink/session.h>

#include "beacon_id.h"
#include "msg_toy.h"
#include "pairing.h"
#include "record_layer.h"
#include "setup_code.h"
#include "toy.h"

#define TOY_LOG_KEEP		512	/* entries: a week of use (toy.rst) */
/* Flash writes unauthenticated events may cause: one a minute. */
#define TOY_LOG_UNAUTH_SAVE_US	(60ULL * 1000000)

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
	uint32_t count;		/* entries held */
	/* Held entries, oldest (lowest seq) first; seqs may have gaps. */
	struct pawlink_toy_event ent[TOY_LOG_KEEP];
	/* RAM only: unauthenticated events not saved yet, last such save. */
	bool dirty;
	bool saved_unauth;
	uint64_t unauth_save_us;
};

/* The newest session INIT stamp accepted from a host (toy_session.c). */
struct toy_stamp {
	uint8_t host[PAWLINK_ID_LEN];
	uint64_t stamp;
};

/*
 * A host removed (unpair, revoke): its static key and newest accepted
 * stamp, so that its old INITs get nothing (toy_session.c).
 */
#define TOY_GONE_MAX	4
struct toy_gone {
	uint8_t pub[PAWLINK_PAIR_STATIC_LEN];	/* its pinned X25519 key */
	uint64_t stamp;
};

/* A new session the session's own host asked for, until the old ends. */
struct toy_takeover {
	bool pending;
	uint8_t peer[PAWLINK_ID_LEN];
	uint8_t host[PAWLINK_ID_LEN];
	struct pawlink_key_install keys;
	size_t resp_len;
	uint8_t resp[PAWLINK_SESS_MSG_LEN];
};

struct toy_player {
	bool playing;
	uint8_t *obj;			/* the message object, verified */
	size_t len;
	void *dec;			/* the platform's decoder */
	uint64_t next_us;		/* next period is due */
};

/*
 * The speaker's jitter buffer (toy_speaker.c): the host's periods by
 * their number, slot seq % PAWLINK_AUDIO_JITTER_MAX, played from
 * @played on.  @played is both the count of periods consumed since START
 * and the number of the next one due.
 */
struct toy_speaker {
	bool on;			/* playback started, not yet stopped */
	bool running;			/* prefilled: one period per 10 ms */
	bool draining;			/* STOP came: play what is held, stop */
	uint32_t played;
	unsigned int held;		/* periods buffered */
	uint64_t first_us;		/* the first held period came (prefill) */
	uint64_t next_us;		/* running: the next period is due */
	bool full[PAWLINK_AUDIO_JITTER_MAX];
	uint32_t seq[PAWLINK_AUDIO_JITTER_MAX];
	int16_t pcm[PAWLINK_AUDIO_JITTER_MAX][PAWLINK_AUDIO_PERIOD_FRAMES];
};

#define TOY_VAULT_KEY_LEN	32
#define TOY_VAULT_KEY_ID_LEN	8

/* The secure element's content, in RAM while the toy runs. */
struct toy_vault {
	uint8_t key[TOY_VAULT_KEY_LEN];		/* XChaCha20-Poly1305 */
	uint8_t key_id[TOY_VAULT_KEY_ID_LEN];	/* random, names the key */
	bool has_code;
	struct pawlink_setup_code code;		/* the printed one */
};

struct toy {
	/* The board's operations, and the core's view (toy_vault.c). */
	struct toy_platform raw;
	struct toy_platform pf;
	struct toy_vault vault;
	uint64_t boot_us;
	struct toy_identity id;
	struct toy_log log;
	struct toy_counters c;
	uint64_t beacon_next_us;
	bool paced;			/* a transfer waits for the radio */
	/* Its address on the air (beacon_id.h): private outside a window. */
	uint8_t irk[PAWLINK_BEACON_IRK_LEN];	/* from the static key */
	bool air_private;
	uint8_t air_id[PAWLINK_ID_LEN];
	uint64_t air_rotate_us;		/* the next private id is due */

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
	struct toy_takeover takeover;
	/*
	 * INIT stamps and removed hosts' tombstones (the stamps blob), loaded
	 * at the first INIT; saved before each RESP and at each removal.
	 */
	bool stamps_loaded;
	size_t n_stamps;
	struct toy_stamp stamps[PAWLINK_POLICY_MAX_HOSTS];
	size_t n_gone;
	struct toy_gone gone[TOY_GONE_MAX];	/* oldest first */
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
	uint32_t mic_seq;		/* the next microphone period's number */
	uint8_t volume;
	struct toy_player player;
	struct toy_speaker spk;

	/* The audio channel (toy_stream.c). */
	uint32_t audio_answered;	/* the last START/STOP answered */
	uint8_t audio_status;		/* and its answer's status */
	bool audio_stop_pending;	/* answered once the speaker drained */
	uint32_t audio_stop_seq;
	uint32_t audio_reported;	/* @spk.played as last sent to the host */
	uint64_t audio_reported_us;	/* when a STATE was last tried */
	uint8_t audio_dirs;		/* @dirs as the last STATE said */
};

static inline uint64_t toy_now(const struct toy *t)
{
	return t->pf.now_us(t->pf.ctx);
}

/* A record as the session opened it. */
struct toy_record {
	uint8_t channel;		/* PAWLINK_CH_* */
	bool started;			/* it began a session */
	size_t len;
	uint8_t pt[PAWLINK_FRAME_MAX];	/* the plaintext */
};

/* toy_vault.c */
/* t->pf becomes the board's operations with blobs sealed. */
void toy_vault_wrap(struct toy *t, const struct toy_platform *board);
/* Loads the device key from the secure element, or makes the first. */
int toy_vault_open(struct toy *t);
/* Keeps the printed code in the secure element too. */
int toy_vault_keep_code(struct toy *t, const struct pawlink_setup_code *code);
/* A new device key: every blob sealed before is unreadable.  First. */
int toy_vault_erase(struct toy *t);
/*
 * Gives the message store its key, derived from the device key: what it
 * holds under another key (before a factory reset) is dropped.
 */
int toy_vault_seal_messages(struct toy *t);

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

/* toy_send.c */
/* Seals @pt for the session's host; 0 or -errno (nothing sent). */
int toy_send(struct toy *t, uint8_t channel, const uint8_t *pt, size_t len);
/* Sends @body in the clear to radio @dst: pairing and session handshakes. */
int toy_send_plain(struct toy *t, const uint8_t dst[PAWLINK_ID_LEN],
		   const uint8_t *body, size_t len);

/* toy_speaker.c */
/* Plays @frames at the current volume (@pcm is scaled in place). */
void toy_speaker_write(struct toy *t, int16_t *pcm, size_t frames);
/* Playback starts afresh: empty buffer, played 0, prefilling. */
void toy_speaker_start(struct toy *t);
/* The host's period @seq; dropped and counted if it cannot be played. */
void toy_speaker_put(struct toy *t, uint32_t seq, const int16_t *pcm);
/* Plays what is held, then stops; at once when nothing is. */
void toy_speaker_drain(struct toy *t);
/* Stops now, dropping what is held. */
void toy_speaker_stop(struct toy *t);
void toy_speaker_tick(struct toy *t);
uint64_t toy_speaker_deadline(const struct toy *t);

/* toy_audio.c */
int toy_settings_load(struct toy *t);
int toy_settings_save(struct toy *t);
void toy_led_set(struct toy *t, bool on);
int toy_mic_start(struct toy *t);
void toy_mic_stop(struct toy *t, uint8_t reason);
/* msg_toy.h's play operation, with the toy as @ctx. */
int toy_play_message(void *ctx, struct pawlink_msg_store *st,
		     const struct pawlink_msg_info *info);
void toy_player_stop(struct toy *t);
void toy_audio_tick(struct toy *t);
uint64_t toy_audio_deadline(const struct toy *t);

/* toy_stream.c */
/* A body on PAWLINK_CH_AUDIO from the session's host. */
void toy_stream_input(struct toy *t, const uint8_t *pt, size_t len);
/* Plays the speaker's due periods and reports them to the host. */
void toy_stream_tick(struct toy *t);
uint64_t toy_stream_deadline(const struct toy *t);
/* A session began or ended: no playback, no request remembered. */
void toy_stream_reset(struct toy *t);

/* toy_pairing.c */
int toy_pairing_init(struct toy *t);
void toy_pairing_input(struct toy *t, const uint8_t src[PAWLINK_ID_LEN],
		       const uint8_t *msg, size_t len);
void toy_pairing_tick(struct toy *t);
uint64_t toy_pairing_deadline(const struct toy *t);
int toy_policy_persist(const struct pawlink_pair_policy *policy, void *ctx);

/* toy_session.c */
/*
 * Opens @rec into @r: 0, or -errno when the record layer dropped it (and
 * counted why).  The first record under staged keys starts the session.
 */
int toy_session_open(struct toy *t, const uint8_t *rec, size_t len,
		     struct toy_record *r);
/*
 * A session INIT from radio @src: in the clear, or @sealed (a rekey).  0,
 * or TOY_SESSION_TAKEOVER: the session's own host started anew in the
 * clear (its pawctl died, say); the dispatcher ends the session, then
 * calls toy_session_takeover(), which stages the new keys and answers.
 */
#define TOY_SESSION_TAKEOVER	1
int toy_session_init(struct toy *t, const uint8_t src[PAWLINK_ID_LEN],
		     const uint8_t *msg, size_t len, bool sealed);
void toy_session_takeover(struct toy *t);
/* Wipes the session's keys, keeps its drop counts, logs the end. */
void toy_session_close(struct toy *t, uint8_t reason);
/*
 * @removed (a copy of its record) is no longer paired: its newest stamp
 * becomes a tombstone, saved with the stamps.  0 or -errno.
 */
int toy_session_forget(struct toy *t,
		       const struct pawlink_paired_host *removed);
/* A factory reset: no stamps, no tombstones (the blob is crypto-erased). */
void toy_session_reset(struct toy *t);
/* Whether the host has been silent for TOY_SESSION_IDLE_US. */
bool toy_session_idle(const struct toy *t);
uint64_t toy_session_deadline(const struct toy *t);

/* toy_messages.c */
void toy_messages_open(struct toy *t);
/* Checkpoints an unfinished upload; toy_messages_drop() does not. */
void toy_messages_close(struct toy *t);
void toy_messages_drop(struct toy *t);
void toy_messages_input(struct toy *t, const uint8_t *frame, size_t len);
/* Sends what the service has, as the radio takes it. */
void toy_messages_run(struct toy *t);
uint64_t toy_messages_deadline(const struct toy *t);

/* toy_commands.c */
/*
 * Does and answers one command.  0, or PAWLINK_TOY_END_* when the
 * session must end now (BYE, UNPAIR: the answer has gone out).
 */
uint8_t toy_command(struct toy *t, const uint8_t *frame, size_t len);
void toy_commands_reset(struct toy *t);

#endif /* PAWSIM_TOY_PRIV_H */

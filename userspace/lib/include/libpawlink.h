/* SPDX-License-Identifier: GPL-2.0 */
/*
 * libpawlink's façade: what pawctl (and any other program) calls to pair
 * with a toy, open a session and use the toy's functions.  Below it are
 * the protocol state machines (pairing.h, session.h, msg_host.h,
 * toy_cmd.h), the host key store (keystore.h) and one transport
 * (transport.h: the air path now, the kernel character device later).
 * (It is not called pawlink.h: that is the uapi header's name, and
 * include/uapi comes first on the include path.)
 *
 *	struct pawlink_transport *t;
 *	struct pawlink *p;
 *
 *	pawlink_transport_air_join(&t, "/run/pawsim/air.sock");
 *	pawlink_open(&p, t, NULL);               default key store
 *	pawlink_pair(p, toy_id, "1234-5678", "bear");   once, button pressed
 *	pawlink_connect(p, toy_id, &status);     a session
 *	pawlink_put_audio_file(p, "hello.flac", &info);
 *	pawlink_close(p);                        ends the session (BYE)
 *	pawlink_transport_close(t);
 *
 * Every call blocks until it is done, retransmitting over a lossy air,
 * and returns 0 or a negative errno; pawlink_error() then holds one
 * sentence for the user, which never contains a secret (no code, no key).
 * One session at a time; a struct pawlink is used by one thread.
 */
#ifndef LIBPAWLINK_H
#define LIBPAWLINK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <pawlink/msg.h>
#include <pawlink/toy.h>

#include "keystore.h"
#include "msg_object.h"
#include "session.h"
#include "toy_cmd.h"
#include "transport.h"

#define PAWLINK_ERR_MAX		(PAWLINK_KEYSTORE_ERR_LEN + 64)

struct pawlink;

/*
 * Opens the key store in @keystore_dir (NULL: $XDG_DATA_HOME/pawlink) and
 * loads this host's identity, creating it on first use.  @t stays the
 * caller's: close it after pawlink_close().  On failure *@out is NULL and
 * the reason goes to @err (may be NULL).
 */
int pawlink_open(struct pawlink **out, struct pawlink_transport *t,
		 const char *keystore_dir, char *err, size_t err_len);
/* Ends a session (BYE), wipes the host's secrets, frees.  NULL is fine. */
void pawlink_close(struct pawlink *p);

/* The last error's sentence ("" if none). */
const char *pawlink_error(const struct pawlink *p);
/* This host's id (public; the toy pins it at pairing). */
void pawlink_host_id(const struct pawlink *p, uint8_t id[PAWLINK_ID_LEN]);

/* ---- before a session --------------------------------------------------- */

/* Toys beaconing during @listen_ms, at most @max; *@n found. */
int pawlink_scan(struct pawlink *p, unsigned int listen_ms,
		 struct pawlink_beacon *out, size_t max, size_t *n);

/*
 * Pairs with toy @toy_id using the setup code as typed (@code_text: any
 * spelling setup_code.h accepts) after the toy's button was pressed, and
 * pins it in the key store under @name (may be "").  Two round trips;
 * lost messages are retried.  -EINVAL bad code (the sentence says why),
 * -EACCES wrong code or window closed (the toy says nothing more),
 * -EBUSY another host is pairing, -ETIMEDOUT the toy did not answer (or
 * its last message was lost: press the button and pair again).
 */
int pawlink_pair(struct pawlink *p, const uint8_t toy_id[PAWLINK_ID_LEN],
		 const char *code_text, const char *name);

/*
 * Opens a session with a paired toy (Noise KK, one round trip), installs
 * its keys in the transport and confirms them with a status request, whose
 * answer fills @status (may be NULL).  -ENOENT not paired here, -EACCES
 * the toy does not know this host (unpaired or reset: pair again),
 * -ETIMEDOUT no answer (out of range, or in a session with another host),
 * -EISCONN a session is already open.
 */
int pawlink_connect(struct pawlink *p, const uint8_t toy_id[PAWLINK_ID_LEN],
		    struct pawlink_toy_status_info *status);
/* Ends the session: BYE (best effort), keys wiped.  0 if none was open. */
int pawlink_disconnect(struct pawlink *p);
bool pawlink_connected(const struct pawlink *p);
/* The session's Noise handshake hash (public), for display. */
int pawlink_session_hash(const struct pawlink *p,
			 uint8_t hash[PAWLINK_SESSION_HASH_LEN]);

/* ---- voice messages (a session is needed) ----------------------------- */

/*
 * Every message on the toy, in id order: *@out is a new array (free()
 * it) of *@n entries.
 */
int pawlink_list(struct pawlink *p, struct pawlink_msg_info **out, size_t *n);
/*
 * Uploads an Ogg Opus message object (audio_convert.h makes one) of
 * @duration_ms with a new random id; *@info (may be NULL) describes it.
 */
int pawlink_put(struct pawlink *p, const uint8_t *obj, size_t len,
		uint32_t duration_ms, struct pawlink_msg_info *info);
/*
 * Uploads @obj as the message @info describes (a retry after a failure
 * resumes: only the chunks the toy lacks are sent).
 */
int pawlink_put_resume(struct pawlink *p, const struct pawlink_msg_info *info,
		       const uint8_t *obj, size_t len);
/* Converts any audio file libsndfile reads, then uploads it. */
int pawlink_put_audio_file(struct pawlink *p, const char *path,
			   struct pawlink_msg_info *info);
/*
 * Downloads message @id: *@obj is a new buffer (free() it) of *@len
 * bytes whose SHA-256 matched; *@info (may be NULL) its metadata.
 */
int pawlink_get(struct pawlink *p, const uint8_t id[PAWLINK_MSG_ID_LEN],
		uint8_t **obj, size_t *len, struct pawlink_msg_info *info);
int pawlink_delete(struct pawlink *p, const uint8_t id[PAWLINK_MSG_ID_LEN]);
/* Plays message @id on the toy's speaker.  -EBUSY while one plays. */
int pawlink_play(struct pawlink *p, const uint8_t id[PAWLINK_MSG_ID_LEN]);

/* ---- the toy's functions (a session is needed) ------------------------ */

int pawlink_status(struct pawlink *p, struct pawlink_toy_status_info *st);
int pawlink_led(struct pawlink *p, bool on);
/* 0..PAWLINK_TOY_VOLUME_MAX. */
int pawlink_volume(struct pawlink *p, unsigned int volume);
/*
 * Starts the toy's microphone: the toy lights its LED and logs the start
 * (visible in pawlink_log()), then streams 10 ms audio records.
 */
int pawlink_mic_start(struct pawlink *p);
int pawlink_mic_stop(struct pawlink *p);
/*
 * The next PAWLINK_AUDIO_PERIOD_FRAMES samples of microphone audio, on
 * transports that carry audio (the kernel path uses ALSA instead:
 * -EOPNOTSUPP).  -ETIMEDOUT when none came within @timeout_ms.
 */
int pawlink_mic_read(struct pawlink *p, int16_t *pcm, int timeout_ms);
/*
 * Entries of the toy's event log from sequence number @from on, at most
 * @max; *@next is the sequence number after the last one returned (pass
 * it as @from to continue; equal to the toy's next when complete).
 */
int pawlink_log(struct pawlink *p, uint32_t from,
		struct pawlink_toy_event *out, size_t max, size_t *n,
		uint32_t *next);

/* ---- forgetting --------------------------------------------------------- */

/*
 * Asks the toy to forget this host (it ends the session), then erases the
 * host's pin of it.  After this neither side can open a session again
 * without pairing.
 */
int pawlink_unpair(struct pawlink *p);
/*
 * Erases everything the key store holds about toy @toy_id (its pin and
 * name), first asking the toy to forget this host if a session with it is
 * open.  -ENOENT if the store holds nothing about it.
 */
int pawlink_forget(struct pawlink *p, const uint8_t toy_id[PAWLINK_ID_LEN]);

/* The transport's counters (drops by reason). */
int pawlink_link_stats(struct pawlink *p, struct pawlink_stats *st);

#endif /* LIBPAWLINK_H */

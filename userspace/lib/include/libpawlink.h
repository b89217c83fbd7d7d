/* SPDX-License-Identifier: GPL-2.0 */
/*
 * libpawlink: the one door to pawlink toys for programs (pawctl, and any
 * other).  It pairs with a toy, opens an end-to-end encrypted session,
 * moves voice messages and uses the toy's functions; it also keeps the
 * host's key store and converts audio, which need no toy at all.
 *
 *	struct pawlink *p;
 *
 *	pawlink_open(&p, NULL, err, sizeof(err));      default key store
 *	pawlink_toy_find(p, "bear", &toy);             works offline
 *	pawlink_attach_device(p, "/dev/pawlink0");     now a toy can be reached
 *	pawlink_connect(p, toy.id, &status);           a session
 *	pawlink_upload_audio_file(p, "hello.flac", &info);
 *	pawlink_close(p);                              BYE, wipe, free
 *
 * pawlink_open() needs no transport and creates nothing: the key store
 * and this host's identity are made the first time something needs them
 * (pairing, a session).  A command that must reach a toy first attaches
 * a transport.
 *
 * Every call blocks until it is done, retransmitting over a lossy link,
 * and returns 0 or a negative errno; pawlink_error() then holds one
 * sentence for the user, which never contains a secret (no code, no key).
 * One session at a time; a struct pawlink is used by one thread.
 *
 * Durations in this API are milliseconds.  Only the functions declared
 * here are exported by libpawlink.so.0 (Documentation/libpawlink.rst).
 */
#ifndef LIBPAWLINK_H
#define LIBPAWLINK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <linux/pawlink.h>
#include <pawlink/msg.h>
#include <pawlink/session.h>
#include <pawlink/toy.h>

#define PAWLINK_API		__attribute__((visibility("default")))

/* Longest sentence pawlink_error() returns, NUL included. */
#define PAWLINK_ERR_MAX		4352
/* Bytes of a toy's name (printable ASCII, no NUL). */
#define PAWLINK_TOY_NAME_MAX	64
/* Ids as text: hex digits, plus the NUL. */
#define PAWLINK_TOY_HEX_LEN	(2 * PAWLINK_ID_LEN)
#define PAWLINK_MSG_HEX_LEN	(2 * PAWLINK_MSG_ID_LEN)

struct pawlink;

/* A path such as /dev/pawlink12, NUL included. */
#define PAWLINK_DONGLE_PATH_MAX	64

/* A toy this host is paired with, as its key store holds it. */
struct pawlink_toy {
	uint8_t id[PAWLINK_ID_LEN];
	char name[PAWLINK_TOY_NAME_MAX + 1];	/* may be empty */
};

/* ---- the context -------------------------------------------------------- */

/*
 * Opens libpawlink on the key store in @store_dir (NULL:
 * $XDG_DATA_HOME/pawlink).  Nothing is created or read yet.  On failure
 * *@out is NULL and the reason goes to @err (may be NULL).
 */
PAWLINK_API int pawlink_open(struct pawlink **out, const char *store_dir,
			     char *err, size_t err_len);
/* Ends a session (BYE), closes the transport, wipes secrets, frees. */
PAWLINK_API void pawlink_close(struct pawlink *p);
/* The last error's sentence ("" if none). */
PAWLINK_API const char *pawlink_error(const struct pawlink *p);
/* The version of the library that is running, e.g. "0.5.0". */
PAWLINK_API const char *pawlink_version(void);

/*
 * Joins the simulated air of the `pawsim air` listening at @socket_path:
 * from now on toys are reached there.  -EISCONN if a transport is
 * already attached; -ENOENT/-ECONNREFUSED when no air listens there.
 */
PAWLINK_API int pawlink_attach_air(struct pawlink *p, const char *socket_path);
/*
 * Reaches toys through the dongle at @path (NULL: the one dongle
 * pawlink.ko has bound).  /dev/pawlinkN is the kernel path: the driver
 * seals and opens the session's records, and audio goes through its
 * sound card.  /dev/bus/usb/BBB/DDD (as pawlink_usb_dongles() lists) is
 * the libusb path, for a dongle no driver has bound: libpawlink claims its
 * interface and seals and opens the records itself; there is no sound
 * card (pawlink_mic_read() works, pawlink_keep_session() does not), and a
 * dongle a driver has bound is refused (-EOPNOTSUPP), never detached.
 * The dongle is this process's until pawlink_close() (another libpawlink
 * user gets -EBUSY).  -EISCONN if a transport is attached already;
 * -ENOENT no such node; -EACCES no permission; -EBUSY another program
 * uses it; -ENOTTY not a pawlink dongle; -ENODEV it is gone, or (@path
 * NULL) none is plugged in; -ENOTUNIQ (@path NULL) several are.
 */
PAWLINK_API int pawlink_attach_device(struct pawlink *p, const char *path);
PAWLINK_API bool pawlink_attached(const struct pawlink *p);

/* This host's id (public; toys pin it), made on first use. */
PAWLINK_API int pawlink_host_id(struct pawlink *p, uint8_t id[PAWLINK_ID_LEN]);

/* ---- the key store: no toy needed --------------------------------------- */

/* Every paired toy, in no particular order: *@out is new (free() it). */
PAWLINK_API int pawlink_toys(struct pawlink *p, struct pawlink_toy **out,
			     size_t *n);
/*
 * The paired toy @text names: its id (16 hex digits) or the name given at
 * pairing.  -ENOENT none (not paired, or no toy of that name), -ENOTUNIQ
 * several toys have that name, -EINVAL an empty @text.
 */
PAWLINK_API int pawlink_toy_find(struct pawlink *p, const char *text,
				 struct pawlink_toy *out);
/*
 * Whether @name may name toy @toy_id here: "" always may; else 1 to
 * PAWLINK_TOY_NAME_MAX printable characters that do not read as a toy id
 * and no other toy's name.  0, -EINVAL or -EEXIST, with the sentence.
 */
PAWLINK_API int pawlink_toy_name_check(struct pawlink *p, const char *name,
				       const uint8_t toy_id[PAWLINK_ID_LEN]);
/*
 * Erases everything the key store holds about toy @toy_id (its pin and
 * name), first asking the toy to forget this host if a session with it is
 * open.  -ENOENT if the store holds nothing about it.
 */
PAWLINK_API int pawlink_forget(struct pawlink *p,
			       const uint8_t toy_id[PAWLINK_ID_LEN]);

/* ---- dongles: no toy needed ------------------------------------------- */

/* link_state of a dongle whose link libpawlink could not ask for. */
#define PAWLINK_DONGLE_LINK_UNKNOWN	0xff

/*
 * A dongle bound to pawlink.ko, as sysfs describes it, or one no driver
 * has bound, as its descriptors describe it (pawlink_usb_dongles()).
 */
struct pawlink_dongle {
	char path[PAWLINK_DONGLE_PATH_MAX];	/* its node, /dev/pawlinkN,
						 * or /dev/bus/usb/BBB/DDD */
	uint8_t id[PAWLINK_ID_LEN];		/* the dongle's own id */
	uint16_t fw_version;			/* major << 8 | minor */
	uint32_t speed;		/* enum usb_device_speed: 2 full, 3 high,
				 * 5 super, 6 super+; 0 unknown */
	uint8_t link_state;			/* PAWLINK_LINK_* */
	bool keyed;			/* a session's keys are in the driver */
};

/*
 * The dongles plugged in, found in sysfs (no node is opened, so no
 * permission is needed), by node number: *@out is new (free() it), *@n
 * may be 0 (also when pawlink.ko is not loaded).  0 or -ENOMEM.
 */
PAWLINK_API int pawlink_dongles(struct pawlink *p,
				struct pawlink_dongle **out, size_t *n);
/*
 * The dongles plugged in that no kernel driver has bound (the libusb
 * path), found through libusb, each by its usbfs node: *@out is new
 * (free() it), *@n may be 0.  id is read from the serial number and
 * link_state is PAWLINK_DONGLE_LINK_UNKNOWN (asking would take the
 * dongle from its user); id is zero when the node is not readable.  A
 * dongle pawlink.ko has is pawlink_dongles()' only.  0 or -ENOMEM.
 */
PAWLINK_API int pawlink_usb_dongles(struct pawlink *p,
				    struct pawlink_dongle **out, size_t *n);

/* ---- text forms --------------------------------------------------------- */

/* Exactly 16 hex digits, either case: 0 or -EINVAL. */
PAWLINK_API int pawlink_toy_id_parse(uint8_t id[PAWLINK_ID_LEN],
					 const char *text);
PAWLINK_API void pawlink_toy_id_hex(char out[PAWLINK_TOY_HEX_LEN + 1],
				    const uint8_t id[PAWLINK_ID_LEN]);
/* Exactly 32 hex digits, not all zero: 0 or -EINVAL. */
PAWLINK_API int pawlink_message_id_parse(uint8_t id[PAWLINK_MSG_ID_LEN],
					 const char *text);
PAWLINK_API void pawlink_message_id_hex(char out[PAWLINK_MSG_HEX_LEN + 1],
				       const uint8_t id[PAWLINK_MSG_ID_LEN]);
/*
 * Whether @text is a setup code as printed on a toy (1234-5678, with or
 * without the dash or spaces): 0, or -EINVAL with the sentence saying why.
 * The code itself never appears in the sentence.
 */
PAWLINK_API int pawlink_setup_code_check(struct pawlink *p, const char *text);
/* Lower-case hex of @len bytes into @out (2 * @len + 1 bytes). */
PAWLINK_API void pawlink_to_hex(char *out, const uint8_t *bin, size_t len);
/* "mic-start", "pair-ok", ... for PAWLINK_TOY_EV_*. */
PAWLINK_API const char *pawlink_event_name(uint8_t event);
/*
 * A decimal number in [@lo, @hi] and nothing else (no sign, no spaces, no
 * base prefix): 0 or -EINVAL.  For command lines.
 */
PAWLINK_API int pawlink_parse_uint(const char *text, unsigned long lo,
				   unsigned long hi, unsigned long *out);

/* ---- audio: no toy needed ----------------------------------------------- */

/*
 * Converts any audio file libsndfile reads (WAV, FLAC, Ogg, Opus, MP3...)
 * into a voice message object: 16 kHz mono Ogg Opus, at most 5 minutes.
 * *@obj is new (free() it).  -EMEDIUMTYPE not audio it can read, -EFBIG
 * too long, -EIO/-ENOMEM ours, or the errno of opening @path.
 */
PAWLINK_API int pawlink_audio_file_to_message(struct pawlink *p,
					      const char *path, uint8_t **obj,
					      size_t *len,
					      uint32_t *duration_ms);
/*
 * Decodes a message object to S16 16 kHz mono PCM: *@pcm is new (free()
 * it), *@frames samples.  -EMEDIUMTYPE when it is not a message.
 */
PAWLINK_API int pawlink_message_decode(struct pawlink *p, const uint8_t *obj,
				       size_t len, int16_t **pcm,
				       size_t *frames);

/* ---- before a session (a transport is needed) --------------------------- */

/* Toys beaconing during @listen_ms, at most @max; *@n found. */
PAWLINK_API int pawlink_scan(struct pawlink *p, unsigned int listen_ms,
			     struct pawlink_beacon *out, size_t max, size_t *n);

/*
 * Pairs with toy @toy_id using a code as typed (@code_text, as
 * pawlink_setup_code_check() accepts it): the printed code after the
 * button of a toy no host has paired yet, or else the one-time code of a
 * paired host's pawlink_invite().  Pins the toy in the key store under
 * @name (may be ""; pawlink_toy_name_check() says whether another toy has
 * it).  Two round trips; lost messages are retried.  -EINVAL bad code or
 * name (the sentence says why), -EEXIST this host has the toy pinned
 * already (unpair first: a pairing never replaces a key), -EACCES wrong
 * code, window closed, or the toy knows this host already (the toy says
 * nothing more), -EBUSY another host is pairing, -ETIMEDOUT the toy did
 * not answer (or its last message was lost: open the window, pair again).
 */
PAWLINK_API int pawlink_pair(struct pawlink *p,
			     const uint8_t toy_id[PAWLINK_ID_LEN],
			     const char *code_text, const char *name);

/*
 * Opens a session with a paired toy (Noise KK, one round trip), installs
 * its keys in the transport and confirms them with a status request, whose
 * answer fills @status (may be NULL).  -ENOENT not paired here, -EACCES
 * the toy does not know this host (unpaired or reset: pair again),
 * -EBUSY the toy is in a session with another host, -ETIMEDOUT no answer
 * (out of range, or off), -EISCONN a session is already open.  A session
 * of this same host that its program lost (killed) is replaced at once.
 */
PAWLINK_API int pawlink_connect(struct pawlink *p,
				const uint8_t toy_id[PAWLINK_ID_LEN],
				struct pawlink_toy_status_info *status);
/* Ends the session: BYE (best effort), keys wiped.  0 if none was open. */
PAWLINK_API int pawlink_disconnect(struct pawlink *p);
/*
 * Hands the open session to the dongle's driver: this context forgets it,
 * and pawlink_close() neither says BYE nor removes the keys, so the
 * session goes on after the program ends (audio through the dongle's
 * sound card; the toy ends it after 5 silent minutes).
 * pawlink_end_kept_session() ends it.  -EOPNOTSUPP where the keys do not
 * live in a kernel (the simulated air), whether or not a session is open,
 * so a program may ask before it connects; -ENOTCONN no session is open.
 */
PAWLINK_API int pawlink_keep_session(struct pawlink *p);
/*
 * Ends the session the attached dongle's driver holds, whoever installed
 * it: BYE to the toy (best effort), then the keys are erased and the link
 * dropped.  @toy_id (may be NULL) gets the toy it was with.  -ENOTCONN
 * when the driver holds none; -EISCONN while this context has a session
 * of its own (pawlink_disconnect() ends that); -EOPNOTSUPP on the air.
 */
PAWLINK_API int pawlink_end_kept_session(struct pawlink *p,
					 uint8_t toy_id[PAWLINK_ID_LEN]);
PAWLINK_API bool pawlink_connected(const struct pawlink *p);
/* The session's Noise handshake hash (public), for display. */
PAWLINK_API int pawlink_session_hash(const struct pawlink *p,
				     uint8_t hash[PAWLINK_SESSION_HASH_LEN]);

/* ---- voice messages (a session is needed) ----------------------------- */

/*
 * Every message on the toy, in id order: *@out is a new array (free()
 * it) of *@n entries.
 */
PAWLINK_API int pawlink_list(struct pawlink *p, struct pawlink_msg_info **out,
			     size_t *n);
/*
 * Uploads a message object (pawlink_audio_file_to_message() makes one) of
 * @duration_ms with a new random id; *@info (may be NULL) describes it.
 */
PAWLINK_API int pawlink_upload(struct pawlink *p, const uint8_t *obj,
			       size_t len, uint32_t duration_ms,
			       struct pawlink_msg_info *info);
/*
 * Uploads @obj as the message @info describes (a retry after a failure
 * resumes: only the chunks the toy lacks are sent).
 */
PAWLINK_API int pawlink_upload_resume(struct pawlink *p,
				      const struct pawlink_msg_info *info,
				      const uint8_t *obj, size_t len);
/* pawlink_audio_file_to_message(), then pawlink_upload(). */
PAWLINK_API int pawlink_upload_audio_file(struct pawlink *p,
					  const char *path,
					  struct pawlink_msg_info *info);
/*
 * Progress of the transfers of pawlink_upload*() and pawlink_download():
 * called from inside them, on their thread, each time the bytes the
 * receiver holds (@done of @total) grow, first when the transfer starts
 * (with what a resumed one holds already).  It must not call libpawlink.
 * NULL: no calls.
 */
typedef void (*pawlink_progress_fn)(void *ctx, uint64_t done, uint64_t total);
PAWLINK_API void pawlink_set_progress(struct pawlink *p,
				      pawlink_progress_fn fn, void *ctx);
/*
 * Downloads message @id: *@obj is a new buffer (free() it) of *@len
 * bytes whose SHA-256 matched; *@info (may be NULL) its metadata.
 */
PAWLINK_API int pawlink_download(struct pawlink *p,
				 const uint8_t id[PAWLINK_MSG_ID_LEN],
				 uint8_t **obj, size_t *len,
				 struct pawlink_msg_info *info);
PAWLINK_API int pawlink_delete(struct pawlink *p,
			       const uint8_t id[PAWLINK_MSG_ID_LEN]);
/* Plays message @id on the toy's speaker.  -EBUSY while one plays. */
PAWLINK_API int pawlink_play(struct pawlink *p,
			     const uint8_t id[PAWLINK_MSG_ID_LEN]);

/* ---- the toy's functions (a session is needed) ------------------------ */

PAWLINK_API int pawlink_status(struct pawlink *p,
			       struct pawlink_toy_status_info *st);
PAWLINK_API int pawlink_led(struct pawlink *p, bool on);
/* 0..PAWLINK_TOY_VOLUME_MAX. */
PAWLINK_API int pawlink_volume(struct pawlink *p, unsigned int volume);
/*
 * Starts the toy's microphone: the toy lights its LED and logs the start
 * (visible in pawlink_log()), then streams 10 ms audio records.
 */
PAWLINK_API int pawlink_mic_start(struct pawlink *p);
PAWLINK_API int pawlink_mic_stop(struct pawlink *p);
/*
 * The next PAWLINK_AUDIO_PERIOD_FRAMES samples of microphone audio, on
 * transports that carry audio.  The kernel path carries it through the
 * dongle's sound card (arecord) instead: -EOPNOTSUPP, whether or not a
 * session is open, so a program may ask before starting the microphone.
 * -ETIMEDOUT when none came within @timeout_ms.
 */
PAWLINK_API int pawlink_mic_read(struct pawlink *p, int16_t *pcm,
				 int timeout_ms);
/*
 * Entries of the toy's event log from sequence number @from on, at most
 * @max; *@next is the sequence number after the last one returned (pass
 * it as @from to continue; equal to the toy's next when complete).
 * A run of sessions that only started and ended is one entry of event
 * PAWLINK_TOY_EV_SESSION, @count of them (toy.rst "Event log"); @count is
 * 0 on every other event.
 */
PAWLINK_API int pawlink_log(struct pawlink *p, uint32_t from,
			    struct pawlink_toy_event *out, size_t max,
			    size_t *n, uint32_t *next);

/*
 * Asks the toy to forget this host (it ends the session), then erases the
 * host's pin of it.  After this neither side can open a session again
 * without pairing.  The pin is erased only on the toy's authenticated
 * answer (asked again in a new session if the first is lost); otherwise
 * -ETIMEDOUT, "could not confirm", and the pin stays.
 */
PAWLINK_API int pawlink_unpair(struct pawlink *p);

/* ---- administration (a session is needed) ------------------------------ */

/*
 * The hosts the toy has paired, at most @max (PAWLINK_TOY_HOSTS_MAX is
 * every one), with the toy's boot and uptime now (may be NULL) to read
 * their times by: a time is since the boot it names, so an entry of
 * this boot happened (uptime - its ms) ago.  The toy says which one is
 * this host (@you).
 */
PAWLINK_API int pawlink_hosts(struct pawlink *p,
			      struct pawlink_toy_host_info *out, size_t max,
			      size_t *n, uint32_t *boot, uint64_t *uptime_ms);
/*
 * Has the toy forget another host (a lost laptop): it can no longer open
 * a session.  The toy logs it.  -ENOENT the toy has no such host,
 * -EINVAL @host_id is this host's own (pawlink_unpair() is that).
 */
PAWLINK_API int pawlink_revoke(struct pawlink *p,
			       const uint8_t host_id[PAWLINK_ID_LEN]);
/* "1234-5678" and its NUL. */
#define PAWLINK_INVITE_CODE_SIZE	10
/*
 * Opens the toy's pairing window for one new host, with a fresh one-time
 * code the toy made: *@code ("1234-5678"; show it once, keep it nowhere)
 * pairs one host within *@valid_ms (may be NULL; 10 minutes), and is then
 * gone.  Once a toy has a host this is the only way to pair another: the
 * printed code works again only after a factory reset.  @name (may be
 * NULL; at most PAWLINK_TOY_HOST_NAME_LEN printable characters) names the
 * new host in pawlink_hosts().  -ENOSPC the toy has 8 hosts.
 */
PAWLINK_API int pawlink_invite(struct pawlink *p, const char *name,
			       char code[PAWLINK_INVITE_CODE_SIZE],
			       uint32_t *valid_ms);

/*
 * The transport's counters (drops by reason) into the first @size bytes
 * of *@st; pass sizeof(*st).  struct pawlink_stats only grows at the end,
 * so a program built against an older header gets the fields it knows,
 * and one built against a newer header than the library's, or talking to
 * an older kernel, reads 0 in the fields they do not have.  -EINVAL when
 * @size is below PAWLINK_STATS_SIZE_V1.
 */
PAWLINK_API int pawlink_link_stats(struct pawlink *p, struct pawlink_stats *st,
				   size_t size);

#endif /* LIBPAWLINK_H */

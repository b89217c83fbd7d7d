/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The record layer in userspace (Documentation/record-layer.rst): the twin
 * of the kernel's, used by the toy (pawsim) and by native tests, and the
 * reference for tests/vectors/record*.txt.
 *
 * A sealed record is struct pawlink_rec_hdr (the AEAD's associated data),
 * then ChaCha20-Poly1305 IETF ciphertext and tag, under the nonce
 * 00 00 00 00 || le64(counter).  Each key has one sender, whose counter
 * starts at 0 and goes up by one per record; the sender refuses to seal at
 * PAWLINK_REKEY_AFTER.  The receiver accepts a counter only if it is above
 * the last one it accepted under that key (gaps are fine: loss).
 *
 * The state structs are visible on purpose: tests set a counter near its
 * limit directly.  Nothing here is thread safe; one owner per struct.
 */
#ifndef PAWLINK_RECORD_H
#define PAWLINK_RECORD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <linux/pawlink.h>

/* A record header in host byte order. */
struct pawlink_record_info {
	uint8_t version;
	uint8_t channel;
	uint16_t len;
	uint32_t epoch;
	uint64_t counter;
};

/* Sending side of one key (one direction, one channel). */
struct pawlink_record_tx {
	uint8_t key[PAWLINK_KEY_LEN];
	uint32_t epoch;
	uint8_t channel;
	uint64_t next_counter;		/* counter of the next record sealed */
};

/* Why received records were thrown away, one count per reason. */
struct pawlink_record_stats {
	uint64_t opened;		/* authenticated and returned */
	uint64_t forged;		/* tag did not verify */
	uint64_t replayed;		/* counter not above last, or old epoch */
	uint64_t malformed;		/* version, channel, length, epoch, counter */
};

/* Receiving side of one key. */
struct pawlink_record_rx {
	uint8_t key[PAWLINK_KEY_LEN];
	uint32_t epoch;
	uint8_t channel;
	bool accepted_any;		/* false until the first record opens */
	uint64_t last_counter;		/* valid once accepted_any */
	struct pawlink_record_stats stats;
};

/*
 * Errors (negative errno; none says anything about a key or plaintext):
 *   -EINVAL       caller bug: bad channel, epoch 0, plaintext too long
 *   -ENOSPC       output buffer too small; nothing consumed or counted
 *   -EKEYEXPIRED  seal: the key has sealed PAWLINK_REKEY_AFTER records;
 *                 run the session handshake again (rekey)
 *   -EBADMSG      open: malformed (counted in stats.malformed)
 *   -ESTALE       open: replayed, reordered or old epoch (stats.replayed)
 *   -EACCES       open: forged or corrupted (stats.forged)
 */

/* Parses and checks the header alone: version, channel, length match. */
int pawlink_record_parse_header(const uint8_t *rec, size_t rec_len,
				struct pawlink_record_info *info);

/* Keys for PAWLINK_CH_CTRL or PAWLINK_CH_AUDIO; @epoch >= 1. */
int pawlink_record_tx_init(struct pawlink_record_tx *tx,
			   const uint8_t key[PAWLINK_KEY_LEN],
			   uint32_t epoch, uint8_t channel);
int pawlink_record_rx_init(struct pawlink_record_rx *rx,
			   const uint8_t key[PAWLINK_KEY_LEN],
			   uint32_t epoch, uint8_t channel);
void pawlink_record_tx_wipe(struct pawlink_record_tx *tx);
void pawlink_record_rx_wipe(struct pawlink_record_rx *rx);

/*
 * Seals @pt_len <= PAWLINK_FRAME_MAX bytes into one record of
 * PAWLINK_REC_HDR_LEN + @pt_len + PAWLINK_TAG_LEN bytes.
 */
int pawlink_record_seal(struct pawlink_record_tx *tx,
			const uint8_t *pt, size_t pt_len,
			uint8_t *out, size_t out_cap, size_t *out_len);

/*
 * Opens one record.  On success the counter is remembered and the
 * plaintext written to @pt; on failure @pt holds no plaintext (it may have
 * been zeroed) and the reason is counted in rx->stats.
 */
int pawlink_record_open(struct pawlink_record_rx *rx,
			const uint8_t *rec, size_t rec_len,
			uint8_t *pt, size_t pt_cap, size_t *pt_len);

/*
 * Plaintext records (PAWLINK_CH_PLAIN, PAWLINK_CH_EVENT): epoch and
 * counter are zero.  read_plain returns a pointer into @rec.
 */
int pawlink_record_write_plain(uint8_t channel,
			       const uint8_t *body, size_t body_len,
			       uint8_t *out, size_t out_cap, size_t *out_len);
int pawlink_record_read_plain(const uint8_t *rec, size_t rec_len,
			      uint8_t *channel,
			      const uint8_t **body, size_t *body_len);

/* ---- a whole link: both directions, both keyed channels ---------------- */

enum pawlink_record_role {
	PAWLINK_ROLE_HOST,		/* seals h2t, opens t2h */
	PAWLINK_ROLE_TOY,		/* seals t2h, opens h2t */
};

struct pawlink_record_link {
	bool keyed;			/* once true, plaintext is refused */
	struct pawlink_record_tx tx_ctrl, tx_audio;
	struct pawlink_record_rx rx_ctrl, rx_audio;
	uint64_t dropped_plaintext;	/* plaintext records after keying */
	/* Keys from a handshake, waiting for the peer's first record. */
	bool staged;
	enum pawlink_record_role staged_role;
	struct pawlink_key_install staged_keys;
};

/*
 * Installs session keys (struct pawlink_key_install from session.h) for
 * one side, at once; the host does this when its handshake completes.  As
 * in the kernel: the version must match, the first install must not have
 * PAWLINK_KEYS_REKEY, a later one must have it and a higher epoch.
 * Counters restart at zero under the new keys and staged keys are dropped.
 * -EINVAL otherwise, leaving the link unchanged.
 */
int pawlink_record_link_install(struct pawlink_record_link *link,
				const struct pawlink_key_install *keys,
				enum pawlink_record_role role);

/*
 * Stages keys instead; the toy does this when it sends RESP, because it
 * cannot know that the host got it.  The link goes on as before (sealing
 * and opening with the current keys, or plaintext if unkeyed) until a
 * record under the staged epoch authenticates: then the staged keys are
 * installed and that record is delivered.  A later stage replaces an
 * earlier one (the host retried).  Same checks as install.
 */
int pawlink_record_link_stage(struct pawlink_record_link *link,
			      const struct pawlink_key_install *keys,
			      enum pawlink_record_role role);

/* Seals a frame on PAWLINK_CH_CTRL or PAWLINK_CH_AUDIO. */
int pawlink_record_link_seal(struct pawlink_record_link *link,
			     uint8_t channel, const uint8_t *pt, size_t pt_len,
			     uint8_t *out, size_t out_cap, size_t *out_len);

/*
 * Opens whatever record arrives: a keyed channel through its key (or the
 * staged key, for a record of the staged epoch), a plaintext one only
 * while unkeyed (-EPERM and dropped_plaintext after).  *@channel is the
 * record's channel.  For plaintext the body is copied.
 */
int pawlink_record_link_open(struct pawlink_record_link *link,
			     const uint8_t *rec, size_t rec_len,
			     uint8_t *channel,
			     uint8_t *pt, size_t pt_cap, size_t *pt_len);

void pawlink_record_link_wipe(struct pawlink_record_link *link);

#endif /* PAWLINK_RECORD_H */

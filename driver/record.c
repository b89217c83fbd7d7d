// SPDX-License-Identifier: GPL-2.0
/*
 * pawlink.ko: the record layer (Documentation/record-layer.rst).
 *
 * keys.c installs the session keys, as tls_main.c does for kTLS; this file
 * uses them, as tls_sw.c does.  write() seals control frames in process
 * context; the receive completion opens sealed records in atomic context,
 * in place in the URB's buffer, with nothing allocated.
 *
 * ChaCha20-Poly1305 IETF comes from lib/crypto: its u64 nonce is exactly
 * our 12-byte nonce (four zero bytes, then the counter, little endian), and
 * the 16 header bytes as sent are the associated data.
 */

#include <crypto/chacha20poly1305.h>
#include <linux/build_bug.h>
#include <linux/string.h>

#include "pawlink.h"

static_assert(PAWLINK_KEY_LEN == CHACHA20POLY1305_KEY_SIZE);
static_assert(PAWLINK_TAG_LEN == CHACHA20POLY1305_AUTHTAG_SIZE);
static_assert(sizeof(struct pawlink_rec_hdr) == PAWLINK_REC_HDR_LEN);

/* The key state of a keyed channel (PAWLINK_CH_CTRL or _AUDIO). */
static enum pawlink_kch pawlink_kch(u8 channel)
{
	return channel == PAWLINK_CH_AUDIO ? PAWLINK_KCH_AUDIO :
					     PAWLINK_KCH_CTRL;
}

/*
 * Seals in place.  @rec holds @pt_len bytes of plaintext after room for the
 * header, and has room for the tag after them.  Fills in the header,
 * encrypts and appends the tag.  Returns the record's length, or
 * -EKEYEXPIRED (nothing written) for a counter the key may not use.
 * No lock: works on the caller's copy of the key.
 */
int pawlink_record_seal(const u8 key[PAWLINK_KEY_LEN], u32 epoch, u8 channel,
			u64 counter, u8 *rec, size_t pt_len)
{
	struct pawlink_rec_hdr *hdr = (void *)rec;
	u8 *body = rec + PAWLINK_REC_HDR_LEN;

	/* A nonce past the limit would be one no receiver accepts. */
	if (counter >= PAWLINK_REKEY_AFTER)
		return -EKEYEXPIRED;
	if (WARN_ON_ONCE(pt_len > PAWLINK_FRAME_MAX))
		return -EINVAL;

	hdr->version = PAWLINK_REC_VERSION;
	hdr->channel = channel;
	hdr->len = cpu_to_le16(pt_len + PAWLINK_TAG_LEN);
	hdr->epoch = cpu_to_le32(epoch);
	hdr->counter = cpu_to_le64(counter);
	chacha20poly1305_encrypt(body, body, pt_len, rec, PAWLINK_REC_HDR_LEN,
				 counter, key);
	return PAWLINK_REC_HDR_LEN + pt_len + PAWLINK_TAG_LEN;
}

/*
 * Opens one record of @len bytes for the receiver @rx of key generation
 * @epoch on @channel, applying the checks of record-layer.rst in its order
 * (the first that fails decides the verdict).  On PAWLINK_OPEN_OK the
 * plaintext has replaced the ciphertext at @rec + PAWLINK_REC_HDR_LEN and
 * @rx has moved on; on any other verdict @rx is untouched.
 * Caller holds whatever protects @rx (dev->lock for the dongle's keys).
 * Allocates nothing, never sleeps: runs in the receive completion.
 */
enum pawlink_verdict pawlink_record_open(struct pawlink_rx_key *rx, u32 epoch,
					 u8 channel, u8 *rec, size_t len)
{
	const struct pawlink_rec_hdr *hdr = (const void *)rec;
	u8 *body = rec + PAWLINK_REC_HDR_LEN;
	size_t body_len;
	u32 rec_epoch;
	u64 counter;

	if (len < PAWLINK_REC_HDR_LEN || len > PAWLINK_RECORD_MAX)
		return PAWLINK_OPEN_LENGTH;
	if (hdr->version != PAWLINK_REC_VERSION ||
	    hdr->channel > PAWLINK_CH_EVENT)
		return PAWLINK_OPEN_MALFORMED;
	body_len = len - PAWLINK_REC_HDR_LEN;
	if (le16_to_cpu(hdr->len) != body_len)
		return PAWLINK_OPEN_LENGTH;
	if (hdr->channel != channel)
		return PAWLINK_OPEN_MALFORMED;
	if (body_len < PAWLINK_TAG_LEN)
		return PAWLINK_OPEN_LENGTH;
	counter = le64_to_cpu(hdr->counter);
	if (counter >= PAWLINK_REKEY_AFTER)
		return PAWLINK_OPEN_MALFORMED;
	rec_epoch = le32_to_cpu(hdr->epoch);
	if (rec_epoch > epoch)
		return PAWLINK_OPEN_EPOCH_NEW;
	if (rec_epoch < epoch)
		return PAWLINK_OPEN_EPOCH_OLD;
	/* Before the tag: a replay costs no Poly1305 and says so. */
	if (rx->any && counter <= rx->last)
		return PAWLINK_OPEN_REPLAY;
	/* Checks the tag first and decrypts only what authenticated. */
	if (!chacha20poly1305_decrypt(body, body, body_len, rec,
				      PAWLINK_REC_HDR_LEN, counter, rx->key))
		return PAWLINK_OPEN_AUTH;
	rx->last = counter;
	rx->any = true;
	return PAWLINK_OPEN_OK;
}

/*
 * Turns the frame that write() put at @rec + PAWLINK_REC_HDR_LEN (@pt_len
 * bytes; @rec has room for a tag after it) into the record the link takes
 * now: plaintext on channel 0 before a session, sealed on the control
 * channel during one.  Returns the record's length, -ENOTCONN when the
 * session ended with the link (keys gone, PAWLINK_IOC_DISCONNECT not yet
 * called), or -EKEYEXPIRED when the control key has sealed
 * PAWLINK_REKEY_AFTER records.  A refused frame uses up no counter.
 * Caller holds io_mutex (no rekey or DISCONNECT meanwhile).  Takes
 * dev->lock, and seals outside it with a copy of the key, because a LINK
 * event may drop the keys from the completion at any moment.
 */
ssize_t pawlink_record_frame(struct pawlink_dev *dev, u8 *rec, size_t pt_len)
{
	struct pawlink_rec_hdr *hdr = (void *)rec;
	u8 key[PAWLINK_KEY_LEN];
	struct pawlink_tx_key *tx;
	u64 counter;
	u32 epoch;
	int ret;

	lockdep_assert_held(&dev->io_mutex);

	spin_lock_irq(&dev->lock);
	if (!dev->session) {
		spin_unlock_irq(&dev->lock);
		memset(hdr, 0, sizeof(*hdr));
		hdr->version = PAWLINK_REC_VERSION;
		hdr->channel = PAWLINK_CH_PLAIN;
		hdr->len = cpu_to_le16(pt_len);
		return PAWLINK_REC_HDR_LEN + pt_len;
	}
	if (!dev->keys) {
		spin_unlock_irq(&dev->lock);
		return -ENOTCONN;
	}
	tx = &dev->keys->tx[PAWLINK_KCH_CTRL];
	if (tx->next >= PAWLINK_REKEY_AFTER) {
		spin_unlock_irq(&dev->lock);
		return -EKEYEXPIRED;
	}
	/* Taken whether or not the record arrives: never sealed twice. */
	counter = tx->next++;
	epoch = dev->keys->epoch;
	memcpy(key, tx->key, sizeof(key));
	spin_unlock_irq(&dev->lock);

	ret = pawlink_record_seal(key, epoch, PAWLINK_CH_CTRL, counter, rec,
				  pt_len);
	memzero_explicit(key, sizeof(key));
	return ret;
}

/*
 * A record on a keyed channel, whose framing pawlink_rx_record() checked.
 * Opens it in place with the session's key for its channel and delivers
 * the plaintext: a control frame to the read() queue, an audio one to the
 * sound card's streams (audio.c), which leave in @after what must wait
 * until dev->lock is dropped.  Without keys nothing can authenticate it.
 * Each drop is counted once, and changes nothing else.
 * Caller holds dev->lock (in the completion: atomic, nothing allocated).
 */
void pawlink_rx_sealed(struct pawlink_dev *dev, u8 *rec, size_t len,
		       struct pawlink_rx_after *after)
{
	const struct pawlink_rec_hdr *hdr = (const void *)rec;
	struct pawlink_keys *keys = dev->keys;
	struct pawlink_stats *st = &dev->stats;
	u8 channel = hdr->channel;
	size_t pt_len;

	lockdep_assert_held(&dev->lock);

	if (!keys) {
		st->rx_dropped_auth++;
		return;
	}
	switch (pawlink_record_open(&keys->rx[pawlink_kch(channel)],
				    keys->epoch, channel, rec, len)) {
	case PAWLINK_OPEN_OK:
		break;
	case PAWLINK_OPEN_MALFORMED:
		st->rx_dropped_malformed++;
		return;
	case PAWLINK_OPEN_LENGTH:
		st->rx_dropped_length++;
		return;
	case PAWLINK_OPEN_EPOCH_OLD:
	case PAWLINK_OPEN_EPOCH_NEW:
		st->rx_dropped_epoch++;
		return;
	case PAWLINK_OPEN_REPLAY:
		st->rx_dropped_replay++;
		return;
	case PAWLINK_OPEN_AUTH:
		st->rx_dropped_auth++;
		return;
	}

	pt_len = len - PAWLINK_REC_HDR_LEN - PAWLINK_TAG_LEN;
	if (channel == PAWLINK_CH_CTRL) {
		pawlink_rx_queue(dev, rec + PAWLINK_REC_HDR_LEN, pt_len);
		return;
	}
	st->rx_records++;
	pawlink_audio_rx(dev, rec + PAWLINK_REC_HDR_LEN, pt_len, after);
}

// SPDX-License-Identifier: GPL-2.0
/*
 * Userspace record layer: seal and open of pawlink records with
 * ChaCha20-Poly1305 IETF, the strictly-increasing counter rule, and the
 * per-link key install that mirrors the kernel's.
 */
#include <errno.h>
#include <string.h>

#include <sodium.h>

#include "record_layer.h"
#include "bytes.h"
#include "byteorder.h"

_Static_assert(sizeof(struct pawlink_rec_hdr) == PAWLINK_REC_HDR_LEN,
	       "record header layout");
_Static_assert(PAWLINK_NONCE_LEN == crypto_aead_chacha20poly1305_IETF_NPUBBYTES,
	       "IETF ChaCha20-Poly1305 nonce");
_Static_assert(PAWLINK_TAG_LEN == crypto_aead_chacha20poly1305_IETF_ABYTES,
	       "Poly1305 tag");
_Static_assert(PAWLINK_KEY_LEN == crypto_aead_chacha20poly1305_IETF_KEYBYTES,
	       "ChaCha20 key");

static void record_put_header(uint8_t out[PAWLINK_REC_HDR_LEN],
			      uint8_t channel, size_t body_len,
			      uint32_t epoch, uint64_t counter)
{
	out[0] = PAWLINK_REC_VERSION;
	out[1] = channel;
	out[2] = (uint8_t)body_len;
	out[3] = (uint8_t)(body_len >> 8);
	pawlink_store_le32(out + 4, epoch);
	pawlink_store_le64(out + 8, counter);
}

static void record_nonce(uint8_t nonce[PAWLINK_NONCE_LEN], uint64_t counter)
{
	memset(nonce, 0, 4);
	pawlink_store_le64(nonce + 4, counter);
}

static bool channel_is_keyed(uint8_t channel)
{
	return channel == PAWLINK_CH_CTRL || channel == PAWLINK_CH_AUDIO;
}

static bool channel_is_plain(uint8_t channel)
{
	return channel == PAWLINK_CH_PLAIN || channel == PAWLINK_CH_EVENT;
}

int pawlink_record_parse_header(const uint8_t *rec, size_t rec_len,
				struct pawlink_record_info *info)
{
	if (!rec || !info)
		return -EINVAL;
	if (rec_len < PAWLINK_REC_HDR_LEN || rec_len > PAWLINK_RECORD_MAX)
		return -EBADMSG;
	info->version = rec[0];
	info->channel = rec[1];
	info->len = (uint16_t)(rec[2] | rec[3] << 8);
	info->epoch = pawlink_load_le32(rec + 4);
	info->counter = pawlink_load_le64(rec + 8);
	if (info->version != PAWLINK_REC_VERSION ||
	    !(channel_is_keyed(info->channel) ||
	      channel_is_plain(info->channel)) ||
	    info->len != rec_len - PAWLINK_REC_HDR_LEN)
		return -EBADMSG;
	return 0;
}

/* ---- one key ------------------------------------------------------------ */

int pawlink_record_tx_init(struct pawlink_record_tx *tx,
			   const uint8_t key[PAWLINK_KEY_LEN],
			   uint32_t epoch, uint8_t channel)
{
	if (!tx || !key || epoch == 0 || !channel_is_keyed(channel))
		return -EINVAL;
	if (sodium_init() < 0)
		return -EIO;
	memset(tx, 0, sizeof(*tx));
	memcpy(tx->key, key, PAWLINK_KEY_LEN);
	tx->epoch = epoch;
	tx->channel = channel;
	return 0;
}

int pawlink_record_rx_init(struct pawlink_record_rx *rx,
			   const uint8_t key[PAWLINK_KEY_LEN],
			   uint32_t epoch, uint8_t channel)
{
	if (!rx || !key || epoch == 0 || !channel_is_keyed(channel))
		return -EINVAL;
	if (sodium_init() < 0)
		return -EIO;
	memset(rx, 0, sizeof(*rx));
	memcpy(rx->key, key, PAWLINK_KEY_LEN);
	rx->epoch = epoch;
	rx->channel = channel;
	return 0;
}

void pawlink_record_tx_wipe(struct pawlink_record_tx *tx)
{
	sodium_memzero(tx, sizeof(*tx));
}

void pawlink_record_rx_wipe(struct pawlink_record_rx *rx)
{
	sodium_memzero(rx, sizeof(*rx));
}

int pawlink_record_seal(struct pawlink_record_tx *tx,
			const uint8_t *pt, size_t pt_len,
			uint8_t *out, size_t out_cap, size_t *out_len)
{
	uint8_t nonce[PAWLINK_NONCE_LEN];
	size_t body_len = pt_len + PAWLINK_TAG_LEN;

	if (!tx || (pt_len && !pt) || !out || !out_len ||
	    pt_len > PAWLINK_FRAME_MAX || !channel_is_keyed(tx->channel) ||
	    tx->epoch == 0)
		return -EINVAL;
	if (out_cap < PAWLINK_REC_HDR_LEN + body_len)
		return -ENOSPC;
	/* A (key, nonce) pair is never used twice: stop before the limit. */
	if (tx->next_counter >= PAWLINK_REKEY_AFTER)
		return -EKEYEXPIRED;

	record_put_header(out, tx->channel, body_len, tx->epoch,
			  tx->next_counter);
	record_nonce(nonce, tx->next_counter);
	crypto_aead_chacha20poly1305_ietf_encrypt(out + PAWLINK_REC_HDR_LEN,
						  NULL, pt, pt_len,
						  out, PAWLINK_REC_HDR_LEN,
						  NULL, nonce, tx->key);
	tx->next_counter++;
	*out_len = PAWLINK_REC_HDR_LEN + body_len;
	return 0;
}

/* The checks that need no key, in the order the spec gives. */
static int record_check_rx(const struct pawlink_record_rx *rx,
			   const uint8_t *rec, size_t rec_len,
			   struct pawlink_record_info *info)
{
	if (pawlink_record_parse_header(rec, rec_len, info) ||
	    info->channel != rx->channel ||
	    info->len < PAWLINK_TAG_LEN ||
	    info->counter >= PAWLINK_REKEY_AFTER ||
	    info->epoch > rx->epoch)
		return -EBADMSG;
	if (info->epoch < rx->epoch ||
	    (rx->accepted_any && info->counter <= rx->last_counter))
		return -ESTALE;
	return 0;
}

int pawlink_record_open(struct pawlink_record_rx *rx,
			const uint8_t *rec, size_t rec_len,
			uint8_t *pt, size_t pt_cap, size_t *pt_len)
{
	struct pawlink_record_info info;
	uint8_t nonce[PAWLINK_NONCE_LEN];
	int ret;

	if (!rx || !rec || !pt_len || (pt_cap && !pt) ||
	    !channel_is_keyed(rx->channel) || rx->epoch == 0)
		return -EINVAL;
	ret = record_check_rx(rx, rec, rec_len, &info);
	if (ret == -EBADMSG) {
		rx->stats.malformed++;
		return ret;
	}
	if (ret == -ESTALE) {
		rx->stats.replayed++;
		return ret;
	}
	if (pt_cap < (size_t)info.len - PAWLINK_TAG_LEN)
		return -ENOSPC;

	record_nonce(nonce, info.counter);
	/* The tag is checked first; on failure the output is only zeroed. */
	if (crypto_aead_chacha20poly1305_ietf_decrypt(pt, NULL, NULL,
						      rec + PAWLINK_REC_HDR_LEN,
						      info.len, rec,
						      PAWLINK_REC_HDR_LEN,
						      nonce, rx->key) != 0) {
		rx->stats.forged++;
		return -EACCES;
	}
	/* Only an authenticated record moves the window. */
	rx->last_counter = info.counter;
	rx->accepted_any = true;
	rx->stats.opened++;
	*pt_len = (size_t)info.len - PAWLINK_TAG_LEN;
	return 0;
}

/* ---- plaintext records -------------------------------------------------- */

int pawlink_record_write_plain(uint8_t channel,
			       const uint8_t *body, size_t body_len,
			       uint8_t *out, size_t out_cap, size_t *out_len)
{
	if (!channel_is_plain(channel) || (body_len && !body) || !out ||
	    !out_len || body_len > PAWLINK_FRAME_MAX)
		return -EINVAL;
	if (out_cap < PAWLINK_REC_HDR_LEN + body_len)
		return -ENOSPC;
	record_put_header(out, channel, body_len, 0, 0);
	if (body_len)
		memcpy(out + PAWLINK_REC_HDR_LEN, body, body_len);
	*out_len = PAWLINK_REC_HDR_LEN + body_len;
	return 0;
}

int pawlink_record_read_plain(const uint8_t *rec, size_t rec_len,
			      uint8_t *channel,
			      const uint8_t **body, size_t *body_len)
{
	struct pawlink_record_info info;

	if (!rec || !channel || !body || !body_len)
		return -EINVAL;
	if (pawlink_record_parse_header(rec, rec_len, &info) ||
	    !channel_is_plain(info.channel) ||
	    info.len > PAWLINK_FRAME_MAX ||
	    info.epoch != 0 || info.counter != 0)
		return -EBADMSG;
	*channel = info.channel;
	*body = rec + PAWLINK_REC_HDR_LEN;
	*body_len = info.len;
	return 0;
}

/* ---- a link ------------------------------------------------------------- */

/* The install rules of Documentation/record-layer.rst, against @link. */
static int link_check_keys(const struct pawlink_record_link *link,
			   const struct pawlink_key_install *keys,
			   enum pawlink_record_role role)
{
	bool rekey;

	if (!link || !keys || keys->version != PAWLINK_KEYS_VERSION ||
	    keys->reserved != 0 || (keys->flags & ~PAWLINK_KEYS_REKEY) ||
	    keys->epoch == 0 ||
	    (role != PAWLINK_ROLE_HOST && role != PAWLINK_ROLE_TOY))
		return -EINVAL;
	rekey = keys->flags & PAWLINK_KEYS_REKEY;
	if (rekey != link->keyed ||
	    (link->keyed && keys->epoch <= link->tx_ctrl.epoch))
		return -EINVAL;
	if (sodium_init() < 0)
		return -EIO;
	return 0;
}

/* Fills @next with @link's successor under checked @keys; cannot fail. */
static void link_build(struct pawlink_record_link *next,
		       const struct pawlink_record_link *link,
		       const struct pawlink_key_install *keys,
		       enum pawlink_record_role role)
{
	bool host = role == PAWLINK_ROLE_HOST;

	memset(next, 0, sizeof(*next));
	next->keyed = true;
	next->dropped_plaintext = link->dropped_plaintext;
	pawlink_record_tx_init(&next->tx_ctrl,
			       host ? keys->h2t_ctrl : keys->t2h_ctrl,
			       keys->epoch, PAWLINK_CH_CTRL);
	pawlink_record_tx_init(&next->tx_audio,
			       host ? keys->h2t_audio : keys->t2h_audio,
			       keys->epoch, PAWLINK_CH_AUDIO);
	pawlink_record_rx_init(&next->rx_ctrl,
			       host ? keys->t2h_ctrl : keys->h2t_ctrl,
			       keys->epoch, PAWLINK_CH_CTRL);
	pawlink_record_rx_init(&next->rx_audio,
			       host ? keys->t2h_audio : keys->h2t_audio,
			       keys->epoch, PAWLINK_CH_AUDIO);
	/* Counts survive a rekey: they describe the link, not a key. */
	next->rx_ctrl.stats = link->rx_ctrl.stats;
	next->rx_audio.stats = link->rx_audio.stats;
}

int pawlink_record_link_install(struct pawlink_record_link *link,
				const struct pawlink_key_install *keys,
				enum pawlink_record_role role)
{
	struct pawlink_record_link next;
	int ret;

	ret = link_check_keys(link, keys, role);
	if (ret)
		return ret;
	link_build(&next, link, keys, role);
	pawlink_record_link_wipe(link);
	*link = next;
	sodium_memzero(&next, sizeof(next));
	return 0;
}

int pawlink_record_link_stage(struct pawlink_record_link *link,
			      const struct pawlink_key_install *keys,
			      enum pawlink_record_role role)
{
	int ret;

	ret = link_check_keys(link, keys, role);
	if (ret)
		return ret;
	sodium_memzero(&link->staged_keys, sizeof(link->staged_keys));
	link->staged_keys = *keys;
	link->staged_role = role;
	link->staged = true;
	return 0;
}

/*
 * A record of the staged epoch: open it under the staged keys and, if it
 * authenticates, make them the link's keys.  Otherwise only the drop is
 * counted, in the link's stats.
 */
static int link_open_staged(struct pawlink_record_link *link,
			    const struct pawlink_record_info *info,
			    const uint8_t *rec, size_t rec_len,
			    uint8_t *pt, size_t pt_cap, size_t *pt_len)
{
	struct pawlink_record_link next;
	bool ctrl = info->channel == PAWLINK_CH_CTRL;
	int ret;

	link_build(&next, link, &link->staged_keys, link->staged_role);
	ret = pawlink_record_open(ctrl ? &next.rx_ctrl : &next.rx_audio,
				  rec, rec_len, pt, pt_cap, pt_len);
	if (!ret) {
		pawlink_record_link_wipe(link);
		*link = next;
	} else if (ctrl) {
		link->rx_ctrl.stats = next.rx_ctrl.stats;
	} else {
		link->rx_audio.stats = next.rx_audio.stats;
	}
	sodium_memzero(&next, sizeof(next));
	return ret;
}

int pawlink_record_link_seal(struct pawlink_record_link *link,
			     uint8_t channel, const uint8_t *pt, size_t pt_len,
			     uint8_t *out, size_t out_cap, size_t *out_len)
{
	if (!link || !link->keyed)
		return -EINVAL;
	if (channel == PAWLINK_CH_CTRL)
		return pawlink_record_seal(&link->tx_ctrl, pt, pt_len,
					   out, out_cap, out_len);
	if (channel == PAWLINK_CH_AUDIO)
		return pawlink_record_seal(&link->tx_audio, pt, pt_len,
					   out, out_cap, out_len);
	return -EINVAL;
}

int pawlink_record_link_open(struct pawlink_record_link *link,
			     const uint8_t *rec, size_t rec_len,
			     uint8_t *channel,
			     uint8_t *pt, size_t pt_cap, size_t *pt_len)
{
	struct pawlink_record_rx *rx;
	struct pawlink_record_info info;
	const uint8_t *body;
	size_t body_len;
	int ret;

	if (!link || !rec || !channel || !pt_len || (pt_cap && !pt))
		return -EINVAL;
	ret = pawlink_record_parse_header(rec, rec_len, &info);
	if (ret) {
		/* Count it against the control key: the link's one bin. */
		link->rx_ctrl.stats.malformed++;
		return ret;
	}
	*channel = info.channel;
	if (channel_is_plain(info.channel)) {
		if (link->keyed) {
			link->dropped_plaintext++;
			return -EPERM;
		}
		ret = pawlink_record_read_plain(rec, rec_len, channel,
						&body, &body_len);
		if (ret) {
			link->rx_ctrl.stats.malformed++;
			return ret;
		}
		if (pt_cap < body_len)
			return -ENOSPC;
		if (body_len)
			memcpy(pt, body, body_len);
		*pt_len = body_len;
		return 0;
	}
	if (link->staged && info.epoch == link->staged_keys.epoch)
		return link_open_staged(link, &info, rec, rec_len,
					pt, pt_cap, pt_len);
	if (!link->keyed) {
		/* Sealed records before any key: nothing can open them. */
		link->rx_ctrl.stats.malformed++;
		return -EBADMSG;
	}
	rx = info.channel == PAWLINK_CH_CTRL ? &link->rx_ctrl : &link->rx_audio;
	return pawlink_record_open(rx, rec, rec_len, pt, pt_cap, pt_len);
}

void pawlink_record_link_wipe(struct pawlink_record_link *link)
{
	sodium_memzero(link, sizeof(*link));
}
